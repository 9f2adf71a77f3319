"""Foundation: the project's APIs, the network, and the Cloud DNS zone read and checked first.

With `dns.managed_zone`, the zone is read here and what is slow to create (the cluster, the
database) waits for it (`checked_first`): a wrong or private zone fails the apply before them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import ITerraformDependable, TerraformStack

from flyte_gcp.config import names
from flyte_gcp.config.model import Config
from flyte_gcp.gcp.dns import DnsZoneRecord
from flyte_gcp.gcp.network import Network
from flyte_gcp.facts.apis import required_services
from flyte_gcp.facts.webhooks import webhook_ports_to_open
from flyte_gcp.gcp.services import ProjectServices


@dataclass(frozen=True)
class Foundation:
    services: ProjectServices
    network: Network
    dns_zone: DnsZoneRecord | None
    """The Cloud DNS zone (`dns.managed_zone`), read and checked; the edge adds the A record."""

    @property
    def checked_first(self) -> list[ITerraformDependable]:
        """What the cluster and the database wait for besides the APIs: the zone's checks."""
        return [self.dns_zone.zone] if self.dns_zone else []


def build(stack: TerraformStack, c: Config) -> Foundation:
    # Secret Manager only where a secret is read from it (auth.mode oidc: the client secret).
    extra = ("secretmanager.googleapis.com",) if c.auth.mode == "oidc" else ()
    services = ProjectServices(
        stack, "services", project_id=c.project_id, services=(*required_services(image_streaming=c.gke.image_streaming, observe=c.monitoring.observe), *extra)
    )
    network = Network(
        stack,
        "network",
        name_prefix=c.name_prefix,
        project_id=c.project_id,
        region=c.region,
        subnet_cidr=c.network.subnet_cidr,
        pods_cidr=c.network.pods_cidr,
        services_cidr=c.network.services_cidr,
        private_services_cidr=c.network.private_services_cidr,
        master_cidr=c.network.master_cidr,
        node_tag=names.node_network_tag(c.name_prefix),
        webhook_ports=webhook_ports_to_open(),
        depends_on=services.resources,
    )
    return Foundation(services=services, network=network, dns_zone=_dns_zone(stack, c))


def _dns_zone(stack: TerraformStack, c: Config) -> DnsZoneRecord | None:
    if c.dns.managed_zone is None:
        return None
    # DNS-01 grants cert-manager's GSA a role on the zone's project: that call needs
    # cloudresourcemanager there too when it is not the stack's project.
    grant_elsewhere = not c.ingress.admits_every_address and c.dns_project != c.project_id
    # Construct id "dns" is part of the zone's, its APIs' and the A record's addresses.
    return DnsZoneRecord(
        stack,
        "dns",
        project=c.dns_project,
        managed_zone=c.dns.managed_zone,
        zone_domain=c.dns.zone_domain or c.dns_domain,
        extra_apis=("cloudresourcemanager.googleapis.com",) if grant_elsewhere else (),
    )
