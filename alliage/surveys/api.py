"""Surveys: JSON API under /api/v1/surveys/ (read only).

The open surveys a caller may answer (the pages' audience rules), and a survey's counted
results for the board and the staff (free text stays on the results page)."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.params.functions import Path

from alliage.core.api_support import AUTH, Limit, Offset, responses, viewer
from alliage.governance.permissions import is_board_or_staff
from alliage.surveys import results
from alliage.surveys.models import Survey

router = Router(tags=["surveys"])

Slug = Annotated[str, Path(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$",
                           description="The survey's slug.")]


class SurveyOut(Schema):
    slug: str
    title: str
    audience: str
    per: str
    anonymous: bool
    opens_at: datetime
    closes_at: datetime
    url: str


class RowOut(Schema):
    label: str
    count: int
    percent: int


class RankOut(Schema):
    label: str
    average_rank: float | None
    first: int


class MatrixRowOut(Schema):
    label: str
    answered: int
    counts: list[int]


class QuestionResultOut(Schema):
    question: str
    kind: str
    answered: int
    rows: list[RowOut]
    average: float | None
    median: float | None
    columns: list[str] = []
    ranking: list[RankOut] = []
    matrix: list[MatrixRowOut] = []


class ResultsOut(Schema):
    survey: SurveyOut
    status: str
    responses: int
    questions: list[QuestionResultOut]


def _out(s):
    return {"slug": s.slug, "title": s.title, "audience": s.audience, "per": s.per,
            "anonymous": s.anonymous, "opens_at": s.opens_at, "closes_at": s.closes_at,
            "url": f"/sondages/{s.slug}/"}


@router.get("/", response=responses(list[SurveyOut], 401, 422), auth=None,
            summary="Open surveys the caller may answer")
def survey_list(request, offset: Offset = 0, limit: Limit(50, 200) = 50):
    surveys = Survey.objects.visible_to(viewer(request)).order_by("closes_at", "pk")
    return [_out(s) for s in surveys[offset:offset + limit]]


@router.get("/{slug}/results", response=responses(ResultsOut, 401, 403, 404, 422), auth=AUTH,
            summary="A survey's counted results (board and staff)")
def survey_results(request, slug: Slug):
    if not is_board_or_staff(request.user):
        raise PermissionDenied
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)
    rows, total = results.survey_results(survey)
    return {"survey": _out(survey), "status": survey.status, "responses": total,
            "questions": [{"question": r.question.text, "kind": r.question.kind,
                           "answered": r.answered,
                           "rows": [{"label": a, "count": b, "percent": c} for a, b, c in r.rows],
                           "average": r.average, "median": r.median,
                           "columns": r.question.choices if r.matrix else [],
                           "ranking": [{"label": a, "average_rank": b, "first": c}
                                       for a, b, c in r.ranking],
                           "matrix": [{"label": a, "answered": b, "counts": c}
                                      for a, b, c in r.matrix]} for r in rows]}
