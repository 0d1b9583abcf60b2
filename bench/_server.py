"""WSGI entry for benchmarks: the real application plus a bare view as the baseline."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from config import urls  # noqa: E402


def bare(request):
    """The cheapest Django answer: same middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urls.urlpatterns.insert(0, path("bench/bare", bare))
