"""Core's personal data in the Law 25 registry: the audit log and the transactional outbox."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.core.models import Association, AuditLog, Email, Municipality, Park, Region

# Mail whose body carried a credential (reset, invitation, consent or waitlist link).
# ``Email.holds_secret`` says so for new mail; the key prefix also covers older rows.
SECRET_KEY_PREFIXES = ("password-reset:", "invitation:", "subscribe:", "unsubscribe:",
                       "waitlist-offer:")


def _holds_secret(email):
    return bool(getattr(email, "holds_secret", False)) or email.key.startswith(
        SECRET_KEY_PREFIXES)


def _to_subject(subject):
    condition = Q(pk__in=[])
    for address in subject.emails:
        condition |= Q(to__iexact=address)
    return condition


def _export_messages(subject):
    rows = []
    for e in Email.objects.filter(_to_subject(subject)).order_by("created_at"):
        secret = _holds_secret(e)
        rows.append({
            "subject": e.subject, "to": e.to, "created_at": privacy.iso(e.created_at),
            "sent_at": privacy.iso(e.sent_at),
            # Never a body that held a credential: the link would still open the account.
            "body": None if secret else e.body_text, "body_withheld": secret})
    return rows


def _anonymise_messages(subject, actor):
    for e in Email.objects.filter(_to_subject(subject)):
        e.to = subject.placeholder_email()
        e.subject = privacy.scrub(e.subject, subject)
        e.body_text = e.body_html = ""
        fields = ["to", "subject", "body_text", "body_html"]
        if hasattr(e, "secret_values"):
            e.secret_values = {}
            fields.append("secret_values")
        e.save(update_fields=fields)


def _theirs(subject):
    """Audit entries tied to the person by id: made by them, or about them or their account."""
    about = Q(actor_id__in=subject.user_ids)
    if subject.person_id is not None:
        about |= Q(object_type=subject.person._meta.label_lower,
                   object_id=str(subject.person_id))
    for user_id in subject.user_ids:
        about |= Q(object_type=settings.AUTH_USER_MODEL.lower(), object_id=str(user_id))
    return about


def _about(subject):
    """For erasure: entries tied to the person, and those that name them in their text."""
    return _theirs(subject) | privacy.mentioning(subject, "object_repr", "reason",
                                                 "changes_text")


def _export_audit(subject):
    """Entries tied to the person by id, in full (the request's address only when they made
    it: staff's IPs stay out). Entries that merely name them (a namesake's record, a note on
    a company) say that they do, when and where, but not their changes or reason, which may
    be someone else's data."""
    tied = set(AuditLog.objects.filter(_theirs(subject)).values_list("pk", flat=True))
    entries = privacy.as_text(AuditLog.objects.all(), "changes").filter(_about(subject))
    rows = []
    for a in entries.order_by("at", "pk"):
        row = {"at": privacy.iso(a.at), "action": a.action, "object": a.object_repr,
               "by_you": a.actor_id in subject.user_ids}
        if a.pk in tied:
            row.update(changes=a.changes, reason=a.reason,
                       ip_address=a.ip_address if row["by_you"] else None)
        else:
            row["mentions_your_name"] = True
            if subject.self_service:  # whose record or company it was is not theirs to see
                del row["object"]
        rows.append(row)
    return rows


def _anonymise_audit(subject, actor):
    entries = privacy.as_text(AuditLog.objects.all(), "changes").filter(_about(subject))
    for a in entries:
        a.object_repr = privacy.scrub(a.object_repr, subject)[:200]
        a.changes = privacy.scrub(a.changes, subject)
        a.reason = privacy.scrub(a.reason, subject)
        if a.actor_id in subject.user_ids:
            a.ip_address = None
        a.save(update_fields=["object_repr", "changes", "reason", "ip_address"])


def _retain_audit(now):
    cutoff = now - timedelta(days=settings.RETENTION_AUDIT_DAYS)
    deleted, _details = AuditLog.objects.filter(at__lt=cutoff).delete()
    return deleted


def register():
    privacy.register(
        "messages", title=_("Messages sent to you"),
        models=[Email], export=_export_messages, anonymise=_anonymise_messages,
        rule=_("Messages the platform sent you (confirmations, reminders) are anonymised with "
               "you. A message that carried a personal link (password reset, invitation, "
               "confirmation) is listed without its text."))
    privacy.register(
        "audit_log", title=_("Log of changes"),
        models=[AuditLog], export=_export_audit, anonymise=_anonymise_audit,
        retention=_retain_audit, summary="audit_entries_deleted",
        rule=lambda: gettext("The log of changes keeps who did what for %(years)s years, "
                             "then is deleted. On erasure, your name, email and phone are "
                             "removed from it and the IP addresses of your own actions are "
                             "erased.") % {"years": settings.RETENTION_AUDIT_DAYS // 365})
    privacy.exempt(Association, "the association's own published identity; its privacy "
                                "officer's work contact is published on purpose")
    for model in (Region, Municipality, Park):
        privacy.exempt(model, "place names")
