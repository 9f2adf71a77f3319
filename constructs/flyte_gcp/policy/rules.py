"""The policy rules, in the cdk-nag model: each is one small function over a resource's
synthesized attributes that returns a finding or None (`pack.PolicyPack` runs them).

A few rules need two resources at once: whether an unauthenticated Flyte is acceptable
depends on the Flyte release's values AND on the ingress controller's load balancer source
ranges, which live in another release. Those are `STACK_RULES`, run once per stack over
every resource's attributes; their findings land on the offending resource all the same.

Strings that are YAML or JSON documents (Helm `values`, ConfigMap data, manifests) are read
as documents: a literal password inside Flyte's database values is as much a literal as one in
a resource argument.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import yaml

from flyte_gcp.facts import addresses
from flyte_gcp.policy.protection import unprotected_state

Attributes = Mapping[str, Any]
Rule = Callable[[str, Attributes], "str | None"]
StackRule = Callable[[Sequence[tuple[str, Attributes]]], "list[tuple[int, str]]"]

DEFAULT_COMPUTE_SA_SUFFIX = "-compute@developer.gserviceaccount.com"
NODE_TYPES = ("google_container_node_pool", "google_container_cluster")
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
# Resource arguments: a key containing one of these holds a secret.
SECRET_KEYS = ("password", "passwd", "secret_key", "private_key", "client_secret")
# Inside documents (chart values, realm files), where keys are names chosen by others: the whole key.
DOCUMENT_SECRET_KEYS = frozenset(
    {"password", "passwd", "secret", "clientsecret", "client_secret", "secretkey", "secret_key", "privatekey", "private_key", "token"}
)
# `{name: ..., value: ...}` pairs (container env, Helm `set` blocks) whose name says secret.
SECRET_NAME = re.compile(r"password|passwd|secret|token|private.?key", re.IGNORECASE)
KUBERNETES_SECRETS = ("kubernetes_secret", "kubernetes_secret_v1")
# Edge components that no longer get security fixes: community ingress-nginx was retired in March 2026.
RETIRED_CHARTS = ("ingress-nginx",)
RETIRED_REPOSITORIES = ("https://kubernetes.github.io/ingress-nginx",)
FLYTE_CHARTS = ("flyte-core", "flyte-binary")
INGRESS_CONTROLLER_CHARTS = ("nginx-ingress",)


def _is_reference(value: Any) -> bool:
    """A Terraform reference or expression (a CDKTF token before resolution), not a literal."""
    return isinstance(value, str) and "${" in value


def _literal(value: Any) -> bool:
    return isinstance(value, str) and value != "" and not _is_reference(value)


def public_bucket(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type == "google_storage_bucket" and attrs.get("public_access_prevention") != "enforced":
        return "bucket without public access prevention enforced (set public_access_prevention = \"enforced\")"
    if resource_type.startswith("google_storage_bucket_iam"):
        members = [attrs.get("member"), *(attrs.get("members") or [])]
        if any(m in PUBLIC_MEMBERS for m in members):
            return "bucket granted to allUsers / allAuthenticatedUsers"
    return None


def sql_public_ip(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type != "google_sql_database_instance":
        return None
    ip = (attrs.get("settings") or {}).get("ip_configuration") or {}
    if ip.get("ipv4_enabled") is not False:
        return "Cloud SQL instance with a public IPv4 address (set settings.ip_configuration.ipv4_enabled = false)"
    return None


def node_service_account(expected: str | None = None) -> Rule:
    """FG3. expected: the node account's email as synthesized (`${google_service_account.<id>.email}`);
    None: only a missing or default account is refused."""

    def rule(resource_type: str, attrs: Attributes) -> str | None:
        if resource_type not in NODE_TYPES:
            return None
        account = (attrs.get("node_config") or {}).get("service_account")
        if not account or account == "default" or str(account).endswith(DEFAULT_COMPUTE_SA_SUFFIX):
            return "GKE nodes on the default Compute Engine service account (set node_config.service_account)"
        if expected is not None and account != expected:
            return (
                f"GKE nodes on service account {account}, not the node account {expected} (the nodes' only identity: "
                "logging, monitoring and registry reads; any other account gives every pod on the node its roles)"
            )
        return None

    return rule


def helm_release_unpinned(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type == "helm_release" and not attrs.get("version"):
        return f"Helm release {attrs.get('name')!r} without a chart version (an unpinned install takes whatever is newest)"
    return None


def retired_edge_component(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type != "helm_release":
        return None
    chart, repository = str(attrs.get("chart", "")), str(attrs.get("repository", "")).rstrip("/")
    if chart.rsplit("/", 1)[-1] in RETIRED_CHARTS or repository in RETIRED_REPOSITORIES:
        return f"Helm release {attrs.get('name')!r} installs the retired community ingress-nginx (no security fixes since March 2026; use the F5 nginx-ingress chart)"
    return None


def authoritative_project_binding(resource_type: str, attrs: Attributes) -> str | None:
    role = str(attrs.get("role", ""))
    if resource_type == "google_project_iam_binding" and role.startswith("roles/"):
        return f"authoritative project binding of predefined role {role} (evicts every other holder; use google_project_iam_member)"
    if resource_type == "google_project_iam_policy":
        return "authoritative project IAM policy (replaces the whole project's policy)"
    return None


def literal_password(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type in KUBERNETES_SECRETS:
        for field in ("data", "string_data", "binary_data"):
            for key, value in (attrs.get(field) or {}).items():
                if not _is_reference(value):
                    return f"literal value in secret {field}.{key} (generate it in Terraform, e.g. random_password)"
    for path, value in _leaves(attrs):
        key = path.rsplit(".", 1)[-1].lower()
        if any(s in key for s in SECRET_KEYS) and _literal(value):
            return f"literal secret in {path} (generate it in Terraform, e.g. random_password)"
        inner = _document(value)
        if inner is not None:
            found = next(_document_secrets(inner, f"{path}<document>"), None)
            if found:
                return f"{found} (deliver it in a Kubernetes secret generated by Terraform, e.g. random_password)"
    for entry in attrs.get("set") or []:  # helm_release `set` blocks: {name, value}
        if isinstance(entry, Mapping) and SECRET_NAME.search(str(entry.get("name", ""))) and _literal(entry.get("value")):
            return f"literal secret in set {entry['name']} (use a Kubernetes secret the chart mounts)"
    return None


def _document(value: Any) -> Any:
    """A string holding a YAML or JSON mapping or list, parsed; None for anything else."""
    if not isinstance(value, str) or ("\n" not in value and not value.lstrip().startswith(("{", "["))):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            return None
    return parsed if isinstance(parsed, (dict, list)) else None


def _document_secrets(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        if str(value.get("type", "")).lower() == "password" and _literal(value.get("value")):
            yield f"literal password credential in {path}"
        name = str(value.get("name", ""))
        if SECRET_NAME.search(name) and _literal(value.get("value")):
            yield f"literal value of {name} in {path}"
        for key, inner in value.items():
            here = f"{path}.{key}"
            if str(key).lower() in DOCUMENT_SECRET_KEYS and _literal(inner):
                yield f"literal secret in {here}"
            yield from _document_secrets(inner, here)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _document_secrets(inner, f"{path}[{i}]")
    elif (inner := _document(value)) is not None:  # a document inside a document (keycloakx `extraEnv`)
        yield from _document_secrets(inner, f"{path}<document>")


def rules(*, node_service_account_email: str | None = None, teardown: bool = False) -> dict[str, Rule]:
    """Every per-resource rule; FG3 compares node accounts with `node_service_account_email` when given;
    FG9 accepts lifted deletion protections only with `teardown` (the environment's `deletion_protection: false`)."""
    return {
        "FG1-public-bucket": public_bucket,
        "FG2-sql-public-ip": sql_public_ip,
        "FG3-node-service-account": node_service_account(node_service_account_email),
        "FG4-helm-release-unpinned": helm_release_unpinned,
        "FG5-authoritative-project-binding": authoritative_project_binding,
        "FG6-literal-password": literal_password,
        "FG7-retired-edge-component": retired_edge_component,
        "FG9-unprotected-state": unprotected_state(teardown=teardown),
    }


RULES: Mapping[str, Rule] = rules()


def release_values(attrs: Attributes) -> dict[str, Any]:
    """A helm_release's values documents, merged in order (later documents win)."""
    merged: dict[str, Any] = {}
    for document in attrs.get("values") or []:
        merged = _merge(merged, yaml.safe_load(document) or {})
    return merged


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in overlay.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _get(values: Any, path: str) -> Any:
    for key in path.split("."):
        values = values.get(key) if isinstance(values, Mapping) else None
    return values


def flyte_authenticates(chart: str, values: Mapping[str, Any]) -> bool:
    if chart == "flyte-core":
        return _get(values, "configmap.adminServer.server.security.useAuth") is True
    return _get(values, "configuration.auth.enabled") is True


def _restricted(ranges: Any) -> bool:
    """Source ranges that are set, literal and not public by the config's rule (`facts.addresses`)."""
    if not ranges or not isinstance(ranges, list) or any(not _literal(r) for r in ranges):
        return False
    try:
        return not addresses.is_public(ranges)
    except ValueError:
        return False


def unauthenticated_flyte(resources: Sequence[tuple[str, Attributes]]) -> list[tuple[int, str]]:
    """A Flyte release without authentication, unless every ingress controller's load balancer is source-restricted."""
    releases = [(i, attrs) for i, (t, attrs) in enumerate(resources) if t == "helm_release"]
    controllers = [release_values(a) for _, a in releases if a.get("chart") in INGRESS_CONTROLLER_CHARTS]
    ranges = [_get(v, "controller.service.loadBalancerSourceRanges") for v in controllers]
    restricted = bool(controllers) and all(_restricted(r) for r in ranges)
    return [
        (i, f"Flyte release {attrs.get('name')!r} without authentication behind a public load balancer "
            "(anyone can run containers as the workers' service account: set auth.mode keycloak or oidc, "
            "or restrict ingress.allowed_cidrs)")
        for i, attrs in releases
        if attrs.get("chart") in FLYTE_CHARTS and not flyte_authenticates(attrs["chart"], release_values(attrs)) and not restricted
    ]


STACK_RULES: Mapping[str, StackRule] = {"FG8-unauthenticated-flyte": unauthenticated_flyte}


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value
