"""Secret-ballot elections: eligibility, one vote per member, secrecy in the schema and the
rows, results only after close, ties, verifiable counts."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alliage.governance import elections
from alliage.governance.models import Ballot, Election, VoterMark
from tests.conftest import login, text
from tests.governance.conftest import make_election, member


def _vote(election, user, org, *candidates):
    elections.vote_cast(election=election, organisation=org, user=user,
                        candidate_ids=[c.pk for c in candidates])


def test_only_an_admin_of_a_member_in_good_standing_votes_for_it(cast, election):
    a, b, _c = election.c
    with pytest.raises(ValidationError):
        _vote(election, cast.bob, cast.acme, a)          # a plain contact
    with pytest.raises(ValidationError):
        _vote(election, cast.carol, cast.acme, a)        # another company's admin
    with pytest.raises(ValidationError):
        _vote(election, cast.dan, cast.prospect, a)      # not a member
    _vote(election, cast.alice, cast.acme, a, b)
    assert VoterMark.objects.count() == Ballot.objects.count() == 1


def test_one_vote_per_organisation(cast, election):
    a, b, _c = election.c
    _vote(election, cast.alice, cast.acme, a)
    with pytest.raises(ValidationError, match="already voted|déjà voté"):
        _vote(election, cast.alice, cast.acme, b)
    assert Ballot.objects.count() == 1


def test_a_ballot_names_at_most_the_seats_and_only_candidates(cast, election):
    a, b, c = election.c
    with pytest.raises(ValidationError):
        _vote(election, cast.alice, cast.acme, a, b, c)          # 3 choices, 2 seats
    other = make_election(title_fr="Autre", names=("Zoé",))
    with pytest.raises(ValidationError):
        _vote(election, cast.alice, cast.acme, other.c[0])
    with pytest.raises(ValidationError):
        elections.vote_cast(election=election, organisation=cast.acme, user=cast.alice,
                            candidate_ids=[])
    assert not Ballot.objects.exists() and not VoterMark.objects.exists()


def test_ballots_cannot_be_linked_to_voters_schema_and_rows(cast, election):
    a, b, c = election.c
    _vote(election, cast.alice, cast.acme, a, b)
    _vote(election, cast.carol, cast.rival, c)
    # Schema: the ballot table has no column but its id, its election and its choices; the
    # voter mark no column but its id, its election and its organisation; no time anywhere,
    # no sequential id, and no relation from one table to the other.
    assert {f.column for f in Ballot._meta.concrete_fields} == {"id", "election_id", "choices"}
    assert {f.column for f in VoterMark._meta.concrete_fields} == {"id", "election_id",
                                                                   "organisation_id"}
    assert Ballot._meta.pk.get_internal_type() == VoterMark._meta.pk.get_internal_type() \
        == "UUIDField"
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(
            cursor, Ballot._meta.db_table)}
        relations = connection.introspection.get_relations(cursor, Ballot._meta.db_table)
    assert columns == {"id", "election_id", "choices"}
    assert {table for _col, table in relations.values()} == {Election._meta.db_table}
    # Rows: a ballot holds sorted candidate ids and nothing else.
    rows = list(Ballot.objects.values_list("choices", flat=True))
    assert sorted(rows) == sorted([sorted([a.pk, b.pk]), [c.pk]])


def test_closing_rewrites_ballots_in_random_order_and_counts_agree(cast, election):
    a, b, c = election.c
    _vote(election, cast.alice, cast.acme, a, b)
    _vote(election, cast.carol, cast.rival, a)
    before = set(Ballot.objects.values_list("id", flat=True))
    elections.election_close(election=election, actor=cast.sam)
    assert set(Ballot.objects.values_list("id", flat=True)).isdisjoint(before)
    t = elections.tally(election)
    assert (t.ballots, t.voters, t.consistent, t.eligible, t.turnout) == (2, 2, True, 2, 100)
    assert [(cand.full_name, n, won) for cand, n, won in t.rows] == [
        ("Ana Roy", 2, True), ("Ben Fortin", 1, True), ("Cléo Lavoie", 0, False)]
    with pytest.raises(ValidationError):
        _vote(election, cast.alice, cast.acme, c)


def test_a_tie_for_the_last_seat_is_left_to_the_bylaws(cast):
    election = make_election(seats=1, names=("Ana Roy", "Ben Fortin"))
    a, b = election.c
    _vote(election, cast.alice, cast.acme, a)
    _vote(election, cast.carol, cast.rival, b)
    elections.election_close(election=election, actor=cast.sam)
    t = elections.tally(election)
    assert set(t.tied) == {a, b} and not any(won for _c, _n, won in t.rows)


def test_results_only_after_close_and_for_members_only_once_published(client, cast, election):
    a = election.c[0]
    _vote(election, cast.alice, cast.acme, a)
    page = f"/vie-associative/elections/{election.pk}/"
    login(client, cast.sam)
    assert "Résultats" not in text(client.get(page))
    assert "seulement une fois le vote fermé" in text(
        client.get(f"/gestion/elections/{election.pk}/"))
    elections.election_close(election=election, actor=cast.sam)
    assert "Résultats" in text(client.get(page))                  # staff after close
    login(client, cast.bob)
    assert "Résultats" not in text(client.get(page))              # members: not yet
    login(client, cast.bea)
    assert "Résultats" in text(client.get(page))                  # the board
    elections.election_publish(election=election, actor=cast.sam)
    login(client, cast.bob)
    body = text(client.get(page))
    assert "Résultats" in body and "Les décomptes concordent" in body


def test_voting_through_the_page_asks_for_confirmation(client, cast, election):
    a, b, _c = election.c
    login(client, cast.alice)
    page = f"/vie-associative/elections/{election.pk}/"
    data = {"organisation": cast.acme.pk, "candidates": [a.pk, b.pk]}
    asked = client.post(page, data)
    assert asked.status_code == 200 and "Veuillez confirmer" in text(asked)
    assert not Ballot.objects.exists()
    done = client.post(page, {**data, "confirmed": "1"})
    assert done.status_code == 302 and Ballot.objects.count() == 1
    assert "a voté" in text(client.get(page))
    # Too many choices is a form error, never a 500.
    login(client, cast.carol)
    bad = client.post(page, {"organisation": cast.rival.pk, "candidates": [c.pk for c in
                                                                           election.c]})
    assert bad.status_code == 200 and Ballot.objects.count() == 1
    bad = client.post(page, {"organisation": "x", "candidates": ["999999999999999999999"]})
    assert bad.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_one_vote_per_organisation_under_concurrent_submissions():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from tests.people import Cast

    cast = Cast()
    election = make_election()
    a, b, _c = election.c
    tries = 8
    barrier = threading.Barrier(tries)
    outcomes = []

    def vote(i):
        from django.db import connections

        try:
            barrier.wait()
            _vote(election, cast.alice, cast.acme, a if i % 2 else b)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(tries)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("refused") == tries - 1
    assert VoterMark.objects.count() == Ballot.objects.count() == 1


def test_a_lapsed_member_cannot_vote(cast, election):
    lapsed = member("ancien", admin_email="ad@ancien.example", status="lapsed")
    from alliage.accounts.models import User

    user = User.objects.create_user("ad@ancien.example", "x" * 12,
                                    contact=lapsed.affiliations.get().contact)
    with pytest.raises(ValidationError):
        _vote(election, user, lapsed, election.c[0])


def test_a_proxy_holder_votes_for_the_member_that_gave_it_its_proxy(cast):
    from alliage.governance import services
    from tests.governance.conftest import make_assembly

    assembly = make_assembly()
    election = make_election(assembly=assembly)
    a, b, _c = election.c
    services.proxy_give(assembly=assembly, giver=cast.rival, holder=cast.acme, actor=cast.sam)
    assert set(elections.voting_organisations(cast.alice, election)) == {cast.acme, cast.rival}
    _vote(election, cast.alice, cast.rival, b)          # Rival's ballot, cast by its holder
    with pytest.raises(ValidationError):
        _vote(election, cast.carol, cast.rival, a)      # Rival has voted, through its proxy
    _vote(election, cast.alice, cast.acme, a)
    assert VoterMark.objects.count() == Ballot.objects.count() == 2
    # Without an assembly, proxies do not reach the election.
    other = make_election(title_fr="Sans assemblée")
    assert list(elections.voting_organisations(cast.alice, other)) == [cast.acme]


def test_members_put_candidacies_forward_during_the_nomination_period(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    from alliage.governance.models import Candidate

    now = timezone.now()
    election = make_election(status="draft", names=("Ana Roy",),
                             nominations_close=now + timedelta(days=3),
                             opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=6))
    page = f"/vie-associative/elections/{election.pk}/"
    login(client, cast.dan)                                   # not a member
    assert client.get(page).status_code == 404
    login(client, cast.bob)
    assert "Poser ma candidature" in text(client.get(page))
    client.post(page, {"statement_fr": "Vingt ans en usinage."})
    mine = Candidate.objects.get(nominated_by=cast.bob)
    assert (mine.full_name, mine.organisation, mine.approved) == ("Bob Gagnon", cast.acme, False)
    assert "attend la confirmation" in text(client.get(page))
    with pytest.raises(ValidationError):
        elections.candidacy_submit(election=election, user=cast.bob, statement_fr="Encore")
    # Not on the ballot until the staff approve it.
    from alliage.governance.forms import BallotForm
    from alliage.members.models import Organisation

    form = BallotForm(election=election, organisations=Organisation.objects.all())
    assert list(form.fields["candidates"].queryset) == [election.c[0]]
    login(client, cast.sam)
    client.post(f"/gestion/elections/{election.pk}/candidats/{mine.pk}/approuver/")
    mine.refresh_from_db()
    assert mine.approved
    Election.objects.filter(pk=election.pk).update(nominations_close=now - timedelta(minutes=1))
    election.refresh_from_db()
    with pytest.raises(ValidationError, match="terminées|closed"):
        elections.candidacy_submit(election=election, user=cast.carol, statement_fr="Tard")


def _physical(table):
    """Each row's physical trace: SQLite's rowid (insertion order), PostgreSQL's xmin (the
    inserting transaction)."""
    column = "rowid" if connection.vendor == "sqlite" else "xmin::text::bigint"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")   # noqa: S608 - fixed names
        return dict(cursor.fetchall())


def test_each_vote_rewrites_the_ballots_so_their_physical_order_pairs_no_one(cast, election):
    # While the vote is open too: after each vote every ballot (and mark) is written again
    # in random order, so none keeps the rowid/xmin of the vote that cast it.
    a, b, _c = election.c
    _vote(election, cast.alice, cast.acme, a)
    before = _physical(Ballot._meta.db_table)
    _vote(election, cast.carol, cast.rival, b)
    after = _physical(Ballot._meta.db_table)
    assert set(after).isdisjoint(before)       # every row written again, with a new random id
    if connection.vendor == "postgresql":      # ... by one transaction: one xmin for all
        assert len(set(after.values()) | set(_physical(VoterMark._meta.db_table).values())) \
            == 1
    assert sorted(Ballot.objects.values_list("choices", flat=True)) == [[a.pk], [b.pk]]


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_of_different_members_all_count_once():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from alliage.accounts.models import User
    from tests.people import Cast

    Cast()
    election = make_election()
    voters = []
    for i in range(6):
        org = member(f"membre-{i}", admin_email=f"ad{i}@membre.example")
        voters.append((User.objects.create_user(f"ad{i}@membre.example", "x" * 12,
                                                contact=org.affiliations.get().contact), org))
    barrier = threading.Barrier(len(voters))
    errors = []

    def vote(user, org):
        from django.db import connections

        try:
            barrier.wait()
            _vote(election, user, org, election.c[0])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=v) for v in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert VoterMark.objects.count() == Ballot.objects.count() == len(voters)
    assert len(set(_physical(Ballot._meta.db_table).values())) == 1   # one xmin for all
