"""The edge's Google side: the reserved address, the DNS record, and cert-manager's DNS-01 identity.

A reserved regional external address keeps the IP across controller reinstalls, so the
DNS record (made here when a Cloud DNS zone is configured, by hand otherwise) stays valid.
Every resource waits for the API it calls (compute, dns, iam, cloudresourcemanager).
The zone is read in the foundation layer, before the cluster and the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, Postcondition, TerraformResourceLifecycle, Construct
from flyte_gcp.cdk.toolchain.google.compute_address import ComputeAddress
from flyte_gcp.cdk.toolchain.google.data_google_dns_managed_zone import DataGoogleDnsManagedZone
from flyte_gcp.cdk.toolchain.google.dns_record_set import DnsRecordSet
from flyte_gcp.cdk.toolchain.google.project_iam_member import ProjectIamMember
from flyte_gcp.cdk.toolchain.google.project_service import ProjectService
from flyte_gcp.cdk.toolchain.google.service_account import ServiceAccount
from flyte_gcp.cdk.toolchain.google.service_account_iam_member import ServiceAccountIamMember

from flyte_gcp.config import names
from flyte_gcp.gcp.iam import WORKLOAD_IDENTITY_USER, workload_identity_member

DNS_API = "dns.googleapis.com"
DNS_ADMIN = "roles/dns.admin"
RECORD_TTL = 300
CERT_MANAGER_KSA = ("cert-manager", "cert-manager")  # namespace, name: the chart's KSA for release "cert-manager"


class IngressAddress(Construct):
    """A reserved regional external IPv4 address for the ingress controller's load balancer.

    Props:
      name: the address's name. project_id, region: where (the cluster's region).
      depends_on: the compute API's enablement.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, project_id: str, region: str, depends_on: Sequence[ITerraformDependable]) -> None:
        super().__init__(scope, id)
        self._address = ComputeAddress(
            self,
            "address",
            name=name,
            project=project_id,
            region=region,
            address_type="EXTERNAL",
            network_tier="PREMIUM",
            description="Flyte ingress (NGINX Ingress Controller load balancer).",
            depends_on=list(depends_on),
        )

    @property
    def address(self) -> str:
        return self._address.address


class DnsZoneRecord(Construct):
    """APIs in the zone's project (never disabled), the zone read and checked, and (`add_record`)
    the A record `<hostname>.` -> address.

    The zone's DNS name must be `zone_domain` (the config keeps the host inside it) and the
    zone public: a zone of another domain, or a private one, would take the record without
    complaint while Let's Encrypt and users never see it. What is slow to create (the cluster,
    the database) waits for this read (`zone`), so a wrong zone stops the first apply in seconds.

    Props:
      project: the zone's project. managed_zone: the zone's name.
      zone_domain: the zone's DNS name, without the final dot.
      extra_apis: APIs besides Cloud DNS to enable in the zone's project (for example
        cloudresourcemanager, when a project IAM member is granted there and it is not the
        stack's own project). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, project: str, managed_zone: str, zone_domain: str, extra_apis: Sequence[str] = ()) -> None:
        super().__init__(scope, id)
        self._project = project
        self._apis = [
            ProjectService(
                self, f"{api.split('.')[0]}-api", project=project, service=api, disable_on_destroy=False, disable_dependent_services=False
            )
            for api in (DNS_API, *extra_apis)
        ]
        self._zone = DataGoogleDnsManagedZone(
            self,
            "zone",
            project=project,
            name=managed_zone,
            depends_on=[self._apis[0]],
            lifecycle=TerraformResourceLifecycle(
                postcondition=[
                    Postcondition(
                        condition=f'${{self.dns_name == "{zone_domain}."}}',
                        error_message=(
                            f"Cloud DNS zone {managed_zone} (project {project}) has the DNS name ${{self.dns_name}}, not {zone_domain}.: "
                            "set dns.zone_domain to its DNS name (without the final dot), or dns.managed_zone to the zone of that name."
                        ),
                    ),
                    Postcondition(
                        condition='${self.visibility == "public"}',
                        error_message=f"Cloud DNS zone {managed_zone} is private: Let's Encrypt and users resolve the Flyte host in public DNS.",
                    ),
                ]
            ),
        )

    def add_record(self, *, hostname: str, address: str) -> str:
        """The A record `<hostname>.` -> `address` in the zone (once); returns the record's name."""
        record = DnsRecordSet(
            self,
            "record",
            project=self._project,
            managed_zone=self._zone.name,
            name=f"{hostname}.",
            type="A",
            ttl=RECORD_TTL,
            rrdatas=[address],
            depends_on=[self._apis[0]],
        )
        return record.name

    @property
    def zone(self) -> ITerraformDependable:
        """The zone's read with its checks: what is slow to create waits for it."""
        return self._zone

    @property
    def apis(self) -> list[ProjectService]:
        """The APIs enabled in the zone's project, for what else calls them (cert-manager's DNS-01 grant)."""
        return list(self._apis)


class Dns01Identity(Construct):
    """A GSA for cert-manager with DNS admin on the zone's project, impersonated by its KSA.

    `roles/dns.admin` on the zone's project is what cert-manager documents for its Cloud DNS
    solver; granted with `google_project_iam_member` (not a binding), so other holders stay.

    Props:
      name_prefix: derives the GSA id. project_id: the GSA's project. dns_project: the zone's project.
      workload_pool: `<project>.svc.id.goog` (a reference to the cluster's attribute).
      depends_on: the iam, cloudresourcemanager and dns APIs' enablement.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefix: str,
        project_id: str,
        dns_project: str,
        workload_pool: str,
        depends_on: Sequence[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id)
        self._account = ServiceAccount(
            self,
            "gsa",
            project=project_id,
            account_id=names.service_account_id(name_prefix, "certmanager"),
            display_name=f"cert-manager DNS-01 ({name_prefix})",
            description="cert-manager: answers Let's Encrypt DNS-01 challenges in the Cloud DNS zone of the Flyte host.",
            depends_on=list(depends_on),
        )
        dns_admin = ProjectIamMember(
            self, "dns-admin", project=dns_project, role=DNS_ADMIN, member=self._account.member, depends_on=list(depends_on)
        )
        workload_identity = ServiceAccountIamMember(
            self,
            "workload-identity",
            service_account_id=self._account.name,
            role=WORKLOAD_IDENTITY_USER,
            member=workload_identity_member(workload_pool, *CERT_MANAGER_KSA),
        )
        self._grants = [dns_admin, workload_identity]

    @property
    def email(self) -> str:
        return self._account.email

    @property
    def grants(self) -> list[ITerraformDependable]:
        """DNS admin and Workload Identity: cert-manager's DNS-01 fails (403) until both exist."""
        return list(self._grants)
