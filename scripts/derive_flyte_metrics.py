#!/usr/bin/env python
"""Derive the list of metric names Flyte v1.16.8 exports, for the dashboard test.

The dashboard (`values/dashboard.py`) may only query Flyte metrics that exist. This script
writes `tests/data/flyte-<version>.metrics.json` from two sources, both read at the versions
Flyte pins:

- Flyte's own Grafana dashboards, `deployment/stats/prometheus/*.json` in flyteorg/flyte at the
  tag: every `flyte:...` name their queries use (flyteadmin, flytepropeller and the user view);
- the gRPC server metrics of go-grpc-prometheus, which flyteadmin registers
  (`flyteadmin/pkg/server/service.go`: `grpcprometheus.Register`, and the handling-time
  histogram with `server.grpc.enableGrpcLatencyMetrics`), read from `server_metrics.go` at the
  commit `flyteadmin/go.mod` pins; a histogram is listed with its `_bucket`, `_sum`, `_count`.

    python scripts/derive_flyte_metrics.py <flyte git dir> v1.16.8 <go-grpc-prometheus git dir>

(git directories: the files are read with `git show <rev>:<path>`.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLYTE_NAME = re.compile(r"flyte:[A-Za-z0-9_:]+")


def git_show(git_dir: str, rev: str, path: str) -> str:
    return subprocess.run(["git", "-C", git_dir, "show", f"{rev}:{path}"], check=True, capture_output=True, text=True).stdout


def git_ls(git_dir: str, rev: str, path: str) -> list[str]:
    out = subprocess.run(["git", "-C", git_dir, "ls-tree", "--name-only", f"{rev}:{path}"], check=True, capture_output=True, text=True).stdout
    return [f"{path}/{name}" for name in out.split()]


def expressions(value: object) -> list[str]:
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in ([v] if k == "expr" and isinstance(v, str) else expressions(v))]
    if isinstance(value, list):
        return [e for v in value for e in expressions(v)]
    return []


def main(flyte_git: str, tag: str, grpc_git: str) -> None:
    names: dict[str, str] = {}
    for path in git_ls(flyte_git, tag, "deployment/stats/prometheus"):
        for expr in expressions(json.loads(git_show(flyte_git, tag, path))):
            for name in FLYTE_NAME.findall(expr):
                names.setdefault(name, path)
    go_mod = git_show(flyte_git, tag, "flyteadmin/go.mod")
    version = re.search(r"github.com/grpc-ecosystem/go-grpc-prometheus (\S+)", go_mod).group(1)
    commit = version.rsplit("-", 1)[-1]
    source = git_show(grpc_git, commit, "server_metrics.go")
    for kind, name in re.findall(r"prom\.(Counter|Histogram)Opts\{\s*Name:\s*\"(\w+)\"", source):
        for suffix in ("_bucket", "_sum", "_count") if kind == "Histogram" else ("",):
            names.setdefault(name + suffix, f"go-grpc-prometheus {version} server_metrics.go")
    out = ROOT / "tests" / "data" / f"flyte-{tag}.metrics.json"
    out.write_text(json.dumps({"version": tag, "metrics": dict(sorted(names.items()))}, indent=1) + "\n")
    print(f"{len(names)} metric names -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
