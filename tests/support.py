"""Helpers shared by the tests: configs from the bundled example, in-process synthesis."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from flyte_gcp.config import checks
from flyte_gcp.config.model import Config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "example.yaml"
CHART_DATA = Path(__file__).resolve().parent / "data"


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text())


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def make_config(**overrides: Any) -> Config:
    """The example with `overrides`, validated as the loader does (the model, then the cross-section rules)."""
    config = Config.model_validate(merge(example_data(), overrides))
    found = checks.problems(config)
    if found:
        raise ValueError("\n".join(found))
    return config


# Extra node pools for the GPU / spot variants (regional: pools may name zones of the region).
T4_POOL = {"name": "gpu-t4", "machine_type": "n1-standard-8", "accelerator": {"type": "nvidia-tesla-t4", "count": 1}, "max_nodes": 2, "zones": ["us-central1-a", "us-central1-b"]}
SPOT_POOL = {"name": "spot", "machine_type": "n2-standard-8", "spot": True, "max_nodes": 4}
SPOT_T4_POOL = {"name": "spot-t4", "machine_type": "n1-standard-8", "accelerator": {"type": "nvidia-tesla-t4"}, "spot": True, "max_nodes": 4, "zones": ["us-central1-c"]}
SPOT_L4_POOL = {"name": "spot-l4", "machine_type": "g2-standard-8", "accelerator": {"type": "nvidia-l4"}, "spot": True, "max_nodes": 3, "zones": ["us-central1-a"]}
MIG_POOL = {
    "name": "a100-mig",
    "machine_type": "a2-highgpu-1g",
    "accelerator": {"type": "nvidia-tesla-a100", "count": 1, "partition_size": "1g.5gb", "driver": "DEFAULT"},
    "min_nodes": 0,
    "max_nodes": 1,
    "local_ssd_count": 1,
}
L4_POOL = {"name": "l4", "machine_type": "g2-standard-8", "accelerator": {"type": "nvidia-l4"}, "max_nodes": 2}
OIDC_AUTH = {
    "mode": "oidc",
    "oidc": {
        "issuer": "https://login.example.com/oauth2/default",
        "client_id": "0oa1example",
        "client_secret_secret": "flyte-oidc-client-secret",
    },
}

VARIANTS: dict[str, dict[str, Any]] = {
    "example": {},
    "core-raw-regional-gcs": {
        "separate_raw_data_bucket": True,
        "gke": {"regional": True},
        "backend": {"type": "gcs", "bucket": "my-tf-state", "prefix": "flyte"},
    },
    "binary-zonal-cloud": {
        "chart": "flyte-binary",
        "backend": {"type": "cloud", "organization": "acme", "workspace": "flyte-prod"},
        "registry": {"writers": ["group:ml-ci@example.com"]},
    },
    "binary-raw-regional": {"chart": "flyte-binary", "separate_raw_data_bucket": True, "gke": {"regional": True}},
    "core-100-projects": {"flyte_projects": [f"project{i:03d}" for i in range(100)]},
    "core-namespace-pg15": {
        "flyte": {"namespace": "orchestration"},
        "database": {"version": 15},
        "auth": {"users": ["alice@example.com", "bob@example.org"]},
        "monitoring": {"notification_emails": ["platform-team@example.com", "oncall@example.com"]},
    },
    "core-gpu-spot": {"gke": {"regional": True, "node_pools": [T4_POOL, SPOT_POOL, SPOT_T4_POOL]}},
    "binary-gpu-spot": {"chart": "flyte-binary", "gke": {"regional": True, "node_pools": [T4_POOL, SPOT_POOL, SPOT_L4_POOL]}},
    "core-mig-zonal": {
        "gke": {"image_streaming": False, "node_pools": [MIG_POOL, L4_POOL]},
        "flyte": {
            "task_resource_limits": {"cpu": "8", "memory": "64Gi", "gpu": 1, "ephemeral_storage": "300Gi"},
            "domain_quotas": {"production": {"cpu": "64", "memory": "256Gi"}},
        },
    },
    # The edge: a Cloud DNS zone with the whole internet allowed (HTTP-01), and restricted
    # source ranges (DNS-01) with the zone in another project.
    "core-public-dns": {"dns": {"managed_zone": "example-com"}},
    "binary-restricted-dns": {
        "chart": "flyte-binary",
        "ingress": {"allowed_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]},
        "dns": {"managed_zone": "example-com", "project": "my-dns-project"},
    },
    "binary-oidc": {"chart": "flyte-binary", "auth": OIDC_AUTH},
    # Day 2: Cloud SQL high availability, and an environment being torn down (protections lifted).
    "core-ha-teardown": {"database": {"availability": "regional"}, "deletion_protection": False},
    "core-auth-none-restricted": {
        "auth": {"mode": "none"},
        "monitoring": {"observe": False},
        "ingress": {"allowed_cidrs": ["203.0.113.0/24", "192.0.2.0/24"]},
        "dns": {"managed_zone": "example-com"},
    },
}


# Bootstrap stacks (`main.py --bootstrap`): local state only; a gcs backend with every conditional
# role (a Cloud DNS zone in another project with restricted ranges, OIDC login); Terraform Cloud
# with GitHub Actions as a second issuer, people allowed to impersonate, a zone in the same project.
BOOTSTRAP_VARIANTS: dict[str, dict[str, Any]] = {
    "bootstrap-local": {},
    "bootstrap-gcs": {
        "backend": {"type": "gcs", "bucket": "acme-flyte-tf-state"},
        "ingress": {"allowed_cidrs": ["203.0.113.0/24"]},
        "dns": {"managed_zone": "example-com", "project": "my-dns-project"},
        "auth": OIDC_AUTH,
    },
    "bootstrap-cloud": {
        "backend": {"type": "cloud", "organization": "acme", "workspace": "flyte-prod"},
        "bootstrap": {"github_repository": "acme/flyte-infra", "impersonators": ["group:platform@example.com"]},
        "ingress": {"allowed_cidrs": ["203.0.113.0/24"]},
        "dns": {"managed_zone": "example-com"},
    },
}


def build_bootstrap_stack(config: Config, stack_id: str = "test-bootstrap"):
    from flyte_gcp.cdk.toolchain import Testing

    from flyte_gcp.bootstrap_stack import BootstrapStack

    return BootstrapStack(Testing.app(), stack_id, config=config)


def synth_bootstrap_variant(name: str) -> dict[str, Any]:
    return synth(build_bootstrap_stack(make_config(**BOOTSTRAP_VARIANTS[name]), name))


def build_stack(config: Config, stack_id: str = "test"):
    """A stack on its own Testing app (Testing.synth_scope cannot be used from Python)."""
    from flyte_gcp.cdk.toolchain import Testing

    from flyte_gcp.stack import FlyteGcpStack

    app = Testing.app()
    return FlyteGcpStack(app, stack_id, config=config)


def resource_of_type(stack, resource_type: str):
    """The stack's first resource of a Terraform type, for escape-hatch changes in tests."""
    from flyte_gcp.cdk.toolchain import TerraformResource

    for construct in stack.node.find_all():
        if isinstance(construct, TerraformResource) and construct.terraform_resource_type == resource_type:
            return construct
    raise AssertionError(resource_type)


def synth(stack) -> dict[str, Any]:
    from flyte_gcp.cdk.toolchain import Testing

    return json.loads(Testing.synth(stack))


def synth_variant(name: str) -> dict[str, Any]:
    return synth(build_stack(make_config(**VARIANTS[name]), name))


def resources(doc: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return doc.get("resource", {}).get(resource_type, {})


def only(doc: dict[str, Any], resource_type: str) -> dict[str, Any]:
    found = resources(doc, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {list(found)}"
    return next(iter(found.values()))


def block(value: Any) -> Any:
    """A nested block synthesizes as an object or a one-element list; read it as an object."""
    if isinstance(value, list):
        assert len(value) == 1, value
        return value[0]
    return value


def helm_values(doc: dict[str, Any], release_name: str) -> dict[str, Any]:
    for release in resources(doc, "helm_release").values():
        if release["name"] == release_name:
            (values_yaml,) = release["values"]
            return yaml.safe_load(values_yaml)
    raise AssertionError(f"no helm_release named {release_name}")
