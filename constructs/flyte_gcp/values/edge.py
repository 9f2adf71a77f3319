"""Helm values of the public edge: the F5 NGINX Ingress Controller, cert-manager, and the
ingress part of both Flyte charts. Plain dicts from plain strings; no CDKTF import.

One hostname serves the console, the HTTP API and the gRPC API. The F5 controller lets
only one Ingress own a host unless they are "mergeable": the stack creates the master
Ingress (host, TLS, HTTPS redirect, `/console` as the root; see `ingress.py`), and every
Ingress with paths for the host is a minion (one rule, paths, no TLS, no server-wide
annotation). That covers Flyte's HTTP and gRPC Ingresses and cert-manager's HTTP-01
solver Ingress.

Chart templates read for this (Flyte v1.16.8):
- flyte-core `templates/common/ingress.yaml`: Ingress `flyte` with `common.ingress.annotations`,
  and with `separateGrpcIngress` Ingress `flyte-grpc` with those annotations merged with
  `separateGrpcIngressAnnotations` (sprig `merge`: the common map wins on a repeated key),
  both with TLS only when `common.ingress.tls.enabled`. HTTP backends: `flyteadmin:80` and
  `flyteconsole:80`; gRPC backends: `flyteadmin:81`.
- flyte-binary `templates/ingress/http.yaml` and `grpc.yaml`: Ingresses `<fullname>-http` and
  `<fullname>-grpc` with `ingress.commonAnnotations` plus `httpAnnotations` / `grpcAnnotations`,
  TLS only when `ingress.tls` (or `httpTls` / `grpcTls`) is non-empty; backends
  `<fullname>-http:8088` and `<fullname>-grpc:8089`.
The flyte-core chart's defaults carry community ingress-nginx annotations; the F5 controller
ignores `nginx.ingress.kubernetes.io/*` silently, so they are removed (a `null` user value
deletes a chart-default key in Helm) rather than left to mislead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flyte_gcp.values import scrape as values_scrape
from flyte_gcp.values.render import merge_values

INGRESS_CLASS = "nginx"
MERGEABLE_TYPE = "nginx.org/mergeable-ingress-type"
GRPC_SERVICES = "nginx.org/grpc-services"
COMMUNITY_ANNOTATION_PREFIX = "nginx.ingress.kubernetes.io/"
WI_ANNOTATION = "iam.gke.io/gcp-service-account"  # as in `values` (which imports this module, not the reverse)

# The Service behind the gRPC routes of each chart (names fixed by the chart templates; the
# Flyte release is named after its chart, so flyte-binary's fullname is `flyte-binary`).
FLYTE_CORE_GRPC_SERVICE = "flyteadmin"
FLYTE_BINARY_GRPC_SERVICE = "flyte-binary-grpc"

# flyte-core v1.16.8 values.yaml defaults under common.ingress, all community annotations.
FLYTE_CORE_DEFAULT_ANNOTATIONS = ("nginx.ingress.kubernetes.io/app-root", "nginx.ingress.kubernetes.io/service-upstream")
FLYTE_CORE_DEFAULT_GRPC_ANNOTATIONS = ("nginx.ingress.kubernetes.io/backend-protocol",)

MINION = {MERGEABLE_TYPE: "minion"}


def _removed(keys: Sequence[str]) -> dict[str, None]:
    return {key: None for key in keys}


def flyte_core_ingress(hostname: str) -> dict[str, Any]:
    """Both Flyte Ingresses as minions for `hostname`; the gRPC one marked for gRPC; no TLS."""
    return {
        "common": {
            "ingress": {
                "ingressClassName": INGRESS_CLASS,
                "host": hostname,
                "separateGrpcIngress": True,
                "annotations": {**_removed(FLYTE_CORE_DEFAULT_ANNOTATIONS), **MINION},
                "separateGrpcIngressAnnotations": {
                    **_removed(FLYTE_CORE_DEFAULT_GRPC_ANNOTATIONS),
                    GRPC_SERVICES: FLYTE_CORE_GRPC_SERVICE,
                },
                "tls": {"enabled": False},
            }
        }
    }


def flyte_binary_ingress(hostname: str) -> dict[str, Any]:
    """Both Flyte Ingresses as minions for `hostname`; the gRPC one marked for gRPC; no TLS."""
    return {
        "ingress": {
            "create": True,
            "host": hostname,
            "separateGrpcIngress": True,
            "ingressClassName": INGRESS_CLASS,
            "commonAnnotations": dict(MINION),
            "grpcAnnotations": {GRPC_SERVICES: FLYTE_BINARY_GRPC_SERVICE},
        }
    }


def nginx_ingress_values(*, load_balancer_ip: str, source_ranges: Sequence[str]) -> dict[str, Any]:
    """The F5 controller (chart nginx-ingress): class `nginx`, HTTP/2 for gRPC, a fixed address.

    Snippets stay off (`nginx.org/app-root` does the console redirect without them: a
    snippet is raw NGINX configuration from any Ingress author). Only Ingress objects are
    served, so the controller's custom resources are off (the release skips their CRDs).
    Telemetry reporting to F5 is off. No tolerations: the controller never lands on spot nodes.
    Prometheus metrics and the upstream latency histogram are on (`values_scrape`).
    """
    return merge_values(_controller_values(load_balancer_ip, source_ranges), values_scrape.nginx_metrics_values())


def _controller_values(load_balancer_ip: str, source_ranges: Sequence[str]) -> dict[str, Any]:
    return {
        "controller": {
            "ingressClass": {"name": INGRESS_CLASS, "create": True, "setAsDefaultIngress": True},
            # HTTP/2 for gRPC. Larger proxy buffers: the login responses of Keycloak and of
            # flyteadmin's /callback carry token cookies that outgrow NGINX's 4k/8k default header
            # buffer ("upstream sent too big header", a 502 at login).
            "config": {"entries": {"http2": "true", "proxy-buffer-size": "16k", "proxy-buffers": "8 16k"}},
            "enableCustomResources": False,
            "enableSnippets": False,
            "telemetryReporting": {"enable": False},
            "service": {
                "type": "LoadBalancer",
                "externalTrafficPolicy": "Local",
                "loadBalancerIP": load_balancer_ip,
                "loadBalancerSourceRanges": list(source_ranges),
            },
        }
    }


def cert_manager_values(*, dns01_service_account: str | None = None) -> dict[str, Any]:
    """cert-manager with CRDs managed outside Helm; for DNS-01, its KSA impersonates a GSA.

    cloudDNS without a key secret uses ambient credentials (Workload Identity), which
    cert-manager allows for ClusterIssuers only unless `--issuer-ambient-credentials` is set.
    """
    out: dict[str, Any] = {"crds": {"enabled": False, "keep": True}, "prometheus": {"enabled": True}}
    if dns01_service_account is not None:
        out["serviceAccount"] = {"annotations": {WI_ANNOTATION: dns01_service_account}}
        out["extraArgs"] = ["--issuer-ambient-credentials=true"]
    return out
