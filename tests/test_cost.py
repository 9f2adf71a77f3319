"""The monthly estimate in each summary line (README "Cost").

The example's and examples/gpu.yaml's costs are computed here by hand from the price table's
rows, the figures typed in with the row they come from: a changed row, a resource priced
twice or not at all, or a wrong unit fails. The invariants run on every variant.
"""

from __future__ import annotations

import copy
import json

import pytest

from support import ROOT, build_stack, synth

from flyte_gcp.cli import cost
from flyte_gcp.config.loader import load_config

HOURS = 730  # a month in Google's pricing calculator

# Rows of facts/prices.py used below (us-central1), typed in again on purpose.
GKE_FEE = 0.10  # per cluster-hour
E2_STANDARD_4 = 0.134023  # on-demand per hour
N1_STANDARD_8 = 0.379998
N2_STANDARD_8_SPOT = 0.18424
T4 = 0.35  # per GPU-hour, on-demand, attached to N1
A2_HIGHGPU_1G = 3.673385  # A100 included
PD_BALANCED = 0.10  # per GB-month
LOCAL_SSD = 0.08  # per GB-month, on-demand
NAT_PER_VM, NAT_ADDRESS = 0.0014, 0.005  # per hour
FORWARDING_RULE = 0.025  # per hour, first five
ADDRESS_IN_USE = 0.005  # per hour
SQL_VCPU, SQL_GB, SQL_SSD = 0.0413, 0.007, 0.17  # zonal: per vCPU-hour, per GB-hour, per GB-month
SQL_VCPU_HA, SQL_GB_HA, SQL_SSD_HA = 0.0826, 0.014, 0.34  # regional (HA)

# Fixed parts every stack of the examples has: the cluster fee, one forwarding rule for the
# NGINX controller's LoadBalancer Service and its reserved address, and Cloud SQL
# db-custom-1-3840 (1 vCPU, 3840 MB = 3.75 GB) with the default 10 GB SSD.
CLUSTER_FEE = GKE_FEE * HOURS
EDGE = FORWARDING_RULE * HOURS + ADDRESS_IN_USE * HOURS
SQL_ZONAL = (1 * SQL_VCPU + 3840 / 1024 * SQL_GB) * HOURS + 10 * SQL_SSD
# A node's boot disk: GKE's default 100 GB pd-balanced.
BOOT = 100 * PD_BALANCED


def nat(vms: int) -> float:
    """Gateway at $0.0014 per VM-hour (under 32 VMs) plus its one address."""
    return (NAT_PER_VM * vms + NAT_ADDRESS) * HOURS


@pytest.fixture(scope="module")
def gpu_example() -> dict:
    return synth(build_stack(load_config(ROOT / "examples" / "gpu.yaml"), "gpu"))


def test_the_example_by_hand(synthesized):
    general = E2_STANDARD_4 * HOURS + BOOT  # flyte-nodes: 1 to 3 x e2-standard-4 (zonal cluster)
    idle = CLUSTER_FEE + 1 * general + nat(1) + EDGE + SQL_ZONAL
    most = CLUSTER_FEE + 3 * general + nat(3) + EDGE + SQL_ZONAL
    result = cost.estimate(synthesized["example"])
    assert result.missing == []
    assert result.idle == pytest.approx(idle) and round(idle) == 258
    assert result.max == pytest.approx(most) and round(most) == 476
    assert cost.summary(synthesized["example"]) == 'about $258/month idle, $476 at max (list prices, us-central1; README "Cost")'


def test_examples_gpu_by_hand(gpu_example):
    general = E2_STANDARD_4 * HOURS + BOOT  # flyte-nodes: 1 to 3 nodes in total over the region
    t4 = (N1_STANDARD_8 + 1 * T4) * HOURS + BOOT  # gpu-t4: 0 to 2 x n1-standard-8 + 1 T4, on demand
    spot = N2_STANDARD_8_SPOT * HOURS + BOOT  # spot: 0 to 4 x n2-standard-8 at the spot price
    idle = CLUSTER_FEE + 1 * general + 0 * t4 + 0 * spot + nat(1) + EDGE + SQL_ZONAL
    most = CLUSTER_FEE + 3 * general + 2 * t4 + 4 * spot + nat(3 + 2 + 4) + EDGE + SQL_ZONAL
    result = cost.estimate(gpu_example)
    assert result.missing == []
    assert result.idle == pytest.approx(idle)
    assert result.max == pytest.approx(most) and round(most) == 2146
    assert cost.summary(gpu_example).startswith("about $258/month idle, $2,146 at max (list prices, us-central1")


def test_readme_shows_the_examples_summary(synthesized):
    assert f"resources -> cdktf.out/stacks/example/cdk.tf.json; {cost.summary(synthesized['example'])}\n" in (ROOT / "README.md").read_text()


def test_cluster_fee_names_the_free_tier_only_for_a_zonal_cluster(synthesized, gpu_example):
    zonal = [line.item for line in cost.estimate(synthesized["example"]).lines if "cluster fee" in line.item]
    regional = [line.item for line in cost.estimate(gpu_example).lines if "cluster fee" in line.item]
    assert zonal == ["GKE cluster fee (zonal: the GKE free tier credit covers one per billing account)"]
    assert regional == ["GKE cluster fee (regional: no free tier)"]


def sql_settings(doc: dict) -> dict:
    (instance,) = doc["resource"]["google_sql_database_instance"].values()
    return instance["settings"]


def test_a_regional_database_is_priced_as_ha_both_ways(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    assert sql_settings(doc)["availability_type"] == "ZONAL"
    sql_line = [line for line in cost.estimate(doc).lines if line.item.startswith("Cloud SQL")]
    assert [x.idle for x in sql_line] == [pytest.approx(SQL_ZONAL)]
    sql_settings(doc)["availability_type"] = "REGIONAL"
    regional = (1 * SQL_VCPU_HA + 3840 / 1024 * SQL_GB_HA) * HOURS + 10 * SQL_SSD_HA
    sql_line = [line for line in cost.estimate(doc).lines if line.item.startswith("Cloud SQL")]
    assert [(x.item, x.idle) for x in sql_line] == [("Cloud SQL db-custom-1-3840 regional (HA), 10 GB SSD", pytest.approx(regional))]


def test_a2_pool_is_not_charged_twice_for_its_gpu_and_pays_its_local_ssd(synthesized):
    (line,) = [x for x in cost.estimate(synthesized["core-mig-zonal"]).lines if x.item.startswith("pool a100-mig")]
    # 0 to 1 x a2-highgpu-1g (A100 in the machine price), boot disk, one 375 GB local SSD
    assert (line.idle, line.max) == (0, pytest.approx(A2_HIGHGPU_1G * HOURS + BOOT + 375 * LOCAL_SSD))


def test_a_stack_of_usage_priced_resources_only_says_so(synthesized):
    buckets = {"resource": {"google_storage_bucket": synthesized["example"]["resource"]["google_storage_bucket"]}}
    assert cost.summary(buckets) == 'no fixed monthly cost, usage only (README "Cost")'


def test_a_region_or_sku_the_table_lacks_gives_no_total(synthesized):
    elsewhere = json.loads(json.dumps(synthesized["example"]).replace("us-central1", "asia-south1"))
    assert cost.summary(elsewhere) == 'no cost estimate: missing prices for region asia-south1 (README "Cost")'
    europe = json.loads(json.dumps(synthesized["example"]).replace("us-central1", "europe-west4"))
    assert cost.summary(europe) == 'no cost estimate: missing Cloud SQL prices for europe-west4 (README "Cost")'
    h200 = copy.deepcopy(synthesized["example"])
    (pool,) = h200["resource"]["google_container_node_pool"].values()
    pool["node_config"]["machine_type"] = "a3-ultragpu-8g"
    assert "missing a price for machine type a3-ultragpu-8g in us-central1 (pool flyte-nodes)" in cost.summary(h200)


# --- invariants on every variant ---------------------------------------------------------


def priced_resources(doc: dict) -> dict[str, int]:
    resources = doc["resource"]
    external = [a for a in resources.get("google_compute_address", {}).values() if a.get("address_type", "EXTERNAL") == "EXTERNAL"]
    return {
        "GKE cluster fee": len(resources.get("google_container_cluster", {})),
        "pool ": len(resources.get("google_container_node_pool", {})),
        "Cloud SQL ": len(resources.get("google_sql_database_instance", {})),
        "Cloud NAT ": len(resources.get("google_compute_router_nat", {})),
        "static external IP ": len(external),
    }


def check_estimate(doc: dict) -> list[str]:
    """Every resource type is priced or listed as free of fixed charges, and every priced resource has its line."""
    problems = []
    result = cost.estimate(doc)
    problems += [f"missing: {m}" for m in result.missing]
    for prefix, count in priced_resources(doc).items():
        lines = [x for x in result.lines if x.item.startswith(prefix)]
        if len(lines) != count:
            problems.append(f"{count} resources but {len(lines)} lines for {prefix.strip()}")
    if not 0 < result.idle <= result.max:
        problems.append(f"idle {result.idle} and max {result.max}")
    return problems


def test_every_variant_is_priced_resource_by_resource(variant):
    name, doc = variant
    assert check_estimate(doc) == [], name


def test_the_check_fails_on_an_unknown_type_or_a_dropped_pool(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    doc["resource"]["google_redis_instance"] = {"cache": {"tier": "STANDARD_HA", "memory_size_gb": 5}}
    assert check_estimate(doc) == ["missing: a price for resource type google_redis_instance"]
    assert cost.summary(doc) == 'no cost estimate: missing a price for resource type google_redis_instance (README "Cost")'
    doc = copy.deepcopy(synthesized["core-gpu-spot"])
    pool = next(iter(doc["resource"]["google_container_node_pool"].values()))
    pool["autoscaling"] = {"min_node_count": 1, "max_node_count": 2}  # per-zone bounds, regional pool, no zone list
    assert any("node count of pool" in p for p in check_estimate(doc))


def test_the_table_prices_every_machine_and_n1_gpu_the_config_accepts_in_us_central1_but_two():
    from flyte_gcp.facts import prices
    from flyte_gcp.facts.accelerators import GPUS, MACHINES

    table = prices.PRICES["us-central1"]
    assert sorted(set(MACHINES) - set(table.machines)) == ["a3-megagpu-8g", "a3-ultragpu-8g"]  # not in the catalog here (README "Cost")
    assert sorted(gpu for gpu, spec in GPUS.items() if spec.family == "n1") == sorted(table.gpus)
    assert all(0 < spot < on_demand for on_demand, spot in [*table.machines.values(), *table.gpus.values()])
