"""Rate limits on public forms (login, password reset, newsletter, membership application).

Each attempt is counted twice, per client IP (``core.clientip``) and per email address, in
fixed windows kept in the cache: ``cache.add`` then ``cache.incr`` are atomic on Redis and
under a lock in the per-process cache, so concurrent requests never lose a count. The
limits per scope live in ``settings.THROTTLE_RATES``: ``{"ip": (attempts, seconds),
"address": (attempts, seconds)}``.
"""

import contextlib
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alliage.core.clientip import throttle_key


def _count(scope, kind, value, limit, seconds):
    """One more attempt in the current window; the seconds left when over ``limit``."""
    now = time.time()
    window = int(now // seconds)
    key = _key(scope, kind, value, seconds)
    cache.add(key, 0, seconds + 1)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.set(key, 1, seconds + 1)
        hits = 1
    if hits <= limit:
        return 0
    return max(1, math.ceil((window + 1) * seconds - now))


def _key(scope, kind, value, seconds):
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{kind}:{digest}:{int(time.time() // seconds)}"


def refund(request, scope, *, address=""):
    """Take back the attempt just counted by ``attempt`` (a login that succeeded): limits
    count failures, so an office of colleagues behind one address is never stopped."""
    rates = settings.THROTTLE_RATES[scope]
    keys = [_key(scope, "ip", throttle_key(request), rates["ip"][1])]
    address = (address or "").strip().lower()
    if address and "address" in rates:
        keys.append(_key(scope, "address", address, rates["address"][1]))
    for key in keys:
        with contextlib.suppress(ValueError):  # the window turned: nothing to take back
            cache.decr(key)


def attempt(request, scope, *, address="", ip=True):
    """Count one attempt of ``scope`` from this client (unless ``ip`` is false) and for
    ``address``.

    Returns 0 when allowed, else the seconds to wait before the limit resets.
    """
    rates = settings.THROTTLE_RATES[scope]
    waits = [_count(scope, "ip", throttle_key(request), *rates["ip"])] if ip else [0]
    address = (address or "").strip().lower()
    if address and "address" in rates:
        waits.append(_count(scope, "address", address, *rates["address"]))
    return max(waits)


def message(wait):
    """The French-first sentence shown on a throttled form."""
    return _("Too many attempts. Wait %(minutes)s min, then try again.") % {
        "minutes": max(1, math.ceil(wait / 60))}


def refuse(form, wait):
    """Put the throttle message on ``form`` (non-field error, code ``throttled``)."""
    form.add_error(None, ValidationError(message(wait), code="throttled"))


def mark(response, wait):
    """Answer 429 with ``Retry-After`` when the request was throttled."""
    if wait:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response
