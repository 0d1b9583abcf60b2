"""Directory API: the same visibility rules as the pages."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Query, Router, Schema

from alliage.core.api_support import viewer
from alliage.members import cache, selectors
from alliage.members.models import Organisation

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


class DirectoryFilters(Schema):
    q: str = ""
    sector: str = ""
    park: str = ""
    municipality: str = ""
    tag: str = ""
    size: str = ""
    offset: int = 0
    limit: int = 50


@router.get("/organisations", response=OrganisationPage, auth=None,
            summary="Search the member directory")
def organisation_list(request, filters: Query[DirectoryFilters]):
    user = viewer(request)
    limit = max(1, min(filters.limit, 200))
    offset = max(0, filters.offset)
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


@router.get("/organisations/{slug}", response=OrganisationOut, auth=None,
            summary="One organisation of the directory")
def organisation_detail(request, slug: str):
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
