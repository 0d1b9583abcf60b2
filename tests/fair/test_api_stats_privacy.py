"""API reads with the pages' visibility; the yearly figures; the person's fair data in the
Law 25 export and erasure."""

from datetime import timedelta

from django.utils import timezone

from alliage.core import privacy
from alliage.fair import scheduling, services, stats
from alliage.fair.models import BoothVisit, Lead, MeetingRequest, ScheduleRun
from alliage.fair.privacy import _retain_leads
from tests.conftest import login
from tests.fair.conftest import join, make_fair


def test_the_api_lists_published_fairs_and_booths_and_searches_them(client, cast, booth,
                                                                    rival_booth):
    make_fair(slug="brouillon", status="draft")
    fairs = client.get("/api/v1/fair/").json()
    assert [f["slug"] for f in fairs] == ["salon-test"]
    assert fairs[0]["pavilions"][0]["booths"] == 2
    found = client.get("/api/v1/fair/salon-test/booths?q=arbres").json()
    assert [b["exhibitor"] for b in found] == ["Précision Acme"]
    assert found[0]["products"] == ["Arbres de transmission", "Bagues d'usure"]
    assert client.get("/api/v1/fair/brouillon").status_code == 404
    assert client.get("/api/v1/fair/salon-test/booths?pavilion=nope").status_code == 404
    assert client.get(f"/api/v1/fair/salon-test/booths/{booth.pk}").json()["id"] == booth.pk


def test_leads_by_api_only_for_the_exhibitor(client, cast, booth):
    services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True)
    url = f"/api/v1/fair/salon-test/booths/{booth.pk}/leads"
    assert client.get(url).status_code == 401
    login(client, cast.carol)
    assert client.get(url).status_code == 404
    login(client, cast.alice)
    assert [x["email"] for x in client.get(url).json()] == ["carol@rival.example"]


def test_the_agenda_by_api(client, cast, fair):
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier")
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    login(client, cast.alice)
    rows = client.get("/api/v1/fair/salon-test/agenda").json()
    assert len(rows) == 1 and rows[0]["with_person"].startswith("Carol Simard")
    login(client, cast.bob)
    assert client.get("/api/v1/fair/salon-test/agenda").status_code == 404


def test_yearly_figures(cast, fair, booth, rival_booth):
    services.visit_record(booth=booth, contact=cast.carol.contact)
    services.visit_record(booth=booth)
    services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True)
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier")
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    services.meeting_no_show(meeting=r.meeting, no_show=True, actor=cast.sam)
    figures = stats.yearly(fair.starts_at.year)
    assert figures == {"fairs": 1, "booths": 2, "exhibitors": 2, "booth_visits": 2,
                       "visitors": 1, "leads": 1, "meeting_requests": 1,
                       "meetings_placed": 1, "meetings_held": 0}
    assert stats.yearly(fair.starts_at.year - 5)["fairs"] == 0


def _subject(user):
    from alliage.members.privacy import subject_for

    return subject_for(user.contact)


def test_the_persons_fair_data_is_exported_and_erased(cast, fair, booth):
    services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True,
                        message="Rappelez-moi")
    services.visit_record(booth=booth, contact=cast.carol.contact)
    services.bookmark_toggle(booth=booth, contact=cast.carol.contact)
    carol, alice = join(fair, cast.carol, offers="Génie"), join(fair, cast.alice)
    services.not_interested_toggle(participant=carol, other=alice)
    services.meeting_request_create(fair=fair, requester=carol, recipient=alice,
                                    reason="Projet secret")
    subject = _subject(cast.carol)
    # The fair's own registry entries (the whole export is tested by members).
    mine = {e.section: e for e in privacy.entries() if e.section.startswith("fair_")}
    assert set(mine) == {"fair_leads", "fair_meetings", "fair_bookmarks"}
    assert mine["fair_leads"].export(subject)[0]["message"] == "Rappelez-moi"
    assert mine["fair_meetings"].export(subject)[0]["offers"] == "Génie"
    assert mine["fair_meetings"].export(subject)[0]["not_interested_in"] == ["Alice Tremblay"]
    assert mine["fair_bookmarks"].export(subject)[0]["booth"] == cast.acme.legal_name
    for entry in mine.values():
        entry.anonymise(subject, None)
    assert Lead.objects.count() == 0
    assert BoothVisit.objects.get().contact is None
    assert MeetingRequest.objects.get().reason == ""
    assert not carol.not_interested.exists() and not booth.bookmarks.exists()


def test_leads_are_erased_two_years_after_the_fair(cast, booth):
    services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True)
    assert _retain_leads(timezone.now()) == 0
    booth.fair.ends_at = timezone.now() - timedelta(days=800)
    booth.fair.starts_at = booth.fair.ends_at - timedelta(days=1)
    booth.fair.save()
    assert _retain_leads(timezone.now()) == 1
