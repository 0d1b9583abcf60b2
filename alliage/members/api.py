"""Directory API (same visibility rules as the pages) and staff endpoints."""

from datetime import date
from typing import Annotated

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema
from ninja.params.functions import Path

from alliage.core.api_support import (
    AUTH,
    MAX_OFFSET,
    MAX_TEXT,
    NO_NUL,
    Limit,
    ObjectId,
    Offset,
    OptionalId,
    Text,
    responses,
    viewer,
)
from alliage.members import cache, selectors
from alliage.members.models import Contact, Membership, Organisation, SizeBand

router = Router(tags=["members"])


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    legal_name: str
    sector: str | None
    sector_name: str | None
    municipality: str | None
    park: str | None
    size_band: str | None
    latitude: float | None
    longitude: float | None
    url: str
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    street: str | None = None
    employees: int | None = None
    founded_year: int | None = None
    neq: str | None = None
    certifications: str | None = None
    description: str | None = None


class OrganisationPage(Schema):
    count: int
    offset: int
    limit: int
    results: list[OrganisationOut]


Slug = Annotated[str, Field(max_length=100, pattern=r"^[-a-zA-Z0-9_]*$")]


class DirectoryFilters(Schema):
    q: Annotated[str, Field(max_length=MAX_TEXT, pattern=NO_NUL)] = ""
    sector: Annotated[str, Field(max_length=6, pattern=r"^[0-9]*$",
                                 description="SCIAN code or prefix.")] = ""
    park: Slug = ""
    municipality: Slug = ""
    tag: Slug = ""
    size: SizeBand | None = None
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0
    limit: Annotated[int, Field(ge=1, le=200)] = 50


@router.get("/organisations", response=responses(OrganisationPage, 401, 422), auth=None,
            summary="Search the member directory")
def organisation_list(request, filters: Query[DirectoryFilters]):
    user = viewer(request)
    limit, offset = filters.limit, filters.offset
    criteria = filters.dict(exclude={"offset", "limit"})
    level = selectors.viewer_level(user)

    def compute():
        qs = selectors.directory(**criteria)
        rows = qs[offset:offset + limit]
        page = {"count": qs.count(), "offset": offset, "limit": limit,
                "results": [selectors.public_card(o, level) for o in rows]}
        # Validated against the documented schema once, then served as stored JSON.
        return OrganisationPage.model_validate(page).model_dump_json()

    body = compute() if level == "staff" else cache.remember(
        cache.key("api", get_language(), level, sorted(criteria.items()), offset, limit),
        compute)
    return HttpResponse(body, content_type="application/json")


@router.get("/organisations/{slug}", response=responses(OrganisationOut, 401, 404, 422),
            auth=None, summary="One organisation of the directory")
def organisation_detail(request,
                        slug: Annotated[str, Path(max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")]):
    user = viewer(request)
    level = selectors.viewer_level(user)
    if level == "staff":
        org = get_object_or_404(Organisation.objects.select_related(
            "municipality", "park", "primary_sector"), slug=slug)
        return selectors.public_card(org, level)
    if Organisation.objects.of_user(user).filter(slug=slug).exists():
        org = Organisation.objects.select_related("municipality", "park",
                                                  "primary_sector").get(slug=slug)
        return selectors.public_card(org, selectors.viewer_level(user, org))

    def compute():
        org = Organisation.objects.for_directory().filter(slug=slug).first()
        if org is None:
            return ""
        return OrganisationOut.model_validate(selectors.public_card(org, level)).model_dump_json()

    body = cache.remember(cache.key("api-detail", get_language(), level, slug), compute)
    if not body:
        raise Http404
    return HttpResponse(body, content_type="application/json")


# --- Staff endpoints -------------------------------------------------------------------

def _staff(request):
    from django.core.exceptions import PermissionDenied

    from alliage.core.roles import is_staff

    if not is_staff(request.auth):
        raise PermissionDenied


class AffiliationOut(Schema):
    organisation_id: int
    organisation: str
    title: str
    is_admin: bool
    is_billing: bool


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str
    affiliations: list[AffiliationOut]


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    type: str
    period_start: date
    period_end: date
    status: str
    fee_cents: int
    invoice_number: str | None
    invoice_status: str | None


def _contact_out(c):
    return {"id": c.pk, "first_name": c.first_name, "last_name": c.last_name,
            "email": c.email, "phone": c.phone, "language": c.language,
            "affiliations": [{"organisation_id": a.organisation_id,
                              "organisation": a.organisation.legal_name, "title": a.title,
                              "is_admin": a.is_admin, "is_billing": a.is_billing}
                             for a in c.affiliations.all() if a.ended_on is None]}


@router.get("/contacts", response=responses(list[ContactOut], 401, 403, 422), auth=AUTH,
            summary="People (staff)")
def contact_list(request, q: Text() = "", organisation_id: OptionalId = None,
                 offset: Offset = 0, limit: Limit(50, 200) = 50):
    _staff(request)
    people = Contact.objects.active().prefetch_related("affiliations__organisation")
    if q:
        people = people.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q)
                               | Q(email__icontains=q))
    if organisation_id:
        people = people.filter(affiliations__organisation_id=organisation_id,
                               affiliations__ended_on__isnull=True)
    rows = people.order_by("last_name", "pk").distinct()[offset:offset + limit]
    return [_contact_out(c) for c in rows]


@router.get("/contacts/{contact_id}", response=responses(ContactOut, 401, 403, 404, 422),
            auth=AUTH, summary="One person (staff)")
def contact_detail(request, contact_id: ObjectId):
    _staff(request)
    contact = get_object_or_404(Contact.objects.prefetch_related("affiliations__organisation"),
                                pk=contact_id)
    return _contact_out(contact)


@router.get("/memberships", response=responses(list[MembershipOut], 401, 403, 422), auth=AUTH,
            summary="Memberships (staff)")
def membership_list(request, status: Membership.Status | None = None,
                    organisation_id: OptionalId = None, offset: Offset = 0,
                    limit: Limit(50, 200) = 50):
    _staff(request)
    rows = Membership.objects.select_related("organisation", "membership_type", "invoice")
    if status:
        rows = rows.filter(status=status)
    if organisation_id:
        rows = rows.filter(organisation_id=organisation_id)
    return [{"id": m.pk, "organisation_id": m.organisation_id,
             "organisation": m.organisation.legal_name, "type": m.membership_type.code,
             "period_start": m.period_start, "period_end": m.period_end, "status": m.status,
             "fee_cents": m.fee_cents,
             "invoice_number": m.invoice.number if m.invoice_id else None,
             "invoice_status": m.invoice.status if m.invoice_id else None}
            for m in rows.order_by("-period_start", "pk")[offset:offset + limit]]
