"""A company's invoice list says what each invoice is for: the member's billing page, the
staff invoice list and the CRM page (issue #13, "The invoice list of a company shows what
each invoice is for")."""

from datetime import date

import pytest

from alliage.billing import services as billing
from alliage.events import services as events
from alliage.members import services as members
from alliage.members.models import Membership
from tests.conftest import login, text
from tests.events.conftest import make_event

MEMBERSHIP = "Adhésion Membre régulier, du 2026-07-01 au 2027-06-30"
GOLF = "Tournoi de golf (2 lignes)"


@pytest.fixture
def invoices(cast):
    """Acme's membership renewal and its golf tournament order for two people."""
    current = Membership.objects.create(
        organisation=cast.acme, membership_type=cast.regular, period_start=date(2025, 7, 1),
        period_end=date(2026, 6, 30), status=Membership.Status.ACTIVE, fee_cents=65000)
    renewal, _ = members.renewal_create(membership=current)
    event = make_event(title_fr="Tournoi de golf", slug="golf", capacity=10)
    order = events.order_create(event=event, ticket_type=event.ticket_types.get(),
                                buyer=cast.alice.contact, organisation=cast.acme,
                                attendees=[cast.alice.contact, cast.bob.contact])
    golf = order.invoice
    golf.refresh_from_db()
    if golf.is_draft:
        golf = billing.invoice_issue(invoice=golf, render_pdf=False)
    billing.payment_record(invoice=golf, amount_cents=1000, method="cheque")
    return renewal.invoice, golf


def test_purpose_reads_the_lines(cast, invoices):
    membership, golf = invoices
    assert membership.purpose == MEMBERSHIP
    assert golf.purpose == GOLF
    assert str(membership.kind) == "Adhésion" and str(golf.kind) == "Activité"


def test_members_billing_page_says_what_each_invoice_is_for(client, cast, invoices):
    login(client, cast.alice)
    page = text(client.get(f"/mon-entreprise/{cast.acme.pk}/facturation/"))
    assert MEMBERSHIP in page and GOLF in page and "Objet" in page


def test_staff_invoice_list_and_crm_page_say_it_too(client, cast, invoices):
    login(client, cast.sam)
    listing = text(client.get("/gestion/factures/"))
    assert MEMBERSHIP in listing and GOLF in listing and "Usinage Précision Acme inc." in listing
    paid_only = text(client.get("/gestion/factures/?status=paid"))
    assert GOLF not in paid_only
    assert client.get("/gestion/factures/?status=nonsense&page=x").status_code == 200
    crm = text(client.get(f"/gestion/entreprises/{cast.acme.pk}/"))
    assert MEMBERSHIP in crm and GOLF in crm


def test_billing_page_queries_do_not_grow_with_invoices(client, cast, invoices,
                                                        django_assert_num_queries):
    login(client, cast.alice)
    url = f"/mon-entreprise/{cast.acme.pk}/facturation/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(5):
        invoice = billing.invoice_create(organisation=cast.acme, render_pdf=False,
                                         lines=[billing.Line(f"Atelier {i}", 7500)])
        billing.payment_record(invoice=invoice, amount_cents=100, method="cheque")
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)
