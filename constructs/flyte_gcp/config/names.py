"""Every resource name derived from the config, and GCP's / Kubernetes' rules for it.

Names are a public contract: changing how one is built renames (so recreates) the
resource. The functions here are pure and import nothing heavy, so the config loader
can check every derived name before the toolchain loads.
"""

from __future__ import annotations

import hashlib
import re

from flyte_gcp.config.model import Config

# Custom role ids ([a-zA-Z0-9_.]{3,64}) need no check of their own: the prefix is at most
# GKE_CLUSTER_MAX characters, so `<prefix>_<component>` always fits.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$")
DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")

GENERAL_NODE_POOL = "flyte-nodes"  # the general pool's name (part of its identity: never change)
GKE_CLUSTER_MAX = 40
RESOURCE_NAME_MAX = 63
SQL_INSTANCE_SUFFIX_CHARS = 8  # random_id of 4 bytes, hex
SQL_INSTANCE_MAX = 98  # "<project_id>:<instance>" must fit in 98 characters
WORKLOAD_IDENTITY_POOL_MAX = 32  # and no "gcp-" prefix (provider 6.50.0, ValidateWorkloadIdentityPoolId)


def service_account_id(prefix: str, suffix: str) -> str:
    """`<prefix>-<suffix>`, shortened deterministically when longer than GCP's 30 characters.

    A shortened id keeps the start of the prefix and adds four hex digits of the whole
    prefix's SHA-256, so two long prefixes that share a start still get distinct ids.
    """
    return _shortened(prefix, suffix, 30)


def workload_identity_pool_id(prefix: str) -> str:
    """The bootstrap's pool of trusted deploy runners, `<prefix>-deploy` (4-32 characters,
    shortened like service account ids). A deleted pool's id stays taken for 30 days."""
    return _shortened(prefix, "deploy", WORKLOAD_IDENTITY_POOL_MAX)


def _shortened(prefix: str, suffix: str, limit: int) -> str:
    full = f"{prefix}-{suffix}"
    if len(full) <= limit:
        return full
    digest = hashlib.sha256(prefix.encode()).hexdigest()[:4]
    keep = limit - len(suffix) - len(digest) - 2
    if keep < 1:
        raise ValueError(f"service account suffix {suffix!r} is too long")
    head = prefix[:keep].rstrip("-")
    return f"{head}-{digest}-{suffix}"


def node_network_tag(prefix: str) -> str:
    """The network tag on every node of the cluster: the target of its firewall rules."""
    return f"{prefix}-gke-node"


def ingress_address(prefix: str) -> str:
    """The reserved external address of the ingress load balancer (at most 48 characters)."""
    return f"{prefix}-ingress"


def custom_role_id(prefix: str, component: str) -> str:
    """Custom role ids allow no hyphens; the prefix keeps them distinct per environment."""
    return f"{prefix}_{component}".replace("-", "_")


def data_bucket(prefix: str, project_number: str) -> str:
    return f"{prefix}-data-{project_number}"


def raw_data_bucket(prefix: str, project_number: str) -> str:
    return f"{prefix}-rawdata-{project_number}"


def _bucket_problem(name: str) -> str | None:
    if not BUCKET_NAME.match(name):
        return "must be 3-63 characters of lower-case letters, digits, hyphens and underscores"
    if name.startswith("goog") or "google" in name:
        return "must not start with 'goog' or contain 'google'"
    return None


def problems(config: Config) -> list[str]:
    """Every derived name that GCP or Kubernetes would reject, each as `field: reason`."""
    prefix = config.name_prefix
    problems: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    need(
        len(prefix) <= GKE_CLUSTER_MAX,
        f"application + environment: the cluster name {prefix!r} is longer than {GKE_CLUSTER_MAX} characters",
    )
    longest_network_name = f"{prefix}-service-networking"
    need(
        len(longest_network_name) <= RESOURCE_NAME_MAX,
        f"application + environment: {longest_network_name!r} is longer than {RESOURCE_NAME_MAX} characters",
    )
    instance = f"{prefix}-db-" + "x" * SQL_INSTANCE_SUFFIX_CHARS
    need(
        len(f"{config.project_id}:{instance}") <= SQL_INSTANCE_MAX,
        f"application + environment: the Cloud SQL instance name {instance!r} is too long for project {config.project_id!r}",
    )
    buckets = [data_bucket(prefix, config.project_number)]
    if config.separate_raw_data_bucket:
        buckets.append(raw_data_bucket(prefix, config.project_number))
    for bucket in buckets:
        problem = _bucket_problem(bucket)
        need(problem is None, f"application + environment: bucket name {bucket!r} {problem}")
    need(
        bool(DNS_LABEL.match(config.flyte.namespace)),
        f"flyte.namespace: {config.flyte.namespace!r} is not a DNS-1123 label (at most 63 characters)",
    )
    for namespace in config.project_namespaces:
        need(
            bool(DNS_LABEL.match(namespace)),
            f"flyte_projects x flyte_domains: namespace {namespace!r} is not a DNS-1123 label (at most 63 characters)",
        )
    return problems
