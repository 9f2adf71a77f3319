"""The sections of the environment file (every key below the top level), one model each.

Every optional field documents its default; `Config` (config.py) assembles them and runs the
checks that span sections.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from flyte_gcp.facts import addresses
from flyte_gcp.config.types import (
    DNS_ZONE,
    WHOLE_INTERNET,
    MACHINE_TYPE,
    AnyCidr,
    Cidr,
    DnsName,
    Email,
    NamePart,
    GITHUB_REF,
    GITHUB_REPOSITORY,
    Principal,
    ProjectId,
    Section,
    Zone,
    backup_hour,
    gpu_type,
    matches,
    number_as_text,
    sql_tier,
    valid_quantity,
)


class LocalBackend(Section):
    type: Literal["local"] = "local"


class GcsBackend(Section):
    type: Literal["gcs"]
    bucket: Annotated[str, matches(re.compile(r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$"), "a GCS bucket name (3-63 lower-case letters, digits, dots, hyphens, underscores; starts and ends with a letter or digit)")]
    prefix: Annotated[str, Field(min_length=1)] = "flyte"


class CloudBackend(Section):
    type: Literal["cloud"]
    organization: Annotated[str, matches(re.compile(r"^[A-Za-z0-9_-]+$"), "a Terraform Cloud organization name (letters, digits, hyphens, underscores)")]
    """Terraform Cloud organization names are letters, digits, '-' and '_' (the bootstrap's
    attribute condition quotes it)."""
    workspace: Annotated[str, matches(re.compile(r"^[A-Za-z0-9_-]{1,90}$"), "a Terraform Cloud workspace name (1-90 letters, digits, hyphens, underscores)")]
    hostname: DnsName = "app.terraform.io"


Backend = Annotated[Union[LocalBackend, GcsBackend, CloudBackend], Field(discriminator="type")]


class NetworkConfig(Section):
    subnet_cidr: Cidr = "10.10.10.0/24"
    """Primary range of the GKE subnet (nodes)."""
    pods_cidr: Cidr = "172.16.0.0/16"
    """Secondary range for pod IPs."""
    services_cidr: Cidr = "192.168.0.0/24"
    """Secondary range for Kubernetes service IPs."""
    private_services_cidr: Cidr = "10.64.0.0/16"
    """Range reserved for private services access (Cloud SQL's private IP)."""
    master_cidr: Cidr = "172.31.255.0/28"
    """Range of the GKE control plane's private endpoint (must be a /28)."""

    @model_validator(mode="after")
    def _ranges_do_not_overlap(self) -> "NetworkConfig":
        if ipaddress.IPv4Network(self.master_cidr).prefixlen != 28:
            raise ValueError(f"master_cidr: {self.master_cidr!r} must be a /28 range (GKE requires it)")
        for field in ("subnet_cidr", "pods_cidr", "services_cidr", "private_services_cidr"):
            if ipaddress.IPv4Network(getattr(self, field)).prefixlen > 29:
                raise ValueError(f"{field}: {getattr(self, field)!r} is too small (at most /29)")
        ranges = {f: ipaddress.IPv4Network(getattr(self, f)) for f in type(self).model_fields}
        fields = list(ranges)
        for i, a in enumerate(fields):
            for b in fields[i + 1 :]:
                if ranges[a].overlaps(ranges[b]):
                    raise ValueError(f"{a} {ranges[a]} overlaps {b} {ranges[b]}")
        return self


class AcceleratorConfig(Section):
    """GPUs on every node of a pool; GKE installs the driver."""

    type: Annotated[str, AfterValidator(gpu_type)]
    """GKE accelerator type, e.g. nvidia-tesla-t4, nvidia-l4, nvidia-tesla-a100."""
    count: Annotated[int, Field(ge=1, le=16)] = 1
    """GPUs per node (fixed by the machine type on A2, A3 and G2)."""
    driver: Literal["LATEST", "DEFAULT"] = "LATEST"
    """Driver version GKE installs: the latest or the default for the node version."""
    partition_size: Annotated[str, matches(re.compile(r"^[1-7]g\.[0-9]+gb$"), "a MIG partition size such as 1g.5gb")] | None = None
    """Multi-instance GPU partition (A100, H100, H200), e.g. 1g.5gb. Default: whole GPUs."""


class NodePoolConfig(Section):
    """An extra autoscaled node pool beside the general one (GPU and/or spot capacity)."""

    name: Annotated[NamePart, Field(max_length=40)]
    machine_type: Annotated[str, matches(MACHINE_TYPE, "a Compute Engine machine type such as n1-standard-8")]
    accelerator: AcceleratorConfig | None = None
    spot: bool = False
    """Spot VMs: tainted so only interruptible tasks land there."""
    min_nodes: Annotated[int, Field(ge=0, le=1000)] = 0
    max_nodes: Annotated[int, Field(ge=1, le=1000)]
    zones: Annotated[list[Zone], Field(min_length=1)] | None = None
    """Zones of the pool's nodes. Default: the cluster's zones."""
    local_ssd_count: Annotated[int, Field(ge=0, le=24)] = 0
    """Local SSDs (375 GB each) backing the nodes' ephemeral storage."""


class TaskResourceLimits(Section):
    """flyteadmin's platform limits; each missing key is derived from the largest pool."""

    cpu: Annotated[str, BeforeValidator(number_as_text), AfterValidator(valid_quantity)] | None = None
    memory: Annotated[str, AfterValidator(valid_quantity)] | None = None
    gpu: Annotated[int, Field(ge=0)] | None = None
    ephemeral_storage: Annotated[str, AfterValidator(valid_quantity)] | None = None


class DomainQuota(Section):
    cpu: Annotated[str, BeforeValidator(number_as_text), AfterValidator(valid_quantity)]
    memory: Annotated[str, AfterValidator(valid_quantity)]


def _authorized_network(value: str) -> str:
    network = ipaddress.IPv4Network(value)
    if network.prefixlen == 0:
        raise ValueError(
            f"{value!r} would open the cluster's IP endpoint to the whole internet; nothing needs that: "
            "Terraform, kubectl and CI reach the API through its DNS endpoint from anywhere, by IAM. "
            "List only the networks that must use the IP endpoint, or none"
        )
    return str(network)


class GkeConfig(Section):
    regional: bool = False
    """False: a zonal cluster in `zone`. True: a regional cluster with nodes in every zone of the region."""
    machine_type: Annotated[str, matches(MACHINE_TYPE, "a Compute Engine machine type such as e2-standard-4")] = "e2-standard-4"
    min_nodes: Annotated[int, Field(ge=0, le=1000)] = 1
    """Fewest nodes in the pool (in total, across zones)."""
    max_nodes: Annotated[int, Field(ge=1, le=1000)] = 3
    """Most nodes in the pool (in total, across zones)."""
    master_authorized_cidrs: Annotated[list[Annotated[str, AfterValidator(_authorized_network)]], Field(max_length=50)] = Field(
        default_factory=list
    )
    """Networks allowed to reach the cluster's IP endpoint. Default: none (Terraform, kubectl and
    CI reach the API through the DNS endpoint, by IAM). GKE takes at most 50."""
    image_streaming: bool = True
    """Image streaming (GCFS) on the extra pools: large images from Artifact Registry start in seconds."""
    node_pools: list[NodePoolConfig] = Field(default_factory=list)
    """Extra pools beside the general one (see README: node pools)."""

    @model_validator(mode="after")
    def _bounds(self) -> "GkeConfig":
        if self.min_nodes > self.max_nodes:
            raise ValueError(f"min_nodes ({self.min_nodes}) is greater than max_nodes ({self.max_nodes})")
        return self


class DatabaseConfig(Section):
    version: Annotated[int, Field(ge=14, le=17)] = 17
    """PostgreSQL major version. 14 reached end of life on 2026-11-12 (Cloud SQL then charges extended support)."""
    tier: Annotated[str, AfterValidator(sql_tier)] = "db-custom-1-3840"
    backup_start_time: Annotated[str, AfterValidator(backup_hour)] = "03:00"
    """UTC hour (HH:00) at which the daily backup starts."""
    availability: Literal["zonal", "regional"] = "zonal"
    """zonal: one instance in `zone`. regional: Cloud SQL high availability (a standby in another
    zone of the region, automatic failover; about twice the instance's price)."""


class RegistryConfig(Section):
    writers: list[Principal] = Field(default_factory=list)
    """Principals (people, CI) allowed to impersonate the registry writer to push images."""


def _internet_cidr(value: str) -> str:
    """A source range the load balancer can see: not private, CGNAT, loopback, link-local, multicast or reserved."""
    what = addresses.non_internet_range(value)
    if what is not None:
        raise ValueError(
            f"{value!r} is {what}: the ingress load balancer sees the public source address of each client "
            "(its NAT's or proxy's), never this one, so it would admit nobody; list the public addresses "
            "your users and CI connect from"
        )
    return value


class IngressConfig(Section):
    acme_server: Literal["production", "staging"] = "production"
    """Let's Encrypt ACME v2 server: production certificates or the staging server for trials."""
    allowed_cidrs: Annotated[list[Annotated[AnyCidr, AfterValidator(_internet_cidr)]], Field(min_length=1)] = Field(
        default_factory=lambda: [WHOLE_INTERNET]
    )
    """Source ranges of the ingress load balancer: who may reach Flyte at all."""

    @property
    def is_public(self) -> bool:
        """True when the ranges admit more than one /8 in total (`facts.addresses`): login is required."""
        return addresses.is_public(self.allowed_cidrs)

    @property
    def admits_every_address(self) -> bool:
        """True when the union of the ranges is 0.0.0.0/0: Let's Encrypt's HTTP-01 can reach the controller."""
        return addresses.admits_every_address(self.allowed_cidrs)


class DnsConfig(Section):
    managed_zone: Annotated[str, matches(DNS_ZONE, "a Cloud DNS managed zone name (lower-case letters, digits, hyphens; starts with a letter; at most 63 chars)")] | None = None
    """Cloud DNS zone that gets the A record for the Flyte host; none: create the record yourself."""
    project: ProjectId | None = None
    """Project of the managed zone. Default: `project_id`."""
    zone_domain: DnsName | None = None
    """The managed zone's DNS name (without the final dot); the Flyte host must lie inside it. Default: `dns_domain`."""


class FlyteConfig(Section):
    namespace: NamePart = "flyte"
    """Kubernetes namespace of the Flyte control plane."""
    task_resource_limits: TaskResourceLimits | None = None
    """Platform task limits. Default: derived from the largest pool (flyte_gcp/config/capacity.py)."""
    domain_quotas: dict[NamePart, DomainQuota] | None = None
    """flyte-core per-domain ResourceQuota. Default: max(chart default, task limits)."""


class BootstrapConfig(Section):
    """The bootstrap stack (`main.py --bootstrap`): who else may act as the deployer account."""

    github_repository: Annotated[str, matches(GITHUB_REPOSITORY, "a GitHub repository as owner/name")] | None = None
    """GitHub Actions of this repository may deploy as the deployer (keyless, by Workload Identity
    Federation). Default: none."""
    github_ref: Annotated[str, matches(GITHUB_REF, "a git ref such as refs/heads/main")] = "refs/heads/main"
    """The only ref whose workflow runs are trusted (the token's `sub` is pinned to it)."""
    impersonators: list[Principal] = Field(default_factory=list)
    """People or groups allowed to impersonate the deployer (Token Creator on it). Default: none."""


class MonitoringConfig(Section):
    observe: bool = True
    """Metrics collection (Managed Service for Prometheus), the dashboard and the alerts. False:
    none of them, and GKE's managed collection is turned off (only the free system metrics stay)."""
    notification_emails: Annotated[list[Email], Field(min_length=1)] | None = None
    """Who the alerts e-mail. Default: `[<email>]`, the contact address."""

    @model_validator(mode="after")
    def _unique_emails(self) -> "MonitoringConfig":
        emails = [e.lower() for e in self.notification_emails or []]
        if len(set(emails)) != len(emails):
            raise ValueError("notification_emails: contains duplicates (each address gets one notification channel)")
        return self
