"""A monthly list-price estimate of what a synthesized stack creates (README "Cost").

Read from the synthesized Terraform JSON, not from the config, so it prices exactly what the
apply creates: machine types and autoscaling bounds of every node pool, GPUs, boot disks and
local SSDs, the cluster fee, the Cloud SQL tier, disk and availability type, the NAT gateway,
reserved addresses and the load balancer that a chart's `type: LoadBalancer` Service makes.
"Idle" is every pool at its minimum node count, "max" at its maximum. Usage-based charges
(egress, storage, operations, logging, NAT and load balancer data) are not in it.

Pure and light: JSON in, numbers out; no CDKTF. A resource type it does not know, a region or
SKU the price table (`facts/prices.py`) does not cover: no total, and the summary says what is
missing instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from flyte_gcp.cli.tfjson import block
from flyte_gcp.facts import prices
from flyte_gcp.facts.accelerators import family_gpu
from flyte_gcp.facts.prices import NO_FIXED_CHARGE, PRICED_TYPES


_ZONE = re.compile(r"^([a-z]+-[a-z]+[0-9]+)-[a-z]$")


@dataclass(frozen=True)
class Line:
    """One priced item, USD per month idle and at max scale."""

    item: str
    idle: float
    max: float


@dataclass
class Estimate:
    regions: set[str] = field(default_factory=set)
    lines: list[Line] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """What the price table has no figure for; non-empty means no total."""

    @property
    def idle(self) -> float:
        return sum(line.idle for line in self.lines)

    @property
    def max(self) -> float:
        return sum(line.max for line in self.lines)

    def add(self, item: str, idle: float, max_: float | None = None) -> None:
        self.lines.append(Line(item, idle, idle if max_ is None else max_))


def region_of(location: str) -> str:
    match = _ZONE.match(location)
    return match.group(1) if match else location


def _table(estimate: Estimate, region: str) -> prices.RegionPrices | None:
    estimate.regions.add(region)
    table = prices.PRICES.get(region)
    if table is None:
        estimate.missing.append(f"prices for region {region}")
    return table


def _node_counts(pool: dict[str, Any]) -> tuple[int, int] | None:
    """(fewest, most) nodes of a pool in total: autoscaling totals, or per-zone counts x its zones."""
    scaling = block(pool.get("autoscaling"))
    if "total_max_node_count" in scaling:
        return int(scaling.get("total_min_node_count", 0)), int(scaling["total_max_node_count"])
    zonal = _ZONE.match(str(pool.get("location", "")))
    zones = len(pool.get("node_locations") or ([pool["location"]] if zonal else []))
    if not zones:
        return None  # per-zone counts on a regional pool without its zones: how many is GKE's choice
    if scaling:
        return int(scaling.get("min_node_count", 0)) * zones, int(scaling["max_node_count"]) * zones
    return int(pool.get("node_count", 0)) * zones, int(pool.get("node_count", 0)) * zones


def _node_month(name: str, config: dict[str, Any], table: prices.RegionPrices, region: str, estimate: Estimate) -> float | None:
    """One node of a pool for a month: machine (+ attached GPUs) x hours, boot disk, local SSDs."""
    machine = str(config.get("machine_type"))
    spot = 1 if config.get("spot") or config.get("preemptible") else 0
    found = [] if machine in table.machines else [f"a price for machine type {machine} in {region}"]
    hourly = table.machines[machine][spot] if not found else 0.0
    for accelerator in config.get("guest_accelerator") or []:
        gpu = accelerator.get("type")
        if family_gpu(machine) == gpu:
            continue  # A2/A3/G2: the machine price includes its GPUs
        if gpu in table.gpus:
            hourly += table.gpus[gpu][spot] * int(accelerator.get("count", 1))
        else:
            found.append(f"a price for GPU {gpu} in {region}")
    boot = block(config.get("boot_disk"))
    disk_type = boot.get("disk_type") or config.get("disk_type") or prices.BOOT_DISK_DEFAULT[0]
    disk_gb = int(boot.get("size_gb") or config.get("disk_size_gb") or prices.BOOT_DISK_DEFAULT[1])
    if disk_type not in table.disks:
        found.append(f"a price for boot disk type {disk_type} in {region}")
    local_ssds = int(config.get("local_ssd_count") or 0) + int(block(config.get("ephemeral_storage_local_ssd_config")).get("local_ssd_count") or 0)
    if machine.startswith(prices.BUNDLED_LOCAL_SSD):
        local_ssds = 0
    if found:
        estimate.missing.extend(f"{x} (pool {name})" for x in found)
        return None
    return (
        hourly * prices.HOURS_PER_MONTH
        + disk_gb * table.disks[disk_type]
        + local_ssds * prices.LOCAL_SSD_GB * table.local_ssd_gb_month[spot]
    )


def _pools(resources: dict[str, Any], estimate: Estimate) -> tuple[int, int]:
    nodes = [0, 0]
    for key, pool in sorted(resources.get("google_container_node_pool", {}).items()):
        name = pool.get("name", key)
        counts = _node_counts(pool)
        config = block(pool.get("node_config"))
        region = region_of(pool.get("location", ""))
        table = _table(estimate, region)
        if counts is None:
            estimate.missing.append(f"the node count of pool {name}")
            continue
        nodes = [nodes[0] + counts[0], nodes[1] + counts[1]]
        per_node = _node_month(name, config, table, region, estimate) if table else None
        if per_node is not None:
            kind = " spot" if config.get("spot") or config.get("preemptible") else ""
            gpus = "".join(f" + {a.get('count', 1)} {a.get('type')}" for a in config.get("guest_accelerator") or [])
            label = f"pool {name}: {counts[0]}-{counts[1]} x{kind} {config.get('machine_type')}{gpus}"
            estimate.add(label, counts[0] * per_node, counts[1] * per_node)
    return nodes[0], nodes[1]


def _nat_month(vms: int, addresses: int) -> float:
    gateway = prices.NAT_CAPPED_HOUR if vms > prices.NAT_VM_CAP else prices.NAT_VM_HOUR * vms
    return (gateway + addresses * prices.NAT_ADDRESS_HOUR) * prices.HOURS_PER_MONTH


def _load_balancer_ips(resources: dict[str, Any]) -> list[str]:
    """The `loadBalancerIP` of every `type: LoadBalancer` Service set in a release's values (one forwarding rule each)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "LoadBalancer":
                found.append(str(node.get("loadBalancerIP", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for release in resources.get("helm_release", {}).values():
        for values in release.get("values") or []:
            walk(yaml.safe_load(values))
    return found


def _edge(resources: dict[str, Any], result: Estimate) -> None:
    """Forwarding rules of the LoadBalancer Services, and reserved external addresses (in use when one takes it)."""
    lb_ips = _load_balancer_ips(resources)
    if lb_ips:
        first = min(len(lb_ips), 5)
        rules = first * prices.FORWARDING_RULE_HOUR + (len(lb_ips) - first) * prices.FORWARDING_RULE_EXTRA_HOUR
        result.add(f"load balancer forwarding rules ({len(lb_ips)})", rules * prices.HOURS_PER_MONTH)
    for key, address in resources.get("google_compute_address", {}).items():
        table = _table(result, address.get("region", ""))
        if address.get("address_type", "EXTERNAL") == "EXTERNAL" and table:
            in_use = any(f"google_compute_address.{key}." in ip for ip in lb_ips)
            hourly = table.address_in_use_hour if in_use else table.address_unused_hour
            result.add(f"static external IP {address.get('name', key)} ({'in use' if in_use else 'unused'})", hourly * prices.HOURS_PER_MONTH)


def estimate(doc: dict[str, Any]) -> Estimate:
    """The stack's monthly list price, idle and at max scale."""
    resources = doc.get("resource", {})
    result = Estimate()
    unknown = sorted(set(resources) - PRICED_TYPES - set(NO_FIXED_CHARGE))
    result.missing.extend(f"a price for resource type {t}" for t in unknown)
    for cluster in resources.get("google_container_cluster", {}).values():
        location = cluster.get("location", "")
        _table(result, region_of(location))
        note = "zonal: the GKE free tier credit covers one per billing account" if _ZONE.match(location) else "regional: no free tier"
        result.add(f"GKE cluster fee ({note})", prices.GKE_CLUSTER_FEE_HOUR * prices.HOURS_PER_MONTH)
    idle_nodes, max_nodes = _pools(resources, result)
    for nat in resources.get("google_compute_router_nat", {}).values():
        _table(result, nat.get("region", ""))
        if nat.get("nat_ip_allocate_option") != "AUTO_ONLY":
            result.missing.append("a price for NAT addresses other than AUTO_ONLY")
            continue
        # AUTO_ONLY: priced as one address, enough for these node counts (Cloud NAT adds one when ports run out).
        idle, most = _nat_month(idle_nodes, min(idle_nodes, 1)), _nat_month(max_nodes, min(max_nodes, 1))
        result.add(f"Cloud NAT gateway ({idle_nodes}-{max_nodes} VMs) and its address", idle, most)
    _edge(resources, result)
    for instance in resources.get("google_sql_database_instance", {}).values():
        _sql(instance, result)
    return result


def _sql(instance: dict[str, Any], result: Estimate) -> None:
    region = instance.get("region", "")
    table = _table(result, region)
    settings = block(instance.get("settings"))
    regional = settings.get("availability_type", "ZONAL") == "REGIONAL"
    tier = re.match(r"^db-custom-([0-9]+)-([0-9]+)$", str(settings.get("tier", "")))
    disk_type = settings.get("disk_type") or prices.SQL_DISK_DEFAULT[0]
    if settings.get("edition", "ENTERPRISE") != "ENTERPRISE" or not tier or disk_type != "PD_SSD":
        result.missing.append(f"a price for Cloud SQL {settings.get('edition')} {settings.get('tier')} on {disk_type}")
        return
    if table is None:
        return
    sql = table.sql_regional if regional else table.sql_zonal
    if sql is None:
        result.missing.append(f"Cloud SQL prices for {region}")
        return
    vcpus, memory_gb = int(tier.group(1)), int(tier.group(2)) / 1024
    disk_gb = int(settings.get("disk_size") or prices.SQL_DISK_DEFAULT[1])
    monthly = (vcpus * sql.vcpu_hour + memory_gb * sql.memory_gb_hour) * prices.HOURS_PER_MONTH + disk_gb * sql.ssd_gb_month
    result.add(f"Cloud SQL {settings['tier']} {'regional (HA)' if regional else 'zonal'}, {disk_gb} GB SSD", monthly)


def summary(doc: dict[str, Any]) -> str:
    """The cost part of a stack's summary line."""
    result = estimate(doc)
    if result.missing:
        return f"no cost estimate: missing {'; '.join(dict.fromkeys(result.missing))} (README \"Cost\")"
    if not result.lines:
        return 'no fixed monthly cost, usage only (README "Cost")'
    regions = ", ".join(sorted(result.regions))
    return f"about ${round(result.idle):,}/month idle, ${round(result.max):,} at max (list prices, {regions}; README \"Cost\")"
