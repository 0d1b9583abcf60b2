from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class FrenchFirstLocaleMiddleware:
    """Pick the interface language: the visitor's choice (cookie), then the user's
    preference, then French. The browser's Accept-Language is ignored on purpose: the
    association works in French, and English is a choice the visitor makes."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            language = getattr(user, "language", None) if user and user.is_authenticated \
                else None
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def _has_nul(values):
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values.lists())


class RequestSanityMiddleware:
    """Refuse, in one place, input no page can store: NUL characters.

    PostgreSQL text cannot hold ``\\x00`` (psycopg raises), SQLite would keep a string that
    every other tool truncates; Django's form fields refuse it, but query strings read by
    views (searches, filters) and JSON bodies of the API would reach the database. Such a
    request gets a 400 (JSON error body under ``/api/``, a French page elsewhere) and changes
    nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A cookie holding NUL (Django decodes "\000" in a quoted cookie) is dropped, as if
        # never sent: the session lookup would otherwise fail on PostgreSQL for anyone.
        for name in [n for n, v in request.COOKIES.items() if "\x00" in n or "\x00" in v]:
            del request.COOKIES[name]
        if self._bad(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _bad(request):
        if "\x00" in request.path or _has_nul(request.GET):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                body = request.body
            except Exception:  # noqa: BLE001 (too large: Django answers that itself)
                return False
            return b"\\u0000" in body.lower() or b"\x00" in body
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                return _has_nul(request.POST)
            except Exception:  # noqa: BLE001 (malformed or too large: Django answers)
                return False
        return False

    @staticmethod
    def _refuse(request):
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        message = _("The request contains a character that is not allowed (NUL).")
        if request.path.startswith("/api/"):
            from alliage.core.api_support import error_body

            return JsonResponse(error_body("bad_request", message), status=400)
        return render(request, "400.html", {"message": message}, status=400)


class ApiMethodMiddleware:
    """The API's answers to methods it has no operation for, in its own error format.

    HEAD is answered like GET without a body (HTTP semantics); any other unknown method
    gets 405 with ``Allow`` and ``{"error": {"code": "method_not_allowed", ...}}`` rather than
    Django's empty HTML answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            response.content = b""
        if response.status_code == 405 and \
                not response.get("Content-Type", "").startswith("application/json"):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            from alliage.core.api_support import error_body

            allowed = response.get("Allow", "")
            json = JsonResponse(error_body("method_not_allowed",
                                           _("This method is not allowed here."),
                                           [{"field": None, "message": allowed}]
                                           if allowed else None), status=405)
            if allowed:
                json["Allow"] = allowed
            response = json
        return response


class FriendlyNotFoundMiddleware:
    """In the demo (``DEBUG`` with ``ALLIAGE_FRIENDLY_404``), answer a missing page with the
    site's own French ``404.html``, as production does, instead of Django's English
    technical page. With the setting off, ``DEBUG`` keeps Django's page (URL patterns
    listed), which developers want. Last in ``MIDDLEWARE``: it answers before the others
    see the response (django-csp adds no header to a 404 under DEBUG, by design).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _on():
        return settings.DEBUG and getattr(settings, "ALLIAGE_FRIENDLY_404", False)

    def __call__(self, request):
        response = self.get_response(request)
        # No URL matched: the resolver's 404 never reaches process_exception.
        if (response.status_code == 404 and self._on()
                and getattr(request, "resolver_match", None) is None):
            from django.http import Http404
            from django.views.defaults import page_not_found

            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        from django.http import Http404
        from django.views.defaults import page_not_found

        if isinstance(exception, Http404) and self._on():
            return page_not_found(request, exception)
        return None
