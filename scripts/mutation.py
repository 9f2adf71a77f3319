"""`make mutation`: do the tests catch realistic slips without the snapshots?

Each slip of `scripts/mutations.yaml` is applied alone to a scratch copy of the repository (the
project's `.venv` linked in), and its tests run there with `-x`, `tests/test_snapshots.py` never
among them. A slip is caught when pytest reports a failing test; it survives when the tests pass.
The tests first run once on the unchanged copy: a failure there would make every catch meaningless.

Usage: .venv/bin/python scripts/mutation.py [--full] [ID ...]
  --full  run the whole suite (minus the snapshots) for every slip instead of its listed tests
  ID      only these slips
Exits non-zero when a slip survives, a slip no longer applies, or the unchanged copy fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MUTATIONS = ROOT / "scripts" / "mutations.yaml"
SNAPSHOTS = "tests/test_snapshots.py"
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "cdktf.out", "__pycache__", ".pytest_cache", "*.tfstate*", ".terraform")


@dataclass(frozen=True)
class Slip:
    id: str
    file: str
    old: str
    new: str
    breaks: str
    tests: tuple[str, ...]


def load(path: Path = MUTATIONS) -> list[Slip]:
    slips = [Slip(**{**entry, "tests": tuple(entry["tests"])}) for entry in yaml.safe_load(path.read_text())]
    ids = [s.id for s in slips]
    if len(set(ids)) != len(ids):
        raise SystemExit(f"{path}: duplicate ids")
    return slips


def problems(slip: Slip, root: Path = ROOT) -> list[str]:
    """Why a slip cannot be applied to the tree at `root` (empty: it can)."""
    found = []
    target = root / slip.file
    if not target.is_file():
        return [f"{slip.id}: {slip.file} does not exist"]
    count = target.read_text().count(slip.old)
    if count != 1:
        found.append(f"{slip.id}: the old text occurs {count} times in {slip.file} (must be exactly once)")
    if slip.old == slip.new:
        found.append(f"{slip.id}: old and new are the same")
    for test in slip.tests:
        if test == SNAPSHOTS or not (root / test).is_file():
            found.append(f"{slip.id}: {test} is the snapshots or does not exist")
    return found


def pytest(copy: Path, tests: list[str]) -> tuple[int, str]:
    command = [str(copy / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", f"--ignore={SNAPSHOTS}", *tests]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, cwd=copy, capture_output=True, text=True, env=env)
    failed = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    return done.returncode, (failed[0] if failed else done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true")
    parser.add_argument("ids", nargs="*")
    args = parser.parse_args(argv)
    slips = [s for s in load() if not args.ids or s.id in args.ids]
    stale = [p for s in slips for p in problems(s)]
    if stale:
        print("\n".join(stale))
        return 2
    with tempfile.TemporaryDirectory(prefix="flyte-gcp-mutation-") as scratch:
        copy = Path(scratch) / "repo"
        shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
        (copy / ".venv").symlink_to(ROOT / ".venv")
        every_test = ["tests"] if args.full else sorted({t for s in slips for t in s.tests})
        code, summary = pytest(copy, every_test)
        print(f"unchanged copy: {summary}")
        if code != 0:
            print("the tests fail without any slip: fix that first")
            return 2
        survivors = []
        for slip in slips:
            target = copy / slip.file
            original = target.read_text()
            target.write_text(original.replace(slip.old, slip.new, 1))
            start = time.monotonic()
            code, summary = pytest(copy, ["tests"] if args.full else list(slip.tests))
            target.write_text(original)
            verdict = {0: "SURVIVED", 1: "caught"}.get(code, f"error {code}")
            if code != 1:
                survivors.append(slip)
            print(f"{verdict:9} {slip.id:48} {time.monotonic() - start:5.0f}s  {summary}", flush=True)
    print(f"{len(slips)} slips: {len(slips) - len(survivors)} caught without the snapshots, {len(survivors)} not")
    for slip in survivors:
        print(f"  not caught: {slip.id} ({slip.file}): {slip.breaks}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
