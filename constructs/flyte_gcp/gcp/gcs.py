"""The Flyte data bucket(s); mirrors the reference's gcs.tf (terraform-google-modules/cloud-storage)."""

from __future__ import annotations

import flyte_gcp.cdk.providers  # noqa: F401  (loads provider packages the fast way)
from collections.abc import Sequence

from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_google.storage_bucket import StorageBucket
from constructs import Construct


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
        self._bucket = StorageBucket(
            self,
            "bucket",
            project=project_id,
            name=name,
            location=location.upper(),
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            force_destroy=False,
            labels=labels or {},
            lifecycle=TerraformResourceLifecycle(prevent_destroy=prevent_destroy),
            depends_on=list(depends_on),
        )

    @property
    def bucket_name(self) -> str:
        return self._bucket.name
