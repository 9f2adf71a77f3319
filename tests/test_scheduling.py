"""Where Flyte's pods land, computed from the synthesized pools and the rendered Flyte values (issue 12).

The three statements of the issue, on both charts: a task requesting a GPU with
`accelerator=T4` lands only on T4 pools; an interruptible task only on spot pools; an
ordinary task and the control plane only on the general pool. Each guard is shown to fail
when a label key, a toleration or a taint is removed. And what happens over a task's
attempts (issue 18): an attempt no node can take fails after `pod-pending-timeout` (and
without it waits forever), evictions move a task to on-demand capacity, and `accelerator=`
without a GPU request never reaches a GPU node.
"""

from __future__ import annotations

import copy

import pytest
from scheduling import CONTROL_PLANE_POD, attempts, landing_pools, plugin_config, task_pod
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
    # Interruptible: only a spot pool with T4s. The flyte-binary variant has none: no node takes
    # such an attempt (see test_an_interruptible_gpu_task_without_a_spot_pool_of_its_type_fails_after_the_timeout).
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


# --- over a task's attempts (flytepropeller v1.16.8 retry defaults) ------------------------


def test_an_interruptible_gpu_task_without_a_spot_pool_of_its_type_fails_after_the_timeout(synthesized):
    """binary-gpu-spot has an on-demand T4 pool and no spot T4 pool: the interruptible attempt's
    two required node conditions (spot, T4) match no node. Each attempt fails after
    pod-pending-timeout as a user error: it stays interruptible (only system failures, such as
    evictions, make the next attempt non-interruptible), so its retries do the same, and the task
    fails visibly instead of waiting forever."""
    doc = synthesized["binary-gpu-spot"]
    config = plugin_config(doc, "flyte-binary")
    task = dict(gpus=1, accelerator=T4, interruptible=True)
    assert attempts(doc, config, **task, retries=2) == ["timed out pending"] * 3 + ["failed"]
    assert attempts(doc, config, gpus=1, accelerator=T4, retries=2) == ["ran on gpu-t4"]  # not interruptible: it runs


def test_without_the_pending_timeout_such_a_task_waits_forever(synthesized):
    doc = synthesized["binary-gpu-spot"]
    broken = without(plugin_config(doc, "flyte-binary"), "pod-pending-timeout")  # Flyte's default: 0
    assert attempts(doc, broken, gpus=1, accelerator=T4, interruptible=True, retries=2) == ["pending forever"]


def test_the_timeout_is_set_on_both_charts_with_spot_pools_only(synthesized):
    for name, chart in CHARTS.items():
        assert plugin_config(synthesized[name], chart)["pod-pending-timeout"] == "30m", name
    assert "pod-pending-timeout" not in plugin_config(synthesized["core-mig-zonal"], "flyte-core")  # no spot pool


def test_evictions_move_an_interruptible_task_to_on_demand_capacity(synthesized):
    """After three spot evictions (system failures) the next attempt is not interruptible and
    lands on the on-demand pool of its GPU type; with spot capacity only, it has nowhere to go."""
    doc = synthesized["core-gpu-spot"]
    config = plugin_config(doc, "flyte-core")
    assert attempts(doc, config, gpus=1, accelerator=T4, interruptible=True, evictions=3) == ["evicted from spot-t4"] * 3 + ["ran on gpu-t4"]
    assert attempts(doc, config, interruptible=True, evictions=3) == ["evicted from spot"] * 3 + ["ran on flyte-nodes"]
    spot_only = synthesized["binary-gpu-spot"]  # nvidia-l4 has a spot pool and no on-demand pool
    l4 = dict(gpus=1, accelerator="nvidia-l4", interruptible=True, evictions=3)
    assert attempts(spot_only, plugin_config(spot_only, "flyte-binary"), **l4) == ["evicted from spot-l4"] * 3 + ["timed out pending", "failed"]


def test_an_accelerator_without_a_gpu_request_never_reaches_a_gpu_node(gpu_variant):
    """ApplyGPUNodeSelectors returns early unless a container has an nvidia.com/gpu limit: `accelerator=T4`
    alone adds no T4 condition and no GPU toleration, so the pod stays off GPU nodes (tainted)."""
    name, doc, config = gpu_variant
    assert landing_pools(task_pod(config, accelerator=T4), doc) == {GENERAL}, name
    assert landing_pools(task_pod(config, accelerator=T4, interruptible=True), doc) == SPOT_POOLS[name]
    assert attempts(doc, config, accelerator=T4) == [f"ran on {GENERAL}"]


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


# --- the synth summary's warnings ----------------------------------------------------------


def test_the_summary_warns_about_gpu_types_the_pools_cannot_always_place():
    from flyte_gcp.config.capacity import PoolTraits
    from flyte_gcp.values.scheduling import warnings

    spot_only = PoolTraits("spot-l4", accelerator="nvidia-l4", spot=True)
    on_demand_only = PoolTraits("gpu-t4", accelerator="nvidia-tesla-t4")
    both = [PoolTraits("a", accelerator="nvidia-tesla-a100"), PoolTraits("b", accelerator="nvidia-tesla-a100", spot=True)]
    found = warnings([spot_only, on_demand_only, *both])
    assert len(found) == 2
    assert found[0].startswith("nvidia-l4 has spot pools only (spot-l4): after three spot evictions")
    assert found[1].startswith("nvidia-tesla-t4 has no spot pool: an interruptible task requesting it matches no node")
    assert warnings([on_demand_only, PoolTraits("spot", spot=True)]) == [found[1]]
    assert warnings([on_demand_only]) == []  # no spot pool at all: interruptible tasks run like the others
    assert warnings(both) == []


def test_a_synth_prints_the_warnings_after_the_summary(tmp_path, capsys):
    import yaml
    from support import VARIANTS, example_data, merge

    import main

    path = tmp_path / "ml.yaml"
    path.write_text(yaml.safe_dump(merge(example_data(), VARIANTS["binary-gpu-spot"])))
    assert main.main([str(path), "--outdir", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ml: ") and " resources -> " in lines[0]
    assert [line.split(" has ")[0] for line in lines[1:]] == ["ml: warning: nvidia-l4", "ml: warning: nvidia-tesla-t4"]
