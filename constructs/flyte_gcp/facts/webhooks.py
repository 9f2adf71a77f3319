"""Admission webhooks of the charts the stack installs, and the ports GKE opens to them.

With private nodes, GKE's automatic firewall rule lets the control plane reach nodes on
tcp 443 and 10250 only; a webhook served on any other port times out, and with
failurePolicy Fail the objects it admits cannot be created. Every other port here gets a
firewall rule from the master CIDR to the nodes (`gcp.network`).
"""

from __future__ import annotations

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
