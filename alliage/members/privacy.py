"""Québec Law 25: a person's complete data export, erasure by anonymisation, retention.

Every app that keeps personal data registers an ``exporter(contact) -> (section, data)``
and, if needed, an ``anonymiser(contact)``; this module calls them all.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.members.models import Affiliation, Contact, ErasureRequest

_exporters = []
_anonymisers = []


def exporter(fn):
    _exporters.append(fn)
    return fn


def anonymiser(fn):
    _anonymisers.append(fn)
    return fn


def _iso(value):
    return value.isoformat() if value else None


@exporter
def _person(contact):
    return "person", {
        "first_name": contact.first_name, "last_name": contact.last_name,
        "email": contact.email, "phone": contact.phone, "language": contact.language,
        "notes": contact.notes, "created_at": _iso(contact.created_at),
        "updated_at": _iso(contact.updated_at)}


@exporter
def _affiliations(contact):
    return "affiliations", [{
        "organisation": a.organisation.legal_name, "title": a.title, "is_admin": a.is_admin,
        "is_billing": a.is_billing, "since": _iso(a.started_on), "until": _iso(a.ended_on)}
        for a in contact.affiliations.select_related("organisation")]


@exporter
def _account(contact):
    user = getattr(contact, "user", None)
    if user is None:
        return "account", None
    return "account", {
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "language": user.language, "joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login), "is_staff": user.is_staff,
        "api_tokens": [{"name": t.name, "created_at": _iso(t.created_at),
                        "revoked_at": _iso(t.revoked_at)} for t in user.api_tokens.all()]}


@exporter
def _messages(contact):
    from alliage.core.models import Email

    if not contact.email:
        return "messages", []
    return "messages", [{
        "subject": e.subject, "sent_at": _iso(e.sent_at), "created_at": _iso(e.created_at),
        "body": e.body_text} for e in Email.objects.filter(to__iexact=contact.email)]


def person_export(contact):
    """Everything Alliage holds about one person, as a JSON-ready dict."""
    data = {"generated_at": timezone.now().isoformat(), "contact_id": contact.pk}
    for fn in _exporters:
        section, value = fn(contact)
        data[section] = value
    return data


@transaction.atomic
def erasure_request(*, contact, requested_by, reason=""):
    existing = contact.erasure_requests.filter(status=ErasureRequest.Status.PENDING).first()
    if existing:
        return existing
    request = ErasureRequest.objects.create(contact=contact, requested_by=requested_by,
                                            reason=reason)
    audit.record(actor=requested_by, action="privacy.erasure_request", obj=contact)
    return request


@anonymiser
def _anonymise_messages(contact):
    from alliage.core.models import Email

    if contact.email:
        Email.objects.filter(to__iexact=contact.email).update(
            to=f"anonymise-{contact.pk}@invalid.example", body_text="", body_html="")


@anonymiser
def _anonymise_invoices(contact):
    from alliage.billing.models import Invoice

    # Invoices stay (accounting, 6 years); only the person's address on them goes.
    if contact.email:
        Invoice.objects.filter(bill_to_email__iexact=contact.email).update(bill_to_email="")


def anonymise(contact, *, actor=None):
    """Replace a person's identifying data, end their affiliations, close their account."""
    original_email = contact.email
    for fn in _anonymisers:
        fn(contact)
    user = getattr(contact, "user", None)
    if user is not None:
        user.email = f"anonymise-{contact.pk}@invalid.example"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()
        user.save()
        user.api_tokens.update(revoked_at=timezone.now())
    contact.first_name = _("Anonymised")
    contact.last_name = f"#{contact.pk}"
    contact.email = contact.phone = contact.notes = ""
    contact.anonymised_at = timezone.now()
    contact.save()
    Affiliation.objects.filter(contact=contact, ended_on__isnull=True).update(
        ended_on=timezone.localdate(), is_admin=False, is_billing=False)
    audit.record(actor=actor, action="privacy.anonymise", obj=contact,
                 changes={"email": [original_email and "…", ""]})


@transaction.atomic
def erasure_decide(*, request, actor, approve, note=""):
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("This request was already handled."))
    if not approve and not note.strip():
        raise ValidationError(_("Explain the refusal to the person."))
    if approve:
        anonymise(request.contact, actor=actor)
    request.status = ErasureRequest.Status.DONE if approve else ErasureRequest.Status.REFUSED
    request.reviewed_by, request.reviewed_at = actor, timezone.now()
    request.review_note = note
    request.save()
    return request


def purge(*, today=None):
    """The retention job: anonymise people gone for longer than the retention period.

    A person is gone when none of their organisations is a member and they have no current
    affiliation or login since the cut-off. Old audit entries are deleted. Returns counts.
    """
    from alliage.core.models import AuditLog

    now = timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_LAPSED_CONTACT_DAYS)
    stale = (Contact.objects.active().filter(updated_at__lt=cutoff)
             .exclude(affiliations__ended_on__isnull=True,
                      affiliations__organisation__member_status__in=["active", "grace",
                                                                     "applied"])
             .exclude(user__last_login__gte=cutoff)
             .exclude(user__is_staff=True)
             .exclude(affiliations__started_on__gte=cutoff.date()))
    count = 0
    for contact in stale:
        with transaction.atomic():
            anonymise(contact)
        count += 1
    audit_cutoff = now - timedelta(days=settings.RETENTION_AUDIT_DAYS)
    deleted, _details = AuditLog.objects.filter(at__lt=audit_cutoff).delete()
    # Who opened or clicked a newsletter is kept only so long; the per-link totals stay.
    from alliage.mailing.models import Delivery

    tracking_cutoff = now - timedelta(days=settings.RETENTION_TRACKING_DAYS)
    cleared = Delivery.objects.filter(sent_at__lt=tracking_cutoff).filter(
        Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)).update(
        opened_at=None, clicked_at=None)
    return {"anonymised": count, "audit_entries_deleted": deleted,
            "tracking_cleared": cleared}
