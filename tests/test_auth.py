"""Authentication by default (issue 11): Keycloak in the apply, or the user's own OIDC provider.

The synthesized variants: Keycloak's resources and routes, the secrets' wiring, OIDC mode,
mode none, outputs, and the scan that no secret is written anywhere as a literal (shown to
fail when one is planted). The pure values are in `test_auth_values.py`.
"""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from secret_scan import literal_secrets
from support import block, helm_values, resources
from tfgraph import Graph

HOST = "flyte.example.com"


def _secrets_by_name(doc):
    return {s["metadata"]["name"]: s for s in resources(doc, "kubernetes_secret_v1").values()}


def _release(doc, name):
    (address,) = [f"helm_release.{k}" for k, r in resources(doc, "helm_release").items() if r["name"] == name]
    return address, doc["resource"]["helm_release"][address.split(".", 1)[1]]


# --- Keycloak in the synthesized stacks ---------------------------------------------------


@pytest.mark.parametrize("name", ["example", "binary-zonal-cloud", "core-namespace-pg15"])
def test_keycloak_release_pinned_and_flyte_waits_for_it_and_the_secrets(synthesized, name):
    doc = synthesized[name]
    address, release = _release(doc, "keycloak")
    assert (release["repository"], release["chart"], release["version"]) == (
        "https://codecentric.github.io/helm-charts", "keycloakx", "7.1.11",  # appVersion 26.5.6
    )
    assert release["namespace"].startswith("${kubernetes_namespace_v1.keycloak_namespace_")
    chart = "flyte-binary" if name.startswith("binary") else "flyte-core"
    flyte_address, _ = _release(doc, chart)
    waited = Graph(doc).ancestors(flyte_address)
    assert address in waited
    secret_addresses = {f"kubernetes_secret_v1.{k}" for k, s in resources(doc, "kubernetes_secret_v1").items() if s["metadata"]["name"].startswith("flyte-")}
    assert secret_addresses and secret_addresses <= waited
    keycloak_waits = Graph(doc).ancestors(address)
    assert any(a.startswith("google_sql_user.keycloak-database_user") for a in keycloak_waits)
    assert any(a.startswith("kubernetes_config_map_v1.keycloak_realm") for a in keycloak_waits)


def test_keycloak_has_its_own_database_and_user_on_the_same_instance(synthesized):
    doc = synthesized["example"]
    databases = {d["name"]: d for d in resources(doc, "google_sql_database").values()}
    users = {u["name"]: u for u in resources(doc, "google_sql_user").values()}
    assert set(databases) == {"flyte", "keycloak"} and set(users) == {"flyte", "keycloak"}
    assert databases["keycloak"]["instance"] == databases["flyte"]["instance"] == users["keycloak"]["instance"]
    assert users["keycloak"]["password"].startswith("${random_password.keycloak-database_password_")
    assert users["flyte"]["password"] == "${random_password.database_password_22A6A8E7.result}"
    values = helm_values(doc, "keycloak")
    assert values["database"]["hostname"] == "${google_sql_database_instance.database_instance_D7FC2283.private_ip_address}"
    assert values["database"]["username"].startswith("${google_sql_user.keycloak-database_user_")


def test_realm_configmap_escapes_placeholders_for_terraform_and_users_follow_auth_users(synthesized):
    doc = synthesized["core-namespace-pg15"]
    (configmap,) = resources(doc, "kubernetes_config_map_v1").values()
    text = configmap["data"]["flyte-realm.json"]
    assert "$${FLYTE_CONSOLE_CLIENT_SECRET}" in text and "$${FLYTE_USER_1_PASSWORD}" in text
    realm = json.loads(text.replace("$${", "${"))  # as Terraform writes it
    assert [u["email"] for u in realm["users"]] == ["alice@example.com", "bob@example.org"]
    env = _secrets_by_name(doc)["keycloak-env"]["data"]
    assert set(env) == {"KC_BOOTSTRAP_ADMIN_PASSWORD", "FLYTE_CONSOLE_CLIENT_SECRET", "FLYTE_USER_0_PASSWORD", "FLYTE_USER_1_PASSWORD"}
    assert all(v.startswith("${random_password.keycloak_") and v.endswith(".result}") for v in env.values())


def test_auth_secrets_are_wired_from_generated_passwords(synthesized):
    core = _secrets_by_name(synthesized["example"])
    console = core["flyte-oidc-client"]["data"]["oidc_client_secret"]
    assert console == _secrets_by_name(synthesized["example"])["keycloak-env"]["data"]["FLYTE_CONSOLE_CLIENT_SECRET"]
    propeller = core["flyte-secret-auth"]["data"]["client_secret"]
    assert propeller.startswith("${random_password.flyte-auth_propeller-client-secret_")
    clients = core["flyte-auth-clients"]["data"]["auth-clients.yaml"]
    hash_ref = propeller.replace(".result}", ".bcrypt_hash)}").replace("${", "${base64encode(")
    assert f"client_secret: {hash_ref}" in clients
    assert "bcrypt(" not in clients  # the function yields a new hash on every plan
    binary = _secrets_by_name(synthesized["binary-zonal-cloud"])
    assert set(binary["flyte-auth-client-secrets"]["data"]) == {"client_secret", "oidc_client_secret"}
    assert "flyte-secret-auth" not in binary and "flyte-auth-clients" in binary
    for name in ("example", "binary-zonal-cloud"):
        for secret in _secrets_by_name(synthesized[name]).values():
            assert secret["metadata"]["namespace"].startswith("${kubernetes_namespace_v1.")


@pytest.mark.parametrize("name, chart", [("example", "flyte-core"), ("binary-zonal-cloud", "flyte-binary")])
def test_chart_placeholders_do_not_survive(synthesized, name, chart):
    values = helm_values(synthesized[name], chart)
    text = yaml.safe_dump(values)
    assert "foobar" not in text and "apps.googleusercontent.com" not in text and "accounts.google.com" not in text
    assert "localhost:30081" not in text
    if chart == "flyte-core":
        assert values["secrets"]["adminOauthClientCredentials"]["clientSecret"] is None
        assert values["configmap"]["adminServer"]["auth"]["userAuth"]["openId"]["clientId"] == "flyte-console"
    else:
        assert values["configuration"]["auth"]["oidc"]["clientId"] == "flyte-console"
        assert "clientSecret" not in values["configuration"]["auth"]["oidc"]


def test_custom_namespace_names_flyteadmin_in_authorized_uris(synthesized):
    uris = helm_values(synthesized["core-namespace-pg15"], "flyte-core")["configmap"]["adminServer"]["auth"]["authorizedUris"]
    assert uris[0] == "https://flyte.example.com"
    assert "http://flyteadmin.orchestration.svc.cluster.local:80" in uris and not any(".flyte.svc" in u for u in uris)


# --- OIDC mode and mode none -----------------------------------------------------------


def test_oidc_mode_reads_the_client_secret_from_secret_manager(synthesized):
    doc = synthesized["binary-oidc"]
    assert not any(r["chart"] == "keycloakx" for r in resources(doc, "helm_release").values())
    assert "keycloak" not in [block(n["metadata"])["name"] for n in resources(doc, "kubernetes_namespace_v1").values()]
    assert {d["name"] for d in resources(doc, "google_sql_database").values()} == {"flyte"}
    (key, version), = doc["data"]["google_secret_manager_secret_version"].items()
    assert (version["secret"], version["project"]) == ("flyte-oidc-client-secret", "my-flyte-project")
    services = {s["service"] for s in resources(doc, "google_project_service").values()}
    assert "secretmanager.googleapis.com" in services
    secret = _secrets_by_name(doc)["flyte-auth-client-secrets"]
    assert secret["data"]["oidc_client_secret"] == f"${{data.google_secret_manager_secret_version.{key}.secret_data}}"
    auth = helm_values(doc, "flyte-binary")["configuration"]["auth"]
    assert auth["enabled"] is True
    assert auth["oidc"] == {"baseUrl": "https://login.example.com/oauth2/default", "clientId": "0oa1example"}
    assert "issuerUrl" not in helm_values(doc, "flyte-binary")["configuration"]["inline"]["auth"]["userAuth"]["openId"]


def test_secret_manager_is_enabled_only_in_oidc_mode(synthesized):
    for name, doc in synthesized.items():
        services = {s["service"] for s in resources(doc, "google_project_service").values()}
        assert ("secretmanager.googleapis.com" in services) == (name == "binary-oidc"), name


def test_mode_none_adds_no_auth_and_restricts_the_load_balancer(synthesized):
    doc = synthesized["core-auth-none-restricted"]
    values = helm_values(doc, "flyte-core")
    assert "auth" not in values["configmap"].get("adminServer", {}) and "secrets" not in values
    assert set(_secrets_by_name(doc)) == {"db-pass"}
    assert not resources(doc, "kubernetes_ingress_v1") and "keycloak_user_passwords" not in doc["output"]
    controller = helm_values(doc, "nginx-ingress")["controller"]
    assert controller["service"]["loadBalancerSourceRanges"] == ["203.0.113.0/24", "192.0.2.0/24"]


# --- outputs -------------------------------------------------------------------------


def test_outputs_for_people_ci_and_first_login(synthesized):
    outputs = synthesized["core-namespace-pg15"]["output"]
    assert yaml.safe_load(outputs["flyte_config_yaml"]["value"]) == {
        "admin": {"endpoint": "dns:///flyte.example.com", "insecure": False, "authType": "Pkce"}
    }
    ci = yaml.safe_load(outputs["flyte_ci_config_yaml"]["value"])["admin"]
    assert (ci["authType"], ci["clientId"], ci["clientSecretEnvVar"]) == ("ClientSecret", "flyte-ci", "FLYTE_CI_CLIENT_SECRET")
    passwords = outputs["keycloak_user_passwords"]
    assert passwords["sensitive"] is True and set(passwords["value"]) == {"alice@example.com", "bob@example.org"}
    for name in ("keycloak_admin_password", "flyte_ci_client_secret"):
        assert outputs[name]["sensitive"] is True and outputs[name]["value"].startswith("${random_password.")
    assert outputs["keycloak_admin_login_command"]["value"] == (
        "kubectl -n keycloak exec -it statefulset/keycloak -- /opt/keycloak/bin/kcadm.sh config credentials "
        "--server http://localhost:8080/auth --realm master --user admin --config /tmp/kcadm.config"
    )
    assert "keycloak_admin_console_command" not in outputs
    oidc = synthesized["binary-oidc"]["output"]
    assert "flyte_config_yaml" in oidc and not any(k.startswith("keycloak") for k in oidc)


# --- no literal secret anywhere ---------------------------------------------------------


def test_no_literal_secret_in_any_variant(variant):
    name, doc = variant
    assert literal_secrets(doc) == [], name


def _plant_in_secret(doc):
    """Under a key that does not look secret: only the Kubernetes secret data rule can catch it."""
    secret = next(s for s in resources(doc, "kubernetes_secret_v1").values() if s["metadata"]["name"] == "flyte-secret-auth")
    secret["data"]["ca.crt"] = "hunter2hunter2"


def _plant_user_password(doc):
    """A realm user's credential written out: only the password-credential rule can catch it."""
    (configmap,) = resources(doc, "kubernetes_config_map_v1").values()
    configmap["data"]["flyte-realm.json"] = configmap["data"]["flyte-realm.json"].replace("$${FLYTE_USER_0_PASSWORD}", "Welcome1")


def _plant_in_realm(doc):
    (configmap,) = resources(doc, "kubernetes_config_map_v1").values()
    configmap["data"]["flyte-realm.json"] = configmap["data"]["flyte-realm.json"].replace("$${FLYTE_CONSOLE_CLIENT_SECRET}", "s3cr3t-value")


def _plant_in_values(doc, edit):
    _, release = _release(doc, "flyte-core")
    values = yaml.safe_load(release["values"][0])
    edit(values)
    release["values"] = [yaml.safe_dump(values)]


def _plant_admin_password_env(doc):
    _, release = _release(doc, "keycloak")
    values = yaml.safe_load(release["values"][0])
    values["extraEnv"] += "- name: KC_BOOTSTRAP_ADMIN_PASSWORD\n  value: changeme\n"
    release["values"] = [yaml.safe_dump(values)]


@pytest.mark.parametrize(
    "plant, expected",
    [
        (_plant_in_secret, "data.ca.crt: literal secret data"),
        (_plant_user_password, "credentials[0]: literal password credential"),
        (_plant_in_realm, "literal secret"),
        (lambda d: _plant_in_values(d, lambda v: v["secrets"]["adminOauthClientCredentials"].update(clientSecret="foobar")), "foobar"),
        (lambda d: _plant_in_values(d, lambda v: v["configmap"].update(extra={"password": "p4ssw0rd"})), "literal secret"),
        (_plant_admin_password_env, "KC_BOOTSTRAP_ADMIN_PASSWORD"),
        (lambda d: _plant_in_values(d, lambda v: v.update(hash="$2a$10$" + "a" * 53)), "bcrypt hash"),
    ],
)
def test_secret_scan_finds_a_planted_literal(synthesized, plant, expected):
    doc = copy.deepcopy(synthesized["example"])
    plant(doc)
    found = literal_secrets(doc)
    assert found and any(expected in f for f in found), found
