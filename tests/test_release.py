"""Releases: the version, its CHANGELOG section with upgrade notes, the license, `--version`."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys

from support import ROOT

from flyte_gcp import __version__

APACHE_2_MD5 = "3b83ef96387f14655fc854ddc3c6bd57"
"""md5 of https://www.apache.org/licenses/LICENSE-2.0.txt, the text Flyte is licensed under."""


def changelog_problems(text: str, version: str) -> list[str]:
    """The version has a section (`## X.Y.Z - date`, or `## Unreleased (X.Y.Z)` until released);
    an Unreleased section exists for others to add to; every section has upgrade notes;
    released versions go newest first."""
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    headings = [s.splitlines()[0] for s in sections]
    problems = []
    if f"Unreleased ({version})" not in headings and not any(re.fullmatch(rf"{re.escape(version)} - \d{{4}}-\d\d-\d\d", h) for h in headings):
        problems.append(f"no section for {version}")
    if not any(h.startswith("Unreleased") for h in headings):
        problems.append("no Unreleased section")
    problems += [f"{h}: no upgrade notes" for h, s in zip(headings, sections) if "### Upgrade notes" not in s]
    released = [tuple(map(int, m.group(1).split("."))) for h in headings if (m := re.match(r"(\d+\.\d+\.\d+) - ", h))]
    if released != sorted(released, reverse=True):
        problems.append(f"released versions out of order: {released}")
    return problems


def test_changelog_has_a_section_with_upgrade_notes_for_this_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert changelog_problems((ROOT / "CHANGELOG.md").read_text(), __version__) == []


def test_the_changelog_check_fails_on_a_version_without_section_or_notes():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert changelog_problems(text, "9.9.9") == ["no section for 9.9.9"]
    broken = text.replace("## 0.1.0 - 2026-11-25", "## 0.0.9 - 2026-11-30\n- no notes\n\n## 0.1.0 - 2026-11-25")
    assert changelog_problems(broken, __version__) == ["0.0.9 - 2026-11-30: no upgrade notes", "released versions out of order: [(0, 2, 0), (0, 0, 9), (0, 1, 0)]"]


def test_license_is_the_apache_2_text():
    text = (ROOT / "LICENSE").read_bytes()
    assert hashlib.md5(text).hexdigest() == APACHE_2_MD5
    assert b"Apache License\n                           Version 2.0, January 2004" in text


def test_version_option_prints_it_without_loading_the_toolchain(tmp_path):
    env = {**os.environ, "CDKTF_OUTDIR": str(tmp_path / "out")}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "main.py"), "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout == f"flyte-gcp {__version__}\n"
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "flyte_gcp" in imported and not {"jsii", "cdktf", "cdktf_cdktf_provider_google"} & imported
    assert list(tmp_path.iterdir()) == []
