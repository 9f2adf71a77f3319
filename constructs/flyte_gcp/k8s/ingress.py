"""The in-cluster edge: namespaces, the F5 NGINX Ingress Controller, the master Ingress for the
Flyte host, and cert-manager (see `certificates.py`).

The controller (chart `nginx-ingress`) replaces the retired community ingress-nginx. It lets
one Ingress own a host unless they are mergeable: the master Ingress made here holds the
host, the TLS secret and the server-wide settings (HTTPS redirect, `/console` as the root);
Flyte's HTTP and gRPC Ingresses and cert-manager's HTTP-01 solver Ingress are its minions
(see `values_edge.py`).

`/console` as the root: `nginx.org/app-root` (a master-only annotation of the F5 controller
since v5.4.0) makes NGINX answer `/` with a 302 to `/console`. The alternative, a
`nginx.org/server-snippets` redirect, needs snippets enabled in the controller, which lets
any Ingress author inject raw NGINX configuration; so snippets stay off.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml
from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct, namespace_metadata, namespace_name
from flyte_gcp.cdk.toolchain.helm.release import Release
from flyte_gcp.cdk.toolchain.kubernetes.namespace_v1 import NamespaceV1
from imports.kubectl import Manifest

from flyte_gcp.values import edge as values_edge
from flyte_gcp.k8s.certificates import CloudDns, add_cert_manager
from flyte_gcp.values.flyte import TLS_SECRET_NAME
from flyte_gcp.facts.versions import NGINX_INGRESS_REPOSITORY, NGINX_INGRESS_VERSION

CONTROLLER_NAMESPACE = "nginx-ingress"
MASTER_INGRESS_NAME = "flyte-master"
APP_ROOT = "/console"


def master_ingress_manifest(*, namespace: str, hostname: str) -> str:
    """The master Ingress: host and TLS, no paths; HTTPS redirect and the app root."""
    return yaml.safe_dump(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": MASTER_INGRESS_NAME,
                "namespace": namespace,
                "annotations": {
                    values_edge.MERGEABLE_TYPE: "master",
                    "nginx.org/ssl-redirect": "true",
                    "nginx.org/app-root": APP_ROOT,
                },
            },
            "spec": {
                "ingressClassName": values_edge.INGRESS_CLASS,
                "tls": [{"hosts": [hostname], "secretName": TLS_SECRET_NAME}],
                "rules": [{"host": hostname}],
            },
        },
        sort_keys=False,
    )


class ClusterAddons(Construct):
    """Namespaces, the ingress controller, the master Ingress, cert-manager, issuer and certificate.

    Props:
      flyte_namespace: where Flyte, the master Ingress, the issuer and the TLS secret live.
      hostname: the Flyte hostname (master Ingress, certificate).
      email: Let's Encrypt account contact.
      acme_server: "production" or "staging". Default: "production".
      load_balancer_ip: the reserved address for the controller's load balancer (a reference).
      source_ranges: the load balancer's source ranges (who may connect).
      dns01: DNS-01 through Cloud DNS; None: HTTP-01 through the controller.
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
        load_balancer_ip: str,
        source_ranges: Sequence[str],
        acme_server: str = "production",
        dns01: CloudDns | None = None,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        namespaces = {}
        # "ingress-namespace" keeps the id it had under the retired controller: renaming the
        # namespace replaces it (destroy, then create), which orders the upgrade: the old release
        # (and its IngressClass `nginx`) is gone before the new chart creates the class again.
        for key, name in (("flyte", flyte_namespace), ("ingress", CONTROLLER_NAMESPACE), ("cert-manager", "cert-manager")):
            namespaces[key] = NamespaceV1(
                self, f"{key}-namespace", metadata=namespace_metadata(name=name), depends_on=list(depends_on)
            )
        self._flyte_namespace = namespaces["flyte"]
        controller_values = values_edge.nginx_ingress_values(load_balancer_ip=load_balancer_ip, source_ranges=source_ranges)
        self._controller = Release(
            self,
            "nginx-ingress",
            name="nginx-ingress",
            repository=NGINX_INGRESS_REPOSITORY,
            chart="nginx-ingress",
            version=NGINX_INGRESS_VERSION,
            namespace=namespace_name(namespaces["ingress"]),
            values=[yaml.safe_dump(controller_values, sort_keys=False)],
            # The chart's CRDs serve its own resources (VirtualServer, Policy, ...), which are off.
            skip_crds=True,
        )
        self._master = Manifest(
            self,
            "master-ingress",
            yaml_body=master_ingress_manifest(namespace=flyte_namespace, hostname=hostname),
            depends_on=[self._controller, self._flyte_namespace],
        )
        self._issuer, self._certificate = add_cert_manager(
            self,
            namespace=namespace_name(namespaces["cert-manager"]),
            flyte_namespace=flyte_namespace,
            hostname=hostname,
            email=email,
            acme_server=acme_server,
            dns01=dns01,
            crds_after=depends_on,
            issuer_after=[self._flyte_namespace],
        )

    @property
    def flyte_namespace(self) -> str:
        """The Flyte namespace's name, as a reference (so users of it wait for it)."""
        return namespace_name(self._flyte_namespace)

    @property
    def ready(self) -> list[ITerraformDependable]:
        """What the Flyte release must wait for: the controller, the master Ingress, the issuer and the certificate."""
        return [self._controller, self._master, self._issuer, self._certificate]
