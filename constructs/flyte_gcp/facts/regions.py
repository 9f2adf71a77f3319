"""Compute Engine regions, their zones, and the machine families the stack checks per zone.

Source: SkyPilot's generated Compute Engine catalog, `catalogs/v7/gcp/vms.csv` in
github.com/skypilot-org/skypilot-catalog (commit 017e2502fb63c7a28757acd94002b2d6099d3e3d),
which its fetcher builds from the Compute Engine API (machine types per zone). Read
2026-12-02. Regions and zones: the zones listing `e2-standard-2` (E2 runs in every zone of
every public region); `us-central2` (TPU only, restricted) is left out. N1: the zones
listing `n1-standard-1`. Cross-checked against Google's "Regions and zones" page
(cloud.google.com/compute/docs/regions-zones: us-central1 a/b/c/f, europe-west1 b/c/d).

A region opened after that date is refused until a row is added here; the error says so.
"""

from __future__ import annotations

READ_ON = "2026-12-02"
"""When the tables here and in `gpu_zones` were read from their source."""

_ABC = ("a", "b", "c")

# Region -> zone suffixes (the zone is `<region>-<suffix>`).
_ZONE_SUFFIXES: dict[str, tuple[str, ...]] = {
    **{
        region: _ABC
        for region in (
            "africa-south1",
            "asia-east1",
            "asia-east2",
            "asia-northeast1",
            "asia-northeast2",
            "asia-northeast3",
            "asia-south1",
            "asia-south2",
            "asia-southeast1",
            "asia-southeast2",
            "australia-southeast1",
            "australia-southeast2",
            "europe-central2",
            "europe-north1",
            "europe-north2",
            "europe-southwest1",
            "europe-west2",
            "europe-west3",
            "europe-west4",
            "europe-west6",
            "europe-west8",
            "europe-west9",
            "europe-west10",
            "europe-west12",
            "me-central1",
            "me-central2",
            "me-west1",
            "northamerica-northeast1",
            "northamerica-northeast2",
            "northamerica-south1",
            "southamerica-east1",
            "southamerica-west1",
            "us-east4",
            "us-east5",
            "us-south1",
            "us-west1",
            "us-west2",
            "us-west3",
            "us-west4",
        )
    },
    "europe-west1": ("b", "c", "d"),
    "us-central1": ("a", "b", "c", "f"),
    "us-east1": ("b", "c", "d"),
}

REGIONS: dict[str, tuple[str, ...]] = {
    region: tuple(f"{region}-{s}" for s in suffixes) for region, suffixes in sorted(_ZONE_SUFFIXES.items())
}
"""Region -> its zones."""

ZONES: frozenset[str] = frozenset(z for zones in REGIONS.values() for z in zones)

# Zones without N1 machines (the rest of every region has them): newer regions never got N1.
_NO_N1_REGIONS = (
    "africa-south1",
    "europe-north2",
    "europe-southwest1",
    "europe-west8",
    "europe-west9",
    "europe-west10",
    "europe-west12",
    "me-central1",
    "me-central2",
    "northamerica-south1",
    "southamerica-west1",
    "us-east5",
    "us-south1",
)
_NO_N1_ZONES = frozenset({"me-west1-a"})

MACHINE_FAMILY_ZONES: dict[str, frozenset[str]] = {
    "e2": ZONES,
    "n1": frozenset(z for r, zones in REGIONS.items() if r not in _NO_N1_REGIONS for z in zones) - _NO_N1_ZONES,
}
"""Machine family (the machine type's first part) -> the zones that offer it. Families
absent here are not checked per zone (their GPU families are, in `gpu_zones`)."""


def region_of(zone: str) -> str:
    """`europe-west4-a` -> `europe-west4` (the text before the last hyphen)."""
    return zone.rsplit("-", 1)[0]


def family_of(machine_type: str) -> str:
    """`n1-standard-8` -> `n1`."""
    return machine_type.split("-", 1)[0]
