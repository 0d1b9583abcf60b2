"""Reads shared by events pages, the API and commands."""

from django.db.models import Q

from alliage.events.models import Registration

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
