"""The Django admin behind the site's own login and second factor.

The stock admin login form checks only a password: a session opened there never saw the
second factor. Here ``/admin/login/`` only redirects to ``/compte/connexion/`` (throttled,
locked out by axes, then the TOTP step), and the admin opens only to a session whose second
factor is verified whenever staff two-factor is required.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class AllianceAdminSite(AdminSite):
    site_header = "Alliage"
    site_title = "Alliage"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Second-factor devices never appear here (django-otp registers them itself).

        Their admin lists the seeds and QR codes and lets a superuser add a device for
        anyone, without the audit entry and the email the user's own page sends: devices are
        managed only by their owner (``/compte/double-authentification/``).
        """
        models = [model_or_iterable] if isinstance(model_or_iterable, type) \
            else list(model_or_iterable)
        models = [m for m in models if not m._meta.app_label.startswith("otp_")]
        if models:
            super().register(models, admin_class, **options)

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.STAFF_2FA_REQUIRED or request.user.is_verified()

    def login(self, request, extra_context=None):
        """Never a password form here: send the visitor to the site's login."""
        from django.contrib.auth.views import redirect_to_login  # imports models

        target = request.GET.get(REDIRECT_FIELD_NAME) or ""
        if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                               require_https=request.is_secure()):
            target = ""
        return redirect_to_login(target or reverse("admin:index", current_app=self.name),
                                 reverse("accounts:login"))


class AdminConfig(DjangoAdminConfig):
    default_site = "alliage.accounts.admin_site.AllianceAdminSite"
