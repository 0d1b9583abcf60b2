from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from alliage.api import api
from alliage.mailing.bounces import webhook_urls

# admin.site is alliage.accounts.admin_site.AllianceAdminSite (the site's login and 2FA).
urlpatterns = [
    path("", include("alliage.core.urls")),
    path("compte/", include("alliage.accounts.urls")),
    path("", include("alliage.members.urls")),
    path("", include("alliage.events.urls")),
    path("", include("alliage.symbiosis.urls")),
    path("", include("alliage.mailing.urls")),
    path("", include("alliage.billing.urls")),
    path("", include("alliage.billing.payurls")),   # online payment, Stripe's webhook
    path("", include("alliage.advantages.urls")),
    path("", include("alliage.fair.urls")),
    path("", include("alliage.surveys.urls")),
    path("", include("alliage.governance.urls")),
    path("", include("alliage.showcase.urls")),
    path("", include("alliage.pages.urls")),
    path("", include("alliage.support.urls")),
    path("", include("alliage.reports.urls")),
    *webhook_urls(),          # only ANYMAIL_PROVIDER, only with its secret (mailing.bounces)
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

PUBLIC_MEDIA = ("logos/", "sponsors/", "association/", "mailing/", "showcase/")


def public_media(request, path, document_root=None):
    """Only public uploads are served here; invoices, certificates and symbiosis files go
    through views that check who asks."""
    from django.http import Http404

    if not path.startswith(PUBLIC_MEDIA) or ".." in path:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)      # read per request


if settings.DEBUG or settings.MEDIA_ROOT:
    # Uploaded logos; in production the reverse proxy serves only these folders of /media/.
    urlpatterns.append(path("media/<path:path>", public_media,
                            {"document_root": settings.MEDIA_ROOT}))
