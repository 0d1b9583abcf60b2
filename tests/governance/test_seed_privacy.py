from alliage.governance import seed
from alliage.governance.elections import tally
from alliage.governance.models import Assembly, BoardMember, Election


def test_the_demo_aga_is_seeded_once_with_a_consistent_election(cast):
    first = seed.seed()
    assert seed.seed() == first
    aga = Assembly.objects.get(title_fr="AGA de constitution d'Alliage 02")
    assert aga.status == "closed" and aga.resolutions.count() == 3
    days = sorted(a.starts_at.date().isoformat()
                  for a in Assembly.objects.filter(title_fr__startswith="Dernière"))
    assert days == ["2019-06-13", "2019-12-10"]
    election = Election.objects.get(assembly=aga)
    t = tally(election)
    assert t.consistent and t.ballots == 2                  # the cast's two members
    assert BoardMember.objects.count() == sum(1 for _c, _n, won in t.rows if won)


def test_privacy_export_and_erasure_of_a_representative(cast):
    from alliage.governance import services
    from alliage.members import privacy as members_privacy
    from tests.governance.conftest import make_assembly

    assembly = make_assembly()
    services.attendance_record(assembly=assembly, organisation=cast.acme,
                               representative=cast.alice.contact, actor=cast.sam)
    export = members_privacy.person_export(cast.alice.contact)
    assert export["assembly_attendance"][0]["organisation"] == cast.acme.legal_name
    members_privacy.anonymise(cast.alice.contact, actor=cast.sam)
    assert assembly.attendances.get().representative is None
    assert assembly.attendances.get().organisation == cast.acme      # still present


def test_the_public_board_is_today_s_else_the_last_elected(client, cast):
    from datetime import date

    BoardMember.objects.create(full_name="Ancienne Présidente", role="president",
                               term_start=date(2018, 6, 1), term_end=date(2020, 6, 1))
    BoardMember.objects.create(full_name="Dernier Président", role="president",
                               term_start=date(2020, 6, 17), term_end=date(2022, 6, 17))
    page = client.get("/vie-associative/conseil/").content.decode()
    assert "Dernier Président" in page and "Ancienne" not in page and "2022" in page
    BoardMember.objects.create(full_name="Présidente actuelle", role="president",
                               term_start=date(2025, 6, 1), term_end=date(2099, 6, 1))
    page = client.get("/vie-associative/conseil/").content.decode()
    assert "Présidente actuelle" in page and "Dernier" not in page
