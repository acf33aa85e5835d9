"""The client address of a request, trusting X-Forwarded-For only from configured proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 (a placeholder address, not a bind)
    if not settings.TRUSTED_PROXIES or not _trusted(remote):
        return remote
    # Walk X-Forwarded-For from the right, skipping our own proxies; the first other hop is the client.
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    # Every hop is one of our own addresses: the leftmost, written by our first proxy, is the client
    # (an office machine inside the network), not the last proxy that everyone would share.
    return str(ipaddress.ip_address(hops[0])) if hops else remote
