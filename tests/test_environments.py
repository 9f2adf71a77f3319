"""Files meeting each other (issue 13): duplicates across files, `.yml`, stack names, stale folders.

Everything runs on tmp dirs: no test depends on what is in environments/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import example_data, merge

from flyte_gcp.config import environments

from flyte_gcp.cli import output
from flyte_gcp.config.loader import ConfigError


def write(directory: Path, name: str, **overrides) -> Path:
    """The example as `name`, serving a hostname of its own unless `overrides` names one."""
    path = directory / name
    own_host = {"hostname": f"flyte-{name.replace(' ', '-').replace('.', '-')}.example.com"}
    path.write_text(yaml.safe_dump(merge(example_data(), {**own_host, **overrides})))
    return path


def test_yml_files_are_environments_like_yaml_files(tmp_path):
    write(tmp_path, "prod.yaml")
    write(tmp_path, "dev.yml", environment="dev")
    (tmp_path / "notes.txt").write_text("not an environment")
    (tmp_path / "README.md").write_text("# not an environment")
    paths = environments.environment_files(tmp_path)
    assert [p.name for p in paths] == ["dev.yml", "prod.yaml"]
    assert list(environments.load_all(paths)) == ["dev", "prod"]


def test_two_environments_colliding_in_one_project_name_both_files(tmp_path):
    a = write(tmp_path, "a.yaml")
    b = write(tmp_path, "b.yml")
    with pytest.raises(ConfigError) as err:
        environments.load_all([a, b])
    assert str(err.value) == (
        f"{a} and {b}: both create 'flyte-gcp' resources in project 'my-flyte-project'; "
        "change application or environment in one of them"
    )


def test_same_names_in_different_projects_or_environments_are_fine(tmp_path):
    a = write(tmp_path, "a.yaml")
    b = write(tmp_path, "b.yaml", project_id="other-flyte-project")
    c = write(tmp_path, "c.yaml", environment="staging")
    assert list(environments.load_all([a, b, c])) == ["a", "b", "c"]


def test_two_files_for_one_stack_are_an_error(tmp_path):
    a = write(tmp_path, "prod.yaml")
    b = write(tmp_path, "prod.yml", environment="other")
    with pytest.raises(ConfigError, match=rf"^{a} and {b}: both would be the stack 'prod'; rename one$"):
        environments.load_all(environments.environment_files(tmp_path))


def test_file_name_must_make_a_stack_name(tmp_path):
    path = write(tmp_path, "my env.yaml")
    with pytest.raises(ConfigError, match=r"my env\.yaml: the file name 'my env' is not a usable stack name"):
        environments.load_all([path])


def test_problems_of_every_file_and_between_files_are_reported_together(tmp_path):
    bad = write(tmp_path, "bad.yaml", email="nobody")
    a = write(tmp_path, "a.yaml")
    b = write(tmp_path, "b.yaml")
    with pytest.raises(ConfigError) as err:
        environments.load_all([bad, a, b])
    lines = str(err.value).splitlines()
    assert lines == [f"{bad}: email: 'nobody' is not an e-mail address", f"{a} and {b}: both create 'flyte-gcp' resources in project 'my-flyte-project'; change application or environment in one of them"]


# --- stale stack folders -----------------------------------------------------


def stack_folder(outdir: Path, name: str, *entries: str) -> Path:
    folder = outdir / "stacks" / name
    folder.mkdir(parents=True)
    for entry in entries:
        if entry.endswith("/"):
            (folder / entry).mkdir()
        else:
            (folder / entry).write_text("x")
    return folder


def test_stale_folder_with_only_synth_output_is_removed(tmp_path):
    outdir = tmp_path / "out"
    stack_folder(outdir, "prod", "cdk.tf.json")
    old = stack_folder(outdir, "old", "cdk.tf.json", "metadata.json")
    empty = stack_folder(outdir, "empty")
    lines = output.clean_stale(outdir, ["prod"], tmp_path)
    assert lines == [
        f"stale: {empty} (no environment file produces it any more) removed: it held only synth output",
        f"stale: {old} (no environment file produces it any more) removed: it held only synth output",
    ]
    assert [p.name for p in (outdir / "stacks").iterdir()] == ["prod"]


@pytest.mark.parametrize(
    "entries, kept_because",
    [
        (("cdk.tf.json", ".terraform/"), ".terraform"),
        (("cdk.tf.json", ".terraform.lock.hcl"), ".terraform.lock.hcl"),
        (("cdk.tf.json", "terraform.tfstate"), "terraform.tfstate"),
        (("notes.md",), "notes.md"),
        (("cdk.tf.json/",), "cdk.tf.json"),  # a folder of that name is not our output
    ],
)
def test_stale_folder_with_anything_else_is_kept_and_reported(tmp_path, entries, kept_because):
    outdir = tmp_path / "out"
    old = stack_folder(outdir, "old", *entries)
    lines = output.clean_stale(outdir, [], tmp_path)
    assert lines == [
        f"stale: {old} (no environment file produces it any more) kept: it holds {kept_because}; "
        "if it was deployed, destroy it first, then delete the folder"
    ]
    assert old.is_dir()


def test_stale_stack_with_local_state_is_flagged(tmp_path):
    outdir = tmp_path / "out"
    stack_folder(outdir, "old", "cdk.tf.json")
    (tmp_path / "terraform.old.tfstate").write_text("{}")
    lines = output.clean_stale(outdir, [], tmp_path)
    assert lines[-1] == f"stale: {tmp_path / 'terraform.old.tfstate'} still exists: the stack's resources may still be deployed"
