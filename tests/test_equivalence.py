"""The same stacks under both toolchains (issue 22): every variant, address for address, value for value.

Every environment variant (`VARIANTS`) and every bootstrap stack variant (`BOOTSTRAP_VARIANTS`).

`make equivalence` has the cdktn environment synthesize every variant into a directory
(`scripts/synth_variants.py`, one process), then runs this file in the default (cdktf)
environment with `--equivalence DIR`: each variant's in-session synth is compared with the
other toolchain's, up to the normalisations documented in `tests/equivalence.py`. Without
`--equivalence` the comparisons are deselected (the run's header says so); with it, a missing
or stale input fails. The comparison itself is shown to fail on planted differences below,
in every run.
"""

from __future__ import annotations

import copy
import json

import pytest
from equivalence import addresses, compare, comparable, qualified_source
from support import BOOTSTRAP_VARIANTS, VARIANTS

from flyte_gcp.cdk import toolchain


def other_side(directory) -> dict:
    """What the other toolchain wrote (scripts/synth_variants.py): checked to be complete and really the other one."""
    manifest_file = directory / "manifest.json"
    assert manifest_file.is_file(), f"{manifest_file} missing: run `make equivalence` (scripts/synth_variants.py writes it)"
    manifest = json.loads(manifest_file.read_text())
    assert manifest["toolchain"] != toolchain.NAME, f"both sides were synthesized by {toolchain.NAME}: nothing is compared"
    listed = (manifest["variants"], manifest.get("bootstrap_variants"))
    assert listed == (list(VARIANTS), list(BOOTSTRAP_VARIANTS)), "the other toolchain synthesized another variant list: rerun `make equivalence`"
    return {"toolchain": manifest["toolchain"], "directory": directory}


@pytest.fixture(scope="session")
def other_toolchain(request) -> dict:
    return other_side(request.config.getoption("equivalence"))


def _same_stack(name: str, doc: dict, other_toolchain: dict) -> None:
    path = other_toolchain["directory"] / f"{name}.json"
    assert path.is_file(), f"{path} missing: run `make equivalence`"
    other = json.loads(path.read_text())
    assert addresses(other) == addresses(doc), f"{name}: a resource address differs between the toolchains"
    assert compare(doc, other) == [], f"{name}: {toolchain.NAME} and {other_toolchain['toolchain']} differ"


@pytest.mark.equivalence
@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_other_toolchain_synthesizes_the_same_stack(synthesized, other_toolchain, name):
    _same_stack(name, synthesized[name], other_toolchain)


@pytest.mark.equivalence
@pytest.mark.parametrize("name", list(BOOTSTRAP_VARIANTS))
def test_the_other_toolchain_synthesizes_the_same_bootstrap_stack(bootstrap_synthesized, other_toolchain, name):
    _same_stack(name, bootstrap_synthesized[name], other_toolchain)


# What cdktn writes for the parts that legitimately differ (seen in its synth of every variant).
CDKTN_NAMESPACE = {"metadata": [{"name": "flyte"}]}
CDKTF_NAMESPACE = {"metadata": {"name": "flyte"}}
CDKTN_GOOGLE = {"source": "hashicorp/google", "version": "8.7.0"}
CDKTF_GOOGLE = {"source": "google", "version": "6.50.0"}


def _stack(namespace: dict, google: dict) -> dict:
    return {
        "resource": {
            "kubernetes_namespace_v1": {"flyte_ns": copy.deepcopy(namespace)},
            "google_storage_bucket": {"data_ABC": {"name": "b", "public_access_prevention": "enforced"}},
        },
        "data": {"google_client_config": {"client-config": {}}},
        "terraform": {"required_providers": {"google": dict(google)}},
    }


def test_the_documented_normalisations_make_the_two_shapes_equal():
    assert compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), _stack(CDKTN_NAMESPACE, CDKTN_GOOGLE)) == []
    assert qualified_source("google") == qualified_source("hashicorp/google") == "registry.terraform.io/hashicorp/google"
    assert qualified_source("alekc/kubectl") == "registry.terraform.io/alekc/kubectl"


def test_a_changed_value_is_found():
    cdktn = _stack(CDKTN_NAMESPACE, CDKTN_GOOGLE)
    cdktn["resource"]["google_storage_bucket"]["data_ABC"]["public_access_prevention"] = "inherited"
    assert compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), cdktn) == [
        "resource.google_storage_bucket.data_ABC.public_access_prevention: 'enforced' != 'inherited'"
    ]


def test_a_moved_address_is_found_before_anything_else():
    cdktn = _stack(CDKTN_NAMESPACE, CDKTN_GOOGLE)
    cdktn["resource"]["google_storage_bucket"]["data_XYZ"] = cdktn["resource"]["google_storage_bucket"].pop("data_ABC")
    found = compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), cdktn)
    assert found[:2] == ["- google_storage_bucket.data_ABC", "+ google_storage_bucket.data_XYZ"]


def test_only_a_list_of_one_namespace_metadata_block_is_normalised():
    two_blocks = {"metadata": [{"name": "flyte"}, {"name": "other"}]}
    assert compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), _stack(two_blocks, CDKTN_GOOGLE)) != []
    renamed = {"metadata": [{"name": "flyte-2"}]}
    assert compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), _stack(renamed, CDKTN_GOOGLE)) == [
        "resource.kubernetes_namespace_v1.flyte_ns.metadata.name: 'flyte' != 'flyte-2'"
    ]
    other_type = _stack(CDKTF_NAMESPACE, CDKTF_GOOGLE)
    other_type["resource"]["kubernetes_secret_v1"] = {"s": {"metadata": [{"name": "x"}]}}
    assert comparable(other_type)["resource"]["kubernetes_secret_v1"]["s"]["metadata"] == [{"name": "x"}]


def test_another_provider_source_is_found():
    fork = {"source": "someone/google", "version": "8.7.0"}
    assert compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), _stack(CDKTN_NAMESPACE, fork)) == [
        "terraform.required_providers.google.source: 'registry.terraform.io/hashicorp/google' != 'registry.terraform.io/someone/google'"
    ]


def test_a_provider_missing_on_one_side_is_found():
    cdktn = _stack(CDKTN_NAMESPACE, CDKTN_GOOGLE)
    cdktn["terraform"]["required_providers"]["random"] = {"source": "hashicorp/random", "version": "3.9.1"}
    assert compare(_stack(CDKTF_NAMESPACE, CDKTF_GOOGLE), cdktn) == ["terraform.required_providers.random: only in the second"]


def test_a_missing_or_stale_input_fails_instead_of_skipping(tmp_path):
    with pytest.raises(AssertionError, match="manifest.json missing"):
        other_side(tmp_path)
    other = "cdktn" if toolchain.NAME == "cdktf" else "cdktf"
    (tmp_path / "manifest.json").write_text(json.dumps({"toolchain": other, "variants": list(VARIANTS)[:-1], "bootstrap_variants": list(BOOTSTRAP_VARIANTS)}))
    with pytest.raises(AssertionError, match="another variant list"):
        other_side(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"toolchain": toolchain.NAME, "variants": list(VARIANTS), "bootstrap_variants": list(BOOTSTRAP_VARIANTS)}))
    with pytest.raises(AssertionError, match="nothing is compared"):
        other_side(tmp_path)
