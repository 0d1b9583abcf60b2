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
