"""cert-manager (CRDs and chart), the Let's Encrypt `Issuer` and the Flyte `Certificate`.

cert-manager's CRDs come from the official release manifest of the pinned version,
fetched by Terraform at plan time and applied document by document, so Helm never
owns their lifecycle. The TLS certificate for the Flyte hostname is an explicit
`Certificate`: with the issuer annotation on both Flyte Ingresses, the HTTP-01
challenge could land on the gRPC Ingress and fail. It asks for a temporary self-signed
certificate first, so the controller serves TLS (and the master Ingress's HTTPS
redirect works) while DNS propagates and the ACME order completes.

Solver: HTTP-01 when the whole internet may reach the load balancer (its solver Ingress
is a minion of the master Ingress for the host); DNS-01 through Cloud DNS otherwise
(Let's Encrypt publishes no source addresses to allow on port 80).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from flyte_gcp.cdk.toolchain import (
    ITerraformDependable,
    Postcondition,
    TerraformIterator,
    TerraformResourceLifecycle,
    Construct,
)
from flyte_gcp.cdk.toolchain.helm.release import Release
from flyte_gcp.cdk.toolchain.http.data_http import DataHttp
from imports.kubectl import FileDocuments, Manifest

from flyte_gcp.values import edge as values_edge
from flyte_gcp.values.flyte import TLS_SECRET_NAME
from flyte_gcp.facts.versions import CERT_MANAGER_CRDS_URL, CERT_MANAGER_REPOSITORY, CERT_MANAGER_VERSION

CERTIFICATE_NAME = "flyte-tls"
ACME_SERVERS = {
    "production": "https://acme-v02.api.letsencrypt.org/directory",
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
}


@dataclass(frozen=True)
class CloudDns:
    """DNS-01 through a Cloud DNS zone, with cert-manager's KSA impersonating `service_account`."""

    project: str
    managed_zone: str
    service_account: str
    """The GSA email cert-manager's KSA impersonates (Workload Identity)."""
    grants: Sequence[ITerraformDependable] = ()
    """What cert-manager needs before it runs: the GSA's DNS role and Workload Identity binding."""


def issuer_name(acme_server: str) -> str:
    """The Issuer is named after its ACME server (`letsencrypt-staging` / `letsencrypt-production`),
    and so is the secret holding its ACME account key: the two servers' accounts are distinct.
    Switching servers renames it, which replaces the Issuer (kubectl_manifest's `name` is ForceNew)
    and points the Certificate at the new one, so cert-manager issues it again."""
    return f"letsencrypt-{acme_server}"


def issuer_manifest(*, namespace: str, email: str, acme_server: str, dns01: CloudDns | None = None) -> str:
    if dns01 is None:
        solver = {
            "http01": {
                "ingress": {
                    "ingressClassName": values_edge.INGRESS_CLASS,
                    "ingressTemplate": {"metadata": {"annotations": dict(values_edge.MINION)}},
                }
            }
        }
    else:
        solver = {"dns01": {"cloudDNS": {"project": dns01.project, "hostedZoneName": dns01.managed_zone}}}
    return yaml.safe_dump(
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Issuer",
            "metadata": {"name": issuer_name(acme_server), "namespace": namespace},
            "spec": {
                "acme": {
                    "server": ACME_SERVERS[acme_server],
                    "email": email,
                    "privateKeySecretRef": {"name": issuer_name(acme_server)},
                    "solvers": [solver],
                }
            },
        },
        sort_keys=False,
    )


def certificate_manifest(*, namespace: str, hostname: str, acme_server: str) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "metadata": {
                "name": CERTIFICATE_NAME,
                "namespace": namespace,
                "annotations": {"cert-manager.io/issue-temporary-certificate": "true"},
            },
            "spec": {
                "secretName": TLS_SECRET_NAME,
                "dnsNames": [hostname],
                "issuerRef": {"name": issuer_name(acme_server), "kind": "Issuer"},
            },
        },
        sort_keys=False,
    )


def add_cert_manager(
    scope: Construct,
    *,
    namespace: str,
    flyte_namespace: str,
    hostname: str,
    email: str,
    acme_server: str,
    dns01: CloudDns | None,
    crds_after: Sequence[ITerraformDependable],
    issuer_after: Sequence[ITerraformDependable],
) -> tuple[Manifest, Manifest]:
    """CRDs, chart, issuer and certificate on `scope` (ids kept from the first release: they are addresses).

    `crds_after`: what the CRDs wait for (the node pool). `issuer_after`: what the issuer
    waits for besides cert-manager (the Flyte namespace). Returns the issuer and the certificate.
    """
    # A failed download must stop the plan: an empty body would apply no CRDs at all.
    crds_manifest = DataHttp(
        scope,
        "cert-manager-crds-manifest",
        url=CERT_MANAGER_CRDS_URL,
        lifecycle=TerraformResourceLifecycle(
            postcondition=[
                Postcondition(
                    condition="${self.status_code == 200}",
                    error_message=f"Could not download the cert-manager {CERT_MANAGER_VERSION} CRDs manifest.",
                )
            ]
        ),
    )
    crd_documents = FileDocuments(scope, "cert-manager-crds-documents", content=crds_manifest.response_body)
    crds = TerraformIterator.from_map(crd_documents.manifests)
    crd_manifests = Manifest(scope, "cert-manager-crds", for_each=crds, yaml_body=crds.value, depends_on=list(crds_after))
    chart_values = values_edge.cert_manager_values(dns01_service_account=dns01.service_account if dns01 else None)
    cert_manager = Release(
        scope,
        "cert-manager",
        name="cert-manager",
        repository=CERT_MANAGER_REPOSITORY,
        chart="cert-manager",
        version=CERT_MANAGER_VERSION,
        namespace=namespace,
        values=[yaml.safe_dump(chart_values, sort_keys=False)],
        depends_on=[crd_manifests, *(dns01.grants if dns01 else ())],
    )
    issuer = Manifest(
        scope,
        "issuer",
        yaml_body=issuer_manifest(namespace=flyte_namespace, email=email, acme_server=acme_server, dns01=dns01),
        depends_on=[cert_manager, *issuer_after],
    )
    certificate = Manifest(
        scope,
        "certificate",
        yaml_body=certificate_manifest(namespace=flyte_namespace, hostname=hostname, acme_server=acme_server),
        depends_on=[issuer],
    )
    return issuer, certificate
