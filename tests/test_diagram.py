"""`make diagram` (issue 13): every variant draws, every type has a layer, what is public is marked."""

from __future__ import annotations

import copy
import sys

import pytest
from support import ROOT, VARIANTS, make_config, only

sys.path.insert(0, str(ROOT / "scripts"))

import diagram  # noqa: E402
import diagram_model  # noqa: E402


def source(doc: dict, name: str) -> str:
    return diagram.d2_source(diagram_model.build(doc, name))


def test_every_type_of_every_variant_has_a_layer(variant):
    name, doc = variant
    assert diagram_model.unmapped(doc) == set(), name


def test_a_type_without_a_layer_fails_the_diagram(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["google_new_thing"] = {"x": {"name": "x"}}
    doc.setdefault("data", {})["google_other_thing"] = {"y": {}}
    assert diagram_model.unmapped(doc) == {"google_new_thing", "data.google_other_thing"}
    with pytest.raises(ValueError, match=r"example: no layer for data.google_other_thing, google_new_thing: add them to LAYERS"):
        diagram_model.build(doc, "example")


@pytest.mark.parametrize(
    "rtype, body, layer",
    [
        ("helm_release", {"chart": "nginx-ingress"}, "edge"),
        ("helm_release", {"chart": "cert-manager"}, "edge"),
        ("helm_release", {"chart": "flyte-core"}, "flyte"),
        ("helm_release", {"chart": "keycloak"}, "flyte"),  # any other chart is platform software
        ("google_compute_firewall", {}, "network"),
        ("google_compute_address", {}, "edge"),
        ("google_dns_record_set", {}, "edge"),
    ],
)
def test_layer_of_a_type_and_of_a_chart(rtype, body, layer):
    assert diagram_model.LAYERS[diagram_model.layer_key(rtype, body)] == layer


def test_d2_source_of_every_variant(variant):
    name, doc = variant
    graph = diagram_model.build(doc, name)
    text = diagram.d2_source(graph)
    count = sum(len(instances) for instances in doc["resource"].values())
    assert text.splitlines()[1].startswith(f'title: "{name}: {count} resources"')
    for layer in diagram_model.LAYER_TITLES:
        if layer == "observe" and not make_config(**VARIANTS[name]).monitoring.observe:
            assert f"\n{layer}: " not in text  # monitoring.observe false: nothing to draw there
            continue
        assert f"\n{layer}: " in text, layer
    for node in graph.nodes.values():
        assert f"  {node.id}: " in text, node.id
    public = {n.label.split("\n")[0]: n.public for n in graph.nodes.values() if n.public}
    config = make_config(**VARIANTS[name])
    assert public == {
        "google_container_cluster": f"Kubernetes API from {', '.join(config.gke.master_authorized_cidrs)}",
        "helm_release": f"load balancer: HTTP/HTTPS from {', '.join(config.ingress.allowed_cidrs)}",
        "google_compute_address": "external IP address",
    }
    for node in graph.nodes.values():
        if node.public:
            assert f"internet -> {node.layer}.{node.id}: " in text
    by_type = {n.label.split("\n")[0]: n for n in graph.nodes.values()}
    network, cluster = by_type["google_compute_network"], by_type["google_container_cluster"]
    assert f"network.{network.id} -> cluster.{cluster.id}\n" in text  # the cluster references the VPC
    assert "project -> network\n" in text and "project -> data\n" in text  # everything waits for its API
    assert by_type["google_service_account"].label.endswith(f"\nx{len(doc['resource']['google_service_account'])}")


def test_releases_are_drawn_one_by_one_in_their_layers(synthesized):
    graph = diagram_model.build(synthesized["binary-zonal-cloud"], "binary-zonal-cloud")
    releases = {n.label.split("\n")[1]: n.layer for n in graph.nodes.values() if n.label.startswith("helm_release")}
    assert releases == {"cert-manager": "edge", "nginx-ingress": "edge", "keycloak": "flyte", "flyte-binary": "flyte"}


def test_public_marks_follow_the_attributes(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    cluster = only(doc, "google_container_cluster")
    cluster["master_authorized_networks_config"]["cidr_blocks"] = [{"cidr_block": "203.0.113.0/24"}]
    doc["resource"]["google_compute_address"] = {"ingress": {"name": "flyte-ip"}, "internal": {"name": "i", "address_type": "INTERNAL"}}
    public = {n.label: n.public for n in diagram_model.build(doc, "x").nodes.values() if n.public}
    assert public["google_container_cluster\nflyte-gcp"] == "Kubernetes API from 203.0.113.0/24"
    assert public["google_compute_address\nflyte-ip"] == "external IP address"
    assert "google_compute_address\ni" not in public
    cluster["private_cluster_config"]["enable_private_endpoint"] = True
    public = {n.label for n in diagram_model.build(doc, "x").nodes.values() if n.public}
    assert "google_container_cluster\nflyte-gcp" not in public


def test_the_committed_picture_is_the_example_of_today(synthesized):
    """docs/example.svg is rendered from docs/example.d2: refresh both with
    `python main.py example && python scripts/diagram.py --docs`."""
    assert (ROOT / "docs" / "example.d2").read_text() == source(synthesized["example"], "example")
    assert (ROOT / "docs" / "example.svg").read_text().lstrip().startswith("<?xml")


def test_d2_draws_an_svg_of_every_variant(variant, tmp_path):
    name, doc = variant
    svg = tmp_path / f"{name}.svg"
    diagram.render(source(doc, name), svg)
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "</svg>" in text
    assert "google_container_cluster" in text and f"{name}: " in text
