"""The rules that span sections, run once the model holds: every problem is one line, `field: reason`.

Each check is independent and all of them run, so one synth reports every mistake at once.
"""

from __future__ import annotations

from flyte_gcp.config import capacity, names, placement
from flyte_gcp.config.model import Config
from flyte_gcp.config.types import dns_name
from flyte_gcp.facts import addresses


def problems(c: Config) -> list[str]:
    """Every reason GCP, Let's Encrypt, Kubernetes or Flyte would refuse this configuration."""
    found = _auth_problems(c) + placement.problems(c) + _duplicate_problems(c) + _edge_problems(c)
    return found + _bootstrap_problems(c) + names.problems(c) + capacity.problems(c)


def _auth_problems(c: Config) -> list[str]:
    if c.auth.mode == "none" and c.ingress.is_public:
        ranges = ", ".join(c.ingress.allowed_cidrs)
        if c.ingress.admits_every_address:
            reach = "the whole internet (their union is 0.0.0.0/0)"
        else:
            count = addresses.admitted_addresses(c.ingress.allowed_cidrs)
            reach = f"{count:,} addresses (public: more than one /8, {addresses.PUBLIC_ADDRESS_COUNT:,}, in total)"
        return [
            f"auth.mode: none with ingress.allowed_cidrs [{ranges}] open to {reach} would let anyone on the internet "
            "run containers with the workers' service account (read/write on the buckets); restrict "
            "ingress.allowed_cidrs or use mode keycloak or oidc"
        ]
    return []


def _duplicate_problems(c: Config) -> list[str]:
    found = []
    for field in ("flyte_projects", "flyte_domains"):
        values = getattr(c, field)
        if len(set(values)) != len(values):
            found.append(f"{field}: contains duplicates")
    return found


def _edge_problems(c: Config) -> list[str]:
    found = []
    if not c.ingress.admits_every_address and c.dns.managed_zone is None:
        found.append(
            "ingress.allowed_cidrs: restricted source ranges need dns.managed_zone: Let's Encrypt's HTTP-01 "
            "challenge needs port 80 open to the whole internet (it publishes no source addresses); "
            "set dns.managed_zone so the certificate is issued by DNS-01 through Cloud DNS"
        )
    try:
        dns_name(c.flyte_host)
    except ValueError as err:
        found.append(str(err))
    return found + _zone_domain_problems(c)


def _zone_domain_problems(c: Config) -> list[str]:
    """The Cloud DNS zone must hold the host: its A record goes there, and the apply checks the
    zone's DNS name against `dns.zone_domain` (gcp/dns.py) before anything slow is created."""
    if c.dns.managed_zone is None:
        if c.dns.zone_domain is not None:
            return ["dns.zone_domain: only used with dns.managed_zone (the DNS name of that zone); remove it, or set dns.managed_zone"]
        return []
    domain = c.dns.zone_domain or c.dns_domain
    host = c.flyte_host
    if host == domain or host.endswith("." + domain):
        return []
    labels = host.split(".")
    parents = [".".join(labels[i:]) for i in range(1, len(labels) - 1)]
    source = "dns.zone_domain" if c.dns.zone_domain else "dns.zone_domain, which defaults to dns_domain"
    return [
        f"hostname: {host!r} is not inside {domain!r}, the DNS name of Cloud DNS zone {c.dns.managed_zone!r} ({source}): "
        f"set dns.zone_domain: {parents[-1]} (the zone's DNS name: {' or '.join(parents)}), "
        f"or hostname: {labels[0]}.{domain}"
    ]


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
