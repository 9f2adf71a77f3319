"""The deployer: the service account Terraform Cloud and CI runs act as, with exactly its grants.

No key is ever made for it: runs reach it by Workload Identity Federation (`federation.py`),
people by impersonation (Token Creator on the account). Every grant is a `_iam_member`
(never authoritative), on the narrowest resource the role allows: the project, a Secret
Manager secret, or a bucket.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.google.project_iam_member import ProjectIamMember
from flyte_gcp.cdk.toolchain.google.secret_manager_secret_iam_member import SecretManagerSecretIamMember
from flyte_gcp.cdk.toolchain.google.service_account import ServiceAccount
from flyte_gcp.cdk.toolchain.google.service_account_iam_member import ServiceAccountIamMember

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"


@dataclass(frozen=True)
class Grant:
    """One role for the deployer: on `project`, or on the Secret Manager secret `secret` in it.

    `key`: a stable name for the grant (part of its Terraform address).
    `depends_on`: the enabled APIs the grant calls (cloudresourcemanager in that project, or
    secretmanager).
    """

    key: str
    role: str
    project: str
    secret: str | None = None
    depends_on: Sequence[ITerraformDependable] = field(default=(), hash=False, compare=False)


class Deployer(Construct):
    """Props:
      project_id / account_id / display_name: the service account.
      grants: the roles it holds (see `Grant`).
      impersonators: principals allowed to mint its tokens (people deploying from a laptop).
        Default: none.
      depends_on: the iam API's enablement.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        project_id: str,
        account_id: str,
        display_name: str,
        grants: Sequence[Grant],
        depends_on: Sequence[ITerraformDependable],
        impersonators: Sequence[str] = (),
    ) -> None:
        super().__init__(scope, id)
        self._account = ServiceAccount(
            self,
            "account",
            project=project_id,
            account_id=account_id,
            display_name=display_name,
            description="Deploys the Flyte environment's stack (Terraform Cloud / CI runs, by federation; no key).",
            depends_on=list(depends_on),
        )
        for grant in grants:
            if grant.secret is None:
                ProjectIamMember(
                    self, grant.key, project=grant.project, role=grant.role, member=self._account.member, depends_on=list(grant.depends_on)
                )
            else:
                SecretManagerSecretIamMember(
                    self,
                    grant.key,
                    project=grant.project,
                    secret_id=grant.secret,
                    role=grant.role,
                    member=self._account.member,
                    depends_on=list(grant.depends_on),
                )
        for i, principal in enumerate(impersonators):
            ServiceAccountIamMember(
                self, f"impersonator-{i}", service_account_id=self._account.name, role=TOKEN_CREATOR, member=principal
            )

    @property
    def email(self) -> str:
        return self._account.email

    @property
    def member(self) -> str:
        """`serviceAccount:<email>`, for grants on other resources (the state bucket)."""
        return self._account.member

    @property
    def name(self) -> str:
        """`projects/<project>/serviceAccounts/<email>`: what IAM bindings on the account name."""
        return self._account.name
