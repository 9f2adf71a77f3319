"""The cluster's API is reached by identity, not by address (issue 17), on every variant.

- Kubernetes, Helm and kubectl talk to the DNS-based endpoint (`https://` + the cluster's
  `control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint`), with the caller's Google
  token and no cluster CA (the DNS endpoint's certificate is from a public CA; the cluster CA
  fails the handshake there), and the cluster lets external traffic in on that endpoint.
- The IP endpoint is not open: authorized networks on (the block present), no `0.0.0.0/0`,
  Compute Engine's public addresses off; by default no CIDR at all.
Each rule is also shown to fail on a stack broken the way a regression would break it.
"""

from __future__ import annotations

import copy
import re

import pytest
from support import VARIANTS, block, example_data, make_config, only
from test_config import error_for

from flyte_gcp.config.model import Config

PROVIDERS = ("kubernetes", "helm", "kubectl")
TOKEN = "${data.google_client_config.client-config.access_token}"


def _provider_credentials(doc: dict, name: str) -> dict:
    (config,) = doc["provider"][name]
    return config["kubernetes"] if name == "helm" else config


def control_plane_violations(doc: dict) -> list[str]:
    (address,) = doc["resource"]["google_container_cluster"]
    cluster = doc["resource"]["google_container_cluster"][address]
    dns_host = f"https://${{google_container_cluster.{address}.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}}"
    out = []
    for name in PROVIDERS:
        credentials = _provider_credentials(doc, name)
        if credentials.get("host") != dns_host:
            out.append(f"{name}: host {credentials.get('host')!r} is not the DNS endpoint")
        if "cluster_ca_certificate" in credentials:
            out.append(f"{name}: pins a CA the DNS endpoint does not present")
        if credentials.get("token") != TOKEN:
            out.append(f"{name}: token {credentials.get('token')!r} is not the caller's Google token")
    dns = block(block(cluster.get("control_plane_endpoints_config") or [{}]).get("dns_endpoint_config") or [{}])
    if dns.get("allow_external_traffic") is not True:
        out.append("cluster: the DNS endpoint does not take external traffic")
    if "master_authorized_networks_config" not in cluster:
        out.append("cluster: no authorized networks: the IP endpoint admits anyone")
    else:
        networks = block(cluster["master_authorized_networks_config"])
        if networks.get("gcp_public_cidrs_access_enabled") is not False:
            out.append("cluster: the IP endpoint admits every Compute Engine public address")
        for cidr in (b["cidr_block"] for b in networks.get("cidr_blocks", [])):
            if cidr.endswith("/0"):
                out.append(f"cluster: the IP endpoint admits {cidr}")
    return out


def test_every_variant_reaches_the_cluster_by_its_dns_endpoint_and_closes_the_ip_endpoint(variant):
    name, doc = variant
    assert control_plane_violations(doc) == [], name


def test_the_ip_endpoint_admits_nobody_by_default(synthesized):
    assert Config.model_fields["gke"].default_factory().master_authorized_cidrs == []
    for name, overrides in VARIANTS.items():
        if "master_authorized_cidrs" in overrides.get("gke", {}):
            continue
        cluster = only(synthesized[name], "google_container_cluster")
        assert block(cluster["master_authorized_networks_config"]) == {"cidr_blocks": [], "gcp_public_cidrs_access_enabled": False}, name
        assert block(cluster["private_cluster_config"])["enable_private_endpoint"] is False, name


def test_listed_networks_reach_the_ip_endpoint():
    from support import build_stack, synth

    doc = synth(build_stack(make_config(gke={"master_authorized_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]}), "office"))
    networks = block(only(doc, "google_container_cluster")["master_authorized_networks_config"])
    assert sorted(b["cidr_block"] for b in networks["cidr_blocks"]) == ["198.51.100.7/32", "203.0.113.0/24"]
    assert control_plane_violations(doc) == []


def _retarget(doc, attribute):
    for name in PROVIDERS:
        credentials = _provider_credentials(doc, name)
        credentials["host"] = re.sub(r"\.control_plane_endpoints_config.*\}", f".{attribute}}}", credentials["host"])


def _cluster(doc):
    return only(doc, "google_container_cluster")


BROKEN = {
    "the IP endpoint as host": (lambda d: _retarget(d, "endpoint"), ": host 'https://${google_container_cluster.cluster_A4C38409.endpoint}'"),
    "the cluster CA pinned": (
        lambda d: _provider_credentials(d, "kubectl").update(cluster_ca_certificate="${base64decode(x)}"),
        "kubectl: pins a CA",
    ),
    "a static token": (lambda d: _provider_credentials(d, "helm").update(token="${var.token}"), "helm: token"),
    "DNS endpoint closed": (
        lambda d: block(block(_cluster(d)["control_plane_endpoints_config"])["dns_endpoint_config"]).update(allow_external_traffic=False),
        "does not take external traffic",
    ),
    "authorized networks off": (lambda d: _cluster(d).pop("master_authorized_networks_config"), "admits anyone"),
    "the whole internet listed": (
        lambda d: block(_cluster(d)["master_authorized_networks_config"])["cidr_blocks"].append({"cidr_block": "0.0.0.0/0"}),
        "admits 0.0.0.0/0",
    ),
    "Compute Engine addresses admitted": (
        lambda d: block(_cluster(d)["master_authorized_networks_config"]).pop("gcp_public_cidrs_access_enabled"),
        "every Compute Engine public address",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_control_plane_check_fails_on_a_broken_stack(synthesized, case):
    doc = copy.deepcopy(synthesized["example"])
    breaks, message = BROKEN[case]
    breaks(doc)
    found = control_plane_violations(doc)
    assert len(found) >= 1 and all(message in f for f in found), found


@pytest.mark.parametrize(
    "cidrs, reason",
    [
        (["0.0.0.0/0"], "would open the cluster's IP endpoint to the whole internet"),
        (["10.0.0.0/8", "0.0.0.0/0"], "reach the API through its DNS endpoint"),
        ([f"203.0.113.{i}/32" for i in range(51)], "at most 50 items"),
    ],
)
def test_an_open_or_oversized_ip_allowlist_is_refused_at_synth(tmp_path, cidrs, reason):
    message = error_for(tmp_path, gke={**example_data().get("gke", {}), "master_authorized_cidrs": cidrs})
    assert ": gke.master_authorized_cidrs" in message and reason in message, message


def test_get_credentials_uses_the_dns_endpoint(variant):
    name, doc = variant
    command = doc["output"]["get_credentials_command"]["value"]
    assert command.startswith("gcloud container clusters get-credentials ") and command.endswith(" --dns-endpoint"), name
