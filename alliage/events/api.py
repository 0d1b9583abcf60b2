"""Events API: the calendar with the pages' visibility, registrations with the pages' rules.

Registering through the API runs the very service of the event page (``order_create``: same
capacity lock, same invoice, same emails); cancelling runs ``registration_cancel``.
"""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Path
from pydantic import ConfigDict

from alliage.core.api_support import (
    AUTH,
    MAX_ID,
    MAX_TEXT,
    NO_NUL,
    Limit,
    ObjectId,
    Offset,
    Text,
    responses,
    viewer,
)
from alliage.core.roles import is_staff
from alliage.events import selectors, services
from alliage.events.models import Event, Registration, Session, TicketType
from alliage.members.models import Organisation

router = Router(tags=["events"])

Slug = Annotated[str, Path(max_length=220, pattern=r"^[-a-zA-Z0-9_]+$",
                           description="The event's slug.")]


class TicketOut(Schema):
    id: int
    name: str
    member_price_cents: int
    public_price_cents: int
    taxable: bool
    members_only: bool
    seats_left: int | None = Field(description="Within the ticket's quota (null: no quota).")


class SessionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str


class EventOut(Schema):
    id: int
    slug: str
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    venue_address: str
    municipality: str | None
    online: bool
    members_only: bool
    requires_approval: bool
    capacity: int | None
    seats_left: int | None = Field(description="Null when the event has no limit.")
    registration_open: bool
    url: str
    tickets: list[TicketOut]
    sessions: list[SessionOut]


class RegistrationOut(Schema):
    id: int
    event: str = Field(description="The event's slug.")
    event_title: str
    person: str
    organisation: str | None
    ticket: str
    status: str
    price_cents: int
    invoice_number: str | None
    checked_in_at: datetime | None = Field(None, description="Staff only.")


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=MAX_TEXT, pattern=NO_NUL,
                          description="One of the event's questions, as written.")
    answer: str = Field(max_length=500, pattern=NO_NUL)


class RegisterIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ticket_type_id: Id
    include_me: bool = True
    colleague_ids: list[Id] = Field(default_factory=list, max_length=200,
                                    description="A company admin's colleagues to register.")
    session_ids: list[Id] = Field(default_factory=list, max_length=50)
    answers: list[AnswerIn] = Field(default_factory=list, max_length=20)


class OrderOut(Schema):
    id: int
    registrations: list[RegistrationOut]
    invoice_id: int | None


def _tickets(event, now):
    out = []
    for t in event.ticket_types.all():
        left = None
        if t.quota is not None:
            left = max(0, t.quota - services.seats_taken(event, now, ticket_type=t))
        out.append({"id": t.pk, "name": t.name, "member_price_cents": t.member_price_cents,
                    "public_price_cents": t.public_price_cents, "taxable": t.taxable,
                    "members_only": t.members_only, "seats_left": left})
    return out


def _event_out(event, now=None):
    from django.utils import timezone

    now = now or timezone.now()
    return {"id": event.pk, "slug": event.slug, "title": event.title, "kind": event.kind,
            "starts_at": event.starts_at, "ends_at": event.ends_at,
            "venue_name": event.venue_name, "venue_address": event.venue_address,
            "municipality": event.municipality.name if event.municipality_id else None,
            "online": bool(event.online_url), "members_only": event.members_only,
            "requires_approval": event.requires_approval, "capacity": event.capacity,
            "seats_left": services.seats_left(event, now),
            "registration_open": event.registration_open(now), "url": event.get_absolute_url(),
            "tickets": _tickets(event, now),
            "sessions": [{"id": s.pk, "title": s.title, "starts_at": s.starts_at,
                          "ends_at": s.ends_at, "location": s.location}
                         for s in event.sessions.all()]}


def _registration_out(r, *, staff=False):
    invoice = r.order.invoice
    return {"id": r.pk, "event": r.event.slug, "event_title": r.event.title,
            "person": r.contact.full_name,
            "organisation": r.order.organisation.legal_name if r.order.organisation_id else None,
            "ticket": r.ticket_type.name, "status": r.status, "price_cents": r.price_cents,
            "invoice_number": invoice.number if invoice is not None else None,
            "checked_in_at": r.checked_in_at if staff else None}


_REG = ("event", "contact", "ticket_type", "order__organisation", "order__invoice")


def _visible_events(request):
    return Event.objects.visible_to(viewer(request)).select_related("municipality") \
        .prefetch_related(Prefetch("ticket_types", TicketType.objects.order_by("pk")),
                          Prefetch("sessions", Session.objects.order_by("starts_at")))


@router.get("/", response=responses(list[EventOut], 401, 422), auth=None,
            summary="Upcoming events (members-only ones for members)")
def event_list(request, offset: Offset = 0, limit: Limit(50, 200) = 50,
               past: bool = False):
    from django.utils import timezone

    now = timezone.now()
    events = _visible_events(request)
    events = events.filter(ends_at__lt=now).order_by("-starts_at") if past else \
        events.filter(ends_at__gte=now).order_by("starts_at")
    return [_event_out(e, now) for e in events[offset:offset + limit]]


@router.get("/registrations", response=responses(list[RegistrationOut], 401, 422), auth=AUTH,
            summary="The caller's registrations and, for a company admin, their company's")
def registration_list(request, event: Text(220) = "", offset: Offset = 0,
                      limit: Limit(50, 200) = 50):
    user = request.user
    administered = Organisation.objects.administered_by(user)
    rows = Registration.objects.select_related(*_REG)
    mine = rows.filter(contact_id=user.contact_id) if user.contact_id else rows.none()
    company = rows.filter(order__organisation__in=administered)
    rows = (mine | company).distinct()
    if event:
        rows = rows.filter(event__slug=event)
    rows = rows.order_by("-event__starts_at", "contact__last_name", "pk")
    return [_registration_out(r) for r in rows[offset:offset + limit]]


@router.post("/registrations/{registration_id}/cancel",
             response=responses(RegistrationOut, 401, 403, 404, 409, 422), auth=AUTH,
             summary="Cancel one's own registration or one of one's company's")
def registration_cancel(request, registration_id: ObjectId):
    user = request.user
    administered = Organisation.objects.administered_by(user)
    seats = Registration.objects.holding_a_seat()
    registration = (seats.filter(pk=registration_id, contact_id=user.contact_id).first()
                    if user.contact_id else None) or \
        seats.filter(pk=registration_id, order__organisation__in=administered).first()
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, actor=user)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _registration_out(Registration.objects.select_related(*_REG).get(pk=registration.pk))


@router.get("/{slug}", response=responses(EventOut, 401, 404, 422), auth=None,
            summary="One event (404 when the caller may not see it)")
def event_detail(request, slug: Slug):
    return _event_out(get_object_or_404(_visible_events(request), slug=slug))


@router.get("/{slug}/registrations", response=responses(list[RegistrationOut], 401, 403,
                                                                404, 422),
            auth=AUTH, summary="Every registration of one event, with check-in (staff)")
def event_registrations(request, slug: Slug, offset: Offset = 0,
                        limit: Limit(100, 500) = 100):
    if not is_staff(request.user):
        raise PermissionDenied
    event = get_object_or_404(Event, slug=slug)
    rows = event.registrations.select_related(*_REG).order_by(
        "contact__last_name", "contact__first_name", "pk")
    return [_registration_out(r, staff=True) for r in rows[offset:offset + limit]]


@router.post("/{slug}/registrations",
             response=responses(OrderOut, 401, 403, 404, 409, 422, status=201), auth=AUTH,
             summary="Register the caller (and, for a company admin, colleagues)")
def event_register(request, slug: Slug, payload: RegisterIn):
    """The event page's rules: members-only events and tickets for members, colleagues only
    for a company admin, the same capacity lock (409 when full) and the same invoice."""
    user = request.user
    event = get_object_or_404(Event.objects.visible_to(user), slug=slug)
    contact, organisation, colleagues = selectors.registration_context(user, event)
    if contact is None:
        raise PermissionDenied
    ticket = event.ticket_types.filter(pk=payload.ticket_type_id).first()
    if ticket is None:
        raise ValidationError({"ticket_type_id": ["This ticket is not for this event."]})
    chosen = list(colleagues.filter(pk__in=payload.colleague_ids))
    if len(chosen) != len(set(payload.colleague_ids)):
        raise ValidationError({"colleague_ids": ["Only your company's people not yet "
                                                 "registered may be added."]})
    attendees = ([contact] if payload.include_me or not chosen else []) + chosen
    sessions = list(event.sessions.filter(pk__in=payload.session_ids))
    if len(sessions) != len(set(payload.session_ids)):
        raise ValidationError({"session_ids": ["This session is not part of this event."]})
    given = {a.question: a.answer for a in payload.answers}
    answers = {q: given.get(q, "") for q in event.questions}
    try:
        order = services.order_create(event=event, ticket_type=ticket, buyer=contact,
                                      attendees=attendees, organisation=organisation,
                                      answers={c.pk: answers for c in attendees}, actor=user,
                                      sessions=sessions)
    except services.EventFull as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    rows = order.registrations.select_related(*_REG)
    return Status(201, {"id": order.pk, "registrations": [_registration_out(r) for r in rows],
                        "invoice_id": order.invoice_id})
