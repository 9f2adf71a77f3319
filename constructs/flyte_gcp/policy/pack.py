"""Policy checks applied to every resource of a stack, in the cdk-nag model.

Each rule is one small function over a resource's synthesized attributes that returns
a finding or None; `PolicyPack` is the Aspect that runs every rule of `RULES` on every
resource and turns findings into error annotations, so `cdktf synth` (and
`app.synth()`) refuses the stack. Rules see the attributes after escape-hatch
overrides, so a user extending the app with `add_override` is checked too.

A few rules need two resources at once: whether an unauthenticated Flyte is acceptable
depends on the Flyte release's values AND on the ingress controller's load balancer source
ranges, which live in another release. Those are `STACK_RULES`, run once per stack over
every resource's attributes; their findings land on the offending resource all the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import jsii
import yaml
from cdktf import Annotations, IAspect, TerraformResource, TerraformStack
from constructs import IConstruct

Attributes = Mapping[str, Any]
Rule = Callable[[str, Attributes], "str | None"]
StackRule = Callable[[Sequence[tuple[str, Attributes]]], "list[tuple[int, str]]"]

DEFAULT_COMPUTE_SA_SUFFIX = "-compute@developer.gserviceaccount.com"
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
SECRET_KEYS = ("password", "passwd", "secret_key", "private_key", "client_secret")
KUBERNETES_SECRETS = ("kubernetes_secret", "kubernetes_secret_v1")
# Edge components that no longer get security fixes: community ingress-nginx was retired in March 2026.
RETIRED_CHARTS = ("ingress-nginx",)
RETIRED_REPOSITORIES = ("https://kubernetes.github.io/ingress-nginx",)
FLYTE_CHARTS = ("flyte-core", "flyte-binary")
INGRESS_CONTROLLER_CHARTS = ("nginx-ingress",)


def _is_reference(value: Any) -> bool:
    """A Terraform reference or expression (a CDKTF token before resolution), not a literal."""
    return isinstance(value, str) and "${" in value


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


def nodes_on_default_service_account(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type not in ("google_container_node_pool", "google_container_cluster"):
        return None
    account = (attrs.get("node_config") or {}).get("service_account")
    if not account or account == "default" or str(account).endswith(DEFAULT_COMPUTE_SA_SUFFIX):
        return "GKE nodes on the default Compute Engine service account (set node_config.service_account)"
    return None


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


def unprotected_state(*, teardown: bool) -> Rule:
    """FG9: the database, the buckets and the cluster keep their protection against deletion,
    unless the environment asked to be torn down (`deletion_protection: false`: `teardown`).
    A force-destroyed bucket is refused either way: emptying a bucket is a deliberate step."""

    def rule(resource_type: str, attrs: Attributes) -> str | None:
        if resource_type == "google_storage_bucket" and attrs.get("force_destroy") is True:
            return "bucket with force_destroy (destroy would delete every object; export or empty it deliberately)"
        if teardown:
            return None
        lifted = {
            "google_storage_bucket": (attrs.get("lifecycle") or {}).get("prevent_destroy") is not True,
            "google_sql_database_instance": attrs.get("deletion_protection") is False
            or (attrs.get("settings") or {}).get("deletion_protection_enabled") is not True,
            "google_container_cluster": attrs.get("deletion_protection") is False,
        }.get(resource_type, False)
        if lifted:
            return (
                f"{resource_type} without its deletion protection while the environment keeps "
                "deletion_protection: true (set deletion_protection: false to tear it down)"
            )
        return None

    return rule


def literal_password(resource_type: str, attrs: Attributes) -> str | None:
    if resource_type in KUBERNETES_SECRETS:
        for field in ("data", "string_data", "binary_data"):
            for key, value in (attrs.get(field) or {}).items():
                if not _is_reference(value):
                    return f"literal value in secret {field}.{key} (generate it in Terraform, e.g. random_password)"
    for path, value in _leaves(attrs):
        key = path.rsplit(".", 1)[-1].lower()
        if any(s in key for s in SECRET_KEYS) and isinstance(value, str) and value and not _is_reference(value):
            return f"literal secret in {path} (generate it in Terraform, e.g. random_password)"
    return None


RULES: Mapping[str, Rule] = {
    "FG1-public-bucket": public_bucket,
    "FG2-sql-public-ip": sql_public_ip,
    "FG3-default-node-service-account": nodes_on_default_service_account,
    "FG4-helm-release-unpinned": helm_release_unpinned,
    "FG5-authoritative-project-binding": authoritative_project_binding,
    "FG6-literal-password": literal_password,
    "FG7-retired-edge-component": retired_edge_component,
    "FG9-unprotected-state": unprotected_state(teardown=False),
}
TEARDOWN_RULE = "FG9-unprotected-state"


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


def unauthenticated_flyte(resources: Sequence[tuple[str, Attributes]]) -> list[tuple[int, str]]:
    """A Flyte release without authentication, unless every ingress controller's load balancer is source-restricted."""
    releases = [(i, attrs) for i, (t, attrs) in enumerate(resources) if t == "helm_release"]
    controllers = [release_values(a) for _, a in releases if a.get("chart") in INGRESS_CONTROLLER_CHARTS]
    ranges = [_get(v, "controller.service.loadBalancerSourceRanges") or [] for v in controllers]
    restricted = bool(controllers) and all(r and "0.0.0.0/0" not in r for r in ranges)
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


def _single(value: Any) -> Any:
    """Blocks synthesize as a one-element list or as an object; rules read them as objects."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        return _single(value[0])
    if isinstance(value, Mapping):
        return {k: _single(v) for k, v in value.items()}
    return value


def synthesized_attributes(resource: TerraformResource) -> tuple[str, Attributes]:
    """The resource's type and attributes as they will be synthesized, overrides included."""
    body = resource.to_terraform()["resource"]
    resource_type, instances = next(iter(body.items()))
    return resource_type, _single(next(iter(instances.values())))


@jsii.implements(IAspect)
class PolicyPack:
    """Runs every rule on every resource; a finding becomes an error annotation on the resource.

    `teardown`: the environment set `deletion_protection: false`, so FG9 accepts lifted protections.
    """

    def __init__(
        self, rules: Mapping[str, Rule] = RULES, stack_rules: Mapping[str, StackRule] = STACK_RULES, *, teardown: bool = False
    ) -> None:
        self._rules = dict(rules)
        if teardown and TEARDOWN_RULE in rules:
            self._rules[TEARDOWN_RULE] = unprotected_state(teardown=True)
        self._stack_rules = stack_rules

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, TerraformStack):
            self._visit_stack(node)
        if not isinstance(node, TerraformResource):
            return
        resource_type, attrs = synthesized_attributes(node)
        for rule_id, rule in self._rules.items():
            finding = rule(resource_type, attrs)
            if finding:
                Annotations.of(node).add_error(f"[{rule_id}] {finding}")

    def _visit_stack(self, stack: TerraformStack) -> None:
        nodes = [c for c in stack.node.find_all() if isinstance(c, TerraformResource)]
        attributes = [synthesized_attributes(n) for n in nodes]
        for rule_id, rule in self._stack_rules.items():
            for index, finding in rule(attributes):
                Annotations.of(nodes[index]).add_error(f"[{rule_id}] {finding}")
