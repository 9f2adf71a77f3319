"""Providers on the new cluster, the NGINX Ingress Controller, cert-manager, TLS and the Flyte release (issues 5, 10)."""

from __future__ import annotations

import yaml
from support import block, helm_values, make_config, resources

from flyte_gcp.k8s.certificates import certificate_manifest, issuer_manifest
from flyte_gcp.facts.versions import CERT_MANAGER_VERSION

# The DNS-based endpoint, with no cluster CA: it presents a publicly trusted certificate (issue 17).
ENDPOINT = "https://${google_container_cluster.cluster_A4C38409.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}"
TOKEN = "${data.google_client_config.client-config.access_token}"


def test_cluster_providers_use_the_new_cluster(synthesized):
    providers = synthesized["example"]["provider"]
    credentials = {"host": ENDPOINT, "token": TOKEN}
    assert providers["kubernetes"] == [credentials]
    assert providers["helm"] == [{"kubernetes": credentials}]
    assert providers["kubectl"] == [{**credentials, "load_config_file": False}]
    required = synthesized["example"]["terraform"]["required_providers"]
    assert required["kubectl"] == {"source": "alekc/kubectl", "version": "2.1.3"}
    assert {"google", "helm", "kubernetes", "http", "random"} <= set(required)


def test_namespaces(synthesized):
    names = sorted(block(n["metadata"])["name"] for n in resources(synthesized["example"], "kubernetes_namespace_v1").values())
    assert names == ["cert-manager", "flyte", "keycloak", "nginx-ingress"]  # keycloak: auth.mode keycloak (default)


def _release(doc, name):
    (release,) = [r for r in resources(doc, "helm_release").values() if r["name"] == name]
    return release


def test_nginx_ingress_pinned_with_class_nginx(synthesized):
    release = _release(synthesized["example"], "nginx-ingress")
    assert (release["repository"], release["chart"], release["version"]) == (
        "https://helm.nginx.com/stable", "nginx-ingress", "2.6.4",
    )
    controller = helm_values(synthesized["example"], "nginx-ingress")["controller"]
    assert controller["ingressClass"]["name"] == "nginx"


def test_cert_manager_crds_from_the_pinned_release_manifest(synthesized):
    doc = synthesized["example"]
    (http_key, http), = doc["data"]["http"].items()
    assert http["url"] == "https://github.com/cert-manager/cert-manager/releases/download/v1.21.1/cert-manager.crds.yaml"
    assert http["lifecycle"]["postcondition"] == [
        {"condition": "${self.status_code == 200}", "error_message": "Could not download the cert-manager v1.21.1 CRDs manifest."}
    ]
    (docs_key, documents), = doc["data"]["kubectl_file_documents"].items()
    assert documents["content"] == f"${{data.http.{http_key}.response_body}}"
    crds = resources(doc, "kubectl_manifest")["addons_cert-manager-crds_00147253"]
    assert crds["for_each"] == f"${{data.kubectl_file_documents.{docs_key}.manifests}}"
    assert crds["yaml_body"] == "${each.value}"
    chart = _release(doc, "cert-manager")
    assert (chart["repository"], chart["version"]) == ("https://charts.jetstack.io", "v1.21.1")
    assert helm_values(doc, "cert-manager")["crds"]["enabled"] is False
    assert chart["depends_on"] == ["kubectl_manifest.addons_cert-manager-crds_00147253"]


def _manifest(doc, kind):
    for manifest in resources(doc, "kubectl_manifest").values():
        if not manifest["yaml_body"].startswith("$"):
            body = yaml.safe_load(manifest["yaml_body"])
            if body["kind"] == kind:
                return manifest, body
    raise AssertionError(kind)


def test_issuer_letsencrypt_production_http01_nginx(synthesized):
    manifest, issuer = _manifest(synthesized["example"], "Issuer")
    assert issuer["metadata"] == {"name": "letsencrypt-production", "namespace": "flyte"}
    acme = issuer["spec"]["acme"]
    assert acme["server"] == "https://acme-v02.api.letsencrypt.org/directory"
    assert acme["email"] == "platform-team@example.com"
    minion = {"metadata": {"annotations": {"nginx.org/mergeable-ingress-type": "minion"}}}
    assert acme["solvers"] == [{"http01": {"ingress": {"ingressClassName": "nginx", "ingressTemplate": minion}}}]
    assert "helm_release.addons_cert-manager_F8252A8D" in manifest["depends_on"]


def test_staging_acme_server_is_selectable():
    issuer = yaml.safe_load(issuer_manifest(namespace="flyte", email="a@b.co", acme_server="staging"))
    assert issuer["spec"]["acme"]["server"] == "https://acme-staging-v02.api.letsencrypt.org/directory"


def test_the_issuer_is_named_after_its_server_and_the_certificate_follows():
    """A staging issuer is not called letsencrypt-production (issue 18); its ACME account key has its own secret."""
    for server, url in (("staging", "https://acme-staging-v02.api.letsencrypt.org/directory"), ("production", "https://acme-v02.api.letsencrypt.org/directory")):
        issuer = yaml.safe_load(issuer_manifest(namespace="flyte", email="a@b.co", acme_server=server))
        certificate = yaml.safe_load(certificate_manifest(namespace="flyte", hostname="flyte.example.com", acme_server=server))
        assert issuer["metadata"]["name"] == issuer["spec"]["acme"]["privateKeySecretRef"]["name"] == f"letsencrypt-{server}"
        assert issuer["spec"]["acme"]["server"] == url
        assert certificate["spec"]["issuerRef"] == {"name": f"letsencrypt-{server}", "kind": "Issuer"}


def test_a_staging_environment_synthesizes_a_staging_issuer():
    from support import build_stack, synth

    doc = synth(build_stack(make_config(ingress={"acme_server": "staging"})))
    _, issuer = _manifest(doc, "Issuer")
    _, certificate = _manifest(doc, "Certificate")
    assert (issuer["metadata"]["name"], issuer["spec"]["acme"]["server"]) == ("letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory")
    assert certificate["spec"]["issuerRef"]["name"] == "letsencrypt-staging"


def test_certificate_lands_in_the_ingress_tls_secret(synthesized):
    manifest, certificate = _manifest(synthesized["example"], "Certificate")
    assert certificate["spec"]["secretName"] == "flyte-secret-tls"
    assert certificate["spec"]["dnsNames"] == ["flyte.example.com"]
    assert certificate["spec"]["issuerRef"] == {"name": "letsencrypt-production", "kind": "Issuer"}
    assert manifest["depends_on"] == ["kubectl_manifest.addons_issuer_599EA237"]


def test_flyte_core_release_pinned_and_ordered(synthesized):
    release = _release(synthesized["example"], "flyte-core")
    assert (release["repository"], release["chart"], release["version"]) == ("https://flyteorg.github.io/flyte", "flyte-core", "v1.16.8")
    assert release["namespace"] == "${kubernetes_namespace_v1.addons_flyte-namespace_8C6474B6.metadata[0].name}"
    depends = release["depends_on"]
    for needed in (
        "kubernetes_secret_v1.flyte_db-password_59A14425",
        "helm_release.addons_nginx-ingress_69215562",
        "kubectl_manifest.addons_master-ingress_561EE82B",
        "kubectl_manifest.addons_issuer_599EA237",
        "kubectl_manifest.addons_certificate_4242C07A",
        "google_service_account_iam_binding.identity_workers-workload-identity_CD53D9A7",
        "google_service_account_iam_member.identity_datacatalog-workload-identity_0E820239",
    ):
        assert needed in depends
    assert "set" not in release and "set_sensitive" not in release


def test_flyte_binary_release_pinned(synthesized):
    release = _release(synthesized["binary-zonal-cloud"], "flyte-binary")
    assert (release["chart"], release["version"]) == ("flyte-binary", "v1.16.8")
    v = helm_values(synthesized["binary-zonal-cloud"], "flyte-binary")
    assert v["serviceAccount"]["name"] == "flyte-backend"
    assert v["serviceAccount"]["annotations"]["iam.gke.io/gcp-service-account"].startswith("${google_service_account.identity_flytebackend-gsa_")


def test_password_only_in_the_terraform_made_secret(synthesized):
    for name, doc in synthesized.items():
        (secret,) = [s for s in resources(doc, "kubernetes_secret_v1").values() if s["metadata"]["name"] == "db-pass"]
        assert secret["metadata"] == {"name": "db-pass", "namespace": "${kubernetes_namespace_v1.addons_flyte-namespace_8C6474B6.metadata[0].name}"}
        assert secret["data"] == {"pass.txt": "${random_password.database_password_22A6A8E7.result}"}
        for release in resources(doc, "helm_release").values():
            text = "\n".join(release.get("values", []))
            assert "random_password" not in text and "password:" not in text, name
            assert "set" not in release and "set_sensitive" not in release


def test_values_reference_the_real_resources(synthesized):
    core = helm_values(synthesized["core-raw-regional-gcs"], "flyte-core")
    assert core["storage"]["bucketName"] == "${google_storage_bucket.data-bucket_D46037D5.name}"
    assert core["configmap"]["core"]["propeller"]["rawoutput-prefix"] == "gs://${google_storage_bucket.raw-data-bucket_8B441A35.name}/"
    assert core["db"]["admin"]["database"]["host"] == "${google_sql_database_instance.database_instance_D7FC2283.private_ip_address}"
    example = helm_values(synthesized["example"], "flyte-core")
    assert example["configmap"]["core"]["propeller"]["rawoutput-prefix"] == "gs://${google_storage_bucket.data-bucket_D46037D5.name}/"
    binary = helm_values(synthesized["binary-raw-regional"], "flyte-binary")
    assert binary["configuration"]["storage"]["userDataContainer"] == "${google_storage_bucket.raw-data-bucket_8B441A35.name}"


def test_platform_outputs(synthesized):
    outputs = synthesized["example"]["output"]
    assert outputs["flyte_url"]["value"] == "https://flyte.example.com/console"
    assert outputs["flyte_endpoint"]["value"] == "dns:///flyte.example.com"
    assert outputs["ingress_ip"]["value"] == "${google_compute_address.ingress-address_B8804ACC.address}"
    assert outputs["dns_record_to_create"]["value"] == "flyte.example.com. A ${google_compute_address.ingress-address_B8804ACC.address}"
    assert "A record" in outputs["dns_record_to_create"]["description"]
    for output in outputs.values():
        assert output["description"]


# --- the first hour: commands that follow the environment ----------------------------------


def test_the_first_run_uses_the_environments_first_project_and_domain(synthesized):
    example = synthesized["example"]["output"]["first_run_command"]["value"]
    assert " run --remote -p flytesnacks -d development examples/hello_flyte.py hello_flyte " in example
    many = synthesized["core-100-projects"]["output"]["first_run_command"]["value"]
    assert " -p project000 -d development " in many
    assert "--config ~/.flyte/flyte.example.com.yaml " in example  # the file flyte_config_command writes


def test_the_cli_config_is_written_to_a_file_of_its_own(synthesized):
    for name, doc in synthesized.items():
        command = doc["output"]["flyte_config_command"]["value"]
        assert command == "mkdir -p ~/.flyte && terraform output -raw flyte_config_yaml > ~/.flyte/flyte.example.com.yaml", name
        assert "config.yaml" not in command.split(">")[-1], name  # an existing ~/.flyte/config.yaml is never overwritten


def test_without_login_the_cli_config_has_no_auth_type(synthesized):
    config = yaml.safe_load(synthesized["core-auth-none-restricted"]["output"]["flyte_config_yaml"]["value"])
    assert config == {"admin": {"endpoint": "dns:///flyte.example.com", "insecure": False}}
