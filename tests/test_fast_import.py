"""The fast provider loading path changes nothing: byte-identical output (issue 2).

This is a command-line test by nature (each import path needs a fresh interpreter), so
it spawns `main.py` twice, concurrently. Timing is measured by scripts/benchmark.py,
never here.
"""

from __future__ import annotations

import os
import subprocess
import sys

from support import EXAMPLE, ROOT


def test_fast_and_ordinary_imports_synthesize_identical_bytes(tmp_path):
    runs = {}
    for mode in ("fast", "ordinary"):
        env = {
            **os.environ,
            "FLYTE_GCP_PROVIDER_IMPORT": mode,
            "FLYTE_GCP_CONFIG": str(EXAMPLE),
            "CDKTF_OUTDIR": str(tmp_path / mode),
        }
        runs[mode] = subprocess.Popen([sys.executable, str(ROOT / "main.py")], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    for mode, process in runs.items():
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{mode}: {stderr}"
    fast = (tmp_path / "fast" / "stacks" / "example" / "cdk.tf.json").read_bytes()
    ordinary = (tmp_path / "ordinary" / "stacks" / "example" / "cdk.tf.json").read_bytes()
    assert len(fast) > 10_000
    assert fast == ordinary
