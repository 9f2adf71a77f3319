"""Service accounts, custom roles, bucket-scoped grants, Workload Identity, registry (issue 4)."""

from __future__ import annotations

import re

import pytest
from support import make_config, only, resources

from flyte_gcp.config import names
from flyte_gcp.config.model import Config

READ_WRITE = [
    "storage.buckets.get",
    "storage.objects.create",
    "storage.objects.delete",
    "storage.objects.get",
    "storage.objects.update",
]
EXPECTED_CORE_PERMISSIONS = {
    "flyte_gcp_flyteadmin": sorted(READ_WRITE + ["storage.objects.getIamPolicy"]),
    "flyte_gcp_flytepropeller": sorted(READ_WRITE + ["storage.objects.getIamPolicy", "storage.objects.list"]),
    "flyte_gcp_flytescheduler": sorted(READ_WRITE + ["storage.objects.getIamPolicy"]),
    "flyte_gcp_datacatalog": sorted(READ_WRITE),
    "flyte_gcp_flyteworkers": sorted(READ_WRITE + ["storage.objects.list"]),
}
EXPECTED_BINARY_PERMISSIONS = {
    "flyte_gcp_flytebackend": sorted(READ_WRITE + ["storage.objects.getIamPolicy", "storage.objects.list"]),
    "flyte_gcp_flyteworkers": sorted(READ_WRITE + ["storage.objects.list"]),
}
POOL = "${google_container_cluster.cluster_A4C38409.workload_identity_config[0].workload_pool}"
SA_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
ROLE_ID = re.compile(r"^[a-zA-Z0-9_.]{3,64}$")  # GCP's rule for custom role ids (no hyphens)


def _roles(doc):
    return {r["role_id"]: r["permissions"] for r in resources(doc, "google_project_iam_custom_role").values()}


def test_flyte_core_permission_sets_exactly(synthesized):
    assert _roles(synthesized["example"]) == EXPECTED_CORE_PERMISSIONS


def test_flyte_binary_permission_sets_exactly(synthesized):
    assert _roles(synthesized["binary-zonal-cloud"]) == EXPECTED_BINARY_PERMISSIONS


def test_no_role_grants_signing_on_every_service_account(synthesized):
    for name, doc in synthesized.items():
        for permissions in _roles(doc).values():
            assert not any(p.startswith("iam.") for p in permissions), name


def _account_ids(doc):
    return {key: sa["account_id"] for key, sa in resources(doc, "google_service_account").items()}


def test_service_account_ids(synthesized):
    assert sorted(_account_ids(synthesized["example"]).values()) == [
        "flyte-gcp-datacatalog",
        "flyte-gcp-flyteadmin",
        "flyte-gcp-flytepropeller",
        "flyte-gcp-flytescheduler",
        "flyte-gcp-flyteworkers",
        "flyte-gcp-gke-nodes",
        "flyte-gcp-registrywriter",
    ]
    assert sorted(_account_ids(synthesized["binary-zonal-cloud"]).values()) == [
        "flyte-gcp-flytebackend",
        "flyte-gcp-flyteworkers",
        "flyte-gcp-gke-nodes",
        "flyte-gcp-registrywriter",
    ]
    for doc in synthesized.values():
        for sa in resources(doc, "google_service_account").values():
            assert SA_ID.match(sa["account_id"]), sa["account_id"]
            assert sa["display_name"] and sa["description"]


def test_storage_grants_are_on_buckets_never_on_the_project(synthesized):
    doc = synthesized["core-raw-regional-gcs"]
    grants = resources(doc, "google_storage_bucket_iam_member").values()
    pairs = sorted((g["bucket"].split(".")[1], g["role"].split(".")[1], g["member"].split(".")[1]) for g in grants)
    components = ["datacatalog", "flyteadmin", "flytepropeller", "flytescheduler", "flyteworkers"]
    expected = sorted(
        (bucket, f"identity_{c}-role", f"identity_{c}-gsa")
        for bucket in ("data-bucket_D46037D5", "raw-data-bucket_8B441A35")
        for c in components
    )
    assert [(b, r.rsplit("_", 1)[0], m.rsplit("_", 1)[0]) for b, r, m in pairs] == expected
    for g in grants:
        assert g["role"].endswith(".name}") and g["member"].endswith(".member}")
    binary = resources(synthesized["binary-raw-regional"], "google_storage_bucket_iam_member").values()
    assert sorted((g["bucket"].split(".")[1], g["member"].split(".")[1].rsplit("_", 1)[0]) for g in binary) == [
        ("data-bucket_D46037D5", "identity_flytebackend-gsa"),
        ("data-bucket_D46037D5", "identity_flyteworkers-gsa"),
        ("raw-data-bucket_8B441A35", "identity_flytebackend-gsa"),
        ("raw-data-bucket_8B441A35", "identity_flyteworkers-gsa"),
    ]
    for d in synthesized.values():
        assert "google_project_iam_binding" not in d.get("resource", {})
        assert "google_project_iam_policy" not in d.get("resource", {})
        assert "google_service_account_key" not in d.get("resource", {})
        for member in resources(d, "google_project_iam_member").values():
            assert not member["role"].startswith("projects/")  # custom roles only on buckets


def _wi_members(doc):
    return sorted(
        (m["service_account_id"].split(".")[1].rsplit("_", 1)[0], m["member"])
        for m in resources(doc, "google_service_account_iam_member").values()
        if m["role"] == "roles/iam.workloadIdentityUser"
    )


def test_flyte_core_workload_identity_members(synthesized):
    assert _wi_members(synthesized["example"]) == [
        ("identity_datacatalog-gsa", f"serviceAccount:{POOL}[flyte/datacatalog]"),
        ("identity_flyteadmin-gsa", f"serviceAccount:{POOL}[flyte/flyteadmin]"),
        ("identity_flytepropeller-gsa", f"serviceAccount:{POOL}[flyte/flytepropeller]"),
        ("identity_flytescheduler-gsa", f"serviceAccount:{POOL}[flyte/flytescheduler]"),
    ]


def test_flyte_binary_workload_identity_member(synthesized):
    assert _wi_members(synthesized["binary-zonal-cloud"]) == [
        ("identity_flytebackend-gsa", f"serviceAccount:{POOL}[flyte/flyte-backend]"),
    ]


@pytest.mark.parametrize("variant_name", ["example", "binary-zonal-cloud", "core-100-projects"])
def test_workers_bound_for_every_project_domain_namespace(synthesized, variant_name):
    doc = synthesized[variant_name]
    binding = only(doc, "google_service_account_iam_binding")
    assert binding["role"] == "roles/iam.workloadIdentityUser"
    assert binding["service_account_id"].startswith("${google_service_account.identity_flyteworkers-gsa_")
    projects = ["flytesnacks"] if variant_name != "core-100-projects" else [f"project{i:03d}" for i in range(100)]
    expected = [
        f"serviceAccount:{POOL}[{p}-{d}/default]" for p in projects for d in ("development", "staging", "production")
    ]
    assert binding["members"] == expected


def test_url_signing_is_token_creator_on_its_own_account(synthesized):
    for variant_name, signer in (("example", "flyteadmin"), ("binary-zonal-cloud", "flytebackend")):
        (signing,) = [
            m for m in resources(synthesized[variant_name], "google_service_account_iam_member").values()
            if m["role"] == "roles/iam.serviceAccountTokenCreator" and "identity_" in m["service_account_id"]
        ]
        own = f"google_service_account.identity_{signer}-gsa_"
        assert signing["service_account_id"].startswith("${" + own) and signing["member"].startswith("${" + own)


def test_registry_repository_and_grants(synthesized):
    doc = synthesized["binary-zonal-cloud"]
    repo = only(doc, "google_artifact_registry_repository")
    assert (repo["format"], repo["location"], repo["repository_id"]) == ("DOCKER", "us-central1", "flyte-gcp")
    grants = sorted(
        (g["role"], g["member"].split(".")[1].rsplit("_", 1)[0])
        for g in resources(doc, "google_artifact_registry_repository_iam_member").values()
    )
    assert grants == [
        ("roles/artifactregistry.reader", "cluster_node-sa"),
        ("roles/artifactregistry.reader", "identity_flyteworkers-gsa"),
        ("roles/artifactregistry.writer", "registry_writer-gsa"),
    ]
    impersonators = [
        m for m in resources(doc, "google_service_account_iam_member").values()
        if m["service_account_id"].startswith("${google_service_account.registry_writer-gsa_")
    ]
    assert [(m["role"], m["member"]) for m in impersonators] == [
        ("roles/iam.serviceAccountTokenCreator", "group:ml-ci@example.com")
    ]
    outputs = doc["output"]
    assert outputs["registry_url"]["value"] == "us-central1-docker.pkg.dev/my-flyte-project/flyte-gcp"
    assert "--impersonate-service-account=${google_service_account.registry_writer-gsa_" in outputs["docker_login_command"]["value"]
    assert outputs["docker_push_example"]["value"].endswith("docker push us-central1-docker.pkg.dev/my-flyte-project/flyte-gcp/my-image:latest")


# --- naming: pure, no synthesis ---------------------------------------------


def _all_ids(config: Config) -> set[str]:
    p = config.name_prefix
    return {names.service_account_id(p, s) for s in ("flyteadmin", "flytepropeller", "flytescheduler", "datacatalog", "flyteworkers", "registrywriter", "flytebackend", "gke-nodes")}


def test_two_environments_in_one_project_get_distinct_names():
    dev, prod = make_config(environment="dev"), make_config(environment="prod")
    assert not _all_ids(dev) & _all_ids(prod)
    assert names.custom_role_id(dev.name_prefix, "flyteadmin") == "flyte_dev_flyteadmin"
    assert names.custom_role_id(prod.name_prefix, "flyteadmin") == "flyte_prod_flyteadmin"
    assert names.data_bucket(dev.name_prefix, "1") != names.data_bucket(prod.name_prefix, "1")


@pytest.mark.parametrize(
    "application, environment",
    [("flyte", "gcp"), ("a", "b"), ("machine-learning-platform", "prod-eu-west"), ("x" * 20, "y" * 19)],
)
def test_long_prefixes_always_yield_valid_distinct_ids(application, environment):
    config = make_config(application=application, environment=environment)
    ids = _all_ids(config)
    assert len(ids) == 8
    for sa_id in ids:
        assert SA_ID.match(sa_id), sa_id
    for component in EXPECTED_CORE_PERMISSIONS:
        role = names.custom_role_id(config.name_prefix, component.rsplit("_", 1)[-1])
        assert ROLE_ID.match(role), role


def test_shortening_is_deterministic_and_keeps_long_prefixes_apart():
    a = names.service_account_id("machine-learning-platform-eu", "flytepropeller")
    b = names.service_account_id("machine-learning-platform-us", "flytepropeller")
    assert a == names.service_account_id("machine-learning-platform-eu", "flytepropeller")
    assert a != b
    assert a.endswith("-flytepropeller") and len(a) <= 30
    assert names.service_account_id("flyte-gcp", "flyteadmin") == "flyte-gcp-flyteadmin"
