"""The alert policies of an environment, as plain data: PromQL, how long, what it means, what to check.

Every query is scoped to the environment's cluster (`cluster` is the label Managed Service for
Prometheus puts on every scraped series) or to its Cloud SQL instance, so two environments in
one project never alert for each other. Cloud SQL metrics are system metrics queried through
PromQL (`cloudsql.googleapis.com/database/cpu/utilization` is
`cloudsql_googleapis_com:database_cpu_utilization`, Cloud Monitoring's PromQL mapping).
The uptime check is not here: it is a threshold on the check's own metric (`gcp.monitoring`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DAY = 86400
CERTIFICATE_DAYS = 14
# Both charts route it to flyteadmin's HTTP port (flyte-core templates/common/ingress.yaml,
# flyte-binary templates/ingress/http.yaml); flyteadmin answers it from its mux before any
# auth handler (flyteadmin/pkg/server/service.go: `mux.HandleFunc("/healthcheck", ...)`).
HEALTH_PATH = "/healthcheck"


@dataclass(frozen=True)
class AlertSpec:
    key: str
    """Stable id (part of the policy's Terraform address)."""
    display_name: str
    query: str
    duration: str
    """How long the query must hold before an incident opens."""
    severity: str
    documentation: str
    """Markdown sent with the notification: what it means and the first thing to check."""


def _absent_or_down(cluster: str, jobs: Sequence[str]) -> str:
    selector = f'cluster="{cluster}",job=~"{"|".join(jobs)}"'
    down = f"(sum by (job) (up{{{selector}}}) == 0)"
    absent = [f'absent(up{{cluster="{cluster}",job="{job}"}})' for job in jobs]
    return " or ".join([down, *absent])


def alert_specs(*, cluster: str, sql_database_id: str, flyte_namespace: str, jobs: Sequence[str], flyte_jobs: Sequence[str]) -> list[AlertSpec]:
    """The policies, in a stable order. `jobs`: every PodMonitoring of the stack; `flyte_jobs`: Flyte's."""
    sql = f'monitored_resource="cloudsql_database",database_id="{sql_database_id}"'
    errors = f'sum(rate(flyte:propeller:all:round:error_count{{cluster="{cluster}"}}[5m]))'
    successes = f'sum(rate(flyte:propeller:all:round:success_count{{cluster="{cluster}"}}[5m]))'
    return [
        AlertSpec(
            "control-plane-down",
            "Flyte control plane not serving",
            _absent_or_down(cluster, jobs),
            "300s",
            "CRITICAL",
            "A scraped component (job label: Flyte, the ingress controller, cert-manager or Keycloak) has had no "
            "healthy target for 5 minutes: its pods are gone, crash-looping or not answering on their metrics port.\n\n"
            f"First check: `kubectl -n {flyte_namespace} get pods` (and the job's namespace), then "
            "`kubectl describe pod` and `kubectl logs --previous` for the failing one.",
        ),
        AlertSpec(
            "propeller-round-errors",
            "Flyte propeller round errors",
            f"{errors} / ({successes} + {errors}) > 0.05",
            "900s",
            "WARNING",
            "More than 5% of flytepropeller's evaluation rounds failed for 15 minutes: workflows are not advancing.\n\n"
            f"First check: `kubectl -n {flyte_namespace} logs deploy/flytepropeller` (flyte-binary: the flyte-binary "
            "deployment) for the error, often an unreachable flyteadmin, a storage permission or a Kubernetes API error.",
        ),
        AlertSpec(
            "sql-cpu-high",
            "Cloud SQL CPU high",
            f"cloudsql_googleapis_com:database_cpu_utilization{{{sql}}} > 0.9",
            "900s",
            "ERROR",
            "The Flyte database has used more than 90% of its CPU for 15 minutes: admin calls and executions slow down.\n\n"
            "First check: Cloud SQL > Query insights for the expensive queries; then a larger `database.tier`.",
        ),
        AlertSpec(
            "sql-disk-high",
            "Cloud SQL disk almost full",
            f"cloudsql_googleapis_com:database_disk_utilization{{{sql}}} > 0.85",
            "600s",
            "ERROR",
            "The Flyte database's disk is more than 85% full: a full disk stops every write.\n\n"
            "First check: the instance's storage in the console (automatic storage increase is on unless the limit "
            "is reached), and old executions that can be archived.",
        ),
        AlertSpec(
            "certificate-expiring",
            f"TLS certificate expires in under {CERTIFICATE_DAYS} days",
            f'min by (name) (certmanager_certificate_expiration_timestamp_seconds{{cluster="{cluster}"}}) - time() < {CERTIFICATE_DAYS * DAY}',
            "600s",
            "WARNING",
            f"A cert-manager certificate expires in less than {CERTIFICATE_DAYS} days: cert-manager renews 30 days "
            "before expiry, so renewal has been failing for two weeks.\n\n"
            f"First check: `kubectl -n {flyte_namespace} describe certificate` and its CertificateRequest / Order / "
            "Challenge (DNS record, port 80 reachable for HTTP-01, or the DNS-01 service account).",
        ),
    ]


def uptime_documentation(*, host: str, flyte_namespace: str) -> str:
    return (
        f"Google's uptime checkers could not get a 200 from `https://{host}{HEALTH_PATH}` (flyteadmin's health "
        "endpoint, served without login) for 10 minutes: users cannot reach Flyte.\n\n"
        f"First check: the DNS record and the certificate (`kubectl -n {flyte_namespace} get certificate`), the "
        "ingress controller (`kubectl -n nginx-ingress get pods,svc`), then flyteadmin's pods."
    )
