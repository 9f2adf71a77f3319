"""`make diagram` (issue 21), the pictures as drawn by D2: the overview of every variant fits a
laptop screen and says what each node pool is, every page is drawn and world-readable, the README
shows the example of today."""

from __future__ import annotations

import copy
import json
import os
import re
import stat
import sys
import xml.etree.ElementTree as ET

import pytest
from support import ROOT, VARIANTS

sys.path.insert(0, str(ROOT / "scripts"))

import diagram  # noqa: E402
import diagram_d2  # noqa: E402
import diagram_model  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
LAPTOP = (1600, 1000)
"""What fits a laptop screen, in CSS pixels (width, height)."""


def svg_size(svg: bytes) -> tuple[float, float]:
    """Width and height of the picture from the outer `<svg>`'s viewBox (its width attribute when set)."""
    root = ET.fromstring(svg)
    _, _, width, height = map(float, root.get("viewBox").split())
    return float(root.get("width", width)), float(root.get("height", height))


def svg_texts(svg: bytes) -> dict[tuple[str, ...], str]:
    """Every label of the picture, as its lines, with its fill colour."""
    root = ET.fromstring(svg)
    texts = {}
    for text in root.iter(f"{SVG}text"):
        spans = [s.text or "" for s in text.iter(f"{SVG}tspan")]
        texts[tuple(spans or [text.text or ""])] = text.get("fill")
    return texts


# The node pools of core-gpu-spot and core-mig-zonal (tests/support.py), written out by hand:
# name, then machine type, GPU (type x count, MIG partitions) and capacity with the autoscaling bounds.
POOL_LABELS = {
    "core-gpu-spot": {
        ("pool flyte-nodes", "e2-standard-4", "no GPU", "on-demand, 1-3 nodes"),
        ("pool gpu-t4", "n1-standard-8", "GPU nvidia-tesla-t4 x1", "on-demand, 0-2 nodes"),
        ("pool spot", "n2-standard-8", "no GPU", "spot, 0-4 nodes"),
        ("pool spot-t4", "n1-standard-8", "GPU nvidia-tesla-t4 x1", "spot, 0-4 nodes"),
    },
    "core-mig-zonal": {
        ("pool flyte-nodes", "e2-standard-4", "no GPU", "on-demand, 1-3 nodes"),
        ("pool a100-mig", "a2-highgpu-1g", "GPU nvidia-tesla-a100 x1", "MIG partitions 1g.5gb", "on-demand, 0-1 nodes"),
        ("pool l4", "g2-standard-8", "GPU nvidia-l4 x1", "on-demand, 0-2 nodes"),
    },
}


@pytest.fixture(scope="module")
def overviews(synthesized) -> dict[str, bytes]:
    """The overview SVG of every variant, rendered by D2 once (about 0.2 s each)."""
    return {name: diagram.svg_of(diagram_d2.overview(diagram_model.build(doc, name))) for name, doc in synthesized.items()}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_overview_of_every_variant_fits_a_laptop_screen(overviews, synthesized, name):
    svg = overviews[name]
    width, height = svg_size(svg)
    assert width <= LAPTOP[0] and height <= LAPTOP[1], (name, width, height)
    texts = svg_texts(svg)
    layers = {lines[0] for lines in texts if lines[0] in ("Foundation", "Data", "Compute", "Identity", "Edge", "Auth", "Platform", "Outputs")}
    assert layers >= {"Foundation", "Data", "Compute", "Identity", "Edge", "Platform", "Outputs"}
    red = {lines for lines, fill in texts.items() if fill == diagram_d2.RED}
    assert {lines[0] for lines in red} == {"Kubernetes API (DNS, IAM)", "load balancer of nginx-ingress"}, name  # no variant lists master_authorized_cidrs


@pytest.mark.parametrize("name", list(POOL_LABELS))
def test_the_overview_says_machine_gpu_and_spot_of_each_pool(overviews, name):
    pools = {lines for lines in svg_texts(overviews[name]) if lines[0].startswith("pool ")}
    assert pools == POOL_LABELS[name]


def test_every_page_of_a_stack_is_drawn_world_readable(synthesized, tmp_path):
    """D2 writes 0600 (a temporary file renamed over the target); the pictures must be 0644 even under umask 077."""
    previous = os.umask(0o077)
    try:
        written = diagram.draw(synthesized["binary-restricted-dns"], "binary-restricted-dns", tmp_path / "stack")
    finally:
        os.umask(previous)
    names = {p.stem for p in written}
    assert names == {"overview", "foundation", "data", "compute", "identity", "edge", "auth", "platform", "observe", "outputs"}
    for path in (tmp_path / "stack").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert stat.S_IMODE((tmp_path / "stack").stat().st_mode) == 0o755
    overview = (tmp_path / "stack" / "overview.svg").read_text()
    assert ET.fromstring(overview).get("width") is None  # a browser scales the overview to the window
    edge_root = ET.fromstring((tmp_path / "stack" / "edge.svg").read_bytes())  # a layer page keeps its size and scrolls
    assert edge_root.get("viewBox") == f"0 0 {edge_root.get('width')} {edge_root.get('height')}"
    for name in names - {"overview"}:
        assert f'href="./{name}.svg"' in overview  # a click on a layer opens its page
    edge = svg_texts((tmp_path / "stack" / "edge.svg").read_bytes())
    assert edge[("helm_release", "nginx-ingress", "PUBLIC: load balancer of nginx-ingress", "on reserved IP flyte-gcp-ingress", "from 203.0.113.0/24, 198.51.100.7/32")] == diagram_d2.RED


def test_a_layer_page_holds_every_resource_of_the_layer(synthesized):
    stack = diagram_model.build(synthesized["example"], "example")
    for layer in stack.layers[:-1]:
        source = diagram_d2.detail(stack, layer)
        for r in stack.in_layer(layer):
            assert re.search(rf"^{diagram_d2.key(r.address)}: |^{diagram_d2.key(r.type)}: \"{r.type}\\nx\d+\"", source, re.M), (layer, r.address)
    identity = diagram_d2.detail(stack, "Identity")
    assert 'google_service_account: "google_service_account\\nx6"' in identity  # five components and the registry writer
    assert "other_Foundation -> google_service_account" in identity and "other_Compute -> " in identity


def test_the_command_draws_every_stack_of_a_synth_and_reports_an_unplaced_resource(synthesized, tmp_path, capsys):
    stacks = {"dev": copy.deepcopy(synthesized["example"]), "prod": synthesized["core-auth-none-restricted"]}
    for name, doc in stacks.items():
        (tmp_path / "stacks" / name).mkdir(parents=True)
        (tmp_path / "stacks" / name / "cdk.tf.json").write_text(json.dumps(doc))
    manifest = {"stacks": {name: {"synthesizedStackPath": f"stacks/{name}/cdk.tf.json"} for name in stacks}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert diagram.main(["--outdir", str(tmp_path)]) == 0
    assert (tmp_path / "diagrams" / "dev" / "overview.svg").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "diagrams" / "prod" / "overview.svg").read_bytes().startswith(b"<?xml")
    stacks["dev"]["resource"]["google_monitoring_dashboard"] = {"observe_flyte": {}}
    (tmp_path / "stacks" / "dev" / "cdk.tf.json").write_text(json.dumps(stacks["dev"]))
    (tmp_path / "diagrams" / "prod" / "overview.svg").unlink()
    assert diagram.main(["--outdir", str(tmp_path)]) == 2
    assert "diagram: dev: no layer for construct id 'observe'" in capsys.readouterr().err
    assert (tmp_path / "diagrams" / "prod" / "overview.svg").exists()  # the other stacks are still drawn


def test_the_readme_shows_the_overview_of_the_example_of_today(synthesized):
    """docs/example-overview.svg is rendered from docs/example-overview.d2: refresh both with
    `.venv/bin/python main.py example && .venv/bin/python scripts/diagram.py --docs`."""
    source = (ROOT / "docs" / "example-overview.d2").read_text()
    assert source == diagram_d2.overview(diagram_model.build(synthesized["example"], "example"))
    assert (ROOT / "docs" / "example-overview.svg").read_bytes() == diagram.svg_of(source)  # D2 draws the same source the same way
    assert "![What the example stack creates](docs/example-overview.svg)" in (ROOT / "README.md").read_text()
