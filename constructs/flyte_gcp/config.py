"""The environment file schema: one YAML file in, one validated ``Config`` out.

This module must never import CDKTF or a provider package: validating every file
before the toolchain loads is what makes a config mistake cost a second, not thirty.
Every rule GCP or Kubernetes would enforce at apply time on a name we derive is
enforced here, at synth time.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from flyte_gcp import accelerators, capacity, names, yaml_hints

# --- reusable field types -------------------------------------------------

_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_PROJECT_NUMBER = re.compile(r"^[1-9][0-9]{5,18}$")
_REGION = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")
_ZONE = re.compile(r"^[a-z]+-[a-z]+[0-9]+-[a-z]$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_NAME_PART = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PRINCIPAL = re.compile(r"^(user|group|serviceAccount|domain):\S+$")
_MACHINE_TYPE = re.compile(r"^[a-z0-9]+-[a-z0-9-]+$")
_SQL_TIER = re.compile(r"^db-custom-(?P<cpus>[0-9]+)-(?P<memory>[0-9]+)$")
_DNS_ZONE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
WHOLE_INTERNET = "0.0.0.0/0"


def _matches(pattern: re.Pattern[str], what: str):
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


def _dns_name(value: str) -> str:
    """A fully qualified DNS name: dot-separated RFC 1123 labels, at most 253 chars."""
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_DNS_LABEL.match(x) for x in labels):
        raise ValueError(f"{value!r} is not a valid DNS name (lower-case labels separated by dots)")
    if labels[-1].isdigit():
        raise ValueError(f"{value!r} is not a valid DNS name (the top-level label is numeric)")
    return value


def _cidr(value: str) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as err:
        raise ValueError(f"{value!r} is not a valid IPv4 CIDR range ({err})") from None
    if not net.is_private:
        raise ValueError(f"{value!r} is not a private (RFC 1918) range")
    return value


def _sql_tier(value: str) -> str:
    """A Cloud SQL Enterprise custom tier `db-custom-<vCPUs>-<MB>`, with Cloud SQL's shape rules."""
    match = _SQL_TIER.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a custom tier such as db-custom-1-3840 (the edition is ENTERPRISE)")
    cpus, memory = int(match["cpus"]), int(match["memory"])
    if cpus != 1 and (cpus % 2 or cpus > 96):
        raise ValueError(f"{value!r}: vCPUs must be 1 or an even number up to 96")
    if memory % 256 or memory < 3840 or not 921.6 * cpus <= memory <= 6656 * cpus:
        raise ValueError(f"{value!r}: memory must be a multiple of 256 MB, at least 3840 MB, and 0.9-6.5 GB per vCPU")
    return value


def _number_as_text(value: Any) -> Any:
    """YAML reads 123456789012 as an int; a project number is an identifier."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ProjectId = Annotated[str, _matches(_PROJECT_ID, "a GCP project id (6-30 chars: lower-case letters, digits, hyphens; starts with a letter)")]
ProjectNumber = Annotated[str, BeforeValidator(_number_as_text), _matches(_PROJECT_NUMBER, "a GCP project number (digits only)")]
Region = Annotated[str, _matches(_REGION, "a GCP region such as us-central1")]
Zone = Annotated[str, _matches(_ZONE, "a GCP zone such as us-central1-b")]
DnsName = Annotated[str, AfterValidator(_dns_name)]
NamePart = Annotated[str, _matches(_NAME_PART, "a name part (lower-case letters, digits and hyphens; starts with a letter, does not end with a hyphen)")]
Email = Annotated[str, _matches(_EMAIL, "an e-mail address")]
Principal = Annotated[str, _matches(_PRINCIPAL, "an IAM principal such as user:alice@example.com or group:ci@example.com")]
Cidr = Annotated[str, AfterValidator(_cidr)]
AnyCidr = Annotated[str, AfterValidator(lambda v: str(ipaddress.IPv4Network(v)))]


def _gpu_type(value: str) -> str:
    if value not in accelerators.GPUS:
        raise ValueError(f"{value!r} is not a GKE GPU type this kit knows ({', '.join(accelerators.GPUS)})")
    return value


def _quantity(value: str) -> str:
    capacity.quantity(value)
    return value


class _Section(BaseModel):
    """Strict base: unknown keys are errors, values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- sections -------------------------------------------------------------


class LocalBackend(_Section):
    type: Literal["local"] = "local"


class GcsBackend(_Section):
    type: Literal["gcs"]
    bucket: Annotated[str, Field(min_length=3, max_length=63, pattern=r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")]
    prefix: Annotated[str, Field(min_length=1)] = "flyte"


class CloudBackend(_Section):
    type: Literal["cloud"]
    organization: Annotated[str, Field(min_length=1)]
    workspace: Annotated[str, Field(min_length=1, max_length=90, pattern=r"^[A-Za-z0-9_-]+$")]
    hostname: DnsName = "app.terraform.io"


Backend = Annotated[Union[LocalBackend, GcsBackend, CloudBackend], Field(discriminator="type")]


class NetworkConfig(_Section):
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


class AcceleratorConfig(_Section):
    """GPUs on every node of a pool; GKE installs the driver."""

    type: Annotated[str, AfterValidator(_gpu_type)]
    """GKE accelerator type, e.g. nvidia-tesla-t4, nvidia-l4, nvidia-tesla-a100."""
    count: Annotated[int, Field(ge=1, le=16)] = 1
    """GPUs per node (fixed by the machine type on A2, A3 and G2)."""
    driver: Literal["LATEST", "DEFAULT"] = "LATEST"
    """Driver version GKE installs: the latest or the default for the node version."""
    partition_size: Annotated[str, Field(pattern=r"^[1-7]g\.[0-9]+gb$")] | None = None
    """Multi-instance GPU partition (A100, H100, H200), e.g. 1g.5gb. Default: whole GPUs."""


class NodePoolConfig(_Section):
    """An extra autoscaled node pool beside the general one (GPU and/or spot capacity)."""

    name: Annotated[NamePart, Field(max_length=40)]
    machine_type: Annotated[str, _matches(_MACHINE_TYPE, "a Compute Engine machine type such as n1-standard-8")]
    accelerator: AcceleratorConfig | None = None
    spot: bool = False
    """Spot VMs: tainted so only interruptible tasks land there."""
    min_nodes: Annotated[int, Field(ge=0, le=1000)] = 0
    max_nodes: Annotated[int, Field(ge=1, le=1000)]
    zones: Annotated[list[Zone], Field(min_length=1)] | None = None
    """Zones of the pool's nodes. Default: the cluster's zones."""
    local_ssd_count: Annotated[int, Field(ge=0, le=24)] = 0
    """Local SSDs (375 GB each) backing the nodes' ephemeral storage."""


class TaskResourceLimits(_Section):
    """flyteadmin's platform limits; each missing key is derived from the largest pool."""

    cpu: Annotated[str, BeforeValidator(_number_as_text), AfterValidator(_quantity)] | None = None
    memory: Annotated[str, AfterValidator(_quantity)] | None = None
    gpu: Annotated[int, Field(ge=0)] | None = None
    ephemeral_storage: Annotated[str, AfterValidator(_quantity)] | None = None


class DomainQuota(_Section):
    cpu: Annotated[str, BeforeValidator(_number_as_text), AfterValidator(_quantity)]
    memory: Annotated[str, AfterValidator(_quantity)]


class GkeConfig(_Section):
    regional: bool = False
    """False: a zonal cluster in `zone`. True: a regional cluster with nodes in every zone of the region."""
    machine_type: Annotated[str, _matches(_MACHINE_TYPE, "a Compute Engine machine type such as e2-standard-4")] = "e2-standard-4"
    min_nodes: Annotated[int, Field(ge=0, le=1000)] = 1
    """Fewest nodes in the pool (in total, across zones)."""
    max_nodes: Annotated[int, Field(ge=1, le=1000)] = 3
    """Most nodes in the pool (in total, across zones)."""
    master_authorized_cidrs: list[Annotated[str, AfterValidator(lambda v: str(ipaddress.IPv4Network(v)))]] = Field(
        default_factory=lambda: ["0.0.0.0/0"]
    )
    """Networks allowed to reach the cluster's public API endpoint."""
    image_streaming: bool = True
    """Image streaming (GCFS) on the extra pools: large images from Artifact Registry start in seconds."""
    node_pools: list[NodePoolConfig] = Field(default_factory=list)
    """Extra pools beside the general one (see README: node pools)."""

    @model_validator(mode="after")
    def _bounds(self) -> "GkeConfig":
        if self.min_nodes > self.max_nodes:
            raise ValueError(f"min_nodes ({self.min_nodes}) is greater than max_nodes ({self.max_nodes})")
        return self


class DatabaseConfig(_Section):
    version: Annotated[int, Field(ge=14, le=17)] = 17
    """PostgreSQL major version. 14 reached end of life on 2026-11-12 (Cloud SQL then charges extended support)."""
    tier: Annotated[str, AfterValidator(_sql_tier)] = "db-custom-1-3840"
    backup_start_time: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):00$")] = "03:00"
    """UTC hour (HH:00) at which the daily backup starts."""


class RegistryConfig(_Section):
    writers: list[Principal] = Field(default_factory=list)
    """Principals (people, CI) allowed to impersonate the registry writer to push images."""


class IngressConfig(_Section):
    acme_server: Literal["production", "staging"] = "production"
    """Let's Encrypt ACME v2 server: production certificates or the staging server for trials."""
    allowed_cidrs: Annotated[list[AnyCidr], Field(min_length=1)] = Field(default_factory=lambda: [WHOLE_INTERNET])
    """Source ranges of the ingress load balancer: who may reach Flyte at all."""

    @property
    def is_public(self) -> bool:
        """True when the whole internet may reach the endpoint (the ranges include 0.0.0.0/0)."""
        return WHOLE_INTERNET in self.allowed_cidrs


class DnsConfig(_Section):
    managed_zone: Annotated[str, _matches(_DNS_ZONE, "a Cloud DNS managed zone name (lower-case letters, digits, hyphens; starts with a letter; at most 63 chars)")] | None = None
    """Cloud DNS zone that gets the A record for the Flyte host; none: create the record yourself."""
    project: ProjectId | None = None
    """Project of the managed zone. Default: `project_id`."""


_LITERAL_SECRET_KEYS = ("client_secret", "secret", "password")
_SECRET_MANAGER_ID = r"^[A-Za-z0-9_-]{1,255}$"


def _issuer(value: str) -> str:
    parsed = urlsplit(value)
    if parsed.scheme != "https" or not parsed.hostname or parsed.query or parsed.fragment:
        raise ValueError(f"{value!r} is not an https:// issuer URL (the identity provider's OpenID issuer, no query)")
    return value


class OidcConfig(_Section):
    issuer: Annotated[str, AfterValidator(_issuer)]
    """Your identity provider's OpenID issuer URL (https only); Flyte reads its discovery document."""
    client_id: Annotated[str, Field(min_length=1, max_length=255, pattern=r"^\S+$")]
    """The confidential client registered at your identity provider (redirect https://<hostname>/callback)."""
    client_secret_secret: Annotated[str, Field(pattern=_SECRET_MANAGER_ID)]
    """A Secret Manager secret id in `project_id` holding that client's secret (latest version is read)."""

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secret(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in _LITERAL_SECRET_KEYS:
                if key in data:
                    raise ValueError(
                        f"{key}: a literal secret does not belong in the config file; store it in Secret Manager "
                        "in project_id and name that secret in auth.oidc.client_secret_secret"
                    )
        return data


class AuthConfig(_Section):
    mode: Literal["keycloak", "oidc", "none"] = "keycloak"
    """keycloak: Keycloak in the cluster, created by the apply. oidc: your own identity provider. none: no login."""
    users: Annotated[list[Email], Field(min_length=1)] | None = None
    """Keycloak mode: initial accounts (temporary passwords). Default: [email]."""
    oidc: OidcConfig | None = None
    """Required with mode oidc; not allowed otherwise."""

    @model_validator(mode="after")
    def _oidc_iff_mode_oidc(self) -> "AuthConfig":
        if self.mode == "oidc" and self.oidc is None:
            raise ValueError("oidc: required with mode oidc (issuer, client_id, client_secret_secret)")
        if self.mode != "oidc" and self.oidc is not None:
            raise ValueError(f"oidc: only used with mode oidc (mode is {self.mode!r})")
        if self.users is not None and self.mode != "keycloak":
            raise ValueError(f"users: only used with mode keycloak (mode is {self.mode!r}; manage users at your identity provider)")
        if self.users is not None and len(set(self.users)) != len(self.users):
            raise ValueError("users: contains duplicates")
        return self


class FlyteConfig(_Section):
    namespace: NamePart = "flyte"
    """Kubernetes namespace of the Flyte control plane."""
    task_resource_limits: TaskResourceLimits | None = None
    """Platform task limits. Default: derived from the largest pool (flyte_gcp/capacity.py)."""
    domain_quotas: dict[NamePart, DomainQuota] | None = None
    """flyte-core per-domain ResourceQuota. Default: max(chart default, task limits)."""


class Config(_Section):
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
        for check, subject in ((_dns_name, self.flyte_host), (names.check_all, self)):
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
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        sources = yaml_hints.scalars(text)
        lines = []
        for e in err.errors():
            where = _location(e["loc"])
            hint = yaml_hints.hint(where, e["type"], e.get("input"), sources)
            for reason in _describe(e).split("\n"):  # a model check reports one problem per line
                lines.append(f"{path}: {where + ': ' if where else ''}{reason}{f' ({hint})' if hint else ''}")
        raise ConfigError("\n".join(lines)) from None
