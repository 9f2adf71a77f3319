"""The stack's outputs: what a platform engineer needs after the apply, each with a description."""

from __future__ import annotations

from flyte_gcp.cdk.toolchain import TerraformOutput, TerraformStack

from flyte_gcp.config import capacity
from flyte_gcp.values import keycloak as kv
from flyte_gcp.values import auth as va
from flyte_gcp.config.model import Config
from flyte_gcp.layers.auth import Auth
from flyte_gcp.layers.compute import Compute
from flyte_gcp.layers.data import Data
from flyte_gcp.layers.edge import Edge
from flyte_gcp.layers.foundation import Foundation
from flyte_gcp.layers.identity import IdentityLayer
from flyte_gcp.layers.observe import Observe


def build(
    stack: TerraformStack,
    c: Config,
    foundation: Foundation,
    data: Data,
    compute: Compute,
    identity: IdentityLayer,
    edge: Edge,
    auth: Auth,
    observe: Observe | None = None,
) -> None:
    cluster, database, registry = compute.cluster, data.database, identity.registry
    outputs = {
        "flyte_url": (f"https://{c.flyte_host}/console", "The Flyte console (after DNS and the certificate are in place)."),
        "flyte_endpoint": (f"dns:///{c.flyte_host}", "The gRPC endpoint for flytectl / pyflyte (`admin.endpoint`)."),
        "ingress_ip": (edge.address, "The ingress load balancer's reserved external IPv4 address."),
        "cluster_name": (cluster.cluster_name, "The GKE cluster's name."),
        "cluster_location": (cluster.location, "The GKE cluster's location (a zone, or the region when regional)."),
        "get_credentials_command": (cluster.get_credentials_command, "Configures kubectl for the cluster."),
        "data_bucket": (data.bucket_names["data"], "The Flyte metadata (and, unless separate, raw data) bucket."),
        "sql_connection_name": (database.connection_name, "The Cloud SQL instance connection name (project:region:instance)."),
        "sql_private_ip": (database.private_ip, "The database's private IP address on the VPC."),
        "network_name": (foundation.network.network_name, "The VPC network's name."),
        "registry_url": (registry.repository_url, "The Artifact Registry repository for task images."),
        "registry_writer": (registry.writer_email, "The service account to impersonate for pushes."),
        "docker_login_command": (
            f"gcloud auth print-access-token --impersonate-service-account={registry.writer_email} | "
            f"docker login -u oauth2accesstoken --password-stdin https://{registry.registry_host}",
            "Logs Docker in to the registry as the writer (no key; needs token creator on the writer).",
        ),
        "docker_push_example": (
            f"docker tag my-image:latest {registry.repository_url}/my-image:latest && docker push {registry.repository_url}/my-image:latest",
            "Tags and pushes an image to the registry.",
        ),
    }
    config_file = cli_config_file(c.flyte_host)
    outputs["flyte_config_yaml"] = (
        flyte_config_yaml(c.flyte_host, login=auth.secrets is not None),
        "CLI config for flytectl / pyflyte" + (": log in in the browser (PKCE)." if auth.secrets is not None else "."),
    )
    outputs["flyte_config_command"] = (
        f"mkdir -p ~/.flyte && terraform output -raw flyte_config_yaml > {config_file}",
        "Writes the CLI config into a file of this environment's own; an existing ~/.flyte/config.yaml stays as it is.",
    )
    outputs["first_run_command"] = (
        f"pyflyte --config {config_file} run --remote -p {c.flyte_projects[0]} -d {c.flyte_domains[0]} "
        "examples/hello_flyte.py hello_flyte --name Flyte",
        "The first workflow, in this environment's first Flyte project and domain (run it from the repository root).",
    )
    if edge.dns_record is None:
        outputs["dns_record_to_create"] = (
            f"{c.flyte_host}. A {edge.address}",
            "No dns.managed_zone: create this A record in your DNS, then wait for the certificate.",
        )
    else:
        outputs["dns_record"] = (edge.dns_record, f"The A record created in Cloud DNS zone {c.dns.managed_zone}.")
    quota = capacity.gpu_quota(c)
    if quota:
        outputs["gpu_quota"] = (
            quota,
            "Compute Engine GPU quota the node pools need at max scale (per pool, per metric, and GPUS_ALL_REGIONS): request it before tasks need the GPUs.",
        )
    if observe is not None:
        outputs["dashboard_url"] = (observe.dashboard_url, "The environment's Cloud Monitoring dashboard (Flyte, nodes, GPUs, Cloud SQL, the edge).")
    if "rawdata" in data.bucket_names:
        outputs["raw_data_bucket"] = (data.bucket_names["rawdata"], "The Flyte raw data bucket (task outputs).")
    for name, (value, description) in outputs.items():
        TerraformOutput(stack, name, value=value, description=description)
    _auth_outputs(stack, c, auth)


def cli_config_file(host: str) -> str:
    """Where the after-deploy steps write the CLI config: a file per environment (named after its
    host, which no two environments share), never over a `~/.flyte/config.yaml` already there."""
    return f"~/.flyte/{host}.yaml"


def flyte_config_yaml(host: str, *, ci: bool = False, login: bool = True) -> str:
    """The CLI config: PKCE for people, client credentials (`flyte-ci`) for pipelines; no login without auth."""
    admin = f"admin:\n  endpoint: dns:///{host}\n  insecure: false\n"
    if ci:
        return admin + f"  authType: ClientSecret\n  clientId: {va.CI_CLIENT_ID}\n  clientSecretEnvVar: FLYTE_CI_CLIENT_SECRET\n"
    return admin + ("  authType: Pkce\n" if login else "")


def _auth_outputs(stack: TerraformStack, c: Config, auth: Auth) -> None:
    if auth.secrets is None:
        return
    plain = {
        "flyte_ci_config_yaml": (
            flyte_config_yaml(c.flyte_host, ci=True),
            "Config for CI: client credentials of the flyte-ci client; put flyte_ci_client_secret in FLYTE_CI_CLIENT_SECRET.",
        ),
    }
    sensitive = {"flyte_ci_client_secret": (auth.secrets.ci_client_secret, "Secret of the flyte-ci client (client credentials).")}
    if auth.keycloak is not None:
        plain["keycloak_admin_login_command"] = (
            kv.kcadm_login_command(),
            f"Logs Keycloak's admin CLI in as {kv.ADMIN_USER!r} inside the pod (the admin console and the master realm are not routed publicly); see README.",
        )
        sensitive["keycloak_admin_password"] = (auth.keycloak.admin_password, "Password of Keycloak's bootstrap admin (master realm).")
        sensitive["keycloak_user_passwords"] = (
            auth.keycloak.user_passwords,
            "Temporary password per auth.users e-mail; Keycloak asks for a new one at first login.",
        )
    for name, (value, description) in plain.items():
        TerraformOutput(stack, name, value=value, description=description)
    for name, (value, description) in sensitive.items():
        TerraformOutput(stack, name, value=value, description=description, sensitive=True)
