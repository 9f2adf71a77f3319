"""Compute Engine facts the config needs at synth time: machine sizes, GPUs, their pairings.

Pure data and lookups (no CDKTF): the config validators use them to refuse, before
anything is written, a GPU on a machine family that cannot carry it, a wrong GPU count
on a machine type that comes with its GPUs attached, a MIG partition on a GPU without
MIG, and task limits no node could run. Sources: Compute Engine's GPU machine types and
accelerator-optimized machine family pages, GKE's GPU and multi-instance GPU pages,
NVIDIA's MIG user guide. A machine type missing here is not guessed: the config then
asks for explicit `flyte.task_resource_limits`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Machine:
    cpus: int
    memory_gib: float
    gpus: int = 0
    """GPUs that come attached to the machine type (A2, A3, G2); 0 for machines that take attached GPUs or none."""


def _family(prefix: str, gib_per_cpu: float, sizes: tuple[int, ...]) -> dict[str, Machine]:
    return {f"{prefix}-{n}": Machine(n, n * gib_per_cpu) for n in sizes}


MACHINES: dict[str, Machine] = {
    **_family("e2-standard", 4, (2, 4, 8, 16, 32)),
    **_family("e2-highmem", 8, (2, 4, 8, 16)),
    **_family("e2-highcpu", 1, (2, 4, 8, 16, 32)),
    **_family("n1-standard", 3.75, (1, 2, 4, 8, 16, 32, 64, 96)),
    **_family("n1-highmem", 6.5, (2, 4, 8, 16, 32, 64, 96)),
    **_family("n1-highcpu", 0.9, (2, 4, 8, 16, 32, 64, 96)),
    **_family("n2-standard", 4, (2, 4, 8, 16, 32, 48, 64, 80, 96, 128)),
    **_family("n2-highmem", 8, (2, 4, 8, 16, 32, 48, 64, 80, 96)),
    **_family("n2-highcpu", 1, (2, 4, 8, 16, 32, 48, 64, 80, 96)),
    **_family("n2d-standard", 4, (2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224)),
    # G2: NVIDIA L4 attached.
    "g2-standard-4": Machine(4, 16, 1),
    "g2-standard-8": Machine(8, 32, 1),
    "g2-standard-12": Machine(12, 48, 1),
    "g2-standard-16": Machine(16, 64, 1),
    "g2-standard-24": Machine(24, 96, 2),
    "g2-standard-32": Machine(32, 128, 1),
    "g2-standard-48": Machine(48, 192, 4),
    "g2-standard-96": Machine(96, 384, 8),
    # A2 (A100 40GB) and A2 Ultra (A100 80GB).
    "a2-highgpu-1g": Machine(12, 85, 1),
    "a2-highgpu-2g": Machine(24, 170, 2),
    "a2-highgpu-4g": Machine(48, 340, 4),
    "a2-highgpu-8g": Machine(96, 680, 8),
    "a2-megagpu-16g": Machine(96, 1360, 16),
    "a2-ultragpu-1g": Machine(12, 170, 1),
    "a2-ultragpu-2g": Machine(24, 340, 2),
    "a2-ultragpu-4g": Machine(48, 680, 4),
    "a2-ultragpu-8g": Machine(96, 1360, 8),
    # A3 High / Mega (H100 80GB) and A3 Ultra (H200 141GB).
    "a3-highgpu-8g": Machine(208, 1872, 8),
    "a3-megagpu-8g": Machine(208, 1872, 8),
    "a3-ultragpu-8g": Machine(224, 2952, 8),
}


@dataclass(frozen=True)
class Gpu:
    family: str
    """Machine type prefix that carries this GPU (`n1`, `g2`, `a2-highgpu`, ...)."""
    quota: str
    """Compute Engine regional quota metric (spot capacity uses `PREEMPTIBLE_<metric>`)."""
    counts: tuple[int, ...] = ()
    """Counts attachable to an N1 machine; empty where the machine type fixes the count."""
    partitions: dict[str, int] = field(default_factory=dict)
    """MIG partition size -> instances per GPU (NVIDIA's MIG profiles); empty without MIG support."""
    flytekit: str = ""
    """flytekit's accelerator constant whose device name equals the GKE type, if any."""


GPUS: dict[str, Gpu] = {
    "nvidia-tesla-t4": Gpu("n1", "NVIDIA_T4_GPUS", (1, 2, 4), flytekit="T4"),
    "nvidia-tesla-v100": Gpu("n1", "NVIDIA_V100_GPUS", (1, 2, 4, 8), flytekit="V100"),
    "nvidia-tesla-p4": Gpu("n1", "NVIDIA_P4_GPUS", (1, 2, 4), flytekit="P4"),
    "nvidia-tesla-p100": Gpu("n1", "NVIDIA_P100_GPUS", (1, 2, 4), flytekit="P100"),
    "nvidia-l4": Gpu("g2", "NVIDIA_L4_GPUS", flytekit="L4"),
    "nvidia-tesla-a100": Gpu(
        "a2-highgpu", "NVIDIA_A100_GPUS", partitions={"1g.5gb": 7, "2g.10gb": 3, "3g.20gb": 2, "4g.20gb": 1, "7g.40gb": 1}, flytekit="A100"
    ),
    "nvidia-a100-80gb": Gpu(
        "a2-ultragpu", "NVIDIA_A100_80GB_GPUS", partitions={"1g.10gb": 7, "2g.20gb": 3, "3g.40gb": 2, "4g.40gb": 1, "7g.80gb": 1}, flytekit="A100_80GB"
    ),
    "nvidia-h100-80gb": Gpu(
        "a3-highgpu", "NVIDIA_H100_GPUS", partitions={"1g.10gb": 7, "1g.20gb": 4, "2g.20gb": 3, "3g.40gb": 2, "4g.40gb": 1, "7g.80gb": 1}
    ),
    "nvidia-h100-mega-80gb": Gpu("a3-megagpu", "NVIDIA_H100_MEGA_GPUS"),
    "nvidia-h200-141gb": Gpu(
        "a3-ultragpu", "NVIDIA_H200_GPUS", partitions={"1g.18gb": 7, "1g.35gb": 4, "2g.35gb": 3, "3g.71gb": 2, "4g.71gb": 1, "7g.141gb": 1}
    ),
}
# a2-megagpu-16g carries the A100 40GB too.
EXTRA_FAMILIES = {"a2-megagpu": "nvidia-tesla-a100"}


def family_gpu(machine_type: str) -> str | None:
    """The GPU type a machine type comes with, if it is an accelerator-optimized type."""
    for gpu, spec in GPUS.items():
        if spec.family != "n1" and machine_type.startswith(spec.family + "-"):
            return gpu
    for family, gpu in EXTRA_FAMILIES.items():
        if machine_type.startswith(family + "-"):
            return gpu
    return None


def pairing_problem(machine_type: str, gpu: str, count: int) -> tuple[str, str] | None:
    """(`type` or `count`, reason) when this GPU type and count cannot go on this machine type."""
    spec = GPUS[gpu]
    if spec.family == "n1":
        if not machine_type.startswith("n1-"):
            return "type", f"{gpu} attaches to N1 machine types only, not {machine_type}"
        if count not in spec.counts:
            return "count", f"{gpu} attaches in counts of {', '.join(map(str, spec.counts))} to an N1 machine, not {count}"
        return None
    if family_gpu(machine_type) != gpu:
        return "type", f"{gpu} comes only with {spec.family}-* machine types, not {machine_type}"
    machine = MACHINES.get(machine_type)
    if machine is not None and machine.gpus != count:
        return "count", f"{machine_type} comes with {machine.gpus} x {gpu}: count must be {machine.gpus}, not {count}"
    return None
