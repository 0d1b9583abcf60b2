"""The client's IP address, the same for lockouts (axes), throttles, consent and audit.

Behind reverse proxies the socket peer (``REMOTE_ADDR``) is the nearest proxy. Each proxy
appends the address it saw to ``X-Forwarded-For``, so with ``PROXY_COUNT`` proxies in front,
the client is the ``PROXY_COUNT``-th entry counted from the right: entries further left were
written by the client itself and are never trusted. With ``PROXY_COUNT = 0`` (no proxy) the
header is ignored entirely. ``TRUSTED_PROXIES`` (addresses or networks), when set, must
contain ``REMOTE_ADDR`` for the header to be read at all: a request that reached the app
server without passing through the proxy keeps its socket address.
"""

import ipaddress

from django.conf import settings


def _parse(value):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def _trusted(peer):
    networks = getattr(settings, "TRUSTED_PROXIES", None) or []
    if not networks:
        return True
    return peer is not None and any(peer in ipaddress.ip_network(n, strict=False)
                                    for n in networks)


def client_ip(request):
    """The client's address as text (``None`` when the request has none)."""
    meta = request.META
    peer_text = meta.get("REMOTE_ADDR")
    peer = _parse(peer_text)
    count = getattr(settings, "PROXY_COUNT", 0) or 0
    if count > 0 and _trusted(peer):
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        # Fewer entries than proxies: the request skipped a proxy; keep the socket address.
        if len(hops) >= count:
            candidate = _parse(hops[-count])
            if candidate is not None:
                return str(candidate)
    return str(peer) if peer is not None else peer_text or None


def throttle_key(request):
    """The client address for rate limits: IPv6 clients count per /64 (one customer's
    network), since a single host can use any address of its prefix."""
    address = _parse(client_ip(request))
    if address is None:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
