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

# Admission webhooks of every chart the stack installs (by chart name): the ports their pods
# listen on. With private nodes, GKE's own firewall rule lets the control plane reach nodes on
# 443 and 10250 only; every other port here gets a firewall rule from the master CIDR.
ADMISSION_WEBHOOK_PORTS: dict[str, tuple[int, ...]] = {
    "flyte-core": (9443,),  # Flyte's pod webhook (secrets injection); failurePolicy Fail
    "flyte-binary": (9443,),  # the same webhook inside the single binary
    "nginx-ingress": (),  # F5 NGINX Ingress Controller: its chart templates (2.6.4) define no admission webhook
    "cert-manager": (10250,),  # cert-manager's webhook (securePort 10250)
    "keycloakx": (),  # no admission webhook in the chart
}
GKE_CONTROL_PLANE_OPEN_PORTS = (443, 10250)


def webhook_ports_to_open() -> tuple[int, ...]:
    """Webhook ports that GKE's automatic rule does not open."""
    ports = {p for chart_ports in ADMISSION_WEBHOOK_PORTS.values() for p in chart_ports}
    return tuple(sorted(ports - set(GKE_CONTROL_PLANE_OPEN_PORTS)))
