"""Generic Helm values helpers: merging partial values, escaping for `tpl`, one readable YAML document."""

from __future__ import annotations

import re
from typing import Any

import yaml


def tpl_escape(text: str) -> str:
    """Protect Go-template placeholders from a chart that passes the value through Helm's `tpl`.

    `{{ .podName }}` becomes `{{ "{{" }} .podName {{ "}}" }}`, which `tpl` renders back
    to `{{ .podName }}` for Flyte to fill, instead of consuming it (an empty value).
    """
    return re.sub(r"\{\{|\}\}", lambda m: '{{ "%s" }}' % m.group(0), text)


def merge_values(base: dict[str, Any], *overlays: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge partial values (one per concern) into `base`: maps merge, anything else is replaced."""
    out = dict(base)
    for overlay in overlays:
        for key, value in overlay.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge_values(out[key], value)
            else:
                out[key] = value
    return out


class _ReadableDumper(yaml.SafeDumper):
    """Multi-line strings (the Kubernetes templates) as literal `|` blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReadableDumper.add_representer(str, _represent_str)


def to_yaml(values: dict[str, Any]) -> str:
    """One readable YAML document; key order kept, long strings (URLs) not folded."""
    return yaml.dump(values, Dumper=_ReadableDumper, sort_keys=False, default_flow_style=False, width=1_000_000)
