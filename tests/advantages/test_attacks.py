"""What an outside review of the advantages app tried (issue #15): uploads, state skips, huge,
negative and odd input. Each refusal is clear and changes nothing; nothing answers 500."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliage.advantages import collection, pooling, services
from alliage.advantages.forms import AdvantageForm, GroupPurchaseForm
from alliage.advantages.models import Advantage, Booking, CollectionStop, Enrolment
from tests.advantages.conftest import make_resource
from tests.conftest import login, text

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _program_data(**changes):
    data = {"kind": "program", "name_fr": "Programme", "slug": "programme",
            "provider": "Fournisseur", "pricing_rule": "flat", "price_cents": "100",
            "hours_employee": 0, "hours_spouse": 0, "hours_child": 0, "is_active": "on"}
    data.update(changes)
    return data


@pytest.mark.parametrize("name,content", [
    ("page.html", b"<script>alert(1)</script>"),
    ("page.pdf", b"<html><script>alert(1)</script></html>"),   # not what its name says
    ("outil.exe", b"MZ\x90\x00"),
    ("sans-extension", PDF),
])
def test_a_program_document_must_be_a_real_pdf_word_or_excel_file(db, name, content):
    form = AdvantageForm(_program_data(), {"document": SimpleUploadedFile(name, content)})
    assert not form.is_valid() and "document" in form.errors
    assert not Advantage.objects.exists()


def test_a_program_document_is_served_by_the_app_and_only_while_offered(client, db):
    form = AdvantageForm(_program_data(),
                         {"document": SimpleUploadedFile("conditions.pdf", PDF)})
    assert form.is_valid(), form.errors
    advantage = form.save()
    page = client.get("/avantages/programmes/programme/")
    assert 'href="/avantages/programmes/programme/document/"' in page.content.decode()
    response = client.get("/avantages/programmes/programme/document/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    advantage.is_active = False
    advantage.save()
    assert client.get("/avantages/programmes/programme/document/").status_code == 404


def test_amounts_over_a_million_dollars_are_refused_with_a_clear_message(db):
    form = AdvantageForm(_program_data(price_cents="99999999999"))
    assert not form.is_valid()
    assert form.errors["price_cents"] == ["Saisissez un montant inférieur à 1 000 000 $."]
    for bad in ("-5", "abc", "1e9", "12,345,67"):
        assert not AdvantageForm(_program_data(price_cents=bad)).is_valid(), bad
    purchase = GroupPurchaseForm({"title_fr": "Gants", "slug": "gants", "supplier": "S",
                                  "unit": "paire", "list_price_cents": "12345678901",
                                  "minimum_quantity": 1, "deadline": "2030-01-01T10:00",
                                  "status": "open"})
    assert "list_price_cents" in purchase.errors


def test_a_discontinued_program_is_not_renewed_by_hand(client, cast, pae):
    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice)
    pae.is_active = False
    pae.save()
    with pytest.raises(ValidationError):
        services.enrolment_renew(enrolment=e, actor=cast.alice)
    login(client, cast.alice)
    response = client.post(f"/avantages/inscriptions/{e.pk}/renouveler/", follow=True)
    assert "n'est plus offert" in text(response)
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("employees", ["-5", "0", "abc", "½", "9" * 40, "", "1.5", "1e3"])
def test_odd_employee_counts_never_enrol_nor_fail(client, cast, pae, employees):
    login(client, cast.alice)
    response = client.post("/avantages/programmes/pae/inscription/",
                           {"employees": employees, "organisation": cast.acme.pk})
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_odd_renewal_counts_never_fail(client, cast, pae):
    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice)
    login(client, cast.alice)
    for employees in ("-5", "9" * 40, "x", "\u0661"):
        assert client.post(f"/avantages/inscriptions/{e.pk}/renouveler/",
                           {"employees": employees}).status_code == 302
    renewal = Enrolment.objects.get(renewed_from=e)  # "-5": refused; the others: same count
    assert renewal.employees == 45


def test_a_weight_typed_with_too_many_digits_is_refused_and_nothing_is_kept(cast):
    sub = collection.subscription_set(organisation=cast.acme, material="cardboard",
                                      estimated_kg=300, actor=cast.alice)
    rnd = collection.round_plan(date=date(2026, 4, 2), material="cardboard",
                                subscriptions=[sub], actor=cast.sam, seconds=0.1)
    stop = rnd.stops.get()
    with pytest.raises(ValidationError):
        collection.weights_record(round=rnd, weights={stop.pk: Decimal("123456789012")},
                                  actor=cast.sam)
    assert CollectionStop.objects.get().weight_kg is None


def test_the_weights_page_refuses_huge_weights_without_failing(client, cast):
    sub = collection.subscription_set(organisation=cast.acme, material="cardboard",
                                      estimated_kg=300, actor=cast.alice)
    rnd = collection.round_plan(date=date(2026, 4, 2), material="cardboard",
                                subscriptions=[sub], actor=cast.sam, seconds=0.1)
    stop = rnd.stops.get()
    login(client, cast.sam)
    for raw in ("999999999999999", "-3", "abc", "1e99"):
        response = client.post(f"/gestion/avantages/collecte/tournees/{rnd.pk}/",
                               {f"kg-{stop.pk}": raw})
        assert response.status_code == 200, raw
    assert CollectionStop.objects.get().weight_kg is None


def test_a_booking_years_ahead_is_refused(cast):
    resource = make_resource()
    start = timezone.now() + timedelta(days=800)
    with pytest.raises(ValidationError, match="un an"):
        pooling.booking_request(resource=resource, organisation=cast.acme, starts_at=start,
                                ends_at=start + timedelta(hours=1), actor=cast.alice)
    assert not Booking.objects.exists()


def test_odd_booking_forms_never_fail_and_book_nothing(client, cast):
    resource = make_resource()
    login(client, cast.alice)
    for starts, ends in (("9999-12-31T23:00", "9999-12-31T23:59"), ("x", "y"),
                         ("2026-02-30T10:00", "2026-03-01T10:00"), ("", ""),
                         ("0001-01-01T00:00", "0001-01-01T01:00")):
        response = client.post(f"/avantages/ressources/{resource.pk}/", {
            "organisation": cast.acme.pk, "starts_at": starts, "ends_at": ends,
            "note": "<script>alert(1)</script>"})
        assert response.status_code == 400, (starts, ends)
        assert "<script>alert(1)" not in response.content.decode()
    assert not Booking.objects.exists()


def test_text_typed_by_members_and_staff_is_shown_as_text_everywhere(client, cast):
    script = "<script>alert(1)</script>"
    scanner = make_resource(name_fr=f"{script} scanner", owner=cast.rival)
    start = timezone.now() + timedelta(days=2)
    booking = pooling.booking_request(resource=scanner, organisation=cast.acme,
                                      starts_at=start, ends_at=start + timedelta(hours=1),
                                      note=script, actor=cast.alice)
    pages = {cast.carol: ["/avantages/reservations/", f"/avantages/ressources/{scanner.pk}/"],
             cast.alice: [f"/mon-entreprise/{cast.acme.pk}/avantages/", "/avantages/"],
             cast.sam: [f"/gestion/avantages/ressources/{scanner.pk}/"]}
    for user, paths in pages.items():
        client.logout()
        login(client, user)
        for path in paths:
            body = client.get(path).content.decode()
            assert script not in body and "&lt;script&gt;" in body, path
    assert booking.note == script  # kept as typed, escaped when shown


def test_a_double_click_on_a_discount_counts_one_claim(client, cast):
    from alliage.advantages.models import DiscountClaim

    Advantage.objects.create(kind="discount", slug="rabais", name_fr="Rabais",
                             provider="Partenaire", discount_code="ALLIAGE15")
    login(client, cast.bob)
    for _ in range(3):
        assert client.post("/avantages/programmes/rabais/rabais/").status_code == 302
    assert DiscountClaim.objects.count() == 1
    assert "ALLIAGE15" in text(client.get("/avantages/programmes/rabais/"))
    client.logout()
    login(client, cast.alice)  # another person of the company: another use
    client.post("/avantages/programmes/rabais/rabais/")
    assert DiscountClaim.objects.count() == 2
