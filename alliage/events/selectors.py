"""Reads shared by events pages, the API and commands."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from alliage.events.models import Event, Registration, Session, WaitlistEntry

DESK_SEARCH_WORDS, DESK_SEARCH_ROWS = 3, 15


def desk_search(*, event, q):
    """The event's registrations whose person or company matches every word of ``q`` (its
    first three words), by last name; none for fewer than 2 characters."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    filters = Q()
    for word in q.split()[:DESK_SEARCH_WORDS]:
        filters &= (Q(contact__first_name__icontains=word)
                    | Q(contact__last_name__icontains=word)
                    | Q(order__organisation__legal_name__icontains=word)
                    | Q(order__organisation__trade_name__icontains=word))
    return (event.registrations.filter(filters).select_related(
        "contact", "order__organisation").order_by("contact__last_name")[:DESK_SEARCH_ROWS])


def desk_counts(event):
    """The desk's counter: people checked in, and confirmed registrations expected."""
    return {"present": event.registrations.filter(checked_in_at__isnull=False).count(),
            "expected": event.registrations.filter(
                status=Registration.Status.CONFIRMED).count()}


def company_registrations(event, organisations):
    """The seats held at ``event`` on orders of ``organisations`` (a company admin's): shown
    on the event page before they register anyone else, and each cancellable by them."""
    return (Registration.objects.holding_a_seat()
            .filter(event=event, order__organisation__in=organisations)
            .select_related("contact", "ticket_type", "order__organisation")
            .order_by("contact__last_name", "contact__first_name"))


def seat_figures(event_id, now, *, ticket_type_id=None, contact_ids=(), viewer_id=None,
                 lock=False):
    """What the capacity rules and the event page read, in one statement:

    ``taken``: seats held (registrations pending or confirmed, waitlist offers still open);
    ``type_taken``: the same for ``ticket_type_id`` (when given); ``already``: one of
    ``contact_ids`` holds a seat; ``capped_sessions``: how many sessions have a capacity of
    their own; ``sessions``: how many sessions; ``registration``, ``entry``: the ids of
    ``viewer_id``'s seat and waitlist entry (or None).

    ``lock``: the event's row is locked first, in a statement of its own (sent in the same
    round trip on PostgreSQL), and only then counted: in READ COMMITTED a statement that
    waited for a row lock still reads the snapshot taken before it waited, so counts inside
    the locking statement would miss the seats its previous holder committed
    (``test_the_locked_count_sees_the_seat_committed_while_it_waited_for_the_lock``).

    Written in SQL because it runs on every registration attempt (twice for a success, once
    under the lock): the ORM spent more time building it than the database running it."""
    from django.db import connection

    q = connection.ops.quote_name

    def table(model, *fields):
        return [q(model._meta.db_table)] + [q(model._meta.get_field(f).column) for f in fields]

    reg, r_event, r_status, r_contact, r_type = table(
        Registration, "event", "status", "contact", "ticket_type")
    wait, w_event, w_status, w_contact, w_type, w_expires = table(
        WaitlistEntry, "event", "status", "contact", "ticket_type", "offer_expires_at")
    ses, s_event, s_capacity = table(Session, "event", "capacity")
    held = [Registration.Status.PENDING, Registration.Status.CONFIRMED]
    # Only quoted table and column names of the models are formatted in; values are
    # parameters.
    now = connection.ops.adapt_datetimefield_value(now)
    regs = f"FROM {reg} WHERE {r_event} = %s AND {r_status} IN (%s, %s)"
    offers = f"FROM {wait} WHERE {w_event} = %s AND {w_status} = %s AND {w_expires} > %s"
    parts = [(f"SELECT COUNT(*) {regs}", [event_id, *held]),
             (f"SELECT COUNT(*) {offers}", [event_id, WaitlistEntry.Status.OFFERED, now]),
             (f"SELECT COUNT(*) FROM {ses} WHERE {s_event} = %s", [event_id]),  # noqa: S608
             (f"SELECT COUNT(*) FROM {ses} WHERE {s_event} = %s "  # noqa: S608
              f"AND {s_capacity} IS NOT NULL", [event_id])]
    if ticket_type_id is not None:
        parts += [(f"SELECT COUNT(*) {regs} AND {r_type} = %s",
                   [event_id, *held, ticket_type_id]),
                  (f"SELECT COUNT(*) {offers} AND {w_type} = %s",
                   [event_id, WaitlistEntry.Status.OFFERED, now, ticket_type_id])]
    if contact_ids:
        marks = ", ".join(["%s"] * len(contact_ids))
        parts.append((f"SELECT COUNT(*) {regs} AND {r_contact} IN ({marks})",
                      [event_id, *held, *contact_ids]))
    if viewer_id is not None:
        parts += [(f"SELECT MIN({q('id')}) {regs} AND {r_contact} = %s",
                   [event_id, *held, viewer_id]),
                  (f"SELECT MIN({q('id')}) FROM {wait} WHERE {w_event} = %s "  # noqa: S608
                   f"AND {w_contact} = %s AND {w_status} IN (%s, %s)",
                   [event_id, viewer_id, WaitlistEntry.Status.WAITING,
                    WaitlistEntry.Status.OFFERED])]
    sql = "SELECT " + ", ".join(f"({part})" for part, _params in parts)
    params = [value for _part, values in parts for value in values]
    with connection.cursor() as cursor:
        if lock and connection.features.has_select_for_update:
            event_table, event_id_column = table(Event, "id")
            locking = (f"SELECT {event_id_column} FROM {event_table} "  # noqa: S608
                       f"WHERE {event_id_column} = %s FOR UPDATE")
            if _one_round_trip(connection):
                # Both statements in one message: the second still runs on a snapshot of
                # its own, taken once the lock is held; one round trip less under the lock.
                cursor.execute(f"{locking}; {sql}", [event_id, *params])
                cursor.nextset()
            else:
                cursor.execute(locking, [event_id])
                cursor.execute(sql, params)
        else:
            cursor.execute(sql, params)
        row = list(cursor.fetchone())
    figures = {"taken": row[0] + row[1], "sessions": row[2], "capped_sessions": row[3]}
    rest = row[4:]
    if ticket_type_id is not None:
        figures["type_taken"], rest = rest[0] + rest[1], rest[2:]
    if contact_ids:
        figures["already"], rest = rest[0] > 0, rest[1:]
    if viewer_id is not None:
        figures["registration"], figures["entry"] = rest
    return figures


def _one_round_trip(connection):
    """PostgreSQL through psycopg 3 with parameters bound on the client (Django's default):
    several statements may go in one ``execute`` and are read with ``nextset``."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3 and not connection.settings_dict["OPTIONS"].get("server_side_binding")


def registration_context(user, event):
    """Who ``user`` registers for ``event``: their person, the organisation that pays (a
    member one first) and the colleagues they may add (a company admin's, not yet holding
    a seat). Shared by the event page and the API. The organisation carries
    ``administers`` (the user is its admin) and ``administers_any`` (of any company)."""
    from alliage.members.models import Affiliation, Contact

    if not user.is_authenticated or user.contact is None:
        return None, None, Contact.objects.none()
    # The person's current affiliations, with their companies, in one query.
    affiliations = list(Affiliation.objects.filter(
        contact_id=user.contact_id, ended_on__isnull=True).select_related("organisation"))
    organisation = None
    if affiliations:
        # A member company first (alphabetical order of statuses put "none" first: review
        # #11, attack 2, L1), then the oldest tie.
        organisation = min((a.organisation for a in affiliations),
                           key=lambda o: (not o.is_member, o.pk))
        organisation.administers = any(a.is_admin for a in affiliations
                                       if a.organisation_id == organisation.pk)
        organisation.administers_any = any(a.is_admin for a in affiliations)
    colleagues = Contact.objects.none()
    if organisation is not None and organisation.administers:
        colleagues = Contact.objects.active().filter(
            affiliations__organisation=organisation, affiliations__ended_on__isnull=True
        ).exclude(pk=user.contact_id).exclude(
            pk__in=Registration.objects.holding_a_seat().filter(event=event)
            .values("contact_id")).distinct()
    return user.contact, organisation, colleagues


@dataclass
class EventPage:
    """What the event page shows one viewer (``event_page``)."""

    event: Event
    contact: object = None
    organisation: object = None
    colleagues: object = None
    registration: Registration | None = None
    entry: WaitlistEntry | None = None
    ticket_types: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    seats_left: int | None = None
    company_registrations: object = ()

    @property
    def admits_visitors(self):
        """``guest.admits_visitors`` from the ticket types already here."""
        return not self.event.members_only and any(not t.members_only
                                                   for t in self.ticket_types)


def event_page(user, slug, now=None):
    """The event page for ``user``, read in a few queries: the event (404 for a members-only
    one unless a member or staff looks) with its seats held, the viewer's registration and
    waitlist entry, their person, paying organisation and colleagues, the ticket types and
    sessions. The same rules as ``Event.objects.visible_to``, ``services.seats_left`` and
    ``registration_context``."""
    from alliage.core.roles import is_member
    from alliage.members.models import Organisation

    event = Event.objects.published().filter(slug=slug).first()
    if event is None or (event.members_only and not is_member(user)):
        raise Http404
    contact_id = user.contact_id if user.is_authenticated else None
    figures = seat_figures(event.pk, now or timezone.now(), viewer_id=contact_id)
    page = EventPage(event=event, ticket_types=list(event.ticket_types.all()))
    if event.capacity is not None:
        page.seats_left = max(0, event.capacity - figures["taken"])
    if figures["sessions"]:
        page.sessions = list(event.sessions.all())
    page.contact, page.organisation, page.colleagues = registration_context(user, event)
    if figures.get("registration"):
        page.registration = Registration.objects.select_related("order__invoice").get(
            pk=figures["registration"])
    if figures.get("entry"):
        page.entry = WaitlistEntry.objects.get(pk=figures["entry"])
    if getattr(page.organisation, "administers_any", False):
        page.company_registrations = company_registrations(
            event, Organisation.objects.administered_by(user))
    return page
