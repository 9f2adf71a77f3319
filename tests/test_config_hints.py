"""Config errors a newcomer meets (issue 13): YAML 1.1 type traps get a hint; independent problems are all reported."""

from __future__ import annotations

import pytest
from test_config import error_for, write

from flyte_gcp.config.loader import ConfigError, load_config


# --- YAML 1.1 type traps: a hint to quote, with the text as written (issue 13) ---

MINIMAL = """\
project_id: my-flyte-project
project_number: "123456789012"
region: us-central1
dns_domain: example.com
email: platform-team@example.com
"""


@pytest.mark.parametrize(
    "line, field, hint",
    [
        ("database:\n  backup_start_time: 23:00", "database.backup_start_time",
         "(line 7: YAML 1.1 reads 23:00 unquoted as the number 1380; quote it: '23:00')"),
        ("environment: no", "environment", "(line 6: YAML 1.1 reads no unquoted as the boolean false; quote it: 'no')"),
        ("flyte_domains: [development, on]", "flyte_domains[1]",
         "(line 6: YAML 1.1 reads on unquoted as the boolean true; quote it: 'on')"),
        ("application: 1.10", "application", "(line 6: YAML 1.1 reads 1.10 unquoted as the number 1.1; quote it: '1.10')"),
        ("ingress:\n  acme_server: yes", "ingress.acme_server",
         "(line 7: YAML 1.1 reads yes unquoted as the boolean true; quote it: 'yes')"),
        ("hostname: 2024", "hostname", "(line 6: YAML 1.1 reads 2024 unquoted as the number 2024; quote it: '2024')"),
        ("gke:\n  machine_type:", "gke.machine_type",
         "(line 7: the value is empty, which YAML reads as null; write a value, or remove the key for its default)"),
    ],
)
def test_yaml_type_traps_get_a_hint_to_quote(tmp_path, line, field, hint):
    path = write(tmp_path, MINIMAL + line + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: {field}: "), str(err.value)
    assert str(err.value).endswith(hint), str(err.value)


def test_quoted_values_and_real_numbers_get_no_hint(tmp_path):
    path = write(tmp_path, MINIMAL + "database:\n  backup_start_time: '23:00'\ngke:\n  max_nodes: 'three'\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: gke.max_nodes: Input should be a valid integer, got the text 'three'"
    assert load_config(write(tmp_path, MINIMAL + "database:\n  backup_start_time: '23:00'\n")).database.backup_start_time == "23:00"


def test_independent_problems_in_different_sections_are_all_reported(tmp_path):
    text = MINIMAL.replace("platform-team@example.com", "nobody")
    path = write(tmp_path, text + "database:\n  backup_start_time: 23:00\nnetwork:\n  pods_cidr: 10.10.0.0/16\ngke:\n  min_nodes: 5\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    lines = str(err.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["email", "network", "gke", "database.backup_start_time"], lines
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_independent_whole_file_checks_are_all_reported(tmp_path):
    message = error_for(tmp_path, zone="europe-west1-b", flyte_projects=["x", "x"], flyte={"namespace": "f" * 64})
    assert message.splitlines() == [
        f"{tmp_path / 'env.yaml'}: zone: 'europe-west1-b' is not in region 'us-central1'; set zone: us-central1-a "
        "(the region's zones: us-central1-a, us-central1-b, us-central1-c, us-central1-f)",
        f"{tmp_path / 'env.yaml'}: flyte_projects: contains duplicates",
        f"{tmp_path / 'env.yaml'}: flyte.namespace: {'f' * 64!r} is not a DNS-1123 label (at most 63 characters)",
    ]


def test_a_key_written_twice_is_an_error_not_a_silent_overwrite(tmp_path):
    text = MINIMAL + "database:\n  version: 15\ngke:\n  regional: true\ndatabase:\n  tier: db-custom-2-7680\n"
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}: database: key written twice (lines 6 and 10); YAML keeps only the last"


def test_a_duplicate_is_reported_beside_other_problems(tmp_path):
    path = write(tmp_path, MINIMAL + "gke:\n  max_nodes: 3\n  max_nodes: 0\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).splitlines() == [
        f"{path}: gke.max_nodes: key written twice (lines 7 and 8); YAML keeps only the last",
        f"{path}: gke.max_nodes: Input should be greater than or equal to 1",
    ]


# --- issue 18: words, values, fixes ------------------------------------------------------


def test_no_field_is_checked_by_a_pattern_pydantic_would_print():
    """Pydantic words a `pattern` mismatch as "String should match pattern '<regex>'": every
    field says what it wants in words instead (types.matches), so no pattern is left in the model."""
    import json

    from flyte_gcp.config.model import Config

    assert '"pattern"' not in json.dumps(Config.model_json_schema())


def test_a_pattern_mismatch_would_still_not_show_the_regex():
    from flyte_gcp.config.loader import _describe

    err = {"type": "string_pattern_mismatch", "loc": ("x",), "msg": "String should match pattern '^a+$'", "input": "b", "ctx": {"pattern": "^a+$"}}
    assert _describe(err, {}) == "the text 'b' does not have the form this key takes (see the configuration reference in README.md)"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("network:\n  pods_cidrs: 10.0.0.0/8", "network.pods_cidrs: unknown key; did you mean 'pods_cidr'?"),
        ("flyte:\n  domain_quotas: {production: {cpux: '8', memory: 64Gi}}", "flyte.domain_quotas.production.cpux: unknown key; did you mean 'cpu'?"),
        ("backend: {type: gcs, bucket: b-1, prefx: x}", "backend.prefx: unknown key; did you mean 'prefix'?"),
        ("ingress:\n  acme_server: prod", "ingress.acme_server: Input should be 'production' or 'staging', got the text 'prod'; did you mean 'production'?"),
        ("separate_raw_data_bucket: 'no'", "separate_raw_data_bucket: Input should be a valid boolean, got the text 'no'; write false (unquoted)"),
        ("gke:\n  max_nodes: 3.0", "gke.max_nodes: Input should be a valid integer, got the number 3.0; write 3"),
        ("database:\n  backup_start_time: '8'", "database.backup_start_time: '8' is not a whole UTC hour written HH:00 (two digits, minutes 00); write '08:00'"),
        ("gke:\n  node_pools:\n    - {name: t4, machine_type: n1-standard-8, accelerator: {type: nvidia-t4}, max_nodes: 1}", "did you mean 'nvidia-tesla-t4'?"),
    ],
)
def test_messages_name_the_value_and_the_fix(tmp_path, line, expected):
    path = write(tmp_path, MINIMAL + line + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert expected in str(err.value), str(err.value)


def test_a_missing_key_points_at_its_misspelling(tmp_path):
    path = write(tmp_path, MINIMAL.replace("project_id:", "projectid:"))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert f"{path}: project_id: required key is missing (written as 'projectid'?)" in str(err.value).splitlines()


def test_a_tab_is_explained(tmp_path):
    path = write(tmp_path, MINIMAL + "gke:\n  max_nodes:\t3\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"{path}: line 7, column 13: a tab character follows a key or a value; YAML allows only spaces there: "
        "replace the tab with spaces (two per level of indentation, as in examples/example.yaml)"
    )
