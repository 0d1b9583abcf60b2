"""Public calendar, event pages, registration, waitlist, and the staff attendee list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alliage.core import confirm, pdfwait
from alliage.core.http import int_list, int_param, posted, uploaded
from alliage.core.models import Association
from alliage.core.roles import staff_required
from alliage.events import certificates, checkin, guest, selectors, services
from alliage.events.forms import RegistrationForm
from alliage.events.ical import calendar_for
from alliage.events.models import Event, Order, Registration, WaitlistEntry
from alliage.members.models import Organisation


def calendar(request):
    events = Event.objects.visible_to(request.user).upcoming().select_related("municipality")
    past = Event.objects.visible_to(request.user).order_by("-starts_at").filter(
        ends_at__lt=timezone.now())[:12]
    return render(request, "events/calendar.html", {"events": events, "past": past})


def detail(request, slug):
    page = selectors.event_page(request.user, slug)
    event, contact, organisation = page.event, page.contact, page.organisation
    registration, entry = page.registration, page.entry
    form = RegistrationForm(posted(request), event=event, colleagues=page.colleagues,
                            questions=event.questions, registered=registration is not None,
                            ticket_types=page.ticket_types, sessions=page.sessions)
    if request.method == "POST":
        if contact is None:
            return redirect(f"/compte/connexion/?next={request.path}")
        if form.is_valid():
            attendees = list(form.cleaned_data.get("colleagues") or [])
            if registration is None and (form.cleaned_data.get("include_me", True)
                                         or not attendees):
                attendees.insert(0, contact)
            answers = {c.pk: form.answers(event.questions) for c in attendees}
            try:
                services.order_create(event=event, ticket_type=form.cleaned_data["ticket_type"],
                                      buyer=contact, attendees=attendees,
                                      organisation=organisation, answers=answers,
                                      actor=request.user,
                                      sessions=form.cleaned_data.get("sessions"))
            except services.EventFull as exc:
                form.add_error(None, exc)
                form.full = True
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Registration recorded: a confirmation is on its "
                                            "way by email."))
                return redirect(event.get_absolute_url())
    return render(request, "events/detail.html", {
        "event": event, "form": form, "registration": registration, "entry": entry,
        "company_registrations": page.company_registrations,
        "may_cancel": services.cancellable(event),
        "admits_visitors": page.admits_visitors,
        "seats_left": page.seats_left, "open": event.registration_open(),
        "sessions": page.sessions, "ticket_types": page.ticket_types,
        "is_member": organisation is not None and organisation.is_member})


@login_required
@require_POST
def waitlist_join(request, slug):
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    if request.user.contact is None:
        raise Http404
    ticket = event.ticket_types.filter(pk=int_param(request.POST, "ticket_type")).first() or \
        event.ticket_types.first()
    try:
        services.waitlist_join(event=event, ticket_type=ticket, contact=request.user.contact)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are on the waitlist. We will write if a seat frees "
                                    "up."))
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def waitlist_leave(request, slug):
    event = get_object_or_404(Event, slug=slug)
    entry = get_object_or_404(WaitlistEntry, event=event, contact=request.user.contact,
                              status__in=["waiting", "offered"])
    services.waitlist_leave(entry=entry)
    messages.success(request, _("You left the waitlist."))
    return redirect(event.get_absolute_url())


@login_required
def waitlist_accept(request, token):
    entry = get_object_or_404(WaitlistEntry, token=token, contact=request.user.contact)
    if request.method == "POST":
        organisation = Organisation.objects.of_user(request.user).order_by(
            "-member_status").first()
        try:
            services.waitlist_accept(entry=entry, actor=request.user, organisation=organisation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your seat is confirmed."))
        return redirect(entry.event.get_absolute_url())
    return render(request, "events/waitlist_accept.html", {"entry": entry})


@login_required
@require_POST
def company_cancel(request, slug, pk):
    """A company admin cancels one of their company's registrations (a colleague's)."""
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    registration = get_object_or_404(
        selectors.company_registrations(event, Organisation.objects.administered_by(
            request.user)), pk=pk)
    if asked := confirm.ask(request, _("Cancel the registration of %(name)s?")
                            % {"name": registration.contact.full_name}):
        return asked
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registration of %(name)s is cancelled.")
                         % {"name": registration.contact.full_name})
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def cancel(request, slug):
    event = get_object_or_404(Event, slug=slug)
    registration = get_object_or_404(Registration.objects.holding_a_seat(), event=event,
                                     contact=request.user.contact)
    if asked := confirm.ask(request, _("Cancel your registration?")):
        return asked
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event.get_absolute_url())


def event_ics(request, slug):
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    return HttpResponse(calendar_for([event], event.title), content_type="text/calendar")


def calendar_ics(request):
    events = Event.objects.visible_to(request.user).order_by("starts_at")
    return HttpResponse(calendar_for(events, Association.current().short_name),
                        content_type="text/calendar")


@staff_required
def attendees(request, slug):
    event = get_object_or_404(Event, slug=slug)
    registrations = event.registrations.select_related("contact", "order__organisation",
                                                        "ticket_type")
    if q := request.GET.get("q", "").strip():
        registrations = registrations.filter(contact__last_name__icontains=q) | \
            registrations.filter(contact__first_name__icontains=q)
    return render(request, "events/attendees.html", {
        "event": event, "registrations": registrations, "q": q,
        "taken": services.seats_taken(event), "waitlist": event.waitlist.select_related(
            "contact").filter(status__in=["waiting", "offered"])})


@staff_required
@require_POST
def guest_billing(request, slug, order_id):
    """Staff settle who pays a visitor's registration made in a known company's name."""
    order = get_object_or_404(Order, pk=order_id, event__slug=slug, billing_review=True)
    bill_company = request.POST.get("bill") == "company"
    if bill_company and (asked := confirm.ask(
            request, _("Issue the invoice to %(company)s?") % {"company": order.organisation})):
        return asked
    guest.billing_decide(order=order, bill_company=bill_company, actor=request.user)
    messages.success(request, _("The invoice is issued."))
    return redirect("events:attendees", slug=slug)


@staff_required
@require_POST
def check_in(request, slug, pk):
    registration = get_object_or_404(Registration, pk=pk, event__slug=slug)
    checkin.check_in(registration=registration, actor=request.user)
    if request.htmx:
        registration.refresh_from_db()
        return render(request, "events/_checkin_cell.html", {"r": registration, "event":
                                                              registration.event})
    return redirect("events:attendees", slug=slug)


@login_required
def my_ticket(request, slug):
    """The attendee's ticket: a QR code staff scan at the door."""
    from alliage.events.pdf import qr_svg

    registration = get_object_or_404(Registration.objects.holding_a_seat().select_related(
        "event", "contact"), event__slug=slug, contact=request.user.contact)
    url = request.build_absolute_uri(reverse("events:check_in_code", args=[registration.code]))
    return render(request, "events/ticket.html", {"registration": registration,
                                                  "qr": qr_svg(url)})


@staff_required
def check_in_code(request, code):
    """Where a scanned QR code lands: confirm and record the arrival (POST)."""
    registration = get_object_or_404(Registration.objects.select_related("event", "contact"),
                                     code=code)
    if request.method == "POST":
        checkin.check_in(registration=registration, actor=request.user)
        messages.success(request, _("%(name)s is checked in.")
                         % {"name": registration.contact.full_name})
        return redirect("events:attendees", slug=registration.event.slug)
    return render(request, "events/check_in_code.html", {"r": registration})


@staff_required
@require_POST
def registration_decide(request, slug, pk):
    registration = get_object_or_404(Registration, pk=pk, event__slug=slug)
    try:
        services.registration_decide(registration=registration, actor=request.user,
                                     approve=request.POST.get("decision") == "approve")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("events:attendees", slug=slug)


@staff_required
def attendance(request, slug, session_id):
    event = get_object_or_404(Event, slug=slug)
    session = get_object_or_404(event.sessions, pk=session_id)
    registrations = event.registrations.filter(status="confirmed").select_related("contact")
    if request.method == "POST":
        ids = set(int_list(request.POST, "present"))
        certificates.attendance_record(session=session, present_ids=ids, actor=request.user)
        messages.success(request, _("Attendance saved."))
        return redirect("events:attendance", slug=slug, session_id=session.pk)
    present = set(session.attendances.filter(present=True).values_list("registration_id",
                                                                       flat=True))
    return render(request, "events/attendance.html", {
        "event": event, "session": session, "registrations": registrations,
        "present": present})


@staff_required
@require_POST
def certificates_issue(request, slug):
    event = get_object_or_404(Event, slug=slug)
    issued = certificates.certificates_issue(event=event, actor=request.user)
    messages.success(request, ngettext("%(n)s certificate issued.", "%(n)s certificates issued.",
                                               len(issued)) % {"n": len(issued)})
    return redirect("events:attendees", slug=slug)


def certificate_verify(request, code):
    """Public: anyone holding a certificate's code can check it is genuine."""
    from alliage.events.models import Certificate

    certificate = get_object_or_404(Certificate.objects.select_related(
        "registration__contact", "registration__event"), code=code)
    return render(request, "events/certificate_verify.html", {"certificate": certificate})


@login_required
def certificate_pdf(request, code):
    from django.http import FileResponse

    from alliage.core.roles import is_staff
    from alliage.events.models import Certificate
    from alliage.events.tasks import render_certificate_pdf

    certificate = get_object_or_404(Certificate, code=code)
    if not is_staff(request.user) and certificate.registration.contact_id != \
            request.user.contact_id:
        raise Http404
    if not certificate.pdf:
        # The page that waits for the PDF and opens it by itself (htmx polls, core.pdfwait).
        return pdfwait.pending(request, title=_("Certificate %(code)s") % {
            "code": certificate.code}, enqueue=lambda: render_certificate_pdf.enqueue(
            certificate.pk))
    if poll := pdfwait.ready(request):
        return poll
    return FileResponse(certificate.pdf.open("rb"), content_type="application/pdf",
                        filename=f"attestation-{certificate.code}.pdf")


@staff_required
def badges(request, slug):
    """Name badges for every confirmed attendee, prepared in the background."""
    import hashlib
    from pathlib import Path

    from django.conf import settings
    from django.http import FileResponse

    from alliage.events.tasks import render_badges_pdf

    event = get_object_or_404(Event, slug=slug)
    ids = list(event.registrations.filter(status="confirmed").values_list("pk", flat=True))
    digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:12]  # noqa: S324
    path = f"badges/{event.slug}-{digest}.pdf"
    full = Path(settings.MEDIA_ROOT) / path
    if full.exists():
        if poll := pdfwait.ready(request):
            return poll
        return FileResponse(full.open("rb"), content_type="application/pdf",
                            filename=f"porte-noms-{event.slug}.pdf")
    return pdfwait.pending(request, title=_("Name badges: %(event)s") % {"event": event.title},
                           enqueue=lambda: render_badges_pdf.enqueue(event.pk, ids, path))


@staff_required
@require_POST
def event_cancel(request, slug):
    event = get_object_or_404(Event, slug=slug)
    if asked := confirm.ask(request, _("Cancel the event for everyone and credit every "
                                       "invoice?")):
        return asked
    try:
        credited = services.event_cancel(event=event, actor=request.user,
                                         reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext("Event cancelled; %(n)s credit note issued.",
                                  "Event cancelled; %(n)s credit notes issued.", credited)
                         % {"n": credited})
    return redirect("events:attendees", slug=slug)


@staff_required
def staff_list(request):
    """Every event, filtered (when, status, type), sorted by any column, numbered pages."""
    from alliage.core.tables import configure
    from alliage.events.tables import EventFilter, EventTable, for_staff_list

    found = EventFilter(request.GET or None, queryset=Event.objects.all())
    events = found.qs if found.is_bound and found.is_valid() else found.queryset
    return render(request, "events/staff_list.html", {
        "filter": found, "table": configure(request, EventTable(for_staff_list(events)))})


@staff_required
def staff_edit(request, slug=None):
    """Create or edit an event with its ticket types and sessions, all saved together."""
    from alliage.events.forms import EventForm, session_formset, sponsor_formset, ticket_formset

    event = get_object_or_404(Event, slug=slug) if slug else Event()
    form = EventForm(posted(request), instance=event)
    tickets = ticket_formset()(posted(request), instance=event, prefix="tickets")
    sessions = session_formset()(posted(request), instance=event, prefix="sessions")
    sponsors = sponsor_formset()(posted(request), uploaded(request), instance=event,
                                 prefix="sponsors")
    if request.method == "POST" and all([form.is_valid(), tickets.is_valid(),
                                         sessions.is_valid(), sponsors.is_valid()]):
        event = services.event_save(form=form, formsets=[tickets, sessions, sponsors],
                                    actor=request.user, request=request)
        messages.success(request, _("The event was saved."))
        return redirect("events:staff_edit", slug=event.slug)
    return render(request, "events/staff_edit.html", {
        "event": event, "form": form, "tickets": tickets, "sessions": sessions,
        "sponsors": sponsors})


@staff_required
def check_in_desk(request, slug):
    """The door on a phone: scan a ticket or find a name, one tap to check in.

    Small pages, htmx partials and plain forms that also work without JavaScript."""
    event = get_object_or_404(Event, slug=slug)
    result = None
    if request.method == "POST":
        admission = checkin.desk_admit(event=event, scanned=request.POST.get("code"),
                                       actor=request.user)
        result = {"level": admission.level, "text": admission.text,
                  "r": admission.registration}
        if not request.htmx:
            getattr(messages, result["level"])(request, " ".join(filter(None, [
                result["r"] and result["r"].contact.full_name, result["text"]])))
            return redirect("events:check_in_desk", slug=slug)
    q = request.GET.get("q", "").strip()
    context = {"event": event, "q": q, "found": selectors.desk_search(event=event, q=q),
               "result": result, **selectors.desk_counts(event)}
    if request.htmx:
        template = "events/_desk_result.html" if request.method == "POST" \
            else "events/_desk_found.html"
        return render(request, template, context)
    return render(request, "events/check_in_desk.html", context)
