"""Helm values as pure functions: key paths checked against the charts' own defaults (issue 5).

A key the chart does not define is silently ignored by Helm, so every key path we set
must exist in the chart's default values or be on the short allow-list below of keys
the chart reads but leaves commented out. The default values' key trees are committed
test data (`tests/data/`, derived from the charts by `tests/data/derive_chart_data.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import json

import pytest
import yaml
from chart_model import helm_tpl
from support import CHART_DATA

from flyte_gcp.values import flyte as values
from flyte_gcp.values.auth import AuthValuesInputs
from flyte_gcp.facts.versions import FLYTE_CHART_VERSION

INPUTS = values.FlyteValuesInputs(
    project_id="my-flyte-project",
    region="us-central1",
    hostname="flyte.example.com",
    data_bucket="${google_storage_bucket.data.name}",
    raw_data_bucket="${google_storage_bucket.raw.name}",
    db_host="${google_sql_database_instance.db.private_ip_address}",
    db_name="${google_sql_database.db.name}",
    db_user="${google_sql_user.db.name}",
    flyte_projects=("flytesnacks", "ml"),
    flyte_domains=("development", "staging", "production", "sandbox"),
    workers_email="${google_service_account.workers.email}",
    namespace="orchestration",
    component_emails={
        "flyteadmin": "admin@x", "flytepropeller": "propeller@x", "flytescheduler": "scheduler@x",
        "datacatalog": "datacatalog@x", "flyte-backend": "backend@x",
    },
    auth=AuthValuesInputs(
        public_url="https://flyte.example.com",
        oidc_base_url="http://keycloak-http.keycloak.svc.cluster.local/auth/realms/flyte",
        oidc_issuer_url="https://flyte.example.com/auth/realms/flyte",
        oidc_client_id="flyte-console",
    ),
)

# Keys the chart reads although its values.yaml leaves them commented out (or absent).
ALLOWED_UNDECLARED = {
    "flyte-core": {
        "common.ingress.host",  # commented out in values.yaml; used by the ingress templates
        "storage.gcs.projectId",  # commented out; required for storage type gcs
        "db.admin.database.passwordPath",  # commented out; required with common.databaseSecret (flyte PR #6895)
        "db.datacatalog.database.passwordPath",
        "db.admin.database.options",  # db.* is rendered verbatim; Flyte's default options are sslmode=disable
        "db.datacatalog.database.options",
        "configmap.task_logs.plugins.logs.templates",  # task_logs is rendered verbatim (flyteplugins LogConfig.templates)
        # configmap.k8s is rendered verbatim into k8s.yaml (flytek8s config.K8sPluginConfig json keys, v1.16.8);
        # the other scheduling keys are checked in test_compute.py.
        "configmap.k8s.plugins.k8s.gpu-device-node-label",
        "configmap.k8s.plugins.k8s.gpu-partition-size-node-label",
        # adminServer is rendered verbatim into server.yaml; both are flyteadmin auth config keys
        # (flyteadmin/auth/config/config.go: AppAuth.AuthServerType, OpenIDOptions.IssuerURL).
        "configmap.adminServer.auth.appAuth.authServerType",
        "configmap.adminServer.auth.userAuth.openId.issuerUrl",
        # OpenIDOptions.DeprecatedClientSecretFile (`json:"clientSecretFile"`), read by
        # flyteadmin/auth/auth_context.go GetOAuth2ClientConfig when set (v1.16.8).
        "configmap.adminServer.auth.userAuth.openId.clientSecretFile",
        # flyteadmin server config key (flyteadmin/pkg/config/config.go: GrpcConfig.EnableGrpcLatencyMetrics).
        "configmap.adminServer.server.grpc.enableGrpcLatencyMetrics",
    },
    "flyte-binary": set(),
}


def chart_defaults(chart: str) -> dict[str, Any]:
    """The chart's default values as a key tree (leaves replaced by their kind)."""
    return json.loads((CHART_DATA / f"{chart}-{FLYTE_CHART_VERSION}.keys.json").read_text())


def default_cluster_resource_templates() -> list[dict[str, str]]:
    return yaml.safe_load((CHART_DATA / f"flyte-core-{FLYTE_CHART_VERSION}.cluster-resource-templates.yaml").read_text())


def undeclared_paths(ours: Any, defaults: Any, prefix: str = "") -> Iterator[str]:
    """Key paths we set that the defaults do not declare.

    A declared list, a free-form map (`{}` in the defaults) or an annotations map is
    replaced or filled by design, so its contents are not checked; any other non-empty
    map is descended into.
    """
    for key, value in ours.items():
        path = f"{prefix}.{key}" if prefix else key
        if not isinstance(defaults, dict) or key not in defaults:
            yield path
            continue
        declared = defaults[key]
        if key.lower().endswith("annotations"):
            continue
        if isinstance(value, dict) and (declared is None or (isinstance(declared, dict) and declared)):
            yield from undeclared_paths(value, declared, path)


BUILDERS = {"flyte-core": values.flyte_core_values, "flyte-binary": values.flyte_binary_values}


@pytest.mark.parametrize("chart", list(BUILDERS))
def test_every_key_path_exists_in_the_chart(chart):
    ours = BUILDERS[chart](INPUTS)
    assert set(undeclared_paths(ours, chart_defaults(chart))) == ALLOWED_UNDECLARED[chart]


@pytest.mark.parametrize(
    "typo, path",
    [
        ({"flytepropeler": {"replicaCount": 1}}, "flytepropeler"),
        ({"flyteagent": {"enabled": False}}, "flyteagent"),
        ({"flytepropeller": {"cacheSizeMbs": 1024}}, "flytepropeller.cacheSizeMbs"),
        ({"configmap": {"task_resource_defaults": {"task_resources": {"defaults": {"storage": "1Gi"}}}}}, "configmap.task_resource_defaults.task_resources.defaults.storage"),
        ({"storage": {"gcs": {"projectid": "x"}}}, "storage.gcs.projectid"),
    ],
)
def test_key_check_catches_typos_and_stale_keys(typo, path):
    assert path in set(undeclared_paths(typo, chart_defaults("flyte-core")))


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, value


@pytest.mark.parametrize("chart", list(BUILDERS))
def test_no_password_in_values(chart):
    rendered = values.to_yaml(BUILDERS[chart](INPUTS))
    for path, value in _walk(yaml.safe_load(rendered)):
        key = path.rsplit(".", 1)[-1].lower()
        if "password" in key:
            assert key == "passwordpath" and value == "/etc/db/pass.txt", path
    assert "random_password" not in rendered


def test_flyte_core_values_wiring():
    v = values.flyte_core_values(INPUTS)
    assert v["storage"] == {"type": "gcs", "bucketName": "${google_storage_bucket.data.name}", "gcs": {"projectId": "my-flyte-project"}}
    assert v["configmap"]["core"]["propeller"]["rawoutput-prefix"] == "gs://${google_storage_bucket.raw.name}/"
    for component in ("admin", "datacatalog"):
        db = v["db"][component]["database"]
        assert db["host"] == "${google_sql_database_instance.db.private_ip_address}"
        assert (db["username"], db["dbname"]) == ("${google_sql_user.db.name}", "${google_sql_database.db.name}")
        assert db["passwordPath"] == "/etc/db/pass.txt" and db["options"] == "sslmode=require"
    assert v["common"]["databaseSecret"] == {"name": "db-pass", "secretManifest": {}}
    for ksa, email in (("flyteadmin", "admin@x"), ("flytepropeller", "propeller@x"), ("flytescheduler", "scheduler@x"), ("datacatalog", "datacatalog@x")):
        assert v[ksa]["serviceAccount"] == {"create": True, "annotations": {"iam.gke.io/gcp-service-account": email}}
    assert v["workflow_scheduler"] == {"enabled": True, "type": "native"}
    ingress = v["common"]["ingress"]
    assert (ingress["ingressClassName"], ingress["host"]) == ("nginx", "flyte.example.com")
    assert ingress["tls"] == {"enabled": False}, "minions carry no TLS: the master Ingress holds it"
    assert ingress["separateGrpcIngress"] is True
    assert ingress["separateGrpcIngressAnnotations"] == {"nginx.ingress.kubernetes.io/backend-protocol": None, "nginx.org/grpc-services": "flyteadmin"}
    assert not any(k.startswith("cert-manager.io") for k in ingress["annotations"]), "the explicit Certificate issues TLS"
    assert v["flyteadmin"]["initialProjects"] == ["flytesnacks", "ml"]
    assert v["configmap"]["domain"]["domains"] == [{"id": d, "name": d} for d in INPUTS.flyte_domains]
    assert v["configmap"]["remoteData"]["remoteData"]["scheme"] == "none"
    (template,) = v["configmap"]["task_logs"]["plugins"]["logs"]["templates"]
    assert template["displayName"] == "Cloud Logging"
    assert template["templateUris"][0].startswith("https://console.cloud.google.com/logs/query;")
    rendered = helm_tpl(template["templateUris"][0])  # flyte-core passes task_logs through `tpl`
    assert "%22{{ .namespace }}%22" in rendered and "%22{{ .podName }}%22" in rendered
    assert rendered.endswith("?project=my-flyte-project")


def test_cluster_resource_templates_keep_namespace_and_quota_and_annotate_default_ksa():
    crm = values.flyte_core_values(INPUTS)["cluster_resource_manager"]
    defaults = default_cluster_resource_templates()
    templates = {t["key"]: t["value"] for t in crm["templates"]}
    for default in defaults:
        assert templates[default["key"]] == default["value"]
    annotated = yaml.safe_load(templates["aab_default_service_account"].replace("{{ namespace }}", "ns").replace("{{ gsa }}", "gsa@x"))
    assert annotated["metadata"] == {"name": "default", "namespace": "ns", "annotations": {"iam.gke.io/gcp-service-account": "gsa@x"}}
    custom = crm["config"]["cluster_resources"]["customData"]
    assert [next(iter(d)) for d in custom] == list(INPUTS.flyte_domains)
    for entry in custom:
        ((domain, settings),) = entry.items()
        assert {"gsa": {"value": "${google_service_account.workers.email}"}} in settings
    assert custom[3]["sandbox"][:2] == [{"projectQuotaCpu": {"value": "2"}}, {"projectQuotaMemory": {"value": "3000Mi"}}]


def test_flyte_binary_values_wiring():
    v = values.flyte_binary_values(INPUTS)
    assert v["serviceAccount"] == {"create": True, "name": "flyte-backend", "annotations": {"iam.gke.io/gcp-service-account": "backend@x"}}
    storage = v["configuration"]["storage"]
    assert (storage["metadataContainer"], storage["userDataContainer"]) == ("${google_storage_bucket.data.name}", "${google_storage_bucket.raw.name}")
    assert storage["provider"] == "gcs" and storage["providerConfig"] == {"gcs": {"project": "my-flyte-project"}}
    db = v["configuration"]["database"]
    assert db["passwordPath"] == "/etc/db/pass.txt" and "password" not in db
    assert v["deployment"]["extraVolumes"] == [{"name": "db-pass", "secret": {"secretName": "db-pass"}}]
    assert v["deployment"]["extraVolumeMounts"][0]["mountPath"] == "/etc/db"
    assert "tls" not in v["ingress"] and v["ingress"]["host"] == "flyte.example.com", "minions carry no TLS: the master Ingress holds it"
    assert v["ingress"]["ingressClassName"] == "nginx" and v["ingress"]["create"] is True
    custom = v["configuration"]["inline"]["cluster_resources"]["customData"]
    assert custom == [{d: {"defaultIamServiceAccount": {"value": "${google_service_account.workers.email}"}}} for d in INPUTS.flyte_domains]
    assert "{{ defaultIamServiceAccount }}" in v["clusterResourceTemplates"]["inline"]["002_default_service_account.yaml"]
    admin = v["flyte-core-components"]["admin"]
    assert admin["seedProjects"] == ["flytesnacks", "ml"]
    assert [p["name"] for p in admin["seedProjectsWithDetails"]] == ["flytesnacks", "ml"]
    assert v["configuration"]["inline"]["domains"] == [{"id": d, "name": d} for d in INPUTS.flyte_domains]


def test_values_render_as_one_readable_yaml_document():
    rendered = values.to_yaml(values.flyte_core_values(INPUTS))
    assert rendered.count("\n---") == 0
    assert "value: |\n" in rendered  # templates as literal blocks, not escaped one-liners
    assert yaml.safe_load(rendered) == values.flyte_core_values(INPUTS)


def test_merge_values_merges_maps_and_replaces_the_rest():
    base = {"a": {"b": 1, "c": [1]}, "d": 1}
    merged = values.merge_values(base, {"a": {"c": [2], "e": {"f": 1}}}, {"d": {"x": 1}})
    assert merged == {"a": {"b": 1, "c": [2], "e": {"f": 1}}, "d": {"x": 1}}
    assert base == {"a": {"b": 1, "c": [1]}, "d": 1}
