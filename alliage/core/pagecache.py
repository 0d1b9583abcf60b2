"""Whole-response cache for anonymous visitors of public pages and API reads.

A middleware near the top of the stack answers repeat anonymous GETs from the cache
without running sessions, authentication or the view. A response is stored only when it
is the same for every anonymous visitor: no session or Authorization, no flash message,
no cookie set by the response (a CSRF token would set one), status 200. Stored responses
keep their headers (CSP, framing, language), and keys carry the owning app's version,
which it bumps on every change.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

TTL = 3600 if settings.REDIS_URL else 60  # see alliage.members.cache
HEADER = "X-Alliage-Cache"


def _version():
    from alliage.members import cache as directory_cache

    return directory_cache.version()


# Path prefixes served from the cache (exact match for "/").
CACHED_PREFIXES = ("/repertoire/", "/api/v1/members/organisations")
SKIPPED_HEADERS = {"set-cookie", "content-length"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def cacheable(request):
        path = request.path
        return (request.method == "GET"
                and (path == "/" or path.startswith(CACHED_PREFIXES))
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
                and "messages" not in request.COOKIES
                and "HTTP_AUTHORIZATION" not in request.META
                and "HTTP_HX_REQUEST" not in request.META)

    @staticmethod
    def key(request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        raw = f"{_version()}|{language}|{request.get_full_path()}"
        return "page:" + hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324

    def __call__(self, request):
        if not self.cacheable(request):
            return self.get_response(request)
        key = self.key(request)
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
