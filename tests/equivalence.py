"""Same meaning under both toolchains: the documented normalisations, and the comparison.

Two synthesized stacks of one variant, one from cdktf and one from cdktn, must have the same
resource addresses and the same values. Exactly these differences are normalised away (README
"Choosing a toolchain" lists them too), each because Terraform reads both forms the same way or
because it is the toolchain's own pin, checked elsewhere:

1. `resource.kubernetes_namespace_v1.*.metadata`: a list of one object (kubernetes 3.x, cdktn)
   is the object (kubernetes 2.x, cdktf). The provider moved the resource to the plugin
   framework, where `metadata` is a list nested block; in Terraform's JSON syntax a nested block
   is written as an object or as an array of objects, one per block (HCL JSON specification,
   "Blocks"), so both declare the one `metadata` block. Only a list of exactly one object, only
   there: any other list would still differ.
2. `terraform.required_providers.*.source`: compared fully qualified. cdktf writes `google`,
   cdktn `hashicorp/google`; Terraform reads a source without a namespace as `hashicorp/<type>`
   on `registry.terraform.io` (hashicorp/terraform `internal/addrs/provider.go`,
   `ParseProviderSourceString`: `if !ret.HasKnownNamespace() { ret.Namespace = "hashicorp" }`).
   So state needs no `terraform state replace-provider`.
3. `terraform.required_providers.*.version`: each toolchain pins its own provider versions
   (google 6.50.0 and 8.7.0, ...). Left out of the comparison; `tests/test_readme.py` checks
   each toolchain's against the README's version table, in that toolchain's own test run.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_HOST = "registry.terraform.io"
DEFAULT_NAMESPACE = "hashicorp"


def qualified_source(source: str) -> str:
    """`google`, `hashicorp/google` and `registry.terraform.io/hashicorp/google` are one provider."""
    parts = source.lower().split("/")
    if len(parts) == 1:
        parts = [DEFAULT_NAMESPACE, *parts]
    if len(parts) == 2:
        parts = [DEFAULT_HOST, *parts]
    return "/".join(parts)


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of a synthesized stack with the three normalisations above applied."""
    out = copy.deepcopy(doc)
    for namespace in out.get("resource", {}).get("kubernetes_namespace_v1", {}).values():
        metadata = namespace.get("metadata")
        if isinstance(metadata, list) and len(metadata) == 1 and isinstance(metadata[0], dict):
            namespace["metadata"] = metadata[0]
    for requirement in out.get("terraform", {}).get("required_providers", {}).values():
        if "source" in requirement:
            requirement["source"] = qualified_source(requirement["source"])
        requirement.pop("version", None)
    return out


def addresses(doc: dict[str, Any]) -> list[str]:
    found = [f"{kind}.{name}" for kind, of_kind in doc.get("resource", {}).items() for name in of_kind]
    found += [f"data.{kind}.{name}" for kind, of_kind in doc.get("data", {}).items() for name in of_kind]
    return sorted(found)


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every path where two (normalised) documents differ, in words."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}.{key}" if path else key
            if key not in actual:
                found.append(f"{where}: only in the first")
            elif key not in expected:
                found.append(f"{where}: only in the second")
            else:
                found += differences(expected[key], actual[key], where)
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")]
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: {_short(expected)} != {_short(actual)}"]
    return []


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:117]}..."


def compare(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """Address changes first (`- a` only in the first, `+ a` only in the second), then value differences."""
    a, b = addresses(first), addresses(second)
    moved = [f"- {x}" for x in sorted(set(a) - set(b))] + [f"+ {x}" for x in sorted(set(b) - set(a))]
    return moved + differences(comparable(first), comparable(second))
