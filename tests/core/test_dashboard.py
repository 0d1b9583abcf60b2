"""Issue #14, item 9: Gestion opens on a dashboard of what waits for a decision today, with
key figures and their trend; a grouped staff navigation on every staff page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alliage.billing.models import Invoice
from alliage.core import dashboard
from alliage.core.models import Email
from alliage.events.models import Order, Registration, WaitlistEntry
from alliage.mailing.models import Campaign
from alliage.members.models import ErasureRequest, Membership
from alliage.symbiosis.models import Introduction, Match, Stream
from tests.conftest import login, text
from tests.events.conftest import make_event

TODAY = date(2025, 3, 14)


def _membership(cast, org, start, status="active"):
    return Membership.objects.create(organisation=org, membership_type=cast.regular,
                                     period_start=start,
                                     period_end=start.replace(year=start.year + 1)
                                     - timedelta(days=1), status=status)


def _registration(event, contact, status="confirmed", order=None):
    order = order or Order.objects.create(event=event, buyer=contact)
    return Registration.objects.create(order=order, event=event, contact=contact,
                                       ticket_type=event.ticket_types.get(), status=status)


@pytest.fixture
def waiting(cast):
    """One or more of every kind of thing staff decide on, and things that are done."""
    _membership(cast, cast.prospect, date(2024, 7, 1), status="applied")
    _membership(cast, cast.rival, date(2024, 7, 1), status="applied")
    _membership(cast, cast.acme, date(2023, 7, 1), status="refused")           # decided
    ErasureRequest.objects.create(contact=cast.bob.contact)
    ErasureRequest.objects.create(contact=cast.dan.contact, status="refused")  # decided
    Email.objects.create(key="k1", to="x@example.org", subject="Bonjour", body_text="b",
                         attempts=2, error="timeout")
    Email.objects.create(key="k2", to="y@example.org", subject="Bonjour", body_text="b",
                         attempts=1, sent_at=timezone.now())                   # sent at last
    today = timezone.localdate()
    Invoice.objects.create(organisation=cast.acme, bill_to_name="Acme", status="issued",
                           number="F-1", issued_on=today - timedelta(days=40),
                           due_on=today - timedelta(days=10))
    Invoice.objects.create(organisation=cast.acme, bill_to_name="Acme", status="issued",
                           number="F-2", issued_on=today, due_on=today)       # due today
    Invoice.objects.create(organisation=cast.acme, bill_to_name="Acme", status="paid",
                           number="F-3", issued_on=today - timedelta(days=90),
                           due_on=today - timedelta(days=60))               # paid late
    golf = make_event(slug="golf", title_fr="Tournoi de golf")
    visit = make_event(slug="visite", title_fr="Visite d'usine")
    _registration(golf, cast.bob.contact, status="pending")
    _registration(golf, cast.carol.contact, status="pending")
    _registration(visit, cast.dan.contact, status="pending")
    _registration(visit, cast.alice.contact)                                   # confirmed
    review = Order.objects.create(event=visit, buyer=cast.bob.contact, billing_review=True)
    _registration(visit, cast.bob.contact, order=review)
    gone = Order.objects.create(event=golf, buyer=cast.alice.contact, billing_review=True)
    _registration(golf, cast.alice.contact, status="cancelled", order=gone)    # nothing left
    WaitlistEntry.objects.create(event=golf, ticket_type=golf.ticket_types.get(),
                                 contact=cast.dan.contact, status="offered")
    WaitlistEntry.objects.create(event=golf, ticket_type=golf.ticket_types.get(),
                                 contact=cast.carol.contact, status="waiting")
    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran de scie",
                                  description="Sec", status="published")
    need = Stream.objects.create(organisation=cast.rival, kind="need", title="Litière",
                                 description="Litière", status="published")
    need2 = Stream.objects.create(organisation=cast.prospect, kind="need", title="Paillis",
                                  description="Paillis", status="published")
    Match.objects.create(offer=offer, need=need, score=0.8)                    # to facilitate
    Match.objects.create(offer=offer, need=need2, score=0.2)                   # too weak
    pallets = Stream.objects.create(organisation=cast.rival, kind="offer", title="Palettes",
                                    description="Bois", status="published")
    Introduction.objects.create(match=Match.objects.create(offer=pallets, need=need,
                                                           score=0.9))         # introduced
    Campaign.objects.create(title="Avril", subject_fr="Avril", body_fr="Bonjour",
                            status="scheduled", scheduled_at=timezone.now() + timedelta(days=1))
    Campaign.objects.create(title="Mars", subject_fr="Mars", body_fr="Bonjour", status="sent")
    return {"golf": golf, "visit": visit}


def test_each_thing_to_decide_is_counted_and_links_where_it_is_handled(cast, waiting):
    items = {d.key: d for d in dashboard.to_decide()}
    counts = {key: d.count for key, d in items.items()}
    assert counts == {"applications": 2, "erasures": 1, "emails": 1, "overdue_invoices": 1,
                      "registrations": 3, "guest_billing": 1, "waitlist_offers": 1,
                      "introductions": 1, "campaigns": 1}
    assert items["applications"].url == "/gestion/adhesions/demandes/"
    assert items["erasures"].url == "/gestion/confidentialite/"
    assert items["emails"].url == "/gestion/courriels/"
    assert items["overdue_invoices"].url == "/gestion/factures/?overdue=on"
    assert items["introductions"].url == "/gestion/symbiose/"
    assert items["campaigns"].url == "/gestion/infolettres/"
    # Registrations on two events: the events list, and each event's page, busiest first.
    assert items["registrations"].url == "/gestion/activites/"
    assert items["registrations"].rows == [
        ("Tournoi de golf", "/gestion/activites/golf/inscriptions/", 2),
        ("Visite d'usine", "/gestion/activites/visite/inscriptions/", 1)]
    # One event only: straight to its page.
    assert items["guest_billing"].url == "/gestion/activites/visite/inscriptions/"
    assert items["waitlist_offers"].url == "/gestion/activites/golf/inscriptions/"


def test_nothing_waiting_says_so(client, cast):
    login(client, cast.sam)
    page = text(client.get("/gestion/"))
    assert "Rien n'attend de décision aujourd'hui." in page
    assert all(d.count == 0 for d in dashboard.to_decide())


def test_the_page_shows_counts_links_and_a_counted_summary(client, cast, waiting):
    login(client, cast.sam)
    page = text(client.get("/gestion/"))
    assert "12 éléments attendent une décision aujourd'hui." in page
    assert 'href="/gestion/adhesions/demandes/" class="decision-link"><span ' \
           'class="decision-count">2</span> <span class="decision-title">Demandes ' \
           "d'adhésion</span>" in page
    assert '<a href="/gestion/activites/golf/inscriptions/">Tournoi de golf</a> · 2' in page


def test_trend_words(cast):
    f = dashboard.Figure("x", "x", 3, 4, "avant")
    assert (f.trend, f.percent) == ("down", -25)
    assert dashboard.Figure("x", "x", 2, 0, "avant").percent is None
    assert dashboard.Figure("x", "x", 2, 2, "avant").trend == "flat"
    # Less is better for a bounce rate: down is good news, and a rate changes in points.
    rate = dashboard.Figure("x", "x", 2.5, 4.0, "avant", kind="percent", lower_is_better=True)
    assert (rate.trend, rate.good, rate.percent, rate.delta) == ("down", True, None, -1.5)
    assert dashboard.Figure("x", "x", None, 4, "avant").trend == "flat"


def test_dashboard_query_count_does_not_grow_with_the_data(client, cast, waiting,
                                                           django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, cast.sam)
    client.get("/gestion/")
    with CaptureQueriesContext(connection) as small:
        client.get("/gestion/")
    for n in range(8):
        make_event(slug=f"e{n}", title_fr=f"Activité {n}")
        _registration(make_event(slug=f"f{n}"), cast.bob.contact, status="pending")
    with django_assert_num_queries(len(small)):
        response = client.get("/gestion/")
    assert response.status_code == 200
    assert "et 5 autres activités" in text(response)


STAFF_PAGES = ["/gestion/", "/gestion/entreprises/", "/gestion/personnes/",
               "/gestion/adhesions/demandes/", "/gestion/a-risque/", "/gestion/import/",
               "/gestion/activites/", "/gestion/infolettres/", "/gestion/nouvelles/",
               "/gestion/courriels/", "/gestion/symbiose/", "/gestion/factures/",
               "/gestion/comptabilite/", "/gestion/association/", "/gestion/confidentialite/",
               "/gestion/journal/"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_grouped_navigation_on_staff_pages_marks_the_current_one(client, cast, path):
    login(client, cast.sam)
    page = text(client.get(path))
    assert '<nav class="staff-nav" aria-label="Gestion">' in page
    assert '<details class="staff-menu">' in page
    for group in ["Membres", "Communications", "Finances", "Association"]:
        assert f'<span class="staff-group">{group}</span>' in page
    assert f'<a href="{path}" aria-current="page">' in page
    assert '<a href="/gestion/">Tableau de bord</a>' in page or path == "/gestion/"


def test_current_section_and_its_pages(client, cast):
    login(client, cast.sam)
    page = text(client.get(f"/gestion/entreprises/{cast.acme.pk}/"))
    # The section, and the list the company's file belongs to, are current; not a "page".
    assert '<a href="/gestion/entreprises/" aria-current="true">Membres</a>' in page
    assert '<a href="/gestion/entreprises/" aria-current="true">Entreprises</a>' in page
    assert '<ul class="staff-pages">' in page
    assert "Menu de gestion · Membres" in page
    dash = text(client.get("/gestion/"))
    assert '<ul class="staff-pages">' not in dash           # no section: no second row
    assert '<a href="/gestion/" aria-current="page">Tableau de bord</a>' in dash
