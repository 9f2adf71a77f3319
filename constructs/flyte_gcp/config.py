"""The environment file schema: one YAML file in, one validated ``Config`` out.

This module must never import CDKTF or a provider package: validating every file
before the toolchain loads is what makes a config mistake cost a second, not thirty.
Every rule GCP or Kubernetes would enforce at apply time on a name we derive is
enforced here, at synth time. Field types are in `config_types`, the sections in
`config_sections` and `config_auth`; this module holds the whole file's model, the checks
that span sections, and the loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from flyte_gcp import capacity, names, yaml_hints
from flyte_gcp.config_auth import AuthConfig
from flyte_gcp.config_sections import (
    Backend,
    DatabaseConfig,
    DnsConfig,
    FlyteConfig,
    GkeConfig,
    IngressConfig,
    LocalBackend,
    NetworkConfig,
    NodePoolConfig,
    RegistryConfig,
)
from flyte_gcp.config_types import DnsName, Email, NamePart, ProjectId, ProjectNumber, Region, Section, Zone, dns_name

__all__ = ["Config", "ConfigError", "NodePoolConfig", "load_config"]


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
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    gke: GkeConfig = Field(default_factory=GkeConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    registry: RegistryConfig = Field(default_factory=RegistryConfig)
    ingress: IngressConfig = Field(default_factory=IngressConfig)
    dns: DnsConfig = Field(default_factory=DnsConfig)
    flyte: FlyteConfig = Field(default_factory=FlyteConfig)
    auth: AuthConfig = Field(default_factory=AuthConfig)

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
    def auth_users(self) -> list[str]:
        """Keycloak mode's initial accounts: `auth.users`, else the contact `email`."""
        return list(self.auth.users or [self.email])

    @model_validator(mode="after")
    def _unauthenticated_only_when_private(self) -> "Config":
        if self.auth.mode == "none" and self.ingress.is_public:
            raise ValueError(
                "auth.mode: none with ingress.allowed_cidrs open to 0.0.0.0/0 would let anyone on the internet "
                "run containers with the workers' service account (read/write on the buckets); restrict "
                "ingress.allowed_cidrs or use mode keycloak or oidc"
            )
        return self

    @model_validator(mode="after")
    def _derived_names_are_valid(self) -> "Config":
        """Independent checks all run; every problem is one line of the error."""
        problems: list[str] = []
        if self.zone is not None and not self.zone.startswith(self.region + "-"):
            problems.append(f"zone: {self.zone!r} is not in region {self.region!r}")
        for field in ("flyte_projects", "flyte_domains"):
            values = getattr(self, field)
            if len(set(values)) != len(values):
                problems.append(f"{field}: contains duplicates")
        if not self.ingress.is_public and self.dns.managed_zone is None:
            problems.append(
                "ingress.allowed_cidrs: restricted source ranges need dns.managed_zone: Let's Encrypt's HTTP-01 "
                "challenge needs port 80 open to the whole internet (it publishes no source addresses); "
                "set dns.managed_zone so the certificate is issued by DNS-01 through Cloud DNS"
            )
        for check, subject in ((dns_name, self.flyte_host), (names.check_all, self)):
            try:
                check(subject)
            except ValueError as err:
                problems.append(str(err))
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @model_validator(mode="after")
    def _pools_and_limits_fit(self) -> "Config":
        found = capacity.problems(self)
        if found:
            raise ValueError("\n".join(found))
        return self


# --- loading --------------------------------------------------------------


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, the field and the reason."""


def _location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("local", "gcs", "cloud") and parts and parts[-1] == "backend":
            continue  # the discriminator's branch name, not a key the user wrote
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _describe(err: dict[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key (check the spelling; see the configuration reference in README.md)"
    if err["type"] == "missing":
        return "required key is missing"
    message = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def load_config(path: str | Path) -> Config:
    """Read and validate one environment file, or raise ConfigError naming file, field and reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(f"{path}:{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    lines = [f"{path}: {problem}" for problem in yaml_hints.duplicate_keys(text)]
    try:
        config = Config.model_validate(data)
    except ValidationError as err:
        sources = yaml_hints.scalars(text)
        for e in err.errors():
            where = _location(e["loc"])
            hint = yaml_hints.hint(where, e["type"], e.get("input"), sources)
            for reason in _describe(e).split("\n"):  # a model check reports one problem per line
                lines.append(f"{path}: {where + ': ' if where else ''}{reason}{f' ({hint})' if hint else ''}")
    if lines:
        raise ConfigError("\n".join(lines))
    return config
