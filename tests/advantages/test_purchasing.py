"""Group purchases: pledges kept with their history, live progress, closing at the deadline
with a frozen clock (idempotent), confirmation mails, the consolidated order, refusals after
the deadline, exact totals under concurrent pledges on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alliage.advantages import purchasing
from alliage.advantages.models import GroupPurchase, Pledge, PledgeChange
from alliage.members.models import Affiliation, Contact, Organisation
from tests.advantages.conftest import make_purchase
from tests.conftest import login, text


def test_pledges_are_editable_until_the_deadline_and_every_change_is_kept(cast, purchase):
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=60,
                          actor=cast.alice)
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=80,
                          actor=cast.alice)
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=80,
                          actor=cast.alice)  # unchanged: no history row
    purchasing.pledge_set(purchase=purchase, organisation=cast.rival, quantity=30,
                          actor=cast.carol)
    assert purchase.committed() == 110
    history = list(PledgeChange.objects.filter(pledge__organisation=cast.acme)
                   .order_by("pk").values_list("quantity_before", "quantity_after"))
    assert history == [(0, 60), (60, 80)]
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=0,
                          actor=cast.alice)
    assert purchase.committed() == 30


def test_pledges_after_the_deadline_are_refused_with_a_clear_message(cast, purchase):
    with time_machine.travel(purchase.deadline + timedelta(seconds=1), tick=False), \
            pytest.raises(purchasing.PledgesClosed, match="closed on|pris fin"):
        purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=5,
                              actor=cast.alice)
    assert not Pledge.objects.exists()


def test_non_members_cannot_pledge(cast, purchase):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        purchasing.pledge_set(purchase=purchase, organisation=cast.prospect, quantity=5,
                              actor=cast.dan)


def test_at_the_deadline_the_tier_reached_fixes_the_price_for_all_and_each_is_told(
        cast, purchase, mailoutbox):
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=450,
                          actor=cast.alice)
    purchasing.pledge_set(purchase=purchase, organisation=cast.rival, quantity=60,
                          actor=cast.carol)
    with time_machine.travel(purchase.deadline - timedelta(minutes=1), tick=False):
        assert purchasing.close_due() == []  # not yet
    with time_machine.travel(purchase.deadline + timedelta(minutes=5), tick=False):
        call_command("advantages_daily")
        call_command("advantages_daily")  # idempotent
    purchase.refresh_from_db()
    assert purchase.status == GroupPurchase.Status.CLOSED
    assert purchase.final_unit_price_cents == 750  # 510 ≥ 500
    acme = Pledge.objects.get(organisation=cast.acme)
    assert (acme.unit_price_cents, acme.saving_cents) == (750, 450 * 250)
    mails = [m for m in mailoutbox if "Gants de protection" in m.subject]
    assert {m.to[0] for m in mails} == {"alice@acme.example", "carol@rival.example"}
    assert len(mails) == 2
    alice = next(m for m in mails if m.to[0] == "alice@acme.example")
    assert "450" in alice.body and "7,50" in alice.body and "1\u00a0125,00" in alice.body


def test_below_the_minimum_the_campaign_fails_and_members_are_told(cast, mailoutbox):
    purchase = make_purchase(minimum_quantity=200)
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=150,
                          actor=cast.alice)
    with time_machine.travel(purchase.deadline, tick=False):
        purchasing.close_due()
    purchase.refresh_from_db()
    assert purchase.status == GroupPurchase.Status.FAILED
    assert purchase.final_unit_price_cents is None
    assert any("minimum" in m.subject for m in mailoutbox)


def test_live_progress_partial_previews_the_typed_quantity(client, cast, purchase):
    purchasing.pledge_set(purchase=purchase, organisation=cast.rival, quantity=420,
                          actor=cast.carol)
    login(client, cast.alice)
    page = text(client.get(f"/avantages/achats/{purchase.slug}/"))
    assert "420" in page and 'id="purchase-progress"' in page
    partial = client.get(f"/avantages/achats/{purchase.slug}/progression/?quantity=80",
                         HTTP_HX_REQUEST="true")
    body = text(partial)
    assert partial.status_code == 200 and "<html" not in body
    assert "500" in body and "7,50" in body  # 420 + 80 reaches the 500 tier
    bad = client.get(f"/avantages/achats/{purchase.slug}/progression/?quantity=-3",
                     HTTP_HX_REQUEST="true")
    assert bad.status_code == 200


def test_pledge_page_refuses_a_late_pledge_with_the_message(client, cast):
    # The daily job has not run yet: the campaign is still "open" but its deadline passed.
    purchase = make_purchase(deadline=timezone.now() - timedelta(minutes=1))
    login(client, cast.alice)
    response = client.post(f"/avantages/achats/{purchase.slug}/engagement/",
                           {"quantity": "10"})
    assert response.status_code == 400 and Pledge.objects.count() == 0
    assert "Les engagements pour cet achat regroupé ont pris fin le" in text(response)


def test_staff_export_the_consolidated_order(client, cast, purchase):
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=120,
                          actor=cast.alice)
    login(client, cast.sam)
    response = client.get(f"/gestion/avantages/achats/{purchase.slug}/commande.csv")
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and body.splitlines()[0].startswith("Entreprise;")
    assert "Usinage Précision Acme inc.;100, rue Manic;" in body and ";120;" in body
    xlsx = client.get(f"/gestion/avantages/achats/{purchase.slug}/commande.xlsx")
    assert xlsx.status_code == 200
    assert client.get(f"/gestion/avantages/achats/{purchase.slug}/commande.pdf"
                      ).status_code == 400


def _member_companies(n, prefix="membre"):
    companies = []
    for i in range(n):
        org = Organisation.objects.create(legal_name=f"{prefix} {i}", slug=f"{prefix}-{i}",
                                          member_status="active")
        contact = Contact.objects.create(first_name="A", last_name=str(i),
                                         email=f"{prefix}{i}@m.example")
        Affiliation.objects.create(contact=contact, organisation=org, is_admin=True)
        companies.append(org)
    return companies


@pytest.mark.django_db(transaction=True)
def test_totals_stay_exact_under_simultaneous_pledges_and_closing():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from tests.people import Cast

    Cast()
    purchase = make_purchase(deadline=timezone.now() + timedelta(seconds=4))
    companies = _member_companies(12)
    barrier = threading.Barrier(len(companies) * 2)
    refused = []

    def pledge(org, quantity):
        from django.db import connections

        try:
            barrier.wait()
            purchasing.pledge_set(purchase=purchase, organisation=org, quantity=quantity,
                                  actor=None)
        except purchasing.PledgesClosed:
            refused.append(org.pk)
        finally:
            connections.close_all()

    # Each company pledges twice at once (10 then 20, in any order): one row per company,
    # two history rows, the last write wins and the total is the sum of the rows.
    threads = [threading.Thread(target=pledge, args=(org, q)) for org in companies
               for q in (10, 20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused == []
    rows = dict(Pledge.objects.values_list("organisation", "quantity"))
    assert len(rows) == 12 and set(rows.values()) <= {10, 20}
    assert purchase.committed() == sum(rows.values())
    assert PledgeChange.objects.count() == 24

    # Pledges racing the closing: each either lands before it (in the order) or is refused.
    late = _member_companies(1, prefix="tardif")[0]
    done = threading.Event()

    def close():
        from django.db import connections

        try:
            purchasing.purchase_close(purchase=purchase, now=purchase.deadline)
        finally:
            done.set()
            connections.close_all()

    closer = threading.Thread(target=close)
    closer.start()
    try:
        purchasing.pledge_set(purchase=purchase, organisation=late, quantity=5, actor=None,
                              now=purchase.deadline - timedelta(milliseconds=1))
        landed = True
    except purchasing.PledgesClosed:
        landed = False
    closer.join()
    purchase.refresh_from_db()
    ordered = sum(p.quantity for p in purchasing.order_rows(purchase))
    assert purchase.status == GroupPurchase.Status.CLOSED
    assert ordered == purchase.committed()
    assert Pledge.objects.filter(organisation=late).exists() == landed
    if landed:
        assert Pledge.objects.get(organisation=late).unit_price_cents is not None
