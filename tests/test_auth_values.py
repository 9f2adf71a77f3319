"""Authentication, pure parts (issue 11): Flyte's auth values on both charts, the realm, Keycloak's chart values."""

from __future__ import annotations

import json

import yaml
from chart_model import helm_tpl, string_leaves

from flyte_gcp.values import keycloak as kv
from flyte_gcp.values import auth as va

HOST = "flyte.example.com"
INTERNAL_REALM = "http://keycloak-http.keycloak.svc.cluster.local/auth/realms/flyte"
PUBLIC_REALM = "https://flyte.example.com/auth/realms/flyte"
KEYCLOAK_INPUTS = va.AuthValuesInputs(
    public_url=f"https://{HOST}", oidc_base_url=INTERNAL_REALM, oidc_issuer_url=PUBLIC_REALM, oidc_client_id="flyte-console"
)


# --- Flyte values (pure) ---------------------------------------------------------


def test_flyte_core_auth_values():
    v = va.flyte_core_auth_values(KEYCLOAK_INPUTS, namespace="orchestration")
    server = v["configmap"]["adminServer"]
    assert server["server"]["security"]["useAuth"] is True
    assert server["auth"]["authorizedUris"] == [
        "https://flyte.example.com", "http://flyteadmin:80", "http://flyteadmin.orchestration.svc.cluster.local:80",
    ]
    assert server["auth"]["appAuth"] == {"authServerType": "Self"}
    assert server["auth"]["userAuth"]["openId"] == {
        "baseUrl": INTERNAL_REALM, "issuerUrl": PUBLIC_REALM, "clientId": "flyte-console", "scopes": ["openid", "profile", "email"],
        "clientSecretFile": "/etc/flyte/oidc-client/oidc_client_secret",
    }
    assert v["secrets"]["adminOauthClientCredentials"] == {
        "enabled": True, "clientSecret": None, "clientId": "flytepropeller", "secretName": "flyte-secret-auth",
    }
    assert v["configmap"]["admin"]["admin"] == {"clientId": "flytepropeller", "clientSecretLocation": "/etc/secrets/client_secret"}
    admin = v["flyteadmin"]
    # No secret in the environment: flyteadmin's secret manager logs a secret it finds there at debug level.
    assert "env" not in admin and "envFrom" not in admin
    # The static clients (hashes) come from a secret mounted beside the chart's config, which the widened
    # glob reads; the OpenID client secret is a file of its own secret, named by openId.clientSecretFile.
    assert admin["additionalVolumes"] == [
        {"name": "auth-clients", "secret": {"secretName": "flyte-auth-clients"}},
        {"name": "oidc-client", "secret": {"secretName": "flyte-oidc-client"}},
    ]
    mounts = {m["name"]: m for m in admin["additionalVolumeMounts"]}
    assert mounts["auth-clients"]["mountPath"] == "/etc/flyte/config-auth" and mounts["auth-clients"]["readOnly"] is True
    assert mounts["oidc-client"] == {"name": "oidc-client", "mountPath": "/etc/flyte/oidc-client", "readOnly": True}
    assert admin["configPath"] == "/etc/flyte/config*/*.yaml"
    import fnmatch

    assert fnmatch.fnmatch("/etc/flyte/config/server.yaml", admin["configPath"])
    assert fnmatch.fnmatch("/etc/flyte/config-auth/auth-clients.yaml", admin["configPath"])
    assert not fnmatch.fnmatch("/etc/flyte/oidc-client/oidc_client_secret", admin["configPath"])


def test_flyte_binary_auth_values():
    v = va.flyte_binary_auth_values(KEYCLOAK_INPUTS)["configuration"]
    assert v["auth"] == {
        "enabled": True,
        "enableAuthServer": True,
        "oidc": {"baseUrl": INTERNAL_REALM, "clientId": "flyte-console"},
        "internal": {"clientId": "flytepropeller"},
        "authorizedUris": ["https://flyte.example.com", "http://localhost:8088"],
        "clientSecretsExternalSecretRef": "flyte-auth-client-secrets",
    }
    assert v["inlineSecretRef"] == "flyte-auth-clients"
    assert v["inline"]["auth"]["userAuth"]["openId"] == {"issuerUrl": PUBLIC_REALM, "scopes": ["openid", "profile", "email"]}
    assert v["inline"]["auth"]["appAuth"] == {"authServerType": "Self"}


def test_oidc_mode_has_no_separate_issuer():
    inputs = va.AuthValuesInputs(public_url="https://h.example.com", oidc_base_url="https://idp.example.com/o", oidc_issuer_url=None, oidc_client_id="c")
    open_id = va.flyte_core_auth_values(inputs, namespace="flyte")["configmap"]["adminServer"]["auth"]["userAuth"]["openId"]
    assert open_id["baseUrl"] == "https://idp.example.com/o" and "issuerUrl" not in open_id
    assert "issuerUrl" not in va.flyte_binary_auth_values(inputs)["configuration"]["inline"]["auth"]["userAuth"]["openId"]


def test_static_clients_hold_only_the_given_hashes():
    config = yaml.safe_load(va.static_clients_config(propeller_hash_b64="${P}", ci_hash_b64="${C}"))
    clients = config["auth"]["appAuth"]["selfAuthServer"]["staticClients"]
    assert set(clients) == {"flytectl", "flytepropeller", "flyte-ci"}
    assert clients["flytectl"]["public"] is True and "client_secret" not in clients["flytectl"]
    assert clients["flytectl"]["redirect_uris"][0] == "http://localhost:53593/callback"
    assert "authorization_code" in clients["flytectl"]["grant_types"]
    assert clients["flytepropeller"]["client_secret"] == "${P}" and clients["flyte-ci"]["client_secret"] == "${C}"
    for confidential in ("flytepropeller", "flyte-ci"):
        assert "client_credentials" in clients[confidential]["grant_types"] and not clients[confidential].get("public")


# --- the realm and Keycloak's chart values (pure) -------------------------------------


def test_realm_has_the_console_client_and_one_user_each_with_placeholders_only():
    realm = kv.realm(hostname=HOST, users=["alice@example.com", "bob@example.org"])
    assert realm["realm"] == "flyte" and realm["enabled"] is True and realm["registrationAllowed"] is False
    (client,) = realm["clients"]
    assert client["clientId"] == "flyte-console" and client["publicClient"] is False and client["standardFlowEnabled"] is True
    assert client["redirectUris"] == ["https://flyte.example.com/callback"]
    assert client["webOrigins"] == ["https://flyte.example.com"]
    assert client["secret"] == "${FLYTE_CONSOLE_CLIENT_SECRET}"
    assert [u["username"] for u in realm["users"]] == ["alice@example.com", "bob@example.org"]
    for i, user in enumerate(realm["users"]):
        assert user["email"] == user["username"] and user["emailVerified"] is True
        assert user["credentials"] == [{"type": "password", "value": f"${{FLYTE_USER_{i}_PASSWORD}}", "temporary": True}]
        assert "UPDATE_PASSWORD" in user["requiredActions"]
    assert json.loads(kv.realm_json(hostname=HOST, users=["a@b.co"]))["users"][0]["username"] == "a@b.co"


def test_keycloak_chart_values():
    v = kv.chart_values(
        kv.KeycloakValuesInputs(hostname=HOST, trusted_proxies=("172.16.0.0/16",), db_host="${ip}", db_name="${db}", db_user="${user}")
    )
    assert v["image"] == {"repository": "quay.io/keycloak/keycloak", "tag": "26.5.6"}  # the chart 7.1.11's appVersion
    assert v["args"] == ["start", "--import-realm"]
    assert v["http"]["relativePath"] == "/auth"
    assert v["proxy"] == {"enabled": True, "mode": "xforwarded", "http": {"enabled": True}}
    assert v["health"]["enabled"] is True
    assert v["database"] == {
        "vendor": "postgres", "hostname": "${ip}", "port": 5432, "database": "${db}", "username": "${user}",
        "existingSecret": "keycloak-db", "existingSecretKey": "password",
    }
    env = {e["name"]: e["value"] for e in yaml.safe_load(v["extraEnv"])}
    assert env["KC_HOSTNAME"] == "https://flyte.example.com/auth"
    assert env["KC_HOSTNAME_BACKCHANNEL_DYNAMIC"] == "true"
    assert env["KC_DB_URL_PROPERTIES"] == "?sslmode=require"
    assert env["KC_HOSTNAME_ADMIN"] == "http://localhost:8080/auth"
    assert env["KC_PROXY_TRUSTED_ADDRESSES"] == "172.16.0.0/16"
    assert not any("PASSWORD" in name or "SECRET" in name for name in env), "secrets come from the secret, not values"
    assert yaml.safe_load(v["extraEnvFrom"]) == [{"secretRef": {"name": "keycloak-env"}}]
    assert yaml.safe_load(v["extraVolumes"]) == [{"name": "realm", "configMap": {"name": "keycloak-realm"}}]
    assert yaml.safe_load(v["extraVolumeMounts"])[0]["mountPath"] == "/opt/keycloak/data/import"
    assert v["resources"]["limits"]["memory"] == "2Gi"
    assert v["ingress"]["enabled"] is False and "tolerations" not in v
    for path, text in string_leaves(v):  # keycloakx passes extraEnv, extraVolumes, ... through `tpl`
        assert helm_tpl(text) == text, path
