"""What replaces the stateful and slow resources: their `ForceNew` attributes that a stack sets.

Read in hashicorp/terraform-provider-google at tag v6.50.0 (the provider the prebuilt binding
wraps), 2026-12. A change to a `ForceNew: true` attribute plans a replacement: destroy, then
create. Each row names the schema line (`file:line` of the attribute, the `ForceNew` line after
the `@`); a row whose `when` is not "changed" comes from a `CustomizeDiff` instead. Blocks are
listed whole only where every attribute inside them is ForceNew too.

`IN_PLACE` lists the other attributes our stacks set on these types, each with why a change is
not a replacement, so that every attribute is accounted for (tests/test_day2.py checks it on
every variant). `cli/replacements.py` compares an old and a new synthesized stack on this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CONTAINER = "google/services/container/"
SQL = "google/services/sql/"
STORAGE = "google/services/storage/"
COMPUTE = "google/services/compute/"


@dataclass(frozen=True)
class ForceNew:
    resource_type: str
    path: str
    """Attribute path, blocks joined with dots (`settings.ip_configuration.private_network`)."""
    source: str
    when: Literal["changed", "removed"] = "changed"
    """`removed`: only taking the value away replaces (an edit is in place)."""
    unordered: bool = False
    """A set in the schema: order is not a change."""


def _rows(resource_type: str, source_file: str, *rows: tuple) -> tuple[ForceNew, ...]:
    return tuple(ForceNew(resource_type, path, f"{source_file}:{lines}", *rest) for path, lines, *rest in rows)


_NODE_CONFIG = CONTAINER + "node_config.go"
FORCE_NEW: tuple[ForceNew, ...] = (
    *_rows(
        "google_container_cluster", CONTAINER + "resource_container_cluster.go",
        ("name", "272@275"),
        ("location", "305@309"),
        ("project", "1536@1540"),
        ("network", "1405@1409"),
        ("subnetwork", "1544@1548"),
        ("initial_node_count", "1014@1017"),
        ("master_auth.client_certificate_config", "1342@1346"),
        ("ip_allocation_policy.cluster_secondary_range_name", "1609@1613"),
        ("ip_allocation_policy.services_secondary_range_name", "1618@1622"),
        ("private_cluster_config.enable_private_nodes", "1780@1783"),
        ("private_cluster_config.master_ipv4_cidr_block", "1788@1792"),
        ("datapath_provider", "2052@2055"),
    ),
    *_rows(
        "google_container_node_pool", CONTAINER + "resource_container_node_pool.go",
        ("name", "339@343"),
        ("project", "71@75"),
        ("cluster", "78@81"),
        ("location", "84@88"),
        ("initial_node_count", "292@295"),
    ),
    *_rows(
        "google_container_node_pool", _NODE_CONFIG,
        ("node_config.service_account", "448@452"),
        ("node_config.oauth_scopes", "384@388", "changed", True),
        ("node_config.metadata", "367@371"),
        ("node_config.spot", "440@443"),
        ("node_config.guest_accelerator", "164@168"),
        ("node_config.ephemeral_storage_local_ssd_config", "273@278"),
        ("node_config.shielded_instance_config", "470@474"),
    ),
    *_rows(
        "google_sql_database_instance", SQL + "resource_sql_database_instance.go",
        ("name", "866@870"),
        ("region", "178@182"),
        ("project", "881@885"),
        ("settings.ip_configuration.private_network", "1183@1187 (privateNetworkCustomizeDiff)", "removed"),
    ),
    *_rows(
        "google_sql_database", SQL + "resource_sql_database.go",
        ("instance", "58@61"),
        ("name", "65@68"),
        ("project", "102@106"),
    ),
    *_rows(
        "google_sql_user", SQL + "resource_sql_user.go",
        ("instance", "93@96"),
        ("name", "100@103"),
        ("project", "209@213"),
    ),
    *_rows(
        "google_storage_bucket", STORAGE + "resource_storage_bucket.go",
        ("name", "85@88"),
        ("location", "143@146"),
        ("project", "153@157"),
    ),
    *_rows(
        "google_compute_address", COMPUTE + "resource_compute_address.go",
        ("name", "60@63"),
        ("address_type", "81@84"),
        ("description", "90@93"),
        ("network_tier", "132@136"),
        ("region", "174@178"),
        ("project", "226@230"),
    ),
)


@dataclass(frozen=True)
class InPlace:
    resource_type: str
    path: str
    source: str
    """Where the schema declares it without ForceNew (and the update, where one is sent)."""


def _in_place(resource_type: str, source_file: str, *rows: tuple[str, str]) -> tuple[InPlace, ...]:
    return tuple(InPlace(resource_type, path, f"{source_file}:{lines}") for path, lines in rows)


IN_PLACE: tuple[InPlace, ...] = (
    *_in_place(
        "google_container_cluster", CONTAINER + "resource_container_cluster.go",
        ("deletion_protection", "321 (state only: the read never sets it, the importer does at 7238)"),
        ("remove_default_node_pool", "1702 (acts at creation only)"),
        ("node_config", "1439 (ForceNew inside, but in lifecycle.ignore_changes: facts/drift.py)"),
        ("master_authorized_networks_config", "1382 (update 3337)"),
        ("control_plane_endpoints_config.dns_endpoint_config.allow_external_traffic", "1731 (update 3336)"),
        ("private_cluster_config.enable_private_endpoint", "1773 (update 3337)"),
        ("enable_shielded_nodes", "975 (update 3473)"),
        ("release_channel", "1988 (update 3493)"),
        ("enable_intranode_visibility", "2067 (update 3557)"),
        ("workload_identity_config", "1894 (update 4363)"),
        ("resource_labels", "1841"),
        ("monitoring_config", "1181 (update 4428: DesiredMonitoringConfig)"),
    ),
    *_in_place(
        "google_container_node_pool", CONTAINER + "resource_container_node_pool.go",
        ("autoscaling", "147 (update 1382)"),
        ("management", "314 (update 1464)"),
        ("node_locations", "247 (update 1526)"),
    ),
    *_in_place(
        "google_container_node_pool", CONTAINER + "node_config.go",
        ("node_config.machine_type", "360 (update 2560)"),
        ("node_config.image_type", "237 (update 2861)"),
        ("node_config.tags", "456 (update 2691)"),
        ("node_config.labels", "245 (update 2823)"),
        ("node_config.taint", "497 (update 2635)"),
        ("node_config.workload_metadata_config", "548 (update 2892)"),
        ("node_config.gcfs_config", "342 (update 2927)"),
    ),
    *_in_place(
        "google_sql_database_instance", SQL + "resource_sql_database_instance.go",
        ("database_version", "807 (a major version upgrade happens in place; no downgrade)"),
        ("deletion_protection", "185 (state only)"),
        ("settings.tier", "204"),
        ("settings.edition", "209"),
        ("settings.availability_type", "323 (ZONAL <-> REGIONAL in place: the instance restarts)"),
        ("settings.backup_configuration", "344"),
        ("settings.database_flags", "421"),
        ("settings.ip_configuration", "485 (private_network: only removing it replaces, see FORCE_NEW)"),
        ("settings.location_preference", "608 (a zonal instance moves zones in place)"),
        ("settings.insights_config", "678"),
        ("settings.deletion_protection_enabled", "772"),
    ),
    *_in_place("google_sql_database", SQL + "resource_sql_database.go", ("deletion_policy", "93 (state only)")),
    *_in_place(
        "google_sql_user", SQL + "resource_sql_user.go",
        ("password", "108 (update 491)"),
        ("deletion_policy", "217 (state only)"),
    ),
    *_in_place(
        "google_storage_bucket", STORAGE + "resource_storage_bucket.go",
        ("force_destroy", "114 (state only)"),
        ("labels", "121"),
        ("storage_class", "179"),
        ("uniform_bucket_level_access", "502"),
        ("public_access_prevention", "537"),
    ),
)
