"""The environment file's model: the whole file, its derived values and the checks that span sections.

This package must never import CDKTF or a provider package: validating every file
before the toolchain loads is what makes a config mistake cost a second, not thirty.
Field types are in `types`, the sections in `sections` and `auth`. The rules that span
sections are in `checks`, run by the loader once this model holds: they read a Config,
so this module does not import them (imports in this package run one way).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from flyte_gcp.config.auth import AuthConfig
from flyte_gcp.config.sections import (
    Backend,
    BootstrapConfig,
    DatabaseConfig,
    DnsConfig,
    FlyteConfig,
    GkeConfig,
    IngressConfig,
    LocalBackend,
    MonitoringConfig,
    NetworkConfig,
    NodePoolConfig,
    RegistryConfig,
)
from flyte_gcp.config.types import DnsName, Email, NamePart, ProjectId, ProjectNumber, Region, Section, Zone

__all__ = ["Config", "NodePoolConfig"]


class Config(Section):
    application: NamePart = "flyte"
    environment: NamePart = "gcp"
    project_id: ProjectId
    project_number: ProjectNumber
    region: Region
    zone: Zone | None = None
    dns_domain: DnsName
    hostname: DnsName | None = None
    email: Email
    flyte_projects: Annotated[list[NamePart], Field(min_length=1)] = Field(default_factory=lambda: ["flytesnacks"])
    flyte_domains: Annotated[list[NamePart], Field(min_length=1)] = Field(
        default_factory=lambda: ["development", "staging", "production"]
    )
    chart: Literal["flyte-core", "flyte-binary"] = "flyte-core"
    separate_raw_data_bucket: bool = False
    backend: Backend = Field(default_factory=LocalBackend)
    deletion_protection: bool = True
    """False only to tear the environment down: lifts the cluster's and the database's deletion
    protection and the buckets' prevent_destroy (never force_destroy; README: Tearing down)."""
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    gke: GkeConfig = Field(default_factory=GkeConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    registry: RegistryConfig = Field(default_factory=RegistryConfig)
    ingress: IngressConfig = Field(default_factory=IngressConfig)
    dns: DnsConfig = Field(default_factory=DnsConfig)
    flyte: FlyteConfig = Field(default_factory=FlyteConfig)
    auth: AuthConfig = Field(default_factory=AuthConfig)
    bootstrap: BootstrapConfig = Field(default_factory=BootstrapConfig)
    monitoring: MonitoringConfig = Field(default_factory=MonitoringConfig)

    @property
    def name_prefix(self) -> str:
        return f"{self.application}-{self.environment}"

    @property
    def flyte_host(self) -> str:
        return self.hostname or f"{self.application}.{self.dns_domain}"

    @property
    def dns_project(self) -> str:
        """The project of the Cloud DNS zone: `dns.project`, else `project_id`."""
        return self.dns.project or self.project_id

    @property
    def node_zone(self) -> str:
        """The zone of a zonal cluster and of the database: `zone`, else `<region>-b`."""
        return self.zone or f"{self.region}-b"

    @property
    def project_namespaces(self) -> list[str]:
        """Every `<project>-<domain>` namespace Flyte's cluster resource manager creates."""
        return [f"{p}-{d}" for p in self.flyte_projects for d in self.flyte_domains]

    @property
    def alert_emails(self) -> list[str]:
        """Who the alerts e-mail: `monitoring.notification_emails`, else the contact `email`."""
        return list(self.monitoring.notification_emails or [self.email])

    @property
    def auth_users(self) -> list[str]:
        """Keycloak mode's initial accounts: `auth.users`, else the contact `email`."""
        return list(self.auth.users or [self.email])
