"""The app entry point: output goes to CDKTF_OUTDIR only when every stack synthesizes."""

from __future__ import annotations

import json
import os

import pytest
from support import make_config, resource_of_type

import main
from flyte_gcp import stack as stack_module


class LiteralPasswordStack(stack_module.FlyteGcpStack):
    """A user's extension that breaks a policy rule."""

    def __init__(self, scope, id, *, config, local_state_path=None):
        super().__init__(scope, id, config=config, local_state_path=local_state_path)
        if id == "broken":
            resource_of_type(self, "google_sql_user").add_override("password", "hunter2hunter2")


def test_failed_synth_leaves_the_previous_output_untouched(tmp_path, monkeypatch):
    outdir = tmp_path / "cdktf.out"
    (outdir / "stacks" / "good").mkdir(parents=True)
    (outdir / "stacks" / "good" / "cdk.tf.json").write_text("previous")
    monkeypatch.setattr(stack_module, "FlyteGcpStack", LiteralPasswordStack)
    configs = {"good": make_config(), "broken": make_config(environment="broken")}
    with pytest.raises(Exception, match="FG6-literal-password"):
        main.synth(configs, outdir)
    assert (outdir / "stacks" / "good" / "cdk.tf.json").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cdktf.out"]  # staging removed
    assert not (outdir / "stacks" / "broken").exists()


def test_synth_replaces_stack_files_and_keeps_terraform_working_files(tmp_path):
    outdir = tmp_path / "out"
    terraform_dir = outdir / "stacks" / "example" / ".terraform"
    terraform_dir.mkdir(parents=True)
    (terraform_dir / "terraform.tfstate").write_text("backend settings")
    main.synth({"example": make_config()}, outdir)
    doc = json.loads((outdir / "stacks" / "example" / "cdk.tf.json").read_text())
    assert "google_container_cluster" in doc["resource"]
    assert (terraform_dir / "terraform.tfstate").read_text() == "backend settings"
    assert json.loads((outdir / "manifest.json").read_text())["stacks"]["example"]["workingDirectory"] == "stacks/example"
    state = doc["terraform"]["backend"]["local"]["path"]
    assert not os.path.isabs(state)
    assert os.path.normpath(outdir / "stacks" / "example" / state) == str(main.ROOT / "terraform.example.tfstate")


def test_every_environment_file_is_synthesized_by_default(monkeypatch):
    monkeypatch.delenv("FLYTE_GCP_CONFIG", raising=False)
    assert [p.name for p in main.config_paths()] == ["example.yaml"]
    monkeypatch.setenv("FLYTE_GCP_CONFIG", "/some/where/prod.yaml")
    assert [str(p) for p in main.config_paths()] == ["/some/where/prod.yaml"]


def test_every_bad_file_is_reported_before_anything_loads(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("project_id: X\n")
    (tmp_path / "b.yaml").write_text("[not: a mapping\n")
    monkeypatch.delenv("FLYTE_GCP_CONFIG", raising=False)
    monkeypatch.setattr(main, "ENVIRONMENTS", tmp_path)
    with pytest.raises(main.ConfigError) as err:
        main.load_all()
    message = str(err.value)
    assert f"{tmp_path / 'a.yaml'}: project_id:" in message
    assert f"{tmp_path / 'b.yaml'}: line" in message
