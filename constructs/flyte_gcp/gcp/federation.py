"""Workload Identity Federation: external runners (Terraform Cloud, GitHub Actions) act as the
deployer without a key.

One pool per environment; one OIDC provider per trusted issuer. Each provider's attribute
condition is the gate: Google's token exchange (STS) refuses every token that fails it, so
only the named organization and workspace (or repository and ref) get through. The
deployer then admits the principal set of exactly that workspace or repository
(`roles/iam.workloadIdentityUser`), not the whole pool. No `allowed_audiences`: Google then
accepts only tokens whose audience is this provider's own resource name, which is what
Terraform Cloud puts in the token while `TFC_GCP_WORKLOAD_IDENTITY_AUDIENCE` is unset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.google.iam_workload_identity_pool import IamWorkloadIdentityPool
from flyte_gcp.cdk.toolchain.google.iam_workload_identity_pool_provider import (
    IamWorkloadIdentityPoolProvider,
    IamWorkloadIdentityPoolProviderOidc,
)
from flyte_gcp.cdk.toolchain.google.service_account_iam_member import ServiceAccountIamMember

WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"


@dataclass(frozen=True)
class OidcTrust:
    """One trusted issuer.

    provider_id: 4-32 characters of [a-z0-9-]. issuer_uri: the token issuer (https).
    attribute_mapping: Google attributes from the token's claims (`google.subject` required).
    attribute_condition: a CEL expression every token must satisfy.
    principal_attribute / principal_value: the mapped attribute and value whose principal set
      may act as the service account (`principalSet://.../attribute.<a>/<v>`).
    """

    provider_id: str
    display_name: str
    issuer_uri: str
    attribute_mapping: Mapping[str, str]
    attribute_condition: str
    principal_attribute: str
    principal_value: str


class WorkloadIdentityFederation(Construct):
    """Props:
      project_id / pool_id: the pool (`names.workload_identity_pool_id`).
      service_account_name: the account each trust may act as (`projects/.../serviceAccounts/...`).
      trusts: the issuers, at least one.
      depends_on: the iam API's enablement.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        project_id: str,
        pool_id: str,
        service_account_name: str,
        trusts: Sequence[OidcTrust],
        depends_on: Sequence[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id)
        self._pool = IamWorkloadIdentityPool(
            self,
            "pool",
            project=project_id,
            workload_identity_pool_id=pool_id,
            display_name=pool_id,
            description="Deploy runners trusted to act as the Flyte deployer (no keys).",
            depends_on=list(depends_on),
        )
        self._providers: dict[str, IamWorkloadIdentityPoolProvider] = {}
        for trust in trusts:
            self._providers[trust.provider_id] = IamWorkloadIdentityPoolProvider(
                self,
                trust.provider_id,
                project=project_id,
                workload_identity_pool_id=self._pool.workload_identity_pool_id,
                workload_identity_pool_provider_id=trust.provider_id,
                display_name=trust.display_name,
                attribute_mapping=dict(trust.attribute_mapping),
                attribute_condition=trust.attribute_condition,
                oidc=IamWorkloadIdentityPoolProviderOidc(issuer_uri=trust.issuer_uri),
            )
            ServiceAccountIamMember(
                self,
                f"{trust.provider_id}-user",
                service_account_id=service_account_name,
                role=WORKLOAD_IDENTITY_USER,
                member=f"principalSet://iam.googleapis.com/{self._pool.name}/attribute.{trust.principal_attribute}/{trust.principal_value}",
            )

    def provider_name(self, provider_id: str) -> str:
        """`projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<id>`."""
        return self._providers[provider_id].name
