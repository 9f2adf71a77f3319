"""One Terraform stack per environment: a table of contents of its layers.

Each layer (``flyte_gcp.layers``) maps the validated Config onto its constructs' props
and hands typed attributes to the next; no construct sees the Config.
"""

from __future__ import annotations

from flyte_gcp.cdk.toolchain import Aspects, CloudBackend, Construct, GcsBackend, LocalBackend, NamedCloudWorkspace, TerraformStack
from flyte_gcp.cdk.toolchain.google.provider import GoogleProvider
from flyte_gcp.cdk.toolchain.http.provider import HttpProvider
from flyte_gcp.cdk.toolchain.random.provider import RandomProvider
from flyte_gcp.config.model import Config
from flyte_gcp.facts.versions import TERRAFORM_REQUIRED_VERSION
from flyte_gcp.layers import auth, compute, data, edge, foundation, identity, observe, outputs, platform
from flyte_gcp.policy.pack import PolicyPack


class FlyteGcpStack(TerraformStack):
    """Props:
      config: the validated environment.
      local_state_path: where local state lives, relative to the synthesized stack's
        directory. Default: `../../../terraform.<id>.tfstate`, the project root when the
        output directory is `cdktf.out` (outside it, so a clean synth never touches state).
    """

    def __init__(self, scope: Construct, id: str, *, config: Config, local_state_path: str | None = None) -> None:
        super().__init__(scope, id)
        c = config
        self.add_override("terraform.required_version", TERRAFORM_REQUIRED_VERSION)
        _backend(self, c, local_state_path or f"../../../terraform.{id}.tfstate", id)
        GoogleProvider(self, "google", project=c.project_id, region=c.region)
        RandomProvider(self, "random")
        HttpProvider(self, "http")

        base = foundation.build(self, c)
        stores = data.build(self, c, base)
        cluster = compute.build(self, c, base)
        accounts = identity.build(self, c, base, stores, cluster)
        door = edge.build(self, c, base, cluster)
        login = auth.build(self, c, base, stores, door)
        flyte = platform.build(self, c, stores, accounts, door, login)
        watch = observe.build(self, c, base, stores, door, login, flyte)
        outputs.build(self, c, base, stores, cluster, accounts, door, login, watch)

        Aspects.of(self).add(
            PolicyPack(node_service_account_email=cluster.cluster.node_service_account_email, teardown=not c.deletion_protection)
        )


def _backend(stack: TerraformStack, c: Config, local_state_path: str, stack_name: str) -> None:
    """Local state unless the config names a GCS bucket or a Terraform Cloud workspace.

    The local path is always explicit and relative: CDKTF's default is an absolute path,
    which would make the synthesized JSON differ from one checkout to another.
    """
    b = c.backend
    if b.type == "local":
        LocalBackend(stack, path=local_state_path)
    elif b.type == "gcs":
        GcsBackend(stack, bucket=b.bucket, prefix=f"{b.prefix}/{stack_name}")
    elif b.type == "cloud":
        CloudBackend(stack, organization=b.organization, workspaces=NamedCloudWorkspace(b.workspace), hostname=b.hostname)
