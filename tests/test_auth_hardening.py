"""Security hardening of authentication (issue 19), on the synthesized stacks: what Keycloak
exposes to the internet, whose forwarded headers it believes, users whose construct ids would
collide, and how flyte-core's flyteadmin receives its OpenID client secret.
"""

from __future__ import annotations

import pytest
import yaml
from support import build_stack, helm_values, make_config, resources, synth

HOST = "flyte.example.com"


def _secrets_by_name(doc):
    return {s["metadata"]["name"]: s for s in resources(doc, "kubernetes_secret_v1").values()}


# What the internet must not reach on Keycloak: the master realm (its login page and its
# password-grant token endpoint) and the admin console and API. What Flyte's users need.
MASTER_REALM_URLS = (
    "/auth/realms/master/protocol/openid-connect/token",
    "/auth/realms/master/protocol/openid-connect/auth",
    "/auth/realms/master/.well-known/openid-configuration",
    "/auth/admin/master/console/",
    "/auth/admin/realms/flyte/users",
    "/auth/",
)
FLYTE_REALM_URLS = (
    "/auth/realms/flyte/.well-known/openid-configuration",
    "/auth/realms/flyte/protocol/openid-connect/auth",
    "/auth/realms/flyte/login-actions/authenticate",
    "/auth/resources/abc12/login/keycloak.v2/css/styles.css",
)


def _keycloak_routes(doc):
    """(path, path_type) of every Ingress path on the host that leads to Keycloak's service."""
    routes = []
    for ingress in resources(doc, "kubernetes_ingress_v1").values():
        for rule in ingress["spec"]["rule"]:
            for path in rule["http"]["path"]:
                if path["backend"]["service"]["name"] == "keycloak-http":
                    routes.append((rule["host"], path["path"], path["path_type"]))
    return routes


def _reaches(routes, url):
    """NGINX's prefix match (the F5 controller writes `location <path>` for Prefix paths)."""
    return any(host == HOST and kind == "Prefix" and url.startswith(path) for host, path, kind in routes)


@pytest.mark.parametrize("name", ["example", "binary-zonal-cloud", "core-namespace-pg15"])
def test_only_the_flyte_realm_and_resources_are_public(synthesized, name):
    (ingress,) = resources(synthesized[name], "kubernetes_ingress_v1").values()
    assert ingress["metadata"]["annotations"] == {"nginx.org/mergeable-ingress-type": "minion"}
    assert ingress["spec"]["ingress_class_name"] == "nginx" and "tls" not in ingress["spec"]
    routes = _keycloak_routes(synthesized[name])
    assert sorted(routes) == [(HOST, "/auth/realms/flyte/", "Prefix"), (HOST, "/auth/resources/", "Prefix")]
    for url in MASTER_REALM_URLS:
        assert not _reaches(routes, url), url
    for url in FLYTE_REALM_URLS:
        assert _reaches(routes, url), url


def test_route_check_sees_the_master_realm_behind_a_wider_path():
    """The check above fails on the routes this stack had before issue 19."""
    wide = [(HOST, "/auth/realms/", "Prefix"), (HOST, "/auth/resources/", "Prefix")]
    assert _reaches(wide, "/auth/realms/master/protocol/openid-connect/token")


@pytest.mark.parametrize("name", ["example", "binary-zonal-cloud"])
def test_keycloak_trusts_forwarded_headers_from_the_pods_range_only(synthesized, name):
    """KC_PROXY_HEADERS=xforwarded believes any sender unless KC_PROXY_TRUSTED_ADDRESSES lists them
    (Keycloak ProxyOptions `proxy-trusted-addresses`); the controller's pods get pod IPs."""
    doc = synthesized[name]
    env = {e["name"]: e["value"] for e in yaml.safe_load(helm_values(doc, "keycloak")["extraEnv"])}
    assert helm_values(doc, "keycloak")["proxy"]["mode"] == "xforwarded"
    assert env["KC_PROXY_TRUSTED_ADDRESSES"] == "172.16.0.0/16"  # network.pods_cidr's default
    (subnet,) = resources(doc, "google_compute_subnetwork").values()
    pods = [r["ip_cidr_range"] for r in subnet["secondary_ip_range"] if r["range_name"] == "gke-pods"]
    assert pods == [env["KC_PROXY_TRUSTED_ADDRESSES"]]


def test_trusted_addresses_follow_the_pods_range():
    doc = synth(build_stack(make_config(network={"pods_cidr": "172.20.0.0/14"}), "pods-range"))
    env = {e["name"]: e["value"] for e in yaml.safe_load(helm_values(doc, "keycloak")["extraEnv"])}
    assert env["KC_PROXY_TRUSTED_ADDRESSES"] == "172.20.0.0/14"


def test_users_whose_ids_would_collide_get_distinct_passwords():
    """`a.b@x.com` and `a-b@x.com` both read `a-b-x-com`: the first keeps that id (its address), the second gets a suffix."""
    doc = synth(build_stack(make_config(auth={"users": ["a.b@example.com", "a-b@example.com", "alice@example.com"]}), "collide"))
    passwords = [k for k in resources(doc, "random_password") if k.startswith("keycloak_user-password-")]
    assert len(passwords) == 3
    assert sum(k.startswith("keycloak_user-password-a-b-example-com_") for k in passwords) == 1
    assert sum(k.startswith("keycloak_user-password-a-b-example-com-") for k in passwords) == 1
    assert sum(k.startswith("keycloak_user-password-alice-example-com_") for k in passwords) == 1
    outputs = doc["output"]["keycloak_user_passwords"]["value"]
    assert len(set(outputs.values())) == 3 and set(outputs) == {"a.b@example.com", "a-b@example.com", "alice@example.com"}


def test_flyte_core_reads_the_oidc_client_secret_from_a_file(synthesized):
    """Not an environment variable: flyteadmin's secret manager logs one it finds there at debug level."""
    doc = synthesized["example"]
    admin = helm_values(doc, "flyte-core")["flyteadmin"]
    assert not any("oidc" in str(e).lower() for e in admin.get("env", []))
    open_id = helm_values(doc, "flyte-core")["configmap"]["adminServer"]["auth"]["userAuth"]["openId"]
    assert open_id["clientSecretFile"] == "/etc/flyte/oidc-client/oidc_client_secret"
    (volume,) = [v for v in admin["additionalVolumes"] if v.get("secret", {}).get("secretName") == "flyte-oidc-client"]
    (mount,) = [m for m in admin["additionalVolumeMounts"] if m["name"] == volume["name"]]
    assert mount["mountPath"] == "/etc/flyte/oidc-client" and mount["readOnly"] is True
    secret = _secrets_by_name(doc)["flyte-oidc-client"]
    assert set(secret["data"]) == {"oidc_client_secret"}
    assert secret["data"]["oidc_client_secret"] == _secrets_by_name(doc)["keycloak-env"]["data"]["FLYTE_CONSOLE_CLIENT_SECRET"]
