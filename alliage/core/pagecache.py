"""Whole-response cache for anonymous visitors of public pages and API reads.

A middleware near the top of the stack answers repeat anonymous GETs from the cache
without running sessions, authentication or the view. A response is stored only when it
is the same for every anonymous visitor: no session or Authorization, no flash message,
no cookie set by the response (a CSRF token would set one), status 200. Stored responses
keep their headers (CSP, framing, language).

Only registered pages are cached, and each declares the query parameters it reads and how
to normalise them (``register``), so nobody can fill the cache at will with ``?x=1``,
``?x=2``…: unknown parameters are dropped (from the key *and* from the request the view
sees, so the stored page cannot reflect them either), values are normalised, and a value
out of its declared bounds makes the request uncached (the view still answers it). Keys
carry the page's version, which its owning app bumps on every change. Core knows no
domain app: the apps register their pages from ``AppConfig.ready()``.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict

TTL = 3600 if settings.REDIS_URL else 60  # see alliage.members.cache
HEADER = "X-Alliage-Cache"
SKIPPED_HEADERS = {"set-cookie", "content-length"}
INVALID = object()  # a normaliser's answer for a value outside its bounds


@dataclass(frozen=True)
class Page:
    pattern: re.Pattern
    version: Callable[[], object]
    params: dict = field(default_factory=dict)


_pages: list[Page] = []


def register(pattern, *, version, params=None):
    """Cache anonymous GETs of paths fully matching ``pattern`` (a regex).

    ``params`` maps each query parameter the page reads to a normaliser (``text``,
    ``number``, ``choice``): value -> normalised string, None (drop it) or INVALID.
    ``version`` returns the owner's current version (bumped on every change).
    """
    compiled = re.compile(pattern)
    _pages[:] = [p for p in _pages if p.pattern.pattern != compiled.pattern]
    _pages.append(Page(compiled, version, dict(params or {})))


def page_for(path):
    return next((p for p in _pages if p.pattern.fullmatch(path)), None)


# --- Normalisers ---------------------------------------------------------------------------

def text(max_length=100):
    """Free text: spaces collapsed; empty is dropped; longer than ``max_length`` is not
    cached."""
    def normalise(value):
        value = " ".join(value.split())
        if not value:
            return None
        return value if len(value) <= max_length and "\x00" not in value else INVALID
    return normalise


def number(minimum=0, maximum=100):
    """A plain decimal integer within bounds ("007" is "7"); anything else is not cached."""
    def normalise(value):
        value = value.strip()
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or len(value) > 12:
            return INVALID
        n = int(value)
        return str(n) if minimum <= n <= maximum else INVALID
    return normalise


def choice(values):
    """One of ``values`` (a collection, or a callable returning one, read per request)."""
    def normalise(value):
        value = value.strip()
        if not value:
            return None
        allowed = values() if callable(values) else values
        return value if value in allowed else INVALID
    return normalise


def canonical_query(page, query):
    """The page's declared parameters, normalised, in a fixed order; None when a value is
    out of bounds (the request is then not cached)."""
    pairs = []
    for name in sorted(page.params):
        raw = query.getlist(name)
        if not raw:
            continue
        value = page.params[name](raw[-1])  # Django's QueryDict.get reads the last one
        if value is INVALID:
            return None
        if value is not None:
            pairs.append((name, value))
    return urlencode(pairs)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    @staticmethod
    def cacheable(request):
        return (request.method == "GET"
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
                and "messages" not in request.COOKIES
                and "HTTP_AUTHORIZATION" not in request.META
                and "HTTP_HX_REQUEST" not in request.META)

    def language(self, request):
        # The locale middleware ignores an unknown cookie value: so does the key.
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return language if language in self.languages else settings.LANGUAGE_CODE

    def key(self, request, page, query):
        raw = f"{page.version()}|{self.language(request)}|{request.path}?{query}"
        return "page:" + hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324

    def __call__(self, request):
        page = page_for(request.path) if self.cacheable(request) else None
        query = canonical_query(page, request.GET) if page else None
        if query is None:
            return self.get_response(request)
        # The view sees exactly what the key says: nothing else can reach the stored page.
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        key = self.key(request, page, query)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            cache.set(key, (response.content, headers), TTL)
        return response
