"""Requests for quotes from search to winner: buyers with an account or visitors who confirm
their email, suppliers answering from their account without seeing each other, the buyer
choosing, everyone told (issue #18)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.core.models import Email
from alliage.showcase import services
from alliage.showcase.models import Quote, QuoteRequest
from tests.conftest import login, text


def _ask(cast, region, **extra):
    return services.quote_request_create(
        data={"title": "Réservoir inox 5 000 L", "description": "Acier 316, double paroi.",
              "buyer_name": "Carol Simard", "buyer_email": cast.carol.email, **extra},
        suppliers=[cast.acme, region.welder], buyer_user=cast.carol,
        buyer_organisation=cast.rival)


def _answer(quote, user, cents=500_000, taxable=True):
    return services.quote_answer(quote=quote, price_cents=cents, taxable=taxable,
                                 delay_days=15, actor=user)


def test_a_member_buyer_reaches_every_supplier_chosen_at_once(cast, region):
    rfq = _ask(cast, region)
    assert rfq.status == QuoteRequest.Status.OPEN and rfq.sent_at
    told = set(Email.objects.filter(template="showcase_rfq_supplier").values_list("to",
                                                                                    flat=True))
    assert told == {cast.alice.email, region.hugo.email}   # the suppliers' administrators
    assert Email.objects.filter(template="showcase_rfq_sent", to=cast.carol.email).exists()


def test_the_request_form_sends_to_the_suppliers_ticked(client, cast, region):
    login(client, cast.carol)
    response = client.post(
        f"/vitrine/demande-de-prix/?fournisseur={cast.acme.pk}&fournisseur={region.welder.pk}",
        {"title": "Réservoir", "description": "Inox 316", "quantity": "2",
         "suppliers": [cast.acme.pk, region.welder.pk]})
    rfq = QuoteRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/vitrine/demandes/{rfq.pk}/"
    assert rfq.buyer_user == cast.carol and rfq.buyer_organisation == cast.rival
    assert sorted(rfq.quotes.values_list("organisation__slug", flat=True)) == [
        "inox-harvey", "precision-acme"]


def test_a_foreign_or_bad_supplier_id_is_a_form_error(client, cast, region):
    login(client, cast.carol)
    response = client.post(f"/vitrine/demande-de-prix/?fournisseur={cast.prospect.pk}",
                           {"title": "X", "description": "Y",
                            "suppliers": [cast.prospect.pk, "²", "9" * 30]})
    assert response.status_code == 200
    assert not QuoteRequest.objects.exists()


def test_a_company_cannot_ask_itself(cast, region):
    with pytest.raises(ValidationError):
        services.quote_request_create(
            data={"title": "X", "description": "Y", "buyer_name": "Alice",
                  "buyer_email": cast.alice.email},
            suppliers=[cast.acme], buyer_user=cast.alice, buyer_organisation=cast.acme)


def test_a_visitors_request_waits_for_their_email_then_goes_out_once(client, cast, region):
    response = client.post(f"/vitrine/demande-de-prix/?fournisseur={cast.acme.pk}", {
        "title": "Palettes", "description": "400 par mois", "buyer_name": "Nadia Roy",
        "buyer_email": "nadia@acheteur.example", "suppliers": [cast.acme.pk]})
    assert response.status_code == 302
    rfq = QuoteRequest.objects.get()
    assert rfq.status == QuoteRequest.Status.UNVERIFIED and rfq.sent_at is None
    assert not Email.objects.filter(template="showcase_rfq_supplier").exists()
    # The supplier does not see it yet.
    quote = rfq.quotes.get()
    login(client, cast.alice)
    assert client.get(f"/mon-entreprise/{cast.acme.pk}/demandes-de-prix/{quote.pk}/") \
        .status_code == 404
    client.logout()
    mail = Email.objects.get(template="showcase_rfq_verify")
    assert "[[secret:verify_url]]" in mail.body_text          # the link is never stored
    link = services.verify_token(rfq)
    # A mail scanner's GET changes nothing; the person's button does.
    client.get(f"/vitrine/demandes/confirmer/{link}/")
    assert QuoteRequest.objects.get().status == QuoteRequest.Status.UNVERIFIED
    response = client.post(f"/vitrine/demandes/confirmer/{link}/")
    assert response.status_code == 302
    assert QuoteRequest.objects.get().status == QuoteRequest.Status.OPEN
    client.post(f"/vitrine/demandes/confirmer/{link}/")
    assert Email.objects.filter(template="showcase_rfq_supplier").count() == 1


def test_a_wrong_or_old_confirmation_link_changes_nothing(client, cast, region):
    assert client.get("/vitrine/demandes/confirmer/abc/").status_code == 404
    assert client.get("/vitrine/demandes/suivi/abc/").status_code == 404


def test_visitors_are_throttled_per_address(client, cast, region):
    data = {"title": "Palettes", "description": "400", "buyer_name": "Spam",
            "buyer_email": "spam@example.com", "suppliers": [cast.acme.pk]}
    codes = [client.post(f"/vitrine/demande-de-prix/?fournisseur={cast.acme.pk}",
                         data).status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    assert QuoteRequest.objects.count() == 5


def test_suppliers_never_see_each_others_answers(client, cast, region):
    rfq = _ask(cast, region)
    _answer(rfq.quotes.get(organisation=region.welder), region.hugo, cents=777_700)
    acme_quote = rfq.quotes.get(organisation=cast.acme)
    login(client, cast.alice)
    page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/demandes-de-prix/{acme_quote.pk}/"))
    assert "Réservoir inox" in page
    assert "7\u00a0777" not in page and "7 777" not in page and "Inox Harvey" not in page


def test_an_answer_reaches_the_buyer_with_taxes_computed_like_invoices(client, cast, region):
    rfq = _ask(cast, region)
    quote = _answer(rfq.quotes.get(organisation=cast.acme), cast.alice, cents=100_000)
    taxes = quote.taxes()
    assert (taxes.subtotal, taxes.tps, taxes.tvq, taxes.total) == (100_000, 5_000, 9_975,
                                                                   114_975)
    exempt = _answer(rfq.quotes.get(organisation=region.welder), region.hugo, cents=90_000,
                     taxable=False)
    assert exempt.taxes().total == 90_000
    assert Email.objects.filter(template="showcase_quote_received").count() == 2
    login(client, cast.carol)
    page = text(client.get(f"/vitrine/demandes/{rfq.pk}/"))
    assert "1\u00a0149,75" in page and "900,00" in page


def test_the_answer_form_reads_french_amounts_and_refuses_nonsense(client, cast, region):
    rfq = _ask(cast, region)
    quote = rfq.quotes.get(organisation=cast.acme)
    login(client, cast.alice)
    url = f"/mon-entreprise/{cast.acme.pk}/demandes-de-prix/{quote.pk}/"
    bad = client.post(url, {"price": "douze", "delay_days": "5"})
    assert bad.status_code == 200 and "1 250,00" in text(bad)
    client.post(url, {"price": "1 250,50", "delay_days": "5", "taxable": "on"})
    quote.refresh_from_db()
    assert quote.price_cents == 125_050 and quote.status == Quote.Status.ANSWERED


def test_the_buyer_chooses_one_and_everyone_is_told(client, cast, region):
    rfq = _ask(cast, region)
    win = _answer(rfq.quotes.get(organisation=cast.acme), cast.alice)
    _answer(rfq.quotes.get(organisation=region.welder), region.hugo)
    login(client, cast.carol)
    response = client.post(f"/vitrine/demandes/{rfq.pk}/choisir/{win.pk}/", {"confirmed": "1"})
    assert response.status_code == 302
    rfq.refresh_from_db()
    assert rfq.status == QuoteRequest.Status.AWARDED
    assert dict(rfq.quotes.values_list("organisation__slug", "status")) == {
        "precision-acme": "won", "inox-harvey": "lost"}
    assert Email.objects.filter(template="showcase_quote_won", to=cast.alice.email).exists()
    assert Email.objects.filter(template="showcase_quote_lost", to=region.hugo.email).exists()
    # Decided: no second winner, no late answer.
    with pytest.raises(ValidationError):
        services.quote_award(quote_request=rfq, quote=rfq.quotes.get(
            organisation=region.welder))
    with pytest.raises(ValidationError):
        _answer(rfq.quotes.get(organisation=region.welder), region.hugo)


def test_only_an_answered_quote_can_win(cast, region):
    rfq = _ask(cast, region)
    with pytest.raises(ValidationError):
        services.quote_award(quote_request=rfq, quote=rfq.quotes.first())


def test_a_declined_request_is_shown_to_the_buyer_and_the_request_stays_open(cast, region):
    rfq = _ask(cast, region)
    services.quote_decline(quote=rfq.quotes.get(organisation=cast.acme),
                           message="Pas d'inox 316 en stock.", actor=cast.alice)
    rfq.refresh_from_db()
    assert rfq.status == QuoteRequest.Status.OPEN
    assert rfq.quotes.get(organisation=cast.acme).status == Quote.Status.DECLINED


def test_the_buyer_may_close_without_choosing(client, cast, region):
    rfq = _ask(cast, region)
    login(client, cast.carol)
    asked = client.post(f"/vitrine/demandes/{rfq.pk}/fermer/")
    assert asked.status_code == 200                         # the confirmation first
    client.post(f"/vitrine/demandes/{rfq.pk}/fermer/", {"confirmed": "1"})
    rfq.refresh_from_db()
    assert rfq.status == QuoteRequest.Status.CLOSED
    assert Email.objects.filter(template="showcase_quote_lost").count() == 2


def test_a_visitor_decides_through_the_signed_link(client, cast, region):
    rfq = services.quote_request_create(
        data={"title": "Palettes", "description": "400", "buyer_name": "Nadia",
              "buyer_email": "nadia@acheteur.example"}, suppliers=[cast.acme])
    services.quote_request_verify(quote_request=rfq)
    quote = _answer(rfq.quotes.get(), cast.alice)
    token = services.follow_token(rfq)
    page = client.get(f"/vitrine/demandes/suivi/{token}/")
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    client.post(f"/vitrine/demandes/suivi/{token}/choisir/{quote.pk}/", {"confirmed": "1"})
    assert QuoteRequest.objects.get().status == QuoteRequest.Status.AWARDED


def test_an_attachment_is_cleaned_and_reaches_only_the_buyer_and_its_suppliers(
        client, cast, region):
    from PIL import Image

    raw = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Carol Simard"                 # Artist
    Image.new("RGB", (8, 8), "red").save(raw, "JPEG", exif=exif)
    login(client, cast.carol)
    client.post(f"/vitrine/demande-de-prix/?fournisseur={cast.acme.pk}", {
        "title": "Plan", "description": "Voir le plan", "suppliers": [cast.acme.pk],
        "attachment_file": SimpleUploadedFile("plan.jpg", raw.getvalue(), "image/jpeg")})
    rfq = QuoteRequest.objects.get()
    assert b"Carol Simard" not in rfq.attachment.read()
    assert client.get(f"/vitrine/demandes/{rfq.pk}/piece-jointe/").status_code == 200
    quote = rfq.quotes.get()
    login(client, cast.alice)
    assert client.get(f"/mon-entreprise/{cast.acme.pk}/demandes-de-prix/{quote.pk}/"
                      "piece-jointe/").status_code == 200
    login(client, region.hugo)
    assert client.get(f"/mon-entreprise/{region.welder.pk}/demandes-de-prix/{quote.pk}/"
                      "piece-jointe/").status_code == 404
    assert client.get(f"/media/{rfq.attachment.name}").status_code == 404   # never public


def test_the_daily_job_reminds_silent_suppliers_once_and_closes_forgotten_requests(
        cast, region):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    rfq = _ask(cast, region, deadline=today + timedelta(days=1))
    _answer(rfq.quotes.get(organisation=region.welder), region.hugo)
    assert services.daily_run(today=today) == {"reminders": 1, "closed": 0}
    reminded = Email.objects.filter(template="showcase_quote_reminder")
    assert list(reminded.values_list("to", flat=True)) == [cast.alice.email]  # not Inox
    assert services.daily_run(today=today) == {"reminders": 0, "closed": 0}   # once
    late = today + timedelta(days=62)
    assert services.daily_run(today=late) == {"reminders": 0, "closed": 1}
    rfq.refresh_from_db()
    assert rfq.status == QuoteRequest.Status.CLOSED
    call_command("showcase_daily")                       # the command runs and reports
