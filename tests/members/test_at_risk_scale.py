"""The at-risk list at the demo's size: 350 members with three paid memberships each (1,050
invoices). Prefetching the invoices by id built one "id = … OR …" per invoice, past SQLite's
expression depth of 1,000 (a 500 for staff on /gestion/a-risque/ with the demo data)."""

from datetime import date

import pytest

from alliage.billing.models import Invoice
from alliage.members.engagement import at_risk
from alliage.members.models import Membership, MembershipType, Organisation
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_at_risk_list_holds_at_the_demo_size(client, cast):
    mtype = MembershipType.objects.create(code="r", name_fr="Régulier", period_kind="fiscal",
                                          fiscal_start_month=7)
    orgs = Organisation.objects.bulk_create([
        Organisation(legal_name=f"Membre {i}", slug=f"membre-{i}", member_status="active")
        for i in range(350)])
    invoices = Invoice.objects.bulk_create([
        Invoice(organisation=o, bill_to_name=o.legal_name, status="paid",
                number=f"F{year}-{i:05d}", issued_on=date(year, 7, 1), total_cents=10000)
        for year in (2023, 2024, 2025) for i, o in enumerate(orgs)])
    Membership.objects.bulk_create([
        Membership(organisation=inv.organisation, membership_type=mtype, invoice=inv,
                   period_start=inv.issued_on, period_end=date(inv.issued_on.year + 1, 6, 30),
                   status="active", is_renewal=inv.issued_on.year == 2025)
        for inv in invoices])
    at_risk(date(2026, 1, 15))
    login(client, cast.sam)
    assert client.get("/gestion/a-risque/").status_code == 200
