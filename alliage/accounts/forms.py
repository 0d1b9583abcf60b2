from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliage.accounts import devicecookie
from alliage.accounts.models import ApiToken, Invitation
from alliage.core import throttle
from alliage.core.mail import queue_email


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(
        attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.wait = 0
        super().__init__(*args, **kwargs)

    def clean(self):
        email, password = self.cleaned_data.get("email"), self.cleaned_data.get("password")
        if email and password:
            # Counted before the password is even checked: per client IP across every
            # address (password spraying) and per address across every IP (guessing one
            # account from many). Both keep failures only (a success takes its attempt
            # back: colleagues behind one office address), and a browser where this
            # address logged in before (its device cookie) counts apart: strangers failing
            # on an address never lock its owner out of their own browser.
            self.bucket = devicecookie.throttle_bucket(self.request, email)
            self.wait = throttle.attempt(self.request, "login", address=self.bucket)
            if self.wait:
                raise forms.ValidationError(throttle.message(self.wait), code="throttled")
            self.user = authenticate(self.request, username=email, password=password)
            if self.user is None:
                errors = [forms.ValidationError(_("Email or password is incorrect."),
                                                code="invalid_login")]
                left = _attempts_before_lockout(self.request, email)
                if left is not None and 0 < left <= 2:
                    errors.append(forms.ValidationError(ngettext(
                        "%(count)s more attempt before a temporary lock of %(minutes)s min.",
                        "%(count)s more attempts before a temporary lock of %(minutes)s min.",
                        left) % {"count": left, "minutes": lockout_minutes()},
                        code="lockout_warning"))
                raise forms.ValidationError(errors)
            throttle.refund(self.request, "login", address=self.bucket)
        return self.cleaned_data


def lockout_minutes():
    """The lockout's length in whole minutes (axes' AXES_COOLOFF_TIME), for the pages."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return max(1, -(-int(cool_off.total_seconds()) // 60)) if cool_off else 0


def _attempts_before_lockout(request, email):
    """How many more failures axes allows this address from this client, or None when axes
    is off (it locks the username and IP pair after AXES_FAILURE_LIMIT failures)."""
    if not settings.AXES_ENABLED or getattr(request, "axes_locked_out", False):
        return None
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_failure_limit

    credentials = {"username": email}
    return get_failure_limit(request, credentials) - AxesProxyHandler.get_failures(
        request, credentials)


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code"), regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown by your app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class OtpVerifyForm(forms.Form):
    """The verification step: a code of an authentication app, or a one-time backup code."""

    code = forms.RegexField(
        label=_("Six-digit code or backup code"),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{4}[\s-]?[A-Za-z2-7]{4})\s*$",
        error_messages={"invalid": _("Enter the six digits shown by your app, or one of your "
                                     "backup codes (8 characters).")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    @property
    def is_backup_code(self):
        return not self.cleaned_data["code"].isdigit()


class DeviceRenameForm(forms.Form):
    name = forms.CharField(label=_("Device name"), max_length=64)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Invitation.Role.choices)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None,
                                          required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, organisations, allow_staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if not allow_staff:
            self.fields["role"].choices = [c for c in Invitation.Role.choices
                                           if c[0] != Invitation.Role.STAFF]


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))
    password2 = forms.CharField(label=_("Password (again)"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApiTokenForm(forms.Form):
    VALIDITY = [("30", _("30 days")), ("90", _("90 days")), ("365", _("1 year")),
                ("never", _("No expiry"))]

    name = forms.CharField(label=_("Token name"), max_length=80,
                           help_text=_("What it is for, e.g. “CRM synchronisation”."))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiToken.Scope.choices,
                              initial=ApiToken.Scope.READ, required=False,
                              widget=forms.RadioSelect,
                              help_text=_("A read-only token cannot change anything."))
    validity = forms.ChoiceField(label=_("Valid for"), choices=VALIDITY, initial="90",
                                 required=False)

    def clean_scope(self):
        # Not sent (an old form, a script): the safer access.
        return self.cleaned_data["scope"] or ApiToken.Scope.READ

    def clean_validity(self):
        value = self.cleaned_data["validity"] or "90"
        return None if value == "never" else int(value)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the message goes through the task queue."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        user = context["user"]
        queue_email(
            key=f"password-reset:{user.pk}:{context['token']}", to=to_email,
            template="password_reset", language=user.language,
            context={"user": user, "reset_path": reverse(
                "accounts:password_reset_confirm", args=[context["uid"], context["token"]])},
        )
