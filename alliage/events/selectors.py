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


def registration_context(user, event):
    """Who ``user`` registers for ``event``: their person, the organisation that pays (a
    member one first) and the colleagues they may add (a company admin's, not yet holding
    a seat). Shared by the event page and the API."""
    from alliage.members.models import Contact, Organisation

    if not user.is_authenticated or user.contact is None:
        return None, None, Contact.objects.none()
    from django.db.models import Case, IntegerField, Value, When

    from alliage.members.models import MemberStatus

    # A member company first (alphabetical order of statuses put "none" first: review #11,
    # attack 2, L1), then the oldest tie.
    organisation = Organisation.objects.of_user(user).annotate(member_first=Case(
        When(member_status__in=[MemberStatus.ACTIVE, MemberStatus.GRACE], then=Value(0)),
        default=Value(1), output_field=IntegerField())).order_by("member_first", "pk").first()
    colleagues = Contact.objects.none()
    administered = Organisation.objects.administered_by(user)
    if organisation is not None and administered.filter(pk=organisation.pk).exists():
        colleagues = Contact.objects.active().filter(
            affiliations__organisation=organisation, affiliations__ended_on__isnull=True
        ).exclude(pk=user.contact_id).exclude(
            pk__in=Registration.objects.holding_a_seat().filter(event=event)
            .values("contact_id")).distinct()
    return user.contact, organisation, colleagues
