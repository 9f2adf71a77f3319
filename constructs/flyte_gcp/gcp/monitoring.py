"""Cloud Monitoring: the dashboard, e-mail notification channels, alert policies and the uptime check.

Alert conditions are PromQL with metric validation off: at the first apply nothing has been
scraped yet, and Cloud Monitoring refuses a PromQL condition on a metric it has never seen
unless `disable_metric_validation` is set (provider 6.50.0,
`resource_monitoring_alert_policy.go`, `condition_prometheus_query_language`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import Fn, ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.google.monitoring_alert_policy import (
    MonitoringAlertPolicy,
    MonitoringAlertPolicyConditions,
    MonitoringAlertPolicyConditionsConditionPrometheusQueryLanguage,
    MonitoringAlertPolicyConditionsConditionThreshold,
    MonitoringAlertPolicyConditionsConditionThresholdAggregations,
    MonitoringAlertPolicyConditionsConditionThresholdTrigger,
    MonitoringAlertPolicyDocumentation,
)
from flyte_gcp.cdk.toolchain.google.monitoring_dashboard import MonitoringDashboard
from flyte_gcp.cdk.toolchain.google.monitoring_notification_channel import MonitoringNotificationChannel
from flyte_gcp.cdk.toolchain.google.monitoring_uptime_check_config import (
    MonitoringUptimeCheckConfig,
    MonitoringUptimeCheckConfigHttpCheck,
    MonitoringUptimeCheckConfigMonitoredResource,
)

from flyte_gcp.values.alerts import HEALTH_PATH, AlertSpec

UPTIME_PERIOD = "60s"
UPTIME_TIMEOUT = "10s"


def _slug(email: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", email.lower()).strip("-")


class Dashboard(Construct):
    """Props:
      project_id: the project.
      dashboard_json: the dashboard (`values.dashboard`).
      depends_on: the monitoring API.
    """

    def __init__(self, scope: Construct, id: str, *, project_id: str, dashboard_json: str, depends_on: Sequence[ITerraformDependable]) -> None:
        super().__init__(scope, id)
        self._dashboard = MonitoringDashboard(self, "dashboard", project=project_id, dashboard_json=dashboard_json, depends_on=list(depends_on))
        self._project_id = project_id

    @property
    def url(self) -> str:
        """The console URL (the id is `projects/<number>/dashboards/<dashboard id>`)."""
        dashboard_id = Fn.element(Fn.split("/", self._dashboard.id), 3)
        return f"https://console.cloud.google.com/monitoring/dashboards/custom/{dashboard_id}?project={self._project_id}"


class Alerts(Construct):
    """One e-mail channel per address, the policies, and with `uptime_host` an uptime check and its policy.

    Props:
      project_id: the project.
      name_prefix: prefixes every display name (several environments share a project's console).
      emails: who is notified (at least one).
      policies: the PromQL policies (`values.alerts`).
      uptime_host: the host whose `/healthcheck` Google's checkers probe over HTTPS. Default: None,
        no uptime check (Google's checkers cannot reach a load balancer behind restricted ranges).
      uptime_documentation: what the uptime alert says. Default: "".
      depends_on: the monitoring API.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        project_id: str,
        name_prefix: str,
        emails: Sequence[str],
        policies: Sequence[AlertSpec],
        depends_on: Sequence[ITerraformDependable],
        uptime_host: str | None = None,
        uptime_documentation: str = "",
    ) -> None:
        super().__init__(scope, id)
        after = list(depends_on)
        self._channels = [
            MonitoringNotificationChannel(
                self, f"email-{_slug(email)}", project=project_id, type="email",
                display_name=f"{name_prefix}: {email}", labels={"email_address": email}, depends_on=after,
            )
            for email in emails
        ]
        channels = [channel.id for channel in self._channels]
        for spec in policies:
            condition = MonitoringAlertPolicyConditions(
                display_name=spec.display_name,
                condition_prometheus_query_language=MonitoringAlertPolicyConditionsConditionPrometheusQueryLanguage(
                    query=spec.query, duration=spec.duration, disable_metric_validation=True
                ),
            )
            self._policy(project_id, f"policy-{spec.key}", f"{name_prefix}: {spec.display_name}", condition, spec.severity, spec.documentation, channels, after)
        if uptime_host is not None:
            check = MonitoringUptimeCheckConfig(
                self, "uptime-check", project=project_id, display_name=f"{name_prefix}: https://{uptime_host}{HEALTH_PATH}",
                period=UPTIME_PERIOD, timeout=UPTIME_TIMEOUT,
                http_check=MonitoringUptimeCheckConfigHttpCheck(path=HEALTH_PATH, port=443, use_ssl=True, validate_ssl=True),
                monitored_resource=MonitoringUptimeCheckConfigMonitoredResource(
                    type="uptime_url", labels={"project_id": project_id, "host": uptime_host}
                ),
                depends_on=after,
            )
            # Google's uptime alert recipe: open an incident when more than one checker region fails.
            metric = 'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url"'
            condition = MonitoringAlertPolicyConditions(
                display_name="Flyte health endpoint failing",
                condition_threshold=MonitoringAlertPolicyConditionsConditionThreshold(
                    filter=f'{metric} AND metric.label.check_id="{check.uptime_check_id}"',
                    comparison="COMPARISON_GT",
                    threshold_value=1,
                    duration="600s",
                    trigger=MonitoringAlertPolicyConditionsConditionThresholdTrigger(count=1),
                    aggregations=[
                        MonitoringAlertPolicyConditionsConditionThresholdAggregations(
                            alignment_period="1200s",
                            per_series_aligner="ALIGN_NEXT_OLDER",
                            cross_series_reducer="REDUCE_COUNT_FALSE",
                            group_by_fields=["resource.label.*"],
                        )
                    ],
                ),
            )
            self._policy(project_id, "policy-uptime", f"{name_prefix}: Flyte unreachable from the internet", condition, "CRITICAL", uptime_documentation, channels, after)

    def _policy(
        self,
        project_id: str,
        id: str,
        display_name: str,
        condition: MonitoringAlertPolicyConditions,
        severity: str,
        documentation: str,
        channels: list[str],
        after: list[ITerraformDependable],
    ) -> None:
        MonitoringAlertPolicy(
            self, id, project=project_id, display_name=display_name, combiner="OR", conditions=[condition],
            severity=severity, notification_channels=channels,
            documentation=MonitoringAlertPolicyDocumentation(content=documentation, mime_type="text/markdown"),
            depends_on=after,
        )
