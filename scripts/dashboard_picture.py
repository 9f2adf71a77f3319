#!/usr/bin/env python
"""Draw the dashboard's layout as SVG from the dashboard JSON itself (`values.dashboard`).

    python scripts/dashboard_picture.py            # writes docs/dashboard.svg

The picture is the environment of `examples/gpu.yaml` (GPU pools: every section appears; without
GPUs the GPU row is absent). Each tile is drawn where the JSON puts it, with its title and the
legend of each line; `tests/test_dashboard_picture.py` redraws it and compares, so the README's
picture cannot drift from the dashboard the stack creates.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "constructs")]

from flyte_gcp.config.loader import load_config  # noqa: E402
from flyte_gcp.values.dashboard import COLUMNS, DashboardInputs, dashboard  # noqa: E402

OUT = ROOT / "docs" / "dashboard.svg"
EXAMPLE = ROOT / "examples" / "gpu.yaml"
X, Y = 20, 11  # pixels per grid unit


def example_inputs() -> DashboardInputs:
    c = load_config(EXAMPLE)
    return DashboardInputs(
        name=c.name_prefix,
        sql_database_id=f"{c.project_id}:<instance>",
        flyte_job="flyteadmin" if c.chart == "flyte-core" else c.chart,
        gpus=any(p.accelerator for p in c.gke.node_pools),
    )


def svg(board: dict) -> str:
    tiles = board["mosaicLayout"]["tiles"]
    height = max(t.get("yPos", 0) + t["height"] for t in tiles) * Y + 50
    width = COLUMNS * X
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#f8f9fa"/>',
        f'<text x="10" y="30" font-size="20" font-weight="bold">{escape(board["displayName"])}</text>',
    ]
    for t in tiles:
        x, y, w, h = t.get("xPos", 0) * X, t.get("yPos", 0) * Y + 45, t["width"] * X, t["height"] * Y
        widget = t["widget"]
        if "sectionHeader" in widget:
            out.append(f'<text x="{x + 8}" y="{y + h - 12}" font-size="16" font-weight="bold" fill="#1a73e8">{escape(widget["title"])}</text>')
            out.append(f'<line x1="{x + 8}" y1="{y + h - 4}" x2="{x + w - 8}" y2="{y + h - 4}" stroke="#1a73e8"/>')
            continue
        out.append(f'<rect x="{x + 4}" y="{y + 4}" width="{w - 8}" height="{h - 8}" rx="6" fill="white" stroke="#dadce0"/>')
        out.append(f'<text x="{x + 14}" y="{y + 26}" font-size="13" font-weight="bold">{escape(widget["title"])}</text>')
        for i, data_set in enumerate(widget["xyChart"]["dataSets"]):
            legend = data_set["legendTemplate"].replace("{{", "").replace("}}", "")
            out.append(f'<text x="{x + 14}" y="{y + 48 + 16 * i}" font-size="11" fill="#5f6368">— {escape(legend)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def picture() -> str:
    return svg(dashboard(example_inputs()))


if __name__ == "__main__":
    OUT.write_text(picture())
    print(f"dashboard layout -> {OUT.relative_to(ROOT)}")
