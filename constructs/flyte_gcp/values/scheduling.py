"""Flyte's scheduling configuration, derived from the node pools (partial chart values, pure).

Flyte's K8s plugin defaults name AWS node labels (`k8s.amazonaws.com/accelerator`): on
GKE a task with `accelerator=T4` would require a label no node has and stay Pending.
Here the plugin config names GKE's labels, tolerates the taints the pools carry, sends
interruptible tasks to spot pools and keeps the others off them, and flyteadmin's task
limits are what the pools can run (`capacity.task_limits`). One function per chart
returns a partial values dict that `values.merge_values` merges into the builder's.

Spot settings appear only with a spot pool: an interruptible task is required onto spot
nodes, so without one it would have nowhere to run. Flyte's retry defaults are kept
(flytepropeller v1.16.8 `controller/config`: `interruptible-failure-threshold` -1,
`max-node-retries-system-failures` 3, `ignore-retry-cause` false): a spot eviction is a
system failure, and after three of them the next attempt runs non-interruptible, on
on-demand nodes (`node_exec_context.go`, `isAboveInterruptibleFailureThreshold`).

With spot pools also comes `pod-pending-timeout`. Flyte's default is 0, and then
`DemystifyPending` (flytek8s `pod_helper.go`) reports a pod that no node can take
(`PodScheduled=False, Unschedulable`) as queued, forever: an interruptible task asking for
a GPU type that has no spot pool (its two required node conditions, spot and GPU type,
match no node) would wait without a word. With the timeout, such an attempt fails as a
retryable user error (`PodPendingTimeout`), each retry does the same, and the task fails
visibly after its retries. The value is `POD_PENDING_TIMEOUT`, 30 minutes, measured from
the pod's last condition change: above GKE's cluster autoscaler giving up on a new node
(`max-node-provision-time`, 15 minutes) plus a GPU node's driver installation and a large
image pull, so a pod waiting for a node from zero is not failed. Its cost: a task that waits
longer than that for capacity (the pool at `max_nodes`, no GPU quota, a spot stockout)
also fails that attempt instead of waiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flyte_gcp.config.capacity import PoolTraits, TaskLimits

GPU_LABEL = "cloud.google.com/gke-accelerator"
PARTITION_LABEL = "cloud.google.com/gke-gpu-partition-size"
SPOT_LABEL = "cloud.google.com/gke-spot"
GPU_RESOURCE = "nvidia.com/gpu"
POD_PENDING_TIMEOUT = "30m"
"""flytek8s `pod-pending-timeout` with spot pools (see the module docstring for the value)."""


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
        config["pod-pending-timeout"] = POD_PENDING_TIMEOUT
    return config


def warnings(pools: Sequence[PoolTraits]) -> list[str]:
    """What the synth summary says about GPU types whose tasks these pools cannot always place.

    Only with spot pools: without them no spot setting is written and interruptible tasks
    run like the others. A GPU type with spot pools only leaves the non-interruptible
    attempt that follows three evictions without a node; a GPU type without a spot pool
    leaves every interruptible attempt asking for it without one (each fails after
    `POD_PENDING_TIMEOUT`).
    """
    if not any(p.spot for p in pools):
        return []
    found = []
    for gpu in sorted({p.accelerator for p in pools if p.accelerator}):
        spot = [p.name for p in pools if p.accelerator == gpu and p.spot]
        on_demand = [p.name for p in pools if p.accelerator == gpu and not p.spot]
        if not on_demand:
            found.append(
                f"{gpu} has spot pools only ({', '.join(spot)}): after three spot evictions a task's next attempt is not "
                f"interruptible and no node takes it (it fails after pod-pending-timeout, {POD_PENDING_TIMEOUT}); "
                f"add an on-demand pool of {gpu} (min_nodes: 0 costs nothing while idle)"
            )
        elif not spot:
            found.append(
                f"{gpu} has no spot pool: an interruptible task requesting it matches no node, and each attempt fails "
                f"after pod-pending-timeout ({POD_PENDING_TIMEOUT}); run such tasks with interruptible=False, "
                f"or add a spot pool of {gpu}"
            )
    return found


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
