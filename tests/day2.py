"""The second plan, as checks over a synthesized stack: one per row of `facts.drift.DRIFT`.

Each check is written from the provider's behaviour the row describes, not from the product's
code: it reads the synthesized JSON and returns the violations (empty: the next plan after an
apply shows no difference for that attribute). `covered` checks that every attribute a stack
sets on a `google_*` resource was reviewed (`DRIFT` or `REVIEWED`) and, on the types of
`facts.force_new`, classified as ForceNew or in place.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

META_ARGUMENTS = {"depends_on", "lifecycle", "provider", "count", "for_each", "//"}


def single(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) else value


def get(body: dict[str, Any], path: str) -> Any:
    value: Any = body
    for key in path.split("."):
        value = single(value)
        value = value.get(key) if isinstance(value, dict) else None
    return single(value)


def ignored(body: dict[str, Any]) -> set[str]:
    """lifecycle.ignore_changes as attribute paths (`settings[0].x` -> `settings.x`)."""
    return {re.sub(r"\[\d+\]", "", p) for p in (single(body.get("lifecycle")) or {}).get("ignore_changes") or []}


def of_type(doc: dict[str, Any], resource_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, body in (doc.get("resource", {}).get(resource_type) or {}).items():
        yield f"{resource_type}.{name}", body


def _canonical_cidr(value: str) -> bool:
    try:
        return str(ipaddress.IPv4Network(value, strict=True)) == value
    except ValueError:
        return False


def _each(resource_type: str, path: str, ok: Callable[[Any, dict[str, Any]], bool], what: str):
    """A check: every resource of the type whose `path` is set (or, with `None` allowed, any) passes `ok`."""

    def check(doc: dict[str, Any]) -> list[str]:
        return [
            f"{address}: {path} = {get(body, path)!r}: {what}"
            for address, body in of_type(doc, resource_type)
            if not ok(get(body, path), body)
        ]

    return check


def values(body: Any, path: str) -> list[Any]:
    """Every value at `path`, through every element of the lists on the way (a policy's conditions)."""
    key, _, rest = path.partition(".")
    items = body if isinstance(body, list) else [body]
    found = [item[key] for item in items if isinstance(item, dict) and key in item]
    return [v for value in found for v in (values(value, rest) if rest else [value])]


def _every(resource_type: str, path: str, ok: Callable[[Any], bool], what: str):
    """A check: every value at `path` in every resource of the type passes `ok`."""

    def check(doc: dict[str, Any]) -> list[str]:
        return [
            f"{address}: {path} = {value!r}: {what}"
            for address, body in of_type(doc, resource_type)
            for value in values(body, path)
            if not ok(value)
        ]

    return check


# The enum of MonitoringComponentConfig.enableComponents in the GKE v1 API (container-api.json), in
# its order, which is the order GKE answers the list in. Typed from the API reference.
GKE_COMPONENT_ENUM = [
    "SYSTEM_COMPONENTS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER", "STORAGE", "HPA", "POD",
    "DAEMONSET", "DEPLOYMENT", "STATEFULSET", "CADVISOR", "KUBELET", "DCGM", "JOBSET",
]


def _in_enum_order(components: Any) -> bool:
    return all(c in GKE_COMPONENT_ENUM for c in components) and [GKE_COMPONENT_ENUM.index(c) for c in components] == sorted(
        GKE_COMPONENT_ENUM.index(c) for c in components
    )


SECONDS = re.compile(r"^(0|[1-9][0-9]*)s$")


def proto_defaults(value: Any, path: str = "") -> list[str]:
    """Fields holding a proto3 default (0, false, "", empty): the API drops them, so they diff forever."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in proto_defaults(v, f"{path}.{k}")] + ([path] if not value else [])
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in proto_defaults(v, f"{path}[{i}]")] + ([path] if not value else [])
    return [path] if value in (0, False, "") and value is not True else []


FLAG_VALUE = re.compile(r"^(on|off|-?[0-9]+|[a-z_]+)$")
EMAIL_REFERENCE = re.compile(r"^\$\{google_service_account\.[A-Za-z0-9_-]+\.email\}$")

CHECKS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "cluster-node-config": _each(
        "google_container_cluster", "node_config", lambda v, b: v is None or "node_config" in ignored(b),
        "set, and not in lifecycle.ignore_changes (GKE answers it from another node pool)",
    ),
    "cluster-initial-node-count": _each(
        "google_container_cluster", "initial_node_count", lambda v, b: v is None or "initial_node_count" in ignored(b),
        "set, and not in lifecycle.ignore_changes (ForceNew, read from the removed default pool)",
    ),
    "cluster-master-cidr": _each(
        "google_container_cluster", "private_cluster_config.master_ipv4_cidr_block", lambda v, b: v is None or _canonical_cidr(v),
        "not a canonical network address",
    ),
    "pool-metadata": _each(
        "google_container_node_pool", "node_config.metadata",
        lambda v, b: v is None or v.get("disable-legacy-endpoints") == "true",
        'lacks "disable-legacy-endpoints": "true", which GKE adds',
    ),
    "pool-service-account": _each(
        "google_container_node_pool", "node_config.service_account",
        lambda v, b: v is None or bool(EMAIL_REFERENCE.match(v)) or ("@" in v and "/" not in v and ":" not in v),
        "not the account's e-mail",
    ),
    "pool-taints": _each(
        "google_container_node_pool", "node_config.taint", lambda v, b: v is None or isinstance(v, dict) or len(v) <= 1,
        "more than one declared taint (compared in the API's order)",
    ),
    "pool-initial-node-count": _each(
        "google_container_node_pool", "initial_node_count", lambda v, b: v in (None, 1),
        "not unset or the constant 1",
    ),
    "sql-backup-start-time": _each(
        "google_sql_database_instance", "settings.backup_configuration.start_time",
        lambda v, b: v is None or bool(re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", v)),
        "not zero-padded HH:MM",
    ),
    "sql-flag-values": _each(
        "google_sql_database_instance", "settings.database_flags",
        lambda v, b: all(
            FLAG_VALUE.match(str(f["value"])) and f["value"] not in ("true", "false")
            for f in (v if isinstance(v, list) else [v] if v else [])
        ),
        "a flag value Cloud SQL spells differently",
    ),
    "sql-disk-size": _each(
        "google_sql_database_instance", "settings.disk_size", lambda v, b: v is None,
        "set while the disk grows by itself (a shrink replaces the instance)",
    ),
    "sql-regional-location": _each(
        "google_sql_database_instance", "settings.location_preference",
        lambda v, b: get(b, "settings.availability_type") != "REGIONAL" or "settings.location_preference" in ignored(b),
        "REGIONAL without settings[0].location_preference in lifecycle.ignore_changes",
    ),
    "bucket-public-access-prevention": _each(
        "google_storage_bucket", "public_access_prevention", lambda v, b: v in (None, "enforced", "inherited"),
        "not spelled as the API answers",
    ),
    "subnet-flow-logs-flag": _each(
        "google_compute_subnetwork", "enable_flow_logs", lambda v, b: v is None,
        "set (deprecated, ForceNew, derived by the API)",
    ),
    "peering-range-address": _each(
        "google_compute_global_address", "address",
        lambda v, b: v is None or _canonical_cidr(f"{v}/{b.get('prefix_length')}"),
        "not the network address of the range",
    ),
    "cluster-monitoring-components": _every(
        "google_container_cluster", "monitoring_config.enable_components", _in_enum_order,
        "not in the order of GKE's enum (the API answers that order)",
    ),
    "alert-promql-duration": _every(
        "google_monitoring_alert_policy", "conditions.condition_prometheus_query_language.duration",
        lambda v: bool(SECONDS.match(str(v))), 'not whole seconds "<n>s"',
    ),
    "alert-threshold-duration": _every(
        "google_monitoring_alert_policy", "conditions.condition_threshold.duration",
        lambda v: bool(SECONDS.match(str(v))), 'not whole seconds "<n>s"',
    ),
    "alert-alignment-period": _every(
        "google_monitoring_alert_policy", "conditions.condition_threshold.aggregations.alignment_period",
        lambda v: bool(SECONDS.match(str(v))), 'not whole seconds "<n>s"',
    ),
    "alert-threshold-filter": _every(
        "google_monitoring_alert_policy", "conditions.condition_threshold.filter",
        lambda v: isinstance(v, str) and "\n" not in v and v == v.strip(), "not one line without surrounding white space",
    ),
    "uptime-period": _every(
        "google_monitoring_uptime_check_config", "period", lambda v: v in ("60s", "300s", "600s", "900s"),
        "not one of 60s, 300s, 600s, 900s",
    ),
    "uptime-timeout": _every(
        "google_monitoring_uptime_check_config", "timeout",
        lambda v: bool(SECONDS.match(str(v))) and 1 <= int(v[:-1]) <= 60, 'not whole seconds "<n>s" from 1 to 60',
    ),
    "dashboard-no-defaults": _every(
        "google_monitoring_dashboard", "dashboard_json", lambda v: proto_defaults(json.loads(v)) == [],
        "holds a field at its proto3 default, which the API drops",
    ),
}


def leaf_paths(body: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Attribute paths a resource body sets, blocks joined with dots (maps stop at their key)."""
    for key, value in body.items():
        if not prefix and key in META_ARGUMENTS:
            continue
        path = f"{prefix}{key}"
        items = value if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) else [value]
        if all(isinstance(v, dict) for v in items) and not _is_map(path):
            for item in items:
                yield from leaf_paths(item, path + ".")
        else:
            yield path


# Map attributes (free keys), not blocks: their keys are data, not attribute names.
MAPS = {"labels", "resource_labels", "metadata", "user_labels"}


def _is_map(path: str) -> bool:
    return path.rsplit(".", 1)[-1] in MAPS


def uncovered(doc: dict[str, Any], prefixes: dict[str, set[str]], types: set[str] | None = None) -> list[str]:
    """`type.path` set by the stack and under none of `prefixes[type]` (only `types`, else every google_*)."""
    out = set()
    for resource_type, instances in doc.get("resource", {}).items():
        if not resource_type.startswith("google_") or (types is not None and resource_type not in types):
            continue
        for body in instances.values():
            for path in leaf_paths(body):
                if not any(path == p or path.startswith(p + ".") for p in prefixes.get(resource_type, ())):
                    out.add(f"{resource_type}.{path}")
    return sorted(out)
