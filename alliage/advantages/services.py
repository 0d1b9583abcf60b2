"""Advantage programs: enrolment (with its invoice), yearly renewal, the provider's
aggregated figures, partner discount claims. Group purchases are in ``purchasing``, pooled
resources in ``pooling``, collection rounds in ``collection``."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.advantages import pricing
from alliage.advantages.models import (
    Advantage,
    DiscountClaim,
    Enrolment,
    PricingRule,
    UsageReport,
)
from alliage.billing import services as billing
from alliage.core import audit
from alliage.core.mail import queue_email

RENEW_DAYS_AHEAD = 30
# An enrolment's price is kept in an integer column (PostgreSQL: up to 2 147 483 647 cents).
MAX_PRICE_CENTS = 2_000_000_000


def admin_contacts(organisation):
    """The people who manage ``organisation`` and have an address (recipients of mail)."""
    from alliage.members.models import Contact

    return (Contact.objects.active().filter(
        affiliations__organisation=organisation, affiliations__is_admin=True,
        affiliations__ended_on__isnull=True).exclude(email="").distinct().order_by("pk"))


def price_for(advantage, employees):
    """The yearly price of ``advantage`` for a company of ``employees``; a translated
    ValidationError when the count is not covered."""
    bands = [pricing.SizeBand(t.min_employees, t.max_employees, t.price_cents)
             for t in advantage.tiers.all()]
    try:
        price = pricing.yearly_price(advantage.pricing_rule, price_cents=advantage.price_cents,
                                     employees=employees, bands=bands)
    except pricing.NoTier:
        raise ValidationError(ngettext(
            "No price is set for a company of %(n)s employee: please contact the association.",
            "No price is set for a company of %(n)s employees: please contact the association.",
            employees) % {"n": employees}) from None
    except ValueError:
        raise ValidationError(_("The number of employees must be at least 1.")) from None
    if price > MAX_PRICE_CENTS:
        raise ValidationError(_("This price is too high to be invoiced online: please contact "
                                "the association."))
    return price


def one_year(start):
    """The last day of the yearly period starting on ``start``."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def _line(advantage, employees, start, end):
    if advantage.pricing_rule == PricingRule.PER_EMPLOYEE:
        return billing.Line(_("%(program)s — %(start)s to %(end)s — per employee") % {
            "program": advantage.name_fr, "start": start, "end": end},
            advantage.price_cents, employees)
    return billing.Line(ngettext("%(program)s — %(start)s to %(end)s — %(n)s employee",
                                 "%(program)s — %(start)s to %(end)s — %(n)s employees",
                                 employees) % {
        "program": advantage.name_fr, "start": start, "end": end, "n": employees},
        price_for(advantage, employees))


def _tell_enrolled(enrolment):
    """Confirm an enrolment (or its renewal) to each admin of the company, in their language:
    period, employees, hours included, price and invoice number."""
    for contact in admin_contacts(enrolment.organisation):
        queue_email(key=f"advantage-enrolled-{enrolment.pk}-{contact.pk}", to=contact.email,
                    template="advantages_enrolled", language=contact.language or "fr-ca",
                    organisation=enrolment.organisation, context={"enrolment": enrolment})


def _create(*, advantage, organisation, employees, start, actor, renewed_from=None):
    price = price_for(advantage, employees)
    end = one_year(start)
    enrolment = Enrolment.objects.create(
        advantage=advantage, organisation=organisation, employees=employees,
        period_start=start, period_end=end, price_cents=price, renewed_from=renewed_from,
        enrolled_by=actor if getattr(actor, "is_authenticated", False) else None)
    if price > 0:
        enrolment.invoice = billing.invoice_create(
            organisation=organisation, lines=[_line(advantage, employees, start, end)],
            source=f"advantage:{enrolment.pk}", actor=actor)
        enrolment.save(update_fields=["invoice"])
    _tell_enrolled(enrolment)
    return enrolment


@transaction.atomic
def enrolment_create(*, advantage, organisation, employees, actor, on=None):
    """Enrol a member company in a program for one year from ``on`` (today), with its
    invoice. Only members in good standing; one current enrolment per program."""
    from alliage.members.models import Organisation

    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    on = on or timezone.localdate()
    if advantage.kind != Advantage.Kind.PROGRAM or not advantage.is_active:
        raise ValidationError(_("This advantage takes no enrolment."))
    if not organisation.is_member:
        raise PermissionDenied(_("Only member companies in good standing may enrol."))
    if Enrolment.objects.filter(advantage=advantage, organisation=organisation,
                                status=Enrolment.Status.ACTIVE, period_end__gte=on).exists():
        raise ValidationError(_("Your company is already enrolled in this program."))
    enrolment = _create(advantage=advantage, organisation=organisation, employees=employees,
                        start=on, actor=actor)
    audit.record(actor=actor, action="advantage.enrol", obj=enrolment,
                 changes={"employees": employees, "price_cents": enrolment.price_cents})
    return enrolment


@transaction.atomic
def enrolment_renew(*, enrolment, actor=None, employees=None):
    """The next year's enrolment (same employees unless given) with its invoice; once per
    enrolment (a second call returns the renewal already made)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    existing = Enrolment.objects.filter(renewed_from=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise ValidationError(_("A cancelled enrolment is not renewed."))
    if not enrolment.advantage.is_active:
        raise ValidationError(_("This program is no longer offered: it is not renewed."))
    if not enrolment.organisation.is_member:
        raise PermissionDenied(_("Only member companies in good standing may enrol."))
    renewal = _create(advantage=enrolment.advantage, organisation=enrolment.organisation,
                      employees=employees or enrolment.employees,
                      start=enrolment.period_end + timedelta(days=1), actor=actor,
                      renewed_from=enrolment)
    audit.record(actor=actor, action="advantage.renew", obj=renewal,
                 changes={"employees": renewal.employees, "price_cents": renewal.price_cents})
    return renewal


@transaction.atomic
def enrolment_cancel(*, enrolment, actor):
    """Stop an enrolment from renewing (the year paid stays covered)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status"])
    audit.record(actor=actor, action="advantage.cancel", obj=enrolment)
    return enrolment


def renew_due(*, today=None):
    """Renew every active enrolment of a running program ending within 30 days, of a
    company still a member (idempotent: each is renewed once). Returns the renewals made."""
    today = today or timezone.localdate()
    due = (Enrolment.objects.filter(status=Enrolment.Status.ACTIVE, renewal__isnull=True,
                                    period_end__lte=today + timedelta(days=RENEW_DAYS_AHEAD),
                                    period_end__gte=today - timedelta(days=1),
                                    advantage__is_active=True,
                                    organisation__member_status__in=["active", "grace"])
           .select_related("advantage", "organisation"))
    made = []
    for enrolment in due:
        made.append(enrolment_renew(enrolment=enrolment))
    return made


@transaction.atomic
def usage_report_save(*, advantage, year, quarter, sessions, hours, actor):
    """Staff type the provider's aggregated figures for one quarter (replacing any)."""
    if not 1 <= quarter <= 4:
        raise ValidationError(_("The quarter is between 1 and 4."))
    report, _created = UsageReport.objects.update_or_create(
        advantage=advantage, year=year, quarter=quarter,
        defaults={"sessions": sessions, "hours": hours, "entered_by": actor})
    audit.record(actor=actor, action="advantage.usage", obj=advantage,
                 changes={"period": f"{year}-T{quarter}", "sessions": sessions,
                          "hours": str(hours)})
    return report


@transaction.atomic
def discount_claim(*, advantage, organisation, contact):
    """A member person claims a partner discount: counted, and its code is shown. A second
    claim by the same person the same day (a double click, a reload) counts once."""
    advantage = Advantage.objects.select_for_update().get(pk=advantage.pk)
    if advantage.kind != Advantage.Kind.DISCOUNT or not advantage.is_active:
        raise ValidationError(_("This advantage is not a discount."))
    if not organisation.is_member:
        raise PermissionDenied(_("Only member companies in good standing may use it."))
    same_day = DiscountClaim.objects.filter(
        advantage=advantage, organisation=organisation, contact=contact,
        claimed_at__date=timezone.localdate()).first() if contact is not None else None
    if same_day is not None:
        return same_day
    return DiscountClaim.objects.create(advantage=advantage, organisation=organisation,
                                        contact=contact)


def advantage_save(*, form, tiers, actor):
    """Staff save a programme with its price tiers (audited)."""
    return audit.save_form(form, actor=actor, action="advantage.save", formsets=[tiers])


def purchase_save(*, form, tiers, actor):
    """Staff save a group purchase with its volume tiers (audited)."""
    return audit.save_form(form, actor=actor, action="purchase.save", formsets=[tiers])


def resource_save(*, form, actor):
    """Staff add or change a pooled resource (audited)."""
    action = "resource.save" if form.instance.pk else "resource.create"
    return audit.save_form(form, actor=actor, action=action)
