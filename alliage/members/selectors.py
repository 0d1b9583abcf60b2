"""Read-side queries for the directory, the CRM and the API."""

from django.db.models import Q

from alliage.core.roles import Role, roles_of
from alliage.members.models import (
    SIZE_BAND_RANGES,
    Affiliation,
    MemberStatus,
    Organisation,
    Visibility,
)


def member_roles(user):
    """The roles a logged-in user holds through their current affiliations (registered with
    ``core.roles`` as a role source): member contact of a member company (active or in
    grace), member-company admin of one, or admin of a company that is not (yet) a member,
    who still manages its profile."""
    roles = set()
    if not user.contact_id:
        return roles
    # Every current affiliation with its company's status, in one query.
    current = list(Affiliation.objects.filter(
        contact_id=user.contact_id, ended_on__isnull=True).values_list(
        "is_admin", "organisation__member_status"))
    if any(status in (MemberStatus.ACTIVE, MemberStatus.GRACE) for _admin, status in current):
        roles.add(Role.MEMBER_CONTACT)
    # An admin of a company that is not (yet) a member still manages its profile.
    if any(is_admin for is_admin, _status in current):
        roles.add(Role.MEMBER_ADMIN)
    return roles


def administered_organisations(user):
    """The organisations ``user`` administers (a member-company admin's own)."""
    return Organisation.objects.administered_by(user)


def managed_organisations(user):
    """The organisations ``user`` may manage: their own, or all for staff."""
    return Organisation.objects.all() if Role.STAFF in roles_of(user) else \
        Organisation.objects.administered_by(user)


def viewer_level(user, organisation=None):
    """How much of an organisation a user may see: public, members or staff."""
    roles = roles_of(user)
    if Role.STAFF in roles:
        return Visibility.STAFF
    if Role.MEMBER_CONTACT in roles:
        return Visibility.MEMBERS
    if organisation is not None and Organisation.objects.of_user(user).filter(
            pk=organisation.pk).exists():
        return Visibility.MEMBERS
    return Visibility.PUBLIC


def directory(*, q="", sector="", park="", municipality="", tag="", size=""):
    """Listed member organisations filtered as in the public directory.

    Sector matches on the SCIAN prefix, so "33" finds every manufacturer.
    """
    qs = Organisation.objects.for_directory().defer("search_text")
    if q:
        qs = qs.search(q)
    if sector:
        # SCIAN puts transport under 48-49 and retail under 44-45: one filter value each.
        prefixes = {"48": ("48", "49"), "44": ("44", "45")}.get(sector, (sector,))
        condition = Q()
        for prefix in prefixes:
            condition |= Q(primary_sector__code__startswith=prefix)
        qs = qs.filter(condition)
    if park:
        qs = qs.filter(park__slug=park)
    if municipality:
        qs = qs.filter(municipality__slug=municipality)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if size in SIZE_BAND_RANGES:
        qs = qs.filter(size_band=size)
    return qs.order_by("legal_name", "pk")


def public_card(org, level):
    """A dict of what ``level`` may see of ``org`` (used by pages and the API)."""
    visible = org.visible_fields(level)
    point = org.map_point
    card = {
        "id": org.pk,
        "slug": org.slug,
        "name": org.display_name,
        "legal_name": org.legal_name,
        "sector": (org.primary_sector.code if org.primary_sector_id else None),
        "sector_name": (org.primary_sector.name if org.primary_sector_id else None),
        "municipality": org.municipality.name if org.municipality_id else None,
        "park": org.park.name if org.park_id else None,
        "size_band": org.size_band or None,
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "url": org.get_absolute_url(),
    }
    for field in ("website", "phone", "email", "street", "employees", "founded_year", "neq",
                  "certifications"):
        card[field] = getattr(org, field) if field in visible else None
    card["description"] = org.description if "description" in visible else None
    return card


def crm_queryset(params):
    """Organisations matching the CRM filters (a dict as saved in a Segment)."""
    from alliage.members.forms import CrmFilterForm

    form = CrmFilterForm(params)
    qs = Organisation.objects.select_related("municipality", "park", "primary_sector")
    if not form.is_valid():
        return qs.order_by("legal_name"), form
    d = form.cleaned_data
    if d.get("q"):
        qs = qs.search(d["q"])
    if d.get("sector"):
        qs = qs.filter(primary_sector__code__startswith=d["sector"])
    if d.get("park"):
        qs = qs.filter(park__slug=d["park"])
    if d.get("municipality"):
        qs = qs.filter(municipality__slug=d["municipality"])
    if d.get("size"):
        qs = qs.filter(size_band=d["size"])
    if d.get("status"):
        qs = qs.filter(member_status=d["status"])
    if d.get("min_employees") is not None:
        qs = qs.filter(employees__gte=d["min_employees"])
    if d.get("max_employees") is not None:
        qs = qs.filter(employees__lte=d["max_employees"])
    if d.get("tag"):
        qs = qs.filter(tags__slug=d["tag"])
    return qs.order_by("legal_name"), form


def segment_organisations(segment):
    """The organisations a saved segment selects today."""
    qs, _form = crm_queryset(segment.query)
    return qs
