"""Keycloak in the cluster: the identity provider of `auth.mode: keycloak`, created by the apply.

Why codecentric's `keycloakx` chart (pinned, image tag pinned in values) and not the official
Keycloak Operator: the operator is a second lifecycle to install and upgrade (CRDs, an operator
Deployment that watches only its own namespace, manifests per Keycloak version), its
`KeycloakRealmImport` runs a Job whose result Terraform cannot see, and every other component
here is one pinned `helm_release` that Terraform waits for. The chart runs the upstream image
with `start --import-realm`: the realm is imported by Keycloak itself at first start, from a
ConfigMap with `${ENV}` placeholders, so no second Terraform provider calls Keycloak's admin API
over the network and no secret is written into the realm file.

Every secret is a `random_password` delivered in Kubernetes secrets: the bootstrap admin's
password, the console client's secret, one temporary password per user, the database password.
Only Flyte's realm and the static resources are routed publicly (a minion Ingress on the Flyte
host): not the master realm, not the admin console. Admins use `kcadm.sh` inside the pod (see
README "Authentication").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct, namespace_metadata, namespace_name
from flyte_gcp.cdk.toolchain.helm.release import Release
from flyte_gcp.cdk.toolchain.kubernetes.config_map_v1 import ConfigMapV1, ConfigMapV1Metadata
from flyte_gcp.cdk.toolchain.kubernetes.ingress_v1 import (
    IngressV1,
    IngressV1Metadata,
    IngressV1Spec,
    IngressV1SpecRule,
    IngressV1SpecRuleHttp,
    IngressV1SpecRuleHttpPath,
    IngressV1SpecRuleHttpPathBackend,
    IngressV1SpecRuleHttpPathBackendService,
    IngressV1SpecRuleHttpPathBackendServicePort,
)
from flyte_gcp.cdk.toolchain.kubernetes.namespace_v1 import NamespaceV1
from flyte_gcp.cdk.toolchain.kubernetes.secret_v1 import SecretV1, SecretV1Metadata
from flyte_gcp.cdk.toolchain.random.password import Password as RandomPassword

from flyte_gcp.values import keycloak as kv
from flyte_gcp.values.flyte import to_yaml
from flyte_gcp.values.edge import INGRESS_CLASS, MINION
from flyte_gcp.facts.versions import KEYCLOAK_CHART_VERSION, KEYCLOAK_REPOSITORY



def terraform_literal(text: str) -> str:
    """`${` escaped as `$${`, so Terraform writes Keycloak's placeholders through untouched."""
    return text.replace("${", "$${")


def password_ids(emails: Sequence[str]) -> dict[str, str]:
    """The construct id of each user's temporary password, distinct for every e-mail.

    The id has always been `user-password-<e-mail, each run of other characters as "-">`, and
    it is part of the password's Terraform address, so it stays that for every e-mail whose
    form is not taken already. `a.b@x.com` and `a-b@x.com` share that form: the later one in
    the list gets the first 8 hex digits of its e-mail's SHA-256 appended (appending a user never
    moves the address of an existing one).
    """
    ids: dict[str, str] = {}
    for email in emails:
        base = "user-password-" + re.sub(r"[^a-z0-9]+", "-", email.lower())
        digest = hashlib.sha256(email.encode()).hexdigest()
        candidate, length = base, 8
        while candidate in ids.values():
            candidate, length = f"{base}-{digest[:length]}", length + 1
        ids[email] = candidate
    return ids


class Keycloak(Construct):
    """Namespace, generated secrets, realm ConfigMap, the keycloakx release and its public Ingress.

    Props:
      hostname: the Flyte host; Keycloak answers at `https://<hostname>/auth`.
      users: e-mails of the initial accounts (temporary passwords).
      db_host / db_name / db_user: Keycloak's database on the Cloud SQL instance (references).
      db_password: a reference to its generated password.
      trusted_proxies: CIDRs the ingress controller's requests come from (the pods range); Keycloak
        honours X-Forwarded-* headers from these only.
      depends_on: what the namespace waits for (the node pool) and the release waits for (database, user).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        hostname: str,
        users: Sequence[str],
        db_host: str,
        db_name: str,
        db_user: str,
        db_password: str,
        trusted_proxies: Sequence[str],
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        namespace = NamespaceV1(self, "namespace", metadata=namespace_metadata(name=kv.NAMESPACE), depends_on=list(depends_on))
        ns = namespace_name(namespace)
        self._admin_password = RandomPassword(self, "admin-password", length=32, special=False)
        self._console_secret = RandomPassword(self, "console-client-secret", length=48, special=False)
        # Alphanumeric: Keycloak substitutes the values into the realm file before parsing it.
        self._user_passwords = {email: RandomPassword(self, id_, length=20, special=False) for email, id_ in password_ids(users).items()}
        db_secret = SecretV1(
            self, "db-secret", metadata=SecretV1Metadata(name=kv.DB_SECRET, namespace=ns),
            data={kv.DB_SECRET_KEY: db_password}, type="Opaque",
        )
        env = {kv.ADMIN_PASSWORD_ENV: self._admin_password.result, kv.CONSOLE_SECRET_ENV: self._console_secret.result}
        env |= {kv.user_password_env(i): p.result for i, p in enumerate(self._user_passwords.values())}
        env_secret = SecretV1(self, "env-secret", metadata=SecretV1Metadata(name=kv.ENV_SECRET, namespace=ns), data=env, type="Opaque")
        realm = ConfigMapV1(
            self, "realm", metadata=ConfigMapV1Metadata(name=kv.REALM_CONFIGMAP, namespace=ns),
            data={kv.REALM_FILE: terraform_literal(kv.realm_json(hostname=hostname, users=list(users)))},
        )
        values = kv.chart_values(
            kv.KeycloakValuesInputs(hostname=hostname, trusted_proxies=tuple(trusted_proxies), db_host=db_host, db_name=db_name, db_user=db_user)
        )
        self._release = Release(
            self,
            "release",
            name=kv.RELEASE,
            repository=KEYCLOAK_REPOSITORY,
            chart="keycloakx",
            version=KEYCLOAK_CHART_VERSION,
            namespace=ns,
            values=[to_yaml(values)],
            timeout=900,
            depends_on=[db_secret, env_secret, realm, *depends_on],
        )
        self._ingress = IngressV1(
            self,
            "ingress",
            metadata=IngressV1Metadata(name=kv.RELEASE, namespace=ns, annotations=dict(MINION)),
            spec=IngressV1Spec(
                ingress_class_name=INGRESS_CLASS,
                rule=[IngressV1SpecRule(host=hostname, http=IngressV1SpecRuleHttp(path=[_path(p) for p in kv.PUBLIC_PATHS]))],
            ),
            depends_on=[self._release],
        )

    @property
    def console_client_secret(self) -> str:
        """A reference to the console client's secret (flyteadmin's OpenID client secret)."""
        return self._console_secret.result

    @property
    def admin_password(self) -> str:
        return self._admin_password.result

    @property
    def user_passwords(self) -> dict[str, str]:
        """Temporary password (a reference) per user e-mail."""
        return {email: p.result for email, p in self._user_passwords.items()}

    @property
    def ready(self) -> list[ITerraformDependable]:
        """What flyteadmin needs before it starts: Keycloak serving the realm."""
        return [self._release, self._ingress]


def _path(path: str) -> IngressV1SpecRuleHttpPath:
    service = IngressV1SpecRuleHttpPathBackendService(name=kv.SERVICE, port=IngressV1SpecRuleHttpPathBackendServicePort(name="http"))
    return IngressV1SpecRuleHttpPath(path=path, path_type="Prefix", backend=IngressV1SpecRuleHttpPathBackend(service=service))
