"""Whole-stack snapshots: they guard every resource address and argument of every variant.

Update them deliberately with `make test PYTEST_ARGS=--snapshot-update` (see README) and
read the diff as you would read a Terraform plan.

The snapshots hold the default toolchain's (cdktf) output. Under the other toolchain (cdktn)
a stack matches its snapshot when the two are the same up to the normalisations documented in
`tests/equivalence.py` (namespace metadata shape, provider source spelling and versions), and
the snapshots cannot be rewritten from there.
"""

from __future__ import annotations

import json

import pytest
from equivalence import compare
from syrupy.extensions.json import JSONSnapshotExtension

from flyte_gcp.cdk import toolchain


class ToolchainSnapshot(JSONSnapshotExtension):
    def matches(self, *, serialized_data, snapshot_data) -> bool:
        if toolchain.NAME == toolchain.DEFAULT:
            return super().matches(serialized_data=serialized_data, snapshot_data=snapshot_data)
        return compare(json.loads(snapshot_data), json.loads(serialized_data)) == []

    @classmethod
    def write_snapshot(cls, **kwargs) -> None:
        if toolchain.NAME != toolchain.DEFAULT:
            raise RuntimeError(f"the snapshots hold {toolchain.DEFAULT}'s output: update them with `make test PYTEST_ARGS=--snapshot-update`")
        super().write_snapshot(**kwargs)


def test_stack_snapshot(variant, snapshot):
    name, doc = variant
    assert doc == snapshot(extension_class=ToolchainSnapshot, name=name)


def test_bootstrap_stack_snapshot(bootstrap_variant, snapshot):
    name, doc = bootstrap_variant
    assert doc == snapshot(extension_class=ToolchainSnapshot, name=name)


def test_a_stack_matches_its_snapshot_only_up_to_the_documented_normalisations(monkeypatch):
    stored = {"resource": {"kubernetes_namespace_v1": {"ns": {"metadata": {"name": "flyte"}}}}}
    cdktn = {"resource": {"kubernetes_namespace_v1": {"ns": {"metadata": [{"name": "flyte"}]}}}}
    renamed = {"resource": {"kubernetes_namespace_v1": {"ns": {"metadata": [{"name": "other"}]}}}}
    extension = ToolchainSnapshot()

    def matches(doc):
        return extension.matches(serialized_data=json.dumps(doc), snapshot_data=json.dumps(stored))

    monkeypatch.setattr(toolchain, "NAME", toolchain.DEFAULT)
    assert matches(stored) and not matches(cdktn)  # the default toolchain: byte for byte
    monkeypatch.setattr(toolchain, "NAME", "cdktn")
    assert matches(cdktn) and not matches(renamed)
    with pytest.raises(RuntimeError, match="update them with `make test PYTEST_ARGS=--snapshot-update`"):
        ToolchainSnapshot.write_snapshot(snapshot_location="unused", snapshots=[])
