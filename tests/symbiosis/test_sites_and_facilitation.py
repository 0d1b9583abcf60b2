"""Several sites per company (distances from the plant where a stream is) and introductions
suggested by a staff facilitator."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliage.core.models import Email
from alliage.members.models import Site
from alliage.symbiosis import services
from alliage.symbiosis.models import Introduction, Match, Stream
from tests.conftest import login, text


def _published(org, kind, title, description, sam, **extra):
    stream = Stream.objects.create(organisation=org, kind=kind, title=title,
                                   description=description, quantity=100, unit="t/an",
                                   confidentiality="members", **extra)
    services.stream_publish(stream=stream, actor=sam)
    return stream


@pytest.fixture
def pair(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = _published(cast.rival, "need", "Litière", "Litière pour nos poulaillers",
                          cast.sam, max_distance_km=80)
        offer = _published(cast.acme, "offer", "Bran de scie",
                           "Bran de scie sec de notre scierie", cast.sam)
    return {"offer": offer, "need": need}


def test_company_admin_manages_its_sites_and_bad_input_saves_nothing(client, cast):
    login(client, cast.alice)
    url = f"/mon-entreprise/{cast.acme.pk}/sites/"
    form = {"sites-TOTAL_FORMS": "1", "sites-INITIAL_FORMS": "0",
            "sites-0-name": "Usine d'Alma", "sites-0-latitude": "48.55"}
    page = text(client.post(url, form))
    assert "Indiquez la latitude et la longitude ensemble." in page
    assert not Site.objects.exists()
    form["sites-0-longitude"] = "-71.65"
    assert client.post(url, form).status_code == 302
    site = Site.objects.get()
    assert site.organisation == cast.acme and site.map_point == (48.55, -71.65)
    assert "Usine d'Alma" in text(client.get(url))
    login(client, cast.carol)                       # another company never sees them
    assert client.get(url).status_code == 404


def test_a_stream_is_placed_at_its_site_and_distance_limits_follow(
        cast, pair, django_capture_on_commit_callbacks):
    assert Match.objects.filter(offer=pair["offer"], need=pair["need"]).exists()   # ~55 km
    far = Site.objects.create(organisation=cast.acme, name="Entrepôt de Montréal",
                              latitude="45.50", longitude="-73.57")
    offer = pair["offer"]
    offer.site = far
    offer.save()
    Match.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.stream_publish(stream=offer, actor=cast.sam)
    assert not Match.objects.filter(offer=offer, need=pair["need"]).exists()        # > 80 km


def test_the_stream_form_offers_only_the_companys_own_sites(client, cast, pair):
    theirs = Site.objects.create(organisation=cast.rival, name="Usine Rival")
    ours = Site.objects.create(organisation=cast.acme, name="Usine Acme")
    login(client, cast.alice)
    url = f"/symbiose/flux/{pair['offer'].pk}/modifier/"
    page = text(client.get(url))
    assert "Usine Acme" in page and "Usine Rival" not in page
    data = {"kind": "offer", "category": "material", "title": "Bran de scie",
            "description": "Bran de scie sec", "quantity": "100", "unit": "t/an",
            "frequency": "continuous", "physical_state": "solid",
            "confidentiality": "members", "site": theirs.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    pair["offer"].refresh_from_db()
    assert pair["offer"].site is None
    data["site"] = ours.pk
    assert client.post(url, data).status_code == 302
    pair["offer"].refresh_from_db()
    assert pair["offer"].site == ours


def test_a_facilitator_suggests_an_introduction_to_both_sides(client, cast, pair):
    match = Match.objects.get(offer=pair["offer"], need=pair["need"])
    login(client, cast.sam)
    dashboard = text(client.get("/gestion/symbiose/"))
    assert "Correspondances à faciliter" in dashboard and "Litière" in dashboard
    response = client.post(f"/symbiose/correspondances/{match.pk}/introduction/",
                           {"note": "Vous êtes à 55 km l'un de l'autre."})
    intro = Introduction.objects.get()
    assert response.url == intro.get_absolute_url()
    assert not intro.offer_accepted and not intro.need_accepted
    assert intro.messages.get().side == "staff"
    emails = Email.objects.filter(key__startswith=f"introduction:{intro.pk}:")
    assert {e.to for e in emails} == {cast.alice.email, cast.carol.email}
    assert all("55 km" in e.body_text for e in emails)
    # Acted on: no longer waiting on the dashboard.
    assert f"/symbiose/correspondances/{match.pk}/introduction/" not in text(
        client.get("/gestion/symbiose/"))
    login(client, cast.alice)
    client.post(intro.get_absolute_url(), {"action": "accept"})
    page = text(client.get(intro.get_absolute_url()))
    assert str(cast.rival) not in page and "55 km" in page          # not revealed yet
    login(client, cast.carol)
    client.post(intro.get_absolute_url(), {"action": "accept"})
    intro.refresh_from_db()
    assert intro.status == Introduction.Status.DISCUSSION
    assert str(cast.acme) in text(client.get(intro.get_absolute_url()))


def test_only_staff_may_introduce_two_other_companies(client, cast, pair):
    match = Match.objects.get(offer=pair["offer"], need=pair["need"])
    login(client, cast.dan)
    response = client.post(f"/symbiose/correspondances/{match.pk}/introduction/")
    assert response.status_code in (403, 404)
    assert not Introduction.objects.exists()


def test_matching_reads_places_without_a_query_per_stream(cast):
    """Sites and their park or municipality come with the streams (6 queries, not 3 more
    per stream)."""
    for i in range(6):
        site = Site.objects.create(organisation=cast.rival, name=f"Usine {i}",
                                   municipality=cast.acme.municipality)
        Stream.objects.create(organisation=cast.rival, site=site, kind="need", title="Litière",
                              description="Litière pour poulaillers", status="published")
    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran de scie",
                                  description="Bran de scie sec", status="published")
    with CaptureQueriesContext(connection) as ctx:
        services.match_stream_now(offer.pk)
    assert len(ctx.captured_queries) < 10
