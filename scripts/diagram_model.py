"""What a synthesized stack creates, read for the pictures: resources placed in the stack's layers.

Pure functions over the synthesized Terraform JSON (`cdk.tf.json`, with or without CDKTF's
metadata): no CDKTF, no D2, so the tests run them on every variant.

A resource's layer is the layer that created it. Layers create their constructs directly on
the stack, so the first part of every Terraform name is the construct id a layer chose
(`network_vpc_4E8F0223` was made by the construct `network`, `client-config` is one on its own).
`LAYERS` maps those construct ids to the layers of `constructs/flyte_gcp/stack.py`. A resource
whose construct id no row names is an error (`unplaced`, `build`), never a guess: the fix is
one id in one row, or one new row for a new layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

# Layer -> the construct ids (shell patterns) its module in constructs/flyte_gcp/layers/ creates
# on the stack. The order is the build order of stack.py and the reading order of the pictures.
LAYERS: dict[str, tuple[str, ...]] = {
    "Foundation": ("services", "network", "dns_zone", "dns_dns-api"),  # the zone (and its API) read and checked first; the record is the edge's
    "Data": ("data-bucket", "raw-data-bucket", "database", "keycloak-database"),
    "Compute": ("cluster", "pool-*", "client-config"),
    "Identity": ("identity", "registry"),
    "Edge": ("ingress-address", "dns", "certmanager-identity", "addons"),
    "Auth": ("keycloak", "oidc-client-secret", "flyte-auth"),
    "Platform": ("flyte",),
    "Observe": ("dashboard", "alerts", "flyte-metrics", "edge-metrics", "keycloak-metrics"),
}
OUTPUTS = "Outputs"
"""The stack's `output` block: a layer of the picture without resources (`layers/outputs.py`)."""

_REFERENCE = re.compile(r"(?<![\w.])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)")
_EXPRESSION = re.compile(r"\$\{(.*?)\}")


@dataclass(frozen=True)
class Resource:
    address: str
    """`type.name`, or `data.type.name` for a data source: the Terraform address."""
    type: str
    """The Terraform type, `data.`-prefixed for a data source."""
    name: str
    layer: str
    body: dict[str, Any] = field(repr=False, compare=False)

    @property
    def is_data(self) -> bool:
        return self.type.startswith("data.")


@dataclass
class Stack:
    name: str
    resources: dict[str, Resource]
    """By address."""
    outputs: dict[str, dict[str, Any]]
    references: set[tuple[str, str]]
    """(dependent, dependency) addresses: a `${...}` reference or a `depends_on`; OUTPUTS for an output."""

    def in_layer(self, layer: str) -> list[Resource]:
        return sorted((r for r in self.resources.values() if r.layer == layer), key=lambda r: r.address)

    @property
    def layers(self) -> list[str]:
        """The layers that hold something, in reading order."""
        used = {r.layer for r in self.resources.values()}
        return [layer for layer in LAYERS if layer in used] + ([OUTPUTS] if self.outputs else [])

    def layer_of(self, address: str) -> str:
        return OUTPUTS if address == OUTPUTS else self.resources[address].layer

    def layer_edges(self) -> set[tuple[str, str]]:
        """(dependency layer, dependent layer) for every reference that crosses layers."""
        pairs = {(self.layer_of(dependency), self.layer_of(dependent)) for dependent, dependency in self.references}
        return {(a, b) for a, b in pairs if a != b}


def reduced(edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The transitive reduction of an acyclic relation: (a, c) goes when a -> b -> ... -> c remains."""
    after: dict[str, set[str]] = {}
    for a, b in edges:
        after.setdefault(a, set()).add(b)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in after.get(todo.pop(), set()) - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    return {(a, b) for a, b in edges if not any(b in reach(c) for c in after[a] - {b})}


def construct_id_layer(name: str) -> str | None:
    """The layer whose construct made the resource named `name` (its logical id), None if no row says.
    The longest matching pattern wins (`dns_zone` before `dns`)."""
    found = [(len(pattern), layer) for layer, ids in LAYERS.items() for pattern in ids
             if fnmatchcase(name, pattern) or fnmatchcase(name, f"{pattern}_*")]
    longest = [layer for length, layer in found if length == max(found)[0]] if found else []
    if len(set(longest)) > 1:
        raise ValueError(f"{name}: placed in more than one layer by LAYERS ({', '.join(longest)}): make the patterns distinct")
    return longest[0] if longest else None


def _instances(doc: dict[str, Any]):
    for section, prefix in (("resource", ""), ("data", "data.")):
        for rtype, instances in doc.get(section, {}).items():
            for name, body in instances.items():
                yield f"{prefix}{rtype}", name, body


def unplaced(doc: dict[str, Any]) -> dict[str, str]:
    """Address -> construct id, for every resource no row of `LAYERS` places."""
    return {f"{rtype}.{name}": name.split("_")[0] for rtype, name, _ in _instances(doc) if construct_id_layer(name) is None}


def _strings(value: Any):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def references(value: Any) -> set[str]:
    """Addresses named in the `${...}` expressions anywhere in `value`."""
    return {ref for text in _strings(value) for expression in _EXPRESSION.findall(text) for ref in _REFERENCE.findall(expression)}


def build(doc: dict[str, Any], stack: str) -> Stack:
    """The placed resources of one stack and what references what. Raises ValueError naming every
    resource `LAYERS` does not place, with the construct id to add."""
    missing = unplaced(doc)
    if missing:
        ids = sorted(set(missing.values()))
        raise ValueError(
            f"{stack}: no layer for construct id {', '.join(map(repr, ids))} ({', '.join(sorted(missing))}): "
            "add it to the row of the layer that creates it in LAYERS, scripts/diagram_model.py"
        )
    resources = {
        f"{rtype}.{name}": Resource(f"{rtype}.{name}", rtype, name, construct_id_layer(name) or "", body)
        for rtype, name, body in _instances(doc)
    }
    edges = set()
    for address, resource in resources.items():
        body = resource.body
        found = references({k: v for k, v in body.items() if k not in ("//", "depends_on")}) | set(body.get("depends_on", []))
        edges |= {(address, dependency) for dependency in found if dependency in resources and dependency != address}
    outputs = doc.get("output", {})
    edges |= {(OUTPUTS, dependency) for dependency in references(outputs) if dependency in resources}
    return Stack(stack, resources, outputs, edges)
