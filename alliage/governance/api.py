"""Governance: JSON API under /api/v1/governance/ (read only).

Members see assemblies once convened and elections once their vote opened; an election's
results are given to the board and staff after close and to members once published —
the pages' rules. Nothing in the API can tell who voted for whom: there is no such data."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from alliage.core.api_support import AUTH, Limit, ObjectId, Offset, responses
from alliage.core.roles import is_member
from alliage.governance import elections
from alliage.governance.models import Assembly, Election
from alliage.governance.permissions import is_board_or_staff

router = Router(tags=["governance"])


class ResolutionOut(Schema):
    number: int
    title: str
    majority: str
    outcome: str
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None


class AssemblyOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime
    place: str
    status: str
    resolutions: list[ResolutionOut]


class CandidateResultOut(Schema):
    name: str
    votes: int
    elected: bool
    tied: bool


class ElectionOut(Schema):
    id: int
    title: str
    seats: int
    opens_at: datetime
    closes_at: datetime
    status: str
    candidates: list[str]
    ballots: int | None
    voters: int | None
    eligible: int | None
    results: list[CandidateResultOut] | None


class BoardMemberOut(Schema):
    name: str
    role: str
    organisation: str | None
    term_start: date
    term_end: date


def _members_only(user):
    if not (is_member(user) or is_board_or_staff(user)):
        raise PermissionDenied


@router.get("/assemblies", response=responses(list[AssemblyOut], 401, 403, 422), auth=AUTH,
            summary="Assemblies convened or held, with their resolutions (members)")
def assembly_list(request, offset: Offset = 0, limit: Limit(20, 100) = 20):
    _members_only(request.user)
    rows = Assembly.objects.exclude(status=Assembly.Status.DRAFT).prefetch_related(
        "resolutions").order_by("-starts_at", "pk")[offset:offset + limit]
    return [{"id": a.pk, "kind": a.kind, "title": a.title, "starts_at": a.starts_at,
             "place": a.place, "status": a.status,
             "resolutions": [{"number": r.number, "title": r.title_fr, "majority": r.majority,
                              "outcome": r.outcome, "votes_for": r.votes_for,
                              "votes_against": r.votes_against, "abstentions": r.abstentions}
                             for r in a.resolutions.all()]} for a in rows]


def _election_out(election, user):
    show = election.status == Election.Status.PUBLISHED or (
        election.results_known and is_board_or_staff(user))
    out = {"id": election.pk, "title": election.title, "seats": election.seats,
           "opens_at": election.opens_at, "closes_at": election.closes_at,
           "status": election.status,
           "candidates": [c.full_name for c in election.candidates.all() if c.approved],
           "ballots": None, "voters": None, "eligible": None, "results": None}
    if show:
        t = elections.tally(election)
        out.update(ballots=t.ballots, voters=t.voters, eligible=t.eligible,
                   results=[{"name": c.full_name, "votes": n, "elected": won,
                             "tied": c in t.tied} for c, n, won in t.rows])
    return out


@router.get("/elections", response=responses(list[ElectionOut], 401, 403, 422), auth=AUTH,
            summary="Elections, with results once known to the caller (members)")
def election_list(request, offset: Offset = 0, limit: Limit(20, 100) = 20):
    _members_only(request.user)
    rows = Election.objects.visible_to_members().prefetch_related("candidates").order_by(
        "-opens_at", "pk")[offset:offset + limit]
    return [_election_out(e, request.user) for e in rows]


@router.get("/elections/{election_id}", response=responses(ElectionOut, 401, 403, 404, 422),
            auth=AUTH, summary="One election (results: board and staff after close, "
                               "members once published)")
def election_detail(request, election_id: ObjectId):
    _members_only(request.user)
    return _election_out(get_object_or_404(Election.objects.visible_to_members(),
                                           pk=election_id), request.user)


@router.get("/board", response=responses(list[BoardMemberOut], 401, 422), auth=None,
            summary="The board of directors today, else the last one elected (public)")
def board(request):
    from alliage.core.api_support import viewer

    viewer(request)
    return [{"name": b.full_name, "role": b.role,
             "organisation": b.organisation.legal_name if b.organisation_id else None,
             "term_start": b.term_start, "term_end": b.term_end}
            for b in elections.board_shown()]
