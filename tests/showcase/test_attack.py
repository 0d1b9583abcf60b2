"""Findings of the outside review of the showcase (issue #18): each replayed against the
pages, each must answer a clear form error, never a 500, and change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.showcase import services
from alliage.showcase.models import Quote, QuoteRequest
from tests.conftest import login, text


@pytest.fixture
def quote(cast, region):
    rfq = services.quote_request_create(
        data={"title": "Pièces", "description": "200 pièces", "buyer_name": "Carol",
              "buyer_email": cast.carol.email},
        suppliers=[cast.acme], buyer_user=cast.carol, buyer_organisation=cast.rival)
    return rfq.quotes.get()


@pytest.mark.parametrize("price", ["1e309", "Infinity", "NaN", "-5", "0", "9" * 19, "abc",
                                   "12,345,67"])
def test_an_impossible_price_is_a_form_error(client, cast, quote, price):
    login(client, cast.alice)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/demandes-de-prix/{quote.pk}/",
                           {"price": price, "delay_days": "5", "taxable": "on"})
    assert response.status_code == 200
    assert "Entrez un montant" in text(response) or "supérieur à zéro" in text(response)
    assert Quote.objects.get(pk=quote.pk).price_cents is None


@pytest.mark.parametrize(("name", "body"), [
    ("plan.pdf", b"<html><script>alert(1)</script></html>"),   # a web page renamed .pdf
    ("devis.docx", b"<html>not a zip</html>"),
    ("plan.svg", b"<svg onload=alert(1)></svg>"),
    ("plan.html", b"<script>alert(1)</script>"),
])
def test_an_attachment_must_be_what_its_name_says(client, cast, region, name, body):
    login(client, cast.carol)
    response = client.post(f"/vitrine/demande-de-prix/?fournisseur={cast.acme.pk}", {
        "title": "Plan", "description": "Voir le plan", "suppliers": [cast.acme.pk],
        "attachment_file": SimpleUploadedFile(name, body, "application/pdf")})
    assert response.status_code == 200
    assert not QuoteRequest.objects.exists()


def test_a_real_pdf_is_accepted(client, cast, region):
    login(client, cast.carol)
    response = client.post(f"/vitrine/demande-de-prix/?fournisseur={cast.acme.pk}", {
        "title": "Plan", "description": "Voir le plan", "suppliers": [cast.acme.pk],
        "attachment_file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n",
                                              "application/pdf")})
    assert response.status_code == 302
    assert QuoteRequest.objects.get().attachment


@pytest.mark.parametrize("need", ["'&|!:*()<->\\", "usinage:* & !bois", "a | b", "ﬁ ß 😀",
                                  "<script>alert(1)</script>", "3" * 190, "é" * 199 + "'"])
def test_full_text_operators_in_a_need_are_plain_words(client, region, need):
    response = client.get("/vitrine/fournisseurs/", {"q": need, "place": "alma",
                                                     "within": "-5"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_a_product_name_with_markup_is_shown_as_text_in_the_finder(client, cast, region):
    from tests.showcase.conftest import product

    product(region.dairy, "<img src=x onerror=alert(1)> Gin")
    page = client.get("/vitrine/fournisseurs/", {"q": "gin"}).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt; Gin" in page
    assert "<img src=x" not in page
