"""The desk, the minutes and an election's results cost the same whatever their rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliage.governance import elections, services
from alliage.governance.minutes import minutes_html
from tests.conftest import login
from tests.governance.conftest import make_assembly, make_election, member


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_desk_minutes_and_tally_do_not_grow_with_attendance_and_ballots(client, cast):
    assembly = make_assembly()
    election = make_election(assembly=assembly)
    login(client, cast.sam)

    def grow(start, n):
        for i in range(start, start + n):
            org = member(f"membre-{i}", admin_email=f"ad{i}@m{i}.example")
            services.attendance_record(assembly=assembly, organisation=org, actor=cast.sam,
                                       representative=org.affiliations.get().contact)
            from alliage.governance.models import Ballot, VoterMark

            VoterMark.objects.create(election=election, organisation=org)
            Ballot.objects.create(election=election, choices=[election.c[i % 3].pk])

    def measure():
        return (_count(lambda: client.get(f"/gestion/assemblees/{assembly.pk}/registre/")),
                _count(lambda: minutes_html(assembly)),
                _count(lambda: elections.tally(election)))

    grow(0, 3)
    measure()                          # warm: the by-laws row is created on first use
    before = measure()
    grow(3, 12)
    assert measure() == before
