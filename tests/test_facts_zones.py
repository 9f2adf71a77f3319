"""The regions, zones and GPU-zone tables, pinned row by row from their source (issue 18).

Every expectation below was written by hand from SkyPilot's generated catalog
(skypilot-org/skypilot-catalog `catalogs/v7/gcp/vms.csv`, read 2026-12-02: the `e2-standard-2`,
`n1-standard-1`, `g2-standard-8`, `a2-ultragpu-1g`, `a3-ultragpu-8g` rows and the one-GPU
`T4` rows), never read from the tables under test. Google's "Regions and zones" page agrees
on us-central1 (a, b, c, f) and europe-west1 (b, c, d).
"""

from __future__ import annotations

import pytest

from flyte_gcp.facts import accelerators
from flyte_gcp.facts.gpu_zones import GPU_ZONES
from flyte_gcp.facts.regions import MACHINE_FAMILY_ZONES, REGIONS, ZONES


@pytest.mark.parametrize(
    "region, zones",
    [
        ("us-central1", ("us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f")),
        ("us-east1", ("us-east1-b", "us-east1-c", "us-east1-d")),
        ("europe-west1", ("europe-west1-b", "europe-west1-c", "europe-west1-d")),
        ("europe-west4", ("europe-west4-a", "europe-west4-b", "europe-west4-c")),
        ("northamerica-south1", ("northamerica-south1-a", "northamerica-south1-b", "northamerica-south1-c")),
        ("europe-north2", ("europe-north2-a", "europe-north2-b", "europe-north2-c")),
    ],
)
def test_region_rows(region, zones):
    assert REGIONS[region] == zones


def test_the_region_list():
    assert len(REGIONS) == 42
    assert "us-central2" not in REGIONS  # TPU only, restricted: not a region for this stack
    assert "europe-west4-d" not in ZONES and "eu-west4" not in REGIONS


@pytest.mark.parametrize(
    "gpu, zone, offered",
    [
        ("nvidia-tesla-t4", "us-central1-a", True),
        ("nvidia-tesla-t4", "us-east1-b", False),  # T4 rows of us-east1: c and d only
        ("nvidia-tesla-t4", "us-east1-d", True),
        ("nvidia-tesla-t4", "europe-west3-a", False),  # europe-west3: b only
        ("nvidia-tesla-t4", "me-central2-a", False),
        ("nvidia-l4", "me-central2-a", True),
        ("nvidia-l4", "me-central2-b", False),
        ("nvidia-l4", "northamerica-northeast1-b", True),
        ("nvidia-l4", "europe-west1-d", False),
        ("nvidia-a100-80gb", "us-east5-b", True),
        ("nvidia-a100-80gb", "us-central1-b", False),
        ("nvidia-h200-141gb", "us-central1-b", True),
        ("nvidia-h200-141gb", "us-central1-a", False),
    ],
)
def test_gpu_rows(gpu, zone, offered):
    assert (zone in GPU_ZONES[gpu]) is offered


@pytest.mark.parametrize(
    "zone, offered",
    [("us-central1-f", True), ("europe-west9-a", False), ("me-west1-a", False), ("me-west1-b", True), ("us-south1-a", False)],
)
def test_n1_rows(zone, offered):
    assert (zone in MACHINE_FAMILY_ZONES["n1"]) is offered


def test_the_tables_agree_with_each_other():
    assert set(GPU_ZONES) == set(accelerators.GPUS)  # every GPU the config accepts has its zones
    for gpu, zones in GPU_ZONES.items():
        assert zones <= ZONES, (gpu, sorted(zones - ZONES))
    for family, zones in MACHINE_FAMILY_ZONES.items():
        assert zones <= ZONES, family
    assert all(zone.startswith(region + "-") for region, zones in REGIONS.items() for zone in zones)
