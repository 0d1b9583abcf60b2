"""Staff's writes on a whole event: saved with its inline formsets, or cancelled (every seat
released and credited, the waitlist closed)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.billing import services as billing
from alliage.core import audit
from alliage.core.text import unique_slug
from alliage.events.models import Event, Registration, WaitlistEntry
from alliage.events.notify import notify
from alliage.events.services.capacity import _lock


@transaction.atomic
def event_cancel(*, event, actor, reason):
    """Cancel a whole event: every seat is released and credited, the waitlist closed.

    Attendees hear about it through the change notice (status change)."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the cancellation."))
    event = _lock(event)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is already cancelled."))
    now = timezone.now()
    credited = 0
    event.status = Event.Status.CANCELLED
    # Told here, while their registrations still hold seats: the change notice that the
    # status change triggers after commit only reaches people who still hold one.
    for registration in Registration.objects.holding_a_seat().filter(event=event) \
            .select_related("contact", "order__organisation"):
        notify(registration, "event_changed", {"event": event})
    for order in event.orders.select_related("invoice"):
        holding = order.registrations.filter(status__in=[Registration.Status.PENDING,
                                                         Registration.Status.CONFIRMED])
        amount = sum(r.price_cents for r in holding)
        holding.update(status=Registration.Status.CANCELLED, cancelled_at=now)
        invoice = order.invoice
        if invoice is not None and amount:
            if invoice.is_draft:
                invoice = billing.invoice_issue(invoice=invoice, actor=actor)
            if invoice.status != "cancelled":
                billing.credit_note_create(invoice=invoice, actor=actor, amount_cents=amount,
                                           reason=reason, refund="later")
                credited += 1
    event.waitlist.filter(status__in=["waiting", "offered"]).update(
        status=WaitlistEntry.Status.LEFT)
    event.save()
    audit.record(actor=actor, action="event.cancel_all", obj=event, reason=reason,
                 changes={"credit_notes": credited})
    return credited


def _unique_slug(title):
    """A slug from the French title, numbered when another event already has it."""
    return unique_slug(Event.objects.all(), title, default="activite")


@transaction.atomic
def event_save(*, form, formsets, actor, request=None):
    """Save a valid staff event form with its valid inline formsets (ticket types, sessions,
    sponsors), all or nothing, and audit it. A new event gets a unique slug from its French
    title; an existing one keeps its slug (links and tickets point to it)."""
    creating = form.instance.pk is None
    event = form.save(commit=False)
    if creating:
        event.slug = _unique_slug(event.title_fr)
    event.save()
    for formset in formsets:
        formset.instance = event
        formset.save()
    audit.record(actor=actor, action="event.create" if creating else "event.update",
                 obj=event, request=request)
    return event
