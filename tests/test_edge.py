"""The public edge (issue 10): F5 NGINX controller, mergeable Ingresses, static IP, DNS, source ranges."""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml
from ingress_model import FLYTE_CORE_INGRESS_DEFAULTS, Ingress, chart_ingresses, from_manifest
from support import VARIANTS, build_stack, helm_values, make_config, only, resources, synth
from test_values import INPUTS
from tfgraph import Graph

from flyte_gcp.values import flyte as values

from flyte_gcp.values import edge as values_edge
from flyte_gcp.k8s.ingress import master_ingress_manifest
from flyte_gcp.facts.versions import CERT_MANAGER_VERSION
from flyte_gcp.facts.webhooks import ADMISSION_WEBHOOK_PORTS, webhook_ports_to_open

HOST = "flyte.example.com"
ADDRESS = "${google_compute_address.ingress-address_B8804ACC.address}"
GRPC_SERVICE = {"flyte-core": "flyteadmin", "flyte-binary": "flyte-binary-grpc"}
# Annotations the F5 controller accepts on the master only (internal/configs/annotations.go, minionDenylist).
MASTER_ONLY = ("nginx.org/ssl-redirect", "nginx.org/redirect-to-https", "nginx.org/app-root", "nginx.org/server-snippets", "nginx.org/hsts")
COMMUNITY = "nginx.ingress.kubernetes.io/"


def chart_of(name: str) -> str:
    return VARIANTS[name].get("chart", "flyte-core")


def manifests(doc, kind):
    for key, manifest in resources(doc, "kubectl_manifest").items():
        if not manifest["yaml_body"].startswith("$"):
            body = yaml.safe_load(manifest["yaml_body"])
            if body["kind"] == kind:
                yield key, manifest, body


def master_of(doc) -> Ingress:
    ((_, manifest, _),) = list(manifests(doc, "Ingress"))
    return from_manifest(manifest["yaml_body"])


def assert_minions_under_one_master(master: Ingress, minions: list[Ingress], grpc_service: str) -> None:
    """The F5 controller's mergeable rules, and gRPC marked on exactly the gRPC minion."""
    assert master.annotations[values_edge.MERGEABLE_TYPE] == "master"
    assert master.paths == () and master.ingress_class == "nginx"
    assert master.tls == ({"hosts": [master.host], "secretName": "flyte-secret-tls"},)
    assert (master.annotations["nginx.org/ssl-redirect"], master.annotations["nginx.org/app-root"]) == ("true", "/console")
    assert len(minions) == 2
    seen: set[str] = set()
    for minion in minions:
        assert minion.annotations.get(values_edge.MERGEABLE_TYPE) == "minion", f"{minion.name}: not a minion"
        assert (minion.host, minion.ingress_class) == (master.host, "nginx"), f"{minion.name}: another host or class"
        assert minion.tls == (), f"{minion.name}: a minion carries no TLS"
        assert minion.paths, f"{minion.name}: a minion without paths"
        assert not set(MASTER_ONLY) & set(minion.annotations), f"{minion.name}: a master-only annotation on a minion"
        assert all(isinstance(v, str) for v in minion.annotations.values()), f"{minion.name}: a non-string annotation"
        paths = {p for p, _, _ in minion.paths}
        assert not paths & seen, f"{minion.name}: a path owned by another minion is ignored"
        seen |= paths
    (grpc,) = [m for m in minions if values_edge.GRPC_SERVICES in m.annotations]
    assert grpc.annotations[values_edge.GRPC_SERVICES] == grpc_service
    assert {service for _, service, _ in grpc.paths} == {grpc_service}
    assert "/flyteidl.service.AdminService" in {p for p, _, _ in grpc.paths}
    (http,) = [m for m in minions if m is not grpc]
    assert {"/console", "/api"} <= {p for p, _, _ in http.paths}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_flyte_ingresses_are_minions_under_one_master_for_the_host(synthesized, name):
    doc, chart = synthesized[name], chart_of(name)
    master = master_of(doc)
    assert (master.name, master.host) == ("flyte-master", HOST)
    assert_minions_under_one_master(master, chart_ingresses(chart, helm_values(doc, chart)), GRPC_SERVICE[chart])


def _with_annotations(ingress: Ingress, **changes) -> Ingress:
    return dataclasses.replace(ingress, annotations={**ingress.annotations, **changes})


BREAKAGES = {
    # one change to the first minion each; the message names the rule that caught it
    "tls on a minion": (lambda m: dataclasses.replace(m, tls=({"hosts": [HOST], "secretName": "flyte-secret-tls"},)), "a minion carries no TLS"),
    "not mergeable": (lambda m: _with_annotations(m, **{values_edge.MERGEABLE_TYPE: "none"}), "not a minion"),
    "master-only annotation": (lambda m: _with_annotations(m, **{"nginx.org/ssl-redirect": "true"}), "a master-only annotation on a minion"),
    "non-string annotation": (lambda m: _with_annotations(m, **{"nginx.org/proxy-read-timeout": 60}), "a non-string annotation"),
    "another host": (lambda m: dataclasses.replace(m, host="other.example.com"), "another host or class"),
    "no paths": (lambda m: dataclasses.replace(m, paths=()), "a minion without paths"),
}


@pytest.mark.parametrize("chart", ["flyte-core", "flyte-binary"])
@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_the_minion_check_fails_on_each_broken_rule(synthesized, chart, breakage):
    name = "example" if chart == "flyte-core" else "binary-zonal-cloud"
    doc = synthesized[name]
    minions = chart_ingresses(chart, helm_values(doc, chart))
    change, message = BREAKAGES[breakage]
    with pytest.raises(AssertionError, match=message):
        assert_minions_under_one_master(master_of(doc), [change(minions[0]), *minions[1:]], GRPC_SERVICE[chart])


def test_the_minion_check_fails_on_a_path_owned_by_two_minions(synthesized):
    doc = synthesized["example"]
    first, second = chart_ingresses("flyte-core", helm_values(doc, "flyte-core"))
    stolen = dataclasses.replace(second, paths=second.paths + first.paths[:1])
    with pytest.raises(AssertionError, match="a path owned by another minion is ignored"):
        assert_minions_under_one_master(master_of(doc), [first, stolen], GRPC_SERVICE["flyte-core"])


@pytest.mark.parametrize("name", list(VARIANTS))
def test_no_community_annotation_is_left(synthesized, name):
    doc, chart = synthesized[name], chart_of(name)
    for ingress in chart_ingresses(chart, helm_values(doc, chart)) + [master_of(doc)]:
        assert not [k for k in ingress.annotations if k.startswith(COMMUNITY)], ingress.name
    for release in resources(doc, "helm_release").values():
        for key, value in re.findall(r"(nginx\.ingress\.kubernetes\.io/[\w-]+): *(\S*)", "\n".join(release["values"])):
            assert value == "null", f"{release['name']}: {key} is set (only chart defaults are nulled, to remove them)"
    for _, _, body in manifests(doc, "Issuer"):
        assert COMMUNITY not in yaml.safe_dump(body)


def test_flyte_core_nulls_exactly_the_chart_default_community_annotations():
    ingress = values_edge.flyte_core_ingress(HOST)["common"]["ingress"]
    nulled = {k for part in ("annotations", "separateGrpcIngressAnnotations") for k, v in ingress[part].items() if v is None}
    # the chart's defaults as the Ingress model reads them from values.yaml, not the code's own list
    defaults = FLYTE_CORE_INGRESS_DEFAULTS
    assert nulled == set(defaults["annotations"]) | set(defaults["separateGrpcIngressAnnotations"])


@pytest.mark.parametrize("name", ["example", "core-public-dns", "binary-restricted-dns"])
def test_controller_pinned_class_nginx_http2_static_ip_and_source_ranges(synthesized, name):
    doc = synthesized[name]
    (release,) = [r for r in resources(doc, "helm_release").values() if r["chart"] == "nginx-ingress"]
    assert (release["name"], release["repository"], release["version"]) == ("nginx-ingress", "https://helm.nginx.com/stable", "2.6.4")
    assert release["namespace"] == "${kubernetes_namespace_v1.addons_ingress-namespace_44343277.metadata[0].name}"
    controller = helm_values(doc, "nginx-ingress")["controller"]
    assert controller["ingressClass"]["name"] == "nginx" and controller["ingressClass"]["create"] is True
    assert controller["config"]["entries"] == {"http2": "true", "proxy-buffer-size": "16k", "proxy-buffers": "8 16k"}
    assert controller["enableSnippets"] is False and "tolerations" not in controller
    expected_ranges = VARIANTS[name].get("ingress", {}).get("allowed_cidrs", ["0.0.0.0/0"])
    assert controller["service"] == {
        "type": "LoadBalancer",
        "externalTrafficPolicy": "Local",
        "loadBalancerIP": ADDRESS,
        "loadBalancerSourceRanges": expected_ranges,
    }
    assert not [r for r in resources(doc, "helm_release").values() if r["chart"] == "ingress-nginx"]


def test_address_reserved_in_the_region_and_output(synthesized):
    for name, doc in synthesized.items():
        address = only(doc, "google_compute_address")
        assert (address["name"], address["region"], address["address_type"]) == ("flyte-gcp-ingress", "us-central1", "EXTERNAL")
        assert "google_project_service.services_compute_514B51F8" in address["depends_on"]
        assert doc["output"]["ingress_ip"]["value"] == ADDRESS
        assert "ingress_ip_command" not in doc["output"]


def test_dns_record_only_with_a_zone(synthesized):
    for name, doc in synthesized.items():
        zone = VARIANTS[name].get("dns", {})
        outputs = doc["output"]
        if not zone:
            assert not resources(doc, "google_dns_record_set") and "dns_record" not in outputs
            assert "google_dns_managed_zone" not in doc.get("data", {})
            assert outputs["dns_record_to_create"]["value"] == f"{HOST}. A {ADDRESS}"
            continue
        project = zone.get("project", "my-flyte-project")
        record = only(doc, "google_dns_record_set")
        ((zone_key, zone_data),) = doc["data"]["google_dns_managed_zone"].items()
        assert (zone_data["name"], zone_data["project"]) == ("example-com", project)
        conditions = [c["condition"] for c in zone_data["lifecycle"]["postcondition"]]
        assert conditions == [
            '${self.dns_name == "example.com."}',
            '${self.visibility == "public"}',
        ]  # the zone is the one of dns.zone_domain (default dns_domain) and public, checked before anything slow
        zone_ref = f"${{data.google_dns_managed_zone.{zone_key}.name}}"
        assert (record["name"], record["type"], record["managed_zone"], record["project"]) == (f"{HOST}.", "A", zone_ref, project)
        assert record["rrdatas"] == [ADDRESS]
        (api_key, api), = [(k, s) for k, s in resources(doc, "google_project_service").items() if s["service"] == "dns.googleapis.com"]
        assert (api["project"], api["disable_on_destroy"]) == (project, False)
        assert record["depends_on"] == [f"google_project_service.{api_key}"]
        assert outputs["dns_record"]["value"].startswith("${google_dns_record_set.")
        assert "dns_record_to_create" not in outputs


def _cert_manager_gsa(doc):
    return [k for k, sa in resources(doc, "google_service_account").items() if sa["account_id"] == "flyte-gcp-certmanager"]


def test_dns01_and_its_identity_only_with_restricted_ranges(synthesized):
    for name, doc in synthesized.items():
        ((_, _, issuer),) = list(manifests(doc, "Issuer"))
        (solver,) = issuer["spec"]["acme"]["solvers"]
        cert_manager = helm_values(doc, "cert-manager")
        config = make_config(**VARIANTS[name])
        if config.ingress.admits_every_address:
            assert solver == {"http01": {"ingress": {"ingressClassName": "nginx", "ingressTemplate": {"metadata": {"annotations": {"nginx.org/mergeable-ingress-type": "minion"}}}}}}
            assert not _cert_manager_gsa(doc) and "serviceAccount" not in cert_manager
            assert not [m for m in resources(doc, "google_project_iam_member").values() if m["role"] == "roles/dns.admin"]
            continue
        assert solver == {"dns01": {"cloudDNS": {"project": config.dns_project, "hostedZoneName": config.dns.managed_zone}}}
        (gsa,) = _cert_manager_gsa(doc)
        email, member = f"${{google_service_account.{gsa}.email}}", f"${{google_service_account.{gsa}.member}}"
        (grant,) = [m for m in resources(doc, "google_project_iam_member").values() if m["role"] == "roles/dns.admin"]
        assert (grant["project"], grant["member"]) == (config.dns_project, member)
        (wi,) = [m for m in resources(doc, "google_service_account_iam_member").values() if m["service_account_id"] == f"${{google_service_account.{gsa}.name}}"]
        assert wi["role"] == "roles/iam.workloadIdentityUser"
        assert wi["member"] == "serviceAccount:${google_container_cluster.cluster_A4C38409.workload_identity_config[0].workload_pool}[cert-manager/cert-manager]"
        assert cert_manager["serviceAccount"]["annotations"] == {"iam.gke.io/gcp-service-account": email}
        assert "--issuer-ambient-credentials=true" in cert_manager["extraArgs"]
        release = [r for r in resources(doc, "helm_release").values() if r["name"] == "cert-manager"][0]
        assert {"google_project_iam_member.certmanager-identity_dns-admin_31EAD476"} <= set(release["depends_on"])
        assert any(d.startswith("google_service_account_iam_member.certmanager-identity_workload-identity") for d in release["depends_on"])


@pytest.mark.parametrize(
    "resource_type, select, api",
    [
        ("google_compute_address", lambda r: True, "compute"),
        ("google_dns_record_set", lambda r: True, "dns"),
        ("google_service_account", lambda r: r["account_id"].endswith("certmanager"), "iam"),
        ("google_project_iam_member", lambda r: r["role"] == "roles/dns.admin", "cloudresourcemanager"),
        ("google_project_iam_member", lambda r: r["role"] == "roles/dns.admin", "dns"),
    ],
)
def test_new_google_resources_wait_for_their_api(synthesized, resource_type, select, api):
    doc = synthesized["binary-restricted-dns"]
    matching = [k for k, r in resources(doc, resource_type).items() if select(r)]
    assert matching
    for key in matching:
        ancestors = Graph(doc).ancestors(f"{resource_type}.{key}")
        services = {s["service"] for a, s in Graph(doc).of_type("google_project_service").items() if a in ancestors}
        assert f"{api}.googleapis.com" in services, key


def test_cert_manager_supported_and_pinned_with_a_temporary_certificate(synthesized):
    assert re.fullmatch(r"v1\.(20|21)\.\d+", CERT_MANAGER_VERSION)
    doc = synthesized["example"]
    ((_, _, certificate),) = list(manifests(doc, "Certificate"))
    assert certificate["metadata"]["annotations"] == {"cert-manager.io/issue-temporary-certificate": "true"}


def test_flyte_release_waits_for_the_controller_and_the_master_ingress(synthesized):
    for name, doc in synthesized.items():
        (release,) = [r for r in resources(doc, "helm_release").values() if r["name"] == chart_of(name)]
        assert "helm_release.addons_nginx-ingress_69215562" in release["depends_on"]
        (master_key,) = [k for k, _, _ in manifests(doc, "Ingress")]
        assert f"kubectl_manifest.{master_key}" in release["depends_on"]


def test_no_webhook_port_for_the_controller():
    assert ADMISSION_WEBHOOK_PORTS["nginx-ingress"] == () and "ingress-nginx" not in ADMISSION_WEBHOOK_PORTS
    assert webhook_ports_to_open() == (9443,)


def test_the_values_builders_render_minions_without_the_stack():
    master = from_manifest(master_ingress_manifest(namespace="flyte", hostname=HOST))
    for chart, build in (("flyte-core", values.flyte_core_values), ("flyte-binary", values.flyte_binary_values)):
        assert_minions_under_one_master(master, chart_ingresses(chart, build(INPUTS)), GRPC_SERVICE[chart])


def test_is_public_reads_the_union_of_the_ranges():
    assert make_config().ingress.is_public and make_config().ingress.admits_every_address
    halves = make_config(ingress={"allowed_cidrs": ["128.0.0.0/1", "0.0.0.0/1"]})
    assert halves.ingress.is_public and halves.ingress.admits_every_address
    most = make_config(ingress={"allowed_cidrs": ["0.0.0.0/1", "128.0.0.0/2"]}, dns={"managed_zone": "z"})
    assert most.ingress.is_public and not most.ingress.admits_every_address
    few = make_config(ingress={"allowed_cidrs": ["11.0.0.0/8"]}, dns={"managed_zone": "z"})
    assert not few.ingress.is_public and not few.ingress.admits_every_address


def test_ranges_short_of_the_whole_internet_get_dns01_even_when_public():
    """HTTP-01 needs every address (Let's Encrypt publishes none): half the internet is not enough."""
    doc = synth(build_stack(make_config(ingress={"allowed_cidrs": ["0.0.0.0/1"]}, dns={"managed_zone": "example-com"}), "half"))
    ((_, _, issuer),) = list(manifests(doc, "Issuer"))
    (solver,) = issuer["spec"]["acme"]["solvers"]
    assert set(solver) == {"dns01"}
    assert _cert_manager_gsa(doc)


def test_the_zone_check_names_dns_zone_domain_when_it_differs_from_dns_domain():
    from support import build_stack, synth

    config = make_config(dns_domain="ml.example.com", dns={"managed_zone": "example-com", "zone_domain": "example.com"})
    doc = synth(build_stack(config))
    ((_, zone),) = doc["data"]["google_dns_managed_zone"].items()
    assert zone["lifecycle"]["postcondition"][0]["condition"] == '${self.dns_name == "example.com."}'
    assert "${self.dns_name}" in zone["lifecycle"]["postcondition"][0]["error_message"]  # the apply says which name it found
    assert only(doc, "google_dns_record_set")["name"] == "flyte.ml.example.com."
