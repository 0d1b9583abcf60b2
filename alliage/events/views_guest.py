"""Visitors register without an account, then manage it through the signed link mailed to
them (see ``events.guest``)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.billing.providers import get_provider
from alliage.core import confirm, pdfwait, throttle
from alliage.core.http import posted
from alliage.events import guest, services
from alliage.events.forms import GuestRegistrationForm
from alliage.events.models import Event


def _private(response):
    """A page reached by a secret link: never cached, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def register(request, slug):
    """The public registration form of an event open to non-members."""
    event = get_object_or_404(Event.objects.visible_to(AnonymousUser()), slug=slug)
    if not guest.admits_visitors(event):
        raise Http404
    if request.user.is_authenticated and request.user.contact_id:
        return redirect(event.get_absolute_url())  # people with an account register there
    form = GuestRegistrationForm(posted(request), event=event, questions=event.questions)
    is_open = event.registration_open()
    if request.method == "POST" and is_open and form.is_valid():
        wait = throttle.attempt(request, "guest_registration",
                                address=form.cleaned_data["email"])
        if wait:
            throttle.refuse(form, wait)
            return throttle.mark(render(request, "events/guest_register.html", {
                "event": event, "form": form, "open": is_open}), wait)
        try:
            order = guest.guest_order_create(
                event=event, ticket_type=form.cleaned_data["ticket_type"],
                person=form.person(get_language()), company=form.company_data(),
                answers=form.answers(event.questions),
                sessions=form.cleaned_data.get("sessions"))
        except services.EventFull as exc:
            form.add_error(None, exc)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Registration recorded: a confirmation with your "
                                        "access link is on its way by email."))
            return redirect(guest.order_url(order))
    return render(request, "events/guest_register.html",
                  {"event": event, "form": form, "open": is_open,
                   "seats_left": services.seats_left(event)})


def _order(token):
    order = guest.order_from_token(token)
    if order is None:
        raise Http404
    return order


def order(request, token):
    """What the link holder registered: seats, invoice, payment, cancellation, account."""
    order = _order(token)
    invoice = order.invoice
    return _private(render(request, "events/guest_order.html", {
        "order": order, "event": order.event, "token": token, "invoice": invoice,
        "registrations": order.registrations.select_related("contact", "ticket_type"),
        "balance": invoice.balance_cents() if invoice is not None and not invoice.is_draft
        else None,
        "may_cancel": services.cancellable(order.event),
        "pay_by": order.created_at + timedelta(days=settings.GUEST_PAYMENT_DAYS)
        if get_provider().online else None,
        "has_account": get_user_model().objects.filter(
            email__iexact=order.buyer.email).exists(),
    }))


@require_POST
def cancel(request, token, pk):
    order = _order(token)
    registration = order.registrations.filter(pk=pk).select_related("contact").first()
    if registration is not None and (asked := confirm.ask(
            request, _("Cancel the registration of %(name)s?")
            % {"name": registration.contact.full_name})):
        return asked
    try:
        guest.guest_cancel(order=order, registration_pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registration is cancelled; a credit note cancels "
                                    "its invoice line."))
    return redirect(guest.order_url(order))


def invoice_pdf(request, token):
    order = _order(token)
    invoice = order.invoice
    if invoice is None or invoice.is_draft:
        raise Http404
    if not invoice.pdf:
        from alliage.billing.tasks import render_invoice_pdf

        return _private(pdfwait.pending(
            request, title=invoice.number,
            enqueue=lambda: render_invoice_pdf.enqueue(invoice.pk)))
    if poll := pdfwait.ready(request):
        return _private(poll)
    try:
        handle = invoice.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _private(FileResponse(handle, content_type="application/pdf",
                                 filename=f"{invoice.number}.pdf"))


@require_POST
def account(request, token):
    order = _order(token)
    try:
        guest.guest_account_invite(order=order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("An invitation to create your account was sent to "
                                    "%(email)s.") % {"email": order.buyer.email})
    return redirect(guest.order_url(order))
