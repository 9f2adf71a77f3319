"""GKE monitoring facts: the order in which the API returns `enable_components`, and what they cost.

`enable_components` is a `TypeList` in provider 6.50.0 (`resource_container_cluster.go`,
`monitoring_config.enable_components`), so its order is compared on every plan. The GKE API
returns the components in the order of its enum (container v1 discovery document,
`MonitoringComponentConfig.enableComponents`; read 2026-12 at
googleapis/google-api-go-client `container/v1/container-api.json`), whatever order was sent:
a list written in another order shows a diff on every plan (reported with that API order in
terraform-google-kubernetes-engine#2584 and cluster-toolkit#6331; the provider turns the field
into a set only in its 8.0.0 line, magic-modules#18262). So the stack writes them in this order.
"""

from __future__ import annotations

# The enum order of MonitoringComponentConfig.enableComponents (COMPONENT_UNSPECIFIED left out).
GKE_MONITORING_COMPONENT_ORDER = (
    "SYSTEM_COMPONENTS",
    "APISERVER",
    "SCHEDULER",
    "CONTROLLER_MANAGER",
    "STORAGE",
    "HPA",
    "POD",
    "DAEMONSET",
    "DEPLOYMENT",
    "STATEFULSET",
    "CADVISOR",
    "KUBELET",
    "DCGM",
    "JOBSET",
)

# What the stack collects. System metrics (`SYSTEM_COMPONENTS`, `kubernetes.io/*`) are free; the
# kube state packages and DCGM are Managed Service for Prometheus samples (billed). POD, DEPLOYMENT
# and STATEFULSET answer "is the control plane running, is a task Pending"; DCGM only where
# there are GPUs (GKE docs, "Collect and view DCGM metrics": it needs GPU nodes with
# Google-managed drivers, which the node pools install).
COLLECTED_COMPONENTS = ("SYSTEM_COMPONENTS", "POD", "DEPLOYMENT", "STATEFULSET")
GPU_COMPONENTS = ("DCGM",)

# Google Cloud Observability pricing (cloud.google.com/stackdriver/pricing, read 2026-12):
# Managed Service for Prometheus samples, first 50 billion samples a month.
PROMETHEUS_USD_PER_MILLION_SAMPLES = 0.06


def enabled_components(*, gpus: bool) -> list[str]:
    """The components to enable, in the API's own order (so the second plan shows no diff)."""
    wanted = set(COLLECTED_COMPONENTS) | (set(GPU_COMPONENTS) if gpus else set())
    return [c for c in GKE_MONITORING_COMPONENT_ORDER if c in wanted]
