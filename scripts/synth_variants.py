#!/usr/bin/env python
"""Synthesize every test variant (tests/support.py VARIANTS and BOOTSTRAP_VARIANTS) with this environment's toolchain.

    .venv-cdktn/bin/python scripts/synth_variants.py OUTDIR     # what `make equivalence` runs

Writes OUTDIR/<variant>.json (the metadata-free JSON the test suite's `synthesized` fixture
holds) and OUTDIR/manifest.json naming the toolchain and the variants, all in one process.
`tests/test_equivalence.py --equivalence OUTDIR`, run with the other toolchain, compares them.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "constructs"), str(ROOT), str(ROOT / "tests")]

from support import BOOTSTRAP_VARIANTS, VARIANTS, synth_bootstrap_variant, synth_variant  # noqa: E402

from flyte_gcp.cdk import toolchain  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(argv[0])
    shutil.rmtree(outdir, ignore_errors=True)  # no variant left over from an earlier run
    outdir.mkdir(parents=True)
    for name in VARIANTS:
        (outdir / f"{name}.json").write_text(json.dumps(synth_variant(name), indent=1, sort_keys=True))
    for name in BOOTSTRAP_VARIANTS:
        (outdir / f"{name}.json").write_text(json.dumps(synth_bootstrap_variant(name), indent=1, sort_keys=True))
    manifest = {"toolchain": toolchain.NAME, "variants": list(VARIANTS), "bootstrap_variants": list(BOOTSTRAP_VARIANTS)}
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{toolchain.NAME}: {len(VARIANTS)} variants and {len(BOOTSTRAP_VARIANTS)} bootstrap variants -> {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
