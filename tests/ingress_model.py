"""A small model of the Ingress objects the Flyte charts render from our values (v1.16.8).

Not a copy of the templates: only what decides how the F5 NGINX Ingress Controller merges
them (name, class, host, annotations, paths with backends, TLS). Read from:
- flyte-core `templates/common/ingress.yaml`: Ingress `flyte` (HTTP routes; gRPC routes too
  unless `separateGrpcIngress`) and `flyte-grpc`; annotations `common.ingress.annotations`,
  the gRPC one merged with `separateGrpcIngressAnnotations` by sprig `merge` (the common map
  wins on a repeated key); TLS on both when `common.ingress.tls.enabled`; gRPC backend port
  81, or 80 when `configmap.adminServer.server.security.secure`.
- flyte-binary `templates/ingress/http.yaml`, `grpc.yaml` and `_helpers.tpl`: Ingresses
  `<fullname>-http` / `-grpc`; annotations are `commonAnnotations`, `ingress.commonAnnotations`
  and `httpAnnotations` / `grpcAnnotations` written one after another into one map; TLS from
  `httpTls` / `grpcTls`, else `tls`; backends `<fullname>-http:8088` / `<fullname>-grpc:8089`.
Chart defaults that matter (values.yaml v1.16.8) are below. Helm drops a user `null` for a
key the chart defaults define; a `null` anywhere else stays and would render as `null`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

FLYTE_CORE_INGRESS_DEFAULTS: dict[str, Any] = {
    "ingressClassName": None,
    "enabled": True,
    "separateGrpcIngress": False,
    "separateGrpcIngressAnnotations": {"nginx.ingress.kubernetes.io/backend-protocol": "GRPC"},
    "annotations": {"nginx.ingress.kubernetes.io/app-root": "/console", "nginx.ingress.kubernetes.io/service-upstream": "true"},
    "tls": {"enabled": False},
}
FLYTE_CORE_CONSOLE_PATHS = ("/console", "/console/*")
FLYTE_CORE_ADMIN_HTTP_PATHS = (
    "/api", "/api/*", "/healthcheck", "/v1/*", "/.well-known", "/.well-known/*", "/login", "/login/*",
    "/logout", "/logout/*", "/callback", "/callback/*", "/me", "/config", "/config/*", "/oauth2", "/oauth2/*",
)
GRPC_SERVICES = (
    "flyteidl.service.SignalService", "flyteidl.service.AdminService", "flyteidl.service.DataProxyService",
    "flyteidl.service.AuthMetadataService", "flyteidl.service.IdentityService", "grpc.health.v1.Health",
)
GRPC_PATHS = tuple(p for s in GRPC_SERVICES for p in (f"/{s}", f"/{s}/*"))
FLYTE_BINARY_HTTP_PATHS = FLYTE_CORE_CONSOLE_PATHS + FLYTE_CORE_ADMIN_HTTP_PATHS


@dataclass(frozen=True)
class Ingress:
    name: str
    ingress_class: str | None
    host: str | None
    annotations: dict[str, Any]
    paths: tuple[tuple[str, str, int], ...]
    """(path, service, port) of the single rule."""
    tls: tuple[dict[str, Any], ...]


def helm_coalesce(defaults: dict[str, Any], user: dict[str, Any] | None) -> dict[str, Any]:
    """A user map over a chart-default map: user wins, maps merge, `null` deletes a default key."""
    out = dict(defaults)
    for key, value in (user or {}).items():
        if value is None and key in defaults:
            out.pop(key)
        elif isinstance(value, dict) and isinstance(defaults.get(key), dict):
            out[key] = helm_coalesce(defaults[key], value)
        else:
            out[key] = value
    return out


def flyte_core_ingresses(values: dict[str, Any]) -> list[Ingress]:
    ing = helm_coalesce(FLYTE_CORE_INGRESS_DEFAULTS, values.get("common", {}).get("ingress"))
    if not ing["enabled"]:
        return []
    secure = values.get("configmap", {}).get("adminServer", {}).get("server", {}).get("security", {}).get("secure", False)
    grpc = tuple((p, "flyteadmin", 80 if secure else 81) for p in GRPC_PATHS)
    http = tuple((p, "flyteconsole", 80) for p in FLYTE_CORE_CONSOLE_PATHS)
    http += tuple((p, "flyteadmin", 80) for p in FLYTE_CORE_ADMIN_HTTP_PATHS)
    host = ing.get("host")
    tls = ({"secretName": ing["tls"].get("secretName", "flyte-core-flyte-tls"), "hosts": [host]},) if ing["tls"]["enabled"] else ()
    common = dict(ing.get("annotations") or {})
    if not ing["separateGrpcIngress"]:
        return [Ingress("flyte", ing["ingressClassName"], host, common, http + grpc, tls)]
    grpc_annotations = {**(ing.get("separateGrpcIngressAnnotations") or {}), **common}
    return [
        Ingress("flyte", ing["ingressClassName"], host, common, http, tls),
        Ingress("flyte-grpc", ing["ingressClassName"], host, grpc_annotations, grpc, tls),
    ]


def _concatenated(*maps: dict[str, Any] | None) -> dict[str, Any]:
    """Maps written one after another into one YAML map: a repeated key would be a duplicate."""
    out: dict[str, Any] = {}
    for m in maps:
        for key, value in (m or {}).items():
            assert key not in out, f"annotation {key} rendered twice"
            out[key] = value
    return out


def flyte_binary_ingresses(values: dict[str, Any], fullname: str = "flyte-binary") -> list[Ingress]:
    ing = values.get("ingress", {})
    if not ing.get("create"):
        return []
    host = ing.get("host") or None
    http_paths = tuple((p, f"{fullname}-http", 8088) for p in FLYTE_BINARY_HTTP_PATHS)
    grpc_paths = tuple((p, f"{fullname}-grpc" if ing.get("separateGrpcIngress", True) else f"{fullname}-http", 8089) for p in GRPC_PATHS)
    common = (values.get("commonAnnotations"), ing.get("commonAnnotations"))
    out = [
        Ingress(
            f"{fullname}-http",
            ing.get("httpIngressClassName") or ing.get("ingressClassName") or None,
            host,
            _concatenated(*common, ing.get("httpAnnotations")),
            http_paths if ing.get("separateGrpcIngress", True) else http_paths + grpc_paths,
            tuple(ing.get("httpTls") or ing.get("tls") or ()),
        )
    ]
    if ing.get("separateGrpcIngress", True):
        out.append(
            Ingress(
                f"{fullname}-grpc",
                ing.get("grpcIngressClassName") or ing.get("ingressClassName") or None,
                host,
                _concatenated(*common, ing.get("grpcAnnotations")),
                grpc_paths,
                tuple(ing.get("grpcTls") or ing.get("tls") or ()),
            )
        )
    return out


def chart_ingresses(chart: str, values: dict[str, Any]) -> list[Ingress]:
    return flyte_core_ingresses(values) if chart == "flyte-core" else flyte_binary_ingresses(values)


def from_manifest(yaml_body: str) -> Ingress:
    """An Ingress the stack applies itself (the master), read from its manifest."""
    body = yaml.safe_load(yaml_body)
    assert body["kind"] == "Ingress", body["kind"]
    (rule,) = body["spec"]["rules"]
    paths = tuple(
        (p["path"], p["backend"]["service"]["name"], p["backend"]["service"]["port"]["number"])
        for p in (rule.get("http") or {}).get("paths", [])
    )
    meta = body["metadata"]
    return Ingress(meta["name"], body["spec"].get("ingressClassName"), rule.get("host"), meta.get("annotations", {}), paths, tuple(body["spec"].get("tls", ())))
