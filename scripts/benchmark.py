#!/usr/bin/env python
"""Synth benchmark: the cost that matters is loading the provider packages.

In one run, each in a fresh process:
  1. the ordinary import of the five provider packages (what a plain CDKTF app pays);
  2. a full `python main.py` of the example environment (fast loading, build, synth);
  3. a full synth of the 100-project variant (scale: should stay within 1.2x of 2).
Prints each (best of N) and the ratios. Target: full synth <= 0.35 x the ordinary import.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ORDINARY_IMPORT = f"""
import sys; sys.path[:0] = [{str(ROOT / 'constructs')!r}]
from flyte_gcp.cdk.node import use_pinned_node; use_pinned_node()
import cdktf_cdktf_provider_google, cdktf_cdktf_provider_kubernetes, cdktf_cdktf_provider_helm
import cdktf_cdktf_provider_random, cdktf_cdktf_provider_http
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def best(command: list[str], env: dict[str, str], runs: int) -> float:
    return min(timed(command, env) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2, help="runs per measurement; the best counts (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scale = yaml.safe_load((ROOT / "examples" / "example.yaml").read_text())
        scale["flyte_projects"] = [f"project{i:03d}" for i in range(100)]
        scale_file = Path(tmp) / "scale.yaml"
        scale_file.write_text(yaml.safe_dump(scale))
        base = {**os.environ, "CDKTF_OUTDIR": str(Path(tmp) / "out")}
        ordinary = best([PYTHON, "-c", ORDINARY_IMPORT], base, args.runs)
        example = best([PYTHON, "main.py"], {**base, "FLYTE_GCP_CONFIG": str(ROOT / "examples" / "example.yaml")}, args.runs)
        hundred = best([PYTHON, "main.py"], {**base, "FLYTE_GCP_CONFIG": str(scale_file)}, args.runs)
    ratio = example / ordinary
    print(f"ordinary import of the provider packages : {ordinary:6.2f} s")
    print(f"full synth of the example (main.py)      : {example:6.2f} s")
    print(f"full synth, 100 projects x 3 domains     : {hundred:6.2f} s")
    print(f"ratio full synth / ordinary import       : {ratio:6.2f}  (target <= 0.35)")
    print(f"ratio 100 projects / example             : {hundred / example:6.2f}  (target <= 1.2)")
    return 0 if ratio <= 0.35 and hundred / example <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
