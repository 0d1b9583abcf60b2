"""The pages: searching booths, counting visits, leaving a card, the exhibitor's edit and
leads export, the agenda and its iCalendar file, the staff scheduling button."""

from alliage.core.models import AuditLog
from alliage.fair import scheduling, services
from alliage.fair.models import BoothVisit, Lead, Meeting, ScheduleRun
from tests.conftest import login, text
from tests.fair.conftest import join


def test_visitors_find_booths_by_product_and_not_unpublished_ones(client, cast, booth,
                                                                  rival_booth):
    page = text(client.get("/salon/salon-test/?q=arbres transmission"))
    assert "Précision Acme" in page and "Génie Rival" not in page.split("Pavillons")[0]
    booth.published = False
    booth.save()
    assert "Précision Acme" not in text(client.get("/salon/salon-test/?q=arbres"))


def test_the_pavilion_page_lists_its_booths_in_a_fixed_number_of_queries(
        client, cast, booth, rival_booth, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = text(client.get("/salon/salon-test/pavillons/manufacturiers/"))
    assert "Précision Acme" in page and "Génie Rival" in page


def test_an_anonymous_visitor_counts_once_per_browser_session(client, cast, booth):
    for _ in range(3):
        client.get(f"/salon/salon-test/kiosques/{booth.pk}/")
    login(client, cast.carol)
    client.get(f"/salon/salon-test/kiosques/{booth.pk}/")
    client.get(f"/salon/salon-test/kiosques/{booth.pk}/")
    assert BoothVisit.objects.filter(contact=None).count() == 1
    assert BoothVisit.objects.filter(contact=cast.carol.contact).count() == 1


def test_a_card_is_left_only_with_the_box_ticked(client, cast, booth):
    login(client, cast.carol)
    url = f"/salon/salon-test/kiosques/{booth.pk}/carte/"
    response = client.post(url, {"message": "Bonjour"}, follow=True)
    assert Lead.objects.count() == 0
    assert "consentement" in text(response)
    client.post(url, {"message": "Bonjour", "consent": "1"})
    lead = Lead.objects.get()
    assert lead.contact == cast.carol.contact and "Précision Acme" in lead.consent_text


def test_the_exhibitor_edits_its_booth_with_an_audit_entry_and_only_its_own_people(
        client, cast, booth):
    login(client, cast.alice)
    url = f"/salon/salon-test/kiosques/{booth.pk}/modifier/"
    page = text(client.get(url))
    assert "Bob Gagnon" in page and "Carol Simard" not in page
    response = client.post(url, {"description_fr": "Nouveau texte", "description_en": "New",
                                 "products": "Engrenages", "capabilities": "",
                                 "video_url": "https://video.example/acme", "room_url": "",
                                 "opening_hours": "9 h à 17 h",
                                 "contact": cast.alice.contact.pk, "published": "on"})
    assert response.status_code == 302
    booth.refresh_from_db()
    assert booth.description_fr == "Nouveau texte" and booth.contact == cast.alice.contact
    assert AuditLog.objects.filter(action="fair.booth_edit").exists()
    rejected = client.post(url, {"description_fr": "x", "contact": cast.carol.contact.pk,
                                 "published": "on"})
    assert rejected.status_code == 200
    booth.refresh_from_db()
    assert booth.contact == cast.alice.contact


def test_a_document_is_checked_and_deleted_after_confirmation(client, cast, booth):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, cast.alice)
    base = f"/salon/salon-test/kiosques/{booth.pk}/documents/"
    client.post(base, {"title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert booth.documents.count() == 0
    client.post(base, {"title": "Fiche", "file": SimpleUploadedFile(
        "fiche.txt.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")})
    document = booth.documents.get()
    asked = client.post(f"{base}{document.pk}/supprimer/")
    assert asked.status_code == 200 and booth.documents.count() == 1   # the question
    client.post(f"{base}{document.pk}/supprimer/", {"confirmed": "1"})
    assert booth.documents.count() == 0


def test_the_leads_export_holds_the_cards_with_their_consent(client, cast, booth,
                                                            rival_booth):
    services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True,
                        message="=HYPERLINK(\"x\")")
    services.lead_leave(booth=rival_booth, contact=cast.dan.contact, consent=True)
    login(client, cast.alice)
    response = client.get(f"/salon/salon-test/kiosques/{booth.pk}/pistes/?export=csv")
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "carol@rival.example" in body and "dan@prospect.example" not in body
    assert "'=HYPERLINK" in body                   # never a live formula
    assert "J'accepte" in body or "I agree" in body
    xlsx = client.get(f"/salon/salon-test/kiosques/{booth.pk}/pistes/?export=xlsx")
    assert xlsx.status_code == 200
    assert client.get(f"/salon/salon-test/kiosques/{booth.pk}/pistes/?export=pdf") \
        .status_code == 400


def test_requesting_and_accepting_through_the_pages(client, cast, fair):
    carol = join(fair, cast.carol)
    login(client, cast.alice)
    client.post("/salon/salon-test/maillage/", {"offers": "Usinage", "seeks": "Acier",
                                                "busy": ["0"]})
    page = text(client.get("/salon/salon-test/maillage/?q=Simard"))
    assert "Carol Simard" in page
    client.post(f"/salon/salon-test/maillage/demander/{carol.pk}/",
                {"reason": "Acier local", "must_meet": "1"})
    request = carol.requests_received.get()
    assert request.must_meet and request.reason == "Acier local"
    login(client, cast.carol)
    client.post(f"/salon/salon-test/maillage/demandes/{request.pk}/reponse/",
                {"decision": "accept"})
    request.refresh_from_db()
    assert request.status == "accepted"


def test_the_agenda_and_its_calendar_file_show_the_placed_meeting(client, cast, fair):
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier local")
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    meeting = Meeting.objects.get()
    login(client, cast.alice)
    page = text(client.get("/salon/salon-test/agenda/"))
    assert "Carol Simard" in page and "Acier local" in page
    ics = client.get("/salon/salon-test/agenda.ics").content.decode()
    assert "BEGIN:VEVENT" in ics and f"fair-meeting-request-{meeting.request_id}@" in ics
    assert "Carol Simard" in ics


def test_staff_start_the_scheduling_after_confirming(client, cast, fair,
                                                     django_capture_on_commit_callbacks):
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier")
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    login(client, cast.sam)
    assert client.post("/gestion/salons/salon-test/planifier/").status_code == 200
    assert ScheduleRun.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/gestion/salons/salon-test/planifier/", {"confirmed": "1"})
    assert ScheduleRun.objects.get().status == "done"
    page = text(client.get("/gestion/salons/salon-test/"))
    assert "Alice Tremblay" in page and "1 demandes acceptées placées sur 1" in page


def test_staff_create_a_fair_with_its_pavilions_and_cannot_drop_one_holding_booths(
        client, cast):
    from alliage.fair.models import Booth, Fair

    login(client, cast.sam)
    data = {"title_fr": "Salon 2027", "slug": "salon-2027", "status": "published",
            "starts_at": "2027-06-09T09:00", "ends_at": "2027-06-10T17:00",
            "meetings_start": "2027-06-10T09:00", "meetings_end": "2027-06-10T12:00",
            "slot_minutes": "20", "tables": "8",
            "pavilions_text": "Manufacturiers | Manufacturers\nServices"}
    assert client.post("/gestion/salons/nouveau/", data).status_code == 302
    fair = Fair.objects.get(slug="salon-2027")
    assert fair.slot_count == 9
    assert list(fair.pavilions.values_list("name_fr", "name_en")) == [
        ("Manufacturiers", "Manufacturers"), ("Services", "")]
    Booth.objects.create(fair=fair, pavilion=fair.pavilions.get(slug="services"),
                         organisation=cast.acme)
    page = client.post("/gestion/salons/salon-2027/modifier/",
                       {**data, "pavilions_text": "Manufacturiers"})
    assert page.status_code == 200 and "Services" in text(page)
    assert fair.pavilions.count() == 2
    bad = client.post("/gestion/salons/salon-2027/modifier/",
                      {**data, "meetings_end": "2027-06-10T08:00"})
    assert bad.status_code == 200
    fair.refresh_from_db()
    assert fair.slot_count == 9


def test_an_unregistered_person_is_sent_to_the_fairs_registration(client, cast, fair):
    from tests.events.conftest import make_event

    fair.event = make_event(slug="salon-evenement")
    fair.save()
    login(client, cast.bob)
    page = text(client.get("/salon/salon-test/maillage/"))
    assert "/activites/salon-evenement/" in page and 'name="offers"' not in page
    client.post("/salon/salon-test/maillage/", {"offers": "x", "seeks": "y"})
    assert not fair.participants.exists()


def test_a_visitor_keeps_booths_in_their_list(client, cast, booth):
    login(client, cast.carol)
    client.post(f"/salon/salon-test/kiosques/{booth.pk}/favori/")
    page = text(client.get("/salon/salon-test/"))
    assert "Ma liste" in page and "Précision Acme" in page
    client.post(f"/salon/salon-test/kiosques/{booth.pk}/favori/")
    assert not booth.bookmarks.exists()


def test_no_thanks_hides_a_person_from_the_list_until_shown_again(client, cast, fair):
    carol = join(fair, cast.carol)
    alice = join(fair, cast.alice)
    login(client, cast.alice)
    client.post(f"/salon/salon-test/maillage/pas-interesse/{carol.pk}/")
    assert list(alice.not_interested.all()) == [carol]
    page = text(client.get("/salon/salon-test/maillage/"))
    people = page.split("Personnes à rencontrer")[1].split("Personnes à qui")[0]
    assert "Carol Simard" not in people
    client.post(f"/salon/salon-test/maillage/pas-interesse/{carol.pk}/")
    assert not alice.not_interested.exists()


def _accepted(fair, cast, reason="Acier", **alice_extra):
    """Alice asked Carol for a meeting and Carol accepted: (alice, carol, request)."""
    alice, carol = join(fair, cast.alice, **alice_extra), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason=reason)
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    return alice, carol, r


def test_staff_download_the_meeting_schedule(client, cast, fair):
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    r = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                        reason="Acier local")
    services.meeting_request_answer(request=r, participant=carol, accept=True)
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    login(client, cast.sam)
    body = client.get("/gestion/salons/salon-test/?export=csv").content.decode("utf-8-sig")
    assert "Alice Tremblay" in body and "Carol Simard" in body and "Acier local" in body
    assert body.splitlines()[0].startswith("Heure;Table;Demandée par")


def test_an_accepted_request_gets_its_slot_from_the_page(client, cast, fair):
    _alice, _carol, r = _accepted(fair, cast)
    login(client, cast.alice)
    page = text(client.get("/salon/salon-test/maillage/"))
    assert 'name="slot"' in page
    client.post(f"/salon/salon-test/maillage/demandes/{r.pk}/plage/", {"slot": "x"})
    assert not Meeting.objects.exists()
    client.post(f"/salon/salon-test/maillage/demandes/{r.pk}/plage/", {"slot": "1"})
    assert Meeting.objects.get().slot == 1
    assert "Carol Simard" in text(client.get("/salon/salon-test/agenda/"))


def test_the_recipient_can_cancel_an_accepted_request_from_the_page(client, cast, fair):
    _alice, _carol, r = _accepted(fair, cast)
    login(client, cast.carol)
    page = client.get("/salon/salon-test/maillage/").content.decode()
    received = page.split("Demandes reçues")[1].split("Demandes envoyées")[0]
    assert f"/salon/salon-test/maillage/demandes/{r.pk}/annuler/" in received
    client.post(f"/salon/salon-test/maillage/demandes/{r.pk}/annuler/", {"confirmed": "1"})
    r.refresh_from_db()
    assert r.status == "cancelled"


def test_a_too_long_reason_is_told_as_such_and_sends_nothing(client, cast, fair):
    carol = join(fair, cast.carol)
    join(fair, cast.alice)
    login(client, cast.alice)
    response = client.post(f"/salon/salon-test/maillage/demander/{carol.pk}/",
                           {"reason": "x" * 1001}, follow=True)
    assert "1000 caractères" in text(response) and not carol.requests_received.exists()
    response = client.post(f"/salon/salon-test/maillage/demander/{carol.pk}/",
                           {"reason": ""}, follow=True)
    assert "Dites en quelques mots" in text(response)


def test_the_schedule_export_names_each_side_s_organisation(client, cast, fair):
    _accepted(fair, cast, organisation=cast.acme)
    scheduling.schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk)
    login(client, cast.sam)
    body = client.get("/gestion/salons/salon-test/?export=csv").content.decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert "Organisation du demandeur" in header and "Organisation rencontrée" in header
    assert "Précision Acme" in row


def test_an_accepted_request_without_a_common_free_slot_says_who_will_place_it(
        client, cast, fair):
    alice, carol, _r = _accepted(fair, cast)
    services.participant_save(fair=fair, contact=cast.carol.contact,
                              busy_slots=range(fair.slot_count))
    login(client, cast.alice)
    page = text(client.get("/salon/salon-test/maillage/"))
    assert "les organisateurs placeront cette rencontre" in page and 'name="slot"' not in page
