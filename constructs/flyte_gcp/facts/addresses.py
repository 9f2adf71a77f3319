"""Source ranges of an internet load balancer: which ranges never reach it, and when ranges count as public.

The ingress load balancer is a regional external passthrough Network Load Balancer with
`externalTrafficPolicy: Local`: it admits or drops a packet by its source address, which is
the client's public address (or its NAT's, its proxy's). A source range inside one of
`NON_INTERNET_RANGES` therefore admits nobody. The table is the part of the IANA IPv4
Special-Purpose Address Registry (https://www.iana.org/assignments/iana-ipv4-special-registry/,
read 2026-12) that is not globally reachable and that people actually type, plus multicast and
the reserved block, which are never a source address. The documentation ranges (RFC 5737:
192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are left out on purpose: examples use them as
placeholders.

Public: what decides whether an unauthenticated Flyte may face the ranges is how much of the
internet they admit, not how they are written (`[0.0.0.0/1, 128.0.0.0/1]` is `0.0.0.0/0`). The
rule: the union of the ranges (overlaps counted once) holds more than `PUBLIC_ADDRESS_COUNT`
addresses, one /8 (16,777,216 addresses, 0.4% of IPv4). HTTP-01 is a different question: Let's
Encrypt validates from addresses it does not publish, so only the whole internet will do.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

NON_INTERNET_RANGES: dict[str, str] = {
    "0.0.0.0/8": "'this network' (RFC 791; RFC 1122 3.2.1.3)",
    "10.0.0.0/8": "private-use (RFC 1918)",
    "100.64.0.0/10": "carrier-grade NAT shared address space (RFC 6598)",
    "127.0.0.0/8": "loopback (RFC 1122)",
    "169.254.0.0/16": "link-local (RFC 3927)",
    "172.16.0.0/12": "private-use (RFC 1918)",
    "192.168.0.0/16": "private-use (RFC 1918)",
    "224.0.0.0/4": "multicast (RFC 5771; never a source address)",
    "240.0.0.0/4": "reserved (RFC 1112 4; includes the limited broadcast 255.255.255.255)",
}
PUBLIC_ADDRESS_COUNT = 2**24
ALL_ADDRESSES = 2**32


def non_internet_range(cidr: str) -> str | None:
    """What `cidr` is when it lies inside a range no internet client has (None: it holds public addresses)."""
    network = ipaddress.IPv4Network(cidr)
    for special, what in NON_INTERNET_RANGES.items():
        if network.subnet_of(ipaddress.IPv4Network(special)):
            return f"{what}, inside {special}"
    return None


def admitted_addresses(cidrs: Iterable[str]) -> int:
    """How many addresses the union of `cidrs` holds (overlapping ranges counted once)."""
    union = ipaddress.collapse_addresses(ipaddress.IPv4Network(c) for c in cidrs)
    return sum(n.num_addresses for n in union)


def is_public(cidrs: Iterable[str]) -> bool:
    """True when the ranges admit more than one /8 in total: too much of the internet to go without login."""
    return admitted_addresses(cidrs) > PUBLIC_ADDRESS_COUNT


def admits_every_address(cidrs: Iterable[str]) -> bool:
    """True when the union of the ranges is 0.0.0.0/0, however it is written."""
    return admitted_addresses(cidrs) == ALL_ADDRESSES
