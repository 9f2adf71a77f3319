"""The environment's Cloud Monitoring dashboard, as the JSON the Dashboards API takes. Pure; no CDKTF.

Every chart is a PromQL query (Cloud Monitoring runs PromQL over Managed Service for Prometheus
series and over system metrics alike). Scraped series are scoped by `cluster` (the label managed
collection adds), GKE system metrics by `cluster_name`, Cloud SQL's by `database_id`. Flyte metric
names are those of Flyte v1.16.8 (`tests/data/flyte-v1.16.8.metrics.json`, derived from Flyte's
own dashboards and the gRPC library flyteadmin registers; a test checks every name here).

The API drops fields holding their default (0, false, ""), so the provider would see such a
field vanish and plan a change on every run: positions of 0 are left out, and a test checks that
no default value is written anywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

COLUMNS = 48
TILE_WIDTH = 16
TILE_HEIGHT = 16
HEADER_HEIGHT = 4


@dataclass(frozen=True, kw_only=True)
class DashboardInputs:
    name: str
    """The environment (`<application>-<environment>`): the dashboard's title and the cluster's name."""
    sql_database_id: str
    """`<project>:<instance>` of the Cloud SQL instance (may be a reference)."""
    flyte_job: str
    """The `job` of flyteadmin's metrics: `flyteadmin` (flyte-core) or `flyte-binary`."""
    gpus: bool = False
    """GPU node pools exist: the GPU section (DCGM). Default: False."""


@dataclass(frozen=True)
class Chart:
    title: str
    queries: tuple[tuple[str, str], ...]
    """(legend, PromQL) per line."""


def _rate(metric: str, selector: str, window: str = "5m") -> str:
    return f"rate({metric}{{{selector}}}[{window}])"


def sections(v: DashboardInputs) -> list[tuple[str, list[Chart]]]:
    """(section title, charts) in display order."""
    c = f'cluster="{v.name}"'
    admin = f'{c},job="{v.flyte_job}"'
    node = f'monitored_resource="k8s_node",cluster_name="{v.name}"'
    container = f'monitored_resource="k8s_container",cluster_name="{v.name}"'
    sql = f'monitored_resource="cloudsql_database",database_id="{v.sql_database_id}"'
    p = "flyte:propeller:all:"
    admin_errors = admin + ',grpc_code!="OK"'
    upstream_5xx = c + ',code=~"5.."'
    out = [
        ("Flyte propeller", [
            Chart("Rounds per second", (
                ("succeeded", f"sum({_rate(p + 'round:success_count', c)})"),
                ("failed", f"sum({_rate(p + 'round:error_count', c)})"),
            )),
            Chart("Round errors per second by kind", (
                ("system error", f"sum({_rate(p + 'round:system_error_unlabeled', c)})"),
                ("abort error", f"sum({_rate(p + 'round:abort_error_unlabeled', c)})"),
                ("panic", f"sum({_rate(p + 'round:panic_unlabeled', c)})"),
            )),
            Chart("Free workers and work queue", (
                ("free workers", f"sum({p}free_workers_count{{{c}}})"),
                ("main queue depth", f"sum({p}main_depth{{{c}}})"),
                ("sub queue depth", f"sum({p}sub_depth{{{c}}})"),
            )),
        ]),
        ("flyteadmin", [
            Chart("Requests per second by RPC", (
                ("{{grpc_method}}", f"sum by (grpc_method) ({_rate('grpc_server_handled_total', admin)})"),
            )),
            Chart("Latency p95 by RPC (s)", (
                ("{{grpc_method}}", f"histogram_quantile(0.95, sum by (le, grpc_method) ({_rate('grpc_server_handling_seconds_bucket', admin)}))"),
            )),
            Chart("Errors per second by RPC and code", (
                ("{{grpc_method}} {{grpc_code}}", f"sum by (grpc_method, grpc_code) ({_rate('grpc_server_handled_total', admin_errors)})"),
            )),
        ]),
        ("Executions", [
            Chart("Workflows finished per minute", (
                ("succeeded", f"60 * sum({_rate(p + 'workflow:success_duration_ms_count', c)})"),
                ("failed", f"60 * sum({_rate(p + 'workflow:failure_duration_ms_count', c)})"),
            )),
            Chart("Executions created per minute", (
                ("created", f"60 * sum({_rate('flyte:admin:admin:create_execution:success', c)})"),
                ("refused", f"60 * sum({_rate('flyte:admin:admin:create_execution:errors', c)})"),
            )),
            Chart("Workflows in flight by project", (
                ("{{project}}", f"sum by (project) ({p}collector:flyteworkflow{{{c}}})"),
            )),
        ]),
        ("Nodes (all pools)", [
            Chart("CPU cores: requested vs allocatable", (
                ("requested", f"sum(kubernetes_io:container_cpu_request_cores{{{container}}})"),
                ("allocatable", f"sum(kubernetes_io:node_cpu_allocatable_cores{{{node}}})"),
            )),
            Chart("Memory (bytes): requested vs allocatable", (
                ("requested", f"sum(kubernetes_io:container_memory_request_bytes{{{container}}})"),
                ("allocatable", f"sum(kubernetes_io:node_memory_allocatable_bytes{{{node}}})"),
            )),
            Chart("Pods waiting for a node (Pending)", (
                ("pending", f'sum(kube_pod_status_phase{{{c},phase="Pending"}})'),
            )),
        ]),
    ]
    if v.gpus:
        out.append(("GPUs (DCGM)", [
            Chart("GPU utilization (%) by model", (("{{modelName}}", f"avg by (modelName) (DCGM_FI_DEV_GPU_UTIL{{{c}}})"),)),
            Chart("GPU engine active (ratio)", (("active", f"avg(DCGM_FI_PROF_GR_ENGINE_ACTIVE{{{c}}})"),)),
            Chart("GPU memory used (MiB)", (("used", f"sum(DCGM_FI_DEV_FB_USED{{{c}}})"),)),
        ]))
    out += [
        ("Cloud SQL", [
            Chart("CPU utilization", (("cpu", f"cloudsql_googleapis_com:database_cpu_utilization{{{sql}}}"),)),
            Chart("Memory utilization", (("memory", f"cloudsql_googleapis_com:database_memory_utilization{{{sql}}}"),)),
            Chart("Connections", (("backends", f"sum(cloudsql_googleapis_com:database_postgresql_num_backends{{{sql}}})"),)),
            Chart("Disk utilization", (("disk", f"cloudsql_googleapis_com:database_disk_utilization{{{sql}}}"),)),
        ]),
        ("Edge and certificate", [
            Chart("Requests per second at the ingress", (
                ("requests", f"sum({_rate('nginx_ingress_nginx_http_requests_total', c)})"),
            )),
            Chart("Upstream 5xx responses per second", (
                ("{{code}}", f"sum by (code) ({_rate('nginx_ingress_controller_upstream_server_response_latency_ms_count', upstream_5xx)})"),
            )),
            Chart("Days until each certificate expires", (
                ("{{name}}", f"min by (name) (certmanager_certificate_expiration_timestamp_seconds{{{c}}} - time()) / 86400"),
            )),
            Chart("Scrape targets up by job", (("{{job}}", f"sum by (job) (up{{{c}}})"),)),
        ]),
    ]
    return out


def _position(x: int, y: int, width: int, height: int) -> dict[str, int]:
    """A tile's place; 0 coordinates are left out (the API drops them, see the module docstring)."""
    out = {"width": width, "height": height}
    if x:
        out["xPos"] = x
    if y:
        out["yPos"] = y
    return out


def _chart_widget(chart: Chart) -> dict[str, Any]:
    data_sets = [
        {"timeSeriesQuery": {"prometheusQuery": query}, "plotType": "LINE", "legendTemplate": legend}
        for legend, query in chart.queries
    ]
    return {"title": chart.title, "xyChart": {"dataSets": data_sets}}


def dashboard(v: DashboardInputs) -> dict[str, Any]:
    """Sections top to bottom, each a header row then its charts, three (or four) to a row."""
    tiles: list[dict[str, Any]] = []
    y = 0
    for title, charts in sections(v):
        tiles.append({**_position(0, y, COLUMNS, HEADER_HEIGHT), "widget": {"title": title, "sectionHeader": {"dividerBelow": True}}})
        y += HEADER_HEIGHT
        per_row = 4 if len(charts) % 4 == 0 else COLUMNS // TILE_WIDTH
        width = COLUMNS // per_row
        for i, chart in enumerate(charts):
            x = (i % per_row) * width
            row_y = y + (i // per_row) * TILE_HEIGHT
            tiles.append({**_position(x, row_y, width, TILE_HEIGHT), "widget": _chart_widget(chart)})
        y += -(-len(charts) // per_row) * TILE_HEIGHT
    return {"displayName": f"Flyte {v.name}", "mosaicLayout": {"columns": COLUMNS, "tiles": tiles}}


def dashboard_json(v: DashboardInputs) -> str:
    return json.dumps(dashboard(v), sort_keys=True)
