"""Flyte's scheduling configuration, derived from the node pools (partial chart values, pure).

Flyte's K8s plugin defaults name AWS node labels (`k8s.amazonaws.com/accelerator`): on
GKE a task with `accelerator=T4` would require a label no node has and stay Pending.
Here the plugin config names GKE's labels, tolerates the taints the pools carry, sends
interruptible tasks to spot pools and keeps the others off them, and flyteadmin's task
limits are what the pools can run (`capacity.task_limits`). One function per chart
returns a partial values dict that `values.merge_values` merges into the builder's.

Spot settings appear only with a spot pool: an interruptible task is required onto spot
nodes, so without one it would have nowhere to run. Flyte's default
`interruptible-failure-threshold` (-1) is kept: the last retry of an interruptible task
runs non-interruptible, on on-demand nodes, so a spot eviction never fails the task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flyte_gcp.config.capacity import PoolTraits, TaskLimits

GPU_LABEL = "cloud.google.com/gke-accelerator"
PARTITION_LABEL = "cloud.google.com/gke-gpu-partition-size"
SPOT_LABEL = "cloud.google.com/gke-spot"
GPU_RESOURCE = "nvidia.com/gpu"


def k8s_plugin(pools: Sequence[PoolTraits]) -> dict[str, Any]:
    """`plugins.k8s` keys (flytek8s config.K8sPluginConfig, v1.16.8)."""
    config: dict[str, Any] = {"gpu-device-node-label": GPU_LABEL, "gpu-partition-size-node-label": PARTITION_LABEL}
    if any(p.accelerator for p in pools):
        # GKE taints GPU nodes nvidia.com/gpu=present:NoSchedule; tolerate it without relying on
        # GKE's ExtendedResourceToleration admission plugin.
        config["resource-tolerations"] = {GPU_RESOURCE: [{"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}]}
    if any(p.spot for p in pools):
        config["interruptible-tolerations"] = [{"key": SPOT_LABEL, "operator": "Equal", "value": "true", "effect": "NoSchedule"}]
        config["interruptible-node-selector-requirement"] = {"key": SPOT_LABEL, "operator": "In", "values": ["true"]}
        config["non-interruptible-node-selector-requirement"] = {"key": SPOT_LABEL, "operator": "DoesNotExist"}
    return config


def task_resource_limits(limits: TaskLimits) -> dict[str, Any]:
    """flyteadmin `task_resources.limits` (interfaces.TaskResourceSet json keys)."""
    out: dict[str, Any] = {"cpu": limits.cpu, "memory": limits.memory, "gpu": limits.gpu}
    if limits.ephemeral_storage:
        out["ephemeralStorage"] = limits.ephemeral_storage
    return out


def flyte_core(pools: Sequence[PoolTraits], limits: TaskLimits | None) -> dict[str, Any]:
    """flyte-core: `configmap.k8s.plugins.k8s` and `configmap.task_resource_defaults` (None keeps the chart's limits)."""
    configmap: dict[str, Any] = {"k8s": {"plugins": {"k8s": k8s_plugin(pools)}}}
    if limits is not None:
        configmap["task_resource_defaults"] = {"task_resources": {"limits": task_resource_limits(limits)}}
    return {"configmap": configmap}


def flyte_binary(pools: Sequence[PoolTraits], limits: TaskLimits | None) -> dict[str, Any]:
    """flyte-binary: `configuration.inline.plugins.k8s` and `.task_resources` (None keeps flyteadmin's limits)."""
    inline: dict[str, Any] = {"plugins": {"k8s": k8s_plugin(pools)}}
    if limits is not None:
        inline["task_resources"] = {"limits": task_resource_limits(limits)}
    return {"configuration": {"inline": inline}}
