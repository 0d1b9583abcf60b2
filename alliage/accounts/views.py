"""Login with staff two-factor, invitations, profile and API tokens."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliage.accounts import devicecookie, services
from alliage.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    DeviceRenameForm,
    InvitationForm,
    LoginForm,
    OtpForm,
    OtpVerifyForm,
    ProfileForm,
    QueuedPasswordResetForm,
    lockout_minutes,
)
from alliage.accounts.models import Invitation
from alliage.core import confirm, throttle
from alliage.core.http import posted
from alliage.core.roles import is_staff
from alliage.members.selectors import managed_organisations

PENDING_USER = "alliage_2fa_user"
PENDING_BACKEND = "alliage_2fa_backend"
PENDING_NEXT = "alliage_2fa_next"
# Secrets shown once, on the page after the POST that made them (post-redirect-get): a
# reload or the back button never makes a second token nor shows the secret again.
NEW_TOKEN = "alliage_new_token"
NEW_BACKUP_CODES = "alliage_new_backup_codes"


def _safe_next(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


def _needs_2fa(user):
    return settings.STAFF_2FA_REQUIRED and user.is_staff


@sensitive_post_parameters("password")
def login_view(request):
    form = LoginForm(request, posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.user
        if _needs_2fa(user) and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend
            request.session[PENDING_NEXT] = _safe_next(request)
            response = redirect("accounts:otp_verify")
        else:
            login(request, user)
            response = redirect("accounts:otp_setup" if _needs_2fa(user) else
                                _safe_next(request))
        return devicecookie.remember(request, response, form.cleaned_data["email"])
    return throttle.mark(render(request, "accounts/login.html",
                                {"form": form, "next": request.GET.get("next", "")}),
                         form.wait)


def otp_verify(request):
    """Second step for staff: the TOTP code of a confirmed device."""
    user_id = request.session.get(PENDING_USER)
    user = request.user if request.user.is_authenticated else None
    if user is None and user_id:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    form = OtpVerifyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if form.is_backup_code:
            device = services.two_factor_backup_code_use(user=user, code=code, request=request)
        else:
            device = next((d for d in devices if d.verify_token(code)), None)
        if device is None:
            form.add_error("code", _("This backup code is not valid or was already used.")
                           if form.is_backup_code else
                           _("This code is not valid. Check your phone's clock and "
                             "try the next code."))
        else:
            if not request.user.is_authenticated:
                login(request, user, backend=request.session.get(PENDING_BACKEND))
            otp_login(request, device)
            if form.is_backup_code:
                left = services.two_factor_backup_codes_left(user=user)
                messages.warning(request, ngettext(
                    "You used a backup code: %(count)s is left. Make new ones from your "
                    "account page if you lost your phone.",
                    "You used a backup code: %(count)s are left. Make new ones from your "
                    "account page if you lost your phone.", left) % {"count": left})
            target = request.session.pop(PENDING_NEXT, None) or _safe_next(request)
            request.session.pop(PENDING_USER, None)
            return redirect(target)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    """Enrol a TOTP app: show the QR code, confirm with a first code.

    A first device after the password; a further one (a new phone) only once this session
    passed the second factor: a password alone is sent to the verification step instead.
    """
    user = request.user
    verified = user.is_verified()
    if not services.two_factor_may_enrol(user=user, verified=verified):
        messages.info(request, _("Enter a code from your authentication app first."))
        return redirect("accounts:otp_verify")
    adding = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device = services.two_factor_setup_device(user=user, session=request.session)
    form = OtpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if services.two_factor_device_confirm(user=user, device=device, verified=verified,
                                              code=form.cleaned_data["code"], request=request):
            request.session.pop(services.SETUP_DEVICE, None)
            if not verified:
                otp_login(request, device)
            messages.success(request, _("The new device is ready.") if adding else
                             _("Two-factor authentication is now active."))
            if adding:
                return redirect("accounts:profile")
            # The first device comes with its backup codes, shown once on the next page.
            request.session[NEW_BACKUP_CODES] = services.two_factor_backup_codes_create(
                user=user, verified=True, request=request, mail=False)
            return redirect("accounts:backup_codes")
        form.add_error("code", _("This code is not valid. Check your phone's clock and "
                                 "try the next code."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": buffer.getvalue().decode(), "adding": adding,
        "secret": secret, "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
    })


def _verified_only(view):
    """Device and backup-code management: only from a session a device verified (a password
    alone must never change the second factor)."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_verified():
            messages.info(request, _("Enter a code from your authentication app first."))
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@never_cache
@_verified_only
def backup_codes(request):
    """The new backup codes once (popped from the session), else how many are left and the
    button that makes a new set (which voids the old one)."""
    if request.method == "POST":
        try:
            request.session[NEW_BACKUP_CODES] = services.two_factor_backup_codes_create(
                user=request.user, verified=True, request=request)
        except PermissionDenied:
            raise Http404 from None
        return redirect("accounts:backup_codes")
    codes = request.session.pop(NEW_BACKUP_CODES, None)
    if codes is None and not services.two_factor_devices(request.user).exists():
        raise Http404
    return render(request, "accounts/backup_codes.html", {
        "codes": codes, "left": services.two_factor_backup_codes_left(user=request.user)})


@_verified_only
@require_POST
def device_rename(request, device_id):
    form = DeviceRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the device a name."))
        return redirect("accounts:profile")
    if services.two_factor_device_rename(user=request.user, device_id=device_id,
                                         name=form.cleaned_data["name"], verified=True,
                                         request=request) is None:
        raise Http404
    messages.success(request, _("The device was renamed."))
    return redirect("accounts:profile")


@_verified_only
def device_remove(request, device_id):
    """Asks first (a page, so it works without JavaScript), removes on POST."""
    device = get_object_or_404(services.two_factor_devices(request.user), pk=device_id)
    only = services.two_factor_devices(request.user).count() == 1
    blocked = only and services.two_factor_required(request.user)
    if request.method == "POST":
        try:
            services.two_factor_device_remove(user=request.user, device_id=device.pk,
                                              verified=True, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The device was removed."))
        return redirect("accounts:profile")
    return render(request, "accounts/device_remove.html",
                  {"device": device, "blocked": blocked, "only": only})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("core:home")


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(posted(request), initial={
        "first_name": user.first_name, "last_name": user.last_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        for field in ("first_name", "last_name", "language"):
            setattr(user, field, form.cleaned_data[field])
        user.save(update_fields=["first_name", "last_name", "language"])
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language,
                            samesite="Lax", secure=settings.LANGUAGE_COOKIE_SECURE)
        return response
    return render(request, "accounts/profile.html", {
        "form": form, "token_form": ApiTokenForm(),
        "tokens": user.api_tokens.all(),
        "devices": list(services.two_factor_devices(user)),
        "may_add_device": user.is_verified(),
        "backup_codes_left": services.two_factor_backup_codes_left(user=user),
        "rename_form": DeviceRenameForm(),
    })


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name.") if "name" in form.errors else
                       " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("accounts:profile")
    token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                           scope=form.cleaned_data["scope"],
                                           valid_days=form.cleaned_data["validity"])
    request.session[NEW_TOKEN] = {"id": token.pk, "raw": raw}
    return redirect("accounts:token_created")


@never_cache
@login_required
def token_created(request):
    """The token just made, with its raw key once: a reload finds nothing left to show."""
    new = request.session.pop(NEW_TOKEN, None)
    token = request.user.api_tokens.filter(pk=new["id"]).first() if new else None
    if token is None:
        messages.info(request, _("A token's key is shown only once, right after it is "
                                 "created. Revoke the token and create a new one if you "
                                 "did not copy it."))
        return redirect("accounts:profile")
    return render(request, "accounts/token_created.html", {"token": token, "raw": new["raw"]})


@login_required
@require_POST
def token_revoke(request, token_id):
    if not request.user.api_tokens.filter(pk=token_id, revoked_at__isnull=True).exists():
        raise Http404
    if asked := confirm.ask(request, _("Revoke this token?")):
        return asked
    if not services.api_token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


def _invite_scope(user):
    return managed_organisations(user), is_staff(user)


@login_required
def invitation_create(request):
    organisations, allow_staff = _invite_scope(request.user)
    if not allow_staff and not organisations.exists():
        raise PermissionDenied
    initial = {"language": request.LANGUAGE_CODE, "organisation": request.GET.get("organisation")}
    form = InvitationForm(posted(request), organisations=organisations,
                          allow_staff=allow_staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(inviter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@login_required
def invitation_list(request):
    organisations, allow_staff = _invite_scope(request.user)
    invitations = Invitation.objects.select_related("organisation", "invited_by")
    if not allow_staff:
        if not organisations.exists():
            raise PermissionDenied
        invitations = invitations.filter(organisation__in=organisations)
    return render(request, "accounts/invitation_list.html",
                  {"invitations": invitations[:200]})


@login_required
@require_POST
def invitation_revoke(request, pk):
    organisations, allow_staff = _invite_scope(request.user)
    qs = Invitation.objects.all() if allow_staff else Invitation.objects.filter(
        organisation__in=organisations)
    invitation = get_object_or_404(qs, pk=pk)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:invitation_list")


@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = request.user if request.user.is_authenticated else None
    if existing and existing.email != invitation.email:
        existing = None
    form = AcceptInvitationForm(posted(request), initial={
        "first_name": invitation.first_name, "last_name": invitation.last_name})
    if existing is not None and request.method == "POST":
        with transaction.atomic():
            services.invitation_accept(invitation=invitation, first_name=existing.first_name,
                                       last_name=existing.last_name, user=existing)
        messages.success(request, _("Invitation accepted."))
        return redirect("core:home")
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="alliage.accounts.backends.EmailBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("accounts:otp_setup" if _needs_2fa(user) else "core:home")
    return render(request, "accounts/invitation_accept.html",
                  {"form": form, "invitation": invitation, "existing": existing})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, limited per client IP (probing) and per address (mail bombing).

    Past the per-address limit no further message is sent, but the page answers as usual:
    the links already sent stay valid, so strangers asking for an address's reset never
    keep its owner from resetting (nor learn whether the address has an account).
    """

    def form_valid(self, form):
        wait = throttle.attempt(self.request, "password_reset")
        if wait:
            throttle.refuse(form, wait)
            return throttle.mark(self.form_invalid(form), wait)
        if throttle.attempt(self.request, "password_reset", address=form.cleaned_data["email"],
                            ip=False):
            return redirect(self.get_success_url())
        return super().form_valid(form)


password_reset = ThrottledPasswordResetView.as_view(
    form_class=QueuedPasswordResetForm,
    template_name="accounts/password_reset.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html")
class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password page; a completed reset also lifts the login lockout of that
    account (the lockout page advises a reset: it must work before the cool-off ends)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_lockout_clear(user=form.user, request=self.request)
        return response


password_reset_confirm = UnlockingPasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"))


def locked_out(request, original_response=None, credentials=None):
    """axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): 429, the real wait on the
    page and in Retry-After (every attempt while locked restarts the cool-off)."""
    minutes = lockout_minutes()
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")
