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

The host is validated before anything else (``request.get_host()``: a host outside
``ALLOWED_HOSTS`` is a 400, hit or not) and is part of the key with the scheme, so a page
that prints an absolute URL is only ever served to requests for that same host. Only hosts
named literally in ``ALLOWED_HOSTS`` (no pattern, no port but the server's own) get entries.
Each page and version has a budget of entries (``TEXT_BUDGET`` for keys holding free text,
``BUDGET`` for the others): past it, requests are answered uncached, so the number of
entries stays bounded whatever visitors send. A view that marks its response
``Cache-Control: private`` or ``no-store`` (say, a page beyond the last one) is not stored.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port

from alliage.core.text import fold

TTL = 3600 if settings.REDIS_URL else 60  # see alliage.members.cache
HEADER = "X-Alliage-Cache"
SKIPPED_HEADERS = {"set-cookie", "content-length"}
INVALID = object()  # a normaliser's answer for a value outside its bounds
# Entries per registered page and version (the counters reset with each new version).
TEXT_BUDGET = 500   # keys holding free text (a search): anyone can type new ones
BUDGET = 5000       # keys made only of bounded values (known slugs, choices, page numbers)


@dataclass(frozen=True)
class Page:
    pattern: re.Pattern
    version: Callable[[], object]
    params: dict = field(default_factory=dict)
    check: Callable[[dict], bool] | None = None
    store_if: Callable[[HttpResponse], bool] | None = None


_pages: list[Page] = []


def register(pattern, *, version, params=None, check=None, store_if=None):
    """Cache anonymous GETs of paths fully matching ``pattern`` (a regex).

    ``params`` maps each query parameter the page reads to a normaliser (``text``,
    ``search``, ``number``, ``choice``): value -> normalised string, None (drop it) or
    INVALID. ``version`` returns the owner's current version (bumped on every change).
    ``check`` (normalised parameters -> bool) rejects combinations, such as an offset that
    is not a multiple of the page size; ``store_if`` (response -> bool) refuses to store a
    response, such as an API page beyond the last result.
    """
    compiled = re.compile(pattern)
    _pages[:] = [p for p in _pages if p.pattern.pattern != compiled.pattern]
    _pages.append(Page(compiled, version, dict(params or {}), check, store_if))


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
    normalise.free_text = True
    return normalise


def search(max_length=40):
    """A search the page folds anyway (``alliage.core.text.fold``: case, accents, spaces):
    the key and the view both get the folded form, so "PRÉCISION" and " précision " share
    one entry. Empty is dropped; longer than ``max_length`` once folded is not cached."""
    def normalise(value):
        if "\x00" in value:
            return INVALID
        value = fold(value)
        if not value:
            return None
        return value if len(value) <= max_length else INVALID
    normalise.free_text = True
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


def canonical_params(page, query):
    """The page's declared parameters, normalised, in a fixed order, as (name, value) pairs;
    None when a value (or their combination) is out of bounds: the request is then not
    cached."""
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
    if page.check is not None and not page.check(dict(pairs)):
        return None
    return pairs


def _allowed_hosts():
    # Django's own fallback when DEBUG is on and ALLOWED_HOSTS is empty.
    return settings.ALLOWED_HOSTS or (
        [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])


def cache_host(request):
    """The host a response may be stored under, or None (the request is answered uncached).

    ``request.get_host()`` validates Host (or X-Forwarded-Host when trusted) against
    ``ALLOWED_HOSTS`` and raises DisallowedHost, a 400, before any hit can be served. Only a
    host named literally in ``ALLOWED_HOSTS``, on no port or the server's own, is cached: a
    pattern (".example.org", "*") or an arbitrary port would let anyone mint keys."""
    host = request.get_host()
    domain, port = split_domain_port(host)
    literal = {h.lower() for h in _allowed_hosts() if h != "*" and not h.startswith(".")}
    if domain not in literal or (port and port != str(request.META.get("SERVER_PORT"))):
        return None
    return host if host == (f"{domain}:{port}" if port else domain) else None


def _shareable(response):
    directives = {d.strip().split("=")[0].lower()
                  for d in response.get("Cache-Control", "").split(",")}
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not directives & {"private", "no-store"})


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

    def key(self, request, host, version, query):
        raw = (f"{version}|{self.language(request)}|{request.scheme}://{host}"
               f"{request.path}?{query}")
        return "page:" + hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324

    @staticmethod
    def admit(page, version, free_text):
        """Count one more stored entry against the page's budget for this version."""
        bucket, limit = ("text", TEXT_BUDGET) if free_text else ("filters", BUDGET)
        raw = f"{page.pattern.pattern}|{version}|{bucket}"
        counter = "pagecache-budget:" + hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324
        cache.add(counter, 0, TTL)
        try:
            return cache.incr(counter) <= limit
        except ValueError:  # the counter expired in between: store nothing this time
            return False

    def __call__(self, request):
        page = page_for(request.path) if self.cacheable(request) else None
        if page is None:
            return self.get_response(request)
        # Before any hit: a host outside ALLOWED_HOSTS raises DisallowedHost (a 400).
        host = cache_host(request)
        pairs = canonical_params(page, request.GET) if host else None
        if pairs is None:
            return self.get_response(request)
        query = urlencode(pairs)
        # The view sees exactly what the key says: nothing else can reach the stored page.
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        version = page.version()
        key = self.key(request, host, version, query)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        free_text = any(getattr(page.params[name], "free_text", False) for name, _v in pairs)
        if (_shareable(response) and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and (page.store_if is None or page.store_if(response))
                and (not pairs or self.admit(page, version, free_text))):
            # The page without parameters is always stored: no flood of distinct filters
            # can push the plain page (the one most visitors open) out of the cache.
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            cache.set(key, (response.content, headers), TTL)
        return response
