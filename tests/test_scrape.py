"""Every PodMonitoring selects the real pods of an installed chart and scrapes a port they declare.

The pods' labels and container ports come from `data/chart-pods.json`, derived from the pinned
charts' templates (`data/derive_pod_data.py`), never from `values.scrape`. The check renders
them with the release's own name and values (a value the release overrides wins over the
chart's default), on every variant, so both Flyte charts, the ingress controller, cert-manager
and Keycloak are covered.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
import yaml
from support import CHART_DATA, VARIANTS, block, make_config, resources

PODS = json.loads((CHART_DATA / "chart-pods.json").read_text())
# Managed collection scrapes a numeric port whether or not the pod declares it (prometheus-engine
# pkg/operator/apis/monitoring/v1/pod_config.go: "If a numeric port is specified for scraping but
# not declared in the pod, we still want to allow scraping it"); a named port must be declared.
# flyte-binary declares no metrics port: its metrics server listens on propeller's `prof-port`
# (cmd/single/start.go), 10254 unless configured (flytepropeller/pkg/controller/config/config.go).
UNDECLARED_METRICS_PORT = {"flyte-binary": ("configuration.inline.propeller.prof-port", 10254)}
NAMESPACE_REF = re.compile(r"^\$\{kubernetes_namespace_v1\.([\w-]+)\.metadata\[0\]\.name\}$")


def _lookup(values: dict[str, Any], path: str) -> Any:
    value: Any = values
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return KeyError
        value = value[key]
    return value


def _value(release_values: dict[str, Any], path: str, default: Any) -> Any:
    ours = _lookup(release_values, path)
    return default if ours is KeyError else ours


def _holds(cond: str, release_values: dict[str, Any], defaults: dict[str, Any]) -> bool:
    negate = cond.startswith("!")
    m = re.fullmatch(r'(?:eq )?\.Values\.([\w.-]+)(?: "(.*)")?', cond.lstrip("!"))
    assert m, f"condition the test cannot read: {cond}"
    value = _value(release_values, m.group(1), defaults[m.group(1)])
    result = value == m.group(2) if m.group(2) is not None else bool(value)
    return result != negate


def rendered_pods(chart: str, release: str, release_values: dict[str, Any]) -> dict[str, tuple[dict[str, str], list[Any]]]:
    """Pod -> (labels, declared port names and numbers) as the chart renders them for this release."""
    out = {}
    for name, pod in PODS[chart]["pods"].items():
        defaults = pod["condition_defaults"]
        labels = {
            k: v.replace("<release>", release)
            for k, v in pod["labels"].items()
            if all(_holds(c, release_values, defaults) for c in pod["label_conditions"][k])
        }
        ports: list[Any] = []
        for port in pod["ports"]:
            if not all(_holds(c, release_values, defaults) for c in port["when"]):
                continue
            for key in ("name", "containerPort"):
                v = port[key]
                ports.append(_value(release_values, v["values"], v["default"]) if isinstance(v, dict) else v)
        out[name] = (labels, [p for p in ports if p is not None])
    return out


def releases(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Release name -> (chart, namespace, values)."""
    out = {}
    for body in resources(doc, "helm_release").values():
        namespace = body["namespace"]
        if m := NAMESPACE_REF.match(namespace):
            namespace = block(resources(doc, "kubernetes_namespace_v1")[m.group(1)]["metadata"])["name"]
        out[body["name"]] = (body["chart"], namespace, yaml.safe_load(body["values"][0]) if body.get("values") else {})
    return out


def pod_monitorings(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for address, body in resources(doc, "kubectl_manifest").items():
        manifest = yaml.safe_load(body["yaml_body"]) if "${" not in body["yaml_body"][:20] else None
        if isinstance(manifest, dict) and manifest.get("kind") == "PodMonitoring":
            out[address] = manifest
    return out


def scrape_violations(doc: dict[str, Any]) -> list[str]:
    out = []
    installed = releases(doc)
    for address, pm in sorted(pod_monitorings(doc).items()):
        selector = pm["spec"]["selector"]["matchLabels"]
        release = selector.get("app.kubernetes.io/instance")
        if release not in installed:
            out.append(f"{address}: selects release {release!r}, which is not installed")
            continue
        chart, namespace, release_values = installed[release]
        if pm["metadata"]["namespace"] != namespace:
            out.append(f"{address}: in namespace {pm['metadata']['namespace']}, the release's pods are in {namespace}")
        matched = {n: p for n, p in rendered_pods(chart, release, release_values).items() if selector.items() <= p[0].items()}
        if len(matched) != 1:
            out.append(f"{address}: selector {selector} matches {sorted(matched)} of chart {chart}")
            continue
        ((pod, (_, ports)),) = matched.items()
        for endpoint in pm["spec"]["endpoints"]:
            if chart in UNDECLARED_METRICS_PORT and isinstance(endpoint["port"], int):
                ports = [*ports, _value(release_values, *UNDECLARED_METRICS_PORT[chart])]
            if endpoint["port"] not in ports:
                out.append(f"{address}: port {endpoint['port']!r} is not declared by {chart}/{pod} (declares {ports})")
    return out


def test_every_pod_monitoring_selects_one_pod_of_its_chart_and_a_declared_port(variant):
    name, doc = variant
    assert scrape_violations(doc) == [], name


# Written from the charts, not from values.scrape: the jobs each variant must scrape.
FLYTE_CORE_JOBS = {"flyteadmin", "flytepropeller", "datacatalog", "flytescheduler"}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_component_is_scraped(synthesized, name):
    c = make_config(**VARIANTS[name])
    jobs = {pm["metadata"]["name"] for pm in pod_monitorings(synthesized[name]).values()}
    if not c.monitoring.observe:
        assert jobs == set()
        return
    flyte = FLYTE_CORE_JOBS if c.chart == "flyte-core" else {"flyte-binary"}
    expected = flyte | {"nginx-ingress", "cert-manager"} | ({"keycloak"} if c.auth.mode == "keycloak" else set())
    assert jobs == expected


def test_flyte_binary_metrics_server_port_is_the_scraped_one(synthesized):
    _, _, values = releases(synthesized["binary-zonal-cloud"])["flyte-binary"]
    (pm,) = [p for p in pod_monitorings(synthesized["binary-zonal-cloud"]).values() if p["metadata"]["name"] == "flyte-binary"]
    # the chart declares no container port for it: the port is set in the configuration, declared
    # on the HTTP Service (the chart's only place for an extra port) and scraped by number
    assert values["configuration"]["inline"]["propeller"]["prof-port"] == pm["spec"]["endpoints"][0]["port"] == 10254
    assert {"name": "http-metrics", "port": 10254, "targetPort": 10254, "protocol": "TCP"} in values["service"]["extraPorts"]


def test_flyteadmin_latency_histogram_is_on_in_both_charts(synthesized):
    core = releases(synthesized["example"])["flyte-core"][2]
    binary = releases(synthesized["binary-zonal-cloud"])["flyte-binary"][2]
    assert core["configmap"]["adminServer"]["server"]["grpc"]["enableGrpcLatencyMetrics"] is True
    assert binary["configuration"]["inline"]["server"]["grpc"]["enableGrpcLatencyMetrics"] is True


def _edit(doc: dict[str, Any], job: str, change) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for body in resources(doc, "kubectl_manifest").values():
        manifest = yaml.safe_load(body["yaml_body"])
        if isinstance(manifest, dict) and manifest.get("kind") == "PodMonitoring" and manifest["metadata"]["name"] == job:
            change(manifest)
            body["yaml_body"] = yaml.safe_dump(manifest)
    return doc


@pytest.mark.parametrize(
    "variant_name, job, change, message",
    [
        ("example", "flyteadmin", lambda m: m["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/name": "flyte-admin"}), "matches []"),
        ("example", "flytepropeller", lambda m: m["spec"]["endpoints"][0].update(port=10255), "port 10255 is not declared"),
        ("example", "cert-manager", lambda m: m["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/component": "webhook"}), "matches []"),
        ("example", "nginx-ingress", lambda m: m["spec"]["endpoints"][0].update(port="metrics"), "port 'metrics' is not declared"),
        ("example", "keycloak", lambda m: m["metadata"].update(namespace="flyte"), "the release's pods are in keycloak"),
        ("binary-zonal-cloud", "flyte-binary", lambda m: m["spec"]["selector"]["matchLabels"].update({"app.kubernetes.io/instance": "flyte"}), "not installed"),
        ("binary-zonal-cloud", "flyte-binary", lambda m: m["spec"]["endpoints"][0].update(port=10255), "port 10255 is not declared"),
    ],
)
def test_the_scrape_check_fails_on_a_wrong_selector_port_or_namespace(synthesized, variant_name, job, change, message):
    violations = scrape_violations(_edit(synthesized[variant_name], job, change))
    assert len(violations) == 1 and message in violations[0], violations


def test_a_port_the_chart_declares_only_on_a_condition_is_checked_with_the_release_values(synthesized):
    doc = copy.deepcopy(synthesized["example"])
    for body in resources(doc, "helm_release").values():
        if body["name"] == "nginx-ingress":
            values = yaml.safe_load(body["values"][0])
            values["prometheus"]["create"] = False  # the chart then declares no `prometheus` port
            body["values"] = [yaml.safe_dump(values)]
    (violation,) = scrape_violations(doc)
    assert "port 'prometheus' is not declared by nginx-ingress/controller" in violation


# Where each chart's metrics server answers, written from upstream (never from values.scrape):
# flytestdlib profutils/server.go:20 (`metricsPath = "/metrics"`, flyte-core components and the
# single binary), F5 NGINX internal/metrics/listener.go:111 (v5.5.4), cert-manager
# pkg/metrics/metrics.go:272 (v1.21.1). Keycloak serves it on its management interface under
# the HTTP relative path, which that interface inherits (keycloak.org server/management-interface);
# keycloakx 7.1.11 values.yaml:522 scrapes `<http.relativePath without trailing slash>/metrics`,
# relativePath defaulting to "/auth" (values.yaml:498).
FIXED_METRICS_PATH = {"flyte-core": "/metrics", "flyte-binary": "/metrics", "nginx-ingress": "/metrics", "cert-manager": "/metrics"}


def path_violations(doc: dict[str, Any]) -> list[str]:
    out = []
    installed = releases(doc)
    for address, pm in sorted(pod_monitorings(doc).items()):
        release = pm["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/instance")
        if release not in installed:
            continue  # scrape_violations reports it
        chart, _, values = installed[release]
        if chart == "keycloakx":
            expected = f"{_value(values, 'http.relativePath', '/auth').rstrip('/')}/metrics"
        else:
            expected = FIXED_METRICS_PATH[chart]
        for endpoint in pm["spec"]["endpoints"]:
            if endpoint.get("path", "/metrics") != expected:
                out.append(f"{address}: scrapes {endpoint.get('path')!r}, {chart} serves metrics at {expected!r}")
    return out


def test_every_pod_monitoring_scrapes_the_path_its_server_serves(variant):
    name, doc = variant
    assert path_violations(doc) == [], name


@pytest.mark.parametrize(
    "variant_name, job, path",
    [("example", "keycloak", "/metrics"), ("example", "flyteadmin", "/auth/metrics"), ("binary-zonal-cloud", "flyte-binary", "/k8smetrics")],
)
def test_the_path_check_fails_on_a_wrong_path(synthesized, variant_name, job, path):
    doc = _edit(synthesized[variant_name], job, lambda m: m["spec"]["endpoints"][0].update(path=path))
    (violation,) = path_violations(doc)
    assert f"scrapes {path!r}" in violation
