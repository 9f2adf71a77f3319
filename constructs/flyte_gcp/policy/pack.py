"""The policy pack: the Aspect that runs every rule of `rules` on every resource of a stack.

Findings become error annotations, so `cdktf synth` (and `app.synth()`) refuses the stack.
Rules see the attributes after escape-hatch overrides, so a user extending the app with
`add_override` is checked too. Node pools and clusters are read with their references
resolved (`${google_service_account.<id>.email}`), so FG3 can compare their account with
the node account the stack created; other resources keep CDKTF's unresolved tokens, which
rules only need to tell from literals (resolving every resource costs time on each synth).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsii
from flyte_gcp.cdk.toolchain import (
    Annotations,
    DefaultTokenResolver,
    IAspect,
    StringConcat,
    TerraformResource,
    TerraformStack,
    Tokenization,
    IConstruct,
)

from flyte_gcp.policy.rules import NODE_TYPES, STACK_RULES, Attributes, Rule, StackRule, rules


def _resolve(value: object, scope: IConstruct) -> object:
    return Tokenization.resolve(value, scope=scope, preparing=False, resolver=DefaultTokenResolver(StringConcat()))


def _single(value: Any) -> Any:
    """Blocks synthesize as a one-element list or as an object; rules read them as objects."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        return _single(value[0])
    if isinstance(value, Mapping):
        return {k: _single(v) for k, v in value.items()}
    return value


def synthesized_attributes(resource: TerraformResource, *, resolve: bool = False) -> tuple[str, Attributes]:
    """The resource's type and attributes as they will be synthesized, overrides included."""
    body = resource.to_terraform()["resource"]
    resource_type, instances = next(iter(body.items()))
    attrs = next(iter(instances.values()))
    if resolve:
        attrs = _resolve(attrs, TerraformStack.of(resource))
    return resource_type, _single(attrs)


@jsii.implements(IAspect)
class PolicyPack:
    """Runs every rule on every resource; a finding becomes an error annotation on the resource.

    Props:
      node_service_account_email: a reference to the nodes' service account email; FG3 refuses
        nodes on any other account. Default: None (FG3 refuses only the default account).
      teardown: the environment set `deletion_protection: false`, so FG9 accepts lifted
        protections. Default: False.
      rules / stack_rules: the rules to run. Default: every rule of `policy.rules`.
    """

    def __init__(
        self,
        *,
        node_service_account_email: str | None = None,
        teardown: bool = False,
        rules: Mapping[str, Rule] | None = None,
        stack_rules: Mapping[str, StackRule] = STACK_RULES,
    ) -> None:
        self._node_account = node_service_account_email
        self._teardown = teardown
        self._given_rules = rules
        self._rules: Mapping[str, Rule] = {}
        self._stack_rules = stack_rules

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, TerraformStack):
            self._visit_stack(node)
        if not isinstance(node, TerraformResource):
            return
        resource_type, attrs = synthesized_attributes(node, resolve=node.terraform_resource_type in NODE_TYPES)
        for rule_id, rule in self._rules.items():
            finding = rule(resource_type, attrs)
            if finding:
                Annotations.of(node).add_error(f"[{rule_id}] {finding}")

    def _visit_stack(self, stack: TerraformStack) -> None:
        """Aspects visit the stack before its resources: the rules are set up here."""
        expected = str(_resolve(self._node_account, stack)) if self._node_account is not None else None
        self._rules = self._given_rules if self._given_rules is not None else rules(node_service_account_email=expected, teardown=self._teardown)
        nodes = [c for c in stack.node.find_all() if isinstance(c, TerraformResource)]
        attributes = [synthesized_attributes(n) for n in nodes]
        for rule_id, rule in self._stack_rules.items():
            for index, finding in rule(attributes):
                Annotations.of(nodes[index]).add_error(f"[{rule_id}] {finding}")
