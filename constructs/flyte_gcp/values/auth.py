"""Flyte's authentication values, one partial values dict per chart, merged by `values.merge_values`.

flyteadmin authenticates people against an OpenID provider (Keycloak's `flyte` realm, or the
user's own) and runs its own authorization server (`authServerType: Self`), whose static clients
are flytectl/pyflyte (public, PKCE), flytepropeller (client credentials) and `flyte-ci` (client
credentials for pipelines). Pure: no CDKTF import; inputs are strings (Terraform references).

No secret and no hash is in these values. Secrets live in Kubernetes secrets that Terraform
creates (names below); the static clients, whose `client_secret` is the base64 of a bcrypt hash
(flytestdlib decodes `[]byte` config values from base64), are a config file in a Kubernetes
secret too, merged by flyteadmin with its other config files:
- flyte-core: an extra volume at `CORE_AUTH_CONFIG_DIR` and `flyteadmin.configPath` widened to
  `/etc/flyte/config*/*.yaml` (flytestdlib globs `--config` and deep-merges every match);
- flyte-binary: `configuration.inlineSecretRef`, which the chart projects into its config dir.
The chart defaults these values replace: flyte-core's Google client id and `accounts.google.com`,
`https://localhost:30081` first in `authorizedUris`, and `secrets.adminOauthClientCredentials.
clientSecret: foobar` (set to null: the chart then creates no secret and mounts ours).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

FLYTECTL_CLIENT_ID = "flytectl"
PROPELLER_CLIENT_ID = "flytepropeller"
CI_CLIENT_ID = "flyte-ci"
CLI_REDIRECT_URI = "http://localhost:53593/callback"
OPENID_SCOPES = ["openid", "profile", "email"]

CLIENT_SECRET_KEY = "client_secret"
OIDC_SECRET_KEY = "oidc_client_secret"
CLIENT_SECRET_PATH = f"/etc/secrets/{CLIENT_SECRET_KEY}"
# flyte-core: propeller and scheduler mount this name (the scheduler hard-codes it).
CORE_PROPELLER_SECRET = "flyte-secret-auth"
# flyte-core: flyteadmin's OpenID client secret, a file. Not an environment variable: flyteadmin's
# secret manager logs a secret it finds in FLYTE_SECRET_<name> at debug level ("Secret found %s",
# flytepropeller/pkg/controller/nodes/task/secretmanager/secrets.go, v1.16.8). The chart mounts its
# own `flyte-admin-secrets` at /etc/secrets/, so this one gets a directory of its own, read through
# `openId.clientSecretFile` (flyteadmin/auth/auth_context.go GetOAuth2ClientConfig reads that file
# when set; flyteadmin/auth/config/config.go: `DeprecatedClientSecretFile`, still honoured in v1.16.8).
CORE_OIDC_SECRET = "flyte-oidc-client"
CORE_OIDC_SECRET_DIR = "/etc/flyte/oidc-client"  # outside CORE_CONFIG_PATH's glob
# flyte-binary: `clientSecretsExternalSecretRef`, keys client_secret and oidc_client_secret.
BINARY_CLIENT_SECRETS = "flyte-auth-client-secrets"
# Both charts: flyteadmin's static clients (hashes), as one config file.
STATIC_CLIENTS_SECRET = "flyte-auth-clients"
STATIC_CLIENTS_KEY = "auth-clients.yaml"
CORE_AUTH_CONFIG_DIR = "/etc/flyte/config-auth"
CORE_CONFIG_PATH = "/etc/flyte/config*/*.yaml"


@dataclass(frozen=True, kw_only=True)
class AuthValuesInputs:
    """Where flyteadmin finds the identity provider, and its client there."""

    public_url: str
    """`https://<hostname>`: first authorized URI (behind the proxy flyteadmin itself sees http)."""
    oidc_base_url: str
    """Where flyteadmin fetches the discovery document at start (Keycloak: in-cluster, no DNS needed)."""
    oidc_issuer_url: str | None
    """The issuer tokens carry when it differs from `oidc_base_url` (Keycloak's public URL); None: the same."""
    oidc_client_id: str
    """flyteadmin's confidential client at the identity provider (redirect `<public_url>/callback`)."""


def _confidential(client_id: str, secret_hash_b64: str) -> dict[str, Any]:
    return {
        "id": client_id,
        "client_secret": secret_hash_b64,
        "redirect_uris": ["http://localhost:3846/callback"],
        "grant_types": ["refresh_token", "client_credentials"],
        "response_types": ["token"],
        "scopes": ["all", "offline", "access_token"],
    }


def static_clients_config(*, propeller_hash_b64: str, ci_hash_b64: str) -> str:
    """flyteadmin's static clients as a config file (for the `STATIC_CLIENTS_SECRET` secret).

    The hashes are Terraform expressions (`base64encode(random_password.x.bcrypt_hash)`);
    the list replaces flyteadmin's built-in clients, whose flytepropeller hash is public.
    """
    clients = {
        FLYTECTL_CLIENT_ID: {
            "id": FLYTECTL_CLIENT_ID,
            "public": True,
            "redirect_uris": [CLI_REDIRECT_URI, "http://localhost:12345/callback"],
            "grant_types": ["refresh_token", "authorization_code"],
            "response_types": ["code", "token"],
            "scopes": ["all", "offline", "access_token"],
        },
        PROPELLER_CLIENT_ID: _confidential(PROPELLER_CLIENT_ID, propeller_hash_b64),
        CI_CLIENT_ID: _confidential(CI_CLIENT_ID, ci_hash_b64),
    }
    document = {"auth": {"appAuth": {"selfAuthServer": {"staticClients": clients}}}}
    return yaml.safe_dump(document, sort_keys=False, width=1_000_000)


def _open_id(a: AuthValuesInputs) -> dict[str, Any]:
    open_id: dict[str, Any] = {"baseUrl": a.oidc_base_url, "clientId": a.oidc_client_id, "scopes": list(OPENID_SCOPES)}
    if a.oidc_issuer_url:
        open_id["issuerUrl"] = a.oidc_issuer_url
    return open_id


def flyte_core_auth_values(a: AuthValuesInputs, *, namespace: str) -> dict[str, Any]:
    return {
        "flyteadmin": {
            "configPath": CORE_CONFIG_PATH,
            "additionalVolumes": [
                {"name": "auth-clients", "secret": {"secretName": STATIC_CLIENTS_SECRET}},
                {"name": "oidc-client", "secret": {"secretName": CORE_OIDC_SECRET}},
            ],
            "additionalVolumeMounts": [
                {"name": "auth-clients", "mountPath": CORE_AUTH_CONFIG_DIR, "readOnly": True},
                {"name": "oidc-client", "mountPath": CORE_OIDC_SECRET_DIR, "readOnly": True},
            ],
        },
        "secrets": {
            "adminOauthClientCredentials": {
                "enabled": True,
                "clientSecret": None,  # null: the chart makes no secret (its default is `foobar`) and mounts ours
                "clientId": PROPELLER_CLIENT_ID,
                "secretName": CORE_PROPELLER_SECRET,
            }
        },
        "configmap": {
            "admin": {"admin": {"clientId": PROPELLER_CLIENT_ID, "clientSecretLocation": CLIENT_SECRET_PATH}},
            "adminServer": {
                "server": {"security": {"useAuth": True}},
                "auth": {
                    "authorizedUris": [
                        a.public_url,
                        "http://flyteadmin:80",
                        f"http://flyteadmin.{namespace}.svc.cluster.local:80",
                    ],
                    "appAuth": {"authServerType": "Self"},
                    "userAuth": {"openId": {**_open_id(a), "clientSecretFile": f"{CORE_OIDC_SECRET_DIR}/{OIDC_SECRET_KEY}"}},
                },
            },
        },
    }


BINARY_IN_POD_URL = "http://localhost:8088"


def flyte_binary_auth_values(a: AuthValuesInputs) -> dict[str, Any]:
    open_id = _open_id(a)
    inline_open_id = {k: v for k, v in open_id.items() if k in ("issuerUrl", "scopes")}
    return {
        "configuration": {
            "auth": {
                "enabled": True,
                "enableAuthServer": True,
                "oidc": {"baseUrl": open_id["baseUrl"], "clientId": open_id["clientId"]},
                "internal": {"clientId": PROPELLER_CLIENT_ID},
                # The chart appends its in-cluster service URLs itself, but not the one propeller uses
                # inside the pod (localhost:8089): flyteadmin derives the token endpoint it hands
                # propeller from the authorized URI matching the caller's host, else the first one,
                # the public URL, which pods cannot reach behind restricted source ranges.
                "authorizedUris": [a.public_url, BINARY_IN_POD_URL],
                "clientSecretsExternalSecretRef": BINARY_CLIENT_SECRETS,
            },
            "inlineSecretRef": STATIC_CLIENTS_SECRET,
            "inline": {"auth": {"appAuth": {"authServerType": "Self"}, "userAuth": {"openId": inline_open_id}}},
        }
    }
