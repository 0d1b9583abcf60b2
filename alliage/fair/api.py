"""Virtual industrial fair: read endpoints under /api/v1/fair/, with the pages' visibility
(published fairs and booths for everyone, one's own agenda, an exhibitor's own leads)."""

from datetime import datetime
from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.params.functions import Path

from alliage.core.api_support import AUTH, Limit, ObjectId, Offset, Text, responses, viewer
from alliage.fair import selectors

router = Router(tags=["fair"])

Slug = Annotated[str, Path(max_length=120, pattern=r"^[-a-zA-Z0-9_]+$",
                           description="The fair's slug.")]


class PavilionOut(Schema):
    id: int
    slug: str
    name: str
    booths: int


class FairOut(Schema):
    id: int
    slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    slot_minutes: int
    slots: int
    url: str
    pavilions: list[PavilionOut]


class BoothOut(Schema):
    id: int
    exhibitor: str
    pavilion: str
    description: str
    products: list[str]
    capabilities: list[str]
    video_url: str
    room_url: str
    url: str


class MeetingOut(Schema):
    slot: int
    starts_at: datetime
    ends_at: datetime
    table: int
    with_person: str = Field(description="The other participant and their company.")
    reason: str


class LeadOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    company: str
    message: str
    notes: str
    consented_at: datetime


def _fair_out(fair):
    return {"id": fair.pk, "slug": fair.slug, "title": fair.title, "starts_at": fair.starts_at,
            "ends_at": fair.ends_at, "slot_minutes": fair.slot_minutes,
            "slots": fair.slot_count, "url": fair.get_absolute_url(),
            "pavilions": [{"id": p.pk, "slug": p.slug, "name": p.name,
                           "booths": p.booth_count}
                          for p in selectors.pavilions_with_counts(fair)]}


def _booth_out(b):
    return {"id": b.pk, "exhibitor": b.organisation.display_name, "pavilion": b.pavilion.name,
            "description": b.description, "products": b.product_lines(),
            "capabilities": b.capability_lines(), "video_url": b.video_url,
            "room_url": b.room_url, "url": b.get_absolute_url()}


@router.get("/", response=responses(list[FairOut], 401, 422), auth=None,
            summary="Published fairs, newest first")
def fair_list(request, offset: Offset = 0, limit: Limit(20, 100) = 20):
    fairs = selectors.fairs_for(viewer(request))
    return [_fair_out(f) for f in fairs[offset:offset + limit]]


@router.get("/{slug}", response=responses(FairOut, 401, 404, 422), auth=None,
            summary="One fair with its pavilions")
def fair_detail(request, slug: Slug):
    return _fair_out(selectors.fair_for(viewer(request), slug))


@router.get("/{slug}/booths", response=responses(list[BoothOut], 401, 404, 422), auth=None,
            summary="Published booths, searched by company, product or capability")
def booth_list(request, slug: Slug, q: Text(100) = "", pavilion: Text(120) = "",
               offset: Offset = 0, limit: Limit(50, 200) = 50):
    fair = selectors.fair_for(viewer(request), slug)
    pav = fair.pavilions.filter(slug=pavilion).first() if pavilion else None
    if pavilion and pav is None:
        raise Http404
    booths = selectors.booths_for_visitors(fair, query=q, pavilion=pav)
    return [_booth_out(b) for b in booths[offset:offset + limit]]


@router.get("/{slug}/booths/{booth_id}", response=responses(BoothOut, 401, 404, 422),
            auth=None, summary="One published booth")
def booth_detail(request, slug: Slug, booth_id: ObjectId):
    fair = selectors.fair_for(viewer(request), slug)
    return _booth_out(selectors.booth_for_visitor(fair, booth_id))


@router.get("/{slug}/booths/{booth_id}/leads", response=responses(list[LeadOut], 401, 404, 422),
            auth=AUTH, summary="The cards left at one's own company's booth (404 otherwise)")
def booth_leads(request, slug: Slug, booth_id: ObjectId, offset: Offset = 0,
                limit: Limit(100, 500) = 100):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_exhibitor(request.user, fair, booth_id)
    return [{"id": x.pk, "name": x.name, "email": x.email, "phone": x.phone,
             "company": x.organisation_name, "message": x.message, "notes": x.notes,
             "consented_at": x.consented_at}
            for x in booth.leads.order_by("-created_at")[offset:offset + limit]]


@router.get("/{slug}/agenda", response=responses(list[MeetingOut], 401, 404, 422), auth=AUTH,
            summary="The caller's placed B2B meetings (404 when not a participant)")
def agenda(request, slug: Slug):
    fair = selectors.fair_for(request.user, slug)
    me = selectors.participant_of(fair, request.user)
    if me is None:
        raise Http404
    return [{"slot": r["slot"], "starts_at": r["starts"], "ends_at": r["ends"],
             "table": r["table"], "with_person": str(r["other"]), "reason": r["reason"]}
            for r in selectors.agenda(me)]
