"""Replacements announced before they happen (issue 16): a stack's previous and new JSON compared
on `facts/force_new.py` by `cli/replacements.py`, in-process on two synthesized stacks and once
through the command line.
"""

from __future__ import annotations

import copy

from support import EXAMPLE, VARIANTS, build_stack, make_config, synth

import main
from flyte_gcp.cli.replacements import compare, previous


def _lines(old, **overrides):
    return [r.line("prod") for r in compare(old, synth(build_stack(make_config(**overrides), "example")))]


def test_a_zone_move_announces_the_cluster_and_its_pool(synthesized):
    assert _lines(synthesized["example"], zone="us-central1-a") == [
        "prod: REPLACES google_container_cluster.cluster_A4C38409 (location us-central1-b -> us-central1-a): "
        "the cluster and everything running on it are recreated (blocked while its deletion protection is on)",
        "prod: REPLACES google_container_node_pool.cluster_node-pool_6EB9B867 (location us-central1-b -> us-central1-a): "
        "its nodes are recreated",
    ]


def test_a_renamed_application_announces_data_loss(synthesized):
    lines = _lines(synthesized["example"], application="ml")
    assert "prod: REPLACES google_storage_bucket.data-bucket_D46037D5 (name flyte-gcp-data-123456789012 -> ml-gcp-data-123456789012): " \
        "data loss: every object in the bucket is deleted (blocked while its deletion protection is on)" in lines
    (instance,) = [line for line in lines if line.startswith("prod: REPLACES google_sql_database_instance.")]
    assert instance.startswith("prod: REPLACES google_sql_database_instance.database_instance_D7FC2283 (name flyte-gcp-db-${random_id.hex} -> ml-gcp-db-${random_id.hex})")
    assert "data loss" in instance
    assert any(line.startswith("prod: REPLACES google_container_cluster.cluster_A4C38409 (name flyte-gcp -> ml-gcp)") for line in lines)
    assert "prod: REPLACES google_sql_database.database_7CF902CB (instance follows google_sql_database_instance.database_instance_D7FC2283, " \
        "which is replaced): data loss: the database and its tables are dropped" in lines
    assert any(line.startswith("prod: REPLACES google_compute_address.ingress-address_B8804ACC (name flyte-gcp-ingress -> ml-gcp-ingress)") for line in lines)


def test_a_bucket_location_change_announces_data_loss(synthesized):
    lines = _lines(synthesized["example"], region="europe-west1", zone="europe-west1-b")
    assert "prod: REPLACES google_storage_bucket.data-bucket_D46037D5 (location US-CENTRAL1 -> EUROPE-WEST1): " \
        "data loss: every object in the bucket is deleted (blocked while its deletion protection is on)" in lines
    (instance,) = [line for line in lines if line.startswith("prod: REPLACES google_sql_database_instance.")]
    assert "(region us-central1 -> europe-west1; the new instance would keep its name" in instance


def test_a_node_pools_max_nodes_is_not_announced(synthesized):
    pools = copy.deepcopy(VARIANTS["core-gpu-spot"]["gke"]["node_pools"])
    pools[0]["max_nodes"] = 8
    assert _lines(synthesized["core-gpu-spot"], gke={"regional": True, "node_pools": pools}) == []
    assert _lines(synthesized["example"], gke={"max_nodes": 6}) == []


def test_a_removed_bucket_is_announced_as_destroyed(synthesized):
    old = synthesized["core-raw-regional-gcs"]
    overrides = {**VARIANTS["core-raw-regional-gcs"], "separate_raw_data_bucket": False}
    assert _lines(old, **overrides) == [
        "prod: DESTROYS google_storage_bucket.raw-data-bucket_8B441A35 (no longer in the stack): "
        "data loss: every object in the bucket is deleted (blocked while its deletion protection is on)"
    ]


def test_ignored_attributes_are_not_announced(synthesized):
    old = copy.deepcopy(synthesized["example"])
    next(iter(old["resource"]["google_container_cluster"].values()))["initial_node_count"] = 3
    assert compare(old, synthesized["example"]) == []
    del next(iter(old["resource"]["google_container_cluster"].values()))["lifecycle"]
    new = copy.deepcopy(old)
    next(iter(new["resource"]["google_container_cluster"].values()))["initial_node_count"] = 1
    assert [r.address for r in compare(old, new)] == [
        "google_container_cluster.cluster_A4C38409",
        "google_container_node_pool.cluster_node-pool_6EB9B867",  # its `cluster` is the new cluster's id
    ]


def test_the_command_line_announces_replacements_after_the_summary(tmp_path, monkeypatch, capsys):
    """First synth: the summary only. A zone move: the replacements. A harmless change: nothing."""
    environments = tmp_path / "environments"
    environments.mkdir()
    monkeypatch.setattr(main, "ENVIRONMENTS", environments)
    monkeypatch.delenv("FLYTE_GCP_CONFIG", raising=False)
    prod = environments / "prod.yaml"
    outdir = tmp_path / "out"

    def run(text: str) -> list[str]:
        prod.write_text(text)
        assert main.main(["prod", "--outdir", str(outdir)]) == 0
        return capsys.readouterr().out.splitlines()

    first = run(EXAMPLE.read_text())
    assert len(first) == 1 and first[0].startswith("prod: ")
    moved = run(EXAMPLE.read_text().replace("zone: us-central1-b", "zone: us-central1-a"))
    assert moved[0].startswith("prod: ") and moved[1:] == [
        "prod: REPLACES google_container_cluster.cluster_A4C38409 (location us-central1-b -> us-central1-a): "
        "the cluster and everything running on it are recreated (blocked while its deletion protection is on)",
        "prod: REPLACES google_container_node_pool.cluster_node-pool_6EB9B867 (location us-central1-b -> us-central1-a): "
        "its nodes are recreated",
    ]
    harmless = run(EXAMPLE.read_text().replace("zone: us-central1-b", "zone: us-central1-a") + "gke:\n  max_nodes: 5\n")
    assert len(harmless) == 1 and harmless[0].startswith("prod: ")


def test_only_a_readable_previous_stack_is_compared(tmp_path):
    """No file (a first synth) or an unreadable one: nothing to compare, nothing announced."""
    (tmp_path / "stacks" / "broken").mkdir(parents=True)
    (tmp_path / "stacks" / "broken" / "cdk.tf.json").write_text("previous")
    (tmp_path / "stacks" / "prod").mkdir()
    (tmp_path / "stacks" / "prod" / "cdk.tf.json").write_text('{"resource": {}}')
    assert previous(tmp_path, ["new", "broken", "prod"]) == {"prod": {"resource": {}}}
