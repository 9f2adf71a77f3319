"""The Flyte data bucket(s), mirroring the reference's gcs.tf (terraform-google-modules/cloud-storage),
and the bootstrap's Terraform state bucket."""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, TerraformResourceLifecycle, Construct
from flyte_gcp.cdk.toolchain.google.storage_bucket import StorageBucket, StorageBucketVersioning
from flyte_gcp.cdk.toolchain.google.storage_bucket_iam_member import StorageBucketIamMember


class DataBucket(Construct):
    """One private GCS bucket for Flyte data.

    Public access prevention enforced, uniform bucket-level access, no retention and no
    lifecycle policy (as the seed prescribes), never force-destroyed, and protected from
    `terraform destroy` by `prevent_destroy`: the data outlives the platform.

    Props:
      name: the bucket name (validated by the config loader).
      project_id / location: where it lives (the region, co-located with the cluster).
      labels: resource labels. Default: none.
      depends_on: the enabled storage API. Default: none.
      prevent_destroy: Terraform refuses any plan that destroys the bucket. Default: True
        (False only to tear the environment down; the bucket must then be emptied first).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        project_id: str,
        location: str,
        labels: dict[str, str] | None = None,
        depends_on: Sequence[ITerraformDependable] = (),
        prevent_destroy: bool = True,
    ) -> None:
        super().__init__(scope, id)
        self._bucket = _private_bucket(
            self, name=name, project_id=project_id, location=location, prevent_destroy=prevent_destroy,
            depends_on=depends_on, labels=labels or {},
        )

    @property
    def bucket_name(self) -> str:
        return self._bucket.name


class StateBucket(Construct):
    """The bucket `backend.type: gcs` keeps Terraform state in (the state holds every generated
    secret: README "Security decisions").

    Versioned (a broken or overwritten state can be restored from an earlier generation),
    uniform bucket-level access, public access prevention enforced, never force-destroyed and
    protected by `prevent_destroy`. Only the named members get object access, on the bucket.

    Props:
      name / project_id / location: the bucket.
      object_admins: members that read and write state and its lock (`roles/storage.objectAdmin`,
        the narrowest predefined role that can also delete the lock file).
      depends_on: the enabled storage API.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        project_id: str,
        location: str,
        object_admins: Sequence[str],
        depends_on: Sequence[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id)
        self._bucket = _private_bucket(
            self, name=name, project_id=project_id, location=location, prevent_destroy=True,
            depends_on=depends_on, versioning=StorageBucketVersioning(enabled=True),
        )
        for i, member in enumerate(object_admins):
            StorageBucketIamMember(self, f"object-admin-{i}", bucket=self._bucket.name, role="roles/storage.objectAdmin", member=member)

    @property
    def bucket_name(self) -> str:
        return self._bucket.name


def _private_bucket(
    scope: Construct,
    *,
    name: str,
    project_id: str,
    location: str,
    prevent_destroy: bool,
    depends_on: Sequence[ITerraformDependable],
    **settings: object,
) -> StorageBucket:
    """What both buckets share (construct id `bucket`, part of the address): uniform bucket-level
    access, public access prevention enforced, never force-destroyed; `settings` adds the rest."""
    return StorageBucket(
        scope,
        "bucket",
        project=project_id,
        name=name,
        location=location.upper(),
        storage_class="STANDARD",
        uniform_bucket_level_access=True,
        public_access_prevention="enforced",
        force_destroy=False,
        lifecycle=TerraformResourceLifecycle(prevent_destroy=prevent_destroy),
        depends_on=list(depends_on),
        **settings,
    )
