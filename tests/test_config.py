"""Config validation: every mistake names the file, the field and the reason (issue 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import EXAMPLE, ROOT, example_data, merge

from flyte_gcp.config.loader import ConfigError, load_config


def write(tmp_path: Path, data, name="env.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


def error_for(tmp_path: Path, **overrides) -> str:
    path = write(tmp_path, merge(example_data(), overrides))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_example_is_valid_and_defaults_apply():
    config = load_config(EXAMPLE)
    assert config.name_prefix == "flyte-gcp"
    assert config.flyte_host == "flyte.example.com"
    assert config.project_number == "123456789012"
    assert config.chart == "flyte-core"
    assert config.backend.type == "local"
    assert config.project_namespaces == ["flytesnacks-development", "flytesnacks-staging", "flytesnacks-production"]


def test_minimal_file_gets_documented_defaults(tmp_path):
    path = write(tmp_path, {"project_id": "my-project-1", "project_number": 123456789012, "region": "europe-west4", "dns_domain": "corp.example.org", "email": "a@corp.example.org"})
    config = load_config(path)
    assert (config.application, config.environment, config.chart) == ("flyte", "gcp", "flyte-core")
    assert config.flyte_projects == ["flytesnacks"]
    assert config.flyte_domains == ["development", "staging", "production"]
    assert config.node_zone == "europe-west4-b"
    assert config.separate_raw_data_bucket is False
    assert (config.gke.min_nodes, config.gke.max_nodes, config.gke.machine_type) == (1, 3, "e2-standard-4")
    assert (config.database.version, config.database.tier) == (17, "db-custom-1-3840")


@pytest.mark.parametrize(
    "overrides, field, reason",
    [
        ({"projct_id": "x"}, "projct_id", "unknown key"),
        ({"network": {"pods_cidrs": "10.0.0.0/8"}}, "network.pods_cidrs", "unknown key"),
        ({"project_id": "My_Project"}, "project_id", "is not a GCP project id"),
        ({"project_id": "abc"}, "project_id", "is not a GCP project id"),
        ({"project_number": "12ab"}, "project_number", "is not a GCP project number"),
        ({"region": "uscentral"}, "region", "is not a Compute Engine region; did you mean 'us-central1'?"),
        ({"zone": "europe-west1-b"}, "", "zone: 'europe-west1-b' is not in region 'us-central1'"),
        ({"dns_domain": "not a domain"}, "dns_domain", "is not a valid DNS name"),
        ({"hostname": "-bad-.example.com"}, "hostname", "is not a valid DNS name"),
        ({"email": "nobody"}, "email", "is not an e-mail address"),
        ({"chart": "flyte"}, "chart", "'flyte-core' or 'flyte-binary'"),
        ({"application": "Flyte"}, "application", "is not a name part"),
        ({"flyte_projects": []}, "flyte_projects", "at least 1 item"),
        ({"flyte_projects": ["a_b"]}, "flyte_projects[0]", "is not a name part"),
        ({"flyte_projects": ["x", "x"]}, "", "flyte_projects: contains duplicates"),
        ({"flyte_projects": ["p" * 60]}, "", "is not a DNS-1123 label"),
        ({"application": "a" * 30, "environment": "b" * 11}, "", "longer than 40 characters"),
        ({"application": "google"}, "", "must not start with 'goog' or contain 'google'"),
        ({"flyte": {"namespace": "f" * 64}}, "", "flyte.namespace: 'ffff"),
        ({"flyte": {"namespace": "Flyte"}}, "flyte.namespace", "is not a name part"),
        ({"backend": {"type": "s3"}}, "backend", "does not match any of the expected tags"),
        ({"backend": {"type": "gcs"}}, "backend.bucket", "required key is missing"),
        ({"backend": {"type": "cloud", "organization": "acme"}}, "backend.workspace", "required key is missing"),
        ({"separate_raw_data_bucket": "yes"}, "separate_raw_data_bucket", "valid boolean"),
        ({"gke": {"min_nodes": 4}}, "gke", "min_nodes (4) is greater than max_nodes (3)"),
        ({"registry": {"writers": ["alice@example.com"]}}, "registry.writers[0]", "is not an IAM principal"),
        ({"ingress": {"acme_server": "prod"}}, "ingress.acme_server", "'production' or 'staging'"),
        ({"ingress": {"allowed_cidrs": ["203.0.113.0/24"]}}, "", "ingress.allowed_cidrs: restricted source ranges need dns.managed_zone: Let's Encrypt's HTTP-01 challenge needs port 80 open to the whole internet"),
        ({"ingress": {"allowed_cidrs": []}}, "ingress.allowed_cidrs", "at least 1 item"),
        ({"ingress": {"allowed_cidrs": ["10.0.0.300/8"]}}, "ingress.allowed_cidrs[0]", "not permitted"),
        ({"ingress": {"allowed_cidrs": "0.0.0.0/0"}}, "ingress.allowed_cidrs", "valid list"),
        ({"dns": {"managed_zone": "Example_com"}}, "dns.managed_zone", "is not a Cloud DNS managed zone name"),
        ({"dns": {"managed_zone": "z" * 64}}, "dns.managed_zone", "is not a Cloud DNS managed zone name"),
        ({"dns": {"project": "X"}}, "dns.project", "is not a GCP project id"),
        ({"dns": {"zone": "example-com"}}, "dns.zone", "unknown key"),
        ({"database": {"version": 13}}, "database.version", "greater than or equal to 14"),
        ({"database": {"version": 18}}, "database.version", "less than or equal to 17"),
        ({"database": {"version": "17"}}, "database.version", "valid integer"),
        ({"database": {"tier": "db-perf-optimized-N-2"}}, "database.tier", "is not a custom tier"),
        ({"database": {"tier": "db-custom-3-7680"}}, "database.tier", "vCPUs must be 1 or an even number"),
        ({"database": {"tier": "db-custom-2-3000"}}, "database.tier", "memory must be a multiple of 256 MB"),
        ({"database": {"tier": "db-custom-1-8192"}}, "database.tier", "0.9-6.5 GB per vCPU"),
    ],
)
def test_bad_values_name_field_and_reason(tmp_path, overrides, field, reason):
    message = error_for(tmp_path, **overrides)
    if field:
        assert f": {field}: " in message, message
    assert reason in message, message


def test_missing_required_key(tmp_path):
    data = example_data()
    del data["project_id"]
    path = write(tmp_path, data)
    with pytest.raises(ConfigError, match=r"env\.yaml: project_id: required key is missing"):
        load_config(path)


@pytest.mark.parametrize(
    "network, reason",
    [
        ({"subnet_cidr": "10.10.10.0/33"}, "subnet_cidr: '10.10.10.0/33' is not a valid IPv4 CIDR range"),
        ({"subnet_cidr": "10.10.10.1/24"}, "has host bits set"),
        ({"pods_cidr": "8.8.0.0/16"}, "is not a private (RFC 1918) range"),
        ({"pods_cidr": "10.10.0.0/16"}, "subnet_cidr 10.10.10.0/24 overlaps pods_cidr 10.10.0.0/16"),
        ({"services_cidr": "172.16.5.0/24"}, "pods_cidr 172.16.0.0/16 overlaps services_cidr 172.16.5.0/24"),
        ({"private_services_cidr": "10.10.10.0/28"}, "subnet_cidr 10.10.10.0/24 overlaps private_services_cidr"),
        ({"master_cidr": "172.31.255.0/24"}, "must be a /28 range"),
    ],
)
def test_bad_cidrs(tmp_path, network, reason):
    message = error_for(tmp_path, network=network)
    assert ": network" in message and reason in message, message


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "application: flyte\nproject_id: [unclosed\nregion: x\n")
    with pytest.raises(ConfigError, match=r"env\.yaml: line 3, column \d+: invalid YAML"):
        load_config(path)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yaml: file not found"):
        load_config(tmp_path / "nope.yaml")


def test_every_error_is_reported_at_once(tmp_path):
    message = error_for(tmp_path, project_id="X", region="nowhere", email="none")
    assert message.count("\n") == 2


# --- the command line: fast, clear, and nothing written ---------------------


# Either toolchain (cdktf or cdktn) imports the jsii runtime before anything else, and loads through our toolchain module.
TOOLCHAIN_MODULES = {"jsii", "flyte_gcp.cdk.toolchain"}


def run_main(env_overrides: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    # -X importtime lists every module imported: proof that validation ran before the toolchain.
    return subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "main.py"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def imported_modules(result: subprocess.CompletedProcess) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_help_prints_usage_and_loads_and_writes_nothing(tmp_path):
    outdir = tmp_path / "cdktf.out"
    result = run_main({"CDKTF_OUTDIR": str(outdir)}, tmp_path, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: main.py [-h] [--bootstrap ENVIRONMENT] [--outdir OUTDIR] [--version]")
    assert "examples/example.yaml while environments/ holds none" in result.stdout
    assert list(tmp_path.iterdir()) == []
    assert not TOOLCHAIN_MODULES & imported_modules(result)


def test_unknown_environment_name_is_a_config_error(tmp_path):
    result = run_main({"CDKTF_OUTDIR": str(tmp_path / "out")}, tmp_path, "no-such-env")
    assert result.returncode == 2
    assert "no-such-env: no such environment (looked for environments/no-such-env.yaml or .yml" in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert not TOOLCHAIN_MODULES & imported_modules(result)


@pytest.mark.parametrize(
    "content, expected",
    [
        ("project_id: [unclosed\n", "invalid YAML"),
        (None, "file not found"),
        ("{}", "project_id: required key is missing"),
        ("PLACEHOLDER_TYPO", "projectid: unknown key"),
        ("PLACEHOLDER_CIDR", "network: subnet_cidr 10.10.10.0/24 overlaps pods_cidr 10.10.0.0/16"),
    ],
)
def test_command_line_rejects_bad_config_fast_and_writes_nothing(tmp_path, content, expected):
    outdir = tmp_path / "cdktf.out"
    outdir.mkdir()
    (outdir / "previous.json").write_text("keep me")
    path = tmp_path / "bad.yaml"
    if content == "PLACEHOLDER_TYPO":
        data = example_data()
        data["projectid"] = data.pop("project_id")
        content = yaml.safe_dump(data)
    elif content == "PLACEHOLDER_CIDR":
        content = yaml.safe_dump(merge(example_data(), {"network": {"pods_cidr": "10.10.0.0/16"}}))
    if content is not None:
        path.write_text(content)
    result = run_main({"FLYTE_GCP_CONFIG": str(path), "CDKTF_OUTDIR": str(outdir)}, tmp_path)
    assert result.returncode == 2
    assert f"{path}" in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in outdir.iterdir()] == ["previous.json"]
    assert (outdir / "previous.json").read_text() == "keep me"
    imported = imported_modules(result)
    assert "pydantic" in imported
    assert not TOOLCHAIN_MODULES & imported, "the toolchain loaded before validation"


def test_hostname_overrides_the_default(tmp_path):
    path = write(tmp_path, merge(example_data(), {"hostname": "flyte.ml.corp.example.org"}))
    assert load_config(path).flyte_host == "flyte.ml.corp.example.org"


def test_edge_defaults_and_restricted_ranges_with_a_zone(tmp_path):
    config = load_config(write(tmp_path, example_data()))
    assert config.ingress.allowed_cidrs == ["0.0.0.0/0"] and config.ingress.is_public
    assert config.dns.managed_zone is None and config.dns_project == "my-flyte-project"
    restricted = merge(example_data(), {"ingress": {"allowed_cidrs": ["203.0.113.0/24"]}, "dns": {"managed_zone": "example-com", "project": "my-dns-project"}})
    config = load_config(write(tmp_path, restricted, "restricted.yaml"))
    assert not config.ingress.is_public and config.dns_project == "my-dns-project"
