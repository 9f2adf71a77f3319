"""The rules that span sections, run once the model holds: every problem is one line, `field: reason`.

Each check is independent and all of them run, so one synth reports every mistake at once.
"""

from __future__ import annotations

from flyte_gcp.config import capacity, names
from flyte_gcp.config.model import Config
from flyte_gcp.config.types import dns_name
from flyte_gcp.facts import addresses


def problems(c: Config) -> list[str]:
    """Every reason GCP, Let's Encrypt, Kubernetes or Flyte would refuse this configuration."""
    found = _auth_problems(c) + _placement_problems(c) + _edge_problems(c)
    return found + names.problems(c) + capacity.problems(c)


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
    return found
