"""Group purchases: pledges under the campaign's row lock, closing at the deadline.

Every pledge and the closing lock the campaign row (``select_for_update``): pledges are
written one after the other, so the committed total is exactly the sum of the last
quantities, and a pledge arriving while the campaign closes either gets in before the close
(and is in the order) or is refused after it. Each change is kept (``PledgeChange``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliage.advantages import pricing
from alliage.advantages.models import GroupPurchase, Pledge, PledgeChange
from alliage.core import audit
from alliage.core.mail import queue_email

MAX_QUANTITY = 1_000_000


class PledgesClosed(ValidationError):
    """The campaign no longer accepts pledges."""


def tiers_of(purchase):
    return [pricing.VolumeTier(t.min_quantity, t.unit_price_cents)
            for t in purchase.tiers.all()]


def progress(purchase, *, own=0, total=None):
    """The campaign's figures now (see ``pricing.progress``)."""
    total = purchase.committed() if total is None else total
    return pricing.progress(purchase.list_price_cents, tiers_of(purchase), total, own=own)


def _lock(purchase):
    return GroupPurchase.objects.select_for_update().get(pk=purchase.pk)


@transaction.atomic
def pledge_set(*, purchase, organisation, quantity, actor, now=None):
    """Set ``organisation``'s committed quantity (0 withdraws) until the deadline."""
    now = now or timezone.now()
    purchase = _lock(purchase)
    if not purchase.accepts_pledges(now):
        raise PledgesClosed(_("Pledges for this group purchase closed on %(date)s.") % {
            "date": timezone.localtime(purchase.deadline).strftime("%Y-%m-%d %H:%M")})
    if not organisation.is_member:
        raise PermissionDenied(_("Only member companies in good standing may pledge."))
    if not 0 <= quantity <= MAX_QUANTITY:
        raise ValidationError(_("The quantity must be between 0 and %(max)s.")
                              % {"max": MAX_QUANTITY})
    pledge = Pledge.objects.filter(purchase=purchase, organisation=organisation).first()
    before = pledge.quantity if pledge else 0
    if pledge is None:
        if quantity == 0:
            return None
        pledge = Pledge.objects.create(purchase=purchase, organisation=organisation,
                                       quantity=quantity)
    elif before == quantity:
        return pledge
    else:
        pledge.quantity = quantity
        pledge.save(update_fields=["quantity", "updated_at"])
    PledgeChange.objects.create(pledge=pledge, quantity_before=before, quantity_after=quantity,
                                changed_by=actor if getattr(actor, "is_authenticated", False)
                                else None, changed_at=now)
    audit.record(actor=actor, action="purchase.pledge", obj=purchase,
                 changes={"organisation": organisation.pk, "quantity": [before, quantity]})
    return pledge


def _confirm(purchase, pledge):
    from alliage.advantages.services import admin_contacts

    for contact in admin_contacts(pledge.organisation):
        language = contact.language or "fr-ca"
        with translation.override(language):
            queue_email(key=f"purchase-{purchase.pk}-close-{pledge.pk}-{contact.pk}",
                        to=contact.email, template="advantages_purchase_closed",
                        language=language, organisation=pledge.organisation,
                        context={"purchase": purchase, "pledge": pledge})


@transaction.atomic
def purchase_close(*, purchase, now=None, actor=None):
    """Close one campaign whose deadline passed: the tier reached fixes the unit price of
    every pledge and each company is told (quantity, price, saving); below the minimum it
    fails and each company is told too. Idempotent: a closed campaign is left as it is."""
    now = now or timezone.now()
    purchase = _lock(purchase)
    if purchase.status != GroupPurchase.Status.OPEN or now < purchase.deadline:
        return purchase
    total = purchase.committed()
    pledges = list(purchase.pledges.filter(quantity__gt=0).select_related("organisation"))
    if total < purchase.minimum_quantity or not pledges:
        purchase.status = GroupPurchase.Status.FAILED
    else:
        purchase.status = GroupPurchase.Status.CLOSED
        purchase.final_unit_price_cents = pricing.unit_price(
            purchase.list_price_cents, tiers_of(purchase), total)
        for pledge in pledges:
            pledge.unit_price_cents = purchase.final_unit_price_cents
        Pledge.objects.bulk_update(pledges, ["unit_price_cents"])
    purchase.closed_at = now
    purchase.save(update_fields=["status", "final_unit_price_cents", "closed_at"])
    audit.record(actor=actor, action="purchase.close", obj=purchase,
                 changes={"total": total, "status": purchase.status,
                          "unit_price_cents": purchase.final_unit_price_cents})
    for pledge in pledges:
        pledge.purchase = purchase
        _confirm(purchase, pledge)
    return purchase


def close_due(*, now=None):
    """Close every open campaign whose deadline passed (the periodic job)."""
    now = now or timezone.now()
    return [purchase_close(purchase=p, now=now) for p in GroupPurchase.objects.due(now)]


def order_rows(purchase):
    """The consolidated order for the supplier: one row per company with a quantity."""
    return (purchase.pledges.filter(quantity__gt=0)
            .select_related("organisation__municipality").order_by("organisation__legal_name"))
