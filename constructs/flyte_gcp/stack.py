"""One Terraform stack per environment: providers, backend, outputs, and the constructs wired in order.

It maps the validated Config onto each construct's props and passes typed attributes
between constructs; no construct sees the Config.
"""

from __future__ import annotations

import flyte_gcp.providers  # noqa: F401  (loads provider packages the fast way; before any provider submodule)
from cdktf import (
    Aspects,
    CloudBackend,
    GcsBackend,
    LocalBackend,
    NamedCloudWorkspace,
    TerraformOutput,
    TerraformStack,
)
from cdktf_cdktf_provider_google.data_google_client_config import DataGoogleClientConfig
from cdktf_cdktf_provider_google.provider import GoogleProvider
from cdktf_cdktf_provider_helm.provider import HelmProvider, HelmProviderKubernetes
from cdktf_cdktf_provider_http.provider import HttpProvider
from cdktf_cdktf_provider_kubernetes.provider import KubernetesProvider
from cdktf_cdktf_provider_random.provider import RandomProvider
from constructs import Construct
from imports.kubectl import KubectlProvider

from flyte_gcp import iam, names, values
from flyte_gcp.config import Config
from flyte_gcp.flyte import FlyteRelease
from flyte_gcp.gcs import DataBucket
from flyte_gcp.gke import Cluster
from flyte_gcp.iam import Binding, Identity
from flyte_gcp.ingress import ClusterAddons
from flyte_gcp.network import Network
from flyte_gcp.policy import PolicyPack
from flyte_gcp.registry import Registry
from flyte_gcp.services import ProjectServices
from flyte_gcp.sql import Database
from flyte_gcp.versions import TERRAFORM_REQUIRED_VERSION



class FlyteGcpStack(TerraformStack):
    """Props:
      config: the validated environment.
      local_state_path: where local state lives, relative to the synthesized stack's
        directory. Default: `../../../terraform.<id>.tfstate`, the project root when the
        output directory is `cdktf.out` (outside it, so a clean synth never touches state).
    """

    def __init__(self, scope: Construct, id: str, *, config: Config, local_state_path: str | None = None) -> None:
        super().__init__(scope, id)
        c = config
        prefix = c.name_prefix
        self.add_override("terraform.required_version", TERRAFORM_REQUIRED_VERSION)
        _backend(self, c, local_state_path or f"../../../terraform.{id}.tfstate", id)

        GoogleProvider(self, "google", project=c.project_id, region=c.region)
        RandomProvider(self, "random")
        HttpProvider(self, "http")

        services = ProjectServices(self, "services", project_id=c.project_id)
        network = Network(
            self,
            "network",
            name_prefix=prefix,
            project_id=c.project_id,
            region=c.region,
            subnet_cidr=c.network.subnet_cidr,
            pods_cidr=c.network.pods_cidr,
            services_cidr=c.network.services_cidr,
            private_services_cidr=c.network.private_services_cidr,
            depends_on=services.resources,
        )
        # Construct ids "data-bucket" / "raw-data-bucket" are part of the buckets' addresses: never rename.
        bucket_ids = {"data": ("data-bucket", names.data_bucket(prefix, c.project_number))}
        if c.separate_raw_data_bucket:
            bucket_ids["rawdata"] = ("raw-data-bucket", names.raw_data_bucket(prefix, c.project_number))
        bucket_names = {
            key: DataBucket(
                self, construct_id, name=name, project_id=c.project_id, location=c.region, labels={"application": prefix}
            ).bucket_name
            for key, (construct_id, name) in bucket_ids.items()
        }
        database = Database(
            self,
            "database",
            name_prefix=prefix,
            project_id=c.project_id,
            region=c.region,
            zone=c.node_zone,
            network_id=network.network_id,
            tier=c.database.tier,
            backup_start_time=c.database.backup_start_time,
            depends_on=[network.private_services_connection, *services.resources],
        )
        cluster = Cluster(
            self,
            "cluster",
            name_prefix=prefix,
            project_id=c.project_id,
            region=c.region,
            zone=c.node_zone,
            regional=c.gke.regional,
            network_name=network.network_name,
            subnet_name=network.subnet_name,
            pods_range_name=network.pods_range_name,
            services_range_name=network.services_range_name,
            master_cidr=c.network.master_cidr,
            master_authorized_cidrs=c.gke.master_authorized_cidrs,
            machine_type=c.gke.machine_type,
            min_nodes=c.gke.min_nodes,
            max_nodes=c.gke.max_nodes,
            depends_on=services.resources,
        )
        if c.chart == "flyte-core":
            control_plane = [Binding(ksa, c.flyte.namespace, ksa) for ksa in values.FLYTE_CORE_SERVICE_ACCOUNTS]
            signer = "flyteadmin"
        else:
            control_plane = [Binding(iam.BACKEND, c.flyte.namespace, values.FLYTE_BINARY_SERVICE_ACCOUNT)]
            signer = iam.BACKEND
        identity = Identity(
            self,
            "identity",
            name_prefix=prefix,
            project_id=c.project_id,
            bucket_names=bucket_names,
            workload_pool=cluster.workload_pool,
            control_plane=control_plane,
            signer=signer,
            task_namespaces=c.project_namespaces,
        )
        registry = Registry(
            self,
            "registry",
            name_prefix=prefix,
            project_id=c.project_id,
            region=c.region,
            readers={"nodes": cluster.node_service_account_member, "workers": identity.workers_member},
            writers=c.registry.writers,
            depends_on=services.resources,
        )

        client = DataGoogleClientConfig(self, "client-config")
        endpoint = f"https://{cluster.endpoint}"
        KubernetesProvider(self, "kubernetes", host=endpoint, token=client.access_token, cluster_ca_certificate=cluster.ca_certificate)
        HelmProvider(
            self,
            "helm",
            kubernetes=HelmProviderKubernetes(host=endpoint, token=client.access_token, cluster_ca_certificate=cluster.ca_certificate),
        )
        KubectlProvider(self, "kubectl", host=endpoint, token=client.access_token, cluster_ca_certificate=cluster.ca_certificate)

        addons = ClusterAddons(
            self,
            "addons",
            flyte_namespace=c.flyte.namespace,
            hostname=c.flyte_host,
            email=c.email,
            acme_server=c.ingress.acme_server,
            depends_on=[cluster.node_pool],
        )
        inputs = values.FlyteValuesInputs(
            project_id=c.project_id,
            region=c.region,
            hostname=c.flyte_host,
            data_bucket=bucket_names["data"],
            raw_data_bucket=bucket_names.get("rawdata", bucket_names["data"]),
            db_host=database.private_ip,
            db_name=database.database_name,
            db_user=database.user_name,
            flyte_projects=tuple(c.flyte_projects),
            flyte_domains=tuple(c.flyte_domains),
            workers_email=identity.workers_email,
            component_emails={b.ksa: identity.email(b.component) for b in control_plane},
        )
        chart_values = values.flyte_core_values(inputs) if c.chart == "flyte-core" else values.flyte_binary_values(inputs)
        FlyteRelease(
            self,
            "flyte",
            chart=c.chart,
            namespace=addons.flyte_namespace,
            values_yaml=values.to_yaml(chart_values),
            db_password=database.password,
            depends_on=[*addons.ready, *identity.grants],
        )

        outputs = {
            "flyte_url": (f"https://{c.flyte_host}/console", "The Flyte console (after DNS and the certificate are in place)."),
            "flyte_endpoint": (f"dns:///{c.flyte_host}", "The gRPC endpoint for flytectl / pyflyte (`admin.endpoint`)."),
            "ingress_ip_command": (
                "kubectl -n ingress-nginx get service ingress-nginx-controller -o jsonpath='{.status.loadBalancer.ingress[0].ip}'",
                f"Prints the ingress IP address: create a DNS A record {c.flyte_host} -> that address.",
            ),
            "cluster_name": (cluster.cluster_name, "The GKE cluster's name."),
            "cluster_location": (cluster.location, "The GKE cluster's location (a zone, or the region when regional)."),
            "get_credentials_command": (cluster.get_credentials_command, "Configures kubectl for the cluster."),
            "data_bucket": (bucket_names["data"], "The Flyte metadata (and, unless separate, raw data) bucket."),
            "sql_connection_name": (database.connection_name, "The Cloud SQL instance connection name (project:region:instance)."),
            "sql_private_ip": (database.private_ip, "The database's private IP address on the VPC."),
            "network_name": (network.network_name, "The VPC network's name."),
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
        if "rawdata" in bucket_names:
            outputs["raw_data_bucket"] = (bucket_names["rawdata"], "The Flyte raw data bucket (task outputs).")
        for name, (value, description) in outputs.items():
            TerraformOutput(self, name, value=value, description=description)

        Aspects.of(self).add(PolicyPack())


def _backend(stack: TerraformStack, c: Config, local_state_path: str, stack_name: str) -> None:
    """Local state unless the config names a GCS bucket or a Terraform Cloud workspace.

    The local path is always explicit and relative: CDKTF's default is an absolute path,
    which would make the synthesized JSON differ from one checkout to another.
    """
    b = c.backend
    if b.type == "local":
        LocalBackend(stack, path=local_state_path)
    elif b.type == "gcs":
        GcsBackend(stack, bucket=b.bucket, prefix=f"{b.prefix}/{stack_name}")
    elif b.type == "cloud":
        CloudBackend(stack, organization=b.organization, workspaces=NamedCloudWorkspace(b.workspace), hostname=b.hostname)
