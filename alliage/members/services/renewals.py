"""Renewals: the next period and its invoice, reminders, the daily job, renewing from the
company's page."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.billing.models import Invoice
from alliage.core import audit
from alliage.core.models import Email
from alliage.members import periods
from alliage.members.models import (
    Membership,
    Organisation,
)
from alliage.members.services.memberships import (
    _invoice_membership,
    _mail_primary_contact,
    _period,
    fee_for,
    refresh_organisation,
)

REMINDER_DAYS_BEFORE = (30, 7)
GRACE_REMINDER_DAYS_AFTER = (15,)
RENEWAL_LEAD_DAYS = 30


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
    return _mail_primary_contact(
        membership, key=f"renewal-reminder:{membership.pk}:{stage}", template="renewal_reminder",
        context={"membership": membership, "invoice": membership.invoice, "stage": stage,
                 "url": settings.SITE_URL + reverse("members:my_organisations")})


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
