"""Security- and wiring-relevant values of every synthesized variant, each against an expectation
written here from its source (issue 19), never read from the product's own constants.

The snapshots say "something changed"; these say "this is wrong": the realm URLs flyteadmin
and Keycloak must agree on, each static client's own hash, TLS to the database on every client
of it, the realm's hardening, what the Keycloak release waits for, and the ingress controller's
telemetry.
"""

from __future__ import annotations

import json

import pytest
import yaml
from support import VARIANTS, block, helm_values, resources
from tfgraph import Graph

HOST = "flyte.example.com"
# Keycloak serves the realm at <KC_HOSTNAME>/realms/<realm>, KC_HOSTNAME being the public URL with
# the chart's relative path /auth; in the cluster the keycloakx chart's HTTP service is
# `<fullname>-http` on port 80 in the release's namespace.
PUBLIC_REALM = "https://flyte.example.com/auth/realms/flyte"
INTERNAL_REALM = "http://keycloak-http.keycloak.svc.cluster.local/auth/realms/flyte"
# Cloud SQL with ssl_mode ENCRYPTED_ONLY refuses plaintext; PostgreSQL clients (Go's pgx/lib/pq
# for Flyte, the JDBC driver for Keycloak) encrypt with `sslmode=require`.
SSLMODE = "sslmode=require"
KEYCLOAK_VARIANTS = [n for n, v in VARIANTS.items() if v.get("auth", {}).get("mode", "keycloak") == "keycloak"]
CORE = [n for n, v in VARIANTS.items() if v.get("chart", "flyte-core") == "flyte-core"]
BINARY = [n for n, v in VARIANTS.items() if v.get("chart") == "flyte-binary"]


def _env(values):
    return {e["name"]: e["value"] for e in yaml.safe_load(values["extraEnv"])}


def _secret(doc, name):
    (secret,) = [s for s in resources(doc, "kubernetes_secret_v1").values() if s["metadata"]["name"] == name]
    return secret


def _password_of(reference: str) -> str:
    """`random_password.<name>` from `${random_password.<name>.result}`."""
    assert reference.startswith("${random_password.") and reference.endswith(".result}"), reference
    return reference[2:-len(".result}")]


# --- the realm URLs --------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in KEYCLOAK_VARIANTS if n in CORE])
def test_flyte_core_finds_keycloak_at_the_realm_urls(synthesized, name):
    open_id = helm_values(synthesized[name], "flyte-core")["configmap"]["adminServer"]["auth"]["userAuth"]["openId"]
    assert open_id["baseUrl"] == INTERNAL_REALM
    assert open_id["issuerUrl"] == PUBLIC_REALM


@pytest.mark.parametrize("name", [n for n in KEYCLOAK_VARIANTS if n in BINARY])
def test_flyte_binary_finds_keycloak_at_the_realm_urls(synthesized, name):
    configuration = helm_values(synthesized[name], "flyte-binary")["configuration"]
    assert configuration["auth"]["oidc"]["baseUrl"] == INTERNAL_REALM
    assert configuration["inline"]["auth"]["userAuth"]["openId"]["issuerUrl"] == PUBLIC_REALM


@pytest.mark.parametrize("name", KEYCLOAK_VARIANTS)
def test_keycloak_issues_the_issuer_flyte_expects(synthesized, name):
    """The `iss` Keycloak writes is KC_HOSTNAME + /realms/ + the realm's name."""
    doc = synthesized[name]
    values = helm_values(doc, "keycloak")
    (configmap,) = resources(doc, "kubernetes_config_map_v1").values()
    realm = json.loads(configmap["data"]["flyte-realm.json"].replace("$${", "${"))
    assert values["http"]["relativePath"] == "/auth"
    assert f"{_env(values)['KC_HOSTNAME']}/realms/{realm['realm']}" == PUBLIC_REALM
    assert values["fullnameOverride"] == "keycloak"  # the service keycloak-http of INTERNAL_REALM
    (namespace,) = [n for n in resources(doc, "kubernetes_namespace_v1").values() if block(n["metadata"])["name"] == "keycloak"]
    assert namespace


# --- flyteadmin's static clients -------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, v in VARIANTS.items() if v.get("auth", {}).get("mode") != "none"])
def test_each_static_client_holds_the_hash_of_its_own_secret(synthesized, name):
    doc = synthesized[name]
    clients = yaml.safe_load(_secret(doc, "flyte-auth-clients")["data"]["auth-clients.yaml"])["auth"]["appAuth"]["selfAuthServer"]["staticClients"]
    # propeller's secret is what the chart mounts for propeller; flyte-ci's is the output CI uses.
    propeller_secret = _secret(doc, "flyte-secret-auth" if name in CORE else "flyte-auth-client-secrets")["data"]["client_secret"]
    propeller = _password_of(propeller_secret)
    ci = _password_of(doc["output"]["flyte_ci_client_secret"]["value"])
    assert propeller != ci
    assert clients["flytepropeller"]["client_secret"] == f"${{base64encode({propeller}.bcrypt_hash)}}"
    assert clients["flyte-ci"]["client_secret"] == f"${{base64encode({ci}.bcrypt_hash)}}"
    assert "client_secret" not in clients["flytectl"] and clients["flytectl"]["public"] is True


# --- TLS to the database ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_database_client_requires_tls(synthesized, name):
    doc = synthesized[name]
    (instance,) = resources(doc, "google_sql_database_instance").values()
    ip = instance["settings"]["ip_configuration"]
    assert ip["ssl_mode"] == "ENCRYPTED_ONLY" and ip["ipv4_enabled"] is False
    if name in CORE:
        db = helm_values(doc, "flyte-core")["db"]
        assert db["admin"]["database"]["options"] == SSLMODE
        assert db["datacatalog"]["database"]["options"] == SSLMODE
    else:
        assert helm_values(doc, "flyte-binary")["configuration"]["database"]["options"] == SSLMODE
    if name in KEYCLOAK_VARIANTS:
        assert _env(helm_values(doc, "keycloak"))["KC_DB_URL_PROPERTIES"] == "?" + SSLMODE


# --- the realm -------------------------------------------------------------------------


@pytest.mark.parametrize("name", KEYCLOAK_VARIANTS)
def test_the_realm_is_hardened(synthesized, name):
    (configmap,) = resources(synthesized[name], "kubernetes_config_map_v1").values()
    realm = json.loads(configmap["data"]["flyte-realm.json"].replace("$${", "${"))
    # "external": HTTPS for every client outside private ranges. Not "none"; not "all" either:
    # flyteadmin reads the realm over the in-cluster HTTP URL from a private pod address.
    assert realm["sslRequired"] == "external"
    assert realm["bruteForceProtected"] is True
    assert realm["registrationAllowed"] is False and realm["duplicateEmailsAllowed"] is False
    (client,) = realm["clients"]
    assert client["publicClient"] is False and client["implicitFlowEnabled"] is False
    assert client["directAccessGrantsEnabled"] is False and client["serviceAccountsEnabled"] is False
    assert client["redirectUris"] == [f"https://{HOST}/callback"]


# --- ordering --------------------------------------------------------------------------


@pytest.mark.parametrize("name", KEYCLOAK_VARIANTS)
def test_keycloak_release_waits_for_its_secrets_realm_and_database(synthesized, name):
    doc = synthesized[name]
    graph = Graph(doc)
    (release,) = [f"helm_release.{k}" for k, r in resources(doc, "helm_release").items() if r["chart"] == "keycloakx"]
    waited = graph.ancestors(release)
    named = {
        f"{t}.{k}": r["metadata"]["name"]
        for t in ("kubernetes_secret_v1", "kubernetes_config_map_v1")
        for k, r in resources(doc, t).items()
    }
    assert {"keycloak-db", "keycloak-env", "keycloak-realm"} <= {named[a] for a in waited if a in named}
    sql = {f"{t}.{k}": r["name"] for t in ("google_sql_user", "google_sql_database") for k, r in resources(doc, t).items()}
    assert sorted(sql[a] for a in waited if a in sql) == ["keycloak", "keycloak"]


# --- the ingress controller ------------------------------------------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_ingress_controller_reports_nothing_to_f5_and_runs_no_snippets(synthesized, name):
    controller = helm_values(synthesized[name], "nginx-ingress")["controller"]
    assert controller["telemetryReporting"] == {"enable": False}
    assert controller["enableSnippets"] is False
