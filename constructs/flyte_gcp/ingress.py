"""NGINX ingress controller and cert-manager with a Let's Encrypt issuer; mirrors ingress.tf.

cert-manager's CRDs come from the official release manifest of the pinned version,
fetched by Terraform at plan time and applied document by document, so Helm never
owns their lifecycle (the seed's rule). The TLS certificate for the Flyte hostname is
an explicit `Certificate`: with the issuer annotation on both Flyte ingresses, the
HTTP-01 challenge can land on the gRPC ingress and fail.
"""

from __future__ import annotations

from collections.abc import Sequence

import flyte_gcp.providers  # noqa: F401  (loads provider packages the fast way)
import yaml
from cdktf import ITerraformDependable, Postcondition, TerraformIterator, TerraformResourceLifecycle
from cdktf_cdktf_provider_helm.release import Release
from cdktf_cdktf_provider_http.data_http import DataHttp
from cdktf_cdktf_provider_kubernetes.namespace_v1 import NamespaceV1, NamespaceV1Metadata
from constructs import Construct
from imports.kubectl import FileDocuments, Manifest

from flyte_gcp.values import INGRESS_CLASS, TLS_SECRET_NAME
from flyte_gcp.versions import (
    CERT_MANAGER_CRDS_URL,
    CERT_MANAGER_REPOSITORY,
    CERT_MANAGER_VERSION,
    INGRESS_NGINX_REPOSITORY,
    INGRESS_NGINX_VERSION,
)

ISSUER_NAME = "letsencrypt-production"
ACME_SERVERS = {
    "production": "https://acme-v02.api.letsencrypt.org/directory",
    "staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
}


def issuer_manifest(*, namespace: str, email: str, acme_server: str) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Issuer",
            "metadata": {"name": ISSUER_NAME, "namespace": namespace},
            "spec": {
                "acme": {
                    "server": ACME_SERVERS[acme_server],
                    "email": email,
                    "privateKeySecretRef": {"name": ISSUER_NAME},
                    "solvers": [{"http01": {"ingress": {"ingressClassName": INGRESS_CLASS}}}],
                }
            },
        },
        sort_keys=False,
    )


def certificate_manifest(*, namespace: str, hostname: str) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "metadata": {"name": "flyte-tls", "namespace": namespace},
            "spec": {
                "secretName": TLS_SECRET_NAME,
                "dnsNames": [hostname],
                "issuerRef": {"name": ISSUER_NAME, "kind": "Issuer"},
            },
        },
        sort_keys=False,
    )


class ClusterAddons(Construct):
    """Namespaces, ingress-nginx, cert-manager (CRDs, chart, issuer) and the Flyte certificate.

    Props:
      flyte_namespace: where Flyte, the issuer and the TLS secret live.
      hostname: the Flyte hostname on the certificate.
      email: Let's Encrypt account contact.
      acme_server: "production" or "staging". Default: "production".
      allowed_cidrs: source ranges of the load balancer. Default: the whole internet (`0.0.0.0/0`).
      depends_on: what must exist first (the node pool: charts wait for their pods).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        flyte_namespace: str,
        hostname: str,
        email: str,
        acme_server: str = "production",
        allowed_cidrs: Sequence[str] = ("0.0.0.0/0",),
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        namespaces = {}
        for key, name in (("flyte", flyte_namespace), ("ingress", "ingress-nginx"), ("cert-manager", "cert-manager")):
            namespaces[key] = NamespaceV1(
                self, f"{key}-namespace", metadata=NamespaceV1Metadata(name=name), depends_on=list(depends_on)
            )
        self._flyte_namespace = namespaces["flyte"]
        self._ingress_nginx = Release(
            self,
            "ingress-nginx",
            name="ingress-nginx",
            repository=INGRESS_NGINX_REPOSITORY,
            chart="ingress-nginx",
            version=INGRESS_NGINX_VERSION,
            namespace=namespaces["ingress"].metadata.name,
            values=[
                yaml.safe_dump(
                    {
                        "controller": {
                            "ingressClassResource": {"name": INGRESS_CLASS, "default": True},
                            "ingressClass": INGRESS_CLASS,
                            "service": {"externalTrafficPolicy": "Local", "loadBalancerSourceRanges": list(allowed_cidrs)},
                        }
                    },
                    sort_keys=False,
                )
            ],
        )
        # A failed download must stop the plan: an empty body would apply no CRDs at all.
        crds_manifest = DataHttp(
            self,
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
        crd_documents = FileDocuments(self, "cert-manager-crds-documents", content=crds_manifest.response_body)
        crds = TerraformIterator.from_map(crd_documents.manifests)
        crd_manifests = Manifest(self, "cert-manager-crds", for_each=crds, yaml_body=crds.value, depends_on=list(depends_on))
        cert_manager = Release(
            self,
            "cert-manager",
            name="cert-manager",
            repository=CERT_MANAGER_REPOSITORY,
            chart="cert-manager",
            version=CERT_MANAGER_VERSION,
            namespace=namespaces["cert-manager"].metadata.name,
            values=[yaml.safe_dump({"crds": {"enabled": False, "keep": True}}, sort_keys=False)],
            depends_on=[crd_manifests],
        )
        self._issuer = Manifest(
            self,
            "issuer",
            yaml_body=issuer_manifest(namespace=flyte_namespace, email=email, acme_server=acme_server),
            depends_on=[cert_manager, self._flyte_namespace],
        )
        self._certificate = Manifest(
            self,
            "certificate",
            yaml_body=certificate_manifest(namespace=flyte_namespace, hostname=hostname),
            depends_on=[self._issuer],
        )

    @property
    def flyte_namespace(self) -> str:
        """The Flyte namespace's name, as a reference (so users of it wait for it)."""
        return self._flyte_namespace.metadata.name

    @property
    def ready(self) -> list[ITerraformDependable]:
        """What the Flyte release must wait for: the ingress controller, the issuer and the certificate."""
        return [self._ingress_nginx, self._issuer, self._certificate]
