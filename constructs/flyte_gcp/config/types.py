"""Field types of the environment file: GCP's and Kubernetes' rules for each kind of value.

Pure pydantic (no CDKTF): the config loader validates every file before the toolchain loads.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from flyte_gcp.facts import accelerators, regions


_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_PROJECT_NUMBER = re.compile(r"^[1-9][0-9]{5,18}$")
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


def close_to(value: object, choices: Any) -> list[str]:
    """Up to three of `choices` spelled most like `value`, best first: those it begins (`prod` ->
    `production`), then those sharing most of its words (`nvidia-t4` -> `nvidia-tesla-t4`), then
    difflib's similarity."""
    if not isinstance(value, str) or not value:
        return []
    names = [str(c) for c in choices]
    words = [w for w in re.split(r"[-_.]", value) if w]

    def rank(name: str) -> tuple[bool, int, float]:
        shared = sum(w in re.split(r"[-_.]", name) for w in words)
        return (name.startswith(value), shared, difflib.SequenceMatcher(None, value, name).ratio())

    close = set(difflib.get_close_matches(value, names, n=6, cutoff=0.6))
    close |= {n for n in names if len(value) >= 3 and n.startswith(value)}
    return sorted(close, key=rank, reverse=True)[:3]


def did_you_mean(value: object, choices: Any, first: list[str] | None = None) -> str:
    """`; did you mean 'x'?` with up to two more candidates (`first` ahead of difflib's), or ''."""
    close = list(dict.fromkeys([*(first or []), *close_to(value, choices)]))[:3]
    if not close:
        return ""
    others = f" (or {', '.join(repr(c) for c in close[1:])})" if close[1:] else ""
    return f"; did you mean {close[0]!r}?{others}"


# Continent prefixes carried over from AWS or Azure names (`eu-west-4`), and GCP's word for each.
_CONTINENTS = {"eu": "europe", "ap": "asia", "as": "asia", "au": "australia", "sa": "southamerica", "ca": "northamerica", "na": "northamerica", "af": "africa"}
_REGION_LIKE = re.compile(r"^([a-z]+)-([a-z]+)-?([0-9]+)$")


def region(value: str) -> str:
    """A Compute Engine region of `facts.regions` (e.g. us-central1); a close spelling is suggested."""
    if value in regions.REGIONS:
        return value
    like = _REGION_LIKE.match(value.lower())
    translated = f"{_CONTINENTS.get(like[1], like[1])}-{like[2]}{like[3]}" if like else ""
    first = [translated] if translated in regions.REGIONS else []
    return _refuse(value, "a Compute Engine region", did_you_mean(value, regions.REGIONS, first))


def zone(value: str) -> str:
    """A Compute Engine zone of `facts.regions` (e.g. us-central1-b)."""
    if value in regions.ZONES:
        return value
    home = regions.region_of(value)
    if home in regions.REGIONS:
        return _refuse(value, f"a zone of {home}", f"; its zones are {', '.join(regions.REGIONS[home])}")
    return _refuse(value, "a Compute Engine zone", did_you_mean(value, sorted(regions.ZONES)))


def _refuse(value: str, what: str, hint: str) -> str:
    later = f" (one opened after {regions.READ_ON} needs a row in flyte_gcp/facts/regions.py)"
    raise ValueError(f"{value!r} is not {what}{hint or later}")


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
Region = Annotated[str, AfterValidator(region)]
Zone = Annotated[str, AfterValidator(zone)]
DnsName = Annotated[str, AfterValidator(dns_name)]
NamePart = Annotated[str, matches(_NAME_PART, "a name part (lower-case letters, digits and hyphens; starts with a letter, does not end with a hyphen)")]
Email = Annotated[str, matches(_EMAIL, "an e-mail address")]
Principal = Annotated[str, matches(_PRINCIPAL, "an IAM principal such as user:alice@example.com or group:ci@example.com")]
Cidr = Annotated[str, AfterValidator(_cidr)]
AnyCidr = Annotated[str, AfterValidator(lambda v: str(ipaddress.IPv4Network(v)))]


def gpu_type(value: str) -> str:
    if value not in accelerators.GPUS:
        hint = did_you_mean(value, accelerators.GPUS) or f" ({', '.join(accelerators.GPUS)})"
        raise ValueError(f"{value!r} is not a GKE GPU type this kit knows{hint}")
    return value


def whole_hour(text: str) -> str | None:
    """`8:00`, `8:30`, `8`, `08:00` -> `08:00` (Cloud SQL starts backups on the hour); None for no hour of the day."""
    hour = re.match(r"^([0-9]{1,2})(:[0-5][0-9])?$", text)
    return f"{int(hour.group(1)):02d}:00" if hour and int(hour.group(1)) < 24 else None


def backup_hour(value: str) -> str:
    """A whole UTC hour written `HH:00`; a near miss gets the value to write."""
    fixed = whole_hour(value)
    if fixed == value:
        return value
    fix = f"write '{fixed}'" if fixed else "write for example '03:00'"
    raise ValueError(f"{value!r} is not a whole UTC hour written HH:00 (two digits, minutes 00); {fix}")


def valid_quantity(value: str) -> str:
    quantity(value)
    return value


class Section(BaseModel):
    """Strict base: unknown keys are errors, values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
