"""Edge: the ingress controller, cert-manager, the issuer and the certificate for the Flyte host."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformStack

from flyte_gcp.config import Config
from flyte_gcp.ingress import ClusterAddons
from flyte_gcp.layers.compute import Compute


@dataclass(frozen=True)
class Edge:
    addons: ClusterAddons


def build(stack: TerraformStack, c: Config, compute: Compute) -> Edge:
    addons = ClusterAddons(
        stack,
        "addons",
        flyte_namespace=c.flyte.namespace,
        hostname=c.flyte_host,
        email=c.email,
        acme_server=c.ingress.acme_server,
        allowed_cidrs=c.ingress.allowed_cidrs,
        depends_on=[compute.cluster.node_pool],
    )
    return Edge(addons=addons)
