"""Identity: service accounts, custom roles, Workload Identity, and the image registry."""

from __future__ import annotations

from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import TerraformStack

from flyte_gcp.gcp import iam

from flyte_gcp.values import flyte as values
from flyte_gcp.config.model import Config
from flyte_gcp.gcp.iam import Binding, Identity
from flyte_gcp.layers.compute import Compute
from flyte_gcp.layers.data import Data
from flyte_gcp.layers.foundation import Foundation
from flyte_gcp.gcp.registry import Registry


@dataclass(frozen=True)
class IdentityLayer:
    identity: Identity
    registry: Registry
    control_plane: tuple[Binding, ...]


def control_plane_bindings(c: Config) -> tuple[Binding, ...]:
    """The chart's control-plane KSAs, each bound to its component's GSA."""
    if c.chart == "flyte-core":
        return tuple(Binding(ksa, c.flyte.namespace, ksa) for ksa in values.FLYTE_CORE_SERVICE_ACCOUNTS)
    return (Binding(iam.BACKEND, c.flyte.namespace, values.FLYTE_BINARY_SERVICE_ACCOUNT),)


def build(stack: TerraformStack, c: Config, foundation: Foundation, data: Data, compute: Compute) -> IdentityLayer:
    control_plane = control_plane_bindings(c)
    identity = Identity(
        stack,
        "identity",
        name_prefix=c.name_prefix,
        project_id=c.project_id,
        bucket_names=data.bucket_names,
        workload_pool=compute.cluster.workload_pool,
        control_plane=control_plane,
        signer="flyteadmin" if c.chart == "flyte-core" else iam.BACKEND,
        task_namespaces=c.project_namespaces,
        depends_on=foundation.services.resources,
    )
    registry = Registry(
        stack,
        "registry",
        name_prefix=c.name_prefix,
        project_id=c.project_id,
        region=c.region,
        readers={"nodes": compute.cluster.node_service_account_member, "workers": identity.workers_member},
        writers=c.registry.writers,
        depends_on=foundation.services.resources,
    )
    return IdentityLayer(identity=identity, registry=registry, control_plane=control_plane)
