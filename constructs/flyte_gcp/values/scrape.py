"""What Managed Service for Prometheus scrapes: the `PodMonitoring` objects, and the chart values
that make each chart serve its metrics. Pure functions; no CDKTF.

Each `PodMonitoring` selects the pods of one installed chart by the labels its templates put
on them, and scrapes a port its containers declare (`tests/test_scrape.py` checks both against
data derived from the pinned charts). Sources, read at the pinned versions:

- flyte-core v1.16.8: flyteadmin, flytepropeller, datacatalog and flytescheduler pods carry
  `app.kubernetes.io/name: <component>` and `app.kubernetes.io/instance: <release>`
  (`templates/_helpers.tpl` `*.selectorLabels`); each serves `/metrics` on its profiler port,
  10254 by default, declared as an unnamed container port (`templates/*/deployment.yaml`).
- flyte-binary v1.16.8: one pod, `app.kubernetes.io/{name,instance,component}`; the single
  binary serves `/metrics` (admin and propeller share the default registry) from propeller's
  profiling server on `propeller.prof-port` (`cmd/single/start.go`). The chart declares no
  container port for it (only http, grpc, webhook) and offers no value to add one; managed
  collection scrapes a numeric port whether or not the pod declares it (prometheus-engine
  `pod_config.go`), so the port is set explicitly in the configuration and declared on the
  chart's HTTP Service (`flyte_binary_metrics_values`).
- F5 NGINX Ingress chart 2.6.4: `prometheus.create` adds the container port `prometheus`
  (`prometheus.port`, 9113); `controller.enableLatencyMetrics` adds the upstream response
  histogram with its status `code` (the only source of 5xx counts for NGINX Open Source).
- cert-manager v1.21.1: the controller pod (`app.kubernetes.io/component: controller`) serves
  `/metrics` on the container port `http-metrics` (9402), certificate expiry included.
- keycloakx 7.1.11 (Keycloak 26): `metrics.enabled` sets `KC_METRICS_ENABLED`; Keycloak serves
  `<relativePath>/metrics` on its management port, container port `http-internal` (9000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

API_VERSION = "monitoring.googleapis.com/v1"
METRICS_PATH = "/metrics"
# One sample a minute per series: Managed Service for Prometheus bills per sample.
SCRAPE_INTERVAL = "60s"

FLYTE_METRICS_PORT = 10254
FLYTE_CORE_COMPONENTS = ("flyteadmin", "flytepropeller", "datacatalog", "flytescheduler")
NGINX_METRICS_PORT = 9113
NGINX_METRICS_PORT_NAME = "prometheus"
CERT_MANAGER_METRICS_PORT_NAME = "http-metrics"
KEYCLOAK_CHART_NAME = "keycloakx"
KEYCLOAK_METRICS_PORT_NAME = "http-internal"


@dataclass(frozen=True)
class ScrapeTarget:
    """One PodMonitoring: the pods of `match_labels` in `namespace`, port and path."""

    name: str
    namespace: str
    match_labels: dict[str, str]
    port: int | str
    path: str = METRICS_PATH


def flyte_core_metrics_values() -> dict[str, Any]:
    """flyteadmin's per-RPC latency histogram is off by default (`server.grpc.enableGrpcLatencyMetrics`,
    flyteadmin/pkg/config/config.go); the dashboard's latency chart needs it."""
    return {"configmap": {"adminServer": {"server": {"grpc": {"enableGrpcLatencyMetrics": True}}}}}


def flyte_binary_metrics_values() -> dict[str, Any]:
    """The same histogram, the metrics server's port set explicitly, and that port declared on the
    HTTP Service (`service.extraPorts`: the chart has no value for an extra container port)."""
    metrics_port = {"name": "http-metrics", "port": FLYTE_METRICS_PORT, "targetPort": FLYTE_METRICS_PORT, "protocol": "TCP"}
    return {
        "configuration": {
            "inline": {
                "server": {"grpc": {"enableGrpcLatencyMetrics": True}},
                "propeller": {"prof-port": FLYTE_METRICS_PORT},
            }
        },
        "service": {"extraPorts": [metrics_port]},
    }


def nginx_metrics_values() -> dict[str, Any]:
    return {"prometheus": {"create": True, "port": NGINX_METRICS_PORT}, "controller": {"enableLatencyMetrics": True}}


def flyte_targets(*, chart: str, release: str, namespace: str) -> list[ScrapeTarget]:
    """One target per Flyte component pod (flyte-core), or the single pod (flyte-binary)."""
    if chart == "flyte-core":
        return [
            ScrapeTarget(c, namespace, {"app.kubernetes.io/name": c, "app.kubernetes.io/instance": release}, FLYTE_METRICS_PORT)
            for c in FLYTE_CORE_COMPONENTS
        ]
    labels = {"app.kubernetes.io/name": chart, "app.kubernetes.io/instance": release, "app.kubernetes.io/component": chart}
    return [ScrapeTarget(chart, namespace, labels, FLYTE_METRICS_PORT)]


def edge_targets(*, nginx_namespace: str, nginx_release: str, cert_manager_namespace: str, cert_manager_release: str) -> list[ScrapeTarget]:
    nginx = {"app.kubernetes.io/name": "nginx-ingress", "app.kubernetes.io/instance": nginx_release}
    cert_manager = {
        "app.kubernetes.io/name": "cert-manager",
        "app.kubernetes.io/instance": cert_manager_release,
        "app.kubernetes.io/component": "controller",
    }
    return [
        ScrapeTarget("nginx-ingress", nginx_namespace, nginx, NGINX_METRICS_PORT_NAME),
        ScrapeTarget("cert-manager", cert_manager_namespace, cert_manager, CERT_MANAGER_METRICS_PORT_NAME),
    ]


def keycloak_target(*, namespace: str, release: str, relative_path: str) -> ScrapeTarget:
    labels = {"app.kubernetes.io/name": KEYCLOAK_CHART_NAME, "app.kubernetes.io/instance": release}
    return ScrapeTarget("keycloak", namespace, labels, KEYCLOAK_METRICS_PORT_NAME, f"{relative_path.rstrip('/')}{METRICS_PATH}")


def pod_monitoring(target: ScrapeTarget) -> dict[str, Any]:
    """The PodMonitoring manifest; its name becomes the `job` label of every series it scrapes
    (prometheus-engine `pkg/operator/apis/monitoring/v1/pod_config.go`), which the alerts use."""
    return {
        "apiVersion": API_VERSION,
        "kind": "PodMonitoring",
        "metadata": {"name": target.name, "namespace": target.namespace},
        "spec": {
            "selector": {"matchLabels": dict(target.match_labels)},
            "endpoints": [{"port": target.port, "path": target.path, "interval": SCRAPE_INTERVAL}],
        },
    }


def pod_monitoring_yaml(target: ScrapeTarget) -> str:
    return yaml.safe_dump(pod_monitoring(target), sort_keys=False)
