"""Registration rules: seats are counted under a row lock, so capacity is never exceeded.

Seats taken = registrations holding a seat (pending or confirmed) + waitlist offers not
yet expired. A group order is all or nothing: either every attendee gets a seat or none.

Here: events saved and cancelled, orders, registrations, the waitlist, the daily job. The
door is in ``checkin``, attendance and certificates in ``certificates``; their services are
also reachable from here (``services.check_in``...), as callers have always used them.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliage.billing import services as billing
from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.core.roles import is_staff
from alliage.core.text import unique_slug
from alliage.events.certificates import attendance_record as attendance_record
from alliage.events.certificates import attended_hours as attended_hours
from alliage.events.certificates import certificate_eligible as certificate_eligible
from alliage.events.certificates import certificates_issue as certificates_issue
from alliage.events.checkin import check_in as check_in
from alliage.events.checkin import desk_admit as desk_admit
from alliage.events.models import Event, Order, Registration, WaitlistEntry
from alliage.events.notify import notify, notify_once
from alliage.events.selectors import seat_figures


class EventFull(ValidationError):
    """Not enough seats left for the whole order."""


def _active_offers(event, now):
    return event.waitlist.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=now)


def seats_taken(event, now=None, ticket_type=None):
    now = now or timezone.now()
    regs = Registration.objects.holding_a_seat().filter(event=event)
    offers = _active_offers(event, now)
    if ticket_type is not None:
        regs, offers = regs.filter(ticket_type=ticket_type), offers.filter(ticket_type=ticket_type)
    return regs.count() + offers.count()


def seats_left(event, now=None):
    """Seats still free (None when the event has no limit)."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - seats_taken(event, now))


def _is_member_of(organisation):
    return organisation is not None and organisation.is_member


def _check_fits(event, ticket_type, count, figures, *, exclude_offer=None):
    """Raise EventFull unless ``count`` more seats fit (0: check what is already written)."""
    taken = figures["taken"] - (1 if exclude_offer else 0)
    if event.capacity is not None and taken + count > event.capacity:
        raise EventFull(_("Not enough seats: left %(left)s, asked %(asked)s.")
                        % {"left": max(0, event.capacity - taken), "asked": count})
    if ticket_type.quota is not None:
        used = figures["type_taken"] - (1 if exclude_offer else 0)
        if used + count > ticket_type.quota:
            raise EventFull(_("No more tickets of this type."))


def _check_sessions(event, chosen, adding, figures):
    """Raise EventFull when a chosen session (or every session, for "all") is full.

    A registration with no session chosen attends every session. Nothing to count when no
    session of the event has a capacity of its own."""
    from django.db.models import Q

    if not figures["capped_sessions"]:
        return
    targets = chosen or list(event.sessions.filter(capacity__isnull=False))
    for session in targets:
        if session.capacity is None:
            continue
        held = (Registration.objects.holding_a_seat().filter(event=event)
                .filter(Q(sessions=session) | Q(sessions__isnull=True)).distinct().count())
        if held + adding > session.capacity:
            raise EventFull(_("The session “%(title)s” is full.") % {"title": session.title})


def _lock(event):
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def order_create(*, event, ticket_type, buyer, attendees, organisation=None, answers=None,
                 actor=None, exclude_offer=None, sessions=None, public_price=False,
                 bill_to=None, notify_attendees=True, guest=False, billing_review=False):
    """Register ``attendees`` (Contacts) on one order, invoiced to ``organisation``.

    The order, its registrations and the draft invoice are written first, in parallel with
    other buyers; only then is the event row locked and the seats counted (this
    transaction's rows included), in one query, so the serialised part is that count and
    the commit. Too many seats: EventFull and everything rolls back. What can wait is one
    task enqueued with the order (``tasks.order_placed``, run after the commit): each
    attendee's email, then the invoice's number (numbering stays gap-free).

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
def waitlist_join(*, event, ticket_type, contact):
    if Registration.objects.holding_a_seat().filter(event=event, contact=contact).exists():
        raise ValidationError(_("You are already registered."))
    entry, _created = WaitlistEntry.objects.get_or_create(
        event=event, contact=contact, status__in=["waiting", "offered"],
        defaults={"ticket_type": ticket_type, "status": WaitlistEntry.Status.WAITING})
    return entry


def waitlist_leave(*, entry):
    WaitlistEntry.objects.filter(pk=entry.pk, status__in=["waiting", "offered"]).update(
        status=WaitlistEntry.Status.LEFT)
    waitlist_offer_next(event=entry.event)


@transaction.atomic
def waitlist_offer_next(*, event, now=None):
    """Offer free seats to the next people in line, each for a limited time."""
    now = now or timezone.now()
    event = _lock(event)
    offered = []
    while True:
        left = seats_left(event, now)
        if left is not None and left <= 0:
            break
        entry = event.waitlist.filter(status=WaitlistEntry.Status.WAITING).order_by(
            "joined_at", "pk").select_for_update().first()
        if entry is None:
            break
        entry.status = WaitlistEntry.Status.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = now + timedelta(hours=event.waitlist_offer_hours)
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        if entry.contact.email:
            queue_email(key=f"waitlist-offer:{entry.pk}", to=entry.contact.email,
                        template="waitlist_offer", language=entry.contact.language,
                        context={"entry": entry, "event": event,
                                 "accept_path": reverse("events:waitlist_accept",
                                                        args=[entry.token])})
        offered.append(entry)
    return offered


def waitlist_expire(*, now=None):
    """The periodic job: end offers past their deadline and offer the seats again."""
    now = now or timezone.now()
    expired = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED,
                                           offer_expires_at__lte=now)
    events = {e.event_id for e in expired}
    count = expired.update(status=WaitlistEntry.Status.EXPIRED)
    for event in Event.objects.filter(pk__in=events):
        waitlist_offer_next(event=event, now=now)
    return count


@transaction.atomic
def waitlist_accept(*, entry, actor=None, organisation=None):
    entry = WaitlistEntry.objects.select_for_update().select_related("event", "ticket_type",
                                                                     "contact").get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offer_expires_at <= timezone.now():
        raise ValidationError(_("This offer is no longer valid."))
    order = order_create(event=entry.event, ticket_type=entry.ticket_type, buyer=entry.contact,
                         attendees=[entry.contact], organisation=organisation, actor=actor,
                         exclude_offer=entry)
    entry.status = WaitlistEntry.Status.ACCEPTED
    entry.save(update_fields=["status"])
    return order


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


def daily_run(*, now=None):
    """The periodic job: expire waitlist offers, send reminders and follow-ups (once each)."""
    now = now or timezone.now()
    summary = {"offers_expired": waitlist_expire(now=now), "reminders": 0, "follow_ups": 0,
               "unpaid_released": release_unpaid_guest_seats(now=now)}
    soon = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now, event__starts_at__lte=now + timedelta(days=2)
    ).select_related("event", "contact", "order")
    for registration in soon:
        summary["reminders"] += notify_once(registration, "registration_reminder")
    done = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, checked_in_at__isnull=False,
        event__ends_at__lt=now, event__ends_at__gte=now - timedelta(days=3)
    ).select_related("event", "contact", "order")
    for registration in done:
        summary["follow_ups"] += notify_once(registration, "event_follow_up")
    return summary


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
