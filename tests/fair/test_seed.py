"""The demo's fair: the June 2020 fair with its five pavilions and ~40 exhibitors, the coming
suppliers' meetup with requests and a placed schedule; running it again changes nothing."""

from alliage.fair.models import Booth, Fair, Lead, Meeting, MeetingRequest, MeetingSeat


def _counts():
    return (Fair.objects.count(), Booth.objects.count(), Lead.objects.count(),
            MeetingRequest.objects.count(), Meeting.objects.count())


def test_the_demo_fair_and_meetup(db, settings, tmp_path):
    from alliage.accounts import seed as accounts
    from alliage.core import seed as core
    from alliage.events import seed as events
    from alliage.fair import seed as fair
    from alliage.members import seed as members

    settings.MEDIA_ROOT = tmp_path
    for module in (core, members, accounts, events):
        module.seed()
    fair.seed()
    june = Fair.objects.get(slug="salon-virtuel-2020")
    assert list(june.pavilions.values_list("name_fr", flat=True)) == [
        "Manufacturiers", "Associations", "Financement et soutien", "Technologies", "Services"]
    assert 35 <= june.booths.count() <= 40
    meetup = Fair.objects.get(slug="rendez-vous-equipementiers")
    assert meetup.event.slug == "rendez-vous-equipementiers"
    assert meetup.participants.filter(contact__email="admin@usinage-du-fjord.example").exists()
    placed = Meeting.objects.filter(fair=meetup).count()
    assert placed > 0
    assert MeetingSeat.objects.filter(meeting__fair=meetup).count() == 2 * placed
    before = _counts()
    fair.seed()
    assert _counts() == before
