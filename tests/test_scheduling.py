"""Where Flyte's pods land, computed from the synthesized pools and the rendered Flyte values (issue 12).

The three statements of the issue, on both charts: a task with `accelerator=T4` lands
only on T4 pools; an interruptible task only on spot pools; an ordinary task and the
control plane only on the general pool. Each guard is shown to fail when a label key,
a toleration or a taint is removed.
"""

from __future__ import annotations

import copy

import pytest
from scheduling import CONTROL_PLANE_POD, landing_pools, plugin_config, task_pod
from support import block, resources

GENERAL = "flyte-nodes"
T4 = "nvidia-tesla-t4"  # flytekit's T4 constant
CHARTS = {"core-gpu-spot": "flyte-core", "binary-gpu-spot": "flyte-binary"}
SPOT_POOLS = {"core-gpu-spot": {"spot"}, "binary-gpu-spot": {"spot"}}
INTERRUPTIBLE_T4 = {"core-gpu-spot": {"spot-t4"}, "binary-gpu-spot": set()}


@pytest.fixture(params=list(CHARTS))
def gpu_variant(request, synthesized):
    name = request.param
    return name, synthesized[name], plugin_config(synthesized[name], CHARTS[name])


def test_t4_task_lands_only_on_t4_pools(gpu_variant):
    name, doc, config = gpu_variant
    assert landing_pools(task_pod(config, gpus=1, accelerator=T4), doc) == {"gpu-t4"}, name
    # Interruptible: only a spot pool with T4s (none in the flyte-binary variant: it waits for its
    # last, non-interruptible retry, which lands on the on-demand T4 pool).
    assert landing_pools(task_pod(config, gpus=1, accelerator=T4, interruptible=True), doc) == INTERRUPTIBLE_T4[name]


def test_interruptible_task_lands_only_on_spot_pools(gpu_variant):
    name, doc, config = gpu_variant
    assert landing_pools(task_pod(config, interruptible=True), doc) == SPOT_POOLS[name]


def test_ordinary_task_and_control_plane_land_only_on_the_general_pool(gpu_variant):
    name, doc, config = gpu_variant
    assert landing_pools(task_pod(config), doc) == {GENERAL}, name
    assert landing_pools(CONTROL_PLANE_POD, doc) == {GENERAL}, name


def test_a_gpu_task_without_an_accelerator_lands_on_any_on_demand_gpu_pool(synthesized):
    doc = synthesized["binary-gpu-spot"]
    config = plugin_config(doc, "flyte-binary")
    assert landing_pools(task_pod(config, gpus=1), doc) == {"gpu-t4"}
    assert landing_pools(task_pod(config, gpus=1, accelerator="nvidia-l4", interruptible=True), doc) == {"spot-l4"}


def test_mig_and_l4_pools_without_spot(synthesized):
    doc = synthesized["core-mig-zonal"]
    config = plugin_config(doc, "flyte-core")
    a100 = dict(gpus=1, accelerator="nvidia-tesla-a100")
    assert landing_pools(task_pod(config, **a100, partition_size="1g.5gb"), doc) == {"a100-mig"}
    assert landing_pools(task_pod(config, **a100, partition_size="3g.20gb"), doc) == set()
    assert landing_pools(task_pod(config, gpus=1, accelerator="nvidia-l4"), doc) == {"l4"}
    # Without a spot pool interruptible tasks are not required onto spot nodes: they still run.
    assert landing_pools(task_pod(config, interruptible=True), doc) == {GENERAL}
    assert landing_pools(CONTROL_PLANE_POD, doc) == {GENERAL}


# --- the model fails when the configuration loses a piece ----------------------------


def without(config: dict, key: str) -> dict:
    config = copy.deepcopy(config)
    del config[key]
    return config


def test_without_the_gke_accelerator_label_a_t4_task_lands_nowhere(gpu_variant):
    _, doc, config = gpu_variant
    broken = without(config, "gpu-device-node-label")  # back to Flyte's AWS default
    assert landing_pools(task_pod(broken, gpus=1, accelerator=T4), doc) == set()


def test_without_the_gke_partition_label_a_mig_task_lands_nowhere(synthesized):
    doc = synthesized["core-mig-zonal"]
    broken = without(plugin_config(doc, "flyte-core"), "gpu-partition-size-node-label")
    assert landing_pools(task_pod(broken, gpus=1, accelerator="nvidia-tesla-a100", partition_size="1g.5gb"), doc) == set()


def test_without_the_spot_toleration_an_interruptible_task_lands_nowhere(gpu_variant):
    _, doc, config = gpu_variant
    assert landing_pools(task_pod(without(config, "interruptible-tolerations"), interruptible=True), doc) == set()


def test_without_the_interruptible_requirement_interruptible_tasks_spill_onto_on_demand_nodes(gpu_variant):
    _, doc, config = gpu_variant
    broken = without(config, "interruptible-node-selector-requirement")
    assert landing_pools(task_pod(broken, interruptible=True), doc) == {GENERAL, "spot"}


def test_without_the_spot_taint_ordinary_tasks_and_the_control_plane_land_on_spot(gpu_variant):
    _, doc, config = gpu_variant
    doc = copy.deepcopy(doc)
    for pool in resources(doc, "google_container_node_pool").values():
        block(pool["node_config"]).pop("taint", None)
    assert "spot" in landing_pools(CONTROL_PLANE_POD, doc)
    assert "spot" in landing_pools(task_pod(without(config, "non-interruptible-node-selector-requirement")), doc)


def test_without_the_gpu_taint_tolerated_a_gpu_task_would_not_land(synthesized):
    """GPU nodes carry GKE's nvidia.com/gpu taint: a pod tolerating nothing stays off them."""
    doc = synthesized["core-gpu-spot"]
    pod = task_pod(plugin_config(doc, "flyte-core"), gpus=1, accelerator=T4)
    pod.tolerations = [t for t in pod.tolerations if t["key"] != "nvidia.com/gpu"]
    assert landing_pools(pod, doc) == set()
