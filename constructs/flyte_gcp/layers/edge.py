"""Edge: the reserved address, DNS, the ingress controller, cert-manager, the issuer and the certificate.

The load balancer admits `ingress.allowed_cidrs`. When their union is the whole internet, the
certificate comes by HTTP-01 through the controller; otherwise by DNS-01 in the Cloud DNS
zone (the config requires `dns.managed_zone` then), with a GSA for cert-manager.
"""

from __future__ import annotations

from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import TerraformStack

from flyte_gcp.config import names
from flyte_gcp.k8s.certificates import CloudDns
from flyte_gcp.config.model import Config
from flyte_gcp.gcp.dns import Dns01Identity, IngressAddress
from flyte_gcp.k8s.ingress import ClusterAddons
from flyte_gcp.layers.compute import Compute
from flyte_gcp.layers.foundation import Foundation


@dataclass(frozen=True)
class Edge:
    addons: ClusterAddons
    address: str
    """The ingress's reserved external IPv4 address (a reference)."""
    dns_record: str | None
    """The A record's name when a Cloud DNS zone is configured; None: the user creates it."""


def build(stack: TerraformStack, c: Config, foundation: Foundation, compute: Compute) -> Edge:
    apis = foundation.services.resources
    address = IngressAddress(
        stack, "ingress-address", name=names.ingress_address(c.name_prefix), project_id=c.project_id, region=c.region, depends_on=apis
    )
    zone = foundation.dns_zone
    record = zone.add_record(hostname=c.flyte_host, address=address.address) if zone else None
    dns01 = None
    if not c.ingress.admits_every_address:
        assert zone is not None and c.dns.managed_zone is not None  # the config guarantees it
        identity = Dns01Identity(
            stack,
            "certmanager-identity",
            name_prefix=c.name_prefix,
            project_id=c.project_id,
            dns_project=c.dns_project,
            workload_pool=compute.cluster.workload_pool,
            depends_on=[*apis, *zone.apis],
        )
        dns01 = CloudDns(project=c.dns_project, managed_zone=c.dns.managed_zone, service_account=identity.email, grants=identity.grants)
    addons = ClusterAddons(
        stack,
        "addons",
        flyte_namespace=c.flyte.namespace,
        hostname=c.flyte_host,
        email=c.email,
        acme_server=c.ingress.acme_server,
        load_balancer_ip=address.address,
        source_ranges=c.ingress.allowed_cidrs,
        dns01=dns01,
        depends_on=[compute.cluster.node_pool],
    )
    return Edge(addons=addons, address=address.address, dns_record=record)
