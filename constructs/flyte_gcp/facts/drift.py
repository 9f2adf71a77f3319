"""The second plan: what the google provider reads back differently from what a stack writes.

Read in hashicorp/terraform-provider-google at tag v6.50.0 (the provider the prebuilt binding
wraps), 2026-12, for every attribute our stacks set on a `google_*` resource: what the read
(`d.Set`, the `flatten*` functions) stores in state, and whether the next plan can see a
difference nobody made. That happens when the API answers a value derived from something
else, a default it fills in, or another spelling or order, and no DiffSuppressFunc absorbs it.
The difference is then an update on every plan (one that may fail) or, on a ForceNew
attribute, a replacement.

`DRIFT`: each such attribute and what a stack must do about it. `REVIEWED`: every other
attribute our stacks set, with why its read matches what we write. tests/test_day2.py checks
each DRIFT row on every variant (and that each check can fail), and that every attribute a
variant sets is in one of the two tables.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTAINER = "google/services/container/"
CLUSTER = CONTAINER + "resource_container_cluster.go"
NODE_POOL = CONTAINER + "resource_container_node_pool.go"
NODE_CONFIG = CONTAINER + "node_config.go"
SQL_INSTANCE = "google/services/sql/resource_sql_database_instance.go"
BUCKET = "google/services/storage/resource_storage_bucket.go"
COMPUTE = "google/services/compute/"
IAM_MEMBER = "google/tpgiamresource/resource_iam_member.go"
MONITORING = "google/services/monitoring/"
ALERT = MONITORING + "resource_monitoring_alert_policy.go"
UPTIME = MONITORING + "resource_monitoring_uptime_check_config.go"
CHANNEL = MONITORING + "resource_monitoring_notification_channel.go"
DASHBOARD = MONITORING + "resource_monitoring_dashboard.go"
# The API holds these as google.protobuf.Duration and answers them in its JSON form: whole seconds
# as "300s" ("5m" is refused; "300.0s" comes back "300s"). protobuf.dev, "ProtoJSON Format", Duration.
_DURATION = "read back verbatim, no DiffSuppressFunc; the API answers a Duration in its JSON form, whole seconds as \"300s\""


@dataclass(frozen=True)
class Drift:
    id: str
    resource_type: str
    path: str
    must: str
    """What every stack must do (the condition tests/test_day2.py checks)."""
    why: str
    source: str


DRIFT: tuple[Drift, ...] = (
    Drift(
        "cluster-node-config", "google_container_cluster", "node_config",
        "in lifecycle.ignore_changes (the default pool it configures is created, then removed)",
        "read on every refresh from the API's cluster nodeConfig, which GKE answers from the first node "
        "pool it lists; a difference is sent as an update to `default-pool`, which no longer exists, "
        "or plans a replacement (ForceNew fields inside); provider issues #6930, #24069",
        f"{CLUSTER}:3156 (read), {CLUSTER}:4164-4173 (update to default-pool)",
    ),
    Drift(
        "cluster-initial-node-count", "google_container_cluster", "initial_node_count",
        "in lifecycle.ignore_changes",
        "ForceNew, not Computed, and set on every read from the API's initialNodeCount, the size of "
        "a default pool that no longer exists: any other answer replaces the cluster",
        f"{CLUSTER}:1014@1017, {CLUSTER}:3040 (read)",
    ),
    Drift(
        "cluster-master-cidr", "google_container_cluster", "private_cluster_config.master_ipv4_cidr_block",
        "a network address in canonical form (no host bits)",
        "ForceNew, read back verbatim from the API's range, no DiffSuppressFunc",
        f"{CLUSTER}:1788@1792, {CLUSTER}:6542 (read)",
    ),
    Drift(
        "pool-metadata", "google_container_node_pool", "node_config.metadata",
        'holds "disable-legacy-endpoints": "true"',
        "ForceNew and Computed, read back verbatim from the node pool's metadata; GKE sets "
        "disable-legacy-endpoints=true on every pool, so a metadata map without it differs on the "
        "second plan and replaces the pool",
        f"{NODE_CONFIG}:367@371, {NODE_CONFIG}:1947 (read)",
    ),
    Drift(
        "pool-service-account", "google_container_node_pool", "node_config.service_account",
        "the account's e-mail (a reference to `.email`), not its name, id or member",
        "ForceNew, read back as the e-mail the API answers, no DiffSuppressFunc",
        f"{NODE_CONFIG}:448@452, {NODE_CONFIG}:1946 (read)",
    ),
    Drift(
        "pool-taints", "google_container_node_pool", "node_config.taint",
        "at most one declared taint per pool",
        "an ordered list, not Computed, no DiffSuppressFunc; the read keeps the API's taints whose key "
        "is already in state, in the API's order (GKE's own nvidia.com/gpu taint is dropped that way), "
        "so two declared taints can come back in another order",
        f"{NODE_CONFIG}:497, {NODE_CONFIG}:2150-2171 (flattenTaints)",
    ),
    Drift(
        "pool-initial-node-count", "google_container_node_pool", "initial_node_count",
        "unset, or a constant (1 on the general pool), never derived from the configuration",
        "ForceNew and read back from the API's initialNodeCount: a value that follows min_nodes "
        "would replace the pool whenever min_nodes changes",
        f"{NODE_POOL}:292@295, {NODE_POOL}:1168 (read)",
    ),
    Drift(
        "sql-backup-start-time", "google_sql_database_instance", "settings.backup_configuration.start_time",
        "zero-padded HH:MM",
        "read back verbatim, no DiffSuppressFunc (the cluster's maintenance window has one for 1:00 vs "
        "01:00, this field does not)",
        f"{SQL_INSTANCE}:363, {SQL_INSTANCE}:2509 (read)",
    ),
    Drift(
        "sql-flag-values", "google_sql_database_instance", "settings.database_flags",
        "values in Cloud SQL's spelling: on/off for switches, lower case, never true/false",
        "a set hashed on name and value, read back verbatim: another spelling is a different element",
        f"{SQL_INSTANCE}:421-425, {SQL_INSTANCE}:66-79 (element), {SQL_INSTANCE}:2582 (read)",
    ),
    Drift(
        "sql-disk-size", "google_sql_database_instance", "settings.disk_size",
        "unset",
        "disk_autoresize defaults to true, so Cloud SQL grows the disk and the read stores the grown "
        "size; a configured size below it is a shrink, which ForceNewIfChange turns into a replacement",
        f"{SQL_INSTANCE}:427, {SQL_INSTANCE}:449, {SQL_INSTANCE}:164 (ForceNewIfChange), {SQL_INSTANCE}:2398 (read)",
    ),
    Drift(
        "sql-regional-location", "google_sql_database_instance", "settings.location_preference",
        "with availability_type REGIONAL: settings[0].location_preference in lifecycle.ignore_changes",
        "secondary_zone is Optional, not Computed, and read back from the zone Cloud SQL chose for the "
        "standby (provider issue #12099); a failover moves the primary to another zone",
        f"{SQL_INSTANCE}:608-632, {SQL_INSTANCE}:2714-2719 (read)",
    ),
    Drift(
        "bucket-public-access-prevention", "google_storage_bucket", "public_access_prevention",
        '"enforced", lower case, as the API spells it',
        "Optional and Computed, read back verbatim, no DiffSuppressFunc",
        f"{BUCKET}:537, {BUCKET}:2295 (read)",
    ),
    Drift(
        "subnet-flow-logs-flag", "google_compute_subnetwork", "enable_flow_logs",
        "unset (log_config turns flow logs on)",
        "deprecated, Computed and ForceNew, read back from the API's enableFlowLogs: a literal that "
        "disagrees with what the API derives replaces the subnet",
        f"{COMPUTE}resource_compute_subnetwork.go:157@162, {COMPUTE}resource_compute_subnetwork.go:795 (read)",
    ),
    Drift(
        "peering-range-address", "google_compute_global_address", "address",
        "the network address of the range (address/prefix_length without host bits)",
        "ForceNew, read back verbatim, no DiffSuppressFunc",
        f"{COMPUTE}resource_compute_global_address.go:72@76, {COMPUTE}resource_compute_global_address.go:420 (read)",
    ),
    Drift(
        "cluster-monitoring-components", "google_container_cluster", "monitoring_config.enable_components",
        "in the order of GKE's MonitoringComponentConfig enum (SYSTEM_COMPONENTS, APISERVER, ..., POD, DAEMONSET, DEPLOYMENT, STATEFULSET, ..., DCGM)",
        "an ordered list (TypeList until provider 8.0, magic-modules#18262), no DiffSuppressFunc; the read stores the API's list, "
        "which GKE answers in its enum order whatever order was sent (terraform-google-kubernetes-engine#2584): another order "
        "is an update on every plan",
        f"{CLUSTER}:1189-1196, {CLUSTER}:7116-7118 (read)",
    ),
    Drift(
        "alert-promql-duration", "google_monitoring_alert_policy", "conditions.condition_prometheus_query_language.duration",
        'whole seconds, "<n>s"', _DURATION, f"{ALERT}:413-419, {ALERT}:2136-2138 (read)",
    ),
    Drift(
        "alert-threshold-duration", "google_monitoring_alert_policy", "conditions.condition_threshold.duration",
        'whole seconds, "<n>s"', _DURATION, f"{ALERT}:643-645, {ALERT}:1974-1976 (read)",
    ),
    Drift(
        "alert-alignment-period", "google_monitoring_alert_policy", "conditions.condition_threshold.aggregations.alignment_period",
        'whole seconds, "<n>s"', _DURATION, f"{ALERT}:680-682, {ALERT}:2064-2066 (read)",
    ),
    Drift(
        "alert-threshold-filter", "google_monitoring_alert_policy", "conditions.condition_threshold.filter",
        "one line, no leading or trailing white space",
        "read back verbatim, no DiffSuppressFunc; a filter written with a trailing newline (a heredoc) came back without "
        "it and showed a difference on every plan (provider issue #11004, the uptime check_passed filter)",
        f"{ALERT}:924-926, {ALERT}:2072-2074 (read)",
    ),
    Drift(
        "uptime-period", "google_monitoring_uptime_check_config", "period",
        '60s, 300s, 600s or 900s, spelled so',
        "Optional with Default 300s, read back verbatim; the API takes only these four periods and answers them as a Duration (\"60s\")",
        f"{UPTIME}:339-343, {UPTIME}:959-961 (read)",
    ),
    Drift(
        "uptime-timeout", "google_monitoring_uptime_check_config", "timeout",
        'whole seconds from 1 to 60, "<n>s"', _DURATION + " (the API takes 1 to 60 seconds)",
        f"{UPTIME}:79-83, {UPTIME}:963-965 (read)",
    ),
    Drift(
        "dashboard-no-defaults", "google_monitoring_dashboard", "dashboard_json",
        'no field at its proto3 default (0, false, "", an empty list or object)',
        "the read stores the API's dashboard, which omits every field at its default; monitoringDashboardDiffSuppress "
        "removes from the old value only the keys the configuration lacks (name, etag, what the API adds), so a key the "
        "configuration sets and the API drops stays a difference on every plan",
        f"{DASHBOARD}:36-40, {DASHBOARD}:61-72, {DASHBOARD}:97-105, {DASHBOARD}:194-198 (read)",
    ),
)


@dataclass(frozen=True)
class Reviewed:
    resource_type: str
    paths: tuple[str, ...]
    """Attribute paths (or block prefixes) our stacks set."""
    why: str
    """Why the second plan shows no difference."""
    source: str


def _r(resource_type: str, paths: str, why: str, source: str) -> Reviewed:
    return Reviewed(resource_type, tuple(paths.split()), why, source)


_VERBATIM = "read back as written; nothing else derives it"
REVIEWED: tuple[Reviewed, ...] = (
    _r("google_container_cluster", "name project location deletion_protection remove_default_node_pool",
       "identity, or kept in state only (deletion_protection, remove_default_node_pool)", f"{CLUSTER}:272, 305, 321, 1536, 1702"),
    _r("google_container_cluster", "network subnetwork",
       "the read stores the API's full path; CompareSelfLinkOrResourceName compares the last segment", f"{CLUSTER}:1405, 1544, 3070-3073"),
    _r("google_container_cluster", "master_authorized_networks_config",
       "cidr_blocks is a set of cidr_block and display_name, both read back as written", f"{CLUSTER}:56, 1382, 6883-6897"),
    _r("google_container_cluster", "control_plane_endpoints_config.dns_endpoint_config.allow_external_traffic",
       "read back as written (flattenDnsEndpointConfig); the endpoint and the ip_endpoints_config block we leave unset are Computed",
       f"{CLUSTER}:1709-1735, 3181, 6485-6508"),
    _r("google_container_cluster", "private_cluster_config.enable_private_endpoint private_cluster_config.enable_private_nodes",
       "read back from the endpoint and network config; containerClusterPrivateClusterConfigSuppress", f"{CLUSTER}:1773-1786, 6521-6550, 7316"),
    _r("google_container_cluster", "ip_allocation_policy",
       "the range names are read back as written; the CIDR blocks the API fills in are Computed", f"{CLUSTER}:1577-1630, 6655-6688"),
    _r("google_container_cluster", "master_auth release_channel workload_identity_config datapath_provider "
       "enable_shielded_nodes enable_intranode_visibility resource_labels",
       _VERBATIM + " (resource_labels is non-authoritative: labels GKE adds are not compared)",
       f"{CLUSTER}:975, 1334, 1841, 1894, 1988, 2052, 2067"),
    _r("google_container_node_pool", "name project cluster location node_locations management",
       _VERBATIM + " (node_locations is a set)", f"{NODE_POOL}:71-88, 247, 314, 339"),
    _r("google_container_node_pool", "autoscaling",
       "total_* limits and location_policy read back as written; the per-zone limits we leave unset read as 0",
       f"{NODE_POOL}:147-190, 1178-1192"),
    _r("google_container_node_pool", "node_config.machine_type node_config.labels node_config.tags node_config.spot "
       "node_config.workload_metadata_config node_config.shielded_instance_config node_config.gcfs_config "
       "node_config.ephemeral_storage_local_ssd_config node_config.guest_accelerator",
       _VERBATIM + " (guest_accelerator type: CompareSelfLinkOrResourceName)", f"{NODE_CONFIG}:164-230, 245, 273, 342, 360, 440, 456, 470, 548, 1915-1982"),
    _r("google_container_node_pool", "node_config.image_type", "CaseDiffSuppress", f"{NODE_CONFIG}:237-243"),
    _r("google_container_node_pool", "node_config.oauth_scopes",
       "a set whose StateFunc canonicalises scope aliases to their URL", f"{NODE_CONFIG}:384-398"),
    _r("google_sql_database_instance", "name project region database_version deletion_protection",
       _VERBATIM + " (deletion_protection is state only)", f"{SQL_INSTANCE}:178, 185, 807, 866, 881"),
    _r("google_sql_database_instance", "settings.tier settings.edition settings.availability_type settings.deletion_protection_enabled",
       _VERBATIM + " (flattenEdition answers ENTERPRISE for an empty edition)", f"{SQL_INSTANCE}:204, 209, 323, 772, 2387-2417, 2839"),
    _r("google_sql_database_instance", "settings.backup_configuration.enabled settings.backup_configuration.point_in_time_recovery_enabled "
       "settings.backup_configuration.transaction_log_retention_days settings.backup_configuration.backup_retention_settings",
       _VERBATIM, f"{SQL_INSTANCE}:344-410, 2505-2529"),
    _r("google_sql_database_instance", "settings.ip_configuration",
       "read back as written; private_network is compared as a relative path (CompareSelfLinkRelativePaths)", f"{SQL_INSTANCE}:485-540, 2649-2670"),
    _r("google_sql_database_instance", "settings.insights_config", _VERBATIM, f"{SQL_INSTANCE}:678, 2815-2825"),
    _r("google_sql_database", "instance name project deletion_policy", _VERBATIM + " (deletion_policy is state only)",
       "google/services/sql/resource_sql_database.go:58-106"),
    _r("google_sql_user", "instance name project password deletion_policy",
       "the password is never read back (state keeps it); the rest as written", "google/services/sql/resource_sql_user.go:93-217"),
    _r("google_storage_bucket", "name project location",
       "location: a StateFunc upper-cases the configuration, the API answers upper case", f"{BUCKET}:85, 143-151, 153, 2222"),
    _r("google_storage_bucket", "storage_class uniform_bucket_level_access force_destroy labels",
       _VERBATIM + " (labels are non-authoritative; force_destroy is state only)", f"{BUCKET}:114, 121, 179, 502, 2216, 2285"),
    _r("google_compute_network", "name project auto_create_subnetworks routing_mode", _VERBATIM,
       f"{COMPUTE}resource_compute_network.go:61, 74, 180, 216"),
    _r("google_compute_subnetwork", "name project region network ip_cidr_range private_ip_google_access",
       _VERBATIM + " (network: CompareSelfLinkOrResourceName)", f"{COMPUTE}resource_compute_subnetwork.go:128, 141, 175, 296, 322, 459"),
    _r("google_compute_subnetwork", "secondary_ip_range",
       "compared as a set (resourceComputeSubnetworkSecondaryIpRangeSetStyleDiff)", f"{COMPUTE}resource_compute_subnetwork.go:121, 348"),
    _r("google_compute_subnetwork", "log_config",
       "every field written explicitly; metadata_fields cleared unless CUSTOM_METADATA", f"{COMPUTE}resource_compute_subnetwork.go:208-270, 1533-1564"),
    _r("google_compute_global_address", "name project address_type network prefix_length purpose", _VERBATIM,
       f"{COMPUTE}resource_compute_global_address.go:60-139, 173"),
    _r("google_compute_address", "name project region address_type network_tier description", _VERBATIM,
       f"{COMPUTE}resource_compute_address.go:60-174, 226"),
    _r("google_compute_firewall", "name project network description direction allow source_ranges target_tags",
       _VERBATIM + " (allow, source_ranges and target_tags are sets)", f"{COMPUTE}resource_compute_firewall.go:169-370, 395"),
    _r("google_compute_router", "name project region network", _VERBATIM, f"{COMPUTE}resource_compute_router.go:79-233"),
    _r("google_compute_router_nat", "name project region router nat_ip_allocate_option source_subnetwork_ip_ranges_to_nat log_config",
       _VERBATIM, f"{COMPUTE}resource_compute_router_nat.go:218-456"),
    _r("google_service_networking_connection", "network service reserved_peering_ranges",
       _VERBATIM + " (network: CompareSelfLinkOrResourceName)", "google/services/servicenetworking/resource_service_networking_connection.go:53-77"),
    _r("google_dns_record_set", "name managed_zone project type ttl rrdatas",
       _VERBATIM + " (rrdatas: rrdatasDnsDiffSuppress; name must end with a dot, validated at plan)",
       "google/services/dns/resource_dns_record_set.go:47-72, 118-253"),
    _r("google_artifact_registry_repository", "repository_id location project format description",
       _VERBATIM + " (format: CaseDiffSuppress)", "google/services/artifactregistry/resource_artifact_registry_repository.go:206-216, 329, 372, 823"),
    _r("google_project_service", "project service disable_on_destroy disable_dependent_services",
       _VERBATIM + " (the flags are state only)", "google/services/resourcemanager/resource_google_project_service.go:113-132"),
    _r("google_service_account", "account_id project display_name description", _VERBATIM,
       "google/services/resourcemanager/resource_google_service_account.go:69-93"),
    _r("google_project_iam_custom_role", "role_id project title description permissions", _VERBATIM + " (permissions is a set)",
       "google/services/resourcemanager/resource_google_project_iam_custom_role.go:48-82"),
    _r("google_project_iam_member", "project role member", "member: iamMemberCaseDiffSuppress", f"{IAM_MEMBER}:34-40, 63-72"),
    _r("google_storage_bucket_iam_member", "bucket role member", "member: iamMemberCaseDiffSuppress", f"{IAM_MEMBER}:34-40, 63-72"),
    _r("google_service_account_iam_member", "service_account_id role member", "member: iamMemberCaseDiffSuppress", f"{IAM_MEMBER}:34-40, 63-72"),
    _r("google_artifact_registry_repository_iam_member", "project location repository role member",
       "member: iamMemberCaseDiffSuppress", f"{IAM_MEMBER}:34-40, 63-72"),
    _r("google_service_account_iam_binding", "service_account_id role members",
       "members: a set hashed case-insensitively, CaseDiffSuppress", "google/tpgiamresource/resource_iam_binding.go:34-50"),
    _r("google_container_cluster", "monitoring_config.managed_prometheus",
       "enabled read back from managedPrometheusConfig; a disabled one is answered as {} (not nil: enabled = false); "
       "auto_monitoring_config, left unset, is Computed. Written both ways: without it GKE turns managed collection on",
       f"{CLUSTER}:1198-1210, 7119-7121, 7142-7158"),
    _r("google_monitoring_alert_policy", "project display_name combiner severity notification_channels",
       _VERBATIM + " (combiner, severity: ValidateEnum, the upper-case enum names the API answers; notification_channels: "
       "the channels' ids, which are the names the API answered, in the order written)",
       f"{ALERT}:65-69, 1018, 1159, 1173-1176, 1218, 1397-1427, 1671, 2438, 2517, {CHANNEL}:282"),
    _r("google_monitoring_alert_policy", "conditions.display_name conditions.condition_prometheus_query_language.query "
       "conditions.condition_prometheus_query_language.disable_metric_validation documentation",
       _VERBATIM + " (documentation.mime_type: text/markdown, its default)",
       f"{ALERT}:81, 379, 401, 1104, 1133-1138, 2080, 2132, 2156, 2540, 2544"),
    _r("google_monitoring_alert_policy", "conditions.condition_threshold.comparison conditions.condition_threshold.threshold_value "
       "conditions.condition_threshold.trigger conditions.condition_threshold.aggregations.per_series_aligner "
       "conditions.condition_threshold.aggregations.cross_series_reducer conditions.condition_threshold.aggregations.group_by_fields",
       _VERBATIM + " (enum names as the API answers them; trigger.count: an int64 string turned into a number; "
       "cross_series_reducer: crossSeriesReducerDiffSuppress for REDUCE_NONE only)",
       f"{ALERT}:39-41, 630-633, 698-702, 721, 753, 965, 985, 1929, 2018-2032"),
    _r("google_monitoring_dashboard", "project", _VERBATIM, f"{DASHBOARD}:108, 190"),
    _r("google_monitoring_notification_channel", "project type display_name labels",
       _VERBATIM + " (labels: the decoder rewrites only auth_token, service_key and password, which the API obfuscates; "
       "an e-mail channel has none)", f"{CHANNEL}:74, 84, 95, 172, 560, 572, 584, 650-663"),
    _r("google_monitoring_uptime_check_config", "project display_name http_check monitored_resource",
       _VERBATIM + " (path: starts with /; port: Computed, written 443 with use_ssl; monitored_resource labels: "
       "project_id written, which the API adds when unset)",
       f"{UPTIME}:39-50, 74, 230-235, 253-256, 284, 290, 321-332, 457, 1131-1160, 1343-1347"),
)
