"""The rules that span sections, run once the model holds: every problem is one line, `field: reason`.

Each check is independent and all of them run, so one synth reports every mistake at once.
"""

from __future__ import annotations

from flyte_gcp.config import capacity, names
from flyte_gcp.config.model import Config
from flyte_gcp.config.types import dns_name


def problems(c: Config) -> list[str]:
    """Every reason GCP, Let's Encrypt, Kubernetes or Flyte would refuse this configuration."""
    found = _auth_problems(c) + _placement_problems(c) + _edge_problems(c) + _bootstrap_problems(c)
    return found + names.problems(c) + capacity.problems(c)


def _auth_problems(c: Config) -> list[str]:
    if c.auth.mode == "none" and c.ingress.is_public:
        return [
            "auth.mode: none with ingress.allowed_cidrs open to 0.0.0.0/0 would let anyone on the internet "
            "run containers with the workers' service account (read/write on the buckets); restrict "
            "ingress.allowed_cidrs or use mode keycloak or oidc"
        ]
    return []


def _placement_problems(c: Config) -> list[str]:
    found = []
    if c.zone is not None and not c.zone.startswith(c.region + "-"):
        found.append(f"zone: {c.zone!r} is not in region {c.region!r}")
    for field in ("flyte_projects", "flyte_domains"):
        values = getattr(c, field)
        if len(set(values)) != len(values):
            found.append(f"{field}: contains duplicates")
    return found


def _edge_problems(c: Config) -> list[str]:
    found = []
    if not c.ingress.is_public and c.dns.managed_zone is None:
        found.append(
            "ingress.allowed_cidrs: restricted source ranges need dns.managed_zone: Let's Encrypt's HTTP-01 "
            "challenge needs port 80 open to the whole internet (it publishes no source addresses); "
            "set dns.managed_zone so the certificate is issued by DNS-01 through Cloud DNS"
        )
    try:
        dns_name(c.flyte_host)
    except ValueError as err:
        found.append(str(err))
    return found


def _bootstrap_problems(c: Config) -> list[str]:
    found = []
    if c.bootstrap.github_repository and c.backend.type == "local":
        found.append(
            "bootstrap.github_repository: CI runs need state they share, and backend type local keeps it in "
            "one checkout; use backend type gcs (the bootstrap creates the bucket) or cloud"
        )
    federated = c.bootstrap.github_repository or c.backend.type == "cloud"
    if federated and names.workload_identity_pool_id(c.name_prefix).startswith("gcp-"):
        found.append(
            f"application: {c.application!r}: the bootstrap's workload identity pool id would start with "
            "'gcp-', which Google reserves; choose another application name"
        )
    return found
