"""Reading synthesized Terraform JSON, where a nested block is an object or a one-element list."""

from __future__ import annotations

from typing import Any


def single(value: Any) -> Any:
    """A one-element list of an object read as that object; any other value as it is."""
    return value[0] if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) else value


def block(value: Any) -> dict[str, Any]:
    """A nested block as an object; an absent or empty block as {}."""
    return single(value) or {}


def value_at(body: dict[str, Any], path: str) -> Any:
    """The value at a dotted attribute path (`settings.availability_type`), through blocks; None if absent."""
    value: Any = body
    for key in path.split("."):
        value = single(value)
        value = value.get(key) if isinstance(value, dict) else None
    return single(value)
