"""The policy pack sees what hides in references and documents (issue 19): FG3 compares a node's
account with the node account the stack created, FG6 reads Helm values and other YAML/JSON
documents, FG8 decides "public" on the union of the source ranges. A compliant and a
non-compliant case each; the escape-hatch cases are made the way a user extending the app would.
"""

from __future__ import annotations

import pytest
import yaml
from support import build_stack, make_config, resource_of_type
from test_policy import _release, findings

from flyte_gcp.policy.rules import RULES, STACK_RULES, node_service_account


def _node_pool_on(account):
    """The extra escape hatch FG3 must see: nodes on an account that is not the node account."""

    def change(stack):
        from flyte_gcp.cdk.toolchain.google.service_account import ServiceAccount

        chosen = account if isinstance(account, str) else next(
            c.email for c in stack.node.find_all() if isinstance(c, ServiceAccount) and c.node.id == account[0]
        )
        resource_of_type(stack, "google_container_node_pool").add_override("node_config.service_account", chosen)

    return change


def _values_with(chart, edit):
    def change(stack):
        release, chart_values = _release(stack, chart)
        edit(chart_values)
        release.add_override("values", [yaml.safe_dump(chart_values)])

    return change


def _keycloak_env(chart_values):
    chart_values["extraEnv"] += "- name: KC_BOOTSTRAP_ADMIN_PASSWORD\n  value: changeme\n"


@pytest.mark.parametrize(
    "rule_id, change",
    [
        # another service account of the stack (the workers'), by reference, and a literal e-mail
        ("FG3-node-service-account", _node_pool_on(("flyteworkers-gsa",))),
        ("FG3-node-service-account", _node_pool_on("flyte-gcp-workers@my-flyte-project.iam.gserviceaccount.com")),
        # a literal password inside the Helm values of Flyte (database) and of Keycloak (env inside extraEnv)
        ("FG6-literal-password", _values_with("flyte-core", lambda v: v["db"]["admin"]["database"].update(password="hunter2"))),
        ("FG6-literal-password", _values_with("keycloakx", _keycloak_env)),
    ],
)
def test_rule_flags_what_hides_in_references_and_values(rule_id, change):
    stack = build_stack(make_config(), f"policy-deep-{rule_id.split('-')[0].lower()}")
    change(stack)
    found = findings(stack)
    assert len(found) == 1 and found[0].startswith(f"[{rule_id}]"), found


NODES = "${google_service_account.cluster_node-sa_643412EE.email}"


@pytest.mark.parametrize(
    "resource_type, compliant, non_compliant",
    [
        ("google_container_node_pool", {"node_config": {"service_account": NODES}}, {"node_config": {"service_account": "${google_service_account.workers.email}"}}),
        ("google_container_cluster", {"node_config": {"service_account": NODES}}, {"node_config": {"service_account": "nodes@other-project.iam.gserviceaccount.com"}}),
    ],
)
def test_node_account_rule_compares_with_the_stack_node_account(resource_type, compliant, non_compliant):
    rule = node_service_account(NODES)
    assert rule(resource_type, compliant) is None
    assert "not the node account" in rule(resource_type, non_compliant)


@pytest.mark.parametrize(
    "document",
    [
        "db:\n  admin:\n    database:\n      password: hunter2\n",  # Flyte's inline database password
        "configuration:\n  database:\n    password: hunter2\n",
        "secrets:\n  adminOauthClientCredentials:\n    clientSecret: foobar\n",  # the chart's placeholder
        "extraEnv: |\n  - name: KC_BOOTSTRAP_ADMIN_PASSWORD\n    value: changeme\n",  # a document inside the values
        "flyteadmin:\n  env:\n  - name: FLYTE_SECRET_oidc_client_secret\n    value: s3cret\n",
        '{"users": [{"credentials": [{"type": "password", "value": "Welcome1"}]}]}',  # a realm file
    ],
)
def test_literal_password_rule_reads_documents(document):
    assert RULES["FG6-literal-password"]("helm_release", {"name": "x", "values": [document]})
    assert RULES["FG6-literal-password"]("kubernetes_config_map_v1", {"data": {"f": document}})


@pytest.mark.parametrize(
    "document",
    [
        "db:\n  admin:\n    database:\n      passwordPath: /etc/db/pass.txt\n",
        "secrets:\n  adminOauthClientCredentials:\n    clientSecret: null\n    secretName: flyte-secret-auth\n",
        "database:\n  existingSecret: keycloak-db\n  existingSecretKey: password\n",
        "extraEnv: |\n  - name: KC_DB_URL_PROPERTIES\n    value: ?sslmode=require\n",
        '{"credentials": [{"type": "password", "value": "$${FLYTE_USER_0_PASSWORD}", "temporary": true}], "secret": "$${X}"}',
        "configmap:\n  admin:\n    admin:\n      clientSecretLocation: /etc/secrets/client_secret\n",
    ],
)
def test_literal_password_rule_leaves_references_and_names_alone(document):
    assert RULES["FG6-literal-password"]("helm_release", {"name": "x", "values": [document]}) is None


def test_literal_password_rule_reads_helm_set_blocks():
    rule = RULES["FG6-literal-password"]
    assert rule("helm_release", {"name": "x", "set": [{"name": "db.admin.database.password", "value": "hunter2"}]})
    assert rule("helm_release", {"name": "x", "set": [{"name": "db.admin.database.password", "value": "${random_password.p.result}"}]}) is None


@pytest.mark.parametrize(
    "controller, flagged",
    [
        (["0.0.0.0/1", "128.0.0.0/1"], True),  # the whole internet, written in halves
        (["0.0.0.0/0", "203.0.113.0/24"], True),
        (["64.0.0.0/2"], True),
        (["198.51.100.0/24", "198.51.100.0/25"], False),
        (["11.0.0.0/8"], False),  # one /8 is the largest restricted set
        (["11.0.0.0/8", "12.0.0.0/31"], True),
        (["${var.ranges}"], True),  # not a literal: nothing proves it is restricted
    ],
)
def test_unauthenticated_flyte_rule_reads_the_union_of_the_ranges(controller, flagged):
    ingress = {"chart": "nginx-ingress", "values": [yaml.safe_dump({"controller": {"service": {"loadBalancerSourceRanges": controller}}})]}
    found = STACK_RULES["FG8-unauthenticated-flyte"]([("helm_release", ingress), ("helm_release", {"name": "f", "chart": "flyte-core", "values": ["{}"]})])
    assert bool(found) == flagged
