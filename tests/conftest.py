"""One pytest process; every variant is synthesized once per session (see field notes).

Variants are test fixtures, not user-facing environments. Together they cover every
dimension both ways: chart (flyte-core / flyte-binary), separate raw bucket (on / off),
cluster (zonal / regional), backend (local / gcs / cloud), scale (100 projects), the edge
(no DNS zone / a zone with public ranges / a zone with restricted ranges and DNS-01), and
auth (keycloak, the default, on both charts / oidc / none behind restricted source ranges).

`--equivalence DIR` compares every variant with the same variant synthesized by the other
toolchain into DIR (`make equivalence`; tests/test_equivalence.py). Without it those
comparisons are not part of the run (deselected, and the header says so); with it, a
missing input fails them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "constructs"), str(ROOT), str(Path(__file__).parent)]

from flyte_gcp.cdk.node import use_pinned_node  # noqa: E402

use_pinned_node()

from support import BOOTSTRAP_VARIANTS, VARIANTS, synth_bootstrap_variant, synth_variant  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--equivalence",
        metavar="DIR",
        type=Path,
        default=None,
        help="compare each variant with the other toolchain's synth in DIR (scripts/synth_variants.py; make equivalence)",
    )


def pytest_report_header(config):
    other = config.getoption("equivalence")
    compared = f"against {other}" if other else "not in this run (make equivalence)"
    return [
        f"variants: {', '.join(VARIANTS)}",
        f"bootstrap variants: {', '.join(BOOTSTRAP_VARIANTS)}",
        f"equivalence with the other toolchain: {compared}",
    ]


def pytest_collection_modifyitems(config, items):
    if config.getoption("equivalence"):
        return
    deselected = [item for item in items if item.get_closest_marker("equivalence")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("equivalence")]


class Synthesized(Mapping):
    """Every variant's synthesized Terraform JSON (metadata-free), each built once, when first read.

    Lazy so that a run of a few targeted tests (`make mutation`) synthesizes only the variants
    they read; iterating reads them all.
    """

    def __init__(self) -> None:
        self._docs: dict[str, dict] = {}

    def __getitem__(self, name: str) -> dict:
        if name not in VARIANTS:
            raise KeyError(name)
        if name not in self._docs:
            self._docs[name] = synth_variant(name)
        return self._docs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(VARIANTS)

    def __len__(self) -> int:
        return len(VARIANTS)


@pytest.fixture(scope="session")
def synthesized() -> Synthesized:
    return Synthesized()


@pytest.fixture(scope="session")
def variant_dirs(synthesized, tmp_path_factory) -> dict[str, Path]:
    """Each variant written as `<dir>/cdk.tf.json`, for the file-based checkers."""
    base = tmp_path_factory.mktemp("variants")
    dirs = {}
    for name, doc in synthesized.items():
        d = base / name
        d.mkdir()
        (d / "cdk.tf.json").write_text(json.dumps(doc, indent=2))
        dirs[name] = d
    return dirs


@pytest.fixture(params=list(VARIANTS))
def variant(request, synthesized) -> tuple[str, dict]:
    return request.param, synthesized[request.param]


@pytest.fixture(scope="session")
def bootstrap_synthesized() -> dict[str, dict]:
    """Every bootstrap variant's synthesized Terraform JSON, built once."""
    return {name: synth_bootstrap_variant(name) for name in BOOTSTRAP_VARIANTS}


@pytest.fixture(params=list(BOOTSTRAP_VARIANTS))
def bootstrap_variant(request, bootstrap_synthesized) -> tuple[str, dict]:
    return request.param, bootstrap_synthesized[request.param]
