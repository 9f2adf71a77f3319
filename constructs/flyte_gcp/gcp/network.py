"""VPC, GKE subnet with secondary ranges, Cloud NAT, and private services access for Cloud SQL.

Mirrors the reference's network.tf with first-class resources instead of a remote module.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.google.compute_firewall import ComputeFirewall, ComputeFirewallAllow
from flyte_gcp.cdk.toolchain.google.compute_global_address import ComputeGlobalAddress
from flyte_gcp.cdk.toolchain.google.compute_network import ComputeNetwork
from flyte_gcp.cdk.toolchain.google.compute_router import ComputeRouter
from flyte_gcp.cdk.toolchain.google.compute_router_nat import ComputeRouterNat, ComputeRouterNatLogConfig
from flyte_gcp.cdk.toolchain.google.compute_subnetwork import (
    ComputeSubnetwork,
    ComputeSubnetworkLogConfig,
    ComputeSubnetworkSecondaryIpRange,
)
from flyte_gcp.cdk.toolchain.google.service_networking_connection import ServiceNetworkingConnection

PODS_RANGE_NAME = "gke-pods"
SERVICES_RANGE_NAME = "gke-services"


class Network(Construct):
    """A custom-mode VPC for the cluster and the database.

    Props:
      name_prefix: `<application>-<environment>`; names every resource here.
      project_id / region: where the network lives.
      subnet_cidr, pods_cidr, services_cidr: the subnet's primary and secondary ranges.
      private_services_cidr: the range peered to Google's service producers (Cloud SQL).
      master_cidr: the GKE control plane's private range (source of webhook calls).
      node_tag: the network tag on every node (target of the webhook rule).
      webhook_ports: ports the control plane must reach on the nodes beyond GKE's own
        443 and 10250 (admission webhooks). Default: none (no rule).
      depends_on: resources (enabled APIs) that must exist first. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefix: str,
        project_id: str,
        region: str,
        subnet_cidr: str,
        pods_cidr: str,
        services_cidr: str,
        private_services_cidr: str,
        master_cidr: str,
        node_tag: str,
        webhook_ports: Sequence[int] = (),
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        self._vpc = ComputeNetwork(
            self,
            "vpc",
            project=project_id,
            name=name_prefix,
            auto_create_subnetworks=False,
            routing_mode="GLOBAL",
            depends_on=list(depends_on),
        )
        self._subnet = ComputeSubnetwork(
            self,
            "gke-subnet",
            project=project_id,
            name=f"{name_prefix}-gke",
            region=region,
            network=self._vpc.id,
            ip_cidr_range=subnet_cidr,
            private_ip_google_access=True,
            secondary_ip_range=[
                ComputeSubnetworkSecondaryIpRange(range_name=PODS_RANGE_NAME, ip_cidr_range=pods_cidr),
                ComputeSubnetworkSecondaryIpRange(range_name=SERVICES_RANGE_NAME, ip_cidr_range=services_cidr),
            ],
            log_config=ComputeSubnetworkLogConfig(
                aggregation_interval="INTERVAL_5_MIN", flow_sampling=0.5, metadata="INCLUDE_ALL_METADATA"
            ),
        )
        # Private nodes have no external IPs: Cloud NAT gives them egress (image pulls, Let's Encrypt).
        router = ComputeRouter(self, "router", project=project_id, name=f"{name_prefix}-router", region=region, network=self._vpc.id)
        ComputeRouterNat(
            self,
            "nat",
            project=project_id,
            name=f"{name_prefix}-nat",
            region=region,
            router=router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
            log_config=ComputeRouterNatLogConfig(enable=True, filter="ERRORS_ONLY"),
        )
        self._webhook_firewall: ComputeFirewall | None = None
        if webhook_ports:
            # Private nodes: GKE's automatic rule opens only 443 and 10250 to the control plane;
            # an admission webhook on any other port times out and its failurePolicy Fail blocks
            # every pod or Ingress it watches.
            self._webhook_firewall = ComputeFirewall(
                self,
                "control-plane-to-webhooks",
                project=project_id,
                name=f"{name_prefix}-webhooks",
                network=self._vpc.id,
                description="GKE control plane to admission webhooks on the nodes.",
                direction="INGRESS",
                source_ranges=[master_cidr],
                target_tags=[node_tag],
                allow=[ComputeFirewallAllow(protocol="tcp", ports=[str(p) for p in sorted(set(webhook_ports))])],
            )
        network = ipaddress.IPv4Network(private_services_cidr)
        peering_range = ComputeGlobalAddress(
            self,
            "private-services-range",
            project=project_id,
            name=f"{name_prefix}-service-networking",
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            address=str(network.network_address),
            prefix_length=network.prefixlen,
            network=self._vpc.id,
        )
        self._connection = ServiceNetworkingConnection(
            self,
            "private-services-connection",
            network=self._vpc.id,
            service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[peering_range.name],
        )

    @property
    def network_id(self) -> str:
        return self._vpc.id

    @property
    def network_name(self) -> str:
        return self._vpc.name

    @property
    def subnet_name(self) -> str:
        return self._subnet.name

    @property
    def pods_range_name(self) -> str:
        return PODS_RANGE_NAME

    @property
    def services_range_name(self) -> str:
        return SERVICES_RANGE_NAME

    @property
    def webhook_firewall(self) -> ComputeFirewall | None:
        """The rule opening webhook ports to the control plane (None without webhook ports)."""
        return self._webhook_firewall

    @property
    def private_services_connection(self) -> ServiceNetworkingConnection:
        """The peering Cloud SQL's private IP needs; a database must depend on it explicitly."""
        return self._connection
