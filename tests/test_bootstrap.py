"""The bootstrap stack (`main.py --bootstrap`, issue 17) for a local, a gcs and a cloud config.

- The deployer's grants are exactly the rows of README "Requirements for deploying" that the
  config needs: the table is read from the README here, and its `on` and `when` columns are
  interpreted by this test, not by the product's table (`facts/deployer_roles.py`).
- What each config creates; the attribute conditions pinning the Terraform Cloud organization
  and workspace, and the GitHub repository and ref; the workspace variables; no key anywhere.
- Like the environment stacks: every google_* resource waits for its API, Terraform core loads
  it, every reference is declared, the policy pack finds nothing, checkov finds nothing
  (`.checkov-bootstrap.yaml`). Each check is shown to fail on a broken stack.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re

import pytest
from invariants import api_violations
from support import BOOTSTRAP_VARIANTS, ROOT, build_bootstrap_stack, make_config, only, resources, synth
from test_assurance import dangling_references, run_checkov, terraform_core_errors
from test_policy import findings

from flyte_gcp.config.model import Config

README = ROOT / "README.md"
WHOLE_INTERNET = ipaddress.ip_network("0.0.0.0/0")


def admits_everyone(cidrs: list[str]) -> bool:
    """The ranges together are the whole IPv4 internet (HTTP-01 works; anything less is restricted)."""
    return list(ipaddress.collapse_addresses(ipaddress.ip_network(c) for c in cidrs)) == [WHOLE_INTERNET]
BOOTSTRAP_APIS = {
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "sts.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "serviceusage.googleapis.com",
}

# How this test reads the README table's columns (independently of the product's table).
WHEN = {
    "always": lambda c: True,
    "`dns.managed_zone`": lambda c: c.dns.managed_zone is not None,
    "`dns.managed_zone` and restricted `ingress.allowed_cidrs`": lambda c: c.dns.managed_zone is not None
    and not admits_everyone(c.ingress.allowed_cidrs),
    "`auth.mode: oidc`": lambda c: c.auth.mode == "oidc",
    "`backend.type: gcs`": lambda c: c.backend.type == "gcs",
    "`monitoring.observe`": lambda c: c.monitoring.observe,
}
ON = {
    "`project_id`": lambda c: ("project", c.project_id),
    "`dns.project`": lambda c: ("project", c.dns.project or c.project_id),
    "the secret `auth.oidc.client_secret_secret`": lambda c: ("secret", c.auth.oidc.client_secret_secret),
    "the bucket `backend.bucket`": lambda c: ("bucket", c.backend.bucket),
}


def readme_roles(text: str | None = None) -> list[tuple[str, str, str]]:
    """(role, on, when) of every row of the roles table under "Requirements for deploying"."""
    section = (text or README.read_text()).split("### Requirements for deploying", 1)[1].split("\n### ", 1)[0]
    table = section.split("| role | on | when | why |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.strip().splitlines()[1:]:
        role, on, when, _why = (cell.strip() for cell in line.strip().strip("|").split("|"))
        rows.append((role.strip("`"), on, when))
    return rows


def expected_grants(config: Config, rows: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {(*ON[on](config), role) for role, on, when in rows if WHEN[when](config)}


def deployer_grants(doc: dict) -> set[tuple[str, str, str]]:
    """(kind, target, role) of every IAM grant to the deployer account in the stack."""
    (address,) = resources(doc, "google_service_account")
    member = f"${{google_service_account.{address}.member}}"
    bucket_names = {f"${{google_storage_bucket.{a}.name}}": b["name"] for a, b in resources(doc, "google_storage_bucket").items()}
    found = set()
    for resource_type, instances in doc["resource"].items():
        for body in instances.values():
            if body.get("member") != member:
                continue
            if resource_type == "google_project_iam_member":
                found.add(("project", body["project"], body["role"]))
            elif resource_type == "google_secret_manager_secret_iam_member":
                found.add(("secret", body["secret_id"], body["role"]))
            elif resource_type == "google_storage_bucket_iam_member":
                found.add(("bucket", bucket_names[body["bucket"]], body["role"]))
            else:
                found.add((resource_type, "?", body["role"]))
    return found


def config_of(name: str) -> Config:
    return make_config(**BOOTSTRAP_VARIANTS[name])


def test_the_deployer_holds_exactly_the_readme_roles_this_config_needs(bootstrap_variant):
    name, doc = bootstrap_variant
    assert deployer_grants(doc) == expected_grants(config_of(name), readme_roles()), name


def test_the_readme_table_is_complete_and_never_owner():
    rows = readme_roles()
    assert len(rows) == 17 and {when for _, _, when in rows} == set(WHEN) and {on for _, on, _ in rows} == set(ON)
    assert not {role for role, _, _ in rows} & {"roles/owner", "roles/editor"}


def test_the_variants_exercise_every_row():
    needed = set()
    for name in BOOTSTRAP_VARIANTS:
        config = config_of(name)
        needed |= {(role, on, when) for role, on, when in readme_roles() if WHEN[when](config)}
    assert needed == set(readme_roles())


def test_a_drifted_readme_or_an_extra_grant_is_found(bootstrap_synthesized):
    doc = bootstrap_synthesized["bootstrap-gcs"]
    config = config_of("bootstrap-gcs")
    text = README.read_text().replace("| `roles/compute.securityAdmin` | `project_id` | always |", "| `roles/compute.viewer` | `project_id` | always |")
    drifted = expected_grants(config, readme_roles(text))
    assert deployer_grants(doc) - drifted == {("project", "my-flyte-project", "roles/compute.securityAdmin")}
    extra = copy.deepcopy(doc)
    member = next(iter(resources(extra, "google_project_iam_member").values()))["member"]
    extra["resource"]["google_project_iam_member"]["x"] = {"project": "my-flyte-project", "role": "roles/owner", "member": member}
    assert deployer_grants(extra) - expected_grants(config, readme_roles()) == {("project", "my-flyte-project", "roles/owner")}


def _types(doc):
    return {t: len(i) for t, i in doc["resource"].items()}


def _services(doc):
    return {(s["project"], s["service"]) for s in resources(doc, "google_project_service").values()}


def test_local_creates_the_apis_and_the_deployer_only(bootstrap_synthesized):
    doc = bootstrap_synthesized["bootstrap-local"]
    assert _types(doc) == {"google_project_service": 5, "google_service_account": 1, "google_project_iam_member": 12}  # the 11 always-rows and Monitoring Editor (monitoring.observe, the default)
    assert _services(doc) == {("my-flyte-project", api) for api in BOOTSTRAP_APIS}
    assert set(doc["output"]) == {"deployer_service_account"}
    account = only(doc, "google_service_account")
    assert (account["project"], account["account_id"]) == ("my-flyte-project", "flyte-gcp-deployer")
    assert doc["terraform"]["backend"] == {"local": {"path": "../../../terraform.bootstrap-local.tfstate"}}


def test_gcs_creates_a_private_versioned_protected_state_bucket_for_the_deployer(bootstrap_synthesized):
    doc = bootstrap_synthesized["bootstrap-gcs"]
    assert "google_iam_workload_identity_pool" not in doc["resource"]
    bucket = only(doc, "google_storage_bucket")
    assert bucket["name"] == "acme-flyte-tf-state" and bucket["location"] == "US-CENTRAL1"
    assert bucket["versioning"] == {"enabled": True}
    assert bucket["uniform_bucket_level_access"] is True and bucket["public_access_prevention"] == "enforced"
    assert bucket["lifecycle"] == {"prevent_destroy": True} and bucket["force_destroy"] is False
    (grant,) = resources(doc, "google_storage_bucket_iam_member").values()
    assert grant["role"] == "roles/storage.objectAdmin" and grant["member"].endswith(".member}")
    assert _services(doc) == {("my-flyte-project", api) for api in BOOTSTRAP_APIS | {"storage.googleapis.com", "secretmanager.googleapis.com"}} | {
        ("my-dns-project", "cloudresourcemanager.googleapis.com")
    }
    assert doc["output"]["state_bucket"]["value"] == "${google_storage_bucket.state-bucket_828F7150.name}"


def test_cloud_trusts_only_the_workspace_and_the_repository(bootstrap_synthesized):
    doc = bootstrap_synthesized["bootstrap-cloud"]
    assert "google_storage_bucket" not in doc["resource"]
    pool = only(doc, "google_iam_workload_identity_pool")
    assert pool["workload_identity_pool_id"] == "flyte-gcp-deploy"
    providers = {p["workload_identity_pool_provider_id"]: p for p in resources(doc, "google_iam_workload_identity_pool_provider").values()}
    tfc, github = providers["terraform-cloud"], providers["github-actions"]
    assert tfc["oidc"] == {"issuer_uri": "https://app.terraform.io"}
    assert tfc["attribute_condition"] == 'assertion.terraform_organization_name == "acme" && assertion.terraform_workspace_name == "flyte-prod"'
    # google.subject holds at most 127 bytes (Google: workload identity federation, attribute
    # mappings); Terraform Cloud's `sub` joins organization, project and workspace names and can be
    # longer, so the subject is the workspace id (ws- and 16 characters) and the run phase.
    assert tfc["attribute_mapping"]["google.subject"] == "assertion.terraform_workspace_id + ':' + assertion.terraform_run_phase"
    assert tfc["attribute_mapping"]["attribute.terraform_workspace_name"] == "assertion.terraform_workspace_name"
    assert github["oidc"] == {"issuer_uri": "https://token.actions.githubusercontent.com"}
    assert github["attribute_condition"] == (
        'assertion.repository == "acme/flyte-infra" && assertion.sub == "repo:acme/flyte-infra:ref:refs/heads/main"'
    )
    assert github["attribute_mapping"] == {"google.subject": "assertion.sub", "attribute.repository": "assertion.repository"}
    (pool_address,) = resources(doc, "google_iam_workload_identity_pool")
    principal_set = f"principalSet://iam.googleapis.com/${{google_iam_workload_identity_pool.{pool_address}.name}}"
    account_members = {(m["role"], m["member"]) for m in resources(doc, "google_service_account_iam_member").values()}
    assert account_members == {
        ("roles/iam.workloadIdentityUser", f"{principal_set}/attribute.terraform_workspace_name/flyte-prod"),
        ("roles/iam.workloadIdentityUser", f"{principal_set}/attribute.repository/acme/flyte-infra"),
        ("roles/iam.serviceAccountTokenCreator", "group:platform@example.com"),
    }
    (account,) = resources(doc, "google_service_account")
    tfc_address = next(a for a, p in resources(doc, "google_iam_workload_identity_pool_provider").items() if p is tfc)
    assert doc["output"]["terraform_cloud_workspace_variables"]["value"] == {
        "TFC_GCP_PROVIDER_AUTH": "true",
        "TFC_GCP_RUN_SERVICE_ACCOUNT_EMAIL": f"${{google_service_account.{account}.email}}",
        "TFC_GCP_WORKLOAD_PROVIDER_NAME": f"${{google_iam_workload_identity_pool_provider.{tfc_address}.name}}",
    }
    assert set(doc["output"]["github_actions_auth"]["value"]) == {"workload_identity_provider", "service_account"}


def test_a_terraform_enterprise_host_is_the_issuer():
    config = make_config(backend={"type": "cloud", "organization": "acme", "workspace": "flyte-prod", "hostname": "tfe.example.com"})
    doc = synth(build_bootstrap_stack(config, "tfe-bootstrap"))
    assert only(doc, "google_iam_workload_identity_pool_provider")["oidc"] == {"issuer_uri": "https://tfe.example.com"}


def test_no_service_account_key_anywhere(synthesized, bootstrap_synthesized):
    for name, doc in {**synthesized, **bootstrap_synthesized}.items():
        assert not [t for t in doc.get("resource", {}) if "key" in t and "service_account" in t], name
        assert "private_key" not in json.dumps(doc), name


@pytest.mark.parametrize(
    "overrides, field, reason",
    [
        ({"bootstrap": {"github_repository": "acme/infra"}}, "", "bootstrap.github_repository: CI runs need state they share"),
        ({"bootstrap": {"github_repository": "acme"}}, "bootstrap.github_repository", "is not a GitHub repository"),
        ({"bootstrap": {"github_ref": "main"}}, "bootstrap.github_ref", "is not a git ref"),
        ({"bootstrap": {"impersonators": ["alice@example.com"]}}, "bootstrap.impersonators[0]", "is not an IAM principal"),
        ({"backend": {"type": "cloud", "organization": 'acme" || true', "workspace": "w"}}, "backend.organization", "is not a Terraform Cloud organization name"),
        ({"application": "gcp", "backend": {"type": "cloud", "organization": "acme", "workspace": "w"}}, "", "would start with 'gcp-'"),
    ],
)
def test_bad_bootstrap_settings_name_field_and_reason(tmp_path, overrides, field, reason):
    from test_config import error_for

    message = error_for(tmp_path, **overrides)
    if field:
        assert f": {field}: " in message, message
    assert reason in message, message


# --- like the environment stacks ---------------------------------------------------------


def test_every_bootstrap_resource_waits_for_its_api(bootstrap_variant):
    name, doc = bootstrap_variant
    assert api_violations(doc) == [], name


def test_the_api_check_fails_when_the_pool_does_not_wait_for_iam(bootstrap_synthesized):
    doc = copy.deepcopy(bootstrap_synthesized["bootstrap-cloud"])
    only(doc, "google_iam_workload_identity_pool").pop("depends_on")
    assert [v for v in api_violations(doc) if "workload_identity_pool" in v]


def test_terraform_core_loads_and_every_reference_is_declared(bootstrap_synthesized, tmp_path):
    for name, doc in bootstrap_synthesized.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "cdk.tf.json").write_text(json.dumps(doc))
        assert terraform_core_errors(tmp_path / name) == [], name
        assert dangling_references(doc) == set(), name


@pytest.mark.parametrize("name", list(BOOTSTRAP_VARIANTS))
def test_the_policy_pack_finds_nothing(name):
    assert findings(build_bootstrap_stack(config_of(name), name)) == []


def test_the_policy_pack_flags_a_public_state_bucket():
    stack = build_bootstrap_stack(config_of("bootstrap-gcs"), "broken-bootstrap")
    from support import resource_of_type

    resource_of_type(stack, "google_storage_bucket").add_override("public_access_prevention", "inherited")
    found = findings(stack)
    assert len(found) == 1 and found[0].startswith("[FG1-public-bucket]"), found


@pytest.fixture(scope="module")
def bootstrap_checkov(bootstrap_synthesized, tmp_path_factory):
    broken = {}
    cloud = bootstrap_synthesized["bootstrap-cloud"]
    broken["unconditioned-provider"] = copy.deepcopy(cloud)
    for provider in resources(broken["unconditioned-provider"], "google_iam_workload_identity_pool_provider").values():
        provider.pop("attribute_condition")
    broken["any-github-repository"] = copy.deepcopy(cloud)
    for provider in resources(broken["any-github-repository"], "google_iam_workload_identity_pool_provider").values():
        provider["attribute_condition"] = re.sub(r'assertion\.sub == "[^"]*"', 'assertion.sub == "repo:*"', provider["attribute_condition"])
    broken["unversioned-state"] = copy.deepcopy(bootstrap_synthesized["bootstrap-gcs"])
    only(broken["unversioned-state"], "google_storage_bucket")["versioning"] = {"enabled": False}
    docs = {**bootstrap_synthesized, **broken}
    return run_checkov(docs, tmp_path_factory.mktemp("checkov-bootstrap"), ROOT / ".checkov-bootstrap.yaml")


def test_checkov_finds_nothing_on_the_bootstrap_stacks(bootstrap_checkov):
    for name in BOOTSTRAP_VARIANTS:
        result = bootstrap_checkov[name]
        assert result["parsing_errors"] == set() and result["failed"] == set(), name
    passed = {name: {check for check, _ in bootstrap_checkov[name]["passed"]} for name in BOOTSTRAP_VARIANTS}
    assert {"CKV_GCP_118", "CKV_GCP_125"} <= passed["bootstrap-cloud"]  # conditioned providers, GitHub pinned
    assert {"CKV_GCP_29", "CKV_GCP_78", "CKV_GCP_114"} <= passed["bootstrap-gcs"]  # uniform, versioned, not public


@pytest.mark.parametrize(
    "name, check",
    [("unconditioned-provider", "CKV_GCP_118"), ("any-github-repository", "CKV_GCP_125"), ("unversioned-state", "CKV_GCP_78")],
)
def test_checkov_fails_a_broken_bootstrap(bootstrap_checkov, name, check):
    assert check in {c for c, _ in bootstrap_checkov[name]["failed"]}, bootstrap_checkov[name]["failed"]
