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
)
from support import VARIANTS, build_stack, make_config, resource_of_type, synth
from tfgraph import Graph

from flyte_gcp import values


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


# --- each invariant fails on a broken stack -------------------------------------------


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


def test_webhook_invariant_fails_on_an_untagged_pool(synthesized):
    doc = copy.deepcopy(synthesized["binary-raw-regional"])
    for pool in doc["resource"]["google_container_node_pool"].values():
        pool["node_config"][0].pop("tags") if isinstance(pool["node_config"], list) else pool["node_config"].pop("tags")
    assert any("flyte-binary webhook port 9443 is closed" in v for v in webhook_violations(doc))


def test_webhook_invariant_fails_when_releases_do_not_wait_for_the_rule(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    for pool in doc["resource"]["google_container_node_pool"].values():
        pool.pop("depends_on")
    assert any("does not wait for ['google_compute_firewall." in v for v in webhook_violations(doc))


def test_webhook_invariant_fails_on_a_chart_missing_from_the_table(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["helm_release"]["extra"] = {"name": "x", "chart": "kyverno", "version": "1.0.0"}
    assert any("chart kyverno is not in versions.ADMISSION_WEBHOOK_PORTS" in v for v in webhook_violations(doc))


def test_grant_invariant_fails_without_the_url_signing_binding(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    address, _, _ = flyte_release(Graph(doc))
    release = doc["resource"]["helm_release"][address.split(".", 1)[1]]
    release["depends_on"] = [d for d in release["depends_on"] if "signs-urls" not in d]
    (violation,) = grant_violations(doc)
    assert "signs-urls" in violation and "flyteadmin-gsa" in violation


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
    namespaces = [n["metadata"]["name"] for n in synthesized["core-namespace-pg15"]["resource"]["kubernetes_namespace_v1"].values()]
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
