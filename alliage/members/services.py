"""Member writes: organisations, applications, memberships, renewals."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.billing import services as billing
from alliage.billing.models import Invoice
from alliage.core import audit, text
from alliage.core.mail import queue_email
from alliage.core.models import Email
from alliage.members import cache as directory_cache
from alliage.members import periods
from alliage.members.models import (
    Affiliation,
    Contact,
    Membership,
    MemberStatus,
    Note,
    Organisation,
)

REMINDER_DAYS_BEFORE = (30, 7)
GRACE_REMINDER_DAYS_AFTER = (15,)
RENEWAL_LEAD_DAYS = 30


def unique_slug(name, *, exclude_pk=None):
    """An organisation's slug from its name, numbered when another organisation has it."""
    return text.unique_slug(Organisation.objects.all(), name, default="organisation",
                            exclude_pk=exclude_pk)


@transaction.atomic
def organisation_save(*, form, actor, request=None):
    """Save an organisation form (staff or the company's admin) and audit the change."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(Organisation.objects.get(pk=form.instance.pk))
    org = form.save(commit=False)
    if creating or not org.slug:
        org.slug = unique_slug(org.display_name)
    org.save()
    form.save_m2m()
    org.refresh_search_text()  # tags are known only after save_m2m
    Organisation.objects.filter(pk=org.pk).update(search_text=org.search_text)
    changes = audit.diff(before, audit.snapshot(org))
    audit.record(actor=actor, action="organisation.create" if creating else "organisation.update",
                 obj=org, changes=changes, request=request)
    return org


def fee_for(membership_type, organisation):
    bands = [(b.min_employees, b.max_employees, b.fee_cents)
             for b in membership_type.bands.all()]
    return periods.fee_for(rule=membership_type.fee_rule,
                           flat_fee_cents=membership_type.flat_fee_cents,
                           bands=bands, employees=organisation.employees)


def _period(membership_type, start):
    return periods.period_for(kind=membership_type.period_kind, start=start,
                              fiscal_month=membership_type.fiscal_start_month,
                              fiscal_day=membership_type.fiscal_start_day)


def _staff_emails():
    User = get_user_model()  # accounts' login model, without importing accounts
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email",
                                                                              flat=True))


@transaction.atomic
def membership_apply(*, organisation_data, contact_data, membership_type, message="", title=""):
    """A public application: creates the organisation, its first admin and the request.

    The applicant is always a new person. When their email is a known person's, the new
    person is marked as possibly the same one and staff decide (``applicant_resolve``):
    an anonymous form never attaches an existing person to a company.
    """
    org = Organisation(**organisation_data)
    org.slug = unique_slug(org.display_name)
    org.member_status = MemberStatus.APPLIED
    org.full_clean(exclude=["slug"])
    org.save()
    known = Contact.objects.with_email(contact_data["email"]).first()
    contact = Contact.objects.create(**contact_data, possible_duplicate_of=known)
    Affiliation.objects.create(contact=contact, organisation=org, is_admin=True,
                               is_primary=True, is_billing=True, title=title[:120])
    start, end = _period(membership_type, timezone.localdate())
    membership = Membership.objects.create(
        organisation=org, membership_type=membership_type, period_start=start, period_end=end,
        status=Membership.Status.APPLIED, fee_cents=fee_for(membership_type, org),
        applied_at=timezone.now(), application={"message": message})
    audit.record(actor=None, action="membership.apply", obj=membership)
    queue_email(key=f"application-received:{membership.pk}", to=contact.email,
                template="application_received", language=contact.language,
                organisation=org, context={"membership": membership, "contact": contact})
    for email in _staff_emails():
        queue_email(key=f"application-staff:{membership.pk}:{email}", to=email,
                    template="application_staff", organisation=org,
                    context={"membership": membership, "contact": contact,
                             "url": settings.SITE_URL + reverse("members:crm_detail",
                                                                args=[org.pk])})
    return membership


def _primary_contact(org):
    aff = (org.affiliations.filter(ended_on__isnull=True)
           .order_by("-is_billing", "-is_admin", "-is_primary", "pk")
           .select_related("contact").first())
    return aff.contact if aff else None


def _invoice_membership(membership, actor):
    org = membership.organisation
    mtype = membership.membership_type
    contact = _primary_contact(org)
    language = contact.language if contact else settings.LANGUAGE_CODE
    from django.utils import translation

    with translation.override(language):
        description = _("Membership %(type)s, %(start)s to %(end)s") % {
            "type": mtype.name, "start": membership.period_start.isoformat(),
            "end": membership.period_end.isoformat()}
    invoice = billing.invoice_create(
        organisation=org, language=language, source=f"membership:{membership.pk}",
        lines=[billing.Line(description, membership.fee_cents, 1, mtype.taxable)],
        actor=actor)
    membership.invoice = invoice
    membership.status = Membership.Status.INVOICED
    if invoice.status == Invoice.Status.PAID:  # a free membership
        membership.status = Membership.Status.ACTIVE
    membership.save(update_fields=["invoice", "status"])
    return invoice


def applicants_to_review(organisation):
    """Current people of ``organisation`` who may be a person already known."""
    return (Contact.objects.filter(affiliations__organisation=organisation,
                                   affiliations__ended_on__isnull=True,
                                   possible_duplicate_of__isnull=False)
            .select_related("possible_duplicate_of").distinct())


@transaction.atomic
def applicant_resolve(*, contact, attach, actor):
    """Staff decide about an applicant whose email was a known person's.

    ``attach``: they are that person; the applicant's affiliations move to the known person
    and the new record is deleted. Otherwise the applicant stays a separate person.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    known = contact.possible_duplicate_of
    if known is None:
        raise ValidationError(_("There is nothing to decide about this person."))
    if not attach:
        contact.possible_duplicate_of = None
        contact.save(update_fields=["possible_duplicate_of", "updated_at"])
        audit.record(actor=actor, action="contact.duplicate_keep", obj=contact,
                     changes={"possible_duplicate_of": [str(known.pk), ""]})
        return contact
    for affiliation in contact.affiliations.select_related("organisation"):
        current = known.affiliations.filter(organisation=affiliation.organisation,
                                            ended_on__isnull=True).first()
        if current is None:
            affiliation.contact = known
            affiliation.save(update_fields=["contact"])
        else:  # already there: keep their row, with the applicant's roles added
            current.is_admin |= affiliation.is_admin
            current.is_billing |= affiliation.is_billing
            current.is_primary |= affiliation.is_primary
            current.title = current.title or affiliation.title
            current.save()
            affiliation.delete()
    if getattr(contact, "user", None) is not None:
        raise ValidationError(_("This person has their own login: keep them separate."))
    audit.record(actor=actor, action="contact.duplicate_attach", obj=known,
                 changes={"merged_contact": str(contact.pk)})
    try:
        contact.delete()
    except ProtectedError:
        raise ValidationError(_("This person already has registrations or orders: keep them "
                                "separate.")) from None
    return known


@transaction.atomic
def membership_approve(*, membership, actor, message=""):
    """Staff accept an application: the invoice is issued and sent."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.APPLIED:
        raise ValidationError(_("Only an application waiting for a decision can be approved."))
    if applicants_to_review(membership.organisation).exists():
        raise ValidationError(_("First decide whether the applicant is the person who already "
                                "uses this email."))
    membership.status = Membership.Status.APPROVED
    membership.decided_at, membership.decided_by = timezone.now(), actor
    membership.decision_message = message
    membership.save()
    invoice = _invoice_membership(membership, actor)
    audit.record(actor=actor, action="membership.approve", obj=membership, reason=message)
    contact = _primary_contact(membership.organisation)
    if contact and contact.email:
        queue_email(key=f"application-approved:{membership.pk}", to=contact.email,
                    template="application_approved", language=contact.language,
                    organisation=membership.organisation,
                    context={"membership": membership, "invoice": invoice, "message": message})
    return membership


@transaction.atomic
def membership_refuse(*, membership, actor, message):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.APPLIED:
        raise ValidationError(_("Only an application waiting for a decision can be refused."))
    if not message.strip():
        raise ValidationError(_("Tell the applicant why."))
    membership.status = Membership.Status.REFUSED
    membership.decided_at, membership.decided_by = timezone.now(), actor
    membership.decision_message = message
    membership.save()
    audit.record(actor=actor, action="membership.refuse", obj=membership, reason=message)
    contact = _primary_contact(membership.organisation)
    if contact and contact.email:
        queue_email(key=f"application-refused:{membership.pk}", to=contact.email,
                    template="application_refused", language=contact.language,
                    organisation=membership.organisation,
                    context={"membership": membership, "message": message})
    refresh_organisation(membership.organisation)
    return membership


@transaction.atomic
def membership_override(*, membership, status, reason, actor):
    """Staff set a status by hand (e.g. a cheque in the mail); always with a reason."""
    if not reason.strip():
        raise ValidationError(_("A manual status needs a reason."))
    if status not in Membership.Status.values:
        raise ValidationError(_("Unknown status."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = membership.status
    membership.status = status
    membership.override_reason = reason
    membership.save(update_fields=["status", "override_reason"])
    audit.record(actor=actor, action="membership.override", obj=membership,
                 changes={"status": [before, status]}, reason=reason)
    _apply_org_status(membership.organisation)
    return membership


def _is_paid(m):
    return m.invoice_id is not None and m.invoice.status == Invoice.Status.PAID


_ORG_STATUS = {
    "active": MemberStatus.ACTIVE, "grace": MemberStatus.GRACE, "lapsed": MemberStatus.LAPSED,
    "ended": MemberStatus.LAPSED, "applied": MemberStatus.APPLIED,
    "approved": MemberStatus.APPLIED, "invoiced": MemberStatus.APPLIED,
}


def _apply_org_status(org, today=None):
    today = today or timezone.localdate()
    live = list(org.memberships.live().order_by("period_start"))
    current = [m for m in live if m.period_start <= today <= m.period_end]
    # The period covering today decides; otherwise the latest one that started.
    pick = current[-1] if current else next(
        (m for m in reversed(live) if m.period_start <= today), live[0] if live else None)
    if pick and pick.status == "ended":
        pick = live[-1]
    status = _ORG_STATUS.get(pick.status, MemberStatus.NONE) if pick else MemberStatus.NONE
    if status == MemberStatus.APPLIED and any(m.status == "active" for m in live):
        status = MemberStatus.ACTIVE
    fields = {"member_status": status}
    if status in (MemberStatus.ACTIVE, MemberStatus.GRACE) and org.member_since is None:
        fields["member_since"] = min(m.period_start for m in live
                                     if m.status in ("active", "grace", "ended"))
    changed = org.member_status != status
    Organisation.objects.filter(pk=org.pk).update(**fields)
    if changed:
        directory_cache.bump()
    for k, v in fields.items():
        setattr(org, k, v)
    return status


@transaction.atomic
def refresh_organisation(org, today=None):
    """Recompute every membership's status from payments and dates, then the org's."""
    today = today or timezone.localdate()
    live = list(org.memberships.live().select_related("invoice", "membership_type")
                .order_by("period_start"))
    for i, m in enumerate(live):
        if m.override_reason or m.status in (Membership.Status.APPLIED,
                                             Membership.Status.APPROVED):
            continue
        status = periods.status_on(
            today=today, period_start=m.period_start, period_end=m.period_end,
            grace_days=m.membership_type.grace_days, paid=_is_paid(m),
            is_renewal=m.is_renewal, has_successor=i < len(live) - 1)
        if status != m.status:
            Membership.objects.filter(pk=m.pk).update(status=status)
            m.status = status
    return _apply_org_status(org, today)


def on_invoice_paid(sender, invoice, **kwargs):
    """billing.invoice_paid receiver: a paid membership invoice activates the member."""
    for membership in Membership.objects.filter(invoice=invoice).select_related("organisation"):
        refresh_organisation(membership.organisation)
        contact = _primary_contact(membership.organisation)
        if contact and contact.email:
            queue_email(key=f"membership-paid:{membership.pk}", to=contact.email,
                        template="membership_active", language=contact.language,
                        organisation=membership.organisation,
                        context={"membership": membership})


@transaction.atomic
def renewal_create(*, membership, actor=None):
    """Create (once) the next period and its invoice for a membership."""
    mtype = membership.membership_type
    start, end = periods.next_period(kind=mtype.period_kind, previous_end=membership.period_end,
                                     fiscal_month=mtype.fiscal_start_month,
                                     fiscal_day=mtype.fiscal_start_day)
    existing = Membership.objects.live().filter(organisation=membership.organisation,
                                                period_start=start).first()
    if existing:
        return existing, False
    renewal = Membership.objects.create(
        organisation=membership.organisation, membership_type=mtype, period_start=start,
        period_end=end, status=Membership.Status.APPROVED,
        fee_cents=fee_for(mtype, membership.organisation), is_renewal=True)
    _invoice_membership(renewal, actor)
    audit.record(actor=actor, action="membership.renew", obj=renewal)
    return renewal, True


def _remind(membership, stage):
    contact = _primary_contact(membership.organisation)
    if not contact or not contact.email:
        return False
    queue_email(
        key=f"renewal-reminder:{membership.pk}:{stage}", to=contact.email,
        template="renewal_reminder", language=contact.language,
        organisation=membership.organisation,
        context={"membership": membership, "invoice": membership.invoice, "stage": stage,
                 "url": settings.SITE_URL + reverse("members:my_organisations")})
    return True


def renewals_run(*, today=None):
    """The daily job: create renewals, send reminders, move statuses. Idempotent.

    Returns counts for the command's summary.
    """
    today = today or timezone.localdate()
    summary = {"renewals": 0, "reminders": 0, "refreshed": 0}
    horizon = today + timedelta(days=RENEWAL_LEAD_DAYS)
    due = (Membership.objects.filter(status=Membership.Status.ACTIVE, period_end__lte=horizon,
                                     period_end__gte=today - timedelta(days=1),
                                     override_reason="")
           .select_related("organisation", "membership_type"))
    for m in due:
        if not m.membership_type.is_active:
            continue
        _renewal, created = renewal_create(membership=m)
        summary["renewals"] += int(created)
    unpaid = (Membership.objects.filter(is_renewal=True, invoice__status=Invoice.Status.ISSUED)
              .exclude(status__in=["cancelled", "refused", "lapsed"])
              .select_related("organisation", "invoice", "membership_type"))
    for m in unpaid:
        days_before = (m.period_start - today).days
        stages = [f"before-{d}" for d in REMINDER_DAYS_BEFORE if days_before <= d and
                  days_before >= 0]
        stages += [f"grace-{d}" for d in GRACE_REMINDER_DAYS_AFTER if -days_before >= d]
        for stage in stages[-1:]:  # only the most recent stage is due now
            if not Email.objects.filter(key=f"renewal-reminder:{m.pk}:{stage}").exists():
                summary["reminders"] += int(_remind(m, stage))
    orgs = Organisation.objects.filter(memberships__period_end__gte=today - timedelta(
        days=400)).distinct()
    for org in orgs:
        refresh_organisation(org, today)
        summary["refreshed"] += 1
    return summary


@transaction.atomic
def note_add(*, organisation, author, body, due_on=None, assigned_to=None):
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    return Note.objects.create(organisation=organisation, author=author, body=body,
                               due_on=due_on, assigned_to=assigned_to)


@transaction.atomic
def colleague_remove(*, affiliation, actor):
    """End a person's affiliation (the person and their history stay)."""
    if affiliation.is_admin and not affiliation.organisation.affiliations.filter(
            is_admin=True, ended_on__isnull=True).exclude(pk=affiliation.pk).exists():
        raise ValidationError(_("The organisation must keep at least one administrator."))
    affiliation.ended_on = timezone.localdate()
    affiliation.is_admin = False
    affiliation.save(update_fields=["ended_on", "is_admin"])
    audit.record(actor=actor, action="affiliation.end", obj=affiliation.organisation,
                 changes={"contact": str(affiliation.contact)})


def contact_for_account(*, email, first_name, last_name, language):
    """The person a new login belongs to (accounts' invitations): the known person with this
    email, never an applicant awaiting review or an anonymised person (issue #11, finding 9),
    else a new one."""
    return Contact.objects.with_email(email).first() or \
        Contact.objects.create(first_name=first_name, last_name=last_name, email=email,
                               language=language)


def affiliation_join(*, contact_id, organisation_id, admin=False):
    """Make a person a current member of an organisation's team (an accepted invitation);
    ``admin`` makes them one of its administrators, never takes that away."""
    affiliation, _created = Affiliation.objects.get_or_create(
        contact_id=contact_id, organisation_id=organisation_id, ended_on__isnull=True)
    if admin and not affiliation.is_admin:
        affiliation.is_admin = True
        affiliation.save(update_fields=["is_admin"])
    return affiliation


def renewal_offer(organisation, today=None):
    """The membership a company admin may renew now, or None.

    Renewal opens 60 days before the period ends, stays open in grace, and a lapsed
    member may start again; never while another period is invoiced or ahead.
    """
    today = today or timezone.localdate()
    live = list(organisation.memberships.live().select_related("membership_type")
                .order_by("period_start"))
    if not live:
        return None
    latest = live[-1]
    if latest.status in ("applied", "approved", "invoiced"):
        return None
    if latest.status == "active" and latest.period_end > today + timedelta(days=60):
        return None
    return latest


@transaction.atomic
def membership_renew_now(*, organisation, actor):
    """A company admin renews from their page: the next period (or, once lapsed, the
    current one) is created with its invoice."""
    today = timezone.localdate()
    latest = renewal_offer(organisation, today)
    if latest is None:
        raise ValidationError(_("There is nothing to renew right now."))
    mtype = latest.membership_type
    if latest.status == "lapsed" and latest.period_end < today:
        start, end = _period(mtype, today)
        membership = Membership.objects.create(
            organisation=organisation, membership_type=mtype, period_start=start,
            period_end=end, status=Membership.Status.APPROVED,
            fee_cents=fee_for(mtype, organisation), applied_at=timezone.now())
        _invoice_membership(membership, actor)
        audit.record(actor=actor, action="membership.restart", obj=membership)
    else:
        membership, _created = renewal_create(membership=latest, actor=actor)
    refresh_organisation(organisation)
    return membership
