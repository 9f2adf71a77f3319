"""Where the nodes run: the zone inside its region, and every pool in zones that offer its
machine family and its GPU (tables in `facts.regions` and `facts.gpu_zones`).

GKE refuses a node pool whose machine type or accelerator a zone lacks, but only during the
apply, after the network, the database and the cluster exist. Here it is an error naming the
zones that do offer it. A GPU pool of a regional cluster that names no zones is placed in
the region's zones that offer its GPU (`pool_zones`), which the compute layer passes on.
"""

from __future__ import annotations

from flyte_gcp.config.model import Config, NodePoolConfig
from flyte_gcp.facts.accelerators import family_gpu, pairing_problem
from flyte_gcp.facts.gpu_zones import GPU_ZONES
from flyte_gcp.facts.regions import MACHINE_FAMILY_ZONES, REGIONS, family_of


def cluster_zones(c: Config) -> tuple[str, ...]:
    """The zones of the general pool: every zone of the region (regional), else `node_zone`."""
    return REGIONS[c.region] if c.gke.regional else (c.node_zone,)


def pool_gpu(pool: NodePoolConfig) -> str | None:
    """The GPU type a pool's nodes carry, when its machine type can carry it."""
    if pool.accelerator is None:
        return family_gpu(pool.machine_type)
    if pairing_problem(pool.machine_type, pool.accelerator.type, pool.accelerator.count):
        return None  # reported by capacity
    return pool.accelerator.type


def pool_zones(c: Config, pool: NodePoolConfig) -> tuple[str, ...] | None:
    """The pool's node locations: its `zones`; for a GPU pool of a regional cluster without
    them, the region's zones that offer the GPU when some lack it; else None (the cluster's)."""
    if pool.zones:
        return tuple(pool.zones)
    gpu = pool_gpu(pool)
    if gpu is None or not c.gke.regional:
        return None
    offering = tuple(z for z in REGIONS[c.region] if z in GPU_ZONES[gpu])
    return offering if offering != REGIONS[c.region] else None


def problems(c: Config) -> list[str]:
    """Every placement GCP would refuse, each as `field: reason` with the zones that would do."""
    found = _cluster_problems(c)
    if found:
        return found  # pools are placed relative to the cluster's zone
    found += _family_problems("gke.machine_type", c.gke.machine_type, cluster_zones(c), c)
    for i, pool in enumerate(c.gke.node_pools):
        found += _pool_problems(c, i, pool)
    return found


def _cluster_problems(c: Config) -> list[str]:
    zones = REGIONS[c.region]
    if c.node_zone in zones:
        return []
    if c.zone is None:
        return [f"zone: not set, and the default {c.node_zone!r} is not a zone of {c.region}; set zone: {zones[0]} (the region's zones: {', '.join(zones)})"]
    return [f"zone: {c.zone!r} is not in region {c.region!r}; set zone: {zones[0]} (the region's zones: {', '.join(zones)})"]


def _pool_problems(c: Config, i: int, pool: NodePoolConfig) -> list[str]:
    at = f"gke.node_pools[{i}]"
    found = []
    for j, zone in enumerate(pool.zones or ()):
        if zone not in REGIONS[c.region]:
            found.append(f"{at}.zones[{j}]: {zone!r} is not in region {c.region!r} (its zones: {', '.join(REGIONS[c.region])})")
        elif not c.gke.regional and zone != c.node_zone:
            found.append(f"{at}.zones[{j}]: {zone!r} is not the zonal cluster's zone {c.node_zone!r} (set gke.regional: true)")
    if found:
        return found
    zones = pool_zones(c, pool) or cluster_zones(c)
    gpu = pool_gpu(pool)
    if gpu is not None:
        return _gpu_problems(c, at, pool, gpu, zones)
    return _family_problems(f"{at}.machine_type", pool.machine_type, zones, c)


def _gpu_problems(c: Config, at: str, pool: NodePoolConfig, gpu: str, zones: tuple[str, ...]) -> list[str]:
    lacking = [z for z in zones if z not in GPU_ZONES[gpu]]
    if not lacking:
        return []
    offering = [z for z in REGIONS[c.region] if z in GPU_ZONES[gpu]]
    if not offering:
        elsewhere = sorted({z.rsplit("-", 1)[0] for z in GPU_ZONES[gpu]})
        return [f"{at}.accelerator.type: no zone of {c.region} offers {gpu}; regions that do: {', '.join(elsewhere)}"]
    if pool.zones and c.gke.regional:
        return [f"{at}.zones: {gpu} is not offered in {', '.join(lacking)}; set zones: [{', '.join(z for z in pool.zones if z in offering) or offering[0]}] (zones of {c.region} that offer it: {', '.join(offering)})"]
    return [
        f"{at}.accelerator.type: {gpu} is not offered in the zonal cluster's zone {c.node_zone}; set zone: {offering[0]} "
        f"(zones of {c.region} that offer it: {', '.join(offering)}), or gke.regional: true"
    ]


def _family_problems(field: str, machine_type: str, zones: tuple[str, ...], c: Config) -> list[str]:
    family = family_of(machine_type)
    offered = MACHINE_FAMILY_ZONES.get(family)
    if offered is None:
        return []
    lacking = [z for z in zones if z not in offered]
    if not lacking:
        return []
    where = [z for z in REGIONS[c.region] if z in offered]
    tail = f"zones of {c.region} that offer it: {', '.join(where)}" if where else f"no zone of {c.region} offers it; use e.g. e2-standard-8"
    return [f"{field}: {machine_type} ({family.upper()}) is not offered in {', '.join(lacking)} ({tail})"]
