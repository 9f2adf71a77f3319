"""What the node pools can run: config checks, Flyte's task limits and quotas derived from the pools.

Pure (no CDKTF): the config validator calls `problems()` so a pool that GKE or Flyte
would reject fails at synth time with its field path, and the platform layer calls
`task_limits()` / `pool_traits()` so Flyte's configuration follows
the pools instead of drifting from them.

Headroom: a node's allocatable capacity is its machine's minus GKE's documented
reservation for the kubelet and system (memory: 25% of the first 4 GiB, 20% of the
next 4, 10% of the next 8, 6% of the next 112, 2% above 128, plus 100 MiB eviction
threshold; CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25%
above four), minus `DAEMONSET_CPU` / `DAEMONSET_MEMORY_GIB` for GKE's own DaemonSets
(logging, metrics, Dataplane V2, metadata server, GPU device plugin). Derived limits are
rounded down to 100m CPU and 256 MiB, so a task at the limit fits on an empty node.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flyte_gcp.facts.accelerators import GPUS, MACHINES, family_gpu, pairing_problem
from flyte_gcp.config.model import Config
from flyte_gcp.config.names import GENERAL_NODE_POOL
from flyte_gcp.config.types import quantity


DAEMONSET_CPU = 0.5
DAEMONSET_MEMORY_GIB = 1.0
BOOT_DISK_GIB = 100  # GKE's default boot disk; task scratch lives there without local SSDs
LOCAL_SSD_GIB = 375
NO_GPU_POOL_GPU_LIMIT = 1  # flyteadmin's own default; 0 would switch the check off
@dataclass(frozen=True)
class TaskLimits:
    """flyteadmin's platform task limits, as Kubernetes quantities; None: no limit set."""

    cpu: str
    memory: str
    gpu: int
    ephemeral_storage: str | None = None


@dataclass(frozen=True)
class PoolTraits:
    """What Flyte's scheduling configuration needs to know about one extra pool."""

    name: str
    accelerator: str | None = None
    partition_size: str | None = None
    spot: bool = False


def allocatable(machine_type: str) -> tuple[float, float] | None:
    """(cores, GiB) a task can use on an otherwise empty node, or None for an unknown type."""
    machine = MACHINES.get(machine_type)
    if machine is None:
        return None
    cpu_steps = ((1, 0.06), (1, 0.01), (2, 0.005), (math.inf, 0.0025))
    mem_steps = ((4, 0.25), (4, 0.20), (8, 0.10), (112, 0.06), (math.inf, 0.02))
    return (
        machine.cpus - _tiered(machine.cpus, cpu_steps) - DAEMONSET_CPU,
        machine.memory_gib - _tiered(machine.memory_gib, mem_steps) - 100 / 1024 - DAEMONSET_MEMORY_GIB,
    )


def _tiered(total: float, steps: tuple[tuple[float, float], ...]) -> float:
    reserved, left = 0.0, total
    for size, rate in steps:
        part = min(left, size)
        reserved += part * rate
        left -= part
    return reserved


def _gpus_per_node(pool) -> int:
    accelerator = pool.accelerator
    if accelerator is None:
        return 0
    per_gpu = GPUS[accelerator.type].partitions.get(accelerator.partition_size, 1) if accelerator.partition_size else 1
    return accelerator.count * per_gpu


def _machines(c: Config) -> list[tuple[str, str]]:
    """(field path, machine type) of every pool, the general one first."""
    return [("gke.machine_type", c.gke.machine_type)] + [
        (f"gke.node_pools[{i}].machine_type", p.machine_type) for i, p in enumerate(c.gke.node_pools)
    ]


def task_limits(c: Config) -> TaskLimits:
    """The configured limits, each missing one derived from the largest pool (see module doc)."""
    explicit = c.flyte.task_resource_limits
    sizes = [allocatable(m) for _, m in _machines(c)]
    known = [s for s in sizes if s is not None]
    cpu = explicit.cpu if explicit and explicit.cpu else f"{math.floor(max(s[0] for s in known) * 10) * 100}m"
    memory = explicit.memory if explicit and explicit.memory else f"{math.floor(max(s[1] for s in known) * 4) * 256}Mi"
    gpus = max((_gpus_per_node(p) for p in c.gke.node_pools), default=0) or NO_GPU_POOL_GPU_LIMIT
    gpu = explicit.gpu if explicit and explicit.gpu is not None else gpus
    return TaskLimits(cpu=str(cpu), memory=str(memory), gpu=gpu, ephemeral_storage=explicit.ephemeral_storage if explicit else None)


def pool_traits(c: Config) -> tuple[PoolTraits, ...]:
    return tuple(
        PoolTraits(
            name=p.name,
            accelerator=p.accelerator.type if p.accelerator else None,
            partition_size=p.accelerator.partition_size if p.accelerator else None,
            spot=p.spot,
        )
        for p in c.gke.node_pools
    )


def gpu_quota(c: Config) -> dict[str, str]:
    """Compute Engine GPU quota the pools need at max scale: per pool, per quota metric, and the
    global GPUS_ALL_REGIONS (spot included). Spot VMs draw on the PREEMPTIBLE_ metrics. Physical
    GPUs count, so a MIG pool needs its GPUs, not its partitions. Empty without GPU pools."""
    per_pool: dict[str, str] = {}
    totals: dict[str, int] = {}
    for p in c.gke.node_pools:
        if p.accelerator is None:
            continue
        metric = ("PREEMPTIBLE_" if p.spot else "") + GPUS[p.accelerator.type].quota
        gpus = p.accelerator.count * p.max_nodes
        per_pool[p.name] = f"{metric}: {gpus} in {c.region}"
        totals[metric] = totals.get(metric, 0) + gpus
    if not per_pool:
        return {}
    totals_text = {metric: f"{n} in {c.region} (all pools)" for metric, n in totals.items()}
    return {**per_pool, **totals_text, "GPUS_ALL_REGIONS": str(sum(totals.values()))}


def problems(c: Config) -> list[str]:
    """Every reason GKE or Flyte would refuse these pools and limits, each as `field: reason`
    (where the pools run is `placement`'s concern)."""
    found: list[str] = []
    names = [GENERAL_NODE_POOL]
    for i, pool in enumerate(c.gke.node_pools):
        at = f"gke.node_pools[{i}]"
        if pool.name in names:
            found.append(f"{at}.name: {pool.name!r} is already used by another pool (the general pool is {GENERAL_NODE_POOL!r})")
        names.append(pool.name)
        if pool.min_nodes > pool.max_nodes:
            found.append(f"{at}.min_nodes: {pool.min_nodes} is greater than max_nodes ({pool.max_nodes})")
        found += _accelerator_problems(at, pool)
    found += _limit_problems(c)
    return found


def _accelerator_problems(at: str, pool) -> list[str]:
    attached = family_gpu(pool.machine_type)
    accelerator = pool.accelerator
    if accelerator is None:
        if attached:
            return [f"{at}.accelerator: {pool.machine_type} comes with {attached}: declare accelerator {{type: {attached}}}"]
        return []
    problem = pairing_problem(pool.machine_type, accelerator.type, accelerator.count)
    if problem:
        field, reason = problem
        return [f"{at}.accelerator.{field}: {reason}"]
    partitions = GPUS[accelerator.type].partitions
    if accelerator.partition_size is not None and accelerator.partition_size not in partitions:
        if not partitions:
            return [f"{at}.accelerator.partition_size: {accelerator.type} has no multi-instance GPU (MIG) support"]
        return [f"{at}.accelerator.partition_size: {accelerator.partition_size!r} is not a MIG partition of {accelerator.type} ({', '.join(partitions)})"]
    return []


def _limit_problems(c: Config) -> list[str]:
    explicit = c.flyte.task_resource_limits
    found: list[str] = []
    unknown = [(path, m) for path, m in _machines(c) if allocatable(m) is None]
    for key in ("cpu", "memory"):
        if unknown and not (explicit and getattr(explicit, key)):
            path, machine = unknown[0]
            found.append(
                f"flyte.task_resource_limits.{key}: cannot be derived because {path} {machine!r} is not in the machine table "
                "(flyte_gcp/facts/accelerators.py): set it explicitly"
            )
    if found:
        return found
    limits = task_limits(c)
    sizes = {m: allocatable(m) for _, m in _machines(c)}
    if not unknown:
        for index, key, unit in ((0, "cpu", 1), (1, "memory", 2**30)):
            largest = max(s[index] for s in sizes.values())
            if quantity(getattr(limits, key)) > largest * unit:
                found.append(
                    f"flyte.task_resource_limits.{key}: {getattr(limits, key)} is more than any node can allocate "
                    f"(largest: {largest:.2f}{'' if key == 'cpu' else ' GiB'}): such a task would stay Pending"
                )
    gpus = max((_gpus_per_node(p) for p in c.gke.node_pools), default=0)
    if gpus and limits.gpu == 0:
        found.append("flyte.task_resource_limits.gpu: 0 turns flyteadmin's GPU check off although GPU pools exist: set at least 1")
    elif gpus and limits.gpu > gpus:
        found.append(f"flyte.task_resource_limits.gpu: {limits.gpu} is more than any node has (largest: {gpus}): such a task would stay Pending")
    if limits.ephemeral_storage is not None:
        disk = max([BOOT_DISK_GIB] + [p.local_ssd_count * LOCAL_SSD_GIB for p in c.gke.node_pools])
        if quantity(limits.ephemeral_storage) > disk * 2**30:
            found.append(f"flyte.task_resource_limits.ephemeral_storage: {limits.ephemeral_storage} is more than any node's disk ({disk} GiB)")
    found += _quota_problems(c, limits)
    return found


def _quota_problems(c: Config, limits: TaskLimits) -> list[str]:
    quotas = c.flyte.domain_quotas or {}
    if quotas and c.chart != "flyte-core":
        return ["flyte.domain_quotas: only the flyte-core chart creates per-domain ResourceQuotas"]
    found = []
    for domain, quota in quotas.items():
        if domain not in c.flyte_domains:
            found.append(f"flyte.domain_quotas.{domain}: not one of flyte_domains")
            continue
        for key in ("cpu", "memory"):
            if quantity(getattr(quota, key)) < quantity(getattr(limits, key)):
                found.append(
                    f"flyte.domain_quotas.{domain}.{key}: {getattr(quota, key)} is below the task limit {getattr(limits, key)}: "
                    "the namespace's ResourceQuota would refuse a task at the limit"
                )
    return found
