"""Colleagues see their company's requests for quotes: every person working for the buyer's
company today reads them (list, page, attachment); the buyer and the company's
administrators decide; a plain colleague cannot; someone who left sees them no more
(issue #18 leftover)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.members.models import Affiliation
from alliage.showcase import services
from alliage.showcase.models import Quote, QuoteRequest
from tests.conftest import login, text


def _ask(user, org, region, cast, **extra):
    return services.quote_request_create(
        data={"title": f"Pièces pour {user.first_name}", "description": "Acier 316.",
              "buyer_name": user.get_full_name(), "buyer_email": user.email,
              "buyer_company": org.legal_name},
        suppliers=[cast.rival, region.welder], buyer_user=user, buyer_organisation=org,
        **extra)


def test_colleagues_see_the_companys_requests_on_their_list(client, cast, region):
    mine = _ask(cast.bob, cast.acme, region, cast)
    theirs = _ask(cast.alice, cast.acme, region, cast)
    page = text(login(client, cast.bob).get("/vitrine/demandes/"))
    assert "Pièces pour Bob" in page and "Pièces pour Alice" in page
    assert "Demandes de vos collègues" in page and "Alice Tremblay" in page
    assert client.get(f"/vitrine/demandes/{theirs.pk}/").status_code == 200
    # A supplier of the request (Carol's company) never reaches the buyer's page.
    client.logout()
    login(client, cast.carol)
    assert "Pièces pour" not in text(client.get("/vitrine/demandes/"))
    assert client.get(f"/vitrine/demandes/{mine.pk}/").status_code == 404


def test_a_plain_colleague_reads_but_cannot_choose(client, cast, region):
    rfq = _ask(cast.alice, cast.acme, region, cast)
    quote = rfq.quotes.get(organisation=cast.rival)
    services.quote_answer(quote=quote, price_cents=100_000, taxable=True, delay_days=5,
                          actor=cast.carol)
    login(client, cast.bob)
    page = text(client.get(f"/vitrine/demandes/{rfq.pk}/"))
    assert "Demandée par votre collègue Alice Tremblay" in page
    assert "Choisir cette soumission" not in page and "Fermer sans choisir" not in page
    assert client.post(f"/vitrine/demandes/{rfq.pk}/choisir/{quote.pk}/",
                       {"confirmed": "1"}).status_code == 403
    assert client.post(f"/vitrine/demandes/{rfq.pk}/fermer/",
                       {"confirmed": "1"}).status_code == 403
    rfq.refresh_from_db()
    assert rfq.status == QuoteRequest.Status.OPEN
    assert not Quote.objects.filter(status=Quote.Status.WON).exists()


def test_the_companys_administrator_may_decide_a_colleagues_request(client, cast, region):
    rfq = _ask(cast.bob, cast.acme, region, cast)
    quote = rfq.quotes.get(organisation=region.welder)
    services.quote_answer(quote=quote, price_cents=90_000, taxable=True, delay_days=5,
                          actor=region.hugo)
    login(client, cast.alice)
    assert "Choisir cette soumission" in text(client.get(f"/vitrine/demandes/{rfq.pk}/"))
    response = client.post(f"/vitrine/demandes/{rfq.pk}/choisir/{quote.pk}/",
                           {"confirmed": "1"})
    assert response.status_code == 302
    rfq.refresh_from_db()
    assert rfq.status == QuoteRequest.Status.AWARDED
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.WON


def test_a_colleague_downloads_the_attachment(client, cast, region):
    rfq = _ask(cast.alice, cast.acme, region, cast,
               attachment=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    response = login(client, cast.bob).get(f"/vitrine/demandes/{rfq.pk}/piece-jointe/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_someone_who_left_the_company_sees_its_requests_no_more(client, cast, region):
    from django.utils import timezone

    rfq = _ask(cast.alice, cast.acme, region, cast)
    Affiliation.objects.filter(contact=cast.bob.contact).update(
        ended_on=timezone.localdate())
    login(client, cast.bob)
    assert client.get(f"/vitrine/demandes/{rfq.pk}/").status_code == 404
    assert "Pièces pour Alice" not in text(client.get("/vitrine/demandes/"))
    assert client.get(f"/vitrine/demandes/{rfq.pk}/piece-jointe/").status_code == 404
