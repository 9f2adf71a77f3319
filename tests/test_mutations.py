"""The slip list of `make mutation` stays in step with the code (the run itself is not part of the suite)."""

from __future__ import annotations

import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import mutation  # noqa: E402


def test_every_slip_still_applies_once_and_names_targeted_tests():
    slips = mutation.load()
    assert len(slips) >= 26
    assert [p for s in slips for p in mutation.problems(s)] == []
    assert all(s.breaks and s.tests for s in slips)


def test_a_stale_slip_is_reported(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("")
    (tmp_path / "f.py").write_text("a = 1\na = 1\n")
    slip = mutation.Slip(id="s", file="f.py", old="a = 1", new="a = 2", breaks="x", tests=("tests/test_x.py", "tests/test_snapshots.py"))
    assert mutation.problems(slip, tmp_path) == [
        "s: the old text occurs 2 times in f.py (must be exactly once)",
        "s: tests/test_snapshots.py is the snapshots or does not exist",
    ]
