#!/usr/bin/env python
"""Regenerate the chart test data in this folder from a chart's default values.yaml.

The tests never read the charts themselves (a user's clone has no copy of them): they read
what this script derives, committed beside it. After a chart upgrade, fetch the new
`values.yaml` of each chart (flyteorg/flyte, `charts/<chart>/values.yaml` at the release tag) and:

    python tests/data/derive_chart_data.py flyte-core   path/to/flyte-core/values.yaml   v1.16.8
    python tests/data/derive_chart_data.py flyte-binary path/to/flyte-binary/values.yaml v1.16.8

It writes `<chart>-<version>.keys.json`: the default values' key tree with every leaf
replaced by its kind ("scalar", "list"; null and {} kept, as the key check treats them
specially), and for flyte-core `<chart>-<version>.cluster-resource-templates.yaml`, the
default cluster resource templates (which our values must keep).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def skeleton(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: skeleton(v) for key, v in value.items()}
    if isinstance(value, list):
        return "list"
    return None if value is None else "scalar"


def main(chart: str, values_path: str, version: str) -> None:
    defaults = yaml.safe_load(Path(values_path).read_text())
    (HERE / f"{chart}-{version}.keys.json").write_text(json.dumps(skeleton(defaults), indent=1, sort_keys=True) + "\n")
    if chart == "flyte-core":
        templates = defaults["cluster_resource_manager"]["templates"]
        (HERE / f"{chart}-{version}.cluster-resource-templates.yaml").write_text(yaml.safe_dump(templates, sort_keys=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
