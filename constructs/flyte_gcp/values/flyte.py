"""Helm values for the Flyte charts, built as plain dicts from plain strings.

The inputs are strings: literal names from the config and Terraform references
(``${google_storage_bucket.x.name}`` once synthesized). Nothing here imports CDKTF,
so these functions are tested instantly, including the key-path check against the
charts' own default values.

No password ever enters these values: the database password lives in a Kubernetes
secret that Terraform creates, mounted through ``common.databaseSecret`` (flyte-core)
or an extra volume (flyte-binary), and read from ``DB_PASSWORD_PATH``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flyte_gcp.values import auth as values_auth

from flyte_gcp.values import edge as values_edge

from flyte_gcp.values import scheduling as values_scheduling
from flyte_gcp.values import scrape as values_scrape
from flyte_gcp.config.capacity import PoolTraits, TaskLimits
from flyte_gcp.config.types import quantity
from flyte_gcp.values.cluster_templates import (
    BINARY_NAMESPACE_TEMPLATE,
    DEFAULT_QUOTA,
    DEFAULT_SERVICE_ACCOUNT_TEMPLATE,
    DOMAIN_QUOTAS,
    NAMESPACE_TEMPLATE,
    QUOTA_TEMPLATE,
)
from flyte_gcp.values.auth import AuthValuesInputs
from flyte_gcp.values.render import merge_values, to_yaml, tpl_escape

__all__ = ["FlyteValuesInputs", "flyte_binary_values", "flyte_core_values", "merge_values", "to_yaml", "tpl_escape"]

DB_SECRET_NAME = "db-pass"
DB_SECRET_KEY = "pass.txt"
DB_PASSWORD_PATH = f"/etc/db/{DB_SECRET_KEY}"
TLS_SECRET_NAME = "flyte-secret-tls"
WI_ANNOTATION = "iam.gke.io/gcp-service-account"
# Cloud SQL requires encrypted connections (ssl_mode ENCRYPTED_ONLY); Flyte's default is sslmode=disable.
DB_OPTIONS = "sslmode=require"
FLYTE_BINARY_SERVICE_ACCOUNT = "flyte-backend"
# Kubernetes service accounts that the flyte-core chart creates (fixed names in its templates).
FLYTE_CORE_SERVICE_ACCOUNTS = ("flyteadmin", "flytepropeller", "flytescheduler", "datacatalog")

@dataclass(frozen=True, kw_only=True)
class FlyteValuesInputs:
    """Everything the values need: names from the config and Terraform references."""

    project_id: str
    region: str
    hostname: str
    data_bucket: str
    raw_data_bucket: str
    db_host: str
    db_name: str
    db_user: str
    flyte_projects: tuple[str, ...]
    flyte_domains: tuple[str, ...]
    workers_email: str
    namespace: str
    """The Flyte control plane's namespace (settings the chart defaults to `flyte` follow it)."""
    component_emails: dict[str, str]
    """GSA email per Kubernetes service account (flyte-core: the four components; flyte-binary: the backend)."""
    node_pools: tuple[PoolTraits, ...] = ()
    """The extra node pools Flyte's scheduling configuration follows. Default: none."""
    task_limits: TaskLimits | None = None
    """flyteadmin's task limits. Default: None, the chart's."""
    domain_quotas: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Configured (cpu, memory) quota per domain (flyte-core). Default: none configured."""
    auth: AuthValuesInputs | None = None
    """User authentication (`flyte_gcp.values.auth`). Default: None, no authentication (auth.mode none)."""


def _quota(v: FlyteValuesInputs, domain: str) -> tuple[str, str]:
    """The configured quota, else the chart's default raised to the task limits (a quota below
    a task's limits makes Kubernetes refuse that task's pod)."""
    if domain in v.domain_quotas:
        return v.domain_quotas[domain]
    cpu, memory = DOMAIN_QUOTAS.get(domain, DEFAULT_QUOTA)
    if v.task_limits is None:
        return cpu, memory
    return max(cpu, v.task_limits.cpu, key=quantity), max(memory, v.task_limits.memory, key=quantity)


def _annotated(email: str) -> dict[str, Any]:
    return {"create": True, "annotations": {WI_ANNOTATION: email}}


def _stackdriver_log_template(project_id: str) -> str:
    """A Cloud Logging (Logs Explorer) link filtered to one task pod's containers."""
    return (
        "https://console.cloud.google.com/logs/query;query="
        "resource.type%3D%22k8s_container%22%0A"
        "resource.labels.namespace_name%3D%22{{ .namespace }}%22%0A"
        "resource.labels.pod_name%3D%22{{ .podName }}%22"
        f"?project={project_id}"
    )


def flyte_core_values(v: FlyteValuesInputs) -> dict[str, Any]:
    return merge_values(
        _flyte_core_base(v),
        values_scheduling.flyte_core(v.node_pools, v.task_limits),
        values_edge.flyte_core_ingress(v.hostname),
        values_auth.flyte_core_auth_values(v.auth, namespace=v.namespace) if v.auth else {},
        values_scrape.flyte_core_metrics_values(),
    )


def flyte_binary_values(v: FlyteValuesInputs) -> dict[str, Any]:
    return merge_values(
        _flyte_binary_base(v),
        values_scheduling.flyte_binary(v.node_pools, v.task_limits),
        values_edge.flyte_binary_ingress(v.hostname),
        values_auth.flyte_binary_auth_values(v.auth) if v.auth else {},
        values_scrape.flyte_binary_metrics_values(),
    )


def _flyte_core_base(v: FlyteValuesInputs) -> dict[str, Any]:
    database = {
        "port": 5432,
        "username": v.db_user,
        "host": v.db_host,
        "dbname": v.db_name,
        "passwordPath": DB_PASSWORD_PATH,
        "options": DB_OPTIONS,
    }
    emails = v.component_emails
    return {
        "flyteadmin": {
            "serviceAccount": _annotated(emails["flyteadmin"]),
            "initialProjects": list(v.flyte_projects),
        },
        "flytepropeller": {"serviceAccount": _annotated(emails["flytepropeller"])},
        "flytescheduler": {"serviceAccount": _annotated(emails["flytescheduler"])},
        "datacatalog": {"serviceAccount": _annotated(emails["datacatalog"])},
        "workflow_scheduler": {"enabled": True, "type": "native"},
        "common": {
            "databaseSecret": {"name": DB_SECRET_NAME, "secretManifest": {}},
        },
        "storage": {"type": "gcs", "bucketName": v.data_bucket, "gcs": {"projectId": v.project_id}},
        "db": {"admin": {"database": dict(database)}, "datacatalog": {"database": dict(database)}},
        "configmap": {
            "domain": {"domains": [{"id": d, "name": d} for d in v.flyte_domains]},
            "core": {
                "propeller": {
                    "rawoutput-prefix": f"gs://{v.raw_data_bucket}/",
                    # The chart's default lock namespace is the literal `flyte`.
                    "leader-election": {"lock-config-map": {"namespace": v.namespace}},
                }
            },
            "remoteData": {"remoteData": {"region": v.region, "scheme": "none"}},
            "task_logs": {
                "plugins": {
                    "logs": {
                        "kubernetes-enabled": False,
                        "cloudwatch-enabled": False,
                        "templates": [
                            {
                                "displayName": "Cloud Logging",
                                # flyte-core renders configmap.task_logs through `tpl`.
                                "templateUris": [tpl_escape(_stackdriver_log_template(v.project_id))],
                            }
                        ],
                    }
                }
            },
        },
        "cluster_resource_manager": {
            "enabled": True,
            "config": {
                "cluster_resources": {
                    "customData": [
                        {
                            domain: [
                                {"projectQuotaCpu": {"value": _quota(v, domain)[0]}},
                                {"projectQuotaMemory": {"value": _quota(v, domain)[1]}},
                                {"gsa": {"value": v.workers_email}},
                            ]
                        }
                        for domain in v.flyte_domains
                    ]
                }
            },
            "templates": [
                {"key": "aa_namespace", "value": NAMESPACE_TEMPLATE},
                {"key": "aab_default_service_account", "value": DEFAULT_SERVICE_ACCOUNT_TEMPLATE % "gsa"},
                {"key": "ab_project_resource_quota", "value": QUOTA_TEMPLATE},
            ],
        },
    }


def _flyte_binary_base(v: FlyteValuesInputs) -> dict[str, Any]:
    return {
        "flyte-core-components": {
            "admin": {
                # Both lists replace the chart's defaults (which seed `flytesnacks`).
                "seedProjects": list(v.flyte_projects),
                "seedProjectsWithDetails": [
                    {"name": p, "description": f"Flyte project {p}."} for p in v.flyte_projects
                ],
            }
        },
        "configuration": {
            "database": {
                "username": v.db_user,
                "passwordPath": DB_PASSWORD_PATH,
                "host": v.db_host,
                "port": 5432,
                "dbname": v.db_name,
                "options": DB_OPTIONS,
            },
            "storage": {
                "metadataContainer": v.data_bucket,
                "userDataContainer": v.raw_data_bucket,
                "provider": "gcs",
                "providerConfig": {"gcs": {"project": v.project_id}},
            },
            "logging": {
                "plugins": {
                    "stackdriver": {"enabled": True, "templateUri": _stackdriver_log_template(v.project_id)}
                }
            },
            "inline": {
                "cluster_resources": {
                    "customData": [
                        {domain: {"defaultIamServiceAccount": {"value": v.workers_email}}}
                        for domain in v.flyte_domains
                    ]
                },
                "domains": [{"id": d, "name": d} for d in v.flyte_domains],
            },
        },
        "clusterResourceTemplates": {
            # A non-empty inline map replaces the chart's templates, its Namespace template included:
            # without it flyteadmin never creates the <project>-<domain> namespaces.
            "inline": {
                "001_namespace.yaml": BINARY_NAMESPACE_TEMPLATE,
                "002_default_service_account.yaml": DEFAULT_SERVICE_ACCOUNT_TEMPLATE % "defaultIamServiceAccount",
            }
        },
        "deployment": {
            "extraVolumes": [{"name": "db-pass", "secret": {"secretName": DB_SECRET_NAME}}],
            "extraVolumeMounts": [{"name": "db-pass", "mountPath": "/etc/db", "readOnly": True}],
        },
        "serviceAccount": {
            "create": True,
            "name": FLYTE_BINARY_SERVICE_ACCOUNT,
            "annotations": {WI_ANNOTATION: v.component_emails[FLYTE_BINARY_SERVICE_ACCOUNT]},
        },
    }


