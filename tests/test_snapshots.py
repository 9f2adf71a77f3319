"""Whole-stack snapshots: they guard every resource address and argument of every variant.

Update them deliberately with `make test PYTEST_ARGS=--snapshot-update` (see README) and
read the diff as you would read a Terraform plan.
"""

from syrupy.extensions.json import JSONSnapshotExtension


def test_stack_snapshot(variant, snapshot):
    name, doc = variant
    assert doc == snapshot(extension_class=JSONSnapshotExtension, name=name)


def test_bootstrap_stack_snapshot(bootstrap_variant, snapshot):
    name, doc = bootstrap_variant
    assert doc == snapshot(extension_class=JSONSnapshotExtension, name=name)
