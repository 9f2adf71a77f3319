"""Cloud SQL for PostgreSQL, private IP only; mirrors the reference's sql.tf.

The password is made by Terraform (`random_password`) and never appears as a literal
in the synthesized JSON; it has no special characters because flyteadmin builds an
unquoted `password=...` connection string.
"""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, TerraformResourceLifecycle, Construct
from flyte_gcp.cdk.toolchain.google.sql_database import SqlDatabase
from flyte_gcp.cdk.toolchain.google.sql_database_instance import (
    SqlDatabaseInstance,
    SqlDatabaseInstanceSettings,
    SqlDatabaseInstanceSettingsBackupConfiguration,
    SqlDatabaseInstanceSettingsBackupConfigurationBackupRetentionSettings,
    SqlDatabaseInstanceSettingsDatabaseFlags,
    SqlDatabaseInstanceSettingsInsightsConfig,
    SqlDatabaseInstanceSettingsIpConfiguration,
    SqlDatabaseInstanceSettingsLocationPreference,
)
from flyte_gcp.cdk.toolchain.google.sql_user import SqlUser
from flyte_gcp.cdk.toolchain.random.id import Id as RandomId
from flyte_gcp.cdk.toolchain.random.password import Password as RandomPassword

DEFAULT_POSTGRES_VERSION = 17
DATABASE_NAME = "flyte"
DATABASE_USER = "flyte"

# Connection, lock and temp-file logging for audit and troubleshooting (CIS PostgreSQL flags).
DATABASE_FLAGS = {
    "log_checkpoints": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_hostname": "on",
    "log_lock_waits": "on",
    "log_min_duration_statement": "-1",
    "log_min_error_statement": "error",
    "log_min_messages": "error",
    "log_statement": "ddl",
    "log_temp_files": "0",
    "cloudsql.enable_pgaudit": "on",
}


class _DatabaseAndUser(Construct):
    """A database and its user with a generated password: the Flyte one and the identity provider's.

    The password has no special characters: flyteadmin builds an unquoted `password=...`
    connection string, and Keycloak's JDBC URL and env are not quoted either. The construct
    ids (`database`, `password`, `user`) are part of the resources' addresses.

    `abandon_on_destroy` (teardown): destroy forgets the database and the user instead of
    dropping them, and the instance's deletion removes them. PostgreSQL refuses to drop a user
    that owns tables, and Cloud SQL a database other users can reach, which would stop
    `cdktf destroy` before it reaches the instance.
    """

    def _add_database_and_user(
        self, *, project_id: str, instance_name: str, database: str, user: str, abandon_on_destroy: bool
    ) -> None:
        policy = "ABANDON" if abandon_on_destroy else None
        self._database = SqlDatabase(
            self, "database", project=project_id, instance=instance_name, name=database, deletion_policy=policy
        )
        self._password = RandomPassword(self, "password", length=32, special=False)
        self._user = SqlUser(
            self, "user", project=project_id, instance=instance_name, name=user, password=self._password.result,
            deletion_policy=policy,
        )

    @property
    def database_name(self) -> str:
        return self._database.name

    @property
    def user_name(self) -> str:
        return self._user.name

    @property
    def password(self) -> str:
        """A reference to the generated password (`${random_password...result}`), never a literal."""
        return self._password.result


class Database(_DatabaseAndUser):
    """A PostgreSQL instance (Enterprise edition, custom tier) with the Flyte database and user.

    Props:
      name_prefix: the instance is `<name_prefix>-db-<random hex>` (names cannot be reused for a week).
      project_id / region / zone: where it runs (the primary's zone).
      network_id: the VPC whose private services connection gives the private IP.
      postgres_version: PostgreSQL major version (14-17). Default: 17.
      tier: machine tier. Default: `db-custom-1-3840` (1 vCPU, 3840 MB).
      backup_start_time: daily backup start, UTC `HH:MM`. Default: `03:00`.
      availability: `ZONAL`, or `REGIONAL` (high availability: a standby in another zone,
        automatic failover; a failover moves the primary, so the zone preference is then
        creation-only). Default: `ZONAL`.
      deletion_protection: Terraform's and the API's deletion protection; False also abandons
        the database and user on destroy (see `_DatabaseAndUser`). Default: True.
      depends_on: the private services connection (explicit: the instance fails without it).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefix: str,
        project_id: str,
        region: str,
        zone: str,
        network_id: str,
        postgres_version: int = DEFAULT_POSTGRES_VERSION,
        tier: str = "db-custom-1-3840",
        backup_start_time: str = "03:00",
        availability: str = "ZONAL",
        deletion_protection: bool = True,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        suffix = RandomId(self, "instance-suffix", byte_length=4)
        self._instance = SqlDatabaseInstance(
            self,
            "instance",
            project=project_id,
            name=f"{name_prefix}-db-{suffix.hex}",
            region=region,
            database_version=f"POSTGRES_{postgres_version}",
            deletion_protection=deletion_protection,
            settings=SqlDatabaseInstanceSettings(
                tier=tier,
                # Explicit: from PostgreSQL 16 Cloud SQL defaults to Enterprise Plus, which refuses db-custom-* tiers.
                edition="ENTERPRISE",
                availability_type=availability,
                deletion_protection_enabled=deletion_protection,
                location_preference=SqlDatabaseInstanceSettingsLocationPreference(zone=zone),
                ip_configuration=SqlDatabaseInstanceSettingsIpConfiguration(
                    ipv4_enabled=False,
                    private_network=network_id,
                    ssl_mode="ENCRYPTED_ONLY",
                    enable_private_path_for_google_cloud_services=True,
                ),
                backup_configuration=SqlDatabaseInstanceSettingsBackupConfiguration(
                    enabled=True,
                    point_in_time_recovery_enabled=True,
                    start_time=backup_start_time,
                    transaction_log_retention_days=7,
                    backup_retention_settings=SqlDatabaseInstanceSettingsBackupConfigurationBackupRetentionSettings(
                        retained_backups=7, retention_unit="COUNT"
                    ),
                ),
                insights_config=SqlDatabaseInstanceSettingsInsightsConfig(query_insights_enabled=True),
                database_flags=[SqlDatabaseInstanceSettingsDatabaseFlags(name=k, value=v) for k, v in DATABASE_FLAGS.items()],
            ),
            # HA: Cloud SQL picks the standby's zone (read back as secondary_zone, which is not
            # Computed: provider issue #12099) and a failover moves the primary (facts/drift.py).
            lifecycle=(
                TerraformResourceLifecycle(ignore_changes=["settings[0].location_preference"])
                if availability == "REGIONAL"
                else None
            ),
            depends_on=list(depends_on),
        )
        self._add_database_and_user(
            project_id=project_id, instance_name=self._instance.name, database=DATABASE_NAME, user=DATABASE_USER,
            abandon_on_destroy=not deletion_protection,
        )

    @property
    def private_ip(self) -> str:
        return self._instance.private_ip_address

    @property
    def connection_name(self) -> str:
        return self._instance.connection_name

    @property
    def instance_name(self) -> str:
        return self._instance.name


class AppDatabase(_DatabaseAndUser):
    """A second database and user on an existing instance (Keycloak's), with its own generated password.

    Props:
      project_id: the instance's project.
      instance_name: the instance (a reference, so these wait for it).
      name: the database's and the user's name.
      abandon_on_destroy: forget rather than drop them on destroy (teardown). Default: False.
    """

    def __init__(
        self, scope: Construct, id: str, *, project_id: str, instance_name: str, name: str, abandon_on_destroy: bool = False
    ) -> None:
        super().__init__(scope, id)
        self._add_database_and_user(
            project_id=project_id, instance_name=instance_name, database=name, user=name, abandon_on_destroy=abandon_on_destroy
        )

    @property
    def resources(self) -> list:
        """The database and the user, for `depends_on` of what connects."""
        return [self._database, self._user]
