from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from alliage.billing import services as billing
from alliage.billing.models import Invoice
from alliage.core.models import AuditLog, Email
from alliage.members import services
from alliage.members.models import Membership, MemberStatus, Organisation
from tests.conftest import login, text


def _apply(client, cast, **changes):
    data = {"legal_name": "Soudure Nouvelle inc.", "trade_name": "", "neq": "",
            "primary_sector": cast.acme.primary_sector_id, "employees": 8,
            "street": "12, rue des Pionniers",
            "municipality": cast.acme.municipality_id, "park": "", "postal_code": "g7h5b1",
            "website": "soudure.example", "membership_type": cast.regular.pk,
            "first_name": "Nadia", "last_name": "Fortin", "title": "Présidente",
            "email": "nadia@soudure.example", "phone": "418 555 0123", "message": "",
            "consent": "on"}
    data.update(changes)
    return client.post("/devenir-membre/", data)


def test_application_to_active_member_end_to_end(client, cast, mailoutbox):
    response = _apply(client, cast)
    assert "Demande reçue" in text(response)
    org = Organisation.objects.get(legal_name="Soudure Nouvelle inc.")
    assert org.member_status == MemberStatus.APPLIED and org.postal_code == "G7H 5B1"
    membership = org.memberships.get()
    assert membership.status == "applied" and membership.fee_cents == 27500
    assert {m.to[0] for m in mailoutbox} == {"nadia@soudure.example", "sam@alliage.example"}

    login(client, cast.sam)
    client.post(f"/gestion/entreprises/{org.pk}/adhesions/{membership.pk}/decision/",
                {"decision": "approve", "message": "Bienvenue!"})
    membership.refresh_from_db()
    invoice = membership.invoice
    assert membership.status == "invoiced"
    assert (invoice.subtotal_cents, invoice.tps_cents, invoice.tvq_cents,
            invoice.total_cents) == (27500, 1375, 2743, 31618)
    assert any("Bienvenue à" in m.subject for m in mailoutbox)

    client.post(f"/gestion/entreprises/{org.pk}/factures/{invoice.pk}/paiement/", {
        "amount": "316,18", "method": "cheque", "received_on": "2026-11-20", "reference": "123"})
    org.refresh_from_db()
    membership.refresh_from_db()
    assert membership.status == "active" and org.member_status == MemberStatus.ACTIVE
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
    assert any("Paiement reçu" in m.subject for m in mailoutbox)


def test_application_with_bad_input_writes_nothing(client, cast):
    response = _apply(client, cast, neq="123", phone="55", consent="")
    html = text(response)
    assert "numéro d'entreprise du Québec (NEQ) compte 10 chiffres" in html
    assert "Entrez un numéro de téléphone" in html
    assert not Organisation.objects.filter(legal_name="Soudure Nouvelle inc.").exists()


def test_known_company_cannot_apply_twice(client, cast):
    response = _apply(client, cast, neq="1100000011")
    assert "déjà connue de l'association" in text(response)


def test_refusal_needs_a_message(cast):
    org = Organisation.objects.create(legal_name="X", slug="x")
    m = Membership.objects.create(organisation=org, membership_type=cast.regular,
                                  period_start=date(2026, 7, 1), period_end=date(2027, 6, 30))
    with pytest.raises(ValidationError):
        services.membership_refuse(membership=m, actor=cast.sam, message=" ")
    services.membership_refuse(membership=m, actor=cast.sam, message="Hors région")
    m.refresh_from_db()
    assert m.status == "refused"


def test_manual_status_needs_a_reason_and_is_audited(client, cast):
    m = Membership.objects.create(organisation=cast.rival, membership_type=cast.regular,
                                  period_start=date(2026, 7, 1), period_end=date(2027, 6, 30),
                                  status="invoiced")
    login(client, cast.sam)
    client.post(f"/gestion/entreprises/{cast.rival.pk}/adhesions/{m.pk}/statut/",
                {"status": "active", "reason": ""})
    m.refresh_from_db()
    assert m.status == "invoiced"
    client.post(f"/gestion/entreprises/{cast.rival.pk}/adhesions/{m.pk}/statut/",
                {"status": "active", "reason": "Chèque reçu par la poste"})
    m.refresh_from_db()
    assert m.status == "active"
    entry = AuditLog.objects.get(action="membership.override")
    assert entry.reason == "Chèque reçu par la poste" and entry.actor == cast.sam


def _paid_membership(cast, org, start, end):
    m = Membership.objects.create(organisation=org, membership_type=cast.regular,
                                  period_start=start, period_end=end, status="approved",
                                  fee_cents=27500)
    services._invoice_membership(m, None)
    billing.payment_record(invoice=m.invoice, amount_cents=m.invoice.total_cents,
                           method="cheque")
    m.refresh_from_db()
    return m


@time_machine.travel("2026-06-05 10:00 -0400", tick=False)
def test_renewal_run_is_idempotent(cast, mailoutbox):
    m = _paid_membership(cast, cast.rival, date(2025, 7, 1), date(2026, 6, 30))
    first = services.renewals_run()
    second = services.renewals_run()
    assert first["renewals"] == 1 and second["renewals"] == 0
    renewal = Membership.objects.get(organisation=cast.rival, period_start=date(2026, 7, 1))
    assert renewal.is_renewal and renewal.invoice.status == "issued"
    assert Invoice.objects.filter(organisation=cast.rival).count() == 2
    # One reminder for the "30 days before" stage, never twice.
    assert first["reminders"] == 1 and second["reminders"] == 0
    assert Email.objects.filter(key__startswith=f"renewal-reminder:{renewal.pk}").count() == 1
    assert m.pk != renewal.pk


def test_unpaid_renewal_goes_to_grace_then_lapses(cast):
    with time_machine.travel("2026-06-05 10:00 -0400", tick=False):
        _paid_membership(cast, cast.rival, date(2025, 7, 1), date(2026, 6, 30))
        services.renewals_run()
    with time_machine.travel("2026-07-15 10:00 -0400", tick=False):
        services.renewals_run()
        cast.rival.refresh_from_db()
        assert cast.rival.member_status == MemberStatus.GRACE
    with time_machine.travel("2026-09-15 10:00 -0400", tick=False):
        summary = services.renewals_run()
        cast.rival.refresh_from_db()
        assert cast.rival.member_status == MemberStatus.LAPSED
        assert summary["reminders"] == 1  # the grace reminder, once


def test_paying_the_renewal_in_grace_reactivates(cast):
    with time_machine.travel("2026-06-05 10:00 -0400", tick=False):
        _paid_membership(cast, cast.rival, date(2025, 7, 1), date(2026, 6, 30))
        services.renewals_run()
    with time_machine.travel("2026-07-20 10:00 -0400", tick=False):
        renewal = Membership.objects.get(organisation=cast.rival, period_start=date(2026, 7, 1))
        billing.payment_record(invoice=renewal.invoice, amount_cents=renewal.invoice.total_cents,
                               method="transfer")
        cast.rival.refresh_from_db()
        assert cast.rival.member_status == MemberStatus.ACTIVE


def test_member_admin_sees_own_invoices(client, cast):
    m = _paid_membership(cast, cast.acme, date(2026, 7, 1), date(2027, 6, 30))
    login(client, cast.alice)
    html = text(client.get(f"/mon-entreprise/{cast.acme.pk}/facturation/"))
    assert m.invoice.number in html and "316,18" in html


def test_an_approved_application_says_so_and_a_newcomer_is_not_at_risk(client, cast):
    """Issue #14, item 4: the badge still said "Demande reçue" after approval, and a member
    approved seconds ago was already "at risk of not renewing"."""
    from datetime import date, timedelta

    from alliage.members import engagement
    from alliage.members.models import Membership, Organisation

    org = Organisation.objects.create(legal_name="Nouvelle inc.", slug="nouvelle",
                                      member_status="applied")
    Membership.objects.create(organisation=org, membership_type=cast.regular,
                              period_start=date.today(), period_end=date.today()
                              + timedelta(days=364), status="invoiced", fee_cents=27500)
    client.force_login(cast.sam, backend="alliage.accounts.backends.EmailBackend")
    page = client.get(f"/gestion/entreprises/{org.pk}/").content.decode()
    assert "Approuvée, en attente du paiement" in page
    org.member_status = "active"
    org.save()
    assert engagement.renewal_risk(org) == []
    assert engagement.renewal_risk(cast.prospect) == []  # not a member: nothing to renew
