"""An extra GKE node pool beside the general one: GPUs, spot capacity, image streaming.

Every pool is hardened like the general pool (the nodes' own service account, Workload
Identity metadata, shielded COS nodes, no legacy metadata endpoints) and carries the
cluster's network tag, so the control plane reaches admission webhooks on its nodes.
Pools start empty and autoscale between `min_nodes` and `max_nodes` in total; no
`initial_node_count` is set, because changing it would replace the pool.

Spot pools carry the `cloud.google.com/gke-spot=true:NoSchedule` taint (GKE labels spot
nodes but does not taint them on Standard clusters), so only pods that tolerate it,
Flyte's interruptible tasks, land there. GPU nodes get GKE's own
`nvidia.com/gpu=present:NoSchedule` taint, which is not declared here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flyte_gcp.cdk.toolchain.google.container_node_pool import (
    ContainerNodePool,
    ContainerNodePoolAutoscaling,
    ContainerNodePoolManagement,
    ContainerNodePoolNodeConfig,
    ContainerNodePoolNodeConfigEphemeralStorageLocalSsdConfig,
    ContainerNodePoolNodeConfigGcfsConfig,
    ContainerNodePoolNodeConfigGuestAccelerator,
    ContainerNodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfig,
    ContainerNodePoolNodeConfigShieldedInstanceConfig,
    ContainerNodePoolNodeConfigTaint,
    ContainerNodePoolNodeConfigWorkloadMetadataConfig,
)
from flyte_gcp.cdk.toolchain import Construct

SPOT_LABEL = "cloud.google.com/gke-spot"
SPOT_TAINT = ContainerNodePoolNodeConfigTaint(key=SPOT_LABEL, value="true", effect="NO_SCHEDULE")


class NodePool(Construct):
    """One autoscaled node pool of the cluster.

    Props:
      name: the pool's name (a DNS label, unique in the cluster).
      project_id / cluster_id / location: the cluster's project, id and location.
      machine_type: the nodes' machine type.
      service_account / oauth_scopes: the nodes' identity (the cluster's node service account).
      node_tag: the cluster's network tag (firewall target).
      max_nodes: most nodes in total, across zones.
      min_nodes: fewest nodes in total. Default: 0 (scale from zero).
      zones: node locations. Default: None, the cluster's zones.
      spot: Spot VMs with the spot taint. Default: False.
      accelerator_type: GKE accelerator type. Default: None, no GPUs.
      accelerator_count: GPUs per node. Default: 1.
      gpu_driver_version: the driver GKE installs, LATEST or DEFAULT. Default: LATEST.
      gpu_partition_size: MIG partition size. Default: None, whole GPUs.
      local_ssd_count: local SSDs for ephemeral storage. Default: 0.
      image_streaming: GCFS image streaming. Default: True.
      labels: node labels. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        project_id: str,
        cluster_id: str,
        location: str,
        machine_type: str,
        service_account: str,
        oauth_scopes: Sequence[str],
        node_tag: str,
        max_nodes: int,
        min_nodes: int = 0,
        zones: Sequence[str] | None = None,
        spot: bool = False,
        accelerator_type: str | None = None,
        accelerator_count: int = 1,
        gpu_driver_version: str = "LATEST",
        gpu_partition_size: str | None = None,
        local_ssd_count: int = 0,
        image_streaming: bool = True,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, id)
        accelerators = None
        if accelerator_type:
            accelerators = [
                ContainerNodePoolNodeConfigGuestAccelerator(
                    type=accelerator_type,
                    count=accelerator_count,
                    gpu_partition_size=gpu_partition_size,
                    gpu_driver_installation_config=ContainerNodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfig(
                        gpu_driver_version=gpu_driver_version
                    ),
                )
            ]
        self._pool = ContainerNodePool(
            self,
            "pool",
            project=project_id,
            name=name,
            cluster=cluster_id,
            location=location,
            node_locations=list(zones) if zones else None,
            autoscaling=ContainerNodePoolAutoscaling(
                total_min_node_count=min_nodes,
                total_max_node_count=max_nodes,
                # ANY takes spot capacity wherever a zone has it; BALANCED spreads on-demand nodes.
                location_policy="ANY" if spot else "BALANCED",
            ),
            management=ContainerNodePoolManagement(auto_repair=True, auto_upgrade=True),
            node_config=ContainerNodePoolNodeConfig(
                machine_type=machine_type,
                image_type="COS_CONTAINERD",
                service_account=service_account,
                oauth_scopes=list(oauth_scopes),
                tags=[node_tag],
                workload_metadata_config=ContainerNodePoolNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
                shielded_instance_config=ContainerNodePoolNodeConfigShieldedInstanceConfig(
                    enable_secure_boot=True, enable_integrity_monitoring=True
                ),
                metadata={"disable-legacy-endpoints": "true"},
                labels=dict(labels or {}),
                spot=spot or None,
                taint=[SPOT_TAINT] if spot else None,
                guest_accelerator=accelerators,
                gcfs_config=ContainerNodePoolNodeConfigGcfsConfig(enabled=True) if image_streaming else None,
                ephemeral_storage_local_ssd_config=(
                    ContainerNodePoolNodeConfigEphemeralStorageLocalSsdConfig(local_ssd_count=local_ssd_count)
                    if local_ssd_count
                    else None
                ),
            ),
        )

    @property
    def resource(self) -> ContainerNodePool:
        """The pool: workloads that need its nodes depend on it."""
        return self._pool
