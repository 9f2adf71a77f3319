"""Day 2 (issue 16): an empty second plan, the ForceNew table, a teardown that works, database
availability (the announcements themselves: tests/test_replacements.py).

The drift and force-new tables (`facts/drift.py`, `facts/force_new.py`) are held against the
provider's source through tests/data/provider-v6.50.0.json (derived by
tests/data/derive_provider_data.py) and against fragments of that source written here by hand;
every drift row is checked on every variant and shown failing on a broken stack.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from day2 import CHECKS, uncovered
from support import block, build_stack, make_config, only, resource_of_type, resources, synth

from flyte_gcp.facts.drift import DRIFT, REVIEWED
from flyte_gcp.facts.force_new import FORCE_NEW, IN_PLACE

PROVIDER = json.loads((Path(__file__).parent / "data" / "provider-v6.50.0.json").read_text())
NODE_CONFIG_FILE = "google/services/container/node_config.go"


def cited(source: str) -> list[str]:
    """The provider lines a row's source cites, as text."""
    out = []
    for path, numbers in re.findall(r"(google/[\w/.]+\.go):([\d@\-, ]+)", source):
        for a, b in re.findall(r"(\d+)(?:[-@](\d+))?", numbers):
            out += [PROVIDER["lines"][path].get(str(n), "") for n in range(int(a), int(b or a) + 1)]
    return out


# --- the second plan ---------------------------------------------------------------------


def test_every_drift_row_has_a_check():
    assert {row.id for row in DRIFT} == set(CHECKS)


def test_the_second_plan_is_empty(variant):
    name, doc = variant
    assert {row_id: check(doc) for row_id, check in CHECKS.items() if check(doc)} == {}, name


def _pool(doc, name="cluster_node-pool_6EB9B867"):
    return block(doc["resource"]["google_container_node_pool"][name]["node_config"])


def _instance(doc):
    return next(iter(doc["resource"]["google_sql_database_instance"].values()))


def _set_path(body, path, value):
    *parents, leaf = path.split(".")
    for key in parents:
        body = block(body[key])
    body[leaf] = value


# Each row broken the way a later edit would break it: (variant, resource type, change).
BREAKS = {
    "cluster-node-config": ("example", "google_container_cluster", lambda b: b.pop("lifecycle")),
    "cluster-initial-node-count": ("example", "google_container_cluster", lambda b: b["lifecycle"].update(ignore_changes=["node_config"])),
    "cluster-master-cidr": ("example", "google_container_cluster", lambda b: _set_path(b, "private_cluster_config.master_ipv4_cidr_block", "172.31.255.5/28")),
    "pool-metadata": ("example", "google_container_node_pool", lambda b: _set_path(b, "node_config.metadata", {"enable-oslogin": "true"})),
    "pool-service-account": ("example", "google_container_node_pool", lambda b: _set_path(b, "node_config.service_account", "${google_service_account.cluster_node-sa_643412EE.name}")),
    "pool-taints": ("example", "google_container_node_pool", lambda b: _set_path(b, "node_config.taint", [{"key": "a", "value": "1", "effect": "NO_SCHEDULE"}, {"key": "b", "value": "2", "effect": "NO_SCHEDULE"}])),
    "pool-initial-node-count": ("example", "google_container_node_pool", lambda b: b.update(initial_node_count=3)),
    "sql-backup-start-time": ("example", "google_sql_database_instance", lambda b: _set_path(b, "settings.backup_configuration.start_time", "3:00")),
    "sql-flag-values": ("example", "google_sql_database_instance", lambda b: block(b["settings"])["database_flags"].append({"name": "log_duration", "value": "true"})),
    "sql-disk-size": ("example", "google_sql_database_instance", lambda b: _set_path(b, "settings.disk_size", 10)),
    "sql-regional-location": ("core-ha-teardown", "google_sql_database_instance", lambda b: b.pop("lifecycle")),
    "bucket-public-access-prevention": ("example", "google_storage_bucket", lambda b: b.update(public_access_prevention="Enforced")),
    "subnet-flow-logs-flag": ("example", "google_compute_subnetwork", lambda b: b.update(enable_flow_logs=True)),
    "peering-range-address": ("example", "google_compute_global_address", lambda b: b.update(address="10.64.0.1")),
    "cluster-monitoring-components": ("example", "google_container_cluster", lambda b: _set_path(b, "monitoring_config.enable_components", ["SYSTEM_COMPONENTS", "STATEFULSET", "POD"])),
    "alert-promql-duration": ("example", "google_monitoring_alert_policy", lambda b: _set_path(b, "conditions.condition_prometheus_query_language.duration", "5m")),
    "alert-threshold-duration": ("example", "google_monitoring_alert_policy", lambda b: _set_uptime_condition(b, "duration", "600.0s")),
    "alert-alignment-period": ("example", "google_monitoring_alert_policy", lambda b: _set_uptime_condition(b, "aggregations", [{"alignment_period": "20m"}])),
    "alert-threshold-filter": ("example", "google_monitoring_alert_policy", lambda b: _set_uptime_condition(b, "filter", 'metric.type="x" AND resource.type="uptime_url"\n')),
    "uptime-period": ("example", "google_monitoring_uptime_check_config", lambda b: b.update(period="120s")),
    "uptime-timeout": ("example", "google_monitoring_uptime_check_config", lambda b: b.update(timeout="1m")),
    "dashboard-no-defaults": ("example", "google_monitoring_dashboard", lambda b: b.update(dashboard_json=_with_zero_position(b["dashboard_json"]))),
}


def _set_uptime_condition(body, key, value):
    """The first policy's condition turned into a threshold (as the uptime policy's), with `key` written badly."""
    block(body["conditions"]).setdefault("condition_threshold", {"comparison": "COMPARISON_GT", "duration": "600s", "filter": "x"})[key] = value


def _with_zero_position(dashboard_json):
    board = json.loads(dashboard_json)
    board["mosaicLayout"]["tiles"][0]["xPos"] = 0
    return json.dumps(board)


def test_every_drift_row_is_shown_failing():
    assert set(BREAKS) == set(CHECKS)


@pytest.mark.parametrize("row_id", list(BREAKS))
def test_each_drift_check_fails_on_a_broken_stack(synthesized, row_id):
    variant, resource_type, change = BREAKS[row_id]
    doc = copy.deepcopy(synthesized[variant])
    name, body = next(iter(doc["resource"][resource_type].items()))
    assert CHECKS[row_id](doc) == []
    change(body)
    violations = CHECKS[row_id](doc)
    assert len(violations) == 1 and violations[0].startswith(f"{resource_type}.{name}: "), violations


def test_the_cluster_check_fails_when_an_escape_hatch_drops_the_ignore_list():
    stack = build_stack(make_config(), "drift-escape-hatch")
    from flyte_gcp.cdk.toolchain import TerraformResourceLifecycle

    resource_of_type(stack, "google_container_cluster").lifecycle = TerraformResourceLifecycle(ignore_changes=["initial_node_count"])
    (violation,) = CHECKS["cluster-node-config"](synth(stack))
    assert "not in lifecycle.ignore_changes" in violation


def test_the_default_pool_still_starts_on_the_node_service_account(synthesized):
    """ignore_changes leaves the creation-time node_config in place: policy FG3 still holds."""
    for name, doc in synthesized.items():
        cluster = only(doc, "google_container_cluster")
        assert block(cluster["node_config"])["service_account"] == "${google_service_account.cluster_node-sa_643412EE.email}", name
        assert cluster["lifecycle"] == {"ignore_changes": ["node_config", "initial_node_count"]}, name


def _reviewed_prefixes() -> dict[str, set[str]]:
    prefixes: dict[str, set[str]] = {}
    for row in DRIFT:
        prefixes.setdefault(row.resource_type, set()).add(row.path)
    for row in REVIEWED:
        prefixes.setdefault(row.resource_type, set()).update(row.paths)
    return prefixes


def test_every_attribute_a_stack_sets_was_reviewed(variant):
    name, doc = variant
    assert uncovered(doc, _reviewed_prefixes()) == [], name


def test_the_review_check_reports_an_attribute_nobody_reviewed(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    next(iter(doc["resource"]["google_container_cluster"].values()))["min_master_version"] = "1.33"
    block(next(iter(doc["resource"]["google_sql_database_instance"].values()))["settings"])["user_labels"] = {"a": "b"}
    assert uncovered(doc, _reviewed_prefixes()) == [
        "google_container_cluster.min_master_version",
        "google_sql_database_instance.settings.user_labels",
    ]


# What each drift row's cited lines must show, copied from the v6.50.0 source by hand.
DRIFT_SOURCE = {
    "cluster-node-config": ['d.Set("node_config", flattenNodeConfig(cluster.NodeConfig', 'defaultPool := "default-pool"'],
    "cluster-initial-node-count": ['d.Set("initial_node_count", cluster.InitialNodeCount)', "ForceNew:    true"],
    "cluster-master-cidr": ['r["master_ipv4_cidr_block"] = pcc.MasterIpv4CidrBlock'],
    "pool-metadata": ["c.Metadata,", '"metadata": {'],
    "pool-service-account": ["c.ServiceAccount,", '"service_account": {'],
    "pool-taints": ["func flattenTaints(c []*container.NodeTaint, oldTaints []interface{})", "if _, ok := taintKeys[taint.Key]; ok"],
    "pool-initial-node-count": ["np.InitialNodeCount,"],
    "sql-backup-start-time": ["backupConfiguration.StartTime,", '"start_time": {'],
    "sql-flag-values": ["schema.HashResource(sqlDatabaseFlagSchemaElem)"],
    "sql-disk-size": ['customdiff.ForceNewIfChange("settings.0.disk_size", compute.IsDiskShrinkage)', "settings.DataDiskSizeGb"],
    "sql-regional-location": ["locationPreference.SecondaryZone", '"secondary_zone": {'],
    "bucket-public-access-prevention": ['d.Set("public_access_prevention", res.IamConfiguration.PublicAccessPrevention)'],
    "subnet-flow-logs-flag": ['d.Set("enable_flow_logs", flattenComputeSubnetworkEnableFlowLogs(res["enableFlowLogs"]'],
    "peering-range-address": ['d.Set("address", flattenComputeGlobalAddressAddress(res["address"]'],
    "cluster-monitoring-components": ['"enable_components": {', "Type:        schema.TypeList,", 'result["enable_components"] = c.ComponentConfig.EnableComponents'],
    "alert-promql-duration": ['"duration": {', "func flattenMonitoringAlertPolicyConditionsConditionPrometheusQueryLanguageDuration(", "return v"],
    "alert-threshold-duration": ['"duration": {', "func flattenMonitoringAlertPolicyConditionsConditionThresholdDuration(", "return v"],
    "alert-alignment-period": ['"alignment_period": {', "func flattenMonitoringAlertPolicyConditionsConditionThresholdAggregationsAlignmentPeriod(", "return v"],
    "alert-threshold-filter": ['"filter": {', "func flattenMonitoringAlertPolicyConditionsConditionThresholdFilter(", "return v"],
    "uptime-period": ['"period": {', 'Default:     "300s",', "func flattenMonitoringUptimeCheckConfigPeriod(", "return v"],
    "uptime-timeout": ['"timeout": {', "func flattenMonitoringUptimeCheckConfigTimeout(", "return v"],
    "dashboard-no-defaults": ["if _, ok := old[k]; ok && new[k] == nil {", "oldMap = removeComputedKeys(oldMap, newMap)", "DiffSuppressFunc: monitoringDashboardDiffSuppress,", 'd.Set("dashboard_json", str)'],
}


@pytest.mark.parametrize("row", DRIFT, ids=lambda r: r.id)
def test_each_drift_row_cites_the_source_that_shows_it(row):
    text = "\n".join(cited(row.source))
    missing = [fragment for fragment in DRIFT_SOURCE[row.id] if fragment not in text]
    assert missing == [], f"{row.id}: {row.source}"


def test_every_cited_line_exists():
    for row in (*DRIFT, *REVIEWED, *FORCE_NEW, *IN_PLACE):
        lines = cited(row.source)
        assert lines and all(line.strip() for line in lines[:1]), row


# --- replacements: the ForceNew table ----------------------------------------------------


def _schema_path(row) -> tuple[str, str]:
    path_file = row.source.split(":")[0]
    path = row.path.removeprefix("node_config.") if path_file == NODE_CONFIG_FILE else row.path
    return path_file, path


def declared_force_new(row) -> bool:
    """The source declares the row's attribute ForceNew at the cited lines (or forces it in a CustomizeDiff)."""
    path_file, path = _schema_path(row)
    if row.when != "changed":
        return any("d.ForceNew(" in line for line in cited(row.source))
    attribute, flag = (int(n) for n in re.match(r"[^:]+:(\d+)@(\d+)", row.source).groups())
    return [path, attribute, flag] in PROVIDER["force_new"][path_file]


def forced_within(row) -> list[str]:
    """ForceNew attributes the source declares at or under an in-place row's path."""
    path_file, path = _schema_path(row)
    return [p for p, _, _ in PROVIDER["force_new"][path_file] if p == path or p.startswith(path + ".")]


def test_force_new_rows_are_force_new_in_the_source():
    assert [row for row in FORCE_NEW if not declared_force_new(row)] == []


def test_in_place_rows_are_not_force_new_in_the_source():
    assert {row.path: forced_within(row) for row in IN_PLACE if forced_within(row)} == {}


def test_the_source_checks_fail_on_wrong_rows():
    from flyte_gcp.facts.force_new import ForceNew, InPlace

    machine_type = ForceNew("google_container_node_pool", "node_config.machine_type", f"{NODE_CONFIG_FILE}:360@364")
    spot = InPlace("google_container_node_pool", "node_config.spot", f"{NODE_CONFIG_FILE}:440")
    accelerators = InPlace("google_container_node_pool", "node_config.guest_accelerator", f"{NODE_CONFIG_FILE}:164")
    assert not declared_force_new(machine_type)
    assert forced_within(spot) == ["spot"]
    assert "guest_accelerator.count" in forced_within(accelerators)


# Written from the issue and the provider docs, independently of the table.
MUST_REPLACE = {
    ("google_container_cluster", "location"),
    ("google_container_cluster", "name"),
    ("google_container_cluster", "network"),
    ("google_container_node_pool", "node_config.spot"),
    ("google_container_node_pool", "node_config.guest_accelerator"),
    ("google_sql_database_instance", "name"),
    ("google_sql_database_instance", "region"),
    ("google_storage_bucket", "name"),
    ("google_storage_bucket", "location"),
    ("google_compute_address", "name"),
    ("google_sql_database", "name"),
}
IN_PLACE_EXPECTED = {
    ("google_container_node_pool", "node_config.machine_type"),
    ("google_container_node_pool", "autoscaling"),
    ("google_sql_database_instance", "database_version"),
    ("google_sql_database_instance", "settings.tier"),
    ("google_sql_database_instance", "settings.availability_type"),
}


def test_the_table_holds_the_well_known_replacements():
    assert MUST_REPLACE <= {(r.resource_type, r.path) for r in FORCE_NEW}
    assert IN_PLACE_EXPECTED <= {(r.resource_type, r.path) for r in IN_PLACE}


def _classified() -> dict[str, set[str]]:
    prefixes: dict[str, set[str]] = {}
    for row in (*FORCE_NEW, *IN_PLACE):
        prefixes.setdefault(row.resource_type, set()).add(row.path)
    return prefixes


def test_every_attribute_of_a_stateful_resource_is_classified(variant):
    name, doc = variant
    assert uncovered(doc, _classified(), types=set(_classified())) == [], name


def test_the_classification_check_reports_an_unclassified_attribute(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    next(iter(doc["resource"]["google_storage_bucket"].values()))["retention_policy"] = [{"retention_period": 86400}]
    next(iter(doc["resource"]["google_compute_network"].values()))["mtu"] = 1460  # not a stateful type: not asked
    assert uncovered(doc, _classified(), types=set(_classified())) == ["google_storage_bucket.retention_policy.retention_period"]


# --- teardown: deletion_protection both ways ----------------------------------------------


def test_protections_are_on_by_default(synthesized):
    doc = synthesized["example"]
    assert only(doc, "google_container_cluster")["deletion_protection"] is True
    instance = only(doc, "google_sql_database_instance")
    assert instance["deletion_protection"] is True and block(instance["settings"])["deletion_protection_enabled"] is True
    bucket = only(doc, "google_storage_bucket")
    assert bucket["lifecycle"] == {"prevent_destroy": True} and bucket["force_destroy"] is False
    for resource_type in ("google_sql_database", "google_sql_user"):
        assert all("deletion_policy" not in body for body in resources(doc, resource_type).values())


def test_deletion_protection_false_lifts_every_protection_but_never_forces_destroy(synthesized):
    doc = synthesized["core-ha-teardown"]
    assert only(doc, "google_container_cluster")["deletion_protection"] is False
    instance = only(doc, "google_sql_database_instance")
    assert instance["deletion_protection"] is False and block(instance["settings"])["deletion_protection_enabled"] is False
    bucket = only(doc, "google_storage_bucket")
    assert bucket["lifecycle"] == {"prevent_destroy": False} and bucket["force_destroy"] is False
    # PostgreSQL will not drop a user owning tables: destroy forgets them, the instance's deletion removes them.
    policies = {body["name"]: body["deletion_policy"] for t in ("google_sql_database", "google_sql_user") for body in resources(doc, t).values()}
    assert policies == {"flyte": "ABANDON", "keycloak": "ABANDON"}


def test_deletion_protection_must_be_a_boolean():
    with pytest.raises(ValueError, match="deletion_protection"):
        make_config(deletion_protection="no")


# --- database availability ------------------------------------------------------------------


def test_the_database_is_zonal_by_default(synthesized):
    instance = only(synthesized["example"], "google_sql_database_instance")
    settings = block(instance["settings"])
    assert settings["availability_type"] == "ZONAL" and block(settings["location_preference"]) == {"zone": "us-central1-b"}
    assert "lifecycle" not in instance


def test_regional_availability_is_cloud_sql_ha_with_point_in_time_recovery(synthesized):
    instance = only(synthesized["core-ha-teardown"], "google_sql_database_instance")
    settings = block(instance["settings"])
    assert settings["availability_type"] == "REGIONAL"
    backups = block(settings["backup_configuration"])
    assert backups["enabled"] is True and backups["point_in_time_recovery_enabled"] is True
    assert instance["lifecycle"] == {"ignore_changes": ["settings[0].location_preference"]}


def test_availability_takes_zonal_or_regional_only():
    with pytest.raises(ValueError, match="database.availability"):
        make_config(database={"availability": "REGIONAL"})
