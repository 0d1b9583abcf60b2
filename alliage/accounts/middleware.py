from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

_OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/langue/", "/theme.css")


class StaffTwoFactorMiddleware:
    """Staff sessions without a verified second factor reach only the 2FA pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.STAFF_2FA_REQUIRED and user is not None and user.is_authenticated
                and user.is_staff and not user.is_verified()):
            allowed = {reverse("accounts:otp_setup"), reverse("accounts:otp_verify"),
                       reverse("accounts:logout")}
            path = request.path
            if path not in allowed and not path.startswith(_OPEN_PREFIXES):
                if path.startswith("/api/"):
                    return JsonResponse({"error": {
                        "code": "two_factor_required",
                        "message": _("Two-factor authentication is required."),
                        "details": []}}, status=403)
                from django_otp.plugins.otp_totp.models import TOTPDevice

                if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                    return redirect("accounts:otp_verify")
                return redirect("accounts:otp_setup")
        return self.get_response(request)
