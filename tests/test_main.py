"""The app entry point: output goes to CDKTF_OUTDIR only when every stack synthesizes."""

from __future__ import annotations

import json
import os

import pytest
from pathlib import Path

from support import EXAMPLE, make_config, resource_of_type

import main
from flyte_gcp.config import environments as environments_module
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


def fresh_clone(tmp_path, monkeypatch, *environment_files: str) -> Path:
    """main's folders pointed at tmp dirs: an examples/ like the repository's, an environments/
    holding `environment_files` (copies of the example). Nothing reads the real environments/."""
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "example.yaml").write_text(EXAMPLE.read_text())
    (examples / "gpu.yaml").write_text(EXAMPLE.read_text())  # more examples must not change the default
    environments = tmp_path / "environments"
    environments.mkdir()
    for name in environment_files:
        stem = Path(name).stem
        (environments / name).write_text(EXAMPLE.read_text().replace("environment: gcp", f"environment: {stem}\nhostname: {stem}.example.com"))
    monkeypatch.setattr(main, "ENVIRONMENTS", environments)
    monkeypatch.setattr(main, "EXAMPLES", examples)
    monkeypatch.delenv("FLYTE_GCP_CONFIG", raising=False)
    return environments


def test_the_example_is_the_default_only_while_environments_is_empty(tmp_path, monkeypatch):
    environments = fresh_clone(tmp_path, monkeypatch)
    selection = main.select([])
    assert [p.name for p in selection.paths] == ["example.yaml"] and selection.complete
    assert "holds no *.yaml or *.yml: synthesizing the example" in selection.notes[0]
    (environments / "prod.yaml").write_text("")
    (environments / "dev.yml").write_text("")
    (environments / "README.md").write_text("")
    selection = main.select([])
    assert [p.name for p in selection.paths] == ["dev.yml", "prod.yaml"] and selection.complete
    assert selection.notes == []


def test_named_environments_and_the_variable_select_only_those(tmp_path, monkeypatch):
    environments = fresh_clone(tmp_path, monkeypatch, "prod.yaml", "dev.yml")
    (tmp_path / "elsewhere.yaml").write_text("")
    selection = main.select(["dev", "gpu", str(tmp_path / "elsewhere.yaml")])
    assert selection.paths == [environments / "dev.yml", tmp_path / "examples" / "gpu.yaml", tmp_path / "elsewhere.yaml"]
    assert not selection.complete
    monkeypatch.setenv("FLYTE_GCP_CONFIG", "/some/where/prod.yaml")
    assert main.select([]).paths == [Path("/some/where/prod.yaml")]
    assert not main.select([]).complete
    monkeypatch.delenv("FLYTE_GCP_CONFIG")
    with pytest.raises(main.ConfigError, match=r"staging: no such environment .* known: dev, example, gpu, prod"):
        main.select(["staging"])


def test_every_bad_file_is_reported_before_anything_loads(tmp_path, monkeypatch):
    environments = fresh_clone(tmp_path, monkeypatch)
    (environments / "a.yaml").write_text("project_id: X\n")
    (environments / "b.yml").write_text("[not: a mapping\n")
    with pytest.raises(main.ConfigError) as err:
        environments_module.load_all(main.select([]).paths)
    message = str(err.value)
    assert f"{environments / 'a.yaml'}: project_id:" in message
    assert f"{environments / 'b.yml'}: line" in message


def test_fresh_clone_then_own_environment(tmp_path, monkeypatch, capsys, synthesized):
    """`make synth` on a fresh clone synthesizes the example and says so; after adding
    environments/prod.yaml it synthesizes prod only and removes the example's folder."""
    environments = fresh_clone(tmp_path, monkeypatch)
    outdir = tmp_path / "cdktf.out"
    count = sum(len(instances) for instances in synthesized["example"]["resource"].values())

    assert main.main(["--outdir", str(outdir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "synthesizing the example" in lines[0]
    assert len(lines) == 2 and lines[1].startswith(f"example: {count} resources -> {outdir / 'stacks' / 'example' / 'cdk.tf.json'}; about $")

    (environments / "prod.yaml").write_text(EXAMPLE.read_text())
    assert main.main(["--outdir", str(outdir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"prod: {count} resources -> {outdir / 'stacks' / 'prod' / 'cdk.tf.json'}; about $")
    assert lines[1].startswith(f"stale: {outdir / 'stacks' / 'example'} (no environment file produces it any more) removed")
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == ["prod"]


def test_stale_folders_are_left_alone_when_environments_are_named(tmp_path, monkeypatch, capsys):
    fresh_clone(tmp_path, monkeypatch, "prod.yaml")
    outdir = tmp_path / "cdktf.out"
    (outdir / "stacks" / "old").mkdir(parents=True)
    (outdir / "stacks" / "old" / "cdk.tf.json").write_text("{}")
    assert main.main(["prod", "--outdir", str(outdir)]) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == ["prod"]
    assert (outdir / "stacks" / "old" / "cdk.tf.json").exists()


def test_bootstrap_synthesizes_only_the_bootstrap_stack_and_a_full_synth_keeps_it(tmp_path, monkeypatch, capsys, bootstrap_synthesized):
    """`make bootstrap ENV=prod` writes stacks/prod-bootstrap (local state in the project root);
    the next `make synth` neither removes nor reports it while prod exists."""
    environments = fresh_clone(tmp_path, monkeypatch, "prod.yaml")
    outdir = tmp_path / "cdktf.out"
    assert main.main(["--bootstrap", "prod", "--outdir", str(outdir)]) == 0
    stack = outdir / "stacks" / "prod-bootstrap"
    count = sum(len(instances) for instances in bootstrap_synthesized["bootstrap-local"]["resource"].values())
    assert capsys.readouterr().out.splitlines() == [
        f"prod-bootstrap: {count} resources -> {stack / 'cdk.tf.json'}; no fixed monthly cost, usage only (README \"Cost\")"
    ]
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == ["prod-bootstrap"]
    doc = json.loads((stack / "cdk.tf.json").read_text())
    assert "google_container_cluster" not in doc["resource"] and "google_service_account" in doc["resource"]
    state = doc["terraform"]["backend"]["local"]["path"]
    assert os.path.normpath(stack / state) == str(main.ROOT / "terraform.prod-bootstrap.tfstate")

    (stack / ".terraform").mkdir()  # `terraform init` ran there
    assert main.main(["--outdir", str(outdir)]) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == ["prod"]
    (environments / "prod.yaml").rename(environments / "staging.yaml")
    assert main.main(["--outdir", str(outdir)]) == 0
    assert any(line.startswith(f"stale: {stack} (no environment file produces it any more) kept") for line in capsys.readouterr().out.splitlines())


def test_bootstrap_takes_one_environment_and_the_suffix_is_reserved(tmp_path, monkeypatch, capsys):
    environments = fresh_clone(tmp_path, monkeypatch, "prod.yaml")
    with pytest.raises(SystemExit) as exit_:
        main.main(["--bootstrap", "prod", "staging"])
    assert exit_.value.code == 2 and "--bootstrap takes one environment" in capsys.readouterr().err
    (environments / "prod-bootstrap.yaml").write_text(EXAMPLE.read_text())
    assert main.main(["--outdir", str(tmp_path / "out")]) == 2
    assert "the file name 'prod-bootstrap' ends in '-bootstrap'" in capsys.readouterr().err
