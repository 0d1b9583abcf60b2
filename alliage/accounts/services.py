"""Account writes: invitations, API tokens and two-factor devices."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.accounts.models import ApiToken, Invitation, User, hash_secret, new_secret
from alliage.core import audit
from alliage.core.clientip import client_ip
from alliage.core.mail import queue_email
from alliage.core.roles import is_staff
from alliage.members import services as members
from alliage.members.selectors import administered_organisations


def _check_can_invite(inviter, role, organisation):
    if is_staff(inviter):
        if role != Invitation.Role.STAFF and organisation is None:
            raise ValidationError(_("Choose the organisation this person belongs to."))
        return
    if role == Invitation.Role.STAFF:
        raise PermissionDenied
    if organisation is None or not administered_organisations(inviter).filter(
            pk=organisation.pk).exists():
        raise PermissionDenied


@transaction.atomic
def invitation_create(*, inviter, email, role, organisation=None, first_name="",
                      last_name="", language="fr-ca"):
    """Invite someone by email; staff invite anyone, a company admin only colleagues."""
    _check_can_invite(inviter, role, organisation)
    email = email.strip().lower()
    if Invitation.objects.pending().filter(email=email, organisation=organisation).exists():
        raise ValidationError(_("An invitation is already pending for this address."))
    token = new_secret("inv")
    invitation = Invitation.objects.create(
        email=email, role=role, organisation=organisation, first_name=first_name,
        last_name=last_name, language=language, token_hash=hash_secret(token),
        invited_by=inviter, expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    queue_email(
        key=f"invitation:{invitation.pk}", to=email, template="invitation",
        language=language, organisation=organisation,
        context={"invitation": invitation, "inviter": inviter,
                 "accept_url": settings.SITE_URL + reverse("accounts:invitation_accept",
                                                           args=[token])},
    )
    audit.record(actor=inviter, action="invitation.create", obj=invitation,
                 changes={"role": role, "organisation": str(organisation or "")})
    return invitation, token


def invitation_create_self(*, email, first_name="", last_name="", language="fr-ca",
                           organisation=None):
    """An account asked for by someone holding a link sent to ``email`` (a visitor's event
    registration): the invitation goes to that same address, so only its owner can accept.
    With ``organisation`` (a company that person created), they become its administrator.
    An invitation already pending for the address is sent again rather than duplicated."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account already uses this address: log in first."))
    pending = Invitation.objects.pending().filter(email=email, organisation=organisation)
    for old in pending:
        old.revoked_at = timezone.now()
        old.save(update_fields=["revoked_at"])
    token = new_secret("inv")
    role = Invitation.Role.MEMBER_ADMIN if organisation is not None else \
        Invitation.Role.MEMBER_CONTACT
    invitation = Invitation.objects.create(
        email=email, role=role, organisation=organisation, first_name=first_name,
        last_name=last_name, language=language, token_hash=hash_secret(token),
        invited_by=None, expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS))
    queue_email(
        key=f"invitation:{invitation.pk}", to=email, template="invitation",
        language=language, organisation=organisation,
        context={"invitation": invitation, "inviter": None,
                 "accept_url": settings.SITE_URL + reverse("accounts:invitation_accept",
                                                           args=[token])})
    audit.record(actor=None, action="invitation.self", obj=invitation,
                 changes={"role": role, "organisation": str(organisation or "")})
    return invitation


def invitation_by_token(token):
    """The pending invitation for a raw token, or None."""
    return Invitation.objects.pending().filter(token_hash=hash_secret(token or "")).first()


@transaction.atomic
def invitation_accept(*, invitation, first_name, last_name, password=None, user=None):
    """Turn an invitation into an account, a person and (for members) an affiliation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account already uses this address: log in first."))
        user = User.objects.create_user(invitation.email, password, first_name=first_name,
                                        last_name=last_name, language=invitation.language)
    if invitation.role == Invitation.Role.STAFF:
        user.is_staff = True
    if user.contact_id is None:
        # Never an applicant awaiting review or an anonymised person (issue #11, finding 9).
        user.contact = members.contact_for_account(
            email=invitation.email, first_name=first_name, last_name=last_name,
            language=invitation.language)
    user.save()
    if invitation.organisation_id:
        members.affiliation_join(contact_id=user.contact_id,
                                 organisation_id=invitation.organisation_id,
                                 admin=invitation.role == Invitation.Role.MEMBER_ADMIN)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit.record(actor=user, action="invitation.accept", obj=invitation)
    return user


@transaction.atomic
def invitation_revoke(*, invitation, actor):
    _check_can_invite(actor, invitation.role, invitation.organisation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="invitation.revoke", obj=invitation)


def api_token_create(*, user, name, scope=ApiToken.Scope.WRITE, valid_days=None):
    """Create a personal token; the raw key is returned once and never stored.

    ``scope`` READ refuses every non-safe method; ``valid_days`` None never expires.
    """
    if scope not in ApiToken.Scope.values:
        raise ValidationError(_("Choose the token's access."))
    if valid_days is not None and valid_days < 1:
        raise ValidationError(_("A token must stay valid at least one day."))
    raw = new_secret("alk")
    expires_at = timezone.now() + timedelta(days=valid_days) if valid_days else None
    token = ApiToken.objects.create(user=user, name=name.strip()[:80], prefix=raw[:10],
                                    key_hash=hash_secret(raw), scope=scope,
                                    expires_at=expires_at)
    return token, raw


def api_token_revoke(*, user, token_id):
    """Revoke one of ``user``'s tokens; another user's token is not found."""
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    return bool(updated)


def api_token_lookup(raw):
    """The active (unrevoked, unexpired) token for a raw key, or None; records its use."""
    if not raw or not raw.startswith("alk_"):
        return None
    token = ApiToken.objects.active().select_related("user").filter(
        key_hash=hash_secret(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_authenticate(raw):
    """The user behind an active token, or None."""
    token = api_token_lookup(raw)
    return token.user if token is not None else None


def two_factor_may_enrol(*, user, verified):
    """A first device may be enrolled after the password; a further one only from a session
    that an existing device verified (a password alone must never add a second factor)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return verified or not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


SETUP_DEVICE = "alliage_2fa_setup_device"


@transaction.atomic
def two_factor_setup_device(*, user, session):
    """The unconfirmed device this browser session is enrolling, created on first use.

    Its secret is shown only to the session that created it: a device left unconfirmed by
    another session (someone who knew the password and opened the setup page first, to read
    the secret and wait for the owner to confirm it) is never reused, and is deleted when
    a new setup starts, so only one secret is ever pending and it is this session's.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    device_id = session.get(SETUP_DEVICE)
    device = pending.filter(pk=device_id).first() if isinstance(device_id, int) else None
    if device is None:
        pending.delete()
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="TOTP")
        session[SETUP_DEVICE] = device.pk
    return device


@transaction.atomic
def two_factor_device_confirm(*, user, device, code, verified, request=None):
    """Confirm a new TOTP device with its first code; audited, and the user is told by email.

    ``verified``: whether this session already passed the second factor. Returns False,
    changing nothing, when the code is wrong.
    """
    if device.user_id != user.pk or device.confirmed or \
            not two_factor_may_enrol(user=user, verified=verified):
        raise PermissionDenied
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    count = type(device).objects.filter(user=user, confirmed=True).count()
    audit.record(actor=user, action="two_factor.device_add", obj=device,
                 changes={"devices": count}, request=request)
    when = timezone.localtime()
    queue_email(key=f"two-factor-device-added:{device.pk}", to=user.email,
                template="two_factor_device_added", language=user.language,
                context={"user": user, "devices": count, "when": when,
                         "ip": client_ip(request) if request is not None else "",
                         "profile_path": reverse("accounts:profile")})
    return True


def two_factor_required(user):
    """Whether ``user`` must keep a second factor (staff, while STAFF_2FA_REQUIRED)."""
    return bool(settings.STAFF_2FA_REQUIRED and user.is_staff)


def two_factor_devices(user):
    """The user's confirmed authentication apps, oldest first."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def _two_factor_mail(*, user, key, template, request, **context):
    queue_email(key=key, to=user.email, template=template, language=user.language,
                context={"user": user, "when": timezone.localtime(),
                         "ip": client_ip(request) if request is not None else "",
                         "profile_path": reverse("accounts:profile"), **context})


BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"


def _backup_digest(code):
    """What is stored of a backup code: a digest, so a copy of the database opens nothing.
    Spaces, dashes and case are forgiven (codes are shown as ``abcd-efgh``)."""
    normal = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    return hash_secret(f"otp-backup:{normal}")[:16]


def two_factor_backup_codes_left(*, user):
    """How many unused backup codes ``user`` holds."""
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_backup_codes_create(*, user, verified, request=None, mail=True):
    """A new set of one-time backup codes, replacing any earlier set; the codes are returned
    once (only their digests are stored). Only from a session an existing device verified.
    Audited; mailed unless ``mail`` is False (they come with the first device, whose own
    message already goes out)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    if not verified or not two_factor_devices(user).exists():
        raise PermissionDenied
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=_backup_digest(code)) for code in codes])
    audit.record(actor=user, action="two_factor.backup_codes", obj=device,
                 changes={"codes": len(codes)}, request=request)
    if mail:
        _two_factor_mail(user=user, key=f"two-factor-backup-codes:{device.pk}",
                         template="two_factor_backup_codes", request=request)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


@transaction.atomic
def two_factor_backup_code_use(*, user, code, request=None):
    """Spend one of ``user``'s backup codes at the verification step: the backup device
    when the code was good (it is then gone), else None. Audited and mailed: a code used
    by someone else means the password is known too."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(_backup_digest(code)):
        return None
    left = device.token_set.count()
    audit.record(actor=user, action="two_factor.backup_code_used", obj=device,
                 changes={"left": left}, request=request)
    _two_factor_mail(user=user, key=f"two-factor-backup-used:{device.pk}:{left}",
                     template="two_factor_backup_code_used", request=request, left=left)
    return device


@transaction.atomic
def two_factor_device_rename(*, user, device_id, name, verified, request=None):
    """Rename one of ``user``'s devices (another's is not found: None); verified session."""
    if not verified:
        raise PermissionDenied
    device = two_factor_devices(user).filter(pk=device_id).first()
    name = (name or "").strip()[:64]
    if device is None or not name:
        return None
    old, device.name = device.name, name
    device.save(update_fields=["name"])
    audit.record(actor=user, action="two_factor.device_rename", obj=device,
                 changes={"name": [old, name]}, request=request)
    return device


@transaction.atomic
def two_factor_device_remove(*, user, device_id, verified, request=None):
    """Remove one of ``user``'s devices; verified session only, audited and mailed.

    Never the last one while a second factor is required: the new phone is added first,
    then the old one removed. With no device left the backup codes go too (they are a
    stand-in for a device, not a factor of their own). None when not found.
    """
    from django_otp.plugins.otp_static.models import StaticDevice

    if not verified:
        raise PermissionDenied
    devices = list(two_factor_devices(user).select_for_update())
    device = next((d for d in devices if d.pk == device_id), None)
    if device is None:
        return None
    if len(devices) == 1 and two_factor_required(user):
        raise ValidationError(_("This is your only device and staff accounts need one: add "
                                "the new device first, then remove this one."))
    name, pk = device.name, device.pk
    device.delete()
    device.pk = pk  # for the audit entry's object id
    left = len(devices) - 1
    if left == 0:
        StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=user, action="two_factor.device_remove", obj=device,
                 changes={"name": name, "devices": left}, request=request)
    _two_factor_mail(user=user, key=f"two-factor-device-removed:{pk}",
                     template="two_factor_device_removed", request=request, name=name,
                     devices=left)
    return device


def login_lockout_clear(*, user, request=None):
    """Lift axes' login lockout of ``user`` (every client address), after they proved they
    own the account by a password reset; audited when something was cleared."""
    from axes.utils import reset

    cleared = reset(username=user.email.strip().lower())
    if cleared:
        audit.record(actor=user, action="login.lockout_clear", obj=user,
                     changes={"attempts": cleared}, request=request)
    return cleared


def axes_username(request, credentials):
    """The login name axes counts failures against (our form posts it as ``email``)."""
    name = (credentials or {}).get("username") or request.POST.get("email") or ""
    return name.strip().lower()
