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


@pytest.mark.parametrize(
    "ranges",
    [
        ["203.0.113.0/24", "198.51.100.7/32"],
        ["11.0.0.0/8"],  # one /8: the largest set that is still restricted
        ["11.0.0.0/9", "11.128.0.0/9", "11.0.0.0/8"],  # overlaps counted once
        ["8.0.0.0/7"],  # next to 10.0.0.0/8, not in it: public addresses
    ],
)
def test_auth_none_is_accepted_behind_restricted_public_ranges(tmp_path, ranges):
    data = merge(example_data(), {"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ranges}, "dns": {"managed_zone": "example-com"}})
    if ranges == ["8.0.0.0/7"]:  # 33,554,432 addresses: public, so only with login
        data["auth"] = {"mode": "keycloak"}
    config = load_config(write(tmp_path, data))
    assert config.ingress.allowed_cidrs == ranges and not config.ingress.admits_every_address


def test_the_whole_internet_written_in_halves_is_the_whole_internet(tmp_path):
    """HTTP-01 works and no DNS zone is needed: the union is 0.0.0.0/0 however it is written."""
    config = load_config(write(tmp_path, merge(example_data(), {"ingress": {"allowed_cidrs": ["0.0.0.0/1", "128.0.0.0/1"]}})))
    assert config.ingress.is_public and config.ingress.admits_every_address


def test_auth_oidc_and_restricted_none_are_accepted(tmp_path):
    oidc = load_config(write(tmp_path, merge(example_data(), {"auth": {"mode": "oidc", "oidc": OIDC}}), "oidc.yaml"))
    assert oidc.auth.oidc.client_secret_secret == "flyte-oidc-client-secret"
    none = load_config(write(tmp_path, merge(example_data(), {"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["203.0.113.0/24"]}, "dns": {"managed_zone": "example-com"}}), "none.yaml"))
    assert none.auth.mode == "none" and not none.ingress.is_public


@pytest.mark.parametrize(
    "overrides, field, reason",
    [
        ({"auth": {"mode": "none"}}, "", "auth.mode: none with ingress.allowed_cidrs [0.0.0.0/0] open to the whole internet (their union is 0.0.0.0/0) would let anyone on the internet run containers"),
        ({"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["203.0.113.0/24", "0.0.0.0/0"]}}, "", "restrict ingress.allowed_cidrs"),
        # "Public" is decided on the union of the ranges, not on how they are written (issue 19).
        ({"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["0.0.0.0/1", "128.0.0.0/1"]}}, "", "[0.0.0.0/1, 128.0.0.0/1] open to the whole internet"),
        ({"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["64.0.0.0/2"]}, "dns": {"managed_zone": "z"}}, "", "open to 1,073,741,824 addresses (public: more than one /8"),
        ({"auth": {"mode": "none"}, "ingress": {"allowed_cidrs": ["11.0.0.0/8", "12.0.0.0/31"]}, "dns": {"managed_zone": "z"}}, "", "open to 16,777,218 addresses"),
        # Ranges the internet load balancer never sees as a source (issue 19).
        ({"ingress": {"allowed_cidrs": ["10.20.0.0/16"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "'10.20.0.0/16' is private-use (RFC 1918), inside 10.0.0.0/8: the ingress load balancer sees the public source address of each client"),
        ({"ingress": {"allowed_cidrs": ["203.0.113.0/24", "100.64.1.0/24"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[1]", "carrier-grade NAT shared address space (RFC 6598)"),
        ({"ingress": {"allowed_cidrs": ["127.0.0.1/32"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "loopback (RFC 1122)"),
        ({"ingress": {"allowed_cidrs": ["169.254.0.0/16"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "link-local (RFC 3927)"),
        ({"ingress": {"allowed_cidrs": ["172.31.0.0/16"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "inside 172.16.0.0/12"),
        ({"ingress": {"allowed_cidrs": ["192.168.1.0/24"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "inside 192.168.0.0/16"),
        ({"ingress": {"allowed_cidrs": ["0.0.0.0/8"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "'this network'"),
        ({"ingress": {"allowed_cidrs": ["239.1.0.0/16"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "multicast"),
        ({"ingress": {"allowed_cidrs": ["255.255.255.255/32"]}, "dns": {"managed_zone": "z"}}, "ingress.allowed_cidrs[0]", "reserved"),
        ({"auth": {"users": ["Ann@example.com", "ann@example.com"]}}, "auth", "users: contains duplicates ('ann@example.com'; Keycloak stores usernames and e-mails in lower case)"),
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
