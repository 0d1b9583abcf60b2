"""Device cookies: a browser where an address logged in before is not locked out with it.

The per-address login limit (``core.throttle``) stops guessing one account's password from
many IP addresses; counted alone, it would also let anyone lock a known address out by
failing on purpose. After a correct password the browser receives a signed cookie naming
that address (hashed) and a random nonce; attempts carrying it are counted in a bucket of
their own (the address and that nonce), so strangers' failures never fill it. This is the
OWASP "device cookie" scheme. A new browser of the owner's shares the strangers' bucket
and waits out the window (or resets the password: that page has its own limits).
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing

COOKIE = "alliage_device"
SALT = "alliage.accounts.device"
MAX_AGE = 365 * 24 * 60 * 60


def _digest(email):
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def _nonce(request, email):
    raw = request.COOKIES.get(COOKIE, "")
    if not raw or len(raw) > 400:
        return None
    try:
        entries = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(entries, dict):
        return None
    nonce = entries.get(_digest(email))
    return nonce if isinstance(nonce, str) else None


def throttle_bucket(request, email):
    """The value the per-address login limit counts this attempt under."""
    nonce = _nonce(request, email)
    address = email.strip().lower()
    return f"{address}#device:{nonce}" if nonce else address


def remember(request, response, email):
    """After a correct password: (re)issue the cookie, keeping other addresses' entries."""
    entries = {}
    raw = request.COOKIES.get(COOKIE, "")
    if raw and len(raw) <= 400:
        try:
            loaded = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
            entries = loaded if isinstance(loaded, dict) else {}
        except signing.BadSignature:
            entries = {}
    digest = _digest(email)
    nonce = entries.get(digest)
    others = [(k, v) for k, v in entries.items() if k != digest and isinstance(v, str)]
    entries = dict(others[-3:])  # a shared computer: at most four addresses
    entries[digest] = nonce if isinstance(nonce, str) else secrets.token_urlsafe(12)
    response.set_cookie(COOKIE, signing.dumps(entries, salt=SALT), max_age=MAX_AGE,
                        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response
