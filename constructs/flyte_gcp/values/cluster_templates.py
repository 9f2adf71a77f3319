"""Flyte's per-namespace templates (`<project>-<domain>` namespaces) and the chart's default quotas.

flyteadmin's cluster resource manager fills `{{ name }}` placeholders itself, per project and
domain (its own syntax, not Helm's: both charts emit these templates without `tpl`).
"""

# The chart's defaults for the three standard domains; any other domain gets DEFAULT_QUOTA.
DOMAIN_QUOTAS = {
    "production": ("5", "4000Mi"),
    "staging": ("2", "3000Mi"),
    "development": ("4", "3000Mi"),
}
DEFAULT_QUOTA = ("2", "3000Mi")

# flyte-binary's own default template (charts/flyte-binary/defaults/cluster-resource-templates/
# namespace.yaml): a non-empty `clusterResourceTemplates.inline` replaces it, so it is repeated.
BINARY_NAMESPACE_TEMPLATE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: '{{ namespace }}'
"""

NAMESPACE_TEMPLATE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: {{ namespace }}
spec:
  finalizers:
  - kubernetes
"""

DEFAULT_SERVICE_ACCOUNT_TEMPLATE = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: {{ namespace }}
  annotations:
    iam.gke.io/gcp-service-account: {{ %s }}
"""

QUOTA_TEMPLATE = """\
apiVersion: v1
kind: ResourceQuota
metadata:
  name: project-quota
  namespace: {{ namespace }}
spec:
  hard:
    limits.cpu: {{ projectQuotaCpu }}
    limits.memory: {{ projectQuotaMemory }}
"""
