"""The mistakes of issue 18, as a new user makes them: each is refused by `main.main` with exit
status 2, naming the file, the field and the value, with a fix that is itself valid (the fix is
read from the message, applied, and the file loads), and nothing is written.

Each case starts from the example environment, changed the way the mistake changes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import EXAMPLE

import main
from flyte_gcp.config import environments

EXAMPLE_TEXT = EXAMPLE.read_text()
REGION_ONLY = EXAMPLE_TEXT.replace("zone: us-central1-b\n", "")  # a new user sets the region and keeps the default zone


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


@dataclass(frozen=True)
class Case:
    """A mistake: the file(s) written, what the message must name, and how its fix is applied."""

    files: dict[str, str]
    field: str
    value: str
    fix: str
    """A regular expression for the fix in the message; group 1 is the value it proposes."""
    apply: Callable[[dict[str, str], str], dict[str, str]]
    """The files with the proposed value applied."""
    expected: str | None = None
    """The value the fix must propose, where the issue names it."""


def one(name: str, text: str, field: str, value: str, fix: str, apply: Callable[[str, str], str], expected: str | None = None) -> Case:
    return Case({name: text}, field, value, fix, lambda files, proposed: {name: apply(files[name], proposed)}, expected)


GPU_POOL = "gke:\n  regional: true\n  node_pools:\n    - {name: t4, machine_type: n1-standard-8, accelerator: {type: nvidia-tesla-t4}, max_nodes: 2, zones: [us-east1-b, us-east1-c]}\n"
L4_POOL = "gke:\n  node_pools:\n    - {name: l4, machine_type: g2-standard-8, accelerator: {type: nvidia-l4}, max_nodes: 1}\n"
US_EAST1 = edit(edit(EXAMPLE_TEXT, "region: us-central1", "region: us-east1"), "zone: us-central1-b", "zone: us-east1-c")
ACME = edit(EXAMPLE_TEXT, "dns_domain: example.com ", "dns_domain: ml.acme.eu\nhostname: flyte.acme.com\ndns: {managed_zone: acme}\n#")

CASES = {
    "aws-style region": one(
        "prod.yaml", edit(REGION_ONLY, "region: us-central1", "region: eu-west4"), "region", "'eu-west4'",
        r"did you mean '([a-z0-9-]+)'\?", lambda t, v: edit(t, "region: eu-west4", f"region: {v}"), "europe-west4",
    ),
    "region that does not exist": one(
        "prod.yaml", edit(REGION_ONLY, "region: us-central1", "region: europe-west9000"), "region", "'europe-west9000'",
        r"did you mean '([a-z0-9-]+)'\?", lambda t, v: edit(t, "region: europe-west9000", f"region: {v}"), "europe-west9",
    ),
    "zone that does not exist": one(
        "prod.yaml", edit(edit(EXAMPLE_TEXT, "region: us-central1", "region: europe-west4"), "zone: us-central1-b", "zone: europe-west4-d"),
        "zone", "'europe-west4-d'", r"its zones are ([a-z0-9-]+)", lambda t, v: edit(t, "zone: europe-west4-d", f"zone: {v}"),
    ),
    "GPU in a zone without it": one(
        "ml.yaml", US_EAST1 + GPU_POOL, "gke.node_pools[0].zones", "us-east1-b", r"set zones: (\[[a-z0-9, -]+\])",
        lambda t, v: edit(t, "zones: [us-east1-b, us-east1-c]", f"zones: {v}"),
    ),
    "GPU not in the zonal cluster's zone": one(
        "ml.yaml", edit(EXAMPLE_TEXT, "zone: us-central1-b", "zone: us-central1-f") + L4_POOL, "gke.node_pools[0].accelerator.type",
        "us-central1-f", r"set zone: ([a-z0-9-]+)", lambda t, v: edit(t, "zone: us-central1-f", f"zone: {v}"),
    ),
    "host outside the DNS zone": one(
        "prod.yaml", ACME, "hostname", "'flyte.acme.com'", r"set dns\.zone_domain: ([a-z0-9.-]+)",
        lambda t, v: edit(t, "dns: {managed_zone: acme}", f"dns: {{managed_zone: acme, zone_domain: {v}}}"),
    ),
    "backup hour 8:00": one(
        "prod.yaml", EXAMPLE_TEXT + "database:\n  backup_start_time: 8:00\n", "database.backup_start_time", "8:00",
        r"as ('[0-9:]+')", lambda t, v: edit(t, "backup_start_time: 8:00", f"backup_start_time: {v}"), "'08:00'",
    ),
    "a number written 1e3": one(
        "prod.yaml", EXAMPLE_TEXT + "gke:\n  max_nodes: 1e3\n", "gke.max_nodes", "'1e3'", r"write ([0-9]+)",
        lambda t, v: edit(t, "max_nodes: 1e3", f"max_nodes: {v}"),
    ),
    "unknown key": one(
        "prod.yaml", edit(EXAMPLE_TEXT, "project_id:", "projct_id:"), "projct_id", "projct_id",
        r"did you mean '([a-z_]+)'\?", lambda t, v: edit(t, "projct_id:", f"{v}:"),
    ),
    "unknown choice": one(
        "prod.yaml", edit(EXAMPLE_TEXT, "chart: flyte-core", "chart: flyte-cor"), "chart", "'flyte-cor'",
        r"did you mean '([a-z-]+)'\?", lambda t, v: edit(t, "chart: flyte-cor", f"chart: {v}"),
    ),
    "a tab": one(
        "prod.yaml", EXAMPLE_TEXT + "gke:\n\tmax_nodes: 3\n", f"line {len(EXAMPLE_TEXT.splitlines()) + 2}, column 1", "a tab character",
        r"replace the tab with (spaces)", lambda t, v: edit(t, "\tmax_nodes", "  max_nodes"),
    ),
    "two environments, one hostname": Case(
        {"a.yaml": EXAMPLE_TEXT, "b.yaml": edit(EXAMPLE_TEXT, "project_id: my-flyte-project", "project_id: other-flyte-project")},
        "b.yaml", "'flyte.example.com'", r"set hostname: ([a-z0-9.-]+) in",
        lambda files, v: {**files, "b.yaml": files["b.yaml"] + f"hostname: {v}\n"},
    ),
}


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    """An output directory holding an earlier synth's file: a refused run must leave it as it is."""
    out = tmp_path / "cdktf.out"
    (out / "stacks" / "prod").mkdir(parents=True)
    (out / "stacks" / "prod" / "cdk.tf.json").write_text("previous")
    return out


def untouched(out: Path) -> bool:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["stacks", "stacks/prod", "stacks/prod/cdk.tf.json"] and (
        out / "stacks" / "prod" / "cdk.tf.json"
    ).read_text() == "previous"


@pytest.mark.parametrize("name", list(CASES))
def test_refused_in_words_with_a_fix_that_works(name, tmp_path, outdir, capsys, monkeypatch):
    monkeypatch.delenv("FLYTE_GCP_CONFIG", raising=False)
    case = CASES[name]
    paths = []
    for file_name, text in case.files.items():
        (tmp_path / file_name).write_text(text)
        paths.append(tmp_path / file_name)
    assert main.main([*map(str, paths), "--outdir", str(outdir)]) == 2
    message = capsys.readouterr().err
    (line,) = [line for line in message.splitlines() if f"{case.field}: " in line and case.value in line]  # one line says it
    assert str(paths[-1]) in line, message  # the file
    proposed = re.search(case.fix, line)
    assert proposed, line
    assert case.expected in (None, proposed.group(1)), line
    assert untouched(outdir)

    fixed = case.apply(case.files, proposed.group(1))
    for file_name, text in fixed.items():
        (tmp_path / file_name).write_text(text)
    environments.load_all(paths)  # the fix, as the message words it, makes the files valid


def fresh_clone(tmp_path: Path, monkeypatch) -> Path:
    envs = tmp_path / "environments"
    envs.mkdir()
    (envs / "prod.yaml").write_text(EXAMPLE_TEXT)
    monkeypatch.setattr(main, "ENVIRONMENTS", envs)
    monkeypatch.setattr(main, "EXAMPLES", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLYTE_GCP_CONFIG", raising=False)
    return envs


def test_a_path_without_extension_finds_its_file(tmp_path, monkeypatch):
    envs = fresh_clone(tmp_path, monkeypatch)
    assert main.select(["environments/prod"]).paths == [Path("environments/prod.yaml")]
    (envs / "dev.yml").write_text(EXAMPLE_TEXT)
    assert main.select(["environments/dev"]).paths == [Path("environments/dev.yml")]
    assert (tmp_path / main.select(["environments/prod"]).paths[0]).resolve() == (envs / "prod.yaml").resolve()


def test_a_misspelt_path_is_refused_with_the_file_it_means(tmp_path, monkeypatch, outdir, capsys):
    fresh_clone(tmp_path, monkeypatch)
    assert main.main(["environments/prd", "--outdir", str(outdir)]) == 2
    message = capsys.readouterr().err
    assert "environments/prd: file not found (nor prd.yaml or .yml); did you mean 'environments/prod.yaml'?" in message
    assert untouched(outdir)
    assert main.select(["environments/prod.yaml"]).paths == [Path("environments/prod.yaml")]  # the fix resolves


def test_the_variable_together_with_names_is_refused(tmp_path, monkeypatch, outdir, capsys):
    fresh_clone(tmp_path, monkeypatch)
    monkeypatch.setenv("FLYTE_GCP_CONFIG", "environments/prod.yaml")
    assert main.main(["prod", "--outdir", str(outdir)]) == 2
    message = capsys.readouterr().err
    assert "FLYTE_GCP_CONFIG=environments/prod.yaml and prod on the command line" in message and "unset FLYTE_GCP_CONFIG" in message
    assert untouched(outdir)
    monkeypatch.delenv("FLYTE_GCP_CONFIG")  # the fix
    assert main.select(["prod"]).paths == [tmp_path / "environments" / "prod.yaml"]
