"""Data: the Flyte bucket(s) and the Cloud SQL database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flyte_gcp.cdk.toolchain import TerraformStack

from flyte_gcp.config import names
from flyte_gcp.config.model import Config
from flyte_gcp.gcp.gcs import DataBucket
from flyte_gcp.layers.foundation import Foundation
from flyte_gcp.gcp.sql import AppDatabase, Database


@dataclass(frozen=True)
class Data:
    bucket_names: Mapping[str, str]
    """Bucket names (references) by a stable key: "data", and "rawdata" when separate."""
    database: Database
    keycloak_database: AppDatabase | None
    """Keycloak's database and user on the same instance (auth.mode keycloak), else None."""

    @property
    def raw_data_bucket(self) -> str:
        return self.bucket_names.get("rawdata", self.bucket_names["data"])


def build(stack: TerraformStack, c: Config, foundation: Foundation) -> Data:
    prefix = c.name_prefix
    # Construct ids "data-bucket" / "raw-data-bucket" are part of the buckets' addresses: never rename.
    bucket_ids = {"data": ("data-bucket", names.data_bucket(prefix, c.project_number))}
    if c.separate_raw_data_bucket:
        bucket_ids["rawdata"] = ("raw-data-bucket", names.raw_data_bucket(prefix, c.project_number))
    bucket_names = {
        key: DataBucket(
            stack, construct_id, name=name, project_id=c.project_id, location=c.region,
            labels={"application": prefix},
            depends_on=foundation.services.resources,
            prevent_destroy=c.deletion_protection,
        ).bucket_name
        for key, (construct_id, name) in bucket_ids.items()
    }
    database = Database(
        stack,
        "database",
        name_prefix=prefix,
        project_id=c.project_id,
        region=c.region,
        zone=c.node_zone,
        network_id=foundation.network.network_id,
        postgres_version=c.database.version,
        tier=c.database.tier,
        backup_start_time=c.database.backup_start_time,
        availability=c.database.availability.upper(),
        deletion_protection=c.deletion_protection,
        depends_on=[foundation.network.private_services_connection, *foundation.services.resources, *foundation.checked_first],
    )
    keycloak_database = None
    if c.auth.mode == "keycloak":
        keycloak_database = AppDatabase(
            stack, "keycloak-database", project_id=c.project_id, instance_name=database.instance_name, name="keycloak",
            abandon_on_destroy=not c.deletion_protection,
        )
    return Data(bucket_names=bucket_names, database=database, keycloak_database=keycloak_database)
