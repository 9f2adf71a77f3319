"""A scheduling model: which node pools can a pod land on?

Nodes come from the synthesized `google_container_node_pool` resources, with the labels
and taints GKE adds on top of the declared ones. Task pods are built the way Flyte's K8s
plugin builds them (flytek8s `UpdatePod`, `GetPodTolerations`, `ApplyGPUNodeSelectors`,
v1.16.8) from the plugin config rendered into the synthesized `helm_release`, plus the
toleration GKE's admission adds to pods requesting `nvidia.com/gpu`. A pod lands on a
pool when its node selector and required node affinity match the node's labels and it
tolerates every NoSchedule/NoExecute taint, and the node has `nvidia.com/gpu` when the
pod requests it. CPU and memory fit is not modelled.

`attempts` follows a task through its attempts as flytepropeller v1.16.8 runs them, with the
retry settings the charts leave at Flyte's defaults: which attempts are interruptible
(`node_exec_context.go`: after `max-node-retries-system-failures` (3) system failures, with
`interruptible-failure-threshold` -1 and `ignore-retry-cause` false, the next attempt is not),
what a pod no node takes does (`pod_helper.go` `DemystifyPending`: queued forever without
`pod-pending-timeout`, else a retryable *user* failure), and which failures are retried
(`executor.go` `isEligibleForRetry`: user failures against the task's retries, spot
evictions, system failures, against the system budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from support import block, helm_values, resources

NODEPOOL = "cloud.google.com/gke-nodepool"
ACCELERATOR = "cloud.google.com/gke-accelerator"
PARTITION = "cloud.google.com/gke-gpu-partition-size"
SPOT = "cloud.google.com/gke-spot"
GPU = "nvidia.com/gpu"
# Flyte's defaults when the config leaves the keys out (flytek8s/config/config.go).
AWS_ACCELERATOR = "k8s.amazonaws.com/accelerator"
AWS_PARTITION = "k8s.amazonaws.com/gpu-partition-size"
EFFECTS = {"NO_SCHEDULE": "NoSchedule", "PREFER_NO_SCHEDULE": "PreferNoSchedule", "NO_EXECUTE": "NoExecute"}


@dataclass(frozen=True)
class Node:
    pool: str
    labels: dict[str, str]
    taints: tuple[tuple[str, str, str], ...]
    has_gpus: bool = False


@dataclass
class Pod:
    tolerations: list[dict[str, Any]] = field(default_factory=list)
    node_selector: dict[str, str] = field(default_factory=dict)
    requirements: list[dict[str, Any]] = field(default_factory=list)
    """One required node selector term: its match expressions (ANDed)."""
    gpus: int = 0


def nodes(doc: dict[str, Any]) -> list[Node]:
    """One node per synthesized pool, labelled and tainted as GKE does."""
    pools = list(resources(doc, "google_container_node_pool").values())
    has_gpu_less_pool = any(not block(p["node_config"]).get("guest_accelerator") for p in pools)
    out = []
    for pool in pools:
        config = block(pool["node_config"])
        labels = {**config.get("labels", {}), NODEPOOL: pool["name"]}
        taints = [(t["key"], t["value"], EFFECTS[t["effect"]]) for t in config.get("taint", [])]
        accelerators = config.get("guest_accelerator") or []
        if accelerators:
            labels[ACCELERATOR] = accelerators[0]["type"]
            if accelerators[0].get("gpu_partition_size"):
                labels[PARTITION] = accelerators[0]["gpu_partition_size"]
            if has_gpu_less_pool:
                taints.append((GPU, "present", "NoSchedule"))
        if config.get("spot"):
            labels[SPOT] = "true"
        out.append(Node(pool["name"], labels, tuple(taints), has_gpus=bool(accelerators)))
    return out


def plugin_config(doc: dict[str, Any], chart: str) -> dict[str, Any]:
    """`plugins.k8s` as rendered into the chart's values (empty when not set)."""
    values = helm_values(doc, chart)
    root = values.get("configmap", {}) if chart == "flyte-core" else values.get("configuration", {}).get("inline", {})
    if chart == "flyte-core":
        root = root.get("k8s", {})
    return root.get("plugins", {}).get("k8s", {})


def task_pod(config: dict[str, Any], *, gpus: int = 0, accelerator: str | None = None, partition_size: str | None = None, interruptible: bool = False) -> Pod:
    """The pod Flyte creates for a task, scheduling-wise."""
    pod = Pod(gpus=gpus)
    requested = ["cpu", "memory"] + ([GPU] if gpus else [])
    for resource in requested:  # GetPodTolerations: resource tolerations, interruptible, defaults
        pod.tolerations += config.get("resource-tolerations", {}).get(resource, [])
    if interruptible:
        pod.tolerations += config.get("interruptible-tolerations", [])
    pod.tolerations += config.get("default-tolerations", [])
    pod.node_selector.update(config.get("default-node-selector", {}))
    if interruptible:
        pod.node_selector.update(config.get("interruptible-node-selector", {}))
    requirement = config.get("interruptible-node-selector-requirement" if interruptible else "non-interruptible-node-selector-requirement")
    if requirement:
        pod.requirements.append(requirement)
    if gpus and accelerator:  # ApplyGPUNodeSelectors
        _gpu_constraint(pod, config.get("gpu-device-node-label", AWS_ACCELERATOR), accelerator)
        if partition_size:
            _gpu_constraint(pod, config.get("gpu-partition-size-node-label", AWS_PARTITION), partition_size)
    if gpus:  # GKE's ExtendedResourceToleration admission for pods requesting nvidia.com/gpu
        pod.tolerations.append({"key": GPU, "operator": "Exists", "effect": "NoSchedule"})
    return pod


def _gpu_constraint(pod: Pod, label: str, value: str) -> None:
    pod.requirements.append({"key": label, "operator": "In", "values": [value]})
    pod.tolerations.append({"key": label, "operator": "Equal", "value": value, "effect": "NoSchedule"})


CONTROL_PLANE_POD = Pod()
"""Flyte's, the NGINX Ingress Controller's, cert-manager's and Keycloak's pods: no tolerations, no selectors."""


def _matches(requirement: dict[str, Any], labels: dict[str, str]) -> bool:
    key, operator = requirement["key"], requirement["operator"]
    if operator == "In":
        return labels.get(key) in requirement["values"]
    if operator == "NotIn":
        return labels.get(key) not in requirement["values"]
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    raise AssertionError(f"operator {operator} not modelled")


def _tolerates(toleration: dict[str, Any], taint: tuple[str, str, str]) -> bool:
    key, value, effect = taint
    if toleration.get("effect") and toleration["effect"] != effect:
        return False
    if toleration.get("operator", "Equal") == "Exists":
        return not toleration.get("key") or toleration["key"] == key
    return toleration.get("key") == key and str(toleration.get("value", "")) == value


def can_land(pod: Pod, node: Node) -> bool:
    if pod.gpus and not node.has_gpus:
        return False
    if any(node.labels.get(k) != v for k, v in pod.node_selector.items()):
        return False
    if not all(_matches(r, node.labels) for r in pod.requirements):
        return False
    hard = [t for t in node.taints if t[2] in ("NoSchedule", "NoExecute")]
    return all(any(_tolerates(tol, taint) for tol in pod.tolerations) for taint in hard)


def landing_pools(pod: Pod, doc: dict[str, Any]) -> set[str]:
    return {n.pool for n in nodes(doc) if can_land(pod, n)}


# flytepropeller v1.16.8 defaults (controller/config/config.go); neither chart sets them.
MAX_SYSTEM_RETRIES = 3  # node-config.max-node-retries-system-failures
_DURATION = re.compile(r"^([0-9]+)(s|m|h)$")


def pending_timeout_seconds(config: dict[str, Any]) -> int:
    """`pod-pending-timeout` in seconds; 0 (Flyte's default) when the config leaves it out."""
    value = config.get("pod-pending-timeout")
    if value is None:
        return 0
    number, unit = _DURATION.match(str(value)).groups()
    return int(number) * {"s": 1, "m": 60, "h": 3600}[unit]


def attempts(doc: dict[str, Any], config: dict[str, Any], *, retries: int = 0, evictions: int = 0, interruptible: bool = False, **pod: Any) -> list[str]:
    """What each attempt of a task does: `ran on <pools>`, `evicted from <pools>` (a spot
    preemption, while the attempt is interruptible and `evictions` remain), `timed out pending`,
    `pending forever`; a last `failed` when the retries are spent."""
    timeout = pending_timeout_seconds(config)
    system = user = 0
    out: list[str] = []
    while True:
        # isAboveInterruptibleFailureThreshold(systemFailures, maxSystemRetries + 1, -1)
        spot_allowed = interruptible and system < MAX_SYSTEM_RETRIES
        pools = ", ".join(sorted(landing_pools(task_pod(config, interruptible=spot_allowed, **pod), doc)))
        if not pools:
            if not timeout:
                return [*out, "pending forever"]  # DemystifyPending: Unschedulable is reported as queued
            out.append("timed out pending")  # PhaseInfoRetryableFailureWithCleanup: kind USER
            if user < retries:  # (attempts + 1) - systemFailures < retries + 1
                user += 1
                continue
            return [*out, "failed"]
        if spot_allowed and evictions:
            out.append(f"evicted from {pools}")  # a preemption: PhaseInfoSystemRetryableFailure, kind SYSTEM
            evictions -= 1
            if system < MAX_SYSTEM_RETRIES:
                system += 1
                continue
            return [*out, "failed"]
        return [*out, f"ran on {pools}"]
