"""Every pinned version that reaches the synthesized stack, in one place.

Python packages (cdktf, the prebuilt providers, Node.js) are pinned in `Pipfile` and
`Pipfile.lock`; everything Terraform installs at apply time (Helm charts, manifests,
provider plugins without a prebuilt package, container images) is pinned here. The
README's version table lists both, and a test keeps it in sync with this module.
"""

from __future__ import annotations

TERRAFORM_REQUIRED_VERSION = ">= 1.5"

# Flyte 1 charts. The newest flyte-binary in that repository is a Flyte 2 chart: the pin matters.
FLYTE_REPOSITORY = "https://flyteorg.github.io/flyte"
FLYTE_CHART_VERSION = "v1.16.8"

INGRESS_NGINX_REPOSITORY = "https://kubernetes.github.io/ingress-nginx"
INGRESS_NGINX_VERSION = "4.12.1"

CERT_MANAGER_REPOSITORY = "https://charts.jetstack.io"
CERT_MANAGER_VERSION = "v1.17.2"
CERT_MANAGER_CRDS_URL = (
    f"https://github.com/cert-manager/cert-manager/releases/download/{CERT_MANAGER_VERSION}/cert-manager.crds.yaml"
)
