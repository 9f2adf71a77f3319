"""The `auth` section (issue 11): defaults, accepted modes, and every mistake named with file, field and reason."""

from __future__ import annotations

import pytest
from support import example_data, merge
from test_config import error_for, write

from flyte_gcp.config.loader import load_config


# --- auth (issue 11) -------------------------------------------------------------------

OIDC = {"issuer": "https://login.example.com/oauth2/default", "client_id": "0oa1example", "client_secret_secret": "flyte-oidc-client-secret"}


def test_auth_defaults_to_keycloak_with_the_contact_as_only_user(tmp_path):
    config = load_config(write(tmp_path, example_data()))
    assert config.auth.mode == "keycloak" and config.auth_users == ["platform-team@example.com"]
    assert config.ingress.allowed_cidrs == ["0.0.0.0/0"] and config.ingress.is_public


def test_auth_oidc_and_restricted_none_are_accepted(tmp_path):
    oidc = load_config(write(tmp_path, merge(example_data(), {"auth": {"mode": "oidc", "oidc": OIDC}}), "oidc.yaml"))
    assert oidc.auth.oidc.client_secret_secret == "flyte-oidc-client-secret"
    none = load_config(write(tmp_path, merge(example_data(), {"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["203.0.113.0/24"]}, "dns": {"managed_zone": "example-com"}}), "none.yaml"))
    assert none.auth.mode == "none" and not none.ingress.is_public


@pytest.mark.parametrize(
    "overrides, field, reason",
    [
        ({"auth": {"mode": "none"}}, "", "auth.mode: none with ingress.allowed_cidrs open to 0.0.0.0/0 would let anyone on the internet run containers"),
        ({"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["10.0.0.0/8", "0.0.0.0/0"]}}, "", "restrict ingress.allowed_cidrs"),
        ({"auth": {"mode": "oidc", "oidc": {**OIDC, "client_secret": "s3cr3t"}}}, "auth.oidc", "client_secret: a literal secret does not belong in the config file; store it in Secret Manager"),
        ({"auth": {"mode": "oidc", "oidc": {**OIDC, "client_secret": "s3cr3t"}}}, "auth.oidc", "name that secret in auth.oidc.client_secret_secret"),
        ({"auth": {"mode": "oidc"}}, "auth", "oidc: required with mode oidc"),
        ({"auth": {"oidc": OIDC}}, "auth", "oidc: only used with mode oidc"),
        ({"auth": {"mode": "oidc", "oidc": {**OIDC, "issuer": "http://login.example.com"}}}, "auth.oidc.issuer", "is not an https:// issuer URL"),
        ({"auth": {"mode": "oidc", "oidc": {**OIDC, "client_secret_secret": "projects/p/secrets/x"}}}, "auth.oidc.client_secret_secret", "'projects/p/secrets/x' is not a Secret Manager secret id"),
        ({"auth": {"mode": "oidc", "oidc": {"issuer": OIDC["issuer"], "client_id": "x"}}}, "auth.oidc.client_secret_secret", "required key is missing"),
        ({"auth": {"mode": "ldap"}}, "auth.mode", "'keycloak', 'oidc' or 'none'"),
        ({"auth": {"users": ["alice"]}}, "auth.users[0]", "is not an e-mail address"),
        ({"auth": {"users": []}}, "auth.users", "at least 1 item"),
        ({"auth": {"users": ["a@example.com", "a@example.com"]}}, "auth", "users: contains duplicates"),
        ({"auth": {"mode": "oidc", "oidc": OIDC, "users": ["a@example.com"]}}, "auth", "users: only used with mode keycloak"),
        ({"ingress": {"allowed_cidrs": ["10.0.0.0/33"]}}, "ingress.allowed_cidrs[0]", "is not a valid netmask"),
        ({"auth": {"mode": "keycloak", "password": "x"}}, "auth.password", "unknown key"),
    ],
)
def test_bad_auth_settings_name_field_and_reason(tmp_path, overrides, field, reason):
    message = error_for(tmp_path, **overrides)
    if field:
        assert f": {field}: " in message, message
    assert reason in message, message
