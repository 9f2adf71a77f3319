"""`make diagram` (issues 13, 21), what the pictures are drawn from: every resource has a layer,
what is public is found from the attributes, the overview's arrows keep every crossing."""

from __future__ import annotations

import copy
import re
import sys

import pytest
from support import ROOT, VARIANTS, make_config, only

sys.path.insert(0, str(ROOT / "scripts"))

import diagram_d2  # noqa: E402
import diagram_model  # noqa: E402
import diagram_traits  # noqa: E402

def address(doc: dict, prefix: str) -> str:
    """The one address of the stack that starts with `prefix` (addresses are pinned in tests/data/addresses)."""
    found = [a for a in diagram_model.build(doc, "x").resources if a.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def test_every_resource_of_every_variant_has_a_layer(variant):
    name, doc = variant
    assert diagram_model.unplaced(doc) == {}, name


def test_a_resource_no_layer_places_fails_the_picture_with_the_fix(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["google_monitoring_alert_policy"] = {"observe_gpu-idle_0123ABCD": {"display_name": "x"}}
    doc["data"]["google_project"] = {"observe-project": {}}
    assert diagram_model.unplaced(doc) == {
        "google_monitoring_alert_policy.observe_gpu-idle_0123ABCD": "observe",
        "data.google_project.observe-project": "observe-project",
    }
    with pytest.raises(ValueError, match=r"example: no layer for construct id 'observe', 'observe-project' .*add it to the row of the layer"):
        diagram_model.build(doc, "example")


@pytest.mark.parametrize(
    "variant_name, prefix, layer",
    [
        # Each resource sits in the layer whose module creates it (constructs/flyte_gcp/layers/), whatever its type.
        ("example", "google_project_service.services_container_", "Foundation"),
        ("example", "google_compute_firewall.network_control-plane-to-webhooks_", "Foundation"),
        ("example", "google_sql_database_instance.database_instance_", "Data"),
        ("example", "random_password.keycloak-database_password_", "Data"),
        ("example", "google_service_account.cluster_node-sa_", "Compute"),
        ("example", "google_container_node_pool.cluster_node-pool_", "Compute"),
        ("example", "data.google_client_config.client-config", "Compute"),
        ("core-gpu-spot", "google_container_node_pool.pool-spot-t4_pool_", "Compute"),
        ("example", "google_service_account.registry_writer-gsa_", "Identity"),
        ("example", "google_compute_address.ingress-address_", "Edge"),
        ("example", "helm_release.addons_nginx-ingress_", "Edge"),
        ("binary-restricted-dns", "google_service_account.certmanager-identity_gsa_", "Edge"),
        ("example", "helm_release.keycloak_release_", "Auth"),
        ("binary-oidc", "data.google_secret_manager_secret_version.oidc-client-secret", "Auth"),
        ("example", "kubernetes_secret_v1.flyte-auth_flyte-auth-clients_", "Auth"),
        ("example", "helm_release.flyte_release_", "Platform"),
        ("example", "kubernetes_secret_v1.flyte_db-password_", "Platform"),
    ],
)
def test_a_resource_is_in_the_layer_that_creates_it(synthesized, variant_name, prefix, layer):
    doc = synthesized[variant_name]
    assert diagram_model.build(doc, variant_name).resources[address(doc, prefix)].layer == layer


def test_the_layer_counts_add_up_to_the_stack(variant):
    name, doc = variant
    stack = diagram_model.build(doc, name)
    in_layers = [r for layer in stack.layers for r in stack.in_layer(layer)]
    assert sorted(r.address for r in in_layers) == sorted(
        [f"{t}.{n}" for t, i in doc["resource"].items() for n in i] + [f"data.{t}.{n}" for t, i in doc.get("data", {}).items() for n in i]
    )
    source = diagram_d2.overview(stack)
    managed = sum(len(i) for i in doc["resource"].values())
    assert f'title: "{name}: {managed} resources, ' in source
    assert f'layer_Outputs: "Outputs\\n{len(doc["output"])} outputs' in source


def test_transitive_reduction():
    edges = {("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("a", "d"), ("x", "d")}
    assert diagram_model.reduced(edges) == {("a", "b"), ("b", "c"), ("c", "d"), ("x", "d")}


def closure(edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    found = set(edges)
    while True:
        more = {(a, d) for a, b in found for c, d in found if b == c} - found
        if not more:
            return found
        found |= more


def test_the_overview_arrows_keep_every_crossing_between_layers(variant):
    """Arrows join layers only, fewer than the crossings, and every crossing is still a path."""
    name, doc = variant
    stack = diagram_model.build(doc, name)
    drawn = set(re.findall(r"^layer_(\w+) -> layer_(\w+)$", diagram_d2.overview(stack), re.M))
    assert closure(drawn) == closure(stack.layer_edges())
    assert len(drawn) < len(stack.layer_edges())
    assert ("Foundation", "Compute") in drawn and ("Compute", "Edge") in drawn  # the cluster is on the VPC; the edge in the cluster
    assert ("Foundation", "Edge") not in drawn  # implied: Foundation -> Compute -> Edge


def test_public_endpoints_of_every_variant(variant):
    name, doc = variant
    config = make_config(**VARIANTS[name])

    def reach(cidrs):
        return "anywhere" if "0.0.0.0/0" in cidrs else ", ".join(cidrs)

    endpoints = {(e.address.split(".")[0], e.label) for e in diagram_traits.public_endpoints(diagram_model.build(doc, name))}
    cidrs = config.gke.master_authorized_cidrs  # the IP endpoint admits only these (none: nobody)
    assert endpoints == {
        ("google_container_cluster", "Kubernetes API (DNS, IAM)\nfrom anywhere"),
        *([("google_container_cluster", f"Kubernetes API (IP endpoint)\nfrom {reach(cidrs)}")] if cidrs else []),
        (
            "helm_release",
            f"load balancer of nginx-ingress\non reserved IP {config.application}-{config.environment}-ingress\nfrom {reach(config.ingress.allowed_cidrs)}",
        ),
    }


def cluster_reach(doc: dict) -> set[str]:
    return {e.label for e in diagram_traits.public_endpoints(diagram_model.build(doc, "x")) if "Kubernetes API" in e.label}


def test_public_marks_follow_the_cluster_attributes(synthesized):
    """provider google 6.50.0, resource_container_cluster.go l. 1382-1388, 1717-1773."""
    doc = copy.deepcopy(synthesized["example"])
    cluster = only(doc, "google_container_cluster")
    assert cluster_reach(doc) == {"Kubernetes API (DNS, IAM)\nfrom anywhere"}  # the stack as synthesized
    del cluster["control_plane_endpoints_config"]  # the IP endpoint alone
    cluster["master_authorized_networks_config"] = {"cidr_blocks": [{"cidr_block": "203.0.113.0/24"}]}
    assert cluster_reach(doc) == {"Kubernetes API (IP endpoint)\nfrom 203.0.113.0/24"}
    cluster["master_authorized_networks_config"] = {}  # the block without cidr_blocks disallows external access
    assert cluster_reach(doc) == set()
    del cluster["master_authorized_networks_config"]  # no block: no limit
    assert cluster_reach(doc) == {"Kubernetes API (IP endpoint)\nfrom anywhere"}
    cluster["private_cluster_config"]["enable_private_endpoint"] = True
    assert cluster_reach(doc) == set()
    cluster["private_cluster_config"]["enable_private_endpoint"] = False
    cluster["control_plane_endpoints_config"] = {"ip_endpoints_config": {"enabled": False}, "dns_endpoint_config": {"allow_external_traffic": True}}
    assert cluster_reach(doc) == {"Kubernetes API (DNS, IAM)\nfrom anywhere"}
    cluster["control_plane_endpoints_config"]["dns_endpoint_config"]["allow_external_traffic"] = False
    assert cluster_reach(doc) == set()


def test_public_marks_follow_addresses_and_load_balancers(synthesized):
    doc = copy.deepcopy(synthesized["binary-restricted-dns"])
    doc["resource"]["google_compute_address"]["ingress-address_spare"] = {"name": "spare"}
    doc["resource"]["google_compute_address"]["ingress-address_internal"] = {"name": "inside", "address_type": "INTERNAL"}
    labels = {e.label for e in diagram_traits.public_endpoints(diagram_model.build(doc, "x"))}
    assert "reserved external IP spare\nfrom anywhere" in labels
    assert not any("inside" in label for label in labels)
    assert "load balancer of nginx-ingress\non reserved IP flyte-gcp-ingress\nfrom 203.0.113.0/24, 198.51.100.7/32" in labels
    release = next(r for r in doc["resource"]["helm_release"].values() if r["chart"] == "nginx-ingress")
    release["values"] = [release["values"][0].replace("type: LoadBalancer", "type: ClusterIP")]
    labels = {e.label for e in diagram_traits.public_endpoints(diagram_model.build(doc, "x"))}
    assert not any(label.startswith("load balancer") for label in labels)
    assert "reserved external IP flyte-gcp-ingress\nfrom anywhere" in labels  # no load balancer uses it any more
