"""Artifact Registry for custom task images, pushed without keys and pulled without secrets.

The writer GSA holds `roles/artifactregistry.writer` on the repository only; the listed
principals may impersonate it (token creator), so a push needs no key. The kubelet pulls
with the node service account, and task code may pull with the workers' GSA: both get
`roles/artifactregistry.reader` on the repository, not on the project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.google.artifact_registry_repository import ArtifactRegistryRepository
from flyte_gcp.cdk.toolchain.google.artifact_registry_repository_iam_member import ArtifactRegistryRepositoryIamMember
from flyte_gcp.cdk.toolchain.google.service_account import ServiceAccount
from flyte_gcp.cdk.toolchain.google.service_account_iam_member import ServiceAccountIamMember

from flyte_gcp.config import names
from flyte_gcp.gcp.iam import TOKEN_CREATOR

READER = "roles/artifactregistry.reader"
WRITER = "roles/artifactregistry.writer"


class Registry(Construct):
    """A Docker repository `<name_prefix>` in the region.

    Props:
      name_prefix: repository id and writer GSA id (`<name_prefix>-registrywriter`).
      project_id / region: where it lives.
      readers: principals that pull, by a stable name (node service account, workers' GSA).
      writers: principals that may impersonate the writer GSA to push. Default: none.
      depends_on: enabled APIs.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefix: str,
        project_id: str,
        region: str,
        readers: Mapping[str, str],
        writers: Sequence[str] = (),
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        self._repository = ArtifactRegistryRepository(
            self,
            "repository",
            project=project_id,
            location=region,
            repository_id=name_prefix,
            format="DOCKER",
            description=f"Container images for Flyte tasks ({name_prefix}).",
            depends_on=list(depends_on),
        )
        self._writer = ServiceAccount(
            self,
            "writer-gsa",
            project=project_id,
            account_id=names.service_account_id(name_prefix, "registrywriter"),
            display_name=f"Artifact Registry writer ({name_prefix})",
            description="Pushes images to the Flyte repository; impersonated by people and CI, never used with a key.",
            depends_on=list(depends_on),
        )
        self._grants: list[ITerraformDependable] = []
        self._grant("writer", WRITER, self._writer.member)
        for name, reader in readers.items():
            self._grant(f"reader-{name}", READER, reader)
        for principal in writers:
            ServiceAccountIamMember(
                self,
                f"impersonator-{principal}",
                service_account_id=self._writer.name,
                role=TOKEN_CREATOR,
                member=principal,
            )
        self._region = region
        self._url = f"{region}-docker.pkg.dev/{project_id}/{name_prefix}"

    def _grant(self, id: str, role: str, member: str) -> None:
        grant = ArtifactRegistryRepositoryIamMember(
            self,
            id,
            project=self._repository.project,
            location=self._repository.location,
            repository=self._repository.name,
            role=role,
            member=member,
        )
        self._grants.append(grant)

    @property
    def grants(self) -> list[ITerraformDependable]:
        """The repository's grants (writer, readers): task pods pull images once these exist."""
        return list(self._grants)

    @property
    def repository_url(self) -> str:
        """`<region>-docker.pkg.dev/<project>/<repository>`."""
        return self._url

    @property
    def writer_email(self) -> str:
        return self._writer.email

    @property
    def registry_host(self) -> str:
        return f"{self._region}-docker.pkg.dev"
