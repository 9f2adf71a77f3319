"""GPU and spot node pools, their validation, and Flyte's configuration derived from them (issue 12)."""

from __future__ import annotations

import re

import pytest
from support import MIG_POOL, ROOT, SPOT_POOL, T4_POOL, block, helm_values, make_config, resources
from test_config import error_for
from test_values import ALLOWED_UNDECLARED, INPUTS, chart_defaults, undeclared_paths

from flyte_gcp.facts import accelerators

from flyte_gcp.config import capacity

from flyte_gcp.values import flyte as values
from flyte_gcp.config.loader import load_config

REGIONAL = {"regional": True}


def pools(**pool) -> dict:
    return {"gke": {**REGIONAL, "node_pools": [{**T4_POOL, **pool}]}}


@pytest.mark.parametrize(
    "overrides, field, reason",
    [
        (pools(machine_type="g2-standard-8"), "gke.node_pools[0].accelerator.type", "nvidia-tesla-t4 attaches to N1 machine types only"),
        (pools(accelerator={"type": "nvidia-l4"}), "gke.node_pools[0].accelerator.type", "nvidia-l4 comes only with g2-* machine types"),
        (pools(machine_type="a2-highgpu-1g", accelerator={"type": "nvidia-tesla-t4"}), "gke.node_pools[0].accelerator.type", "attaches to N1"),
        (pools(accelerator={"type": "nvidia-h100-80gb"}), "gke.node_pools[0].accelerator.type", "comes only with a3-highgpu-* machine types"),
        (pools(machine_type="a2-highgpu-2g", accelerator={"type": "nvidia-tesla-a100", "count": 1}), "gke.node_pools[0].accelerator.count", "count must be 2"),
        (pools(accelerator={"type": "nvidia-tesla-t4", "count": 3}), "gke.node_pools[0].accelerator.count", "counts of 1, 2, 4"),
        (pools(machine_type="g2-standard-8", accelerator=None), "gke.node_pools[0].accelerator", "comes with nvidia-l4"),
        (pools(accelerator={"type": "nvidia-rtx-9000"}), "gke.node_pools[0].accelerator.type", "is not a GKE GPU type"),
        (pools(accelerator={"type": "nvidia-tesla-t4", "driver": "NONE"}), "gke.node_pools[0].accelerator.driver", "'LATEST' or 'DEFAULT'"),
        (pools(accelerator={"type": "nvidia-tesla-t4", "partition_size": "1g.5gb"}), "gke.node_pools[0].accelerator.partition_size", "has no multi-instance GPU"),
        ({"gke": {"node_pools": [{**MIG_POOL, "accelerator": {"type": "nvidia-tesla-a100", "partition_size": "1g.10gb"}}]}}, "gke.node_pools[0].accelerator.partition_size", "is not a MIG partition of nvidia-tesla-a100"),
        (pools(zones=["europe-west4-a"]), "gke.node_pools[0].zones[0]", "is not in region 'us-central1'"),
        ({"gke": {"node_pools": [{**T4_POOL}]}}, "gke.node_pools[0].zones[0]", "is not the zonal cluster's zone 'us-central1-b'"),
        ({"gke": {**REGIONAL, "node_pools": [T4_POOL, {**SPOT_POOL, "name": "gpu-t4"}]}}, "gke.node_pools[1].name", "'gpu-t4' is already used"),
        (pools(name="flyte-nodes"), "gke.node_pools[0].name", "the general pool is 'flyte-nodes'"),
        (pools(name="GPU"), "gke.node_pools[0].name", "is not a name part"),
        (pools(min_nodes=3), "gke.node_pools[0].min_nodes", "3 is greater than max_nodes (2)"),
        ({"gke": {**REGIONAL, "node_pools": [{"name": "x", "machine_type": "n2-standard-8"}]}}, "gke.node_pools[0].max_nodes", "required key is missing"),
        ({**pools(), "flyte": {"task_resource_limits": {"cpu": "30"}}}, "flyte.task_resource_limits.cpu", "more than any node can allocate (largest: 7.41)"),
        ({**pools(), "flyte": {"task_resource_limits": {"memory": "100Gi"}}}, "flyte.task_resource_limits.memory", "more than any node can allocate"),
        ({**pools(), "flyte": {"task_resource_limits": {"gpu": 2}}}, "flyte.task_resource_limits.gpu", "more than any node has (largest: 1)"),
        ({**pools(), "flyte": {"task_resource_limits": {"gpu": 0}}}, "flyte.task_resource_limits.gpu", "0 turns flyteadmin's GPU check off"),
        ({**pools(), "flyte": {"task_resource_limits": {"ephemeral_storage": "500Gi"}}}, "flyte.task_resource_limits.ephemeral_storage", "more than any node's disk (100 GiB)"),
        ({**pools(), "flyte": {"task_resource_limits": {"memory": "lots"}}}, "flyte.task_resource_limits.memory", "is not a Kubernetes quantity"),
        (pools(machine_type="n1-custom-8-30720"), "flyte.task_resource_limits.cpu", "'n1-custom-8-30720' is not in the machine table"),
        ({"gke": {"machine_type": "c3-standard-8"}}, "flyte.task_resource_limits.memory", "gke.machine_type 'c3-standard-8' is not in the machine table"),
        ({"flyte": {"domain_quotas": {"staging": {"cpu": "2", "memory": "64Gi"}}}}, "flyte.domain_quotas.staging.cpu", "below the task limit 3400m"),
        ({"flyte": {"domain_quotas": {"qa": {"cpu": "8", "memory": "64Gi"}}}}, "flyte.domain_quotas.qa", "not one of flyte_domains"),
        ({"chart": "flyte-binary", "flyte": {"domain_quotas": {"staging": {"cpu": "8", "memory": "64Gi"}}}}, "flyte.domain_quotas", "only the flyte-core chart"),
    ],
)
def test_bad_pools_and_limits_name_field_and_reason(tmp_path, overrides, field, reason):
    message = error_for(tmp_path, **overrides)
    assert re.search(rf"(: |; ){re.escape(field)}: ", message), message  # several problems are joined by "; "
    assert reason in message, message


def test_explicit_limits_allow_a_machine_type_outside_the_table():
    config = make_config(**pools(machine_type="n1-custom-8-30720"), flyte={"task_resource_limits": {"cpu": 7, "memory": "24Gi"}})
    assert capacity.task_limits(config) == capacity.TaskLimits(cpu="7", memory="24Gi", gpu=1)


def test_limits_derive_from_the_largest_pool_with_documented_headroom():
    assert capacity.allocatable("e2-standard-4") == pytest.approx((3.42, 16 - 2.6 - 100 / 1024 - 1))
    assert capacity.task_limits(make_config()) == capacity.TaskLimits(cpu="3400m", memory="12544Mi", gpu=1)
    mig = make_config(gke={"node_pools": [MIG_POOL]})  # a2-highgpu-1g: 12 vCPU, 85 GB, one A100 in 7 partitions
    assert capacity.task_limits(mig) == capacity.TaskLimits(cpu="11400m", memory="78848Mi", gpu=7)


def test_default_example_has_no_extra_pools_and_streams_images():
    config = make_config()
    assert config.gke.node_pools == [] and config.gke.image_streaming is True
    assert config.flyte.task_resource_limits is None and config.flyte.domain_quotas is None


# --- the synthesized pools ------------------------------------------------------------


def _pools(doc) -> dict[str, dict]:
    return {p["name"]: p for p in resources(doc, "google_container_node_pool").values()}


def test_every_extra_pool_is_hardened_and_tagged(synthesized):
    for name in ("core-gpu-spot", "binary-gpu-spot", "core-mig-zonal"):
        doc = synthesized[name]
        general = block(_pools(doc)["flyte-nodes"]["node_config"])
        for key, pool in resources(doc, "google_container_node_pool").items():
            config = block(pool["node_config"])
            assert config["service_account"] == general["service_account"], key
            assert config["oauth_scopes"] == general["oauth_scopes"] == ["https://www.googleapis.com/auth/cloud-platform"]
            assert config["tags"] == ["flyte-gcp-gke-node"], key
            assert block(config["workload_metadata_config"]) == {"mode": "GKE_METADATA"}
            assert block(config["shielded_instance_config"]) == {"enable_secure_boot": True, "enable_integrity_monitoring": True}
            assert config["image_type"] == "COS_CONTAINERD"
            assert config["metadata"] == {"disable-legacy-endpoints": "true"}
            if pool["name"] != "flyte-nodes":
                assert key == f"pool-{pool['name']}_pool_{key.rsplit('_', 1)[-1]}", key
                assert pool["cluster"] == "${google_container_cluster.cluster_A4C38409.id}"
                assert "initial_node_count" not in pool, "changing it would replace the pool"


def test_general_pool_is_unchanged_by_extra_pools(synthesized):
    example = resources(synthesized["example"], "google_container_node_pool")
    regional = resources(synthesized["core-raw-regional-gcs"], "google_container_node_pool")
    gpu = resources(synthesized["core-gpu-spot"], "google_container_node_pool")
    (address,) = example
    assert gpu[address] == regional[address]
    assert "gcfs_config" not in block(gpu[address]["node_config"])


def test_gpu_pool_scales_from_zero_with_the_driver_installed(synthesized):
    pool = _pools(synthesized["core-gpu-spot"])["gpu-t4"]
    assert pool["node_locations"] == ["us-central1-a", "us-central1-b"]
    assert block(pool["autoscaling"]) == {"total_min_node_count": 0, "total_max_node_count": 2, "location_policy": "BALANCED"}
    config = block(pool["node_config"])
    assert config["guest_accelerator"] == [
        {"type": "nvidia-tesla-t4", "count": 1, "gpu_driver_installation_config": {"gpu_driver_version": "LATEST"}}
    ]
    assert "spot" not in config and "taint" not in config, "GKE taints GPU nodes itself"
    assert config["gcfs_config"] == {"enabled": True}


def test_spot_pools_are_tainted_and_take_any_zone(synthesized):
    for name in ("spot", "spot-t4"):
        pool = _pools(synthesized["core-gpu-spot"])[name]
        config = block(pool["node_config"])
        assert config["spot"] is True
        assert config["taint"] == [{"key": "cloud.google.com/gke-spot", "value": "true", "effect": "NO_SCHEDULE"}]
        assert block(pool["autoscaling"])["location_policy"] == "ANY"


def test_mig_pool_partitions_local_ssd_and_no_streaming(synthesized):
    doc = synthesized["core-mig-zonal"]
    config = block(_pools(doc)["a100-mig"]["node_config"])
    (accelerator,) = config["guest_accelerator"]
    assert accelerator["gpu_partition_size"] == "1g.5gb"
    assert accelerator["gpu_driver_installation_config"] == {"gpu_driver_version": "DEFAULT"}
    assert config["ephemeral_storage_local_ssd_config"] == {"local_ssd_count": 1}
    assert "gcfs_config" not in config
    assert "containerfilesystem.googleapis.com" not in {s["service"] for s in resources(doc, "google_project_service").values()}
    assert "containerfilesystem.googleapis.com" in {s["service"] for s in resources(synthesized["core-gpu-spot"], "google_project_service").values()}


# --- Flyte's configuration, both charts -------------------------------------------------


GKE_PLUGIN = {
    "gpu-device-node-label": "cloud.google.com/gke-accelerator",
    "gpu-partition-size-node-label": "cloud.google.com/gke-gpu-partition-size",
    "resource-tolerations": {"nvidia.com/gpu": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]},
    "interruptible-tolerations": [{"key": "cloud.google.com/gke-spot", "operator": "Equal", "value": "true", "effect": "NoSchedule"}],
    "interruptible-node-selector-requirement": {"key": "cloud.google.com/gke-spot", "operator": "In", "values": ["true"]},
    "non-interruptible-node-selector-requirement": {"key": "cloud.google.com/gke-spot", "operator": "DoesNotExist"},
    "pod-pending-timeout": "30m",  # an attempt no node can take fails after it instead of waiting forever
}
DERIVED = {"cpu": "7400m", "memory": "27904Mi", "gpu": 1}  # n1-standard-8 cpu, n2-standard-8 memory


def test_flyte_core_scheduling_values(synthesized):
    v = helm_values(synthesized["core-gpu-spot"], "flyte-core")
    assert v["configmap"]["k8s"]["plugins"]["k8s"] == GKE_PLUGIN
    assert v["configmap"]["task_resource_defaults"]["task_resources"]["limits"] == DERIVED
    custom = {next(iter(d)): d[next(iter(d))] for d in v["cluster_resource_manager"]["config"]["cluster_resources"]["customData"]}
    for domain in ("development", "staging", "production"):
        assert custom[domain][:2] == [{"projectQuotaCpu": {"value": "7400m"}}, {"projectQuotaMemory": {"value": "27904Mi"}}]


def test_flyte_binary_scheduling_values(synthesized):
    inline = helm_values(synthesized["binary-gpu-spot"], "flyte-binary")["configuration"]["inline"]
    assert inline["plugins"]["k8s"] == GKE_PLUGIN
    assert inline["task_resources"] == {"limits": DERIVED}


def test_without_gpu_or_spot_pools_only_the_labels_and_limits_are_set(synthesized):
    v = helm_values(synthesized["example"], "flyte-core")
    assert v["configmap"]["k8s"]["plugins"]["k8s"] == {k: GKE_PLUGIN[k] for k in ("gpu-device-node-label", "gpu-partition-size-node-label")}
    assert v["configmap"]["task_resource_defaults"]["task_resources"]["limits"] == {"cpu": "3400m", "memory": "12544Mi", "gpu": 1}


def test_explicit_limits_and_configured_quotas(synthesized):
    v = helm_values(synthesized["core-mig-zonal"], "flyte-core")
    assert v["configmap"]["task_resource_defaults"]["task_resources"]["limits"] == {"cpu": "8", "memory": "64Gi", "gpu": 1, "ephemeralStorage": "300Gi"}
    custom = {next(iter(d)): d[next(iter(d))] for d in v["cluster_resource_manager"]["config"]["cluster_resources"]["customData"]}
    assert custom["production"][:2] == [{"projectQuotaCpu": {"value": "64"}}, {"projectQuotaMemory": {"value": "256Gi"}}]
    assert custom["staging"][:2] == [{"projectQuotaCpu": {"value": "8"}}, {"projectQuotaMemory": {"value": "64Gi"}}]


def test_a_chart_quota_above_the_limits_is_kept():
    inputs = values.FlyteValuesInputs(**{**INPUTS.__dict__, "task_limits": capacity.TaskLimits(cpu="3", memory="1Gi", gpu=1)})
    custom = values.flyte_core_values(inputs)["cluster_resource_manager"]["config"]["cluster_resources"]["customData"]
    assert custom[2]["production"][:2] == [{"projectQuotaCpu": {"value": "5"}}, {"projectQuotaMemory": {"value": "4000Mi"}}]


# Keys the charts do not declare but Flyte reads (flytek8s config.K8sPluginConfig and flyteadmin
# interfaces.TaskResourceSet json keys, v1.16.8); configmap.k8s and task_resource_defaults are
# rendered verbatim into propeller's k8s.yaml and admin's task_resource_defaults.yaml.
SCHEDULING_UNDECLARED = {
    "configmap.k8s.plugins.k8s.resource-tolerations",
    "configmap.k8s.plugins.k8s.interruptible-tolerations",
    "configmap.k8s.plugins.k8s.interruptible-node-selector-requirement",
    "configmap.k8s.plugins.k8s.non-interruptible-node-selector-requirement",
    "configmap.k8s.plugins.k8s.pod-pending-timeout",
    "configmap.task_resource_defaults.task_resources.limits.ephemeralStorage",
}


@pytest.mark.parametrize("chart, builder", [("flyte-core", values.flyte_core_values), ("flyte-binary", values.flyte_binary_values)])
def test_every_scheduling_key_path_exists_in_the_chart(chart, builder):
    full = values.FlyteValuesInputs(
        **{
            **INPUTS.__dict__,
            "node_pools": (capacity.PoolTraits("gpu", accelerator="nvidia-tesla-t4"), capacity.PoolTraits("spot", spot=True)),
            "task_limits": capacity.TaskLimits(cpu="8", memory="30Gi", gpu=1, ephemeral_storage="50Gi"),
        }
    )
    found = set(undeclared_paths(builder(full), chart_defaults(chart))) - ALLOWED_UNDECLARED[chart]
    assert found == (SCHEDULING_UNDECLARED if chart == "flyte-core" else set())


# --- outputs and the example --------------------------------------------------------------


def test_gpu_quota_output(synthesized):
    quota = synthesized["core-gpu-spot"]["output"]["gpu_quota"]
    assert quota["value"] == {
        "gpu-t4": "NVIDIA_T4_GPUS: 2 in us-central1",
        "spot-t4": "PREEMPTIBLE_NVIDIA_T4_GPUS: 4 in us-central1",
        "NVIDIA_T4_GPUS": "2 in us-central1 (all pools)",
        "PREEMPTIBLE_NVIDIA_T4_GPUS": "4 in us-central1 (all pools)",
        "GPUS_ALL_REGIONS": "6",
    }
    assert "GPUS_ALL_REGIONS" in quota["description"]
    assert synthesized["core-mig-zonal"]["output"]["gpu_quota"]["value"]["a100-mig"] == "NVIDIA_A100_GPUS: 1 in us-central1"
    assert "gpu_quota" not in synthesized["example"]["output"]


def test_gpu_example_environment_loads():
    config = load_config(ROOT / "examples" / "gpu.yaml")
    kinds = {(p.accelerator is not None, p.spot) for p in config.gke.node_pools}
    assert (True, False) in kinds and (False, True) in kinds
    assert config.gke.regional is True


def test_readme_warns_about_every_gpu_without_a_matching_flytekit_constant():
    unmatched = {gpu for gpu, spec in accelerators.GPUS.items() if not spec.flytekit}
    assert unmatched == {"nvidia-h100-80gb", "nvidia-h100-mega-80gb", "nvidia-h200-141gb"}
    warning = (ROOT / "README.md").read_text().split("**flytekit accelerator names.**", 1)[1].split("\n\n", 1)[0]
    for gpu in unmatched:
        assert f"`{gpu}`" in warning, gpu
    for spec in accelerators.GPUS.values():
        if spec.flytekit:
            assert f"`{spec.flytekit}`" in warning, spec.flytekit


# --- placement: zones that offer the GPU (issue 18) --------------------------------------------


L4_REGIONAL = {"name": "l4", "machine_type": "g2-standard-8", "accelerator": {"type": "nvidia-l4"}, "max_nodes": 2}


def test_a_regional_gpu_pool_without_zones_runs_where_its_gpu_is_offered():
    """us-central1 has zones a, b, c, f; L4s (g2) are offered in a, b and c only (facts source, read by hand)."""
    from flyte_gcp.config import placement
    from support import build_stack, synth

    config = make_config(gke={"regional": True, "node_pools": [L4_REGIONAL, {**T4_POOL, "zones": None, "name": "t4"}]})
    l4, t4 = config.gke.node_pools
    assert placement.pool_zones(config, l4) == ("us-central1-a", "us-central1-b", "us-central1-c")
    assert placement.pool_zones(config, t4) is None  # T4s in every zone of us-central1: the cluster's zones
    pools = {p["name"]: p for p in resources(synth(build_stack(config)), "google_container_node_pool").values()}
    assert pools["l4"]["node_locations"] == ["us-central1-a", "us-central1-b", "us-central1-c"]
    assert "node_locations" not in pools["t4"]


@pytest.mark.parametrize(
    "overrides, field, reason",
    [
        ({"zone": "us-central1-f", "gke": {"node_pools": [L4_REGIONAL]}}, "gke.node_pools[0].accelerator.type", "nvidia-l4 is not offered in the zonal cluster's zone us-central1-f; set zone: us-central1-a"),
        ({"region": "europe-west9", "zone": "europe-west9-b", "gke": {"regional": True, "node_pools": [{**T4_POOL, "zones": None}]}}, "gke.node_pools[0].accelerator.type", "no zone of europe-west9 offers nvidia-tesla-t4; regions that do: asia-east1"),
        ({"region": "europe-west9", "zone": "europe-west9-b", "gke": {"machine_type": "n1-standard-4"}}, "gke.machine_type", "n1-standard-4 (N1) is not offered in europe-west9-b"),
        (pools(zones=["us-central1-a", "us-central1-d"]), "gke.node_pools[0].zones[1]", "'us-central1-d' is not a zone of us-central1; its zones are us-central1-a"),
        (pools(accelerator={"type": "nvidia-tesla-t5"}), "gke.node_pools[0].accelerator.type", "did you mean 'nvidia-tesla-t4'?"),
    ],
)
def test_placement_mistakes_name_the_zones_that_would_do(tmp_path, overrides, field, reason):
    message = error_for(tmp_path, **overrides)
    assert f": {field}: " in message and reason in message, message
