"""Auth: the identity provider (Keycloak, or the user's OpenID provider) and Flyte's auth secrets.

`auth.mode` decides: keycloak (default) deploys Keycloak with a `flyte` realm; oidc reads the
client secret of the user's own provider from Secret Manager; none adds nothing (the config
only allows it behind restricted `ingress.allowed_cidrs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flyte_gcp.cdk.toolchain import ITerraformDependable, TerraformStack
from flyte_gcp.cdk.toolchain.google.data_google_secret_manager_secret_version import DataGoogleSecretManagerSecretVersion

from flyte_gcp.values import keycloak as keycloak_values
from flyte_gcp.config.model import Config
from flyte_gcp.k8s.flyte_auth import FlyteAuthSecrets
from flyte_gcp.k8s.keycloak import Keycloak
from flyte_gcp.layers.data import Data
from flyte_gcp.layers.edge import Edge
from flyte_gcp.layers.foundation import Foundation
from flyte_gcp.values.auth import AuthValuesInputs


@dataclass(frozen=True)
class Auth:
    values: AuthValuesInputs | None = None
    """What the Flyte values need; None with auth.mode none."""
    secrets: FlyteAuthSecrets | None = None
    keycloak: Keycloak | None = None
    ready: list[ITerraformDependable] = field(default_factory=list)
    """What the Flyte release waits for: Keycloak serving its realm and the auth secrets."""


def build(stack: TerraformStack, c: Config, foundation: Foundation, data: Data, edge: Edge) -> Auth:
    if c.auth.mode == "none":
        return Auth()
    keycloak = None
    if c.auth.mode == "keycloak":
        db = data.keycloak_database
        keycloak = Keycloak(
            stack,
            "keycloak",
            hostname=c.flyte_host,
            users=c.auth_users,
            db_host=data.database.private_ip,
            db_name=db.database_name,
            db_user=db.user_name,
            db_password=db.password,
            # The ingress controller's pods: the only senders whose X-Forwarded-* headers Keycloak believes.
            trusted_proxies=[c.network.pods_cidr],
            depends_on=[*edge.addons.ready, *db.resources],
        )
        client_secret = keycloak.console_client_secret
        values = AuthValuesInputs(
            public_url=f"https://{c.flyte_host}",
            oidc_base_url=keycloak_values.internal_realm_url(),
            oidc_issuer_url=keycloak_values.public_realm_url(c.flyte_host),
            oidc_client_id=keycloak_values.CONSOLE_CLIENT_ID,
        )
    else:
        oidc = c.auth.oidc
        secret = DataGoogleSecretManagerSecretVersion(
            stack, "oidc-client-secret", project=c.project_id, secret=oidc.client_secret_secret,
            depends_on=foundation.services.resources,
        )
        client_secret = secret.secret_data
        values = AuthValuesInputs(
            public_url=f"https://{c.flyte_host}", oidc_base_url=oidc.issuer, oidc_issuer_url=None, oidc_client_id=oidc.client_id
        )
    secrets = FlyteAuthSecrets(stack, "flyte-auth", chart=c.chart, namespace=edge.addons.flyte_namespace, oidc_client_secret=client_secret)
    ready = [*(keycloak.ready if keycloak else []), *secrets.resources]
    return Auth(values=values, secrets=secrets, keycloak=keycloak, ready=ready)
