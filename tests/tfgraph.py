"""The synthesized stack as Terraform sees it: addresses, and the dependency graph between them.

A node is a resource (`type.name`) or a data source (`data.type.name`); it depends on what its
`depends_on` lists and on everything its `${...}` expressions reference, as Terraform orders them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

REFERENCE = re.compile(
    r"(?<![\w.])(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+"
    r"|module\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)"
)
EXPRESSION = re.compile(r"\$\{(.*?)\}")
BUILTIN_PREFIXES = ("each.", "count.", "self.", "path.", "terraform.")


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def references(value: Any) -> set[str]:
    """Addresses named inside `${...}` anywhere in `value`."""
    found = set()
    for text in strings(value):
        for expression in EXPRESSION.findall(text):
            found.update(r for r in REFERENCE.findall(expression) if not r.startswith(BUILTIN_PREFIXES))
    return found


class Graph:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.bodies: dict[str, dict[str, Any]] = {}
        for section, prefix in (("resource", ""), ("data", "data.")):
            for resource_type, instances in doc.get(section, {}).items():
                for name, body in instances.items():
                    self.bodies[f"{prefix}{resource_type}.{name}"] = body

    @staticmethod
    def type_of(address: str) -> str:
        return address.removeprefix("data.").split(".")[0]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {a: b for a, b in self.bodies.items() if self.type_of(a) == resource_type}

    def direct(self, address: str) -> set[str]:
        body = self.bodies[address]
        deps = set(body.get("depends_on", [])) | references({k: v for k, v in body.items() if k != "depends_on"})
        return {d for d in deps if d in self.bodies} - {address}

    @cached_property
    def _edges(self) -> dict[str, set[str]]:
        return {address: self.direct(address) for address in self.bodies}

    def ancestors(self, address: str) -> set[str]:
        """Everything `address` waits for, transitively."""
        seen: set[str] = set()
        stack = [address]
        while stack:
            for dep in self._edges[stack.pop()]:
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return seen
