"""Memberships: fees and periods, the membership invoice, statuses recomputed from payments and
dates (the organisation's status follows), a staff override, the paid-invoice receiver."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.billing import services as billing
from alliage.billing.models import Invoice
from alliage.core import audit, roles
from alliage.core.mail import queue_email
from alliage.members import cache as directory_cache
from alliage.members import periods
from alliage.members.models import (
    Membership,
    MemberStatus,
    Organisation,
)


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


def _primary_contact(org):
    aff = (org.affiliations.filter(ended_on__isnull=True)
           .order_by("-is_billing", "-is_admin", "-is_primary", "pk")
           .select_related("contact").first())
    return aff.contact if aff else None


def _mail_primary_contact(membership, *, key, template, context):
    """Queue ``template`` to the organisation's primary contact, in their language and filed
    under the organisation. False when it has no one with an email to tell."""
    contact = _primary_contact(membership.organisation)
    if not contact or not contact.email:
        return False
    queue_email(key=key, to=contact.email, template=template, language=contact.language,
                organisation=membership.organisation, context=context)
    return True


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
        roles.forget_roles()  # update() sends no signal: member roles follow the status
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
        _mail_primary_contact(membership, key=f"membership-paid:{membership.pk}",
                              template="membership_active", context={"membership": membership})
