"""Québec Law 25 for people: access (export), erasure requests and anonymisation, retention.

Members owns people (``Contact``), so it builds the ``Subject`` a request is about and runs
the registry (``alliage.core.privacy``), where every app, this one included, has declared
its own personal data. This module also registers members' own models.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliage.core import audit, roles
from alliage.core import privacy as registry
from alliage.members.models import (
    Affiliation,
    Contact,
    ErasureRequest,
    FeeBand,
    Membership,
    MembershipType,
    Note,
    Organisation,
    Sector,
    Segment,
    Site,
    Tag,
)

iso = registry.iso


def subject_for(contact, *, self_service=False):
    """The registry's view of a person: every email, login and name known for them.

    The name is the person's record's, never the account's display name, which its owner
    edits freely (a name typed to match someone else's must not find their data).
    ``self_service``: the person's own download (see ``core.privacy.Subject``)."""
    user = getattr(contact, "user", None)
    emails = {contact.email.strip().lower()} if contact.email else set()
    user_ids, verified = set(), set()
    if user is not None:
        user_ids.add(user.pk)
        emails.add(user.email.strip().lower())
        verified.add(user.email.strip().lower())
    return registry.Subject(key=f"contact-{contact.pk}", person=contact,
                            emails=frozenset(e for e in emails if e),
                            user_ids=frozenset(user_ids),
                            names=tuple(n for n in [contact.full_name] if n.strip()),
                            phones=tuple(p for p in [contact.phone] if p),
                            verified_emails=frozenset(e for e in verified if e),
                            self_service=self_service)


def person_export(contact, *, self_service=False):
    """Everything Alliage holds about one person, as a JSON-ready dict."""
    data = registry.export(subject_for(contact, self_service=self_service))
    data["contact_id"] = contact.pk
    return data


@transaction.atomic
def anonymise(contact, *, actor=None):
    """Erase a person everywhere (each app's anonymiser), keeping what the law asks for."""
    had_email = bool(contact.email)
    registry.anonymise(subject_for(contact), actor=actor)
    audit.record(actor=actor, action="privacy.anonymise", obj=contact,
                 changes={"email": ["…" if had_email else "", ""]})


@transaction.atomic
def erasure_request(*, contact, requested_by, reason=""):
    existing = contact.erasure_requests.filter(status=ErasureRequest.Status.PENDING).first()
    if existing:
        return existing
    request = ErasureRequest.objects.create(contact=contact, requested_by=requested_by,
                                            reason=reason)
    audit.record(actor=requested_by, action="privacy.erasure_request", obj=contact)
    return request


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
    """The retention job (``purge_personal_data``): every app's rule; counts by rule."""
    return registry.apply_retention(timezone.now())


# --- Members' own personal data ------------------------------------------------------------

def _export_person(subject):
    c = subject.person
    return {"first_name": c.first_name, "last_name": c.last_name, "email": c.email,
            "phone": c.phone, "language": c.language, "notes": c.notes,
            "created_at": iso(c.created_at), "updated_at": iso(c.updated_at)}


def _anonymise_person(subject, actor):
    contact = Contact.objects.get(pk=subject.person_id)
    contact.first_name = _("Anonymised")
    contact.last_name = f"#{contact.pk}"
    contact.email = contact.phone = contact.notes = ""
    contact.anonymised_at = timezone.now()
    contact.save()
    subject.person.refresh_from_db()


def _stale_people(now):
    """People gone for longer than the retention period: none of their organisations is a
    member, no current affiliation started or login happened since the cut-off."""
    cutoff = now - timedelta(days=settings.RETENTION_LAPSED_CONTACT_DAYS)
    return (Contact.objects.active().filter(updated_at__lt=cutoff)
            .exclude(affiliations__ended_on__isnull=True,
                     affiliations__organisation__member_status__in=["active", "grace",
                                                                    "applied"])
            .exclude(user__last_login__gte=cutoff)
            .exclude(user__is_staff=True)
            .exclude(affiliations__started_on__gte=cutoff.date()))


def _retain_people(now):
    count = 0
    for contact in _stale_people(now):
        anonymise(contact)
        count += 1
    return count


def _export_affiliations(subject):
    return [{"organisation": a.organisation.legal_name, "title": a.title,
             "is_admin": a.is_admin, "is_billing": a.is_billing,
             "since": iso(a.started_on), "until": iso(a.ended_on)}
            for a in Affiliation.objects.filter(contact_id=subject.person_id)
            .select_related("organisation")]


def _end_affiliations(subject, actor):
    Affiliation.objects.filter(contact_id=subject.person_id, ended_on__isnull=True).update(
        ended_on=timezone.localdate(), is_admin=False, is_billing=False)
    roles.forget_roles()  # update() sends no signal: the person's member roles end now


def _export_erasure_requests(subject):
    return [{"requested_at": iso(r.requested_at), "reason": r.reason, "status": r.status,
             "reviewed_at": iso(r.reviewed_at), "review_note": r.review_note}
            for r in ErasureRequest.objects.filter(contact_id=subject.person_id)]


def _anonymise_erasure_requests(subject, actor):
    for r in ErasureRequest.objects.filter(contact_id=subject.person_id):
        r.reason = registry.scrub(r.reason, subject)
        r.review_note = registry.scrub(r.review_note, subject)
        r.save(update_fields=["reason", "review_note"])


def _notes_about(subject):
    return Note.objects.filter(registry.mentioning(subject, "body"))


def _export_notes(subject):
    """Staff notes that name the person. In their own download, only those that name them
    by the address they proved are shown; the others are counted (a namesake's, or a name
    typed to match), and the privacy officer answers for them."""
    notes = _notes_about(subject).select_related("organisation").order_by("created_at", "pk")
    if not subject.self_service:
        return [{"organisation": n.organisation.legal_name, "written_at": iso(n.created_at),
                 "note": n.body} for n in notes]
    proven = set(Note.objects.filter(registry.mentioning(subject, "body", proven=True))
                 .values_list("pk", flat=True))
    return [{"organisation": n.organisation.legal_name, "written_at": iso(n.created_at),
             "note": n.body} if n.pk in proven else
            {"written_at": iso(n.created_at), "mentions_your_name": True} for n in notes]


def _anonymise_notes(subject, actor):
    for note in _notes_about(subject):
        note.body = registry.scrub(note.body, subject)
        note.save(update_fields=["body"])


def register():
    registry.register(
        "person", title=gettext_lazy("Your identity"),
        models=[Contact], export=_export_person, anonymise=_anonymise_person,
        retention=_retain_people, summary="anonymised", order=900,
        rule=lambda: _("Your name, email and phone are kept while one of your companies is "
                       "a member or you use your account, then anonymised after %(years)s "
                       "years.") % {"years": settings.RETENTION_LAPSED_CONTACT_DAYS // 365})
    registry.register(
        "affiliations", title=gettext_lazy("Your companies"),
        models=[Affiliation], export=_export_affiliations,
        anonymise=_end_affiliations,
        rule=gettext_lazy("Your roles in companies end with you (the company stays)."))
    registry.register(
        "erasure_requests", title=gettext_lazy("Your requests"),
        models=[ErasureRequest], export=_export_erasure_requests,
        anonymise=_anonymise_erasure_requests,
        rule=gettext_lazy("Your requests about your personal information are kept."),
        kept=gettext_lazy("The request itself (dates, decision) is kept as proof that it was "
                          "handled; your name is removed from its text."))
    registry.register(
        "notes", title=gettext_lazy("Staff notes"),
        models=[Note], export=_export_notes, anonymise=_anonymise_notes,
        rule=gettext_lazy("Staff notes on a company that name you are exported to you; on "
                          "erasure your name, email and phone are removed from them."))
    registry.exempt(Organisation, "a company's business details (legal name, general "
                                  "email and phone); people are Contacts")
    registry.exempt(Site, "a company's plants and warehouses (names and addresses of "
                          "places)")
    registry.exempt(Membership, "a company's membership periods; the application message "
                                "and staff decisions are about the company's application")
    registry.exempt(Segment, "saved CRM filters (a name and criteria), no person")
    for model in (Sector, Tag, MembershipType, FeeBand):
        registry.exempt(model, "reference data")
