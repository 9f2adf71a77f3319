"""The GKE cluster, its node pool and the nodes' own service account; mirrors gke.tf.

Private nodes (egress through Cloud NAT), Workload Identity, the STABLE release
channel with no pinned version, shielded nodes, and a dedicated node service account
holding only `roles/container.defaultNodeServiceAccount` (logs and metrics); its
Artifact Registry read access is granted on the repository by the registry construct.

The control plane is reached by identity, not by address: GKE's DNS-based endpoint
(`control_plane_endpoints_config.dns_endpoint_config.allow_external_traffic`) answers
from anywhere but admits only callers whose Google token carries
`container.clusters.connect` on the cluster (IAM), and it presents a certificate from a
public Google CA, not the cluster CA (GKE "About network isolation"; kubeswitch#163,
flux2#5896: clients that pin the cluster CA fail there with "x509: unknown authority").
The IP endpoint stays, closed to everyone but `master_authorized_cidrs` (default: none).
"""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, TerraformResourceLifecycle, Construct
from flyte_gcp.cdk.toolchain.google.container_cluster import (
    ContainerCluster,
    ContainerClusterControlPlaneEndpointsConfig,
    ContainerClusterControlPlaneEndpointsConfigDnsEndpointConfig,
    ContainerClusterIpAllocationPolicy,
    ContainerClusterMasterAuth,
    ContainerClusterMasterAuthClientCertificateConfig,
    ContainerClusterMasterAuthorizedNetworksConfig,
    ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks,
    ContainerClusterMonitoringConfig,
    ContainerClusterMonitoringConfigManagedPrometheus,
    ContainerClusterNodeConfig,
    ContainerClusterNodeConfigShieldedInstanceConfig,
    ContainerClusterNodeConfigWorkloadMetadataConfig,
    ContainerClusterPrivateClusterConfig,
    ContainerClusterReleaseChannel,
    ContainerClusterWorkloadIdentityConfig,
)
from flyte_gcp.cdk.toolchain.google.container_node_pool import (
    ContainerNodePool,
    ContainerNodePoolAutoscaling,
    ContainerNodePoolManagement,
    ContainerNodePoolNodeConfig,
    ContainerNodePoolNodeConfigShieldedInstanceConfig,
    ContainerNodePoolNodeConfigWorkloadMetadataConfig,
)
from flyte_gcp.cdk.toolchain.google.project_iam_member import ProjectIamMember
from flyte_gcp.cdk.toolchain.google.service_account import ServiceAccount

from flyte_gcp.config import names

NODE_POOL_NAME = names.GENERAL_NODE_POOL
# Access is decided by IAM on the node service account, not by legacy scopes.
NODE_OAUTH_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
# Google's minimal role for node service accounts: write logs and metrics, read monitoring metadata.
NODE_ROLES = ("roles/container.defaultNodeServiceAccount",)


class Cluster(Construct):
    """A VPC-native cluster with one autoscaled node pool.

    Props:
      name_prefix: the cluster's name.
      project_id / region / zone: a zonal cluster lives in `zone`, a regional one in `region`.
      regional: regional control plane and nodes in each of the region's zones. Default: False.
      network_name / subnet_name / pods_range_name / services_range_name: from the Network.
      master_cidr: the control plane's private range (/28).
      master_authorized_cidrs: who may reach the IP endpoint (the DNS endpoint is for
        everyone else, by IAM). Default: nobody.
      node_tag: network tag on every node (firewall target).
      machine_type: node machine type. Default: `e2-standard-4`.
      min_nodes / max_nodes: autoscaling bounds for the whole pool. Default: 1 and 3.
      depends_on: enabled APIs.
      node_pool_depends_on: what must exist before nodes run workloads (the webhook
        firewall rule: everything installed on the nodes then waits for it). Default: none.
      deletion_protection: the provider refuses to delete the cluster. Default: True
        (False only to tear the environment down).
      monitoring_components: GKE components whose metrics Cloud Monitoring collects, in the
        API's order (`facts.monitoring`). Default: None, no `monitoring_config` (GKE's defaults).
      managed_prometheus: Managed Service for Prometheus collection (PodMonitoring). Default:
        False; only written with `monitoring_components`.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefix: str,
        project_id: str,
        region: str,
        zone: str,
        network_name: str,
        subnet_name: str,
        pods_range_name: str,
        services_range_name: str,
        master_cidr: str,
        node_tag: str,
        regional: bool = False,
        master_authorized_cidrs: Sequence[str] = (),
        machine_type: str = "e2-standard-4",
        min_nodes: int = 1,
        max_nodes: int = 3,
        depends_on: Sequence[ITerraformDependable] = (),
        node_pool_depends_on: Sequence[ITerraformDependable] = (),
        deletion_protection: bool = True,
        monitoring_components: Sequence[str] | None = None,
        managed_prometheus: bool = False,
    ) -> None:
        super().__init__(scope, id)
        location = region if regional else zone
        self._node_account = ServiceAccount(
            self,
            "node-sa",
            project=project_id,
            account_id=names.service_account_id(name_prefix, "gke-nodes"),
            display_name=f"GKE nodes of {name_prefix}",
            description="Runs the GKE nodes: writes logs and metrics, pulls images from the Flyte Artifact Registry repository.",
            depends_on=list(depends_on),
        )
        for role in NODE_ROLES:
            ProjectIamMember(
                self,
                f"node-sa-{role.split('/')[-1]}",
                project=project_id,
                role=role,
                member=self._node_account.member,
                depends_on=list(depends_on),
            )
        self._cluster = ContainerCluster(
            self,
            "cluster",
            project=project_id,
            name=name_prefix,
            location=location,
            network=network_name,
            subnetwork=subnet_name,
            remove_default_node_pool=True,
            initial_node_count=1,
            # The default pool exists briefly at creation: give it the same identity and hardening.
            node_config=ContainerClusterNodeConfig(
                service_account=self._node_account.email,
                oauth_scopes=NODE_OAUTH_SCOPES,
                workload_metadata_config=ContainerClusterNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
                shielded_instance_config=ContainerClusterNodeConfigShieldedInstanceConfig(
                    enable_secure_boot=True, enable_integrity_monitoring=True
                ),
            ),
            master_auth=ContainerClusterMasterAuth(
                client_certificate_config=ContainerClusterMasterAuthClientCertificateConfig(issue_client_certificate=False)
            ),
            deletion_protection=deletion_protection,
            release_channel=ContainerClusterReleaseChannel(channel="STABLE"),
            workload_identity_config=ContainerClusterWorkloadIdentityConfig(workload_pool=f"{project_id}.svc.id.goog"),
            ip_allocation_policy=ContainerClusterIpAllocationPolicy(
                cluster_secondary_range_name=pods_range_name,
                services_secondary_range_name=services_range_name,
            ),
            private_cluster_config=ContainerClusterPrivateClusterConfig(
                enable_private_nodes=True,
                enable_private_endpoint=False,
                master_ipv4_cidr_block=master_cidr,
            ),
            # The block present turns authorized networks on (provider 6.50.0,
            # expandMasterAuthorizedNetworksConfig: Enabled true); with no CIDR block the IP
            # endpoint admits only the nodes and Google's management. Compute Engine's public
            # addresses (any customer's VM) would be admitted too unless turned off here.
            master_authorized_networks_config=ContainerClusterMasterAuthorizedNetworksConfig(
                cidr_blocks=[
                    ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks(cidr_block=cidr, display_name=f"allowed-{i}")
                    for i, cidr in enumerate(master_authorized_cidrs)
                ],
                gcp_public_cidrs_access_enabled=False,
            ),
            control_plane_endpoints_config=ContainerClusterControlPlaneEndpointsConfig(
                dns_endpoint_config=ContainerClusterControlPlaneEndpointsConfigDnsEndpointConfig(allow_external_traffic=True)
            ),
            datapath_provider="ADVANCED_DATAPATH",
            enable_shielded_nodes=True,
            enable_intranode_visibility=True,
            resource_labels={"application": name_prefix},
            # Creation-only, and re-read on every refresh from what GKE derives elsewhere: node_config
            # from the first node pool listed (its update goes to the removed default-pool), and
            # initial_node_count (ForceNew) from the default pool's size (facts/drift.py).
            lifecycle=TerraformResourceLifecycle(ignore_changes=["node_config", "initial_node_count"]),
            monitoring_config=_monitoring(monitoring_components, managed_prometheus),
            depends_on=list(depends_on),
        )
        self._pool = ContainerNodePool(
            self,
            "node-pool",
            project=project_id,
            name=NODE_POOL_NAME,
            cluster=self._cluster.id,
            location=location,
            initial_node_count=1,
            autoscaling=ContainerNodePoolAutoscaling(
                total_min_node_count=min_nodes, total_max_node_count=max_nodes, location_policy="BALANCED"
            ),
            management=ContainerNodePoolManagement(auto_repair=True, auto_upgrade=True),
            node_config=ContainerNodePoolNodeConfig(
                machine_type=machine_type,
                image_type="COS_CONTAINERD",
                service_account=self._node_account.email,
                oauth_scopes=NODE_OAUTH_SCOPES,
                tags=[node_tag],
                workload_metadata_config=ContainerNodePoolNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
                shielded_instance_config=ContainerNodePoolNodeConfigShieldedInstanceConfig(
                    enable_secure_boot=True, enable_integrity_monitoring=True
                ),
                metadata={"disable-legacy-endpoints": "true"},
                labels={"application": name_prefix},
            ),
            depends_on=list(node_pool_depends_on) or None,
        )
        self._location = location
        self._node_tag = node_tag
        self._project_id = project_id

    @property
    def cluster_name(self) -> str:
        return self._cluster.name

    @property
    def cluster_id(self) -> str:
        return self._cluster.id

    @property
    def location(self) -> str:
        return self._location

    @property
    def dns_endpoint(self) -> str:
        """The DNS-based control plane endpoint (`gke-<id>.<location>.gke.goog`): IAM decides
        who gets in, and its certificate is publicly trusted (no cluster CA to pass)."""
        return self._cluster.control_plane_endpoints_config.dns_endpoint_config.endpoint

    @property
    def workload_pool(self) -> str:
        """`<project>.svc.id.goog`, as a reference: bindings on it wait for the cluster that creates the pool."""
        return self._cluster.workload_identity_config.workload_pool

    @property
    def node_tag(self) -> str:
        """The network tag every node pool must carry (target of the webhook firewall rule)."""
        return self._node_tag

    @property
    def node_service_account_email(self) -> str:
        return self._node_account.email

    @property
    def node_service_account_member(self) -> str:
        return self._node_account.member

    @property
    def node_pool(self) -> ContainerNodePool:
        """The node pool: workloads on the cluster depend on it (no nodes, no pods)."""
        return self._pool

    @property
    def get_credentials_command(self) -> str:
        return (
            f"gcloud container clusters get-credentials {self._cluster.name} --location {self._location} "
            f"--project {self._project_id} --dns-endpoint"
        )


def _monitoring(components: Sequence[str] | None, managed_prometheus: bool) -> ContainerClusterMonitoringConfig | None:
    if components is None:
        return None
    return ContainerClusterMonitoringConfig(
        enable_components=list(components),
        managed_prometheus=ContainerClusterMonitoringConfigManagedPrometheus(enabled=managed_prometheus),
    )
