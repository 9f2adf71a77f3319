"""Observe: what Managed Service for Prometheus scrapes, the dashboard, and the alerts that e-mail someone.

Nothing here with `monitoring.observe: false` (the cluster then runs without managed collection;
see `layers/compute.py`). The uptime check exists only when the whole internet may reach the
ingress: Google's checkers come from public addresses that restricted ranges do not admit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import TerraformStack

from flyte_gcp.config.model import Config
from flyte_gcp.gcp.monitoring import Alerts, Dashboard
from flyte_gcp.k8s.ingress import CONTROLLER_NAMESPACE
from flyte_gcp.k8s.pod_monitoring import PodMonitorings
from flyte_gcp.layers.auth import Auth
from flyte_gcp.layers.data import Data
from flyte_gcp.layers.edge import Edge
from flyte_gcp.layers.foundation import Foundation
from flyte_gcp.layers.platform import Platform
from flyte_gcp.values import alerts, dashboard, scrape
from flyte_gcp.values import keycloak as keycloak_values

CERT_MANAGER_NAMESPACE = "cert-manager"  # the release and namespace `ClusterAddons` creates


@dataclass(frozen=True)
class Observe:
    dashboard_url: str
    """The dashboard in the Cloud Console (a reference)."""


def build(
    stack: TerraformStack, c: Config, foundation: Foundation, data: Data, edge: Edge, auth: Auth, platform: Platform
) -> Observe | None:
    if not c.monitoring.observe:
        return None
    flyte_jobs = _pod_monitorings(stack, c, edge, auth, platform)
    jobs = [*flyte_jobs, "nginx-ingress", "cert-manager", *(["keycloak"] if auth.keycloak else [])]
    apis = foundation.services.resources
    sql_database_id = f"{c.project_id}:{data.database.instance_name}"
    inputs = dashboard.DashboardInputs(
        name=c.name_prefix,
        sql_database_id=sql_database_id,
        flyte_job="flyteadmin" if c.chart == "flyte-core" else c.chart,
        gpus=any(p.accelerator for p in c.gke.node_pools),
    )
    board = Dashboard(stack, "dashboard", project_id=c.project_id, dashboard_json=dashboard.dashboard_json(inputs), depends_on=apis)
    Alerts(
        stack,
        "alerts",
        project_id=c.project_id,
        name_prefix=c.name_prefix,
        emails=c.alert_emails,
        policies=alerts.alert_specs(
            cluster=c.name_prefix, sql_database_id=sql_database_id, flyte_namespace=c.flyte.namespace, jobs=jobs, flyte_jobs=flyte_jobs
        ),
        uptime_host=c.flyte_host if c.ingress.is_public else None,
        uptime_documentation=alerts.uptime_documentation(host=c.flyte_host, flyte_namespace=c.flyte.namespace),
        depends_on=apis,
    )
    return Observe(dashboard_url=board.url)


def _pod_monitorings(stack: TerraformStack, c: Config, edge: Edge, auth: Auth, platform: Platform) -> list[str]:
    """The PodMonitorings, each after the release whose pods it selects; returns Flyte's jobs."""
    flyte = PodMonitorings(
        stack,
        "flyte-metrics",
        targets=scrape.flyte_targets(chart=c.chart, release=c.chart, namespace=c.flyte.namespace),
        depends_on=platform.release.ready,
    )
    edge_targets = scrape.edge_targets(
        nginx_namespace=CONTROLLER_NAMESPACE,
        nginx_release="nginx-ingress",
        cert_manager_namespace=CERT_MANAGER_NAMESPACE,
        cert_manager_release="cert-manager",
    )
    PodMonitorings(stack, "edge-metrics", targets=edge_targets, depends_on=edge.addons.ready)
    if auth.keycloak is not None:
        target = scrape.keycloak_target(
            namespace=keycloak_values.NAMESPACE, release=keycloak_values.RELEASE, relative_path=keycloak_values.RELATIVE_PATH
        )
        PodMonitorings(stack, "keycloak-metrics", targets=[target], depends_on=auth.keycloak.ready)
    return flyte.jobs
