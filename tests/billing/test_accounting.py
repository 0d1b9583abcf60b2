"""The accountant's exports: sales journal, payments received, tax summary (issue #13)."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from django.utils import timezone, translation

from alliage.billing import accounting, services
from alliage.billing.models import CreditNote, Invoice
from alliage.core.models import Association, AuditLog
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import login, statuses, text

JULY = "?start=2026-07-01&end=2026-07-31"
SIX_LINES_OF_75 = [services.Line(f"Atelier {i}", 7500) for i in range(6)]


def _csv(response):
    assert response.status_code == 200, response.content[:500]
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _sheet(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]


@pytest.fixture
def july(cast):
    """July 2026: a 450 $ invoice paid in part and partly credited, a mixed invoice wholly
    credited; outside it, an August invoice and a draft."""
    association = Association.current()
    association.tps_number, association.tvq_number = "123456789RT0001", "1234567890TQ0001"
    association.save()
    workshops = services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                        render_pdf=False, on=date(2026, 7, 2))
    mixed = services.invoice_create(
        organisation=cast.rival, render_pdf=False, on=date(2026, 7, 15),
        bill_to=("=HYPERLINK(\"http://evil.example\")", "", ""),
        lines=[services.Line("Formation", 20000), services.Line("Don", 5000, 1, False)])
    services.payment_record(invoice=workshops, amount_cents=20000, method="transfer",
                            received_on=date(2026, 7, 10), reference="VIR-778",
                            provider_id="pi_test_1")
    partial = services.credit_note_create(invoice=workshops, reason="Un atelier annulé",
                                          amount_cents=7500)
    full = services.credit_note_create(invoice=mixed, reason="Facturé par erreur")
    CreditNote.objects.filter(pk=partial.pk).update(issued_on=date(2026, 7, 20))
    CreditNote.objects.filter(pk=full.pk).update(issued_on=date(2026, 7, 21))
    services.invoice_create(organisation=cast.acme, lines=[services.Line("Août", 10000)],
                            render_pdf=False, on=date(2026, 8, 3))
    services.invoice_create(organisation=cast.acme, lines=[services.Line("Brouillon", 10000)],
                            issue=False)
    services.payment_record(invoice=Invoice.objects.get(issued_on=date(2026, 8, 3)),
                            amount_cents=500, method="cheque", received_on=date(2026, 8, 4))
    for obj in (workshops, mixed, partial, full):
        obj.refresh_from_db()
    return {"workshops": workshops, "mixed": mixed, "partial": partial, "full": full}


#        anon  contact admin  other  prospect board  staff
STAFF_ONLY = (302, 403, 403, 403, 403, 403, 200)


@pytest.mark.parametrize("path", [
    "/gestion/comptabilite/", "/gestion/comptabilite/" + JULY,
    "/gestion/comptabilite/journal.csv" + JULY, "/gestion/comptabilite/payments.xlsx" + JULY,
    "/gestion/comptabilite/taxes.csv" + JULY, "/gestion/factures/",
])
def test_accounting_pages_are_for_staff_only(client, cast, path):
    got = statuses(client, cast, path)
    assert got == STAFF_ONLY, dict(zip(ROLES, got, strict=True))


def test_sales_journal_csv_lists_invoices_and_credit_notes_of_the_period(client, cast, july):
    login(client, cast.sam)
    rows = _csv(client.get("/gestion/comptabilite/journal.csv" + JULY))
    assert rows[0] == ["Type", "Numéro", "Date", "Client", "Facture", "Objet", "Sous-total",
                       "TPS", "TVQ", "Total", "Statut"]
    w, m = july["workshops"], july["mixed"]
    assert [r[1] for r in rows[1:]] == [w.number, m.number, july["partial"].number,
                                        july["full"].number]
    assert rows[1] == ["Facture", w.number, "2026-07-02", "Usinage Précision Acme inc.",
                       w.number, "Atelier 0 et 5 autres lignes", "450,00", "22,50", "44,89",
                       "517,39", "Émise"]
    # Text a spreadsheet would run is written as text.
    assert rows[2][3] == "'=HYPERLINK(\"http://evil.example\")"
    # Taxable base 200,00 $ of 250,00 $: TPS 10,00 $, TVQ 19,95 $.
    assert rows[2][6:] == ["250,00", "10,00", "19,95", "279,95", "Annulée par note de crédit"]
    assert rows[3][:5] == ["Note de crédit", july["partial"].number, "2026-07-20",
                           "Usinage Précision Acme inc.", w.number]
    assert rows[3][5:10] == ["Un atelier annulé", "-75,00", "-3,75", "-7,48", "-86,23"]
    # A full credit note is the exact opposite of its invoice.
    assert rows[4][6:10] == ["-250,00", "-10,00", "-19,95", "-279,95"]


def test_sales_journal_xlsx_has_typed_numbers_and_dates(client, cast, july):
    login(client, cast.sam)
    ws = _sheet(client.get("/gestion/comptabilite/journal.xlsx" + JULY))
    assert ws.title == "Journal des ventes"
    assert ws["C2"].value == datetime(2026, 7, 2) and ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["G2"].value == 450 and ws["G2"].data_type == "n"
    assert ws["I2"].value == pytest.approx(44.89) and ws["I2"].number_format == "#,##0.00"
    assert ws["J5"].value == pytest.approx(-279.95)
    assert ws["D3"].data_type == "s" and ws["D3"].quotePrefix  # never a formula


def test_payments_received_in_the_period(client, cast, july):
    login(client, cast.sam)
    rows = _csv(client.get("/gestion/comptabilite/payments.csv" + JULY))
    assert rows[0] == ["Date", "Facture", "Client", "Montant", "Mode", "Référence",
                       "Identifiant du paiement chez le fournisseur"]
    assert rows[1:] == [["2026-07-10", july["workshops"].number, "Usinage Précision Acme inc.",
                         "200,00", "Virement bancaire", "VIR-778", "pi_test_1"]]
    ws = _sheet(client.get("/gestion/comptabilite/payments.xlsx" + JULY))
    assert ws.title == "Paiements reçus" and ws["D2"].value == 200 and ws["D2"].data_type == "n"


def test_tax_summary_is_invoices_minus_credit_notes_with_the_tax_numbers(client, cast, july):
    login(client, cast.sam)
    rows = _csv(client.get("/gestion/comptabilite/taxes.csv" + JULY))
    assert rows[0] == ["Ligne", "Rubrique", "Valeur"]
    lines = {r[1]: r[2] for r in rows[1:]}
    numbered = {r[0]: r[2] for r in rows[1:] if r[0]}
    assert lines["Numéro d'inscription à la TPS/TVH"] == "123456789RT0001"
    assert lines["Numéro d'inscription à la TVQ"] == "1234567890TQ0001"
    assert lines["Période"] == "2026-07-01 – 2026-07-31"
    # Sold 450 + 250 = 700 $; credited 75 + 250 = 325 $.
    assert lines["Ventes facturées, avant taxes"] == "700,00"
    assert lines["Notes de crédit, avant taxes"] == "-325,00"
    assert numbered == {"101": "375,00", "103": "18,75", "203": "37,41"}
    assert pytest.approx((18.75, 37.41)) == \
        (22.50 + 10.00 - 3.75 - 10.00, 44.89 + 19.95 - 7.48 - 19.95)
    ws = _sheet(client.get("/gestion/comptabilite/taxes.xlsx" + JULY))
    assert ws.title == "Sommaire des taxes"
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value
              for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    assert values == {"101": 375, "103": pytest.approx(18.75), "203": pytest.approx(37.41)}


def test_the_page_shows_the_summary_and_links_for_the_period(client, cast, july):
    login(client, cast.sam)
    page = text(client.get("/gestion/comptabilite/" + JULY))
    assert "Journal des ventes" in page and "Sommaire des taxes" in page
    assert "/gestion/comptabilite/journal.xlsx?start=2026-07-01&end=2026-07-31" in page
    assert "37,41\u00a0$" in page and "123456789RT0001" in page


def test_default_period_is_last_month(client, cast):
    login(client, cast.sam)
    response = client.get("/gestion/comptabilite/")
    period = accounting.last_month(timezone.localdate())
    assert response.status_code == 200
    assert f'value="{period.start.isoformat()}"' in text(response)
    assert period.end.day >= 28 and period.end.month == period.start.month


@pytest.mark.parametrize("query,error", [
    ("?start=abc&end=2026-07-31", "Saisissez une date valide."),
    ("?start=2026-07-31&end=2026-07-01", "La fin de la période précède son début."),
    ("?start=2026-02-30&end=2026-07-01", "Saisissez une date valide."),
    ("?start=0001-01-01&end=9999-12-31", "Entrez une date entre 2000 et 2100."),
    ("?start=&end=", "Ce champ est obligatoire."),
    ("?start=2026-07-01%00&end=2026-07-31", ""),
])
def test_a_bad_period_is_a_french_form_error(client, cast, query, error):
    login(client, cast.sam)
    page = client.get("/gestion/comptabilite/" + query)
    assert page.status_code in (200, 400)
    export = client.get("/gestion/comptabilite/journal.csv" + query)
    assert export.status_code == 400
    if error:
        assert error in text(page) and error in text(export)


def test_unknown_report_or_format_is_not_found(client, cast):
    login(client, cast.sam)
    assert client.get("/gestion/comptabilite/ledger.csv" + JULY).status_code == 404
    assert client.get("/gestion/comptabilite/journal.pdf" + JULY).status_code == 404


def test_presets_cover_month_quarter_and_years():
    with translation.override("en"):
        periods = {str(label): p for label, p in accounting.presets(date(2026, 5, 14))}
        january = {str(label): p for label, p in accounting.presets(date(2027, 1, 3))}
    assert periods["Last month"] == accounting.Period(date(2026, 4, 1), date(2026, 4, 30))
    assert periods["Last quarter"] == accounting.Period(date(2026, 1, 1), date(2026, 3, 31))
    assert periods["Last calendar year"] == accounting.Period(date(2025, 1, 1),
                                                              date(2025, 12, 31))
    assert periods["Last fiscal year"] == accounting.Period(date(2024, 7, 1), date(2025, 6, 30))
    assert january["Last month"] == accounting.Period(date(2026, 12, 1), date(2026, 12, 31))
    assert january["Last quarter"] == accounting.Period(date(2026, 10, 1), date(2026, 12, 31))


def test_each_download_is_in_the_audit_log(client, cast, july):
    login(client, cast.sam)
    client.get("/gestion/comptabilite/taxes.xlsx" + JULY)
    entry = AuditLog.objects.get(action="billing.export")
    assert entry.actor == cast.sam
    assert entry.changes == {"report": "taxes", "format": "xlsx", "start": "2026-07-01",
                             "end": "2026-07-31"}


def test_journal_export_queries_do_not_grow_with_invoices(client, cast, july,
                                                          django_assert_max_num_queries):
    login(client, cast.sam)
    client.get("/gestion/comptabilite/journal.csv" + JULY)  # session, roles, caches warm
    for day in range(3, 13):
        services.invoice_create(organisation=cast.acme, lines=SIX_LINES_OF_75,
                                render_pdf=False, on=date(2026, 7, day))
    with django_assert_max_num_queries(12):
        rows = _csv(client.get("/gestion/comptabilite/journal.csv" + JULY))
    assert len(rows) == 1 + 4 + 10
