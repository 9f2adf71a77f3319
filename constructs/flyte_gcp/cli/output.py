"""What a synth leaves in the output directory: a summary per stack, and stale stack folders.

A stack folder is stale when no environment of the current synth produced it (its file
was deleted or renamed). It is removed only when it holds nothing but what our synth
writes; a folder with anything else (`.terraform/` after `terraform init`, a lock file,
state, a user's notes) may belong to something deployed, so it is reported and kept.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from flyte_gcp.cli import cost

SYNTH_FILES = frozenset({"cdk.tf.json", "metadata.json"})
"""What CDKTF writes into `<outdir>/stacks/<stack>/`: our stacks get `cdk.tf.json` only;
`metadata.json` is the stack metadata path `manifest.json` names (written by some CDKTF
versions). `assets/` would appear only for stacks with assets, which ours have none of."""


def shown(path: Path) -> str:
    """A path relative to the working directory when it is inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def summary(outdir: Path, stacks: list[str]) -> list[str]:
    """One line per stack written: `<stack>: <n> resources -> <path>; <monthly cost estimate>`."""
    lines = []
    for stack in stacks:
        path = outdir / "stacks" / stack / "cdk.tf.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        count = sum(len(instances) for instances in doc.get("resource", {}).values())
        lines.append(f"{stack}: {count} resources -> {shown(path)}; {cost.summary(doc)}")
    return lines


@dataclass(frozen=True)
class StaleStack:
    folder: Path
    foreign: tuple[str, ...]
    """Entries that our synth does not write; empty means the folder is safe to remove."""


def stale_stacks(outdir: Path, current: list[str]) -> list[StaleStack]:
    stacks = outdir / "stacks"
    if not stacks.is_dir():
        return []
    found = []
    for folder in sorted(p for p in stacks.iterdir() if p.is_dir() and p.name not in current):
        foreign = tuple(sorted(e.name for e in folder.iterdir() if not (e.is_file() and e.name in SYNTH_FILES)))
        found.append(StaleStack(folder, foreign))
    return found


def clean_stale(outdir: Path, current: list[str], root: Path) -> list[str]:
    """Remove stale folders that hold only synth output; report every stale folder.

    `root` is where local state files (`terraform.<stack>.tfstate`) live: a stale stack
    with state there may still have resources deployed.
    """
    lines = []
    for stale in stale_stacks(outdir, current):
        where = shown(stale.folder)
        if stale.foreign:
            lines.append(
                f"stale: {where} (no environment file produces it any more) kept: it holds "
                f"{', '.join(stale.foreign)}; if it was deployed, destroy it first, then delete the folder"
            )
        else:
            shutil.rmtree(stale.folder)
            lines.append(f"stale: {where} (no environment file produces it any more) removed: it held only synth output")
        state = root / f"terraform.{stale.folder.name}.tfstate"
        if state.exists():
            lines.append(f"stale: {shown(state)} still exists: the stack's resources may still be deployed")
    return lines

