"""Listing expiry and reminders, private files, staff-only counterparts, questionnaires."""

from datetime import date, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliage.core.models import Email
from alliage.symbiosis import services
from alliage.symbiosis.daily import daily_run
from alliage.symbiosis.models import Characterisation, Match, Stream, StreamFile
from tests.conftest import login, text
from tests.symbiosis.test_symbiosis import _stream


def _published(cast, django_capture_on_commit_callbacks, **kw):
    offer = _stream(cast.acme, "offer", "Bran de scie", "Bran de scie sec", **kw)
    need = _stream(cast.rival, "need", "Litière", "Litière pour poulaillers")
    with django_capture_on_commit_callbacks(execute=True):
        services.stream_publish(stream=offer, actor=cast.sam)
        services.stream_publish(stream=need, actor=cast.sam)
    return offer, need


def test_listings_are_reminded_once_then_expire(cast, django_capture_on_commit_callbacks):
    offer, need = _published(cast, django_capture_on_commit_callbacks)
    assert Match.objects.count() == 1
    expiry = offer.expires_at
    with time_machine.travel(expiry - timedelta(days=20)):
        assert daily_run()["reminded"] == 2
        assert daily_run()["reminded"] == 0                     # once
    reminders = Email.objects.filter(key__startswith=f"stream-expiry:{offer.pk}:")
    assert reminders.count() == 1 and "toujours disponible" in reminders.get().subject
    with time_machine.travel(expiry + timedelta(days=1)):
        assert daily_run()["expired"] >= 1
    offer.refresh_from_db()
    assert offer.status == Stream.Status.EXPIRED
    assert not Match.objects.current().filter(offer=offer).exists()


def test_confirming_extends_the_listing(cast, django_capture_on_commit_callbacks):
    offer, _need = _published(cast, django_capture_on_commit_callbacks)
    before = offer.expires_at
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        services.stream_publish(stream=offer, actor=cast.alice)
    offer.refresh_from_db()
    assert offer.expires_at > before


def test_files_are_served_only_to_who_sees_the_stream(client, cast, settings, tmp_path,
                                                      django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    offer, _need = _published(cast, django_capture_on_commit_callbacks,
                              confidentiality="staff")
    login(client, cast.alice)
    bad = client.post(f"/symbiose/flux/{offer.pk}/fichiers/",
                      {"file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "Fichiers acceptés" in text(bad) and not StreamFile.objects.exists()
    client.post(f"/symbiose/flux/{offer.pk}/fichiers/",
                {"file": SimpleUploadedFile("analyse.pdf", b"%PDF-1.4 test"),
                 "caption": "Analyse"})
    item = StreamFile.objects.get()
    url = f"/symbiose/flux/{offer.pk}/fichiers/{item.pk}/"
    assert client.get(url).status_code == 200
    login(client, cast.carol)
    assert client.get(url).status_code == 404
    assert client.get(f"/media/{item.file.name}").status_code == 404      # never via /media/


def test_staff_only_counterparts_never_reach_other_companies(client, cast,
                                                             django_capture_on_commit_callbacks):
    offer, need = _published(cast, django_capture_on_commit_callbacks,
                             confidentiality="staff")
    match = Match.objects.get()
    login(client, cast.carol)
    assert "Correspondances" in text(client.get(f"/symbiose/flux/{need.pk}/"))
    assert "% —" not in text(client.get(f"/symbiose/flux/{need.pk}/"))
    assert client.get(f"/api/v1/symbiosis/streams/{need.pk}/matches").json() == []
    assert client.post(f"/symbiose/correspondances/{match.pk}/introduction/").status_code == 404
    login(client, cast.sam)
    assert client.get(f"/api/v1/symbiosis/streams/{need.pk}/matches").json()[0][
        "counterpart"]


def test_needs_assessment_creates_draft_needs(client, cast):
    login(client, cast.alice)
    assert "Cochez au moins" in text(client.post("/symbiose/diagnostic-besoins/", {},
                                                 follow=True))
    client.post("/symbiose/diagnostic-besoins/", {"heat": "1", "storage": "1"})
    drafts = Stream.objects.filter(organisation=cast.acme, kind="need", status="draft")
    assert sorted(drafts.values_list("title", flat=True)) == ["Chaleur", "Entreposage"]


def test_characterisation_campaign_share(client, cast):
    login(client, cast.sam)
    data = {"organisation": cast.acme.pk, "sampled_on": "2026-10-01",
            "performed_by": "CTTÉI", "notes": "",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "1000",
            "lines-0-category": "Bois", "lines-0-low_code": "", "lines-0-weight_kg": "300",
            "lines-0-valorisable": "on",
            "lines-1-category": "Ordures", "lines-1-low_code": "", "lines-1-weight_kg": "100"}
    assert client.post("/gestion/symbiose/caracterisations/", data).status_code == 302
    campaign = Characterisation.objects.get()
    assert campaign.sampled_on == date(2026, 10, 1)
    assert campaign.valorisable_share == 0.75
    assert "75 %" in text(client.get("/gestion/symbiose/caracterisations/"))
    login(client, cast.alice)
    assert client.get("/gestion/symbiose/caracterisations/").status_code == 403
