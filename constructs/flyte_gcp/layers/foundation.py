"""Foundation: the project's APIs and the network."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformStack

from flyte_gcp.config import Config
from flyte_gcp.network import Network
from flyte_gcp.services import ProjectServices


@dataclass(frozen=True)
class Foundation:
    services: ProjectServices
    network: Network


def build(stack: TerraformStack, c: Config) -> Foundation:
    services = ProjectServices(stack, "services", project_id=c.project_id)
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
        depends_on=services.resources,
    )
    return Foundation(services=services, network=network)
