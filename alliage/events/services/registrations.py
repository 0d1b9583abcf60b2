"""Orders and registrations: an order of several attendees on one invoice (all or nothing:
either every attendee gets a seat or none), a registration cancelled or decided by staff,
unpaid visitors' seats released."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliage.billing import services as billing
from alliage.core import audit
from alliage.core.roles import is_staff
from alliage.events.models import Order, Registration
from alliage.events.notify import notify
from alliage.events.selectors import seat_figures
from alliage.events.services.capacity import _check_fits, _check_sessions, _is_member_of, _lock
from alliage.events.services.waitlist import waitlist_offer_next


def order_create(*, event, ticket_type, buyer, attendees, organisation=None, answers=None,
                 actor=None, exclude_offer=None, sessions=None, public_price=False,
                 bill_to=None, notify_attendees=True, guest=False, billing_review=False):
    """Register ``attendees`` (Contacts) on one order, invoiced to ``organisation``.

    A visibly full event (or a person already registered) is answered from one read,
    before any transaction. Otherwise the order, its registrations and the draft invoice
    are written first, in parallel with other buyers; only then is the event row locked
    and the seats counted (this transaction's rows included), in one round trip, so the
    serialised part is that count, the task's row and the commit. Too many seats:
    EventFull and everything rolls back. What can wait is one task enqueued with the order
    (``tasks.order_placed``, run after the commit): each attendee's email, then the
    invoice's number (numbering stays gap-free).

    ``public_price``: the non-member price whatever ``organisation`` is (a visitor's public
    registration proves no tie to the company it names). ``bill_to``: the payer's own
    ``(name, address, email)`` for the invoice. ``guest``: a visitor without an account;
    ``billing_review``: its invoice stays a draft until staff say who pays (``events.guest``).
    """
    now = timezone.now()
    if not event.registration_open(now):
        raise ValidationError(_("Registration for this event is closed."))
    if ticket_type.event_id != event.pk:
        raise ValidationError(_("This ticket is not for this event."))
    if not attendees:
        raise ValidationError(_("Add at least one attendee."))
    member = False if public_price else _is_member_of(organisation)
    if (event.members_only or ticket_type.members_only) and not member:
        raise PermissionDenied(_("This event is for members only."))
    contact_ids = [c.pk for c in attendees]
    if len(set(contact_ids)) != len(contact_ids):
        raise ValidationError(_("The same person is listed twice."))
    sessions = list(sessions or [])
    if any(s.event_id != event.pk for s in sessions):
        raise ValidationError(_("This session is not part of this event."))
    # Fast answer when the event is visibly full; the locked count below decides.
    figures = seat_figures(event.pk, now, ticket_type_id=ticket_type.pk, contact_ids=contact_ids)
    if figures["already"]:
        names = ", ".join(str(r.contact) for r in Registration.objects.holding_a_seat()
                          .filter(event=event, contact_id__in=contact_ids)
                          .select_related("contact"))
        raise ValidationError(_("Already registered: %(names)s.") % {"names": names})
    _check_fits(event, ticket_type, len(attendees), figures, exclude_offer=exclude_offer)
    _check_sessions(event, sessions, len(attendees), figures)
    with transaction.atomic():
        order = Order.objects.create(event=event, buyer=buyer, organisation=organisation,
                                     is_member_price=member, is_guest=guest,
                                     billing_review=billing_review,
                                     created_by=actor if getattr(actor, "is_authenticated", False)
                                     else None)
        price = ticket_type.price_for(member)
        status = Registration.Status.PENDING if event.requires_approval else \
            Registration.Status.CONFIRMED
        registrations = Registration.objects.bulk_create([Registration(
            order=order, event=event, ticket_type=ticket_type, contact=c, status=status,
            price_cents=price, answers=(answers or {}).get(c.pk, {})) for c in attendees])
        if sessions:
            for r in registrations:
                r.sessions.set(sessions)
        if price and organisation is not None:
            with translation.override(buyer.language):
                lines = [billing.Line(f"{event.title} — {ticket_type.name} — {r.contact.full_name}",
                                      price, 1, ticket_type.taxable) for r in registrations]
            order.invoice = billing.invoice_create(organisation=organisation, lines=lines,
                                                   language=buyer.language, issue=False,
                                                   source=f"event-order:{order.pk}", actor=actor,
                                                   bill_to=bill_to)
            order.save(update_fields=["invoice"])
        audit.record(actor=actor, action="event.order", obj=event,
                     changes={"order": order.pk, "attendees": len(registrations)})
        locked = seat_figures(event.pk, now, ticket_type_id=ticket_type.pk, lock=True)
        _check_fits(event, ticket_type, 0, locked, exclude_offer=exclude_offer)
        _check_sessions(event, sessions, 0, locked)
        issue = bool(order.invoice_id) and not billing_review
        if notify_attendees or issue:
            from alliage.events.tasks import order_placed

            order_placed.enqueue(order.pk, notify_attendees)
    return order


def cancellable(event, now=None):
    """Whether attendees may still cancel themselves (staff always may)."""
    return (now or timezone.now()) <= (event.cancellation_deadline or event.starts_at)


@transaction.atomic
def registration_cancel(*, registration, actor, enforce_deadline=True):
    """Cancel one attendee (credit note for their line) and offer the seat to the waitlist."""
    registration = Registration.objects.select_related("event", "order").select_for_update() \
        .get(pk=registration.pk)
    event = _lock(registration.event)
    if registration.status not in (Registration.Status.PENDING, Registration.Status.CONFIRMED):
        raise ValidationError(_("This registration is already cancelled."))
    if enforce_deadline and not cancellable(event) and not is_staff(actor):
        raise ValidationError(_("The cancellation deadline has passed; contact the "
                                "association."))
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    invoice = registration.order.invoice
    if invoice is not None and invoice.is_draft and registration.order.billing_review:
        # A visitor's single seat whose billing awaited staff: never issued, nothing to
        # credit, the draft goes.
        billing.draft_delete(invoice=invoice)
        invoice = None
    if invoice is not None and invoice.is_draft:  # its numbering task has not run yet
        invoice = billing.invoice_issue(invoice=invoice, actor=actor)
    note = None
    if invoice is not None and registration.price_cents and invoice.status != "cancelled":
        paid_before = invoice.paid_cents()
        note = billing.credit_note_create(invoice=invoice, actor=actor,
                                          amount_cents=registration.price_cents,
                                          refund="later", reason=_("Cancellation: %(name)s")
                                          % {"name": registration.contact.full_name})
    notify(registration, "registration_cancelled", {
        "credit_note": note, "refunded": note is not None and paid_before > 0
        and invoice.payments.filter(method="online").exists()})
    audit.record(actor=actor, action="event.cancel", obj=event,
                 changes={"registration": registration.pk})
    waitlist_offer_next(event=event)
    return registration


@transaction.atomic
def registration_decide(*, registration, actor, approve):
    """Staff approve (confirm) or refuse a registration waiting for approval."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(_("This registration is not waiting for approval."))
    registration.status = Registration.Status.CONFIRMED if approve else \
        Registration.Status.REFUSED
    registration.save(update_fields=["status"])
    invoice = registration.order.invoice
    if not approve and invoice is not None and invoice.is_draft:
        invoice = billing.invoice_issue(invoice=invoice, actor=actor)
    if not approve and invoice is not None and registration.price_cents \
            and invoice.status in ("issued", "paid"):
        billing.credit_note_create(invoice=invoice, actor=actor, refund="later",
                                   amount_cents=registration.price_cents,
                                   reason=_("Registration refused: %(name)s")
                                   % {"name": registration.contact.full_name})
    notify(registration, "registration_confirmed" if approve else "registration_refused")
    audit.record(actor=actor, action="event.approve" if approve else "event.refuse",
                 obj=registration.event, changes={"registration": registration.pk})
    if not approve:
        waitlist_offer_next(event=registration.event)
    return registration


def release_unpaid_guest_seats(*, now=None):
    """Free the seats of visitors who registered without an account and did not pay online
    within ``GUEST_PAYMENT_DAYS`` (their registration is cancelled with its credit note and
    they are told; the waitlist is offered the seat). Only when online payment is on: with
    cheques and transfers, staff follow up themselves. Idempotent: a cancelled seat is not
    held any more."""
    from django.conf import settings

    from alliage.billing.providers import get_provider

    if not get_provider().online:
        return 0
    now = now or timezone.now()
    due = Registration.objects.holding_a_seat().filter(
        order__is_guest=True, order__billing_review=False, order__invoice__status="issued",
        order__created_at__lt=now - timedelta(days=settings.GUEST_PAYMENT_DAYS),
        event__starts_at__gt=now).select_related("order__invoice")
    released = 0
    for registration in due:
        if registration.order.invoice.balance_cents() <= 0:
            continue
        registration_cancel(registration=registration, actor=None, enforce_deadline=False)
        released += 1
    return released
