"""Project services, network, buckets, Cloud SQL and GKE (issue 3): targeted assertions."""

from __future__ import annotations

import pytest
from support import block, only, resources


def test_every_required_api_is_enabled_and_never_disabled(synthesized):
    services = resources(synthesized["example"], "google_project_service").values()
    assert sorted(s["service"] for s in services) == [
        "artifactregistry.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "compute.googleapis.com",
        "container.googleapis.com",
        "containerfilesystem.googleapis.com",
        "iam.googleapis.com",
        "iamcredentials.googleapis.com",
        "monitoring.googleapis.com",
        "servicenetworking.googleapis.com",
        "serviceusage.googleapis.com",
        "sqladmin.googleapis.com",
        "storage.googleapis.com",
    ]
    assert all(s["disable_on_destroy"] is False for s in services)


def test_without_image_streaming_the_container_file_system_api_is_not_enabled(synthesized):
    """core-mig-zonal sets gke.image_streaming: false; the list is written here, not read from facts.apis."""
    services = sorted(s["service"] for s in resources(synthesized["core-mig-zonal"], "google_project_service").values())
    assert services == [
        "artifactregistry.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "compute.googleapis.com",
        "container.googleapis.com",
        "iam.googleapis.com",
        "iamcredentials.googleapis.com",
        "monitoring.googleapis.com",  # monitoring.observe (default)
        "servicenetworking.googleapis.com",
        "serviceusage.googleapis.com",
        "sqladmin.googleapis.com",
        "storage.googleapis.com",
    ]


def test_network_subnet_ranges_and_private_services_access(synthesized):
    doc = synthesized["example"]
    vpc = only(doc, "google_compute_network")
    assert vpc["auto_create_subnetworks"] is False
    subnet = only(doc, "google_compute_subnetwork")
    assert subnet["ip_cidr_range"] == "10.10.10.0/24"
    assert subnet["private_ip_google_access"] is True
    assert subnet["secondary_ip_range"] == [
        {"range_name": "gke-pods", "ip_cidr_range": "172.16.0.0/16"},
        {"range_name": "gke-services", "ip_cidr_range": "192.168.0.0/24"},
    ]
    address = only(doc, "google_compute_global_address")
    assert (address["purpose"], address["address_type"]) == ("VPC_PEERING", "INTERNAL")
    assert (address["address"], address["prefix_length"]) == ("10.64.0.0", 16)
    connection = only(doc, "google_service_networking_connection")
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["reserved_peering_ranges"] == ["${google_compute_global_address.network_private-services-range_64993B9D.name}"]
    nat = only(doc, "google_compute_router_nat")
    assert nat["source_subnetwork_ip_ranges_to_nat"] == "ALL_SUBNETWORKS_ALL_IP_RANGES"


def _bucket_is_private_and_kept(bucket):
    assert bucket["public_access_prevention"] == "enforced"
    assert bucket["uniform_bucket_level_access"] is True
    assert bucket["force_destroy"] is False
    assert bucket["lifecycle"] == {"prevent_destroy": True}
    assert "retention_policy" not in bucket and "lifecycle_rule" not in bucket
    assert bucket["location"] == "US-CENTRAL1"


def test_single_data_bucket_by_default(synthesized):
    bucket = only(synthesized["example"], "google_storage_bucket")
    assert bucket["name"] == "flyte-gcp-data-123456789012"
    _bucket_is_private_and_kept(bucket)


def test_separate_raw_data_bucket_variant(synthesized):
    doc = synthesized["core-raw-regional-gcs"]
    buckets = {b["name"]: b for b in resources(doc, "google_storage_bucket").values()}
    assert sorted(buckets) == ["flyte-gcp-data-123456789012", "flyte-gcp-rawdata-123456789012"]
    for bucket in buckets.values():
        _bucket_is_private_and_kept(bucket)
    assert "raw_data_bucket" in doc["output"]
    assert "raw_data_bucket" not in synthesized["example"]["output"]


def test_cloud_sql_postgres_private_protected_with_generated_password(synthesized):
    doc = synthesized["example"]
    instance = only(doc, "google_sql_database_instance")
    assert instance["database_version"] == "POSTGRES_17"
    assert "maintenance_version" not in instance
    assert instance["deletion_protection"] is True
    assert instance["name"] == "flyte-gcp-db-${random_id.database_instance-suffix_FD58F8C3.hex}"
    assert instance["depends_on"][0] == "google_service_networking_connection.network_private-services-connection_29E859E4"
    settings = block(instance["settings"])
    assert settings["tier"] == "db-custom-1-3840"
    assert settings["edition"] == "ENTERPRISE"  # 16+ default to Enterprise Plus, which refuses custom tiers
    assert settings["availability_type"] == "ZONAL"
    assert settings["deletion_protection_enabled"] is True
    assert block(settings["location_preference"]) == {"zone": "us-central1-b"}
    ip = block(settings["ip_configuration"])
    assert ip["ipv4_enabled"] is False
    assert ip["private_network"] == "${google_compute_network.network_vpc_4E8F0223.id}"
    assert ip["ssl_mode"] == "ENCRYPTED_ONLY"
    backups = block(settings["backup_configuration"])
    assert backups["enabled"] is True and backups["point_in_time_recovery_enabled"] is True
    # Flyte's database, user and password at their original addresses (Keycloak's are a second set).
    assert resources(doc, "google_sql_database")["database_7CF902CB"]["name"] == "flyte"
    user = resources(doc, "google_sql_user")["database_user_9EB13DDB"]
    assert user["name"] == "flyte"
    assert user["password"] == "${random_password.database_password_22A6A8E7.result}"
    password = resources(doc, "random_password")["database_password_22A6A8E7"]
    assert password["special"] is False and password["length"] >= 24


def test_gke_cluster_stable_workload_identity_vpc_native(synthesized):
    cluster = only(synthesized["example"], "google_container_cluster")
    assert cluster["location"] == "us-central1-b"
    assert block(cluster["release_channel"]) == {"channel": "STABLE"}
    assert "min_master_version" not in cluster and "node_version" not in cluster
    assert block(cluster["workload_identity_config"]) == {"workload_pool": "my-flyte-project.svc.id.goog"}
    assert block(cluster["ip_allocation_policy"]) == {
        "cluster_secondary_range_name": "gke-pods",
        "services_secondary_range_name": "gke-services",
    }
    assert cluster["remove_default_node_pool"] is True
    assert block(cluster["private_cluster_config"])["enable_private_nodes"] is True


def test_node_pool_defaults_to_one_node_up_to_three(synthesized):
    pool = only(synthesized["example"], "google_container_node_pool")
    assert pool["location"] == "us-central1-b"
    assert pool["initial_node_count"] == 1
    autoscaling = block(pool["autoscaling"])
    assert (autoscaling["total_min_node_count"], autoscaling["total_max_node_count"]) == (1, 3)
    assert block(pool["management"]) == {"auto_repair": True, "auto_upgrade": True}
    node = block(pool["node_config"])
    assert node["machine_type"] == "e2-standard-4"
    assert node["service_account"] == "${google_service_account.cluster_node-sa_643412EE.email}"
    assert block(node["workload_metadata_config"]) == {"mode": "GKE_METADATA"}
    assert block(node["shielded_instance_config"])["enable_secure_boot"] is True


def test_node_service_account_roles_are_minimal(synthesized):
    doc = synthesized["example"]
    members = resources(doc, "google_project_iam_member").values()
    assert [(m["role"], m["member"]) for m in members] == [
        ("roles/container.defaultNodeServiceAccount", "${google_service_account.cluster_node-sa_643412EE.member}")
    ]
    readers = [m for m in resources(doc, "google_artifact_registry_repository_iam_member").values() if "cluster_node-sa" in m["member"]]
    assert [r["role"] for r in readers] == ["roles/artifactregistry.reader"]


def test_regional_variant_puts_cluster_and_pool_in_the_region(synthesized):
    doc = synthesized["core-raw-regional-gcs"]
    assert only(doc, "google_container_cluster")["location"] == "us-central1"
    pool = only(doc, "google_container_node_pool")
    assert pool["location"] == "us-central1"
    autoscaling = block(pool["autoscaling"])
    assert (autoscaling["total_min_node_count"], autoscaling["total_max_node_count"]) == (1, 3)


@pytest.mark.parametrize(
    "name, description_words",
    [
        ("cluster_name", "cluster"),
        ("cluster_location", "location"),
        ("get_credentials_command", "kubectl"),
        ("data_bucket", "bucket"),
        ("sql_connection_name", "connection"),
        ("sql_private_ip", "private IP"),
        ("network_name", "network"),
    ],
)
def test_infrastructure_outputs_have_descriptions(synthesized, name, description_words):
    output = synthesized["example"]["output"][name]
    assert description_words in output["description"]


def test_get_credentials_command(synthesized):
    value = synthesized["example"]["output"]["get_credentials_command"]["value"]
    assert value == (
        "gcloud container clusters get-credentials ${google_container_cluster.cluster_A4C38409.name} "
        "--location us-central1-b --project my-flyte-project --dns-endpoint"
    )


def test_backends(synthesized):
    assert synthesized["example"]["terraform"]["backend"] == {"local": {"path": "../../../terraform.example.tfstate"}}
    assert synthesized["core-raw-regional-gcs"]["terraform"]["backend"] == {
        "gcs": {"bucket": "my-tf-state", "prefix": "flyte/core-raw-regional-gcs"}
    }
    cloud = synthesized["binary-zonal-cloud"]["terraform"]
    assert "backend" not in cloud
    assert cloud["cloud"] == {"hostname": "app.terraform.io", "organization": "acme", "workspaces": {"name": "flyte-prod"}}

