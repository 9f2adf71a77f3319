"""`PodMonitoring` objects: what GKE's managed collection (Managed Service for Prometheus) scrapes.

The CRD (`monitoring.googleapis.com/v1`) is installed by GKE when the cluster's
`monitoring_config.managed_prometheus` is on; the manifests come from `values.scrape`.
"""

from __future__ import annotations

from collections.abc import Sequence

from flyte_gcp.cdk.toolchain import ITerraformDependable, Construct
from imports.kubectl import Manifest

from flyte_gcp.values.scrape import ScrapeTarget, pod_monitoring_yaml


class PodMonitorings(Construct):
    """One `PodMonitoring` per target, id = the target's name (its `job` label).

    Props:
      targets: what to scrape (`values.scrape`), each in the namespace of the pods it selects.
      depends_on: the releases whose pods are selected (their namespaces exist then). Default: none.
    """

    def __init__(
        self, scope: Construct, id: str, *, targets: Sequence[ScrapeTarget], depends_on: Sequence[ITerraformDependable] = ()
    ) -> None:
        super().__init__(scope, id)
        self._manifests = [
            Manifest(self, target.name, yaml_body=pod_monitoring_yaml(target), depends_on=list(depends_on) or None)
            for target in targets
        ]

    @property
    def jobs(self) -> list[str]:
        """The `job` label values of the series these objects produce."""
        return [m.node.id for m in self._manifests]
