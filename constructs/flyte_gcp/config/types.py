"""Field types of the environment file: GCP's and Kubernetes' rules for each kind of value.

Pure pydantic (no CDKTF): the config loader validates every file before the toolchain loads.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from flyte_gcp.facts import accelerators


_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_PROJECT_NUMBER = re.compile(r"^[1-9][0-9]{5,18}$")
_REGION = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")
_ZONE = re.compile(r"^[a-z]+-[a-z]+[0-9]+-[a-z]$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_NAME_PART = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PRINCIPAL = re.compile(r"^(user|group|serviceAccount|domain):\S+$")
MACHINE_TYPE = re.compile(r"^[a-z0-9]+-[a-z0-9-]+$")
_SQL_TIER = re.compile(r"^db-custom-(?P<cpus>[0-9]+)-(?P<memory>[0-9]+)$")
DNS_ZONE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
GITHUB_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
GITHUB_REF = re.compile(r"^refs/(heads|tags)/[A-Za-z0-9._/-]+$")
WHOLE_INTERNET = "0.0.0.0/0"


_UNITS = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "m": 1e-3}
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$")


def quantity(value: str | int | float) -> float:
    """A Kubernetes quantity ("3400m", "100Gi", "30", 2) in base units (cores, bytes, GPUs)."""
    match = _QUANTITY.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a Kubernetes quantity such as 4, 3500m, 16Gi")
    return float(match.group(1)) * _UNITS[match.group(2) or ""]


def matches(pattern: re.Pattern[str], what: str):
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


def dns_name(value: str) -> str:
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


def sql_tier(value: str) -> str:
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


def number_as_text(value: Any) -> Any:
    """YAML reads 123456789012 as an int; a project number is an identifier."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ProjectId = Annotated[str, matches(_PROJECT_ID, "a GCP project id (6-30 chars: lower-case letters, digits, hyphens; starts with a letter)")]
ProjectNumber = Annotated[str, BeforeValidator(number_as_text), matches(_PROJECT_NUMBER, "a GCP project number (digits only)")]
Region = Annotated[str, matches(_REGION, "a GCP region such as us-central1")]
Zone = Annotated[str, matches(_ZONE, "a GCP zone such as us-central1-b")]
DnsName = Annotated[str, AfterValidator(dns_name)]
NamePart = Annotated[str, matches(_NAME_PART, "a name part (lower-case letters, digits and hyphens; starts with a letter, does not end with a hyphen)")]
Email = Annotated[str, matches(_EMAIL, "an e-mail address")]
Principal = Annotated[str, matches(_PRINCIPAL, "an IAM principal such as user:alice@example.com or group:ci@example.com")]
Cidr = Annotated[str, AfterValidator(_cidr)]
AnyCidr = Annotated[str, AfterValidator(lambda v: str(ipaddress.IPv4Network(v)))]


def gpu_type(value: str) -> str:
    if value not in accelerators.GPUS:
        raise ValueError(f"{value!r} is not a GKE GPU type this kit knows ({', '.join(accelerators.GPUS)})")
    return value


def valid_quantity(value: str) -> str:
    quantity(value)
    return value


class Section(BaseModel):
    """Strict base: unknown keys are errors, values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
