"""Whole-page cache for anonymous visitors of public pages.

A page is cached only when it is the same for every anonymous visitor: no CSRF token in it
(Django flags that with CSRF_COOKIE_NEEDS_UPDATE), no flash message pending, status 200.
Keys include the language and a namespace version that the owning app bumps on change.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

TTL = 60


def cache_public_page(version_func):
    """Decorator: serve anonymous GETs from the cache, keyed on ``version_func()``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            cacheable = (request.method == "GET" and not request.user.is_authenticated
                         and "messages" not in request.COOKIES
                         and not getattr(request, "htmx", False))
            if not cacheable:
                return view(request, *args, **kwargs)
            raw = f"{version_func()}|{get_language()}|{request.get_full_path()}"
            key = "page:" + hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Alliage-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming
                    and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                    and not response.cookies):
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), TTL)
            return response

        return wrapped

    return decorator
