"""The D2 text of the pictures: one overview per stack, one detail page per layer.

Deterministic (sorted everywhere), so a committed picture can be compared with today's stack.
The overview reads left to right in build order: one box per layer with its counts, the public
endpoints (red) and node pools inside their layer's box, and arrows between layers only, after a
transitive reduction (Foundation -> Compute -> Edge hides the direct Foundation -> Edge) so that a
dozen crossings do not tangle it. A layer's page draws its resources, many of a type as one box,
and the other layers they are built on or that build on them as dashed boxes linking to their pages.
"""

from __future__ import annotations

import re
from collections import Counter

from diagram_model import OUTPUTS, Resource, Stack, reduced
from diagram_traits import Endpoint, Pool, node_pools, public_endpoints

AGGREGATE_ABOVE = 5
"""On a layer's page a type with more instances than this (or several grants of an IAM type) is one box with a count."""
RED = "#c62828"
PUBLIC_STYLE = f'style: {{stroke: "{RED}"; stroke-width: 3; fill: "#ffebee"; font-color: "{RED}"; font-size: 13}}'
LAYER_STYLE = 'style: {fill: "#f5f7fa"; stroke: "#607d8b"; border-radius: 6; font-size: 18}'
OTHER_STYLE = 'style: {stroke-dash: 4; fill: "#ffffff"; stroke: "#90a4ae"}'
POOL_STYLE = 'style: {fill: "#e8f5e9"; stroke: "#2e7d32"; font-size: 13}'
GPU_POOL_STYLE = 'style: {fill: "#fff8e1"; stroke: "#f57f17"; font-size: 13}'
LEGEND = (
    "A -> B: B is built on A (references it or waits for it), directly or through the layers between\n"
    "red: reachable from the internet; click a layer for its page"
)
DETAIL_LEGEND = (
    "A -> B: B is built on A (references it or waits for it), directly or through the boxes between\n"
    "red: reachable from the internet; dashed: another layer (click it)"
)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def key(text: str) -> str:
    """A D2 key for any name: letters, digits, `_` and `-` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


def _layer_key(layer: str) -> str:
    """Prefixed: D2 reserves some words as keys (`layers`, `grid`, ...), whatever their case."""
    return f"layer_{key(layer)}"


def page(layer: str) -> str:
    """The file name (without suffix) of a layer's detail page."""
    return key(layer.lower())


def counts(resources: list[Resource], sep: str = ", ") -> str:
    managed = sum(not r.is_data for r in resources)
    data = len(resources) - managed
    text = f"{managed} resource{'s' * (managed != 1)}"
    return text + (f"{sep}{data} data source{'s' * (data != 1)}" if data else "")


def _layer_label(stack: Stack, layer: str) -> str:
    if layer == OUTPUTS:
        sensitive = sum(bool(o.get("sensitive")) for o in stack.outputs.values())
        return f"{OUTPUTS}\n{len(stack.outputs)} outputs" + (f" ({sensitive} sensitive)" if sensitive else "")
    return f"{layer}\n" + counts(stack.in_layer(layer), sep="\n")  # a count a line: the boxes stay narrow


def _header(title: str, legend: str, direction: str) -> list[str]:
    return [
        f"direction: {direction}",
        f"title: {quote(title)} {{near: top-center; shape: text; style: {{font-size: 24; bold: true}}}}",
        f"legend: {quote(legend)} {{near: bottom-center; shape: text; style.font-size: 14}}",
    ]


def overview(stack: Stack) -> str:
    """One page: the layers with their counts, public endpoints in red, node pools, arrows between layers."""
    total = list(stack.resources.values())
    lines = _header(f"{stack.name}: {counts(total)}, {len(stack.outputs)} outputs", LEGEND, "right")
    endpoints, pools = public_endpoints(stack), node_pools(stack)
    for layer in stack.layers:
        inside = [e for e in endpoints if stack.layer_of(e.address) == layer]
        inside_pools = [p for p in pools if stack.layer_of(p.address) == layer]
        lines.append(f"{_layer_key(layer)}: {quote(_layer_label(stack, layer))} {{")
        lines += [f"  {LAYER_STYLE}", f"  link: ./{page(layer)}.svg"]
        if inside or inside_pools:
            lines += [f"  grid-columns: {1 if len(inside) + len(inside_pools) <= 5 else 2}", "  grid-gap: 12"]
        for i, endpoint in enumerate(inside):
            lines.append(f"  public{i}: {quote(endpoint.label)} {{{PUBLIC_STYLE}}}")
        for pool in inside_pools:
            lines.append(f"  {key('pool_' + pool.name)}: {quote(pool.label)} {{{GPU_POOL_STYLE if pool.accelerator else POOL_STYLE}}}")
        lines.append("}")
    for dependency, dependent in sorted(reduced(stack.layer_edges())):
        lines.append(f"{_layer_key(dependency)} -> {_layer_key(dependent)}")
    return "\n".join(lines) + "\n"


def _nodes(stack: Stack, layer: str) -> dict[str, str]:
    """Address -> node key on a layer's page: many of a type (or several IAM grants) become one node."""
    if layer == OUTPUTS:
        return {OUTPUTS: "outputs"}
    members = stack.in_layer(layer)
    per_type = Counter(r.type for r in members)
    grouped = {r.type for r in members if per_type[r.type] > AGGREGATE_ABOVE or ("_iam_" in r.type and per_type[r.type] > 1)}
    return {r.address: key(r.type if r.type in grouped else r.address) for r in members}


def _node_label(stack: Stack, addresses: list[str], pools: dict[str, Pool], endpoints: dict[str, list[Endpoint]]) -> str:
    if addresses == [OUTPUTS]:
        return _layer_label(stack, OUTPUTS)
    first = stack.resources[addresses[0]]
    if len(addresses) > 1:
        return f"{first.type}\nx{len(addresses)}"
    label = f"{first.type}\n{_shown_name(first)}"
    if first.address in pools:
        label += "\n" + pools[first.address].label.split("\n", 1)[1]
    return label + "".join(f"\nPUBLIC: {e.label}" for e in endpoints.get(first.address, []))


def _shown_name(r: Resource) -> str:
    metadata = r.body.get("metadata")
    metadata = metadata[0] if isinstance(metadata, list) and metadata else metadata or {}
    for value in (r.body.get("name"), metadata.get("name") if isinstance(metadata, dict) else None):
        if isinstance(value, str) and "${" not in value:
            return value
    return re.sub(r"_[0-9A-F]{8}$", "", r.name)


def _other_key(layer: str) -> str:
    return f"other_{key(layer)}"


def detail(stack: Stack, layer: str) -> str:
    """One layer's page: its resources, and what they are built on and what is built on them, in
    this layer and in the others (dashed, one box per layer)."""
    title = f"{stack.name} · {layer}: {_layer_label(stack, layer).split(chr(10), 1)[1]}"
    lines = _header(title, DETAIL_LEGEND, "right")
    lines.append(f'overview: "back to the overview" {{{OTHER_STYLE}; link: ./overview.svg}}')
    endpoints: dict[str, list[Endpoint]] = {}
    for e in public_endpoints(stack):
        endpoints.setdefault(e.address, []).append(e)
    pools = {p.address: p for p in node_pools(stack)}
    nodes = _nodes(stack, layer)
    members: dict[str, list[str]] = {}
    for address, node in sorted(nodes.items()):
        members.setdefault(node, []).append(address)
    for node, addresses in sorted(members.items()):
        public = any(a in endpoints for a in addresses)
        lines.append(f"{node}: {quote(_node_label(stack, addresses, pools, endpoints))}" + (f" {{{PUBLIC_STYLE}}}" if public else ""))
    edges: set[tuple[str, str]] = set()
    for dependent, dependency in stack.references:
        source, target = stack.layer_of(dependency), stack.layer_of(dependent)
        if layer not in (source, target):
            continue
        a = nodes[dependency] if source == layer else _other_key(source)
        b = nodes[dependent] if target == layer else _other_key(target)
        if a != b:
            edges.add((a, b))
    drawn = {n for edge in edges for n in edge}
    for other in stack.layers:
        if _other_key(other) in drawn:
            lines.append(f"{_other_key(other)}: {quote(_layer_label(stack, other))} {{{OTHER_STYLE}; link: ./{page(other)}.svg}}")
    return "\n".join(lines + [f"{a} -> {b}" for a, b in sorted(reduced(edges))]) + "\n"
