#!/usr/bin/env python
"""Synth benchmark: the cost that matters is loading the provider packages.

For each toolchain whose environment is installed (cdktf: .venv, cdktn: .venv-cdktn; README
"Choosing a toolchain"), each measurement in a fresh process:
  1. the ordinary import of the framework and the five provider packages (what a plain app pays);
  2. a full `python main.py` of the example environment (fast loading, build, synth);
  3. a full synth of the 100-project variant (scale: should stay within 1.2x of 2).
Prints each (best of N) and the ratios. Targets: for cdktf, whose provider packages import
every submodule, full synth <= 0.35 x the ordinary import; for both, 100 projects <= 1.2 x the
example. cdktn's packages already import their submodules lazily, so its ordinary import is
not much slower than the fast path and that ratio says little (it is printed, not judged).
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
ENVIRONMENTS = {"cdktf": ROOT / ".venv", "cdktn": ROOT / ".venv-cdktn"}
"""Toolchain -> the environment the Makefile installs it into (make install TOOLCHAIN=...)."""
IMPORT_TARGETS = {"cdktf": 0.35}
ORDINARY_IMPORT = f"""
import sys; sys.path[:0] = [{str(ROOT / 'constructs')!r}]
from flyte_gcp.cdk import toolchain  # with FLYTE_GCP_PROVIDER_IMPORT=ordinary: every package's __init__
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def best(command: list[str], env: dict[str, str], runs: int) -> float:
    return min(timed(command, env) for _ in range(runs))


def measure(name: str, python: Path, scale_file: Path, outdir: Path, runs: int) -> bool:
    """Print one toolchain's times; True when they meet the targets."""
    base = {**os.environ, "CDKTF_OUTDIR": str(outdir), "FLYTE_GCP_TOOLCHAIN": name}
    base.pop("FLYTE_GCP_PROVIDER_IMPORT", None)
    ordinary = best([str(python), "-c", ORDINARY_IMPORT], {**base, "FLYTE_GCP_PROVIDER_IMPORT": "ordinary"}, runs)
    example = best([str(python), "main.py"], {**base, "FLYTE_GCP_CONFIG": str(ROOT / "examples" / "example.yaml")}, runs)
    hundred = best([str(python), "main.py"], {**base, "FLYTE_GCP_CONFIG": str(scale_file)}, runs)
    ratio, scale = example / ordinary, hundred / example
    target = IMPORT_TARGETS.get(name)
    print(f"{name}: ordinary import of the framework and providers : {ordinary:6.2f} s")
    print(f"{name}: full synth of the example (main.py)            : {example:6.2f} s")
    print(f"{name}: full synth, 100 projects x 3 domains           : {hundred:6.2f} s")
    print(f"{name}: ratio full synth / ordinary import             : {ratio:6.2f}  " + (f"(target <= {target})" if target else "(no target: lazy packages)"))
    print(f"{name}: ratio 100 projects / example                   : {scale:6.2f}  (target <= 1.2)")
    return (target is None or ratio <= target) and scale <= 1.2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2, help="runs per measurement; the best counts (default 2)")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        scale = yaml.safe_load((ROOT / "examples" / "example.yaml").read_text())
        scale["flyte_projects"] = [f"project{i:03d}" for i in range(100)]
        scale_file = Path(tmp) / "scale.yaml"
        scale_file.write_text(yaml.safe_dump(scale))
        for name, environment in ENVIRONMENTS.items():
            python = environment / "bin" / "python"
            if not python.exists():
                print(f"{name}: not measured: {environment.name} is not installed (make install TOOLCHAIN={name})")
                continue
            ok = measure(name, python, scale_file, Path(tmp) / "out", args.runs) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
