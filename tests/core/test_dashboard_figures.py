"""Issue #20 (dashboard) and #21: the key figures of a period against the same period last year,
each app's part registered from its own ``dashboard.py``, drill-down to the rows behind each
figure for staff, the board reading the figures only, and a validated period selector."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from alliage.advantages.models import GroupPurchase, Pledge
from alliage.billing.models import Invoice, Payment
from alliage.core import dashboard
from alliage.events.models import Certificate, Order, Registration
from alliage.fair.models import Booth, Lead, Pavilion
from alliage.mailing.models import Campaign, Delivery, MailingList, Subscriber, Subscription
from alliage.members.models import Membership, Note
from alliage.symbiosis.models import Synergy
from tests.conftest import MATRIX_ROLES, login, statuses, text
from tests.events.conftest import make_event
from tests.fair.conftest import make_fair

START, END = date(2024, 7, 1), date(2025, 3, 14)
CUSTOM = f"?period=custom&start={START}&end={END}"
PERIOD = dashboard.Period(START, END, "custom")


def _at(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _membership(cast, org, start, *, paid=True, renewal=False, status="active"):
    m = Membership.objects.create(
        organisation=org, membership_type=cast.regular, period_start=start,
        period_end=start.replace(year=start.year + 1) - timedelta(days=1), status=status,
        is_renewal=renewal)
    if paid:
        m.invoice = Invoice.objects.create(organisation=org, bill_to_name=str(org),
                                           number=f"M-{m.pk}", status="paid",
                                           source=f"membership:{m.pk}")
        m.save(update_fields=["invoice"])
    return m


def _registration(event, contact, status="confirmed", present=False):
    order = Order.objects.create(event=event, buyer=contact)
    return Registration.objects.create(
        order=order, event=event, contact=contact, ticket_type=event.ticket_types.get(),
        status=status, checked_in_at=timezone.now() if present else None)


@pytest.fixture
def year(cast):
    """A period of every app's figures, and the same dates a year earlier."""
    # Members: acme a member last year and renewed this year; rival new; prospect lapsed.
    old = _membership(cast, cast.acme, date(2023, 7, 1))
    _membership(cast, cast.acme, date(2024, 7, 1), renewal=True)
    _membership(cast, cast.rival, date(2024, 9, 1))
    _membership(cast, cast.prospect, date(2023, 8, 1), paid=False, status="lapsed")
    notes = [Note.objects.create(organisation=cast.acme, body=b, due_on=date(2025, 2, 1))
             for b in ("Rappeler", "Relancer", "Visiter")]
    Note.objects.filter(pk=notes[0].pk).update(created_at=_at(date(2025, 1, 1)))
    Note.objects.filter(pk=notes[1].pk).update(created_at=_at(date(2025, 1, 1)),
                                               done_at=_at(date(2025, 2, 1)))    # done
    Note.objects.filter(pk=notes[2].pk).update(created_at=_at(date(2025, 1, 1)),
                                               done_at=_at(date(2025, 4, 1)))    # done after
    # Revenue: dues, an event order and a hand-made invoice; last year's dues.
    dues = Membership.objects.get(organisation=cast.acme, period_start=date(2024, 7, 1))
    Payment.objects.create(invoice=dues.invoice, amount_cents=65000, method="cheque",
                           received_on=date(2024, 7, 10))
    Payment.objects.create(invoice=old.invoice, amount_cents=60000, method="cheque",
                           received_on=date(2023, 7, 20))
    for number, source, cents in [("E-1", "event-order:1", 9999), ("H-1", "", 1000)]:
        invoice = Invoice.objects.create(organisation=cast.acme, bill_to_name="Acme",
                                         number=number, status="paid", source=source)
        Payment.objects.create(invoice=invoice, amount_cents=cents, method="cheque",
                               received_on=date(2025, 1, 6))
    # Events: a golf day (2 confirmed, 1 checked in, 1 cancelled) and a training (7.5 h).
    golf = make_event(slug="golf", kind="golf", starts_at=_at(date(2024, 9, 10)),
                      ends_at=_at(date(2024, 9, 10), 18), capacity=10)
    _registration(golf, cast.alice.contact, present=True)
    _registration(golf, cast.bob.contact)
    _registration(golf, cast.carol.contact, status="cancelled")
    training = make_event(slug="formation", kind="training", starts_at=_at(date(2024, 10, 1)),
                          ends_at=_at(date(2024, 10, 1), 17))
    Certificate.objects.create(registration=_registration(training, cast.dan.contact,
                                                           present=True), hours=Decimal("7.5"))
    # Newsletter: two subscribers joined; one campaign, 3 sent and 1 bounced.
    news = MailingList.objects.create(slug="infolettre", name_fr="Infolettre")
    people = [Subscriber.objects.create(email=f"s{n}@example.org") for n in range(4)]
    for person in people[:2]:
        Subscription.objects.create(subscriber=person, mailing_list=news, status="active",
                                    confirmed_at=_at(date(2024, 8, 1)))
    campaign = Campaign.objects.create(title="Novembre", subject_fr="Novembre", body_fr="b",
                                       status="sent", finished_at=_at(date(2024, 11, 1)))
    for person, status in zip(people, ["sent", "sent", "sent", "bounced"], strict=True):
        Delivery.objects.create(campaign=campaign, subscriber=person, status=status)
    # Symbiosis: one synergy started in the period, one running since last year.
    for supplier, receiver, started, tonnes in [(cast.acme, cast.rival, date(2024, 8, 1), 12),
                                                (cast.rival, cast.acme, date(2023, 1, 1), 3)]:
        Synergy.objects.create(supplier=supplier, receiver=receiver, material="Bois",
                               tonnes_per_year=tonnes, started_on=started, distance_km=10)
    # Group purchasing: 100 pairs at 9 $ instead of 10 $, closed in the period.
    purchase = GroupPurchase.objects.create(
        slug="gants", title_fr="Gants", supplier="Fournitures", unit="paire",
        list_price_cents=1000, deadline=_at(date(2024, 11, 1)), status="closed",
        closed_at=_at(date(2024, 11, 2)))
    Pledge.objects.create(purchase=purchase, organisation=cast.acme, quantity=100,
                          unit_price_cents=900)
    # The fair: one opening in the period with two leads.
    fair = make_fair(starts_at=_at(date(2024, 6, 30)) + timedelta(days=1))
    booth = Booth.objects.create(fair=fair, organisation=cast.acme, pavilion=Pavilion.objects
                                 .create(fair=fair, slug="p", name_fr="P"))
    for n in range(2):
        Lead.objects.create(booth=booth, name=f"Visiteur {n}", email=f"v{n}@example.org",
                            consent_text="Oui", consented_at=timezone.now())


def _figures(user, period=PERIOD):
    return {f.key: f for _label, figures in dashboard.sections(period, user) for f in figures}


def test_each_figure_against_known_data_and_last_year(cast, year):
    got = {key: (f.value, f.previous) for key, f in _figures(cast.sam).items()}
    assert got["members"] == (2, 1)
    assert got["new_members"] == (1, 1)
    assert got["lapsed_members"] == (1, 0)
    assert got["renewal_rate"] == (50.0, None)
    assert got["open_followups"] == (2, 0)
    assert got["revenue"] == (75999, 60000)
    assert got["revenue_membership"] == (65000, 60000)
    assert got["revenue_event-order"] == (9999, 0)
    assert got["revenue_other"] == (1000, 0)
    assert got["events_held"] == (2, 0)
    assert got["registrations"] == (3, 0)
    assert got["attendance"] == (2, 0)
    assert got["attendance_rate"] == (66.7, None)
    assert got["training_hours"] == (Decimal("7.5"), 0)
    assert got["subscriber_growth"] == (2, 0)
    assert got["campaigns_sent"] == (1, 0)
    assert got["bounce_rate"] == (25.0, None)
    assert got["synergies_started"] == (1, 0)
    assert got["synergies_running"] == (2, 1)
    assert got["tonnes_diverted"] == (Decimal("15.0"), Decimal("3.0"))
    assert got["group_savings"] == (10000, 0)
    assert got["fair_leads"] == (2, 0)


def test_every_counted_figure_lists_exactly_its_rows(cast, year):
    """The drill-down's rows are the figure's rows: as many as it counts."""
    figures = _figures(cast.sam)
    for key in ["members", "new_members", "lapsed_members", "open_followups", "events_held",
                "campaigns_sent", "synergies_started", "synergies_running", "fair_leads"]:
        table = dashboard.rows_for(key, PERIOD, cast.sam)
        assert len(table.rows) == figures[key].value, key
    # Money: the rows add up to the figure.
    for key in ["revenue", "revenue_membership", "revenue_other", "group_savings"]:
        table = dashboard.rows_for(key, PERIOD, cast.sam)
        assert sum(row[-1].cents for row in table.rows) == figures[key].value, key
    # CO2e: each running synergy's own figure, and they add up to the dashboard's.
    co2e = dashboard.rows_for("co2e_avoided", PERIOD, cast.sam)
    assert len(co2e.rows) == figures["synergies_running"].value
    assert round(sum(row[-1] for row in co2e.rows), 1) == figures["co2e_avoided"].value
    growth = dashboard.rows_for("subscriber_growth", PERIOD, cast.sam)
    assert [row[1] for row in growth.rows] == ["+1", "+1"]
    assert dashboard.rows_for("no-such-figure", PERIOD, cast.sam) is None


def test_the_page_shows_figures_comparison_trend_and_drill_links(client, cast, year):
    login(client, cast.sam)
    page = text(client.get("/gestion/" + CUSTOM))
    assert "Du 1 juillet 2024 au 14 mars 2025, comparé au 1 juillet 2023 au 14 mars 2024." \
        in page
    assert '<li class="figure" id="figure-members">' in page
    drill = f'href="/gestion/tableau-de-bord/new_members/{CUSTOM}"'
    assert drill in page
    rows = text(client.get("/gestion/tableau-de-bord/new_members/" + CUSTOM))
    assert f'<a href="/gestion/entreprises/{cast.rival.pk}/">' in rows
    assert "1 ligne." in rows


def _links(page):
    import re

    return set(re.findall(r'href="(/[^"]*)"', page))


@pytest.mark.parametrize("role", ["bea", "alice_on_board"])
def test_the_board_reads_the_figures_without_decisions_or_rows(client, cast, year, role):
    user = cast.bea
    if role == "alice_on_board":          # a member-company admin who sits on the board
        user = cast.alice
        user.is_board_member = True
        user.save(update_fields=["is_board_member"])
    login(client, user)
    response = client.get("/gestion/" + CUSTOM)
    assert response.status_code == 200
    page = text(response)
    assert 'id="figure-members"' in page and 'id="figure-bounce_rate"' in page
    assert "À décider aujourd'hui" not in page and 'class="decision' not in page
    assert "/gestion/tableau-de-bord/" not in page          # no rows to drill into
    assert '<nav class="staff-nav"' not in page
    # Every link on the page is one the board member may follow.
    for url in _links(page) - {"/gestion/" + CUSTOM}:
        if url.startswith("/static/") or url.startswith("/media/"):
            continue
        assert client.get(url).status_code in (200, 302), url
    assert client.get("/gestion/tableau-de-bord/members/" + CUSTOM).status_code == 403
    assert client.get("/gestion/tableau-de-bord/no-such/").status_code == 403


def test_who_may_open_the_dashboard_and_its_rows(client, cast):
    for path, board in [("/gestion/", 200), ("/gestion/tableau-de-bord/members/", 403)]:
        got = dict(zip(MATRIX_ROLES, statuses(client, cast, path), strict=True))
        assert got.pop("sam") == 200
        assert got.pop("bea") == board
        assert got.pop("anonymous") == 302
        assert set(got.values()) == {403}          # members, member admins, a non-member
    login(client, cast.sam)
    assert client.get("/gestion/tableau-de-bord/no-such/").status_code == 404


@pytest.mark.parametrize(("query", "error"), [
    ("?period=custom&start=2025-03-14&end=2024-07-01", "La fin précède le début."),
    ("?period=custom&start=2024-07-01", "Une période personnalisée demande un début et "
                                        "une fin."),
    ("?period=custom&start=2024-07-01&end=2099-01-01", "La fin est dans le futur."),
    ("?period=custom&start=1999-01-01&end=2000-06-01", "Le début précède l'an 2000."),
    ("?period=custom&start=2010-01-01&end=2020-01-01", "Une période couvre au plus trois ans."),
    ("?period=custom&start=pas-une-date&end=2024-07-01", "Saisissez une date valide."),
    ("?period=hier", "Sélectionnez un choix valide."),
])
def test_a_bad_period_says_why_and_shows_this_fiscal_year(client, cast, query, error):
    login(client, cast.sam)
    response = client.get("/gestion/" + query)
    assert response.status_code == 200
    page = text(response)
    assert error in page
    assert "La période n'a pas changé : l'exercice en cours est affiché." in page
    today = timezone.localdate()
    assert f"au {date_format(today)}, comparé" in page
    assert response.context["period"] == dashboard.Period(dashboard.fiscal_start(today), today)


def test_the_period_choices(cast):
    today = date(2025, 3, 14)
    form = dashboard.PeriodForm({}, today=today)
    assert form.chosen() == dashboard.Period(date(2024, 7, 1), today, "fiscal")
    form = dashboard.PeriodForm({"period": "12m"}, today=today)
    assert form.chosen() == dashboard.Period(date(2024, 3, 15), today, "12m")
    assert form.chosen().previous == dashboard.Period(date(2023, 3, 15), date(2024, 3, 14),
                                                      "12m")
    # Dates typed while another choice is selected: the dates are the period asked for.
    form = dashboard.PeriodForm({"period": "fiscal", "start": "2024-01-01",
                                 "end": "2024-06-30"}, today=today)
    assert form.chosen() == dashboard.Period(date(2024, 1, 1), date(2024, 6, 30), "custom")
    leap = dashboard.Period(date(2024, 2, 29), date(2024, 2, 29)).previous
    assert (leap.start, leap.end) == (date(2023, 2, 28), date(2023, 2, 28))


def test_core_knows_no_app_each_app_registers_its_part():
    import ast
    from pathlib import Path

    source = Path(dashboard.__file__).read_text()
    imported = {node.module for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom) and node.module}
    assert all(m.startswith(("django", "alliage.core", "dataclasses", "datetime", "urllib"))
               for m in imported), imported
    assert set(dashboard._sections) == {"members", "billing", "events", "mailing",
                                        "symbiosis", "advantages", "fair"}
    assert set(dashboard._decisions) == {"core", "members", "billing", "events", "mailing",
                                         "symbiosis"}
    assert set(dashboard._readers) == {"governance"}


def _more_of_everything(cast, n):
    for i in range(n):
        org = type(cast.acme).objects.create(legal_name=f"Entreprise {i}", slug=f"e-{i}")
        _membership(cast, org, date(2024, 8, 1))
        Note.objects.create(organisation=org, body="Suivi", due_on=date(2025, 1, 1))
        event = make_event(slug=f"evt-{i}", starts_at=_at(date(2024, 11, 1)),
                           ends_at=_at(date(2024, 11, 1), 18))
        _registration(event, cast.bob.contact, present=True)
        Synergy.objects.create(supplier=org, receiver=cast.acme, material="Métal",
                               tonnes_per_year=1, started_on=date(2024, 9, 1), distance_km=5)


def test_query_count_does_not_grow_with_the_data(client, cast, year,
                                                  django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, cast.sam)
    client.get("/gestion/" + CUSTOM)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/gestion/" + CUSTOM).status_code == 200
    with CaptureQueriesContext(connection) as small_rows:
        client.get("/gestion/tableau-de-bord/members/" + CUSTOM)
    _more_of_everything(cast, 12)
    with django_assert_num_queries(len(small)):
        response = client.get("/gestion/" + CUSTOM)
    assert _figures(cast.sam)["members"].value == 14
    assert response.status_code == 200
    with django_assert_num_queries(len(small_rows)):
        client.get("/gestion/tableau-de-bord/members/" + CUSTOM)
