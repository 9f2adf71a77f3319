"""Google service accounts, least-privilege custom roles and Workload Identity; mirrors iam.tf.

Beats the reference on least privilege:
- storage roles are granted on the Flyte bucket(s), never on the project;
- URL signing is the token-creator role on flyteadmin's own service account, not
  `iam.serviceAccounts.signBlob` on every service account of the project;
- no project-level binding is authoritative; the only authoritative binding is the
  workers' Workload Identity list on the workers' own service account, so a namespace
  dropped from the config loses its access.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.google.project_iam_custom_role import ProjectIamCustomRole
from flyte_gcp.cdk.toolchain.google.service_account import ServiceAccount
from flyte_gcp.cdk.toolchain.google.service_account_iam_binding import ServiceAccountIamBinding
from flyte_gcp.cdk.toolchain.google.service_account_iam_member import ServiceAccountIamMember
from flyte_gcp.cdk.toolchain.google.storage_bucket_iam_member import StorageBucketIamMember

from flyte_gcp.config import names

WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"
WORKERS = "flyteworkers"
TASK_POD_SERVICE_ACCOUNT = "default"

_READ_WRITE = frozenset(
    {
        "storage.buckets.get",
        "storage.objects.create",
        "storage.objects.delete",
        "storage.objects.get",
        "storage.objects.update",
    }
)
_LIST = frozenset({"storage.objects.list"})
_GET_IAM = frozenset({"storage.objects.getIamPolicy"})

# Storage permissions each component needs on the Flyte bucket(s): the reference's sets,
# plus `storage.objects.list` for propeller and the task pods (Flyte 1.14+, deploy-flyte
# PR #40) and get/create/update/delete for datacatalog (flyte#1950).
COMPONENT_PERMISSIONS: Mapping[str, frozenset[str]] = {
    "flyteadmin": _READ_WRITE | _GET_IAM,
    "flytepropeller": _READ_WRITE | _GET_IAM | _LIST,
    "flytescheduler": _READ_WRITE | _GET_IAM,
    "datacatalog": _READ_WRITE,
    WORKERS: _READ_WRITE | _LIST,
}
# flyte-binary runs the whole control plane in one pod: the union of the above.
BACKEND = "flytebackend"
BACKEND_PERMISSIONS = frozenset().union(*(p for c, p in COMPONENT_PERMISSIONS.items() if c != WORKERS))

DESCRIPTIONS = {
    "flyteadmin": "Flyte control plane API (flyteadmin): reads and writes Flyte data, signs download URLs.",
    "flytepropeller": "Flyte workflow engine (flytepropeller): reads and writes workflow data.",
    "flytescheduler": "Flyte native scheduler: reads and writes launch-plan data.",
    "datacatalog": "Flyte datacatalog: reads and writes cached task outputs.",
    WORKERS: "Flyte task pods (default KSA of every project-domain namespace): read and write task data.",
    BACKEND: "Flyte single-binary control plane (flyte-binary): reads and writes Flyte data, signs download URLs.",
}


@dataclass(frozen=True)
class Binding:
    """A Kubernetes service account that impersonates a component's Google service account."""

    component: str
    namespace: str
    ksa: str


class Identity(Construct):
    """A GSA and a custom role per Flyte component, granted on the buckets, bound to its KSA.

    Props:
      name_prefix: derives GSA ids (6-30 chars, shortened deterministically) and role ids.
      project_id: the project holding the roles and accounts.
      bucket_names: the Flyte bucket(s) the components read and write, by a stable key ("data", "rawdata").
      workload_pool: `<project>.svc.id.goog` as a reference to the cluster's attribute.
      control_plane: KSA bindings of the control-plane components (namespace/name per component).
      signer: the component that signs URLs (token creator on its own GSA).
      task_namespaces: every `<project>-<domain>` namespace whose `default` KSA runs task pods.
      depends_on: the enabled APIs (iam, cloudresourcemanager). Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefix: str,
        project_id: str,
        bucket_names: Mapping[str, str],
        workload_pool: str,
        control_plane: Sequence[Binding],
        signer: str,
        task_namespaces: Sequence[str],
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        self._accounts: dict[str, ServiceAccount] = {}
        self._grants: list[ITerraformDependable] = []
        permissions = {b.component: _permissions(b.component) for b in control_plane}
        permissions[WORKERS] = COMPONENT_PERMISSIONS[WORKERS]
        for component, perms in permissions.items():
            account = ServiceAccount(
                self,
                f"{component}-gsa",
                project=project_id,
                account_id=names.service_account_id(name_prefix, component),
                display_name=f"Flyte {component} ({name_prefix})",
                description=DESCRIPTIONS[component],
                depends_on=list(depends_on),
            )
            self._accounts[component] = account
            role = ProjectIamCustomRole(
                self,
                f"{component}-role",
                project=project_id,
                role_id=names.custom_role_id(name_prefix, component),
                title=f"Flyte {component} ({name_prefix})",
                description=f"Storage access of {component} on the Flyte bucket(s) of {name_prefix}.",
                permissions=sorted(perms),
                depends_on=list(depends_on),
            )
            for key, bucket in bucket_names.items():
                bucket_grant = StorageBucketIamMember(
                    self,
                    f"{component}-{key}-bucket",
                    bucket=bucket,
                    role=role.name,
                    member=account.member,
                )
                self._grants.append(bucket_grant)
        for b in control_plane:
            binding = ServiceAccountIamMember(
                self,
                f"{b.component}-workload-identity",
                service_account_id=self._accounts[b.component].name,
                role=WORKLOAD_IDENTITY_USER,
                member=workload_identity_member(workload_pool, b.namespace, b.ksa),
            )
            self._grants.append(binding)
        signer_account = self._accounts[signer]
        signs_urls = ServiceAccountIamMember(
            self,
            f"{signer}-signs-urls",
            service_account_id=signer_account.name,
            role=TOKEN_CREATOR,
            member=signer_account.member,
        )
        self._grants.append(signs_urls)
        workers_binding = ServiceAccountIamBinding(
            self,
            "workers-workload-identity",
            service_account_id=self._accounts[WORKERS].name,
            role=WORKLOAD_IDENTITY_USER,
            members=[workload_identity_member(workload_pool, ns, TASK_POD_SERVICE_ACCOUNT) for ns in task_namespaces],
        )
        self._grants.append(workers_binding)

    def email(self, component: str) -> str:
        """The GSA email of a component, for the `iam.gke.io/gcp-service-account` annotation."""
        return self._accounts[component].email

    @property
    def grants(self) -> list[ITerraformDependable]:
        """Bucket grants, Workload Identity bindings and URL signing: Flyte's pods fail (401/403) until these exist."""
        return list(self._grants)

    @property
    def workers_email(self) -> str:
        return self._accounts[WORKERS].email

    @property
    def workers_member(self) -> str:
        return self._accounts[WORKERS].member


def _permissions(component: str) -> frozenset[str]:
    return BACKEND_PERMISSIONS if component == BACKEND else COMPONENT_PERMISSIONS[component]


def workload_identity_member(workload_pool: str, namespace: str, ksa: str) -> str:
    return f"serviceAccount:{workload_pool}[{namespace}/{ksa}]"
