"""Every pinned version that reaches the synthesized stack, in one place.

Python packages (cdktf, the prebuilt providers, Node.js) are pinned in `Pipfile` and
`Pipfile.lock` (cdktn's in `toolchains/cdktn/`); everything Terraform installs at apply time (Helm charts, manifests,
provider plugins without a prebuilt package, container images) is pinned here. The
README's version table lists both, and a test keeps it in sync with this module.
"""

from __future__ import annotations

TERRAFORM_REQUIRED_VERSION = ">= 1.5"

# Flyte 1 charts. The newest flyte-binary in that repository is a Flyte 2 chart: the pin matters.
FLYTE_REPOSITORY = "https://flyteorg.github.io/flyte"
FLYTE_CHART_VERSION = "v1.16.8"

# F5 NGINX Ingress Controller (nginx/kubernetes-ingress; chart 2.6.4 = controller v5.5.4).
# The community ingress-nginx chart is retired (March 2026): policy rule FG7 refuses it.
NGINX_INGRESS_REPOSITORY = "https://helm.nginx.com/stable"
NGINX_INGRESS_VERSION = "2.6.4"

# A supported cert-manager line (1.20 / 1.21); the CRDs manifest follows the same release.
CERT_MANAGER_REPOSITORY = "https://charts.jetstack.io"
CERT_MANAGER_VERSION = "v1.21.1"
CERT_MANAGER_CRDS_URL = (
    f"https://github.com/cert-manager/cert-manager/releases/download/{CERT_MANAGER_VERSION}/cert-manager.crds.yaml"
)

# Keycloak (auth.mode keycloak): codecentric's keycloakx chart and the image it runs, both explicit
# (the chart's appVersion is 26.5.6; the tag is repeated in values so a chart bump never moves it).
KEYCLOAK_REPOSITORY = "https://codecentric.github.io/helm-charts"
KEYCLOAK_CHART_VERSION = "7.1.11"
KEYCLOAK_IMAGE_REPOSITORY = "quay.io/keycloak/keycloak"
KEYCLOAK_IMAGE_VERSION = "26.5.6"
