"""Observability (issue 20): collection on the cluster, the dashboard, the alerts, the opt-out.

Expectations are written here from their sources (the container API's enum, Flyte's metric
list in `data/`, the provider's schema), never read from `facts.monitoring` or `values.*`.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from day2 import proto_defaults
from invariants import api_violations
from support import CHART_DATA, VARIANTS, block, make_config, only, resources

from flyte_gcp.values.dashboard import DashboardInputs, dashboard

FLYTE_METRICS = json.loads((CHART_DATA / "flyte-v1.16.8.metrics.json").read_text())["metrics"]
# container v1 discovery document, MonitoringComponentConfig.enableComponents: the API answers in
# this order, so a list in another order diffs on every plan (provider 6.50.0 keeps it a TypeList).
API_ORDER = ["SYSTEM_COMPONENTS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER", "STORAGE", "HPA", "POD",
             "DAEMONSET", "DEPLOYMENT", "STATEFULSET", "CADVISOR", "KUBELET", "DCGM", "JOBSET"]
METRIC_SELECTOR = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\{")
OBSERVED = [n for n in VARIANTS if make_config(**VARIANTS[n]).monitoring.observe]


def _gpus(name: str) -> bool:
    return any(p.accelerator for p in make_config(**VARIANTS[name]).gke.node_pools)


def queries(doc: dict[str, Any]) -> list[str]:
    board = json.loads(only(doc, "google_monitoring_dashboard")["dashboard_json"])
    return [
        ds["timeSeriesQuery"]["prometheusQuery"]
        for tile in board["mosaicLayout"]["tiles"]
        for ds in tile["widget"].get("xyChart", {}).get("dataSets", [])
    ]


def unknown_flyte_metrics(promql: list[str]) -> list[str]:
    names = {n for q in promql for n in METRIC_SELECTOR.findall(q)}
    return sorted(n for n in names if n.startswith(("flyte:", "grpc_")) and n not in FLYTE_METRICS)


# --- collection -----------------------------------------------------------------------


def collection_violations(doc: dict[str, Any], observe: bool, gpus: bool) -> list[str]:
    """Managed collection on (off with the opt-out), DCGM exactly when there are GPU pools, API order."""
    monitoring = block(only(doc, "google_container_cluster").get("monitoring_config") or {})
    components = monitoring.get("enable_components", [])
    managed = block(monitoring.get("managed_prometheus") or {}).get("enabled")
    out = []
    if not observe:
        if (components, managed) != (["SYSTEM_COMPONENTS"], False):
            out.append(f"opt-out still collects: {components}, managed collection {managed}")
        return out
    if managed is not True:
        out.append("managed collection is off")
    if {"SYSTEM_COMPONENTS", "POD", "DEPLOYMENT", "STATEFULSET"} - set(components):
        out.append(f"components {components} miss system or workload metrics")
    if ("DCGM" in components) != gpus:
        out.append(f"DCGM {'missing with' if gpus else 'enabled without'} GPU pools")
    if components != sorted(components, key=API_ORDER.index):
        out.append(f"{components} is not in the API's order: the second plan shows a diff")
    return out


@pytest.mark.parametrize("name", list(VARIANTS))
def test_cluster_collection_dcgm_only_with_gpus_in_the_api_order(synthesized, name):
    assert collection_violations(synthesized[name], name in OBSERVED, _gpus(name)) == []
    if name in OBSERVED:
        expected = ["SYSTEM_COMPONENTS", "POD", "DEPLOYMENT", "STATEFULSET"] + (["DCGM"] if _gpus(name) else [])
        assert block(only(synthesized[name], "google_container_cluster")["monitoring_config"])["enable_components"] == expected


def test_gpu_variants_exist_on_both_sides():
    assert {_gpus(n) for n in OBSERVED} == {True, False}


def _components(doc: dict[str, Any], change) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    monitoring = block(only(doc, "google_container_cluster")["monitoring_config"])
    monitoring["enable_components"] = change(monitoring["enable_components"])
    return doc


@pytest.mark.parametrize(
    "name, change, message",
    [
        ("core-gpu-spot", lambda c: [x for x in c if x != "DCGM"], "DCGM missing with GPU pools"),
        ("example", lambda c: [*c, "DCGM"], "DCGM enabled without GPU pools"),
        ("core-gpu-spot", lambda c: ["DCGM", *[x for x in c if x != "DCGM"]], "not in the API's order"),
        ("example", lambda c: sorted(c), "not in the API's order"),
    ],
)
def test_the_collection_check_fails(synthesized, name, change, message):
    (violation,) = collection_violations(_components(synthesized[name], change), True, _gpus(name))
    assert message in violation


# --- dashboard ------------------------------------------------------------------------


@pytest.mark.parametrize("name", OBSERVED)
def test_every_flyte_metric_on_the_dashboard_exists_in_flyte_1_16_8(synthesized, name):
    promql = queries(synthesized[name])
    assert unknown_flyte_metrics(promql) == []
    assert any(q for q in promql if "flyte:propeller:all:round:" in q) and any("grpc_server_handled_total" in q for q in promql)


def test_the_metric_check_fails_on_a_name_flyte_does_not_export():
    # `round:errors` reads plausibly; Flyte's name is `round:error_count`
    assert unknown_flyte_metrics(['sum(rate(flyte:propeller:all:round:errors{cluster="x"}[5m]))']) == ["flyte:propeller:all:round:errors"]


def test_the_derived_list_holds_what_the_upstream_dashboards_use():
    assert FLYTE_METRICS["flyte:propeller:all:free_workers_count"].endswith("flytepropeller-dashboard.json")
    assert "grpc_server_handled_total" in FLYTE_METRICS and "grpc_server_handling_seconds_bucket" in FLYTE_METRICS


@pytest.mark.parametrize("name", OBSERVED)
def test_the_dashboard_holds_no_value_the_api_would_drop(synthesized, name):
    assert proto_defaults(json.loads(only(synthesized[name], "google_monitoring_dashboard")["dashboard_json"])) == []


def test_the_default_value_check_fails_on_a_zero_position():
    board = dashboard(DashboardInputs(name="flyte-gcp", sql_database_id="p:i", flyte_job="flyteadmin"))
    broken = copy.deepcopy(board)
    broken["mosaicLayout"]["tiles"][0]["xPos"] = 0
    assert proto_defaults(board) == [] and proto_defaults(broken) == [".mosaicLayout.tiles[0].xPos"]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_gpu_section_only_with_gpus(synthesized, name):
    if name not in OBSERVED:
        assert resources(synthesized[name], "google_monitoring_dashboard") == {}
        return
    assert any("DCGM_FI_DEV_GPU_UTIL" in q for q in queries(synthesized[name])) == _gpus(name)


def test_dashboard_is_scoped_to_the_environment_and_its_url_is_an_output(synthesized):
    doc = synthesized["example"]
    promql = queries(doc)
    assert all('cluster="flyte-gcp"' in q or 'cluster_name="flyte-gcp"' in q or "database_id=" in q for q in promql)
    assert any('database_id="my-flyte-project:${google_sql_database_instance.' in q for q in promql)
    url = doc["output"]["dashboard_url"]["value"]
    assert url.startswith("https://console.cloud.google.com/monitoring/dashboards/custom/${element(split(\"/\", google_monitoring_dashboard.")
    assert url.endswith("?project=my-flyte-project")


# --- alerts ---------------------------------------------------------------------------


def alert_violations(doc: dict[str, Any]) -> list[str]:
    """Every policy notifies a channel of this stack; every PromQL condition skips metric validation."""
    channels = {f"${{google_monitoring_notification_channel.{k}.id}}" for k in resources(doc, "google_monitoring_notification_channel")}
    out = []
    for key, policy in resources(doc, "google_monitoring_alert_policy").items():
        if not policy.get("notification_channels") or not set(policy["notification_channels"]) <= channels:
            out.append(f"{key}: notifies {policy.get('notification_channels')}, not a channel of this stack")
        for condition in policy["conditions"]:
            promql = condition.get("condition_prometheus_query_language")
            if promql is not None and block(promql).get("disable_metric_validation") is not True:
                out.append(f"{key}: PromQL condition validates its metrics (a fresh environment has none yet: the apply fails)")
    return out


@pytest.mark.parametrize("name", OBSERVED)
def test_every_alert_policy_has_a_channel_and_survives_a_fresh_project(synthesized, name):
    doc = synthesized[name]
    assert alert_violations(doc) == []
    names = {p["display_name"].split(": ", 1)[1] for p in resources(doc, "google_monitoring_alert_policy").values()}
    assert {"Flyte control plane not serving", "Flyte propeller round errors", "Cloud SQL CPU high",
            "Cloud SQL disk almost full", "TLS certificate expires in under 14 days"} <= names


@pytest.mark.parametrize("breakage", ["no channel", "another stack's channel", "validated"])
def test_the_alert_check_fails(synthesized, breakage):
    doc = copy.deepcopy(synthesized["example"])
    (policy,) = [p for k, p in resources(doc, "google_monitoring_alert_policy").items() if "control-plane-down" in k]
    if breakage == "no channel":
        policy["notification_channels"] = []
    elif breakage == "another stack's channel":
        policy["notification_channels"] = ["projects/other/notificationChannels/1"]
    else:
        block(policy["conditions"][0]["condition_prometheus_query_language"]).pop("disable_metric_validation")
    assert len(alert_violations(doc)) == 1


def test_channels_are_the_notification_emails(synthesized):
    emails = lambda n: sorted(block(c["labels"])["email_address"] for c in resources(synthesized[n], "google_monitoring_notification_channel").values())
    assert emails("example") == ["platform-team@example.com"]
    assert emails("core-namespace-pg15") == ["oncall@example.com", "platform-team@example.com"]


def test_control_plane_alert_covers_every_scraped_job_and_a_missing_one(synthesized):
    policies = resources(synthesized["example"], "google_monitoring_alert_policy")
    (policy,) = [p for k, p in policies.items() if "control-plane-down" in k]
    query = block(policy["conditions"][0]["condition_prometheus_query_language"])["query"]
    for job in ("flyteadmin", "flytepropeller", "datacatalog", "flytescheduler", "nginx-ingress", "cert-manager", "keycloak"):
        assert f'absent(up{{cluster="flyte-gcp",job="{job}"}})' in query
    assert 'sum by (job) (up{cluster="flyte-gcp",job=~"' in query and ") == 0)" in query


def uptime_violations(doc: dict[str, Any], public: bool, host: str, project_id: str) -> list[str]:
    """An HTTPS check of flyteadmin's health path with its alert exactly when the internet may connect."""
    checks = resources(doc, "google_monitoring_uptime_check_config")
    if not public:
        return [f"uptime check {sorted(checks)} behind restricted ranges: Google's checkers cannot connect"] if checks else []
    if len(checks) != 1:
        return [f"{len(checks)} uptime checks with a public ingress"]
    ((key, check),) = checks.items()
    http = block(check["http_check"])
    out = []
    if (http.get("path"), http.get("port"), http.get("use_ssl"), http.get("validate_ssl")) != ("/healthcheck", 443, True, True):
        out.append(f"uptime check probes {http}, not https://<host>/healthcheck with a valid certificate")
    if block(check["monitored_resource"]) != {"type": "uptime_url", "labels": {"project_id": project_id, "host": host}}:
        out.append(f"uptime check watches {check['monitored_resource']}")
    reference = f"google_monitoring_uptime_check_config.{key}.uptime_check_id"
    alerting = [p for p in resources(doc, "google_monitoring_alert_policy").values()
                if any(reference in block(c.get("condition_threshold") or {}).get("filter", "") for c in p["conditions"])]
    if len(alerting) != 1:
        out.append(f"{len(alerting)} alert policies on the uptime check")
    return out


@pytest.mark.parametrize("name", list(VARIANTS))
def test_uptime_check_only_when_public(synthesized, name):
    c = make_config(**VARIANTS[name])
    assert uptime_violations(synthesized[name], c.monitoring.observe and c.ingress.is_public, c.flyte_host, c.project_id) == []


def test_the_uptime_check_fails(synthesized):
    public = synthesized["example"]
    (check,) = resources(public, "google_monitoring_uptime_check_config").values()
    restricted = copy.deepcopy(synthesized["binary-restricted-dns"])
    restricted["resource"]["google_monitoring_uptime_check_config"] = {"check": check}
    assert "behind restricted ranges" in uptime_violations(restricted, False, "flyte.example.com", "my-flyte-project")[0]
    wrong_path = copy.deepcopy(public)
    block(next(iter(resources(wrong_path, "google_monitoring_uptime_check_config").values()))["http_check"])["path"] = "/console"
    assert "not https://<host>/healthcheck" in uptime_violations(wrong_path, True, "flyte.example.com", "my-flyte-project")[0]
    no_alert = copy.deepcopy(public)
    no_alert["resource"]["google_monitoring_alert_policy"] = {
        k: p for k, p in resources(no_alert, "google_monitoring_alert_policy").items() if "uptime" not in k
    }
    assert uptime_violations(no_alert, True, "flyte.example.com", "my-flyte-project") == ["0 alert policies on the uptime check"]


def test_uptime_variants_exist_on_both_sides():
    public = {make_config(**VARIANTS[n]).ingress.is_public for n in OBSERVED}
    assert public == {True, False}


# --- the opt-out and the API ------------------------------------------------------------


def test_observe_false_creates_no_collection_dashboard_or_alert(synthesized):
    (name,) = [n for n in VARIANTS if n not in OBSERVED]
    doc = synthesized[name]
    for kind in ("google_monitoring_dashboard", "google_monitoring_alert_policy", "google_monitoring_notification_channel"):
        assert resources(doc, kind) == {}
    assert "dashboard_url" not in doc["output"]
    assert "monitoring.googleapis.com" not in {s["service"] for s in resources(doc, "google_project_service").values()}


def test_monitoring_api_invariant_fails_when_a_channel_does_not_wait(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    only(doc, "google_monitoring_notification_channel").pop("depends_on")
    (key,) = resources(doc, "google_monitoring_notification_channel")
    assert f"google_monitoring_notification_channel.{key} does not wait for monitoring.googleapis.com" in api_violations(doc)


def test_pod_monitorings_wait_for_the_releases_whose_pods_they_select(synthesized):
    doc = synthesized["example"]
    for key, body in resources(doc, "kubectl_manifest").items():
        if key.startswith("flyte-metrics_"):
            assert any(d.startswith("helm_release.flyte_release_") for d in body["depends_on"]), key
        if key.startswith("keycloak-metrics_"):
            assert any(d.startswith("helm_release.keycloak_release_") for d in body["depends_on"]), key


def test_notification_emails_must_be_distinct():
    with pytest.raises(ValueError, match="notification_emails: contains duplicates"):
        make_config(monitoring={"notification_emails": ["a@example.com", "A@example.com"]})
