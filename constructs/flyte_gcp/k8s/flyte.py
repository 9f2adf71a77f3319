"""Flyte from its Helm chart, with values built in Python; mirrors flyte.tf.

The database password goes from `random_password` into a Kubernetes secret created
here; the chart mounts it and reads it from a file, so it is in no values and no `set`.
"""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from flyte_gcp.cdk.toolchain.helm.release import Release
from flyte_gcp.cdk.toolchain.kubernetes.secret_v1 import SecretV1, SecretV1Metadata

from flyte_gcp.values.flyte import DB_SECRET_KEY, DB_SECRET_NAME
from flyte_gcp.facts.versions import FLYTE_CHART_VERSION, FLYTE_REPOSITORY



class FlyteRelease(Construct):
    """The database password secret and the Flyte chart.

    Props:
      chart: "flyte-core" or "flyte-binary".
      namespace: the Flyte namespace (a reference, so the release waits for it).
      values_yaml: the chart values as one YAML document (see `flyte_gcp.values.flyte`).
      db_password: a reference to the generated password.
      depends_on: the ingress controller, issuer and certificate, Workload Identity bindings.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        chart: str,
        namespace: str,
        values_yaml: str,
        db_password: str,
        depends_on: Sequence[ITerraformDependable] = (),
    ) -> None:
        super().__init__(scope, id)
        secret = SecretV1(
            self,
            "db-password",
            metadata=SecretV1Metadata(name=DB_SECRET_NAME, namespace=namespace),
            data={DB_SECRET_KEY: db_password},
            type="Opaque",
        )
        self._release = Release(
            self,
            "release",
            name=chart,
            repository=FLYTE_REPOSITORY,
            chart=chart,
            version=FLYTE_CHART_VERSION,
            namespace=namespace,
            values=[values_yaml],
            timeout=900,
            depends_on=[secret, *depends_on],
        )

    @property
    def ready(self) -> list[ITerraformDependable]:
        """The release: what needs Flyte's pods (and its namespace) to exist."""
        return [self._release]
