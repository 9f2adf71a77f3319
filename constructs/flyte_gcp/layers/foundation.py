"""Foundation: the project's APIs and the network."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformStack

from flyte_gcp.config import names
from flyte_gcp.config.model import Config
from flyte_gcp.gcp.network import Network
from flyte_gcp.facts.apis import required_services
from flyte_gcp.facts.webhooks import webhook_ports_to_open
from flyte_gcp.gcp.services import ProjectServices


@dataclass(frozen=True)
class Foundation:
    services: ProjectServices
    network: Network


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
    return Foundation(services=services, network=network)
