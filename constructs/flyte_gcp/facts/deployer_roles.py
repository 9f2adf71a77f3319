"""The IAM roles the deploying identity needs for an environment's stack, and why (read 2026-12).

Each row names what in the main stack needs it. The README's "Requirements for deploying"
table lists the same rows, and `tests/test_bootstrap.py` compares the bootstrap stack's
grants with that table (read from the README), so the documentation and the grants
cannot drift apart. Owner and Editor are never needed.

Sources: the GCP IAM predefined-roles reference (cloud.google.com/iam/docs/roles-permissions);
Compute Network Admin excludes firewall rules ("except for firewall rules and SSL
certificates"), so the webhook firewall rule needs Compute Security Admin; creating a GKE
cluster or node pool that runs as a user-managed service account needs
`iam.serviceAccounts.actAs` on it (Service Account User), which Service Account Admin does
not include; the DNS-based control plane endpoint checks `container.clusters.connect`
(GKE "About network isolation"), part of Kubernetes Engine Admin.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a role is granted (the README's "on" column).
PROJECT = "project_id"
DNS_PROJECT = "dns.project"
OIDC_SECRET = "auth.oidc.client_secret_secret"
STATE_BUCKET = "backend.bucket"

# When it is needed (the README's "when" column).
ALWAYS = "always"
DNS_ZONE = "dns.managed_zone"
DNS01 = "dns.managed_zone and restricted ingress.allowed_cidrs"
OIDC = "auth.mode: oidc"
GCS_STATE = "backend.type: gcs"
OBSERVE = "monitoring.observe"


@dataclass(frozen=True)
class DeployerRole:
    role: str
    on: str
    when: str
    why: str


DEPLOYER_ROLES: tuple[DeployerRole, ...] = (
    DeployerRole("roles/serviceusage.serviceUsageAdmin", PROJECT, ALWAYS, "enables the APIs (google_project_service)"),
    DeployerRole("roles/compute.networkAdmin", PROJECT, ALWAYS, "VPC, subnet, router and NAT, addresses, private services access"),
    DeployerRole("roles/compute.securityAdmin", PROJECT, ALWAYS, "the firewall rule from the control plane to the webhook ports"),
    DeployerRole("roles/container.admin", PROJECT, ALWAYS, "cluster, node pools, and everything inside the cluster (the DNS endpoint checks container.clusters.connect)"),
    DeployerRole("roles/cloudsql.admin", PROJECT, ALWAYS, "the database instance, its databases and users"),
    DeployerRole("roles/storage.admin", PROJECT, ALWAYS, "the Flyte buckets and their IAM"),
    DeployerRole("roles/iam.serviceAccountAdmin", PROJECT, ALWAYS, "the service accounts and their Workload Identity bindings"),
    DeployerRole("roles/iam.serviceAccountUser", PROJECT, ALWAYS, "runs the node pools as the nodes' service account (actAs)"),
    DeployerRole("roles/iam.roleAdmin", PROJECT, ALWAYS, "the custom storage roles"),
    DeployerRole("roles/resourcemanager.projectIamAdmin", PROJECT, ALWAYS, "project IAM members (the nodes' logging and metrics role)"),
    DeployerRole("roles/artifactregistry.admin", PROJECT, ALWAYS, "the Docker repository and its IAM"),
    DeployerRole("roles/monitoring.editor", PROJECT, OBSERVE, "the dashboard, notification channels, alert policies and the uptime check"),
    DeployerRole("roles/dns.admin", DNS_PROJECT, DNS_ZONE, "reads the zone, writes the A record"),
    DeployerRole("roles/serviceusage.serviceUsageAdmin", DNS_PROJECT, DNS_ZONE, "enables the DNS API there"),
    DeployerRole("roles/resourcemanager.projectIamAdmin", DNS_PROJECT, DNS01, "grants cert-manager's account roles/dns.admin there"),
    DeployerRole("roles/secretmanager.secretAccessor", OIDC_SECRET, OIDC, "the plan reads the OIDC client secret"),
    DeployerRole("roles/storage.objectAdmin", STATE_BUCKET, GCS_STATE, "reads and writes the Terraform state (and its lock)"),
)
