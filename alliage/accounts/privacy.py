"""Accounts' personal data in the Law 25 registry: logins, API tokens, invitations."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.accounts.models import ApiToken, Invitation, User
from alliage.core import privacy

iso = privacy.iso
# An invitation nobody accepted is forgotten this long after it expired.
EXPIRED_INVITATION_DAYS = 90


def _export_account(subject):
    users = User.objects.filter(pk__in=subject.user_ids).prefetch_related("api_tokens")
    accounts = [{
        "email": u.email, "first_name": u.first_name, "last_name": u.last_name,
        "language": u.language, "joined": iso(u.date_joined), "last_login": iso(u.last_login),
        "is_staff": u.is_staff,
        "api_tokens": [{"name": t.name, "created_at": iso(t.created_at),
                        "last_used_at": iso(t.last_used_at),
                        "revoked_at": iso(t.revoked_at)} for t in u.api_tokens.all()]}
        for u in users]
    return accounts[0] if len(accounts) == 1 else (accounts or None)


def _close_account(subject, actor):
    for user in User.objects.filter(pk__in=subject.user_ids):
        user.email = subject.placeholder_email(f"-{user.pk}")
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    # Second factors hold secrets about the person's phone: deleted with the login.
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user_id__in=subject.user_ids).delete()


def _invitations(subject):
    condition = Q(accepted_user_id__in=subject.user_ids)
    for address in subject.emails:
        condition |= Q(email__iexact=address)
    return Invitation.objects.filter(condition)


def _export_invitations(subject):
    # Never the token (only its hash is stored anyway).
    return [{"email": i.email, "first_name": i.first_name, "last_name": i.last_name,
             "organisation": i.organisation.legal_name if i.organisation_id else None,
             "role": i.get_role_display(), "sent_at": iso(i.created_at),
             "expires_at": iso(i.expires_at), "accepted_at": iso(i.accepted_at),
             "revoked_at": iso(i.revoked_at)}
            for i in _invitations(subject).select_related("organisation")]


def _anonymise_invitations(subject, actor):
    now = timezone.now()
    for invitation in _invitations(subject):
        invitation.email = subject.placeholder_email(f"-invitation-{invitation.pk}")
        invitation.first_name = invitation.last_name = ""
        if invitation.is_pending:
            invitation.revoked_at = now
        invitation.save(update_fields=["email", "first_name", "last_name", "revoked_at"])


def _retain_invitations(now):
    cutoff = now - timedelta(days=EXPIRED_INVITATION_DAYS)
    deleted, _details = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted


def register():
    privacy.register(
        "account", title=_("Your account"),
        models=[User, ApiToken], export=_export_account, anonymise=_close_account,
        rule=_("Your login is closed and emptied when you are anonymised; your API tokens "
               "are revoked."))
    privacy.register(
        "invitations", title=_("Invitations"), models=[Invitation], export=_export_invitations,
        anonymise=_anonymise_invitations, retention=_retain_invitations,
        summary="invitations_deleted",
        rule=_("An invitation nobody accepted is deleted 90 days after it expired; an "
               "accepted one is anonymised with you."))
