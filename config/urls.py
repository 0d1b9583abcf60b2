from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from alliage.api import api

admin.site.site_header = "Alliage"

urlpatterns = [
    path("", include("alliage.core.urls")),
    path("compte/", include("alliage.accounts.urls")),
    path("", include("alliage.members.urls")),
    path("", include("alliage.events.urls")),
    path("", include("alliage.symbiosis.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG or settings.MEDIA_ROOT:
    # Uploaded logos; in production the reverse proxy may serve /media/ itself.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
