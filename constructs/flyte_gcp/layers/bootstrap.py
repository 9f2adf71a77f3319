"""Bootstrap: what must exist before an environment's stack can run anywhere but a laptop with Owner.

The APIs the bootstrap calls, the deployer account with exactly the roles of
`facts.deployer_roles` that this config needs, the state bucket (`backend.type: gcs`), and
Workload Identity Federation for Terraform Cloud (`backend.type: cloud`) and GitHub Actions
(`bootstrap.github_repository`). Outputs say what to set where.
"""

from __future__ import annotations

import json

from flyte_gcp.cdk.toolchain import TerraformOutput, TerraformStack

from flyte_gcp.config import names
from flyte_gcp.config.model import Config
from flyte_gcp.facts import deployer_roles as dr
from flyte_gcp.facts.apis import BOOTSTRAP_SERVICES
from flyte_gcp.gcp.deployer import Deployer, Grant
from flyte_gcp.gcp.federation import OidcTrust, WorkloadIdentityFederation
from flyte_gcp.gcp.gcs import StateBucket
from flyte_gcp.gcp.services import ProjectServices

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
TERRAFORM_CLOUD_PROVIDER = "terraform-cloud"
GITHUB_PROVIDER = "github-actions"


def needed(row: dr.DeployerRole, c: Config) -> bool:
    """Whether this config needs the row (its `when`)."""
    return {
        dr.ALWAYS: True,
        dr.DNS_ZONE: c.dns.managed_zone is not None,
        dr.DNS01: c.dns.managed_zone is not None and not c.ingress.admits_every_address,
        dr.OIDC: c.auth.mode == "oidc",
        dr.GCS_STATE: c.backend.type == "gcs",
        dr.OBSERVE: c.monitoring.observe,
    }[row.when]


def build(stack: TerraformStack, c: Config) -> None:
    rows = [row for row in dr.DEPLOYER_ROLES if needed(row, c)]
    apis = list(BOOTSTRAP_SERVICES)
    if c.backend.type == "gcs":
        apis.append("storage.googleapis.com")  # the state bucket
    if c.auth.mode == "oidc":
        apis.append("secretmanager.googleapis.com")  # the grant on the client secret
    services = ProjectServices(stack, "services", project_id=c.project_id, services=apis)
    by_api = {api: services.of(api) for api in apis}
    dns_apis = []
    if any(row.on == dr.DNS_PROJECT for row in rows) and c.dns_project != c.project_id:
        dns_apis = ProjectServices(
            stack, "dns-project-services", project_id=c.dns_project, services=("cloudresourcemanager.googleapis.com",)
        ).resources
    deployer = Deployer(
        stack,
        "deployer",
        project_id=c.project_id,
        account_id=names.service_account_id(c.name_prefix, "deployer"),
        display_name=f"Deployer of {c.name_prefix}",
        grants=_grants(c, rows, by_api, dns_apis),
        impersonators=c.bootstrap.impersonators,
        depends_on=[by_api["iam.googleapis.com"]],
    )
    outputs = {"deployer_service_account": (deployer.email, "The service account runs deploy as (no key exists).")}
    if c.backend.type == "gcs":
        bucket = StateBucket(
            stack,
            "state-bucket",
            name=c.backend.bucket,
            project_id=c.project_id,
            location=c.region,
            object_admins=[deployer.member],
            depends_on=[by_api["storage.googleapis.com"]],
        )
        outputs["state_bucket"] = (bucket.bucket_name, "The Terraform state bucket (versioned, private, prevent_destroy).")
    trusts = _trusts(c)
    if trusts:
        federation = WorkloadIdentityFederation(
            stack,
            "federation",
            project_id=c.project_id,
            pool_id=names.workload_identity_pool_id(c.name_prefix),
            service_account_name=deployer.name,
            trusts=trusts,
            depends_on=[by_api["iam.googleapis.com"]],
        )
        if c.backend.type == "cloud":
            outputs["terraform_cloud_workspace_variables"] = (
                {
                    "TFC_GCP_PROVIDER_AUTH": "true",
                    "TFC_GCP_RUN_SERVICE_ACCOUNT_EMAIL": deployer.email,
                    "TFC_GCP_WORKLOAD_PROVIDER_NAME": federation.provider_name(TERRAFORM_CLOUD_PROVIDER),
                },
                f"Environment variables of workspace {c.backend.workspace!r} (organization {c.backend.organization!r}): dynamic credentials, no key.",
            )
        if c.bootstrap.github_repository:
            outputs["github_actions_auth"] = (
                {"workload_identity_provider": federation.provider_name(GITHUB_PROVIDER), "service_account": deployer.email},
                f"Inputs of google-github-actions/auth in {c.bootstrap.github_repository} (permissions: id-token: write).",
            )
    for name, (value, description) in outputs.items():
        TerraformOutput(stack, name, value=value, description=description)


def _grants(c: Config, rows: list[dr.DeployerRole], by_api: dict, dns_apis: list) -> list[Grant]:
    grants: dict[tuple[str, str], Grant] = {}
    for row in rows:
        role = row.role.removeprefix("roles/").replace(".", "-")
        if row.on == dr.PROJECT or (row.on == dr.DNS_PROJECT and c.dns_project == c.project_id):
            key = ("project", row.role)
            grants.setdefault(key, Grant(f"project-{role}", row.role, c.project_id, depends_on=[by_api["cloudresourcemanager.googleapis.com"]]))
        elif row.on == dr.DNS_PROJECT:
            grants[("dns", row.role)] = Grant(f"dns-project-{role}", row.role, c.dns_project, depends_on=dns_apis)
        elif row.on == dr.OIDC_SECRET:
            grants[("secret", row.role)] = Grant(
                f"oidc-secret-{role}", row.role, c.project_id, secret=c.auth.oidc.client_secret_secret,
                depends_on=[by_api["secretmanager.googleapis.com"]],
            )
    return list(grants.values())  # STATE_BUCKET rows are the bucket's own grant (StateBucket)


def _trusts(c: Config) -> list[OidcTrust]:
    trusts = []
    if c.backend.type == "cloud":
        b = c.backend
        trusts.append(
            OidcTrust(
                provider_id=TERRAFORM_CLOUD_PROVIDER,
                display_name=f"Terraform Cloud {b.workspace}"[:32],
                issuer_uri=f"https://{b.hostname}",
                # Claim names as HashiCorp maps them (hashicorp/terraform-dynamic-credentials-setup-examples,
                # gcp/gcp.tf): terraform_organization_name, terraform_workspace_name, terraform_run_phase.
                attribute_mapping={
                    # Google caps google.subject at 127 bytes; Terraform Cloud's `sub` is
                    # organization:<org>:project:<project>:workspace:<ws>:run_phase:<phase> and
                    # passes that with long names (the token exchange then fails). The workspace id
                    # (ws-<16 characters>) and the run phase are short and still name the run.
                    "google.subject": "assertion.terraform_workspace_id + ':' + assertion.terraform_run_phase",
                    "attribute.terraform_organization_name": "assertion.terraform_organization_name",
                    "attribute.terraform_workspace_name": "assertion.terraform_workspace_name",
                    "attribute.terraform_run_phase": "assertion.terraform_run_phase",
                },
                attribute_condition=(
                    f"assertion.terraform_organization_name == {json.dumps(b.organization)} "
                    f"&& assertion.terraform_workspace_name == {json.dumps(b.workspace)}"
                ),
                principal_attribute="terraform_workspace_name",
                principal_value=b.workspace,
            )
        )
    repository = c.bootstrap.github_repository
    if repository:
        subject = f"repo:{repository}:ref:{c.bootstrap.github_ref}"
        trusts.append(
            OidcTrust(
                provider_id=GITHUB_PROVIDER,
                display_name=f"GitHub Actions {repository}"[:32],
                issuer_uri=GITHUB_ISSUER,
                attribute_mapping={"google.subject": "assertion.sub", "attribute.repository": "assertion.repository"},
                attribute_condition=f"assertion.repository == {json.dumps(repository)} && assertion.sub == {json.dumps(subject)}",
                principal_attribute="repository",
                principal_value=repository,
            )
        )
    return trusts
