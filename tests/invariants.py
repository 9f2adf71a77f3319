"""Deployment invariants: rules that GCP, GKE and the charts enforce at apply time, as checks
over a synthesized stack. Each returns the list of violations (empty: the rule holds).

- `api_violations`: every `google_*` resource waits (depends_on or references, transitively)
  for the `google_project_service` of the API it calls (`facts.apis.API_BY_RESOURCE_TYPE`).
- `webhook_violations`: on a private cluster, every admission webhook port of every installed
  chart (`WEBHOOK_PORTS_BY_CHART`, read in the charts) is open from the master CIDR to every node pool,
  and every release waits for those rules.
- `grant_violations`: the Flyte release waits for every IAM grant its pods' service accounts use.
- `token_endpoint_violations`: with auth on, flytepropeller gets a token endpoint it can reach
  inside the cluster (an authorized URI for the host it dials).
- `zone_first_violations`: with a Cloud DNS zone, the cluster and the database wait for the
  zone's read (and its postconditions), so a wrong zone fails the first apply before them.
- `chart_trap_violations`: values the chart passes through `tpl` keep their placeholders;
  the cluster resource templates create the project namespaces; settings the chart defaults
  to the `flyte` namespace follow `flyte.namespace`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import yaml
from chart_model import tpl_traps
from tfgraph import Graph, references

from flyte_gcp.facts.apis import api_of

# The admission webhook ports of each chart the stack may install, read in the charts here (not
# from the product's facts table, which `test_invariants.py` pins against this one):
# - flyte-core v1.16.8 templates/propeller/webhook.yaml: containerPort 9443, Service targetPort 9443;
# - flyte-binary v1.16.8 templates/deployment.yaml: the webhook's containerPort 9443;
# - cert-manager v1.21 values.yaml `webhook.securePort: 10250` ("GKE private clusters ... 443 and 10250");
# - nginx-ingress 2.6.4 (F5) and keycloakx 7.1.11: no ValidatingWebhookConfiguration or
#   MutatingWebhookConfiguration in their templates.
WEBHOOK_PORTS_BY_CHART: dict[str, set[int]] = {
    "flyte-core": {9443},
    "flyte-binary": {9443},
    "cert-manager": {10250},
    "nginx-ingress": set(),
    "keycloakx": set(),
}
# GKE docs, "Add firewall rules for specific use cases" (private clusters): the control plane may
# open TCP connections to nodes on 443 and 10250 only.
GKE_OPEN_PORTS = {443, 10250}

FLYTE_CHARTS = ("flyte-core", "flyte-binary")
IAM_GRANT_TYPES = (
    "google_storage_bucket_iam_member",
    "google_service_account_iam_member",
    "google_service_account_iam_binding",
    "google_project_iam_member",
    "google_artifact_registry_repository_iam_member",
)
# Value paths each chart defaults to the literal namespace `flyte` (from the v1.16.8 values.yaml),
# with the condition under which the chart uses them. A list value (authorizedUris, whose default
# ends with `http://flyteadmin.flyte.svc.cluster.local:80`) must name the namespace in its
# in-cluster service URL and never `flyte` in another one.
NAMESPACED_DEFAULTS: dict[str, dict[str, Any]] = {
    "flyte-core": {
        "configmap.core.propeller.leader-election.lock-config-map.namespace": lambda v: True,
        "configmap.adminServer.auth.authorizedUris": lambda v: (
            ((v.get("configmap") or {}).get("adminServer") or {}).get("server", {}).get("security", {}).get("useAuth") is True
        ),
    },
    "flyte-binary": {},
}
SERVICE_URL_NAMESPACE = re.compile(r"^https?://flyteadmin\.([a-z0-9-]+)\.svc")


def _namespaces_named(value: Any) -> Any:
    """The namespace(s) a setting names: the string itself, or those in a list's service URLs."""
    if isinstance(value, list):
        found = sorted({m.group(1) for v in value if (m := SERVICE_URL_NAMESPACE.match(str(v)))})
        return found[0] if len(found) == 1 else found
    return value


def _one(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _literal(value: Any) -> bool:
    return isinstance(value, str) and "${" not in value


def api_violations(doc: dict[str, Any]) -> list[str]:
    graph = Graph(doc)
    services = graph.of_type("google_project_service")
    out = []
    for address, body in sorted(graph.bodies.items()):
        resource_type = graph.type_of(address)
        if not resource_type.startswith("google_"):
            continue
        api = api_of(resource_type)
        if api is None:
            continue
        waited = {
            services[a]["service"]
            for a in graph.ancestors(address)
            if a in services
            and not (_literal(body.get("project")) and _literal(services[a]["project"]) and body["project"] != services[a]["project"])
        }
        if api not in waited:
            out.append(f"{address} does not wait for {api}")
    return out


def _installed_charts(graph: Graph) -> dict[str, str]:
    return {address: body["chart"] for address, body in graph.of_type("helm_release").items()}


def webhook_violations(doc: dict[str, Any]) -> list[str]:
    graph = Graph(doc)
    out = []
    for cluster in graph.of_type("google_container_cluster").values():
        private = _one(cluster.get("private_cluster_config")) or {}
        if not private.get("enable_private_nodes"):
            continue
        master = private["master_ipv4_cidr_block"]
        rules = {
            a: r
            for a, r in graph.of_type("google_compute_firewall").items()
            if r.get("direction", "INGRESS") == "INGRESS" and master in r.get("source_ranges", [])
        }
        pools = graph.of_type("google_container_node_pool")
        releases = _installed_charts(graph)
        for release, chart in sorted(releases.items()):
            if chart not in WEBHOOK_PORTS_BY_CHART:
                out.append(f"{release}: chart {chart} is not in WEBHOOK_PORTS_BY_CHART (read its webhooks first)")
                continue
            for port in sorted(WEBHOOK_PORTS_BY_CHART[chart]):
                if port in GKE_OPEN_PORTS:
                    continue
                for pool_address, pool in sorted(pools.items()):
                    tags = set(_one(pool.get("node_config") or {}).get("tags") or [])
                    if not any(_opens(rule, port) and tags & set(rule.get("target_tags", [])) for rule in rules.values()):
                        out.append(f"{chart} webhook port {port} is closed from {master} to {pool_address}")
            missing = {a for a, r in rules.items() if a not in graph.ancestors(release)}
            if missing and any(p not in GKE_OPEN_PORTS for c in releases.values() for p in WEBHOOK_PORTS_BY_CHART.get(c, ())):
                out.append(f"{release} does not wait for {sorted(missing)}")
    return out


def _opens(rule: dict[str, Any], port: int) -> bool:
    for allow in rule.get("allow", []):
        if allow.get("protocol") in ("tcp", "all") and (not allow.get("ports") or str(port) in allow["ports"]):
            return True
    return False


def flyte_release(graph: Graph) -> tuple[str, str, dict[str, Any]]:
    """The Flyte release's address, chart and values."""
    ((address, chart),) = [(a, c) for a, c in _installed_charts(graph).items() if c in FLYTE_CHARTS]
    (values_yaml,) = graph.bodies[address]["values"]
    return address, chart, yaml.safe_load(values_yaml)


def grant_violations(doc: dict[str, Any]) -> list[str]:
    graph = Graph(doc)
    address, _, chart_values = flyte_release(graph)
    accounts = {r for r in references(chart_values) if r.startswith("google_service_account.")}
    waited = graph.ancestors(address)
    out = []
    for grant_type in IAM_GRANT_TYPES:
        for grant, body in sorted(graph.of_type(grant_type).items()):
            used = references({k: body.get(k) for k in ("member", "members", "service_account_id")}) & accounts
            if used and grant not in waited:
                out.append(f"{address} does not wait for {grant} (used by {sorted(used)})")
    return out


PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _template_kinds(templates: list[str]) -> list[tuple[str, Any]]:
    """(kind, metadata.name) of each cluster resource template, placeholders filled as flyteadmin does."""
    out = []
    for text in templates:
        body = yaml.safe_load(PLACEHOLDER.sub(lambda m: f"PLACEHOLDER-{m.group(1)}", text))
        out.append((body["kind"], body["metadata"].get("name")))
    return out


def chart_trap_violations(doc: dict[str, Any], namespace: str) -> list[str]:
    _, chart, chart_values = flyte_release(Graph(doc))
    out = [f"tpl: {trap}" for trap in tpl_traps(chart, chart_values)]
    if chart == "flyte-core":
        templates = [t["value"] for t in chart_values["cluster_resource_manager"]["templates"]]
    else:
        templates = list((chart_values.get("clusterResourceTemplates", {}).get("inline") or {}).values())
    if templates and ("Namespace", "PLACEHOLDER-namespace") not in _template_kinds(templates):
        out.append(f"{chart}: cluster resource templates replace the chart's and create no <project>-<domain> Namespace")
    for path, used in NAMESPACED_DEFAULTS[chart].items():
        if not used(chart_values):
            continue
        value: Any = chart_values
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if _namespaces_named(value) != namespace:
            out.append(f"{chart}: {path} is {value!r}, not the Flyte namespace {namespace!r}")
    return out


# Where each chart's flytepropeller (and scheduler) dial flyteadmin when `configmap.admin.admin.endpoint`
# is not set: flyte-core `flyteadmin:81` (values.yaml), flyte-binary `localhost:8089` (fixed in
# templates/configmap.yaml). flyteadmin hands a client the token endpoint of the authorized URI whose
# host matches the host the client dialled, else the first URI, the public one
# (flyteadmin/auth/handler_utils.go GetPublicURL): an in-cluster client then needs public DNS, a
# trusted certificate and a load balancer that admits pods (not behind restricted source ranges).
IN_CLUSTER_ADMIN_HOST = {"flyte-core": "flyteadmin", "flyte-binary": "localhost"}


def _auth_settings(chart: str, chart_values: dict[str, Any]) -> tuple[bool, list[str]]:
    if chart == "flyte-core":
        admin = (chart_values.get("configmap") or {}).get("adminServer") or {}
        on = ((admin.get("server") or {}).get("security") or {}).get("useAuth") is True
        return on, list((admin.get("auth") or {}).get("authorizedUris") or [])
    auth = (chart_values.get("configuration") or {}).get("auth") or {}
    return auth.get("enabled") is True, list(auth.get("authorizedUris") or [])


def token_endpoint_violations(doc: dict[str, Any]) -> list[str]:
    """With auth on, the control plane's own clients must get an in-cluster token endpoint."""
    _, chart, chart_values = flyte_release(Graph(doc))
    on, uris = _auth_settings(chart, chart_values)
    host = IN_CLUSTER_ADMIN_HOST[chart]
    if on and not any(urlsplit(u).hostname == host for u in uris):
        return [f"{chart}: no authorized URI for host {host!r}: propeller would fetch tokens from {uris[:1]}"]
    return []


SLOW_TO_CREATE = ("google_container_cluster", "google_sql_database_instance")


def zone_first_violations(doc: dict[str, Any]) -> list[str]:
    graph = Graph(doc)
    zones = set(graph.of_type("google_dns_managed_zone")) & {a for a in graph.bodies if a.startswith("data.")}
    return [
        f"{address} does not wait for {zone}"
        for zone in sorted(zones)
        for resource_type in SLOW_TO_CREATE
        for address in graph.of_type(resource_type)
        if zone not in graph.ancestors(address)
    ]
