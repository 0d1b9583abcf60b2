from django.db import transaction
from django_tasks import task


@task(queue_name="reports")
def render_certificate_pdf(certificate_id: int) -> str:
    """Render a certificate once (it never changes after issue)."""
    from alliage.core.pdfstore import store_once
    from alliage.events.models import Certificate
    from alliage.events.pdf import certificate_pdf_bytes

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return "missing"
    return store_once(certificate, render=certificate_pdf_bytes,
                      filename=lambda locked: f"attestation-{locked.code}.pdf")


@task(queue_name="reports")
def render_badges_pdf(event_id: int, registration_ids: list, path: str) -> str:
    """Badges for a fixed list of registrations, written once under ``path``."""
    from pathlib import Path

    from django.conf import settings

    from alliage.events.models import Event, Registration
    from alliage.events.pdf import badges_pdf_bytes

    target = Path(settings.MEDIA_ROOT) / path
    if target.exists():
        return "exists"
    event = Event.objects.get(pk=event_id)
    registrations = Registration.objects.filter(pk__in=registration_ids).select_related(
        "contact", "order__organisation").order_by("contact__last_name", "contact__first_name")
    content = badges_pdf_bytes(event, registrations)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(target)  # atomic: a reader never sees half a file
    return "rendered"


@task()
def order_placed(order_id: int, notify_attendees: bool = True) -> str:
    """What follows an order, off the request (``services.order_create`` enqueues it with
    the order, so it runs only once the order committed): each attendee still holding a
    seat is told ("confirmed" or "waiting for approval"), then the draft invoice is numbered
    and sent (``issue_order_invoice``). Idempotent: the emails are keyed per registration
    and template, an issued invoice is not issued again."""
    from alliage.events.models import Order, Registration
    from alliage.events.notify import notify

    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return "missing"
    told = 0
    templates = {Registration.Status.CONFIRMED: "registration_confirmed",
                 Registration.Status.PENDING: "registration_pending"}
    if notify_attendees:
        for registration in order.registrations.holding_a_seat().select_related(
                "contact", "event", "order__organisation"):
            notify(registration, templates[registration.status])
            told += 1
    issued = _issue_order_invoice(order_id)
    return f"told {told}, invoice {issued}"


@task()
def issue_order_invoice(order_id: int) -> str:
    """Number and issue an event order's draft invoice (once)."""
    return _issue_order_invoice(order_id)


def _issue_order_invoice(order_id):
    from alliage.billing.services import invoice_issue
    from alliage.events.models import Order

    with transaction.atomic():
        order = Order.objects.select_related("invoice").filter(pk=order_id).first()
        if order is None or order.invoice is None:
            return "missing"
        if not order.invoice.is_draft:
            return "already issued"
        if order.billing_review:
            return "waits for staff"
        invoice = invoice_issue(invoice=order.invoice)
        _mail_invoice(order, invoice)
    return "issued"


def _mail_invoice(order, invoice):
    """The event order's invoice, to whom pays it, with "Pay online" when a provider is on
    (the signed link is sent, never stored: ``SECRET_CONTEXT``). Keyed per invoice."""
    from django.conf import settings
    from django.urls import reverse

    from alliage.billing.payviews import pay_url_for
    from alliage.billing.providers import can_pay_online
    from alliage.core.mail import queue_email

    if not invoice.bill_to_email:
        return
    pay = pay_url_for(invoice) if can_pay_online(invoice) else ""
    if order.is_guest:  # the visitor's own page, by its signed link
        from alliage.events.guest import order_url

        see = settings.SITE_URL + order_url(order)
    else:
        see = settings.SITE_URL + reverse("members:my_billing", args=[invoice.organisation_id])
    queue_email(key=f"event-invoice:{invoice.pk}", to=invoice.bill_to_email,
                template="event_invoice", language=invoice.language,
                organisation=invoice.organisation,
                context={"invoice": invoice, "event": order.event, "pay_url": pay,
                         "billing_url": see})


@task(queue_name="mail")
def notify_event_change(event_id: int, fingerprint: str) -> int:
    """Tell every registered person that the event changed (once per version of it)."""
    from alliage.core.mail import queue_email
    from alliage.events.models import Event, Registration

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    sent = 0
    for r in Registration.objects.holding_a_seat().filter(event=event).select_related(
            "contact", "order__organisation"):
        if r.contact.email:
            queue_email(key=f"event-change:{event.pk}:{fingerprint}:{r.pk}", to=r.contact.email,
                        template="event_changed", language=r.contact.language,
                        organisation=r.order.organisation,
                        context={"event": event, "registration": r})
            sent += 1
    return sent
