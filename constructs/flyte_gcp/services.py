"""Project services (APIs) a fresh project needs; mirrors the reference's services.tf."""

from __future__ import annotations

from collections.abc import Sequence

import flyte_gcp.providers  # noqa: F401  (loads provider packages the fast way)
from cdktf_cdktf_provider_google.project_service import ProjectService
from constructs import Construct

# A fresh project fails without these (deploy-flyte#33 and PR #7).
REQUIRED_SERVICES = (
    "artifactregistry.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    "servicenetworking.googleapis.com",
    "serviceusage.googleapis.com",
    "sqladmin.googleapis.com",
)
# Image streaming (GCFS) on node pools needs the Container File System API.
IMAGE_STREAMING_SERVICE = "containerfilesystem.googleapis.com"


def required_services(*, image_streaming: bool) -> tuple[str, ...]:
    """The APIs this configuration calls: the fixed set, plus image streaming's when it is on."""
    return tuple(sorted(REQUIRED_SERVICES + ((IMAGE_STREAMING_SERVICE,) if image_streaming else ())))


class ProjectServices(Construct):
    """Enables each API once; never disabled on destroy (other workloads may rely on it)."""

    def __init__(self, scope: Construct, id: str, *, project_id: str, services: Sequence[str] = REQUIRED_SERVICES) -> None:
        super().__init__(scope, id)
        self._services = [
            ProjectService(
                self,
                service.split(".")[0],
                project=project_id,
                service=service,
                disable_on_destroy=False,
                disable_dependent_services=False,
            )
            for service in services
        ]

    @property
    def resources(self) -> list[ProjectService]:
        """The enabled services, for `depends_on` of anything that calls these APIs."""
        return list(self._services)
