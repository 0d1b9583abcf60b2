"""The phone check-in desk, sponsors edited by staff, and figures per period."""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from alliage.events import services, stats
from alliage.events.models import Registration
from tests.conftest import login, text
from tests.events.conftest import make_event
from tests.events.test_staff_pages import _data


def _register(event, contact, organisation=None):
    order = services.order_create(event=event, ticket_type=event.ticket_types.get(),
                                  buyer=contact, attendees=[contact], organisation=organisation)
    return order.registrations.get()


def test_desk_checks_in_by_scanned_url_once_and_warns_the_second_time(client, cast):
    event = make_event()
    registration = _register(event, cast.alice.contact, cast.acme)
    login(client, cast.sam)
    url = f"/gestion/activites/{event.slug}/accueil/"
    scanned = f"http://testserver/gestion/activites/accueil/{registration.code}/"
    first = client.post(url, {"code": scanned}, HTTP_HX_REQUEST="true")
    assert "Bienvenue" in text(first) and "Présences : 1 sur 1 attendue" in text(first)
    registration.refresh_from_db()
    arrived = registration.checked_in_at
    assert arrived is not None
    second = client.post(url, {"code": registration.code}, HTTP_HX_REQUEST="true")
    assert "Déjà enregistré" in text(second)
    registration.refresh_from_db()
    assert registration.checked_in_at == arrived


def test_desk_refuses_unknown_other_event_and_cancelled_tickets(client, cast):
    event, other = make_event(), make_event(slug="autre", capacity=5)
    elsewhere = _register(other, cast.bob.contact, cast.acme)
    cancelled = _register(event, cast.carol.contact, cast.rival)
    Registration.objects.filter(pk=cancelled.pk).update(status=Registration.Status.CANCELLED)
    login(client, cast.sam)
    url = f"/gestion/activites/{event.slug}/accueil/"
    assert "Code de billet inconnu" in text(client.post(url, {"code": "nope"},
                                                         HTTP_HX_REQUEST="true"))
    assert "une autre activité" in text(client.post(url, {"code": elsewhere.code},
                                                     HTTP_HX_REQUEST="true"))
    assert "Refusé" in text(client.post(url, {"code": cancelled.code}, HTTP_HX_REQUEST="true"))
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()
    # Without JavaScript: a redirect with the message, and nothing changed.
    response = client.post(url, {"code": "nope"}, follow=True)
    assert "Code de billet inconnu" in text(response)


def test_desk_search_by_name_or_company(client, cast):
    event = make_event()
    _register(event, cast.alice.contact, cast.acme)
    _register(event, cast.carol.contact, cast.rival)
    login(client, cast.sam)
    found = text(client.get(f"/gestion/activites/{event.slug}/accueil/",
                            {"q": cast.carol.contact.last_name}, HTTP_HX_REQUEST="true"))
    assert cast.carol.contact.full_name in found
    assert cast.alice.contact.full_name not in found
    page = text(client.get(f"/gestion/activites/{event.slug}/accueil/",
                           {"q": cast.acme.legal_name[:6]}))
    assert cast.alice.contact.full_name in page


def _logo():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_staff_add_a_sponsor_with_its_logo_and_reject_a_fake_image(client, cast, settings,
                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, cast.sam)
    sponsor = {"sponsors-TOTAL_FORMS": "1", "sponsors-0-name": "Rio Tinto",
               "sponsors-0-level": "presenting", "sponsors-0-position": "1",
               "sponsors-0-website": "https://www.riotinto.com"}
    bad = client.post("/gestion/activites/nouvelle/", _data(
        **sponsor, **{"sponsors-0-logo": SimpleUploadedFile("x.png", b"not an image")}))
    assert bad.status_code == 200 and "image" in text(bad).lower()
    from alliage.events.models import Event

    assert not Event.objects.exists()
    good = client.post("/gestion/activites/nouvelle/", _data(
        **sponsor, **{"sponsors-0-logo": _logo()}))
    assert good.status_code == 302
    event = Event.objects.get()
    assert event.sponsors.get().logo.name.startswith("sponsors/")
    assert "Rio Tinto" in text(client.get(event.get_absolute_url()))


def test_figures_per_month_and_per_kind(cast):
    start = timezone.now() + timedelta(days=20)
    a = make_event(slug="a", starts_at=start, ends_at=start + timedelta(hours=1))
    b = make_event(slug="b", kind="webinar", starts_at=start + timedelta(days=40),
                   ends_at=start + timedelta(days=40, hours=1))
    ra = _register(a, cast.alice.contact, cast.acme)
    _register(a, cast.dan.contact)
    _register(b, cast.bob.contact, cast.acme)
    services.check_in(registration=ra, actor=cast.sam)
    span = (date.today(), date.today() + timedelta(days=120))
    months = stats.per_period(*span)
    assert sum(m["registered"] for m in months) == 3
    first = next(m for m in months if m["month"] == a.starts_at.date().replace(day=1))
    assert first["present"] >= 1
    assert {k["kind"]: k["registered"] for k in stats.by_kind(*span)} == {
        "networking": 2, "webinar": 1}
