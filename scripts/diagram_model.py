"""What a synthesized stack creates, as a graph for the diagram: layers, nodes, wiring, exposure.

Pure functions over the synthesized Terraform JSON (`cdk.tf.json`): no CDKTF, no D2
binary, so tests run them on every variant. `LAYERS` is the one table that places each
Terraform type in a layer; a type missing from it is an error (`unmapped`), so a new
resource type cannot slip into a stack without a place in the picture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

LAYER_TITLES = {
    "project": "Project: APIs",
    "network": "Network",
    "data": "Data",
    "cluster": "Cluster",
    "identity": "Identity and registry",
    "edge": "Edge: ingress and TLS",
    "flyte": "Flyte",
    "observe": "Observe: dashboard and alerts",
}

# Terraform type (data sources as `data.<type>`; a Helm release may be refined by its
# chart as `helm_release:<chart>`) -> layer. Keep it the only place that decides layers.
LAYERS: dict[str, str] = {
    "google_project_service": "project",
    "google_compute_network": "network",
    "google_compute_subnetwork": "network",
    "google_compute_router": "network",
    "google_compute_router_nat": "network",
    "google_compute_global_address": "network",
    "google_compute_firewall": "network",
    "google_service_networking_connection": "network",
    "google_storage_bucket": "data",
    "google_sql_database_instance": "data",
    "google_sql_database": "data",
    "google_sql_user": "data",
    "random_id": "data",
    "random_password": "data",
    "google_secret_manager_secret": "data",
    "google_secret_manager_secret_version": "data",
    "data.google_secret_manager_secret_version": "data",
    "google_container_cluster": "cluster",
    "google_container_node_pool": "cluster",
    "kubernetes_namespace_v1": "cluster",
    "data.google_client_config": "cluster",
    "google_service_account": "identity",
    "google_service_account_iam_member": "identity",
    "google_service_account_iam_binding": "identity",
    "google_project_iam_member": "identity",
    "google_project_iam_custom_role": "identity",
    "google_storage_bucket_iam_member": "identity",
    "google_artifact_registry_repository": "identity",
    "google_artifact_registry_repository_iam_member": "identity",
    "google_compute_address": "edge",
    "google_dns_managed_zone": "edge",
    "data.google_dns_managed_zone": "edge",
    "google_dns_record_set": "edge",
    "helm_release:nginx-ingress": "edge",
    "helm_release:cert-manager": "edge",
    "kubectl_manifest": "edge",
    "data.kubectl_file_documents": "edge",
    "data.http": "edge",
    "helm_release": "flyte",
    "kubernetes_secret_v1": "flyte",
    "kubernetes_config_map_v1": "flyte",  # Keycloak's realm (the identity provider is platform software)
    "kubernetes_ingress_v1": "edge",  # minion Ingresses under the master
    "google_monitoring_dashboard": "observe",
    "google_monitoring_alert_policy": "observe",
    "google_monitoring_notification_channel": "observe",
    "google_monitoring_uptime_check_config": "observe",
}

AGGREGATE_ABOVE = 3
"""A type with more instances than this (or any IAM type) is drawn as one node with a count (Helm releases never)."""
_HASH_SUFFIX = re.compile(r"_[0-9A-F]{8}$")
_REFERENCE = re.compile(r"(?<![\w.])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)")
_EXPRESSION = re.compile(r"\$\{(.*?)\}")


@dataclass
class Node:
    id: str
    layer: str
    label: str
    public: str | None = None
    """Why it can be reached from the internet, when it can."""


@dataclass
class Graph:
    stack: str
    resources: int
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[tuple[str, str]] = field(default_factory=set)
    """(dependent, dependency): a reference or a `depends_on`, between nodes or layers."""


def _instances(doc: dict[str, Any]):
    for section, prefix in (("resource", ""), ("data", "data.")):
        for rtype, instances in doc.get(section, {}).items():
            for name, body in instances.items():
                yield f"{prefix}{rtype}", name, body


def layer_key(rtype: str, body: dict[str, Any]) -> str:
    chart = body.get("chart") if rtype == "helm_release" else None
    return f"{rtype}:{chart}" if chart and f"{rtype}:{chart}" in LAYERS else rtype


def unmapped(doc: dict[str, Any]) -> set[str]:
    """Types in the stack that `LAYERS` does not place."""
    return {rtype for rtype, _, body in _instances(doc) if layer_key(rtype, body) not in LAYERS}


def _literal(value: Any) -> str | None:
    return value if isinstance(value, str) and "${" not in value else None


def _label(rtype: str, name: str, body: dict[str, Any]) -> str:
    metadata = body.get("metadata")
    metadata = metadata[0] if isinstance(metadata, list) and metadata else metadata or {}
    shown = _literal(body.get("name")) or _literal(metadata.get("name")) or _HASH_SUFFIX.sub("", name)
    return f"{rtype}\n{shown}"


def _public(rtype: str, body: dict[str, Any]) -> str | None:
    if layer_key(rtype, body) == "helm_release:nginx-ingress":
        (values,) = body.get("values") or ["{}"]
        service = (yaml.safe_load(values).get("controller") or {}).get("service") or {}
        ranges = service.get("loadBalancerSourceRanges") or ["anywhere"]
        return f"load balancer: HTTP/HTTPS from {', '.join(ranges)}"
    if rtype in ("google_compute_address", "google_compute_global_address") and body.get("address_type", "EXTERNAL") == "EXTERNAL":
        return "external IP address"
    if rtype == "google_container_cluster":
        private = body.get("private_cluster_config") or {}
        private = private[0] if isinstance(private, list) else private
        if not private.get("enable_private_endpoint"):
            networks = body.get("master_authorized_networks_config") or {}
            networks = networks[0] if isinstance(networks, list) else networks
            cidrs = [b.get("cidr_block") for b in networks.get("cidr_blocks", [])]
            return f"Kubernetes API from {', '.join(cidrs) or 'anywhere'}"
    return None


def _node_id(rtype: str, name: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", rtype if name is None else f"{rtype}__{name}")


def _strings(value: Any):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def _dependencies(body: dict[str, Any]):
    for text in _strings({k: v for k, v in body.items() if k not in ("//", "depends_on")}):
        for expression in _EXPRESSION.findall(text):
            yield from _REFERENCE.findall(expression)
    for address in body.get("depends_on", []):
        yield tuple(address.rsplit(".", 1))


def build(doc: dict[str, Any], stack: str) -> Graph:
    """The graph of one stack. Raises ValueError naming every type `LAYERS` does not place."""
    missing = unmapped(doc)
    if missing:
        raise ValueError(f"{stack}: no layer for {', '.join(sorted(missing))}: add them to LAYERS in scripts/diagram_model.py")
    counts: dict[str, int] = {}
    for rtype, _, _ in _instances(doc):
        counts[rtype] = counts.get(rtype, 0) + 1
    graph = Graph(stack, sum(len(i) for i in doc.get("resource", {}).values()))
    where: dict[tuple[str, str], str] = {}  # (type, instance) -> node id
    for rtype, name, body in _instances(doc):
        # Releases stay one by one: each chart is a component of its own layer.
        aggregate = rtype != "helm_release" and (counts[rtype] > AGGREGATE_ABOVE or "_iam_" in rtype)
        node_id = _node_id(rtype, None if aggregate else name)
        where[(rtype, name)] = node_id
        label = f"{rtype}\nx{counts[rtype]}" if aggregate else _label(rtype, name, body)
        node = graph.nodes.setdefault(node_id, Node(node_id, LAYERS[layer_key(rtype, body)], label))
        node.public = node.public or _public(rtype, body)
    for rtype, name, body in _instances(doc):
        source = graph.nodes[where[(rtype, name)]]
        for target in _dependencies(body):
            if target not in where or where[target] == source.id:
                continue
            dependency = graph.nodes[where[target]]
            if dependency.layer == "project":  # everything waits for its API: one edge per layer
                graph.edges.add((source.layer, "project"))
            else:
                graph.edges.add((source.id, dependency.id))
    graph.edges = {(a, b) for a, b in graph.edges if a != b}
    return graph
