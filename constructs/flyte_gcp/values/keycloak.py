"""Keycloak's realm for Flyte and the keycloakx chart values, as pure functions (no CDKTF).

The realm is imported by Keycloak itself at first start (`start --import-realm` reads
`/opt/keycloak/data/import/*.json`; a realm that exists is left alone, so later edits to the
file are ignored). It holds no secret: each secret is a `${ENV_VAR}` placeholder that Keycloak
resolves from its environment when importing at startup (Keycloak server guide, "Importing a
realm during startup" > "Using environment variables within the realm configuration files"),
and those variables come from a Kubernetes secret Terraform creates (`ENV_SECRET`).

Keycloak serves everything under `/auth` at the public URL `https://<host>/auth`; with
`KC_HOSTNAME_BACKCHANNEL_DYNAMIC` a request on the in-cluster service gets in-cluster token and
JWKS endpoints, so flyteadmin never needs public DNS while browsers get the public URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from flyte_gcp.facts.versions import KEYCLOAK_IMAGE_REPOSITORY, KEYCLOAK_IMAGE_VERSION

NAMESPACE = "keycloak"
RELEASE = "keycloak"
SERVICE = f"{RELEASE}-http"  # the chart's HTTP service (`<fullname>-http`, port 80 -> 8080)
RELATIVE_PATH = "/auth"
REALM = "flyte"
CONSOLE_CLIENT_ID = "flyte-console"
REALM_CONFIGMAP = "keycloak-realm"
REALM_FILE = "flyte-realm.json"
IMPORT_DIR = "/opt/keycloak/data/import"
DB_SECRET = "keycloak-db"
DB_SECRET_KEY = "password"
ENV_SECRET = "keycloak-env"
ADMIN_PASSWORD_ENV = "KC_BOOTSTRAP_ADMIN_PASSWORD"
CONSOLE_SECRET_ENV = "FLYTE_CONSOLE_CLIENT_SECRET"
ADMIN_USER = "admin"
HTTP_PORT = 8080  # Keycloak's HTTP port in the pod (the chart's `http` container port)
ADMIN_CONSOLE_URL = f"http://localhost:{HTTP_PORT}{RELATIVE_PATH}"
# Only Flyte's realm and the static resources its pages load face the internet: everything else
# under /auth/realms/ is the master realm (the admin login page, its password-grant token
# endpoint), and /auth/admin/ is the admin console and API. Admins work from inside the pod
# (`kcadm_login_command`), which needs no route: see README "Authentication".
PUBLIC_PATHS = (f"{RELATIVE_PATH}/realms/{REALM}/", f"{RELATIVE_PATH}/resources/")
KCADM = "/opt/keycloak/bin/kcadm.sh"
KCADM_CONFIG = "/tmp/kcadm.config"  # the image's home is not guaranteed writable; /tmp is


def kcadm_login_command() -> str:
    """Logs kcadm in to the master realm from inside the Keycloak pod (it prompts for the admin password).

    Against localhost, so the master realm needs no public route: the token's issuer is the
    frontend URL however the request arrived, and the admin API checks it against that same
    frontend URL (Keycloak 26: `DefaultKeycloakContext.getUri()` is the FRONTEND URL type, used by
    `AppAuthManager.BearerTokenAuthenticator` and the token manager alike). A request from
    127.0.0.1 is not "external", so the master realm's `sslRequired: external` allows plain HTTP.
    """
    return (
        f"kubectl -n {NAMESPACE} exec -it statefulset/{RELEASE} -- {KCADM} config credentials "
        f"--server http://localhost:{HTTP_PORT}{RELATIVE_PATH} --realm master --user {ADMIN_USER} --config {KCADM_CONFIG}"
    )


def user_password_env(index: int) -> str:
    return f"FLYTE_USER_{index}_PASSWORD"


def public_realm_url(hostname: str) -> str:
    return f"https://{hostname}{RELATIVE_PATH}/realms/{REALM}"


def internal_realm_url() -> str:
    return f"http://{SERVICE}.{NAMESPACE}.svc.cluster.local{RELATIVE_PATH}/realms/{REALM}"


def realm(*, hostname: str, users: list[str]) -> dict[str, Any]:
    """The `flyte` realm: flyteadmin's confidential client and one account per user (temporary password)."""
    return {
        "realm": REALM,
        "enabled": True,
        "sslRequired": "external",
        "registrationAllowed": False,
        "loginWithEmailAllowed": True,
        "duplicateEmailsAllowed": False,
        "bruteForceProtected": True,
        "clients": [
            {
                "clientId": CONSOLE_CLIENT_ID,
                "name": "Flyte",
                "enabled": True,
                "protocol": "openid-connect",
                "publicClient": False,
                "clientAuthenticatorType": "client-secret",
                "secret": "${%s}" % CONSOLE_SECRET_ENV,
                "standardFlowEnabled": True,
                "implicitFlowEnabled": False,
                "directAccessGrantsEnabled": False,
                "serviceAccountsEnabled": False,
                "redirectUris": [f"https://{hostname}/callback"],
                "webOrigins": [f"https://{hostname}"],
                "attributes": {"post.logout.redirect.uris": f"https://{hostname}/*"},
            }
        ],
        "users": [
            {
                "username": email,
                "email": email,
                "emailVerified": True,
                "enabled": True,
                "credentials": [{"type": "password", "value": "${%s}" % user_password_env(i), "temporary": True}],
                "requiredActions": ["UPDATE_PASSWORD"],
            }
            for i, email in enumerate(users)
        ],
    }


def realm_json(*, hostname: str, users: list[str]) -> str:
    return json.dumps(realm(hostname=hostname, users=users), indent=2, sort_keys=False)


@dataclass(frozen=True, kw_only=True)
class KeycloakValuesInputs:
    hostname: str
    trusted_proxies: tuple[str, ...]
    """Where the ingress controller's requests come from (the pods range): only their X-Forwarded-* headers count."""
    db_host: str
    """Cloud SQL's private IP (a reference)."""
    db_name: str
    db_user: str


def _env(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


def chart_values(v: KeycloakValuesInputs) -> dict[str, Any]:
    """keycloakx values: pinned image, `/auth`, public hostname, Cloud SQL over TLS, the realm mounted."""
    env = [
        _env("KC_HOSTNAME", f"https://{v.hostname}{RELATIVE_PATH}"),
        _env("KC_HOSTNAME_BACKCHANNEL_DYNAMIC", "true"),
        # The admin console is not routed publicly: it answers on an operator's port-forward only.
        _env("KC_HOSTNAME_ADMIN", ADMIN_CONSOLE_URL),
        # `proxy.mode: xforwarded` trusts the X-Forwarded-* headers of any sender unless this lists the
        # senders (Keycloak's ProxyOptions `proxy-trusted-addresses`): only the controller's pods.
        _env("KC_PROXY_TRUSTED_ADDRESSES", ",".join(v.trusted_proxies)),
        _env("KC_DB_URL_PROPERTIES", "?sslmode=require"),
        _env("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER),
    ]
    return {
        "fullnameOverride": RELEASE,
        "image": {"repository": KEYCLOAK_IMAGE_REPOSITORY, "tag": KEYCLOAK_IMAGE_VERSION},
        "args": ["start", "--import-realm"],
        "http": {"relativePath": RELATIVE_PATH},
        "proxy": {"enabled": True, "mode": "xforwarded", "http": {"enabled": True}},
        "health": {"enabled": True},
        # KC_METRICS_ENABLED: /auth/metrics on the management port (scraped by `values_scrape`).
        "metrics": {"enabled": True},
        "database": {
            "vendor": "postgres",
            "hostname": v.db_host,
            "port": 5432,
            "database": v.db_name,
            "username": v.db_user,
            "existingSecret": DB_SECRET,
            "existingSecretKey": DB_SECRET_KEY,
        },
        # The chart passes these strings through `tpl`: plain YAML, no template actions.
        "extraEnv": yaml.safe_dump(env, sort_keys=False),
        "extraEnvFrom": yaml.safe_dump([{"secretRef": {"name": ENV_SECRET}}], sort_keys=False),
        "extraVolumes": yaml.safe_dump([{"name": "realm", "configMap": {"name": REALM_CONFIGMAP}}], sort_keys=False),
        "extraVolumeMounts": yaml.safe_dump([{"name": "realm", "mountPath": IMPORT_DIR, "readOnly": True}], sort_keys=False),
        "resources": {"requests": {"cpu": "500m", "memory": "1280Mi"}, "limits": {"memory": "2Gi"}},
        "ingress": {"enabled": False},
    }
