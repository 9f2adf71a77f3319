"""Compute: the GKE cluster and its node pools, and the providers that act on the new cluster."""

from __future__ import annotations

from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import TerraformStack
from flyte_gcp.cdk.toolchain.google.data_google_client_config import DataGoogleClientConfig
from flyte_gcp.cdk.toolchain.helm.provider import HelmProvider, HelmProviderKubernetes
from flyte_gcp.cdk.toolchain.kubernetes.provider import KubernetesProvider
from imports.kubectl import KubectlProvider

from flyte_gcp.config import names, placement
from flyte_gcp.config.model import Config, NodePoolConfig
from flyte_gcp.facts import monitoring
from flyte_gcp.gcp.gke import NODE_OAUTH_SCOPES, Cluster
from flyte_gcp.layers.foundation import Foundation
from flyte_gcp.gcp.node_pools import NodePool


@dataclass(frozen=True)
class Compute:
    cluster: Cluster
    pools: dict[str, NodePool]
    """The extra pools by name (the general pool is `cluster.node_pool`)."""


def build(stack: TerraformStack, c: Config, foundation: Foundation) -> Compute:
    network = foundation.network
    cluster = Cluster(
        stack,
        "cluster",
        name_prefix=c.name_prefix,
        project_id=c.project_id,
        region=c.region,
        zone=c.node_zone,
        regional=c.gke.regional,
        network_name=network.network_name,
        subnet_name=network.subnet_name,
        pods_range_name=network.pods_range_name,
        services_range_name=network.services_range_name,
        master_cidr=c.network.master_cidr,
        node_tag=names.node_network_tag(c.name_prefix),
        master_authorized_cidrs=c.gke.master_authorized_cidrs,
        machine_type=c.gke.machine_type,
        min_nodes=c.gke.min_nodes,
        max_nodes=c.gke.max_nodes,
        depends_on=[*foundation.services.resources, *foundation.checked_first],
        node_pool_depends_on=[network.webhook_firewall] if network.webhook_firewall else [],
        deletion_protection=c.deletion_protection,
        # monitoring.observe false: system metrics only (free), GKE's managed collection off.
        monitoring_components=(
            monitoring.enabled_components(gpus=any(p.accelerator for p in c.gke.node_pools))
            if c.monitoring.observe
            else ["SYSTEM_COMPONENTS"]
        ),
        managed_prometheus=c.monitoring.observe,
    )
    pools = {p.name: _extra_pool(stack, c, cluster, p) for p in c.gke.node_pools}
    _cluster_providers(stack, cluster)
    return Compute(cluster=cluster, pools=pools)


def _extra_pool(stack: TerraformStack, c: Config, cluster: Cluster, p: NodePoolConfig) -> NodePool:
    """One extra pool, on the stack with id `pool-<name>` (the general pool's address stays as it is);
    a GPU pool of a regional cluster without `zones` runs in the region's zones that offer its GPU."""
    accelerator = p.accelerator
    return NodePool(
        stack,
        f"pool-{p.name}",
        name=p.name,
        project_id=c.project_id,
        cluster_id=cluster.cluster_id,
        location=cluster.location,
        machine_type=p.machine_type,
        service_account=cluster.node_service_account_email,
        oauth_scopes=NODE_OAUTH_SCOPES,
        node_tag=cluster.node_tag,
        min_nodes=p.min_nodes,
        max_nodes=p.max_nodes,
        zones=placement.pool_zones(c, p),
        spot=p.spot,
        accelerator_type=accelerator.type if accelerator else None,
        accelerator_count=accelerator.count if accelerator else 1,
        gpu_driver_version=accelerator.driver if accelerator else "LATEST",
        gpu_partition_size=accelerator.partition_size if accelerator else None,
        local_ssd_count=p.local_ssd_count,
        image_streaming=c.gke.image_streaming,
        labels={"application": c.name_prefix},
    )


def _cluster_providers(stack: TerraformStack, cluster: Cluster) -> None:
    """Kubernetes, Helm and kubectl on the new cluster's DNS-based endpoint, with the caller's
    Google access token (whoever runs Terraform: a person, or the deployer account a
    Terraform Cloud or CI run impersonates).

    No `cluster_ca_certificate`: the DNS endpoint presents a publicly trusted certificate, and
    pinning the cluster CA there fails the TLS handshake (see `gcp/gke.py`); the system's
    roots verify it (hashicorp/terraform-provider-kubernetes#2637 configures it the same way).
    """
    client = DataGoogleClientConfig(stack, "client-config")
    credentials = dict(host=f"https://{cluster.dns_endpoint}", token=client.access_token)
    KubernetesProvider(stack, "kubernetes", **credentials)
    HelmProvider(stack, "helm", kubernetes=HelmProviderKubernetes(**credentials))
    KubectlProvider(stack, "kubectl", **credentials)
