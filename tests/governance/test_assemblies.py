"""Assemblies: notice period, convocation, attendance, proxies within the cap, quorum live,
resolutions with their majority rule, closing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliage.core.models import Email
from alliage.governance import services
from alliage.governance.models import Bylaws, Resolution
from tests.governance.conftest import make_assembly, member


def test_convocation_respects_the_notice_period_and_goes_to_members_once(cast):
    Bylaws.current()
    Bylaws.objects.update(notice_days=15)
    too_close = make_assembly(status="draft", starts_at=timezone.now() + timedelta(days=10))
    with pytest.raises(ValidationError, match="15"):
        services.assembly_convene(assembly=too_close, actor=cast.sam)
    assembly = make_assembly(status="draft", starts_at=timezone.now() + timedelta(days=20))
    assert services.assembly_convene(assembly=assembly, actor=cast.sam) == 2  # alice, carol
    services.assembly_convene(assembly=assembly, actor=cast.sam)              # a retry
    mails = Email.objects.filter(template="governance_convocation")
    assert sorted(mails.values_list("to", flat=True)) == ["alice@acme.example",
                                                          "carol@rival.example"]
    assert mails.first().subject == "Avis de convocation : AGA 2026"
    assembly.refresh_from_db()
    assert assembly.status == "convened" and assembly.convened_at is not None


def test_one_representative_per_member_in_good_standing(cast, assembly):
    services.attendance_record(assembly=assembly, organisation=cast.acme,
                               representative=cast.alice.contact, actor=cast.sam)
    with pytest.raises(ValidationError, match="déjà|already"):
        services.attendance_record(assembly=assembly, organisation=cast.acme,
                                   representative=cast.bob.contact, actor=cast.sam)
    with pytest.raises(ValidationError):                       # not a member
        services.attendance_record(assembly=assembly, organisation=cast.prospect,
                                   actor=cast.sam)
    with pytest.raises(ValidationError):                       # not a person of Rival
        services.attendance_record(assembly=assembly, organisation=cast.rival,
                                   representative=cast.alice.contact, actor=cast.sam)


def test_quorum_counts_members_present_and_represented(cast, assembly):
    Bylaws.current()
    Bylaws.objects.update(quorum_percent=50, max_proxies=2)
    others = [member(f"membre-{i}") for i in range(4)]          # 6 members in all
    q = services.quorum(assembly)
    assert (q.members, q.votes, q.needed, q.reached) == (6, 0, 3, False)
    services.attendance_record(assembly=assembly, organisation=cast.acme, actor=cast.sam)
    services.proxy_give(assembly=assembly, giver=others[0], holder=cast.acme, actor=cast.sam)
    # A proxy held by an absent member counts for nothing.
    services.proxy_give(assembly=assembly, giver=others[1], holder=cast.rival, actor=cast.sam)
    q = services.quorum(assembly)
    assert (q.present, q.represented, q.reached) == (1, 1, False)
    services.attendance_record(assembly=assembly, organisation=cast.rival, actor=cast.sam)
    q = services.quorum(assembly)
    assert (q.present, q.represented, q.votes, q.reached) == (2, 2, 4, True)
    # A giver who comes after all votes itself: its proxy no longer adds a vote.
    services.attendance_record(assembly=assembly, organisation=others[0], actor=cast.sam)
    q = services.quorum(assembly)
    assert (q.present, q.represented, q.votes) == (3, 1, 4)


def test_proxies_are_capped_and_never_chained(cast, assembly):
    Bylaws.current()
    Bylaws.objects.update(max_proxies=1)
    a, b = member("membre-a"), member("membre-b")
    services.proxy_give(assembly=assembly, giver=a, holder=cast.acme, actor=cast.sam)
    with pytest.raises(ValidationError, match="1"):
        services.proxy_give(assembly=assembly, giver=b, holder=cast.acme, actor=cast.sam)
    with pytest.raises(ValidationError):                        # a gave: cannot hold
        services.proxy_give(assembly=assembly, giver=b, holder=a, actor=cast.sam)
    with pytest.raises(ValidationError):                        # acme holds: cannot give
        services.proxy_give(assembly=assembly, giver=cast.acme, holder=cast.rival,
                            actor=cast.sam)
    with pytest.raises(ValidationError):                        # a second proxy of a
        services.proxy_give(assembly=assembly, giver=a, holder=cast.rival, actor=cast.sam)
    with pytest.raises(ValidationError):                        # not a member
        services.proxy_give(assembly=assembly, giver=cast.prospect, holder=cast.rival,
                            actor=cast.sam)


@pytest.mark.parametrize(("majority", "votes", "outcome"), [
    ("simple", (10, 9, 30), "adopted"),
    ("simple", (10, 10, 0), "rejected"),
    ("two_thirds", (20, 10, 5), "adopted"),
    ("two_thirds", (19, 10, 0), "rejected"),
    ("simple", (0, 0, 5), "rejected"),
])
def test_majority_rules(majority, votes, outcome):
    assert services.adopted(majority, votes[0], votes[1]) == (outcome == "adopted")


def test_a_resolution_is_voted_once_with_quorum_and_no_more_votes_than_present(cast, assembly):
    Bylaws.current()
    Bylaws.objects.update(quorum_percent=100)
    resolution = services.resolution_add(assembly=assembly, title_fr="Adoption des états "
                                         "financiers", majority="simple", actor=cast.sam)
    services.attendance_record(assembly=assembly, organisation=cast.acme, actor=cast.sam)
    with pytest.raises(ValidationError, match="quorum"):
        services.resolution_vote(resolution=resolution, votes_for=1, votes_against=0,
                                 abstentions=0, actor=cast.sam)
    services.attendance_record(assembly=assembly, organisation=cast.rival, actor=cast.sam)
    with pytest.raises(ValidationError):
        services.resolution_vote(resolution=resolution, votes_for=2, votes_against=1,
                                 abstentions=0, actor=cast.sam)
    services.resolution_vote(resolution=resolution, votes_for=2, votes_against=0,
                             abstentions=0, actor=cast.sam)
    assert Resolution.objects.get().outcome == "adopted"
    with pytest.raises(ValidationError):
        services.resolution_vote(resolution=resolution, votes_for=0, votes_against=2,
                                 abstentions=0, actor=cast.sam)


def test_closing_freezes_the_assembly(cast, assembly):
    services.attendance_record(assembly=assembly, organisation=cast.acme, actor=cast.sam)
    services.assembly_close(assembly=assembly, actor=cast.sam)
    assembly.refresh_from_db()
    assert assembly.members_at_close == 2 and assembly.status == "closed"
    member("nouveau")                                       # a member joins afterwards
    assert services.quorum(assembly).members == 2
    with pytest.raises(ValidationError):
        services.attendance_record(assembly=assembly, organisation=cast.rival, actor=cast.sam)
    with pytest.raises(ValidationError):
        services.proxy_give(assembly=assembly, giver=cast.rival, holder=cast.acme,
                            actor=cast.sam)


def test_the_draft_minutes_pdf_lists_attendance_quorum_and_resolutions(client, cast, assembly):
    from alliage.governance.minutes import minutes_html
    from tests.conftest import login

    services.attendance_record(assembly=assembly, organisation=cast.acme,
                               representative=cast.alice.contact, actor=cast.sam)
    resolution = services.resolution_add(assembly=assembly, title_fr="États financiers 2025",
                                         majority="simple", actor=cast.sam)
    services.resolution_vote(resolution=resolution, votes_for=1, votes_against=0,
                             abstentions=0, actor=cast.sam)
    html = minutes_html(assembly)
    for expected in ("Usinage Précision Acme inc.", "Alice Tremblay", "Quorum atteint",
                     "États financiers 2025", "Adoptée", "PROJET"):
        assert expected in html
    login(client, cast.sam)
    pdf = client.get(f"/gestion/assemblees/{assembly.pk}/proces-verbal.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    login(client, cast.bea)
    assert client.get(f"/gestion/assemblees/{assembly.pk}/proces-verbal.pdf").status_code == 403
