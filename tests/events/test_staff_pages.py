from alliage.core.models import AuditLog
from alliage.events.models import Event
from tests.conftest import login, text


def _data(**changes):
    data = {"kind": "golf", "title_fr": "Tournoi de golf 2027", "title_en": "", "status":
            "published", "starts_at": "2027-06-12T08:00", "ends_at": "2027-06-12T18:00",
            "description_fr": "", "description_en": "", "venue_name": "Club de golf Saguenay",
            "venue_address": "", "municipality": "", "online_url": "", "capacity": "144",
            "registration_opens_at": "", "registration_closes_at": "",
            "cancellation_deadline": "", "waitlist_offer_hours": "48", "host_organisation": "",
            "safety_requirements": "", "minimum_age": "", "trainer": "", "partner": "",
            "subsidy_program": "", "attendance_threshold": "80",
            "questions_text": "Handicap\nRestrictions alimentaires",
            "tickets-TOTAL_FORMS": "1", "tickets-INITIAL_FORMS": "0",
            "tickets-0-name_fr": "Golfeur", "tickets-0-name_en": "",
            "tickets-0-member_price_cents": "225", "tickets-0-public_price_cents": "275,00",
            "tickets-0-taxable": "on", "tickets-0-quota": "",
            "sessions-TOTAL_FORMS": "0", "sessions-INITIAL_FORMS": "0",
            "sponsors-TOTAL_FORMS": "0", "sponsors-INITIAL_FORMS": "0"}
    data.update(changes)
    return data


def test_staff_create_an_event_with_its_tickets(client, cast):
    login(client, cast.sam)
    response = client.post("/gestion/activites/nouvelle/", _data())
    assert response.status_code == 302
    event = Event.objects.get(slug="tournoi-de-golf-2027")
    assert event.questions == ["Handicap", "Restrictions alimentaires"]
    assert event.ticket_types.get().public_price_cents == 27500
    assert AuditLog.objects.filter(action="event.create").exists()


def test_bad_event_input_is_explained_and_saves_nothing(client, cast):
    login(client, cast.sam)
    response = client.post("/gestion/activites/nouvelle/", _data(
        kind="webinar", ends_at="2027-06-11T08:00", **{"tickets-0-member_price_cents": "-5"}))
    html = text(response)
    assert "La fin précède le début." in html
    assert "Un webinaire exige son lien de rencontre." in html
    assert "Le montant ne peut pas être négatif." in html
    assert not Event.objects.exists()


def test_ticket_prices_are_typed_and_shown_in_dollars(client, cast):
    """Issue #14: staff never type or read cents."""
    login(client, cast.sam)
    client.post("/gestion/activites/nouvelle/", _data(**{
        "tickets-0-member_price_cents": "39,95", "tickets-0-public_price_cents": "1 250.50 $"}))
    ticket = Event.objects.get(slug="tournoi-de-golf-2027").ticket_types.get()
    assert (ticket.member_price_cents, ticket.public_price_cents) == (3995, 125050)
    page = text(client.get("/gestion/activites/tournoi-de-golf-2027/modifier/"))
    assert 'value="39,95"' in page and 'value="1250,50"' in page
    assert "Prix membre ($)" in page and "(cents)" not in page
    html = text(client.post("/gestion/activites/nouvelle/", _data(
        title_fr="Autre", **{"tickets-0-member_price_cents": "quarante"})))
    assert "Saisissez un montant en dollars, p. ex. 40 ou 39,95." in html


def test_event_pages_are_staff_only(client, cast):
    login(client, cast.alice)
    assert client.get("/gestion/activites/").status_code == 403
    assert client.get("/gestion/activites/nouvelle/").status_code == 403
