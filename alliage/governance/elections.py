"""Secret-ballot elections: who may vote, casting a ballot, closing, the tally.

One vote per member organisation in good standing, cast by one of its administrators (its
designated representatives in Alliage). Casting writes two rows in one transaction: the
``VoterMark`` (this organisation has voted; unique, so a second vote, even at the same
instant from another session, fails on the constraint) and the ``Ballot`` (the choices),
with nothing linking them. No audit entry is written per vote: its time would sit next to
the ballot's. See ``docs/decisions/0010-secret-ballots.md``.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core import audit
from alliage.governance.models import Ballot, BoardMember, Election, VoterMark
from alliage.members.models import Organisation
from alliage.surveys.services import shuffle_rows


def voting_organisations(user, election):
    """The member organisations in good standing ``user`` may vote for: those they
    administer, and, for an election held at an assembly, those whose proxy at that
    assembly is held by one of them (the holder votes for the giver, by-laws)."""
    from alliage.governance.models import Proxy

    members = Organisation.objects.members()
    mine = members.administered_by(user).values("pk")
    allowed = Q(pk__in=mine)
    if election.assembly_id:
        givers = Proxy.objects.filter(assembly_id=election.assembly_id,
                                      holder__in=mine).values("giver")
        allowed |= Q(pk__in=givers)
    return members.filter(allowed).order_by("legal_name")


def has_voted(election, organisation):
    return VoterMark.objects.filter(election=election, organisation=organisation).exists()


@transaction.atomic
def election_save(*, form, actor, request=None):
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(Election.objects.get(pk=form.instance.pk))
    election = form.save(commit=False)
    if election.status not in (Election.Status.DRAFT, Election.Status.OPEN) and not creating:
        raise ValidationError(_("A closed election can no longer change."))
    if creating:
        election.created_by = actor
    election.save()
    audit.record(actor=actor, action="election.create" if creating else "election.update",
                 obj=election, changes=audit.diff(before, audit.snapshot(election)),
                 request=request)
    return election


@transaction.atomic
def candidate_save(*, form, election, actor, request=None):
    if election.status != Election.Status.DRAFT:
        raise ValidationError(_("Candidates are set before the vote opens."))
    candidate = form.save(commit=False)
    candidate.election = election
    candidate.save()
    audit.record(actor=actor, action="election.candidate", obj=election,
                 changes={"candidate": ["", candidate.full_name]}, request=request)
    return candidate


def nominating_organisation(user):
    """The member organisation in good standing a person may stand for, or None."""
    return Organisation.objects.members().of_user(user).order_by("legal_name").first()


@transaction.atomic
def candidacy_submit(*, election, user, statement_fr, statement_en=""):
    """A member's person puts their candidacy forward during the nomination period; it waits
    for the staff's approval. One candidacy per person and election."""
    from alliage.governance.models import Candidate

    if not election.takes_nominations():
        raise ValidationError(_("Nominations are closed."))
    organisation = nominating_organisation(user)
    if organisation is None or not getattr(user, "contact_id", None):
        raise ValidationError(_("Candidacies come from people of members in good standing."))
    if election.candidates.filter(nominated_by=user).exists():
        raise ValidationError(_("Your candidacy is already recorded."))
    candidate = Candidate.objects.create(
        election=election, full_name=user.contact.full_name, organisation=organisation,
        statement_fr=statement_fr, statement_en=statement_en, approved=False,
        nominated_by=user)
    audit.record(actor=user, action="election.candidacy", obj=election,
                 changes={"candidate": ["", candidate.full_name]})
    return candidate


@transaction.atomic
def candidate_approve(*, candidate, actor, request=None):
    """The staff accept a candidacy put forward by a member (before the vote opens)."""
    if candidate.election.status != Election.Status.DRAFT:
        raise ValidationError(_("Candidates are set before the vote opens."))
    candidate.approved = True
    candidate.save(update_fields=["approved"])
    audit.record(actor=actor, action="election.candidate_approve", obj=candidate.election,
                 changes={"candidate": ["", candidate.full_name]}, request=request)
    return candidate


@transaction.atomic
def election_open(*, election, actor, request=None):
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.DRAFT:
        raise ValidationError(_("Only a draft election can be opened."))
    if not election.candidates.filter(approved=True).exists():
        raise ValidationError(_("Add the candidates first."))
    election.status = Election.Status.OPEN
    election.save(update_fields=["status"])
    audit.record(actor=actor, action="election.open", obj=election, request=request)
    return election


def vote_cast(*, election, organisation, user, candidate_ids):
    """Cast ``organisation``'s one ballot. Refused when the election is not open, when
    ``user`` is not an administrator of that member in good standing, for an unknown
    candidate or more choices than seats, and when the organisation has already voted."""
    if not election.is_open():
        raise ValidationError(_("Voting is not open."))
    if not voting_organisations(user, election).filter(pk=organisation.pk).exists():
        raise ValidationError(_("Only an administrator of a member in good standing votes "
                                "for it."))
    choices = sorted(set(candidate_ids))
    if not choices:
        raise ValidationError(_("Choose at least one candidate."))
    if len(choices) > election.seats:
        raise ValidationError(ngettext("Choose at most %(n)s candidate.",
                                       "Choose at most %(n)s candidates.",
                                       election.seats) % {"n": election.seats})
    known = set(election.candidates.filter(approved=True).values_list("pk", flat=True))
    if not set(choices) <= known:
        raise ValidationError(_("Unknown candidate."))
    try:
        with transaction.atomic():
            # One vote at a time per election: each vote rewrites the election's ballots
            # (and marks) in random order, so while the vote is open too neither the
            # physical order nor PostgreSQL's xmin (which the two rows of one vote would
            # share) pairs a ballot with its voter; the lock keeps two rewrites apart.
            Election.objects.select_for_update().get(pk=election.pk)
            VoterMark.objects.create(election=election, organisation=organisation)
            Ballot.objects.create(election=election, choices=choices)
            shuffle_rows(Ballot.objects.filter(election=election))
            shuffle_rows(VoterMark.objects.filter(election=election))
    except IntegrityError:
        raise ValidationError(_("%(org)s has already voted.") % {"org": organisation}) \
            from None


@transaction.atomic
def election_close(*, election, actor, request=None):
    """End the vote for good; ballots (and marks) are rewritten in random order."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.OPEN:
        raise ValidationError(_("Only an open election can be closed."))
    election.status = Election.Status.CLOSED
    if election.closes_at > timezone.now():
        election.closes_at = timezone.now()
    election.save(update_fields=["status", "closes_at"])
    shuffle_rows(Ballot.objects.filter(election=election))
    shuffle_rows(VoterMark.objects.filter(election=election))
    t = tally(election)
    audit.record(actor=actor, action="election.close", obj=election,
                 changes={"ballots": ["", str(t.ballots)], "voters": ["", str(t.voters)]},
                 request=request)
    return election


@transaction.atomic
def election_publish(*, election, actor, request=None):
    """Publish the results to the members (after close; irreversible)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.CLOSED:
        raise ValidationError(_("Results are published once the vote is closed."))
    election.status = Election.Status.PUBLISHED
    election.save(update_fields=["status"])
    audit.record(actor=actor, action="election.publish", obj=election, request=request)
    return election


@dataclass
class Tally:
    ballots: int
    voters: int
    eligible: int
    rows: list = field(default_factory=list)     # [(candidate, votes, elected: bool)]
    tied: list = field(default_factory=list)     # candidates tied for the last seat

    @property
    def consistent(self):
        """Every voter marked cast exactly one ballot, and the other way round."""
        return self.ballots == self.voters

    @property
    def turnout(self):
        return round(100 * self.voters / self.eligible) if self.eligible else 0


def tally(election):
    """Votes per candidate, most first; the top ``seats`` elected. Candidates tied across
    the last seat are all left unelected and listed in ``tied``: the by-laws' tie rule
    decides (``Bylaws.tie_rule``)."""
    counts = {c.pk: 0 for c in election.candidates.filter(approved=True)}
    ballots = 0
    for choices in Ballot.objects.filter(election=election).values_list("choices", flat=True):
        ballots += 1
        for pk in choices:
            if pk in counts:
                counts[pk] += 1
    candidates = {c.pk: c for c in election.candidates.filter(approved=True)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], candidates[kv[0]].full_name))
    seats = election.seats
    tied = []
    cutoff = ranked[seats - 1][1] if len(ranked) > seats else None
    if cutoff is not None and ranked[seats][1] == cutoff and cutoff > 0:
        tied = [candidates[pk] for pk, n in ranked if n == cutoff]
    rows = []
    for i, (pk, n) in enumerate(ranked):
        elected = i < seats and n > 0 and candidates[pk] not in tied
        rows.append((candidates[pk], n, elected))
    voters = VoterMark.objects.filter(election=election).count()
    eligible = Organisation.objects.members().count()
    return Tally(ballots=ballots, voters=voters, eligible=eligible, rows=rows, tied=tied)


def board_shown(on=None):
    """The board for the public pages: the seats held today, or when none is recorded for
    today, the last board elected (its term dates shown with it)."""
    current = board_now(on)
    if current.exists():
        return current
    last = BoardMember.objects.order_by("-term_start").values_list("term_start",
                                                                   flat=True).first()
    return BoardMember.objects.filter(term_start=last).select_related("organisation")


def board_now(on=None):
    on = on or timezone.localdate()
    return BoardMember.objects.filter(term_start__lte=on, term_end__gt=on).select_related(
        "organisation")


@transaction.atomic
def board_member_save(*, form, actor, request=None):
    """Add or change a board seat (role, term); audited."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(BoardMember.objects.get(pk=form.instance.pk))
    seat = form.save()
    audit.record(actor=actor, action="board.seat" if creating else "board.seat_update",
                 obj=seat, changes=audit.diff(before, audit.snapshot(seat)), request=request)
    return seat


def terms_ending(within_days=120, on=None):
    """Seats whose term ends soon: the rotation the next assembly must fill."""
    on = on or timezone.localdate()
    return board_now(on).filter(term_end__lte=on + timedelta(days=within_days))
