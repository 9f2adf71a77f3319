"""Project services (APIs): which ones a fresh project needs, and which API each resource type calls.

Mirrors the reference's services.tf. A fresh project has neither `iam` nor
`cloudresourcemanager` enabled, and provider 6.50.0 does not retry SERVICE_DISABLED
errors: every resource must wait for the service of the API it calls, or the first
apply fails and only a second one succeeds. `API_BY_RESOURCE_TYPE` is that rule's table;
a deployment invariant test checks every synthesized `google_*` resource against it.
"""

from __future__ import annotations

# A fresh project fails without these (deploy-flyte#33 and PR #7); iamcredentials signs URLs
# under Workload Identity (signBlob) and serves --impersonate-service-account.
REQUIRED_SERVICES = (
    "artifactregistry.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "servicenetworking.googleapis.com",
    "serviceusage.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
)
# Image streaming (GCFS) on node pools needs the Container File System API.
IMAGE_STREAMING_SERVICE = "containerfilesystem.googleapis.com"
# Dashboards, alert policies, notification channels, uptime checks (`monitoring.observe`).
MONITORING_SERVICE = "monitoring.googleapis.com"


def required_services(*, image_streaming: bool, observe: bool = False) -> tuple[str, ...]:
    """The APIs this configuration calls: the fixed set, plus image streaming's and monitoring's when on."""
    extra = ((IMAGE_STREAMING_SERVICE,) if image_streaming else ()) + ((MONITORING_SERVICE,) if observe else ())
    return tuple(sorted(REQUIRED_SERVICES + extra))

# The bootstrap stack (`main.py --bootstrap`): service accounts and their IAM (iam), tokens for
# impersonation (iamcredentials), the token exchange of Workload Identity Federation (sts:
# Terraform Cloud's and GitHub's OIDC tokens become Google tokens there), project IAM
# members (cloudresourcemanager), and Service Usage itself.
BOOTSTRAP_SERVICES = (
    "cloudresourcemanager.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "serviceusage.googleapis.com",
    "sts.googleapis.com",
)

# Terraform type (or type prefix; the longest match wins) -> the API its create call needs.
# None: calls no API of the project (provider-side data, or the Service Usage API itself).
API_BY_RESOURCE_TYPE: dict[str, str | None] = {
    "google_project_service": None,
    "google_client_config": None,
    "google_service_account": "iam.googleapis.com",  # accounts and their IAM (_iam_member, _iam_binding)
    "google_project_iam_custom_role": "iam.googleapis.com",
    "google_iam_workload_identity_pool": "iam.googleapis.com",  # pools and their providers
    "google_project_iam_": "cloudresourcemanager.googleapis.com",  # project IAM members
    "google_compute_": "compute.googleapis.com",
    "google_service_networking_": "servicenetworking.googleapis.com",
    "google_container_": "container.googleapis.com",
    "google_sql_": "sqladmin.googleapis.com",
    "google_storage_": "storage.googleapis.com",
    "google_artifact_registry_": "artifactregistry.googleapis.com",
    "google_dns_": "dns.googleapis.com",
    "google_secret_manager_": "secretmanager.googleapis.com",
    "google_monitoring_": "monitoring.googleapis.com",
}


def api_of(resource_type: str) -> str | None:
    """The API a resource type calls; KeyError for a `google_*` type the table does not know."""
    matches = [prefix for prefix in API_BY_RESOURCE_TYPE if resource_type.startswith(prefix)]
    if not matches:
        raise KeyError(f"{resource_type}: no API registered in facts.apis.API_BY_RESOURCE_TYPE")
    return API_BY_RESOURCE_TYPE[max(matches, key=len)]
