"""The project services (APIs) the stack enables; each resource waits for its own (`facts.apis`)."""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain.google.project_service import ProjectService
from flyte_gcp.cdk.toolchain import Construct

from flyte_gcp.facts.apis import REQUIRED_SERVICES

class ProjectServices(Construct):
    """Enables each API once; never disabled on destroy (other workloads may rely on it).

    Props:
      project_id: the project.
      services: the APIs. Default: `REQUIRED_SERVICES`.
    """

    def __init__(self, scope: Construct, id: str, *, project_id: str, services: Sequence[str] = REQUIRED_SERVICES) -> None:
        super().__init__(scope, id)
        self._by_name = {
            service: ProjectService(
                self,
                service.split(".")[0],
                project=project_id,
                service=service,
                disable_on_destroy=False,
                disable_dependent_services=False,
            )
            for service in services
        }
        self._services = list(self._by_name.values())

    @property
    def resources(self) -> list[ProjectService]:
        """The enabled services, for `depends_on` of anything that calls these APIs."""
        return list(self._services)

    def of(self, service: str) -> ProjectService:
        """The enablement of one API (`iam.googleapis.com`), for what calls only that API."""
        return self._by_name[service]
