"""The policy pack (cdk-nag model): one compliant and one non-compliant case per rule (issue 6).

Non-compliant cases are made the way a user extending the app would: build the stack,
then change a resource with an escape hatch (`add_override`).
"""

from __future__ import annotations

import pytest
from flyte_gcp.cdk import toolchain
import yaml
from flyte_gcp.cdk.toolchain import App
from support import build_stack, make_config, resource_of_type

from flyte_gcp.policy.rules import RULES, STACK_RULES


def findings(stack) -> list[str]:
    toolchain.Testing.synth(stack)  # runs the aspects
    return [
        m.data
        for construct in stack.node.find_all()
        for m in construct.node.metadata
        if m.type == "@cdktf/error"
    ]


@pytest.fixture(scope="module")
def compliant_findings():
    return {chart: findings(build_stack(make_config(chart=chart), chart)) for chart in ("flyte-core", "flyte-binary")}


def test_shipped_stacks_are_compliant(compliant_findings):
    assert compliant_findings == {"flyte-core": [], "flyte-binary": []}


def _bind_predefined_role_authoritatively(stack):
    from flyte_gcp.cdk.toolchain.google.project_iam_binding import ProjectIamBinding

    ProjectIamBinding(stack, "user-binding", project="my-flyte-project", role="roles/artifactregistry.reader", members=["user:a@example.com"])


NON_COMPLIANT = {
    "FG1-public-bucket": lambda s: resource_of_type(s, "google_storage_bucket").add_override("public_access_prevention", "inherited"),
    "FG2-sql-public-ip": lambda s: resource_of_type(s, "google_sql_database_instance").add_override("settings.ip_configuration.ipv4_enabled", True),
    "FG3-node-service-account": lambda s: resource_of_type(s, "google_container_node_pool").add_override("node_config.service_account", "123456789012-compute@developer.gserviceaccount.com"),
    "FG4-helm-release-unpinned": lambda s: resource_of_type(s, "helm_release").add_override("version", None),
    "FG5-authoritative-project-binding": _bind_predefined_role_authoritatively,
    "FG6-literal-password": lambda s: resource_of_type(s, "google_sql_user").add_override("password", "hunter2hunter2"),
    "FG7-retired-edge-component": lambda s: resource_of_type(s, "helm_release").add_override("repository", "https://kubernetes.github.io/ingress-nginx"),
    "FG9-unprotected-state": lambda s: resource_of_type(s, "google_container_cluster").add_override("deletion_protection", False),
}


def _flyte_without_auth(stack):
    """Drop the auth values, the way an escape hatch replacing the release's values would."""
    from flyte_gcp.values import flyte as values

    release, chart_values = _release(stack, "flyte-core")
    chart_values["configmap"]["adminServer"]["server"]["security"]["useAuth"] = False
    release.add_override("values", [values.to_yaml(chart_values)])


def _release(stack, chart):
    """(release, its synthesized values) of the release installing `chart`."""
    from flyte_gcp.cdk.toolchain.helm.release import Release

    from flyte_gcp.policy.pack import synthesized_attributes

    for construct in stack.node.find_all():
        if isinstance(construct, Release):
            attrs = synthesized_attributes(construct)[1]
            if attrs["chart"] == chart:
                return construct, yaml.safe_load(attrs["values"][0])
    raise AssertionError(chart)


NON_COMPLIANT["FG8-unauthenticated-flyte"] = _flyte_without_auth


def test_every_rule_has_a_non_compliant_case():
    assert set(NON_COMPLIANT) == set(RULES) | set(STACK_RULES)


@pytest.mark.parametrize("rule_id", list(NON_COMPLIANT))
def test_rule_flags_an_escape_hatch_change(rule_id):
    stack = build_stack(make_config(), f"policy-{rule_id.split('-')[0].lower()}")
    NON_COMPLIANT[rule_id](stack)
    found = findings(stack)
    assert len(found) == 1 and found[0].startswith(f"[{rule_id}]"), found


@pytest.mark.parametrize(
    "rule_id, resource_type, compliant, non_compliant",
    [
        ("FG1-public-bucket", "google_storage_bucket", {"public_access_prevention": "enforced"}, {"public_access_prevention": "inherited"}),
        ("FG1-public-bucket", "google_storage_bucket_iam_member", {"member": "serviceAccount:x@y"}, {"member": "allUsers"}),
        ("FG2-sql-public-ip", "google_sql_database_instance", {"settings": {"ip_configuration": {"ipv4_enabled": False}}}, {"settings": {}}),
        ("FG3-node-service-account", "google_container_node_pool", {"node_config": {"service_account": "${google_service_account.n.email}"}}, {"node_config": {}}),
        ("FG4-helm-release-unpinned", "helm_release", {"name": "x", "version": "1.0.0"}, {"name": "x"}),
        ("FG5-authoritative-project-binding", "google_project_iam_binding", {"role": "projects/p/roles/custom"}, {"role": "roles/viewer"}),
        ("FG6-literal-password", "kubernetes_secret_v1", {"data": {"db_password": "${random_password.p.result}"}}, {"data": {"db_password": "s3cret"}}),
        ("FG6-literal-password", "kubernetes_secret_v1", {"data": {"pass.txt": "${random_password.p.result}"}}, {"data": {"pass.txt": "s3cret"}}),
        ("FG6-literal-password", "helm_release", {"repository_password": "${var.token}"}, {"repository_password": "s3cret"}),
        ("FG6-literal-password", "kubernetes_secret_v1", {"string_data": {"token": "${random_password.p.result}"}}, {"string_data": {"token": "s3cret"}}),
        ("FG6-literal-password", "kubernetes_secret_v1", {"binary_data": {"key": "${filebase64(var.f)}"}}, {"binary_data": {"key": "czNjcmV0"}}),
        ("FG1-public-bucket", "google_storage_bucket_iam_binding", {"members": ["serviceAccount:x@y"]}, {"members": ["serviceAccount:x@y", "allAuthenticatedUsers"]}),
        ("FG3-node-service-account", "google_container_cluster", {"node_config": {"service_account": "${google_service_account.n.email}"}}, {"node_config": {"service_account": "default"}}),
        ("FG7-retired-edge-component", "helm_release", {"name": "x", "chart": "nginx-ingress", "repository": "https://helm.nginx.com/stable"}, {"name": "x", "chart": "ingress-nginx", "repository": "https://example.com/charts"}),
        ("FG7-retired-edge-component", "helm_release", {"name": "x", "chart": "cert-manager", "repository": "https://charts.jetstack.io"}, {"name": "x", "chart": "controller", "repository": "https://kubernetes.github.io/ingress-nginx/"}),
        ("FG7-retired-edge-component", "helm_release", {"name": "x", "chart": "oci://ghcr.io/nginx/charts/nginx-ingress"}, {"name": "x", "chart": "oci://registry.example.com/charts/ingress-nginx"}),
        ("FG9-unprotected-state", "google_storage_bucket", {"lifecycle": {"prevent_destroy": True}}, {"lifecycle": {"prevent_destroy": False}}),
        ("FG9-unprotected-state", "google_storage_bucket", {"lifecycle": {"prevent_destroy": True}}, {}),
        ("FG9-unprotected-state", "google_storage_bucket", {"lifecycle": {"prevent_destroy": True}, "force_destroy": False}, {"lifecycle": {"prevent_destroy": True}, "force_destroy": True}),
        ("FG9-unprotected-state", "google_sql_database_instance", {"settings": {"deletion_protection_enabled": True}}, {"deletion_protection": False, "settings": {"deletion_protection_enabled": True}}),
        ("FG9-unprotected-state", "google_sql_database_instance", {"deletion_protection": True, "settings": {"deletion_protection_enabled": True}}, {"deletion_protection": True, "settings": {}}),
        ("FG9-unprotected-state", "google_container_cluster", {}, {"deletion_protection": False}),
    ],
)
def test_rule_on_attributes(rule_id, resource_type, compliant, non_compliant):
    rule = RULES[rule_id]
    assert rule(resource_type, compliant) is None
    assert rule(resource_type, non_compliant)


def test_unauthenticated_flyte_is_allowed_only_behind_restricted_source_ranges():
    """FG8 sees the Flyte release and the ingress controller's source ranges together (a stack rule)."""
    private = {"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["203.0.113.0/24"]}, "dns": {"managed_zone": "example-com"}}
    assert findings(build_stack(make_config(**private), "fg8-private")) == []
    stack = build_stack(make_config(**private), "fg8-opened")
    controller, controller_values = _release(stack, "nginx-ingress")
    controller_values["controller"]["service"]["loadBalancerSourceRanges"] = ["0.0.0.0/0"]
    controller.add_override("values", [yaml.safe_dump(controller_values)])
    found = findings(stack)
    assert len(found) == 1 and found[0].startswith("[FG8-unauthenticated-flyte] Flyte release 'flyte-core' without authentication"), found


def test_an_authoritative_project_policy_is_always_flagged():
    assert RULES["FG5-authoritative-project-binding"]("google_project_iam_policy", {"project": "p", "policy_data": "${data.x.policy_data}"})


def test_unauthenticated_flyte_without_any_ingress_controller_is_flagged():
    """No controller release to read source ranges from: nothing proves the endpoint is private."""
    found = STACK_RULES["FG8-unauthenticated-flyte"]([("helm_release", {"name": "f", "chart": "flyte-core", "values": ["{}"]})])
    assert [i for i, _ in found] == [0]


@pytest.mark.parametrize(
    "flyte, controller, flagged",
    [
        ({"chart": "flyte-core", "values": ["configmap: {adminServer: {server: {security: {useAuth: true}}}}"]}, ["0.0.0.0/0"], False),
        ({"chart": "flyte-binary", "values": ["configuration: {auth: {enabled: true}}"]}, ["0.0.0.0/0"], False),
        ({"chart": "flyte-binary", "values": ["configuration: {auth: {enabled: false}}"]}, ["0.0.0.0/0"], True),
        ({"chart": "flyte-core", "values": ["{}"]}, [], True),
        ({"chart": "flyte-core", "values": ["{}"]}, ["10.0.0.0/8"], False),
        ({"chart": "flyte-core", "values": ["{}", "configmap: {adminServer: {server: {security: {useAuth: true}}}}"]}, [], False),
    ],
)
def test_unauthenticated_flyte_rule_on_attributes(flyte, controller, flagged):
    ingress = {"chart": "nginx-ingress", "values": [yaml.safe_dump({"controller": {"service": {"loadBalancerSourceRanges": controller}}})]}
    found = STACK_RULES["FG8-unauthenticated-flyte"]([("helm_release", ingress), ("google_storage_bucket", {}), ("helm_release", {"name": "f", **flyte})])
    assert [i for i, _ in found] == ([2] if flagged else [])


def test_app_synth_refuses_a_non_compliant_stack(tmp_path):
    from flyte_gcp.stack import FlyteGcpStack

    app = App(outdir=str(tmp_path / "out"))
    stack = FlyteGcpStack(app, "refused", config=make_config())
    resource_of_type(stack, "google_sql_user").add_override("password", "hunter2hunter2")
    with pytest.raises(Exception, match="FG6-literal-password"):
        app.synth()


def test_unprotected_state_is_accepted_only_when_the_environment_asks_for_teardown():
    """FG9 reads the environment's deletion_protection: false as consent; force_destroy never passes."""
    teardown = make_config(deletion_protection=False)
    assert findings(build_stack(teardown, "fg9-teardown")) == []
    stack = build_stack(teardown, "fg9-force-destroy")
    resource_of_type(stack, "google_storage_bucket").add_override("force_destroy", True)
    found = findings(stack)
    assert len(found) == 1 and found[0].startswith("[FG9-unprotected-state] bucket with force_destroy"), found


def test_unprotected_state_rule_in_teardown_mode_on_attributes():
    from flyte_gcp.policy.protection import unprotected_state

    rule = unprotected_state(teardown=True)
    assert rule("google_container_cluster", {"deletion_protection": False}) is None
    assert rule("google_sql_database_instance", {"deletion_protection": False, "settings": {"deletion_protection_enabled": False}}) is None
    assert rule("google_storage_bucket", {"lifecycle": {"prevent_destroy": False}}) is None
    assert rule("google_storage_bucket", {"force_destroy": True})
