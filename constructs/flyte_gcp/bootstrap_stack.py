"""The bootstrap stack of an environment (`main.py --bootstrap <env>`): applied once, by a person
with Owner, before the environment's own stack runs in Terraform Cloud or CI.

Its state is local (`terraform.<env>-bootstrap.tfstate` in the project root): it creates the
state bucket the environment's `gcs` backend then uses, so it cannot keep its own state there.
"""

from __future__ import annotations

from flyte_gcp.cdk.toolchain import Aspects, LocalBackend, TerraformStack, Construct
from flyte_gcp.cdk.toolchain.google.provider import GoogleProvider

from flyte_gcp.config.model import Config
from flyte_gcp.facts.versions import TERRAFORM_REQUIRED_VERSION
from flyte_gcp.layers import bootstrap
from flyte_gcp.policy.pack import PolicyPack


class BootstrapStack(TerraformStack):
    """Props:
      config: the validated environment the bootstrap prepares.
      local_state_path: where its state lives, relative to the synthesized stack's directory.
        Default: `../../../terraform.<id>.tfstate` (the project root when the output
        directory is `cdktf.out`).
    """

    def __init__(self, scope: Construct, id: str, *, config: Config, local_state_path: str | None = None) -> None:
        super().__init__(scope, id)
        self.add_override("terraform.required_version", TERRAFORM_REQUIRED_VERSION)
        LocalBackend(self, path=local_state_path or f"../../../terraform.{id}.tfstate")
        GoogleProvider(self, "google", project=config.project_id, region=config.region)
        bootstrap.build(self, config)
        Aspects.of(self).add(PolicyPack())
