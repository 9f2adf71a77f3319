"""Platform: Flyte itself, from its chart, with values built in Python from the other layers (auth included)."""

from __future__ import annotations

from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import TerraformStack

from flyte_gcp.config import capacity

from flyte_gcp.values import flyte as values
from flyte_gcp.config.model import Config
from flyte_gcp.k8s.flyte import FlyteRelease
from flyte_gcp.layers.auth import Auth
from flyte_gcp.layers.data import Data
from flyte_gcp.layers.edge import Edge
from flyte_gcp.layers.identity import IdentityLayer


@dataclass(frozen=True)
class Platform:
    release: FlyteRelease


def build(stack: TerraformStack, c: Config, data: Data, identity: IdentityLayer, edge: Edge, auth: Auth) -> Platform:
    database = data.database
    inputs = values.FlyteValuesInputs(
        project_id=c.project_id,
        region=c.region,
        hostname=c.flyte_host,
        data_bucket=data.bucket_names["data"],
        raw_data_bucket=data.raw_data_bucket,
        db_host=database.private_ip,
        db_name=database.database_name,
        db_user=database.user_name,
        flyte_projects=tuple(c.flyte_projects),
        flyte_domains=tuple(c.flyte_domains),
        workers_email=identity.identity.workers_email,
        namespace=c.flyte.namespace,
        component_emails={b.ksa: identity.identity.email(b.component) for b in identity.control_plane},
        node_pools=capacity.pool_traits(c),
        task_limits=capacity.task_limits(c),
        domain_quotas={d: (str(q.cpu), str(q.memory)) for d, q in (c.flyte.domain_quotas or {}).items()},
        auth=auth.values,
    )
    chart_values = values.flyte_core_values(inputs) if c.chart == "flyte-core" else values.flyte_binary_values(inputs)
    release = FlyteRelease(
        stack,
        "flyte",
        chart=c.chart,
        namespace=edge.addons.flyte_namespace,
        values_yaml=values.to_yaml(chart_values),
        db_password=database.password,
        # Keycloak first: flyteadmin fetches the realm's discovery document at start and fails without it.
        depends_on=[*edge.addons.ready, *identity.identity.grants, *identity.registry.grants, *auth.ready],
    )
    return Platform(release=release)
