"""The zones that offer each GKE GPU type (the types in `accelerators.GPUS`).

Source: SkyPilot's generated Compute Engine catalog, `catalogs/v7/gcp/vms.csv` in
github.com/skypilot-org/skypilot-catalog (commit 017e2502fb63c7a28757acd94002b2d6099d3e3d),
built by its fetcher from the Compute Engine API. Read 2026-12-02. N1-attached GPUs (T4,
V100, P4, P100): the zones of the catalog's one-GPU rows of that accelerator. GPUs that come
with their machine type: the zones offering the machine type the pool uses (L4:
`g2-standard-8`; A100 40GB: `a2-highgpu-1g`; A100 80GB: `a2-ultragpu-1g`; H100 80GB:
`a3-highgpu-8g`; H100 Mega: `a3-megagpu-8g`; H200: `a3-ultragpu-8g`). The L4 rows agree
with a `gcloud compute accelerator-types list --filter=name=nvidia-l4` listing committed in
a public repository of 2026 (one zone apart: northamerica-northeast1-c), Google's "GPU
regions and zones" page being the reference (`gcloud compute accelerator-types list`
answers for a project).

Availability changes: a zone added by Google after that date is refused until a row is
added here, and the error says so.
"""

from __future__ import annotations


def _zones(*regions_and_suffixes: str) -> frozenset[str]:
    """`_zones("us-central1 abcf", "us-east1 cd")` -> the zones us-central1-a ... us-east1-d."""
    out = set()
    for item in regions_and_suffixes:
        region, suffixes = item.split()
        out.update(f"{region}-{s}" for s in suffixes)
    return frozenset(out)


GPU_ZONES: dict[str, frozenset[str]] = {
    "nvidia-tesla-t4": _zones(
        "asia-east1 ac", "asia-east2 ac", "asia-northeast1 ac", "asia-northeast3 bc", "asia-south1 ab",
        "asia-southeast1 abc", "asia-southeast2 ab", "australia-southeast1 ac", "europe-central2 bc",
        "europe-west1 bcd", "europe-west2 ab", "europe-west3 b", "europe-west4 abc", "me-west1 bc",
        "northamerica-northeast1 c", "southamerica-east1 ac", "us-central1 abcf", "us-east1 cd",
        "us-east4 abc", "us-west1 ab", "us-west2 bc", "us-west3 b", "us-west4 ab",
    ),
    "nvidia-tesla-v100": _zones("asia-east1 c", "europe-west4 abc", "us-central1 abcf", "us-east1 c", "us-west1 ab"),
    "nvidia-tesla-p4": _zones(
        "asia-southeast1 bc", "australia-southeast1 ab", "europe-west4 bc", "northamerica-northeast1 abc",
        "us-central1 ac", "us-east4 abc", "us-west2 bc",
    ),
    "nvidia-tesla-p100": _zones(
        "asia-east1 ac", "australia-southeast1 b", "europe-west1 bd", "europe-west4 a", "us-central1 cf",
        "us-east1 bc", "us-west1 ab",
    ),
    "nvidia-l4": _zones(
        "asia-east1 abc", "asia-northeast1 abc", "asia-northeast3 ab", "asia-south1 abc", "asia-southeast1 abc",
        "europe-west1 bc", "europe-west2 ab", "europe-west3 ab", "europe-west4 abc", "europe-west6 bc",
        "me-central2 ac", "northamerica-northeast1 b", "northamerica-northeast2 ab", "us-central1 abc",
        "us-east1 bcd", "us-east4 ac", "us-west1 abc", "us-west4 ac",
    ),
    "nvidia-tesla-a100": _zones(
        "asia-northeast1 ac", "asia-northeast3 ab", "asia-southeast1 bc", "europe-west4 ab", "me-west1 ac",
        "us-central1 abcf", "us-east1 b", "us-west1 b", "us-west3 b", "us-west4 b",
    ),
    "nvidia-a100-80gb": _zones("asia-southeast1 c", "europe-west4 a", "us-central1 ac", "us-east4 c", "us-east5 ab"),
    "nvidia-h100-80gb": _zones(
        "asia-east1 c", "asia-northeast1 b", "asia-south1 c", "asia-southeast1 bc", "australia-southeast1 c",
        "europe-north1 c", "europe-west1 bc", "europe-west3 c", "europe-west4 bc", "us-central1 abc",
        "us-east4 abc", "us-east5 a", "us-west1 ab", "us-west4 a",
    ),
    "nvidia-h100-mega-80gb": _zones(
        "asia-east1 c", "asia-northeast1 b", "asia-southeast1 bc", "australia-southeast1 c", "europe-north1 c",
        "europe-west1 bc", "europe-west3 c", "europe-west4 bc", "us-central1 abc", "us-east4 abc", "us-east5 a",
        "us-west1 ab", "us-west4 a",
    ),
    "nvidia-h200-141gb": _zones(
        "asia-south1 b", "asia-south2 c", "europe-west1 b", "europe-west4 a", "us-central1 b", "us-east4 b",
        "us-east5 a", "us-south1 b", "us-west1 c",
    ),
}
"""GKE accelerator type -> the zones that offer it."""
