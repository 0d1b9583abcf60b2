"""Programs: enrolment with its invoice, yearly renewal, the provider's aggregated figures,
partner discounts counted when claimed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from alliage.advantages import selectors, services
from alliage.advantages.models import Advantage, DiscountClaim, Enrolment
from tests.advantages.conftest import make_tiered


def test_a_member_admin_enrols_the_company_with_its_employee_count_and_gets_an_invoice(cast,
                                                                                        pae):
    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice, on=date(2026, 3, 1))
    assert (e.period_start, e.period_end) == (date(2026, 3, 1), date(2027, 2, 28))
    assert e.price_cents == 45 * 4500
    line = e.invoice.lines.get()
    assert (line.quantity, line.unit_price_cents) == (45, 4500)
    assert e.invoice.subtotal_cents == 202500
    assert e.invoice.tps_cents == 10125 and e.invoice.tvq_cents == 20199  # 5 %, 9.975 %
    assert e.invoice.number and e.invoice.source == f"advantage:{e.pk}"
    assert str(e.invoice.kind) == "Avantage membre"
    assert e.hours_included == 45 * 10


def test_tiered_program_is_invoiced_at_the_band_price(cast):
    tiered = make_tiered()
    e = services.enrolment_create(advantage=tiered, organisation=cast.rival, employees=20,
                                  actor=cast.carol)
    assert e.price_cents == 120000 and e.invoice.subtotal_cents == 120000


def test_only_members_in_good_standing_enrol_and_only_once(cast, pae):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(advantage=pae, organisation=cast.prospect, employees=3,
                                  actor=cast.dan)
    services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                              actor=cast.alice)
    with pytest.raises(ValidationError):
        services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice)
    tiered = make_tiered()
    tiered.tiers.filter(min_employees=20).delete()
    with pytest.raises(ValidationError, match="30"):
        services.enrolment_create(advantage=tiered, organisation=cast.acme, employees=30,
                                  actor=cast.alice)


def test_enrolments_renew_yearly_once_from_the_daily_job(cast, pae):
    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice, on=date(2025, 6, 1))
    assert services.renew_due(today=date(2026, 4, 1)) == []  # too early
    [renewal] = services.renew_due(today=date(2026, 5, 10))
    assert renewal.renewed_from == e and renewal.period_start == date(2026, 6, 1)
    assert renewal.invoice.subtotal_cents == 202500
    assert services.renew_due(today=date(2026, 5, 11)) == []  # idempotent
    assert services.enrolment_renew(enrolment=e) == renewal


def test_a_stopped_enrolment_is_not_renewed(cast, pae):
    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice, on=date(2025, 6, 1))
    services.enrolment_cancel(enrolment=e, actor=cast.alice)
    assert services.renew_due(today=date(2026, 5, 10)) == []


def test_the_daily_command_prints_its_summary(cast, pae, capsys):
    call_command("advantages_daily")
    assert "0 group purchases closed, 0 enrolments renewed." in capsys.readouterr().out


def test_uptake_per_program_shows_companies_employees_hours_and_reported_sessions(cast, pae):
    services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                              actor=cast.alice)
    services.enrolment_create(advantage=pae, organisation=cast.rival, employees=12,
                              actor=cast.carol)
    services.usage_report_save(advantage=pae, year=2026, quarter=1, sessions=14, hours=21,
                               actor=cast.sam)
    services.usage_report_save(advantage=pae, year=2026, quarter=1, sessions=15, hours=22,
                               actor=cast.sam)  # corrected, not added
    [row], _discounts = selectors.uptake()
    assert (row["companies"], row["employees"], row["hours_included"], row["sessions"]) == \
        (2, 57, 570, 15)


def test_usage_figures_carry_no_person_and_no_company():
    from alliage.advantages.models import UsageReport

    fields = {f.name for f in UsageReport._meta.get_fields()}
    assert not fields & {"organisation", "contact", "employee", "person"}


def test_a_discount_claim_is_counted_per_claim(cast):
    d = Advantage.objects.create(kind="discount", slug="rabais-bureau", name_fr="Rabais bureau",
                                 provider="Bureau Plus", discount_code="ALLIAGE15")
    services.discount_claim(advantage=d, organisation=cast.acme, contact=cast.bob.contact)
    services.discount_claim(advantage=d, organisation=cast.acme, contact=cast.alice.contact)
    with pytest.raises(PermissionDenied):
        services.discount_claim(advantage=d, organisation=cast.prospect,
                                contact=cast.dan.contact)
    _rows, [discount] = selectors.uptake()
    assert discount["claims"] == 2 == DiscountClaim.objects.count()
    assert Enrolment.objects.count() == 0


def test_a_member_admin_renews_ahead_with_a_new_employee_count(client, cast, pae):
    from tests.conftest import login, text

    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice, on=date.today() - timedelta(days=330))
    login(client, cast.alice)
    page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/avantages/"))
    assert "Renouveler maintenant" in page
    client.post(f"/avantages/inscriptions/{e.pk}/renouveler/", {"employees": "50"})
    renewal = Enrolment.objects.get(renewed_from=e)
    assert renewal.employees == 50 and renewal.invoice.subtotal_cents == 50 * 4500
    assert "Renouveler maintenant" not in text(
        client.get(f"/mon-entreprise/{cast.acme.pk}/avantages/"))


def test_each_admin_gets_a_confirmation_mail_on_enrolment_and_on_renewal(cast, pae,
                                                                          mailoutbox):
    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice, on=date(2026, 3, 1))
    mails = [m for m in mailoutbox if "Programme d'aide aux employés" in m.subject]
    assert [m.to[0] for m in mails] == ["alice@acme.example"]
    [mail] = mails
    assert mail.subject == "Inscription confirmée : Programme d'aide aux employés (PAE)"
    body = mail.body.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Acme" in body and "45 employés" in body and "2026-03-01" in body
    assert "5 h par employé, 5 h par conjoint, 5 h par enfant" in body
    assert e.invoice.number in body and "2 025,00" in body
    assert f"/mon-entreprise/{cast.acme.pk}/avantages/" in body
    services.enrolment_renew(enrolment=e)
    assert any(m.subject == "Inscription renouvelée : Programme d'aide aux employés (PAE)"
               for m in mailoutbox)


def test_a_price_too_large_for_an_invoice_is_refused_not_a_crash(cast, pae):
    pae.price_cents = 100_000_000
    pae.save()
    with pytest.raises(ValidationError, match="trop élevé"):
        services.enrolment_create(advantage=pae, organisation=cast.acme, employees=100_000,
                                  actor=cast.alice)
    assert not Enrolment.objects.exists()


def test_my_advantages_links_each_program_invoice_to_the_billing_page(client, cast, pae):
    from tests.conftest import login, text

    e = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                  actor=cast.alice)
    login(client, cast.alice)
    page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/avantages/"))
    assert f'href="/mon-entreprise/{cast.acme.pk}/facturation/"' in page
    assert f"Facture {e.invoice.number}" in page
    assert client.get(f"/mon-entreprise/{cast.acme.pk}/facturation/").status_code == 200
