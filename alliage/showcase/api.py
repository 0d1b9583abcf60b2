"""Regional products: JSON API under /api/v1/showcase/ (public reads, same rules as the
catalogue pages: published products of listed member companies)."""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.params.functions import Path

from alliage.core.api_support import MAX_OFFSET, MAX_TEXT, NO_NUL, responses, viewer
from alliage.showcase import selectors
from alliage.showcase.models import Category, PointOfSale, Product

router = Router(tags=["showcase"])

Slug = Annotated[str, Field(max_length=100, pattern=r"^[-a-zA-Z0-9_]*$")]


class PointOfSaleOut(Schema):
    id: int
    name: str
    kind: str
    company: str | None
    address: str
    municipality: str | None
    latitude: float | None
    longitude: float | None
    website: str
    hours: str


class ProductOut(Schema):
    id: int
    slug: str
    name: str
    name_fr: str
    name_en: str
    description: str
    category: str
    category_label: str
    made_in_region: bool
    certifications: list[str]
    company: str
    company_slug: str
    municipality: str | None
    photos: list[str]
    points_of_sale: list[int]
    url: str


class ProductPage(Schema):
    count: int
    offset: int
    limit: int
    results: list[ProductOut]


class CatalogueFilters(Schema):
    q: Annotated[str, Field(max_length=MAX_TEXT, pattern=NO_NUL)] = ""
    category: Category | None = None
    municipality: Slug = ""
    park: Slug = ""
    certification: Annotated[str, Field(max_length=100, pattern=NO_NUL)] = ""
    made_in_region: bool = False
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0
    limit: Annotated[int, Field(ge=1, le=200)] = 50


def _product(p):
    org = p.organisation
    return {"id": p.pk, "slug": p.slug, "name": p.name, "name_fr": p.name_fr,
            "name_en": p.name_en, "description": p.description, "category": p.category,
            "category_label": str(p.get_category_display()),
            "made_in_region": p.made_in_region, "certifications": p.certification_list(),
            "company": org.display_name, "company_slug": org.slug,
            "municipality": org.municipality.name if org.municipality_id else None,
            "photos": [ph.image.url for ph in p.photos.all()],
            "points_of_sale": [pos.pk for pos in p.points_of_sale.all() if pos.is_active],
            "url": p.get_absolute_url()}


def _point(pos):
    point = pos.map_point
    return {"id": pos.pk, "name": pos.name, "kind": pos.kind,
            "company": pos.organisation.display_name if pos.organisation_id else None,
            "address": pos.address,
            "municipality": pos.municipality.name if pos.municipality_id else None,
            "latitude": point[0] if point else None, "longitude": point[1] if point else None,
            "website": pos.website, "hours": pos.hours}


@router.get("/products", response=responses(ProductPage, 401, 422), auth=None,
            summary="Search the catalogue of regional products")
def product_list(request, filters: Query[CatalogueFilters]):
    viewer(request)              # a wrong Bearer token is a 401, even here
    criteria = filters.dict(exclude={"offset", "limit"})
    criteria["category"] = criteria["category"] or ""
    qs = selectors.catalogue(**criteria).prefetch_related("points_of_sale")
    rows = qs[filters.offset:filters.offset + filters.limit]
    return {"count": qs.count(), "offset": filters.offset, "limit": filters.limit,
            "results": [_product(p) for p in rows]}


@router.get("/products/{slug}", response=responses(ProductOut, 401, 404, 422), auth=None,
            summary="One product of the catalogue")
def product_detail(request,
                   slug: Annotated[str, Path(max_length=200, pattern=r"^[-a-zA-Z0-9_]+$")]):
    viewer(request)
    item = get_object_or_404(Product.objects.public().select_related(
        "organisation__municipality").prefetch_related("photos", "points_of_sale"), slug=slug)
    return _product(item)


@router.get("/points-of-sale", response=responses(list[PointOfSaleOut], 401), auth=None,
            summary="Where regional products are sold")
def point_of_sale_list(request):
    viewer(request)
    return [_point(p) for p in PointOfSale.objects.public()
            .select_related("organisation", "municipality").order_by("name", "pk")]
