"""Deployment invariants on every variant, and each one shown to fail on a broken stack (issue 9).

The checks live in `invariants.py`; broken stacks are made the way a mistake would make them:
an escape hatch on a built stack, or a dependency, port, tag or template dropped from the
synthesized JSON.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from invariants import (
    api_violations,
    chart_trap_violations,
    flyte_release,
    grant_violations,
    token_endpoint_violations,
    webhook_violations,
    zone_first_violations,
)
from support import VARIANTS, block, build_stack, make_config, resource_of_type, synth
from tfgraph import Graph

from flyte_gcp.values import flyte as values
from flyte_gcp.facts.apis import api_of


def test_every_google_resource_waits_for_its_api(variant):
    name, doc = variant
    assert api_violations(doc) == [], name


def test_every_webhook_port_is_open_from_the_control_plane(variant):
    name, doc = variant
    assert webhook_violations(doc) == [], name


def test_flyte_release_waits_for_every_grant_its_pods_use(variant):
    name, doc = variant
    assert grant_violations(doc) == [], name


def test_chart_traps(variant):
    name, doc = variant
    assert chart_trap_violations(doc, make_config(**VARIANTS[name]).flyte.namespace) == [], name


def test_in_cluster_clients_get_an_in_cluster_token_endpoint(variant):
    name, doc = variant
    assert token_endpoint_violations(doc) == [], name


def test_the_cluster_and_the_database_wait_for_the_dns_zone_check(variant):
    name, doc = variant
    assert zone_first_violations(doc) == [], name
    if VARIANTS[name].get("dns"):  # the check has something to check: the zone is read in this variant
        assert [a for a in Graph(doc).bodies if a.startswith("data.google_dns_managed_zone.")], name


# --- each invariant fails on a broken stack -------------------------------------------


@pytest.mark.parametrize("resource_type", ["google_container_cluster", "google_sql_database_instance"])
def test_zone_first_invariant_fails_when_a_slow_resource_stops_waiting(synthesized, resource_type):
    (other,) = {"google_container_cluster", "google_sql_database_instance"} - {resource_type}
    doc = copy.deepcopy(synthesized["core-public-dns"])
    graph = Graph(doc)
    (zone,) = [a for a in graph.bodies if a.startswith("data.google_dns_managed_zone.")]
    for address, body in graph.bodies.items():  # the dependency dropped everywhere but on the other slow resource
        if graph.type_of(address) != other and "depends_on" in body:
            body["depends_on"] = [d for d in body["depends_on"] if d != zone]
    assert [v.split(" ")[0].split(".")[0] for v in zone_first_violations(doc)] == [resource_type]


def test_api_invariant_fails_when_a_service_account_does_not_wait_for_iam():
    stack = build_stack(make_config(), "no-api-wait")
    resource_of_type(stack, "google_service_account").depends_on = []  # a dropped dependency
    violations = api_violations(synth(stack))
    assert len(violations) == 1 and violations[0].endswith("does not wait for iam.googleapis.com"), violations


def test_api_invariant_fails_on_a_service_in_another_project(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    for service in doc["resource"]["google_project_service"].values():
        if service["service"] == "sqladmin.googleapis.com":
            service["project"] = "some-other-project"
    assert any("google_sql_database_instance" in v and "sqladmin" in v for v in api_violations(doc))


def test_api_invariant_refuses_an_unknown_google_resource_type(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["google_pubsub_topic"] = {"t": {"name": "x"}}
    with pytest.raises(KeyError, match="google_pubsub_topic: no API registered"):
        api_violations(doc)


def _firewall(doc):
    (rule,) = doc["resource"]["google_compute_firewall"].values()
    return rule


def test_webhook_invariant_fails_on_a_removed_port(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    ports = _firewall(doc)["allow"][0]["ports"]
    ports[ports.index("9443")] = "9444"  # the wrong port; an emptied list would mean every port in GCP
    assert any("flyte-core webhook port 9443 is closed" in v for v in webhook_violations(doc))


def test_webhook_invariant_fails_on_one_untagged_pool_among_several(synthesized):
    doc = copy.deepcopy(synthesized["core-gpu-spot"])
    pool = doc["resource"]["google_container_node_pool"]["pool-gpu-t4_pool_1F1DFE75"]
    config = pool["node_config"][0] if isinstance(pool["node_config"], list) else pool["node_config"]
    config.pop("tags")
    assert webhook_violations(doc) == [
        "flyte-core webhook port 9443 is closed from 172.31.255.0/28 to google_container_node_pool.pool-gpu-t4_pool_1F1DFE75"
    ]


def test_webhook_invariant_fails_when_releases_do_not_wait_for_the_rule(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    for pool in doc["resource"]["google_container_node_pool"].values():
        pool.pop("depends_on")
    assert any("does not wait for ['google_compute_firewall." in v for v in webhook_violations(doc))


def test_webhook_invariant_fails_on_a_chart_missing_from_the_table(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["helm_release"]["extra"] = {"name": "x", "chart": "kyverno", "version": "1.0.0"}
    assert any("chart kyverno is not in WEBHOOK_PORTS_BY_CHART" in v for v in webhook_violations(doc))


def test_the_facts_webhook_table_matches_the_charts():
    """The product's table (which decides the firewall rule) against the one read in the charts here."""
    from invariants import GKE_OPEN_PORTS, WEBHOOK_PORTS_BY_CHART

    from flyte_gcp.facts.webhooks import ADMISSION_WEBHOOK_PORTS, GKE_CONTROL_PLANE_OPEN_PORTS, webhook_ports_to_open

    assert {chart: set(ports) for chart, ports in ADMISSION_WEBHOOK_PORTS.items()} == WEBHOOK_PORTS_BY_CHART
    assert set(GKE_CONTROL_PLANE_OPEN_PORTS) == GKE_OPEN_PORTS
    assert webhook_ports_to_open() == (9443,)


def test_grant_invariant_fails_without_the_url_signing_binding(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    address, _, _ = flyte_release(Graph(doc))
    release = doc["resource"]["helm_release"][address.split(".", 1)[1]]
    release["depends_on"] = [d for d in release["depends_on"] if "signs-urls" not in d]
    (violation,) = grant_violations(doc)
    assert "signs-urls" in violation and "flyteadmin-gsa" in violation


@pytest.mark.parametrize(
    "grant_type",
    [
        "google_storage_bucket_iam_member",
        "google_service_account_iam_member",
        "google_service_account_iam_binding",
        "google_artifact_registry_repository_iam_member",
    ],
)
def test_grant_invariant_fails_for_each_grant_type_the_release_stops_waiting_for(synthesized, grant_type):
    doc = copy.deepcopy(synthesized["example"])
    address, _, _ = flyte_release(Graph(doc))
    release = doc["resource"]["helm_release"][address.split(".", 1)[1]]
    release["depends_on"] = [d for d in release["depends_on"] if not d.startswith(grant_type + ".")]
    violations = grant_violations(doc)
    assert violations and all(f"does not wait for {grant_type}." in v for v in violations), violations


def test_grant_invariant_covers_project_iam_members_of_flyte_accounts(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["google_project_iam_member"]["extra"] = {
        "project": "my-flyte-project",
        "role": "roles/logging.logWriter",
        "member": "${google_service_account.identity_flyteworkers-gsa_1E8299A8.member}",
    }
    (violation,) = grant_violations(doc)
    assert "does not wait for google_project_iam_member.extra" in violation


def _set_values(doc, chart_values):
    address, _, _ = flyte_release(Graph(doc))
    doc["resource"]["helm_release"][address.split(".", 1)[1]]["values"] = [values.to_yaml(chart_values)]


def test_tpl_invariant_fails_on_an_unescaped_log_template(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    _, _, chart_values = flyte_release(Graph(doc))
    (template,) = chart_values["configmap"]["task_logs"]["plugins"]["logs"]["templates"]
    template["templateUris"] = [values._stackdriver_log_template("my-flyte-project")]
    _set_values(doc, chart_values)
    (violation,) = chart_trap_violations(doc, "flyte")
    assert violation.startswith("tpl: configmap.task_logs.plugins.logs.templates[0].templateUris[0]") and ".podName" in violation


def test_namespace_template_invariant_fails_without_the_namespace_template(synthesized):
    doc = copy.deepcopy(synthesized["binary-zonal-cloud"])
    _, _, chart_values = flyte_release(Graph(doc))
    del chart_values["clusterResourceTemplates"]["inline"]["001_namespace.yaml"]
    _set_values(doc, chart_values)
    assert chart_trap_violations(doc, "flyte") == [
        "flyte-binary: cluster resource templates replace the chart's and create no <project>-<domain> Namespace"
    ]


def test_namespace_template_invariant_fails_on_flyte_core_too(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    _, _, chart_values = flyte_release(Graph(doc))
    templates = chart_values["cluster_resource_manager"]["templates"]
    chart_values["cluster_resource_manager"]["templates"] = [t for t in templates if t["key"] != "aa_namespace"]
    _set_values(doc, chart_values)
    assert chart_trap_violations(doc, "flyte") == [
        "flyte-core: cluster resource templates replace the chart's and create no <project>-<domain> Namespace"
    ]


def test_tpl_invariant_fails_on_flyte_binary_inline_config(synthesized):
    doc = copy.deepcopy(synthesized["binary-zonal-cloud"])
    _, _, chart_values = flyte_release(Graph(doc))
    chart_values["configuration"]["inline"]["plugins"] = {"logs": {"templates": [{"templateUris": ["x/{{ .podName }}"]}]}}
    _set_values(doc, chart_values)
    (violation,) = chart_trap_violations(doc, "flyte")
    assert violation.startswith("tpl: configuration.inline.plugins.logs.templates[0].templateUris[0]"), violation


def test_namespaced_settings_invariant_fails_when_the_lock_stays_in_flyte(synthesized):
    doc = copy.deepcopy(synthesized["core-namespace-pg15"])
    _, _, chart_values = flyte_release(Graph(doc))
    chart_values["configmap"]["core"]["propeller"]["leader-election"]["lock-config-map"]["namespace"] = "flyte"
    _set_values(doc, chart_values)
    assert chart_trap_violations(doc, "orchestration") == [
        "flyte-core: configmap.core.propeller.leader-election.lock-config-map.namespace is 'flyte', not the Flyte namespace 'orchestration'"
    ]


def test_custom_namespace_variant_really_uses_it(synthesized):
    _, _, chart_values = flyte_release(Graph(synthesized["core-namespace-pg15"]))
    assert chart_values["configmap"]["core"]["propeller"]["leader-election"]["lock-config-map"]["namespace"] == "orchestration"
    namespaces = [block(n["metadata"])["name"] for n in synthesized["core-namespace-pg15"]["resource"]["kubernetes_namespace_v1"].values()]
    assert "orchestration" in namespaces and "flyte" not in namespaces


def test_binary_templates_create_the_namespace_then_annotate_its_default_account(synthesized):
    _, _, chart_values = flyte_release(Graph(synthesized["binary-zonal-cloud"]))
    inline = chart_values["clusterResourceTemplates"]["inline"]
    assert sorted(inline) == ["001_namespace.yaml", "002_default_service_account.yaml"]
    namespace = yaml.safe_load(inline["001_namespace.yaml"])
    assert namespace == {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "{{ namespace }}"}}


def test_namespaced_settings_invariant_fails_when_authorized_uris_name_the_flyte_namespace(synthesized):
    doc = copy.deepcopy(synthesized["core-namespace-pg15"])
    _, _, chart_values = flyte_release(Graph(doc))
    uris = chart_values["configmap"]["adminServer"]["auth"]["authorizedUris"]
    uris[-1] = "http://flyteadmin.flyte.svc.cluster.local:80"  # the chart's default
    _set_values(doc, chart_values)
    (violation,) = chart_trap_violations(doc, "orchestration")
    assert violation.startswith("flyte-core: configmap.adminServer.auth.authorizedUris is [") and "not the Flyte namespace 'orchestration'" in violation


@pytest.mark.parametrize("name, path", [("binary-restricted-dns", ("configuration", "auth")), ("example", ("configmap", "adminServer", "auth"))])
def test_token_endpoint_invariant_fails_with_only_the_public_url(synthesized, name, path):
    doc = copy.deepcopy(synthesized[name])
    _, chart, chart_values = flyte_release(Graph(doc))
    auth = chart_values
    for key in path:
        auth = auth[key]
    auth["authorizedUris"] = ["https://flyte.example.com"]
    _set_values(doc, chart_values)
    (violation,) = token_endpoint_violations(doc)
    assert violation.startswith(f"{chart}: no authorized URI for host") and "https://flyte.example.com" in violation


# The API of every google_* type the variants synthesize, written out from the Google Cloud
# API each resource's create call uses (provider 6.50.0 docs), independently of
# facts.apis.API_BY_RESOURCE_TYPE: an entry there set to None, or wrong, would switch the
# invariant off for that type.
EXPECTED_API = {
    "google_artifact_registry_repository": "artifactregistry.googleapis.com",
    "google_artifact_registry_repository_iam_member": "artifactregistry.googleapis.com",
    "google_compute_address": "compute.googleapis.com",
    "google_compute_firewall": "compute.googleapis.com",
    "google_compute_global_address": "compute.googleapis.com",
    "google_compute_network": "compute.googleapis.com",
    "google_compute_router": "compute.googleapis.com",
    "google_compute_router_nat": "compute.googleapis.com",
    "google_compute_subnetwork": "compute.googleapis.com",
    "google_container_cluster": "container.googleapis.com",
    "google_container_node_pool": "container.googleapis.com",
    "google_dns_managed_zone": "dns.googleapis.com",
    "google_dns_record_set": "dns.googleapis.com",
    "google_iam_workload_identity_pool": "iam.googleapis.com",  # bootstrap: pools and providers are IAM API resources
    "google_iam_workload_identity_pool_provider": "iam.googleapis.com",
    # Cloud Monitoring API (projects.dashboards, alertPolicies, notificationChannels, uptimeCheckConfigs)
    "google_monitoring_alert_policy": "monitoring.googleapis.com",
    "google_monitoring_dashboard": "monitoring.googleapis.com",
    "google_monitoring_notification_channel": "monitoring.googleapis.com",
    "google_monitoring_uptime_check_config": "monitoring.googleapis.com",
    "google_project_iam_custom_role": "iam.googleapis.com",
    "google_project_iam_member": "cloudresourcemanager.googleapis.com",
    "google_secret_manager_secret_iam_member": "secretmanager.googleapis.com",  # bootstrap (oidc)
    "google_secret_manager_secret_version": "secretmanager.googleapis.com",
    "google_service_account": "iam.googleapis.com",
    "google_service_account_iam_binding": "iam.googleapis.com",
    "google_service_account_iam_member": "iam.googleapis.com",
    "google_service_networking_connection": "servicenetworking.googleapis.com",
    "google_sql_database": "sqladmin.googleapis.com",
    "google_sql_database_instance": "sqladmin.googleapis.com",
    "google_sql_user": "sqladmin.googleapis.com",
    "google_storage_bucket": "storage.googleapis.com",
    "google_storage_bucket_iam_member": "storage.googleapis.com",
}
NO_API = {"google_project_service", "google_client_config"}  # Service Usage itself; provider-side data


def test_the_api_table_is_right_for_every_synthesized_google_type(synthesized, bootstrap_synthesized):
    types = {
        Graph.type_of(address)
        for doc in (*synthesized.values(), *bootstrap_synthesized.values())
        for address in Graph(doc).bodies
        if Graph.type_of(address).startswith("google_")
    }
    assert types == set(EXPECTED_API) | NO_API  # a new type needs its API written here too
    assert {t: api_of(t) for t in EXPECTED_API} == EXPECTED_API
    assert {api_of(t) for t in NO_API} == {None}
