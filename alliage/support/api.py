"""Support services: JSON API under /api/v1/support/ — the public funding catalogue
(programs staff keep open, the same as the /financement/ page)."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from alliage.core.api_support import ObjectId, responses, viewer
from alliage.support.models import FundingProgram

router = Router(tags=["support"])


class ProgramOut(Schema):
    id: int
    name: str
    name_fr: str
    name_en: str
    funder: str
    level: str
    objectives: str
    themes: list[str]
    sectors: list[str]
    regions: list[str]
    min_employees: int | None
    max_employees: int | None
    max_amount_cents: int | None
    rate_percent: int | None
    opens_on: date | None
    closes_on: date | None
    continuous_intake: bool
    url: str


def _program(p):
    return {"id": p.pk, "name": p.name, "name_fr": p.name_fr, "name_en": p.name_en,
            "funder": p.funder, "level": p.level, "objectives": p.objectives,
            "themes": list(p.themes), "sectors": [s.code for s in p.sectors.all()],
            "regions": [r.name for r in p.regions.all()], "min_employees": p.min_employees,
            "max_employees": p.max_employees, "max_amount_cents": p.max_amount_cents,
            "rate_percent": p.rate_percent, "opens_on": p.opens_on, "closes_on": p.closes_on,
            "continuous_intake": p.continuous_intake, "url": p.url}


def _offered():
    return FundingProgram.objects.offered().prefetch_related("sectors", "regions")


@router.get("/programs", response=responses(list[ProgramOut], 401), auth=None,
            summary="Funding programs open today")
def program_list(request):
    viewer(request)              # a wrong Bearer token is a 401, even here
    return [_program(p) for p in _offered().order_by("name_fr", "pk")]


@router.get("/programs/{program_id}", response=responses(ProgramOut, 401, 404, 422),
            auth=None, summary="One funding program open today")
def program_detail(request, program_id: ObjectId):
    viewer(request)
    return _program(get_object_or_404(_offered(), pk=program_id))
