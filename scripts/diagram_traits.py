"""What the pictures say about a resource beyond its type: public endpoints and node pools.

Read from the synthesized JSON only (what Terraform will create), never from the config:
  - the cluster's API: provider google 6.50.0, `resource_container_cluster.go`: the IP endpoint
    is public unless `private_cluster_config.enable_private_endpoint` (l. 1773) or
    `control_plane_endpoints_config.ip_endpoints_config.enabled: false` (l. 1739); with a
    `master_authorized_networks_config` block only its `cidr_blocks` reach it, and the block
    without `cidr_blocks` disallows external access (l. 1382-1388); no block, no limit. The
    DNS endpoint takes traffic from anywhere, authorized by IAM, when
    `dns_endpoint_config.allow_external_traffic` is true (l. 1717-1736);
  - a Service of type LoadBalancer in a Helm release's values (or a `kubernetes_service_v1`),
    with its `loadBalancerSourceRanges` (none: anywhere) and the reserved address it names;
  - an external address (`address_type` EXTERNAL, the API's default) that no load balancer uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from diagram_model import Resource, Stack, references

ANYWHERE = "anywhere"


@dataclass(frozen=True)
class Endpoint:
    address: str
    """The resource that opens it (its Terraform address)."""
    what: str
    reach: str
    """Who can reach it: source ranges, or ANYWHERE."""

    @property
    def label(self) -> str:
        return f"{self.what}\nfrom {self.reach}"


@dataclass(frozen=True)
class Pool:
    address: str
    name: str
    machine_type: str
    accelerator: str | None
    """`<type> x<count>` (with the MIG partition size when set); None without GPUs."""
    capacity: str
    """spot, preemptible or on-demand."""
    nodes: str
    """Autoscaling bounds, `min-max nodes`."""

    @property
    def label(self) -> str:
        gpu = f"GPU {self.accelerator}" if self.accelerator else "no GPU"
        return f"pool {self.name}\n{self.machine_type}\n{gpu}\n{self.capacity}, {self.nodes}"


def _block(value: Any) -> dict[str, Any]:
    """A nested block synthesizes as an object or a one-element list."""
    if isinstance(value, list):
        return value[0] if value else {}
    return value or {}


def _sources(ranges: list[str] | None) -> str:
    return ANYWHERE if not ranges or "0.0.0.0/0" in ranges else ", ".join(ranges)


def _cluster_endpoints(r: Resource) -> list[Endpoint]:
    body, found = r.body, []
    endpoints = _block(body.get("control_plane_endpoints_config"))
    ip_enabled = _block(endpoints.get("ip_endpoints_config")).get("enabled", True)
    private = _block(body.get("private_cluster_config")).get("enable_private_endpoint", False)
    if ip_enabled is not False and private is not True:
        if "master_authorized_networks_config" not in body:
            found.append(Endpoint(r.address, "Kubernetes API (IP endpoint)", ANYWHERE))
        else:
            cidrs = [b.get("cidr_block") for b in _block(body["master_authorized_networks_config"]).get("cidr_blocks") or []]
            if cidrs:
                found.append(Endpoint(r.address, "Kubernetes API (IP endpoint)", _sources(cidrs)))
    if _block(endpoints.get("dns_endpoint_config")).get("allow_external_traffic") is True:
        found.append(Endpoint(r.address, "Kubernetes API (DNS, IAM)", ANYWHERE))
    return found


def _load_balancers(value: Any):
    """Every mapping with `type: LoadBalancer` inside `value` (a Service spec in chart values)."""
    if isinstance(value, dict):
        if value.get("type") == "LoadBalancer":
            yield value
        for v in value.values():
            yield from _load_balancers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _load_balancers(v)


def _service_endpoints(stack: Stack, r: Resource) -> list[Endpoint]:
    if r.type == "helm_release":
        specs = [spec for text in r.body.get("values") or [] for spec in _load_balancers(yaml.safe_load(text))]
        what = f"load balancer of {r.body.get('chart', r.name)}"
    elif r.type == "kubernetes_service_v1":
        specs = [_block(r.body.get("spec"))] if _block(r.body.get("spec")).get("type") == "LoadBalancer" else []
        what = f"load balancer {_block(r.body.get('metadata')).get('name', r.name)}"
    else:
        return []
    found = []
    for spec in specs:
        ranges = spec.get("loadBalancerSourceRanges", spec.get("load_balancer_source_ranges"))
        reserved = [stack.resources[a] for a in references(spec) if a in stack.resources and _is_external_address(stack.resources[a])]
        on = "".join(f"\non reserved IP {a.body.get('name', a.name)}" for a in reserved)
        found.append(Endpoint(r.address, what + on, _sources(ranges)))
    return found


def _is_external_address(r: Resource) -> bool:
    return r.type in ("google_compute_address", "google_compute_global_address") and r.body.get("address_type", "EXTERNAL") == "EXTERNAL"


def public_endpoints(stack: Stack) -> list[Endpoint]:
    """What the internet can reach, in address order; an address a load balancer uses is part of it."""
    found: list[Endpoint] = []
    for r in sorted(stack.resources.values(), key=lambda r: r.address):
        if r.type == "google_container_cluster":
            found += _cluster_endpoints(r)
        found += _service_endpoints(stack, r)
    used = {a for e in found for a in references(stack.resources[e.address].body)}
    for r in sorted(stack.resources.values(), key=lambda r: r.address):
        if _is_external_address(r) and r.address not in used:
            found.append(Endpoint(r.address, f"reserved external IP {r.body.get('name', r.name)}", ANYWHERE))
    return found


def node_pools(stack: Stack) -> list[Pool]:
    """Every `google_container_node_pool`, in address order."""
    pools = []
    for r in sorted(stack.resources.values(), key=lambda r: r.address):
        if r.type != "google_container_node_pool":
            continue
        config = _block(r.body.get("node_config"))
        gpu = _block(config.get("guest_accelerator"))
        accelerator = None
        if gpu:
            accelerator = f"{gpu.get('type')} x{gpu.get('count', 1)}"
            if gpu.get("gpu_partition_size"):
                accelerator += f"\nMIG partitions {gpu['gpu_partition_size']}"
        scaling = _block(r.body.get("autoscaling"))
        low = scaling.get("total_min_node_count", scaling.get("min_node_count"))
        high = scaling.get("total_max_node_count", scaling.get("max_node_count"))
        nodes = f"{low}-{high} nodes" if scaling else f"{r.body.get('node_count', r.body.get('initial_node_count', 1))} nodes"
        capacity = "spot" if config.get("spot") else "preemptible" if config.get("preemptible") else "on-demand"
        machine = config.get("machine_type", "GKE's default machine type")
        pools.append(Pool(r.address, r.body.get("name", r.name), machine, accelerator, capacity, nodes))
    return pools
