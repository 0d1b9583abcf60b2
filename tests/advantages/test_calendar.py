"""Pooled resources: the booking calendar is a grid of seven days from today (a row per hour,
a column per day);
a free hour links to the form filled in; another company's booking shows as "booked" only."""

import re
from datetime import date, datetime, timedelta

from django.utils import timezone

from alliage.advantages import calendar, pooling
from alliage.advantages.models import Booking
from tests.advantages.conftest import make_resource
from tests.conftest import login, text


def _aware(day, hour, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _monday_in(weeks):
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def test_the_grid_starts_today_or_on_the_day_asked_and_bad_or_far_days_fall_back_to_today():
    today = date(2026, 12, 3)  # a Thursday: the next seven days, not a week mostly past
    assert calendar.week_start(None, today=today) == today
    assert calendar.week_start("2026-12-13", today=today) == date(2026, 12, 13)
    for bad in ("demain", "2026-13-01", "9999-01-01", "0001-01-01", "2026-12-01\x00"):
        assert calendar.week_start(bad, today=today) == today, bad


def test_a_booking_fills_every_hour_it_overlaps_and_widens_the_day_when_needed():
    monday = date(2026, 11, 30)
    early = Booking(starts_at=_aware(monday, 5, 30), ends_at=_aware(monday, 7, 15))
    late = Booking(starts_at=_aware(monday + timedelta(days=2), 18),
                   ends_at=_aware(monday + timedelta(days=2), 21))
    week = calendar.build([early, late], first=monday, now=_aware(monday, 0))
    hours = [hour for hour, _cells in week.rows]
    assert hours == list(range(5, 21))  # 5 h (early) to the 20 h row (late ends at 21 h)
    grid = dict(week.rows)
    assert [grid[h][0].bookings for h in (5, 6, 7)] == [[early], [early], [early]]
    assert grid[8][0].free and grid[17][2].free
    assert [grid[h][2].bookings for h in (18, 19, 20)] == [[late]] * 3
    assert len(week.days) == 7 and week.next == monday + timedelta(days=7)


def test_hours_already_past_are_marked_past():
    monday = date(2026, 11, 30)
    week = calendar.build([], first=monday, now=_aware(monday + timedelta(days=1), 10))
    grid = dict(week.rows)
    assert grid[9][1].past and not grid[10][1].past and grid[18][0].past
    assert not grid[7][2].past


def test_the_resource_page_draws_the_week_and_hides_who_booked_from_other_companies(
        client, cast):
    scanner = make_resource(name_fr="Numériseur 3D", owner=cast.rival)
    monday = _monday_in(1)
    pooling.booking_request(resource=scanner, organisation=cast.acme,
                            starts_at=_aware(monday, 9), ends_at=_aware(monday, 11),
                            actor=cast.alice)
    url = f"/avantages/ressources/{scanner.pk}/?semaine={monday.isoformat()}"
    login(client, cast.alice)
    page = text(client.get(url))
    grid = page.split("Heure")[1].split("</table>")[0]
    assert grid.count(">Vous</span>") == 2 and grid.count("en attente") == 2
    # A free hour links to the form with that hour filled in.
    free = re.search(r'href="\?semaine=[\d-]+&amp;debut=([\dT:-]+)#book"', client.get(url)
                     .content.decode())
    assert free
    form = text(client.get(f"/avantages/ressources/{scanner.pk}/?debut={free.group(1)}"))
    assert f'value="{free.group(1)}"' in form
    client.logout()
    login(client, cast.bob)  # a member contact of Acme: sees the grid, cannot book
    page = text(client.get(url))
    assert "Réservé" in page and "Acme" not in page.split("Heure")[1].split("</table>")[0]
    assert "#book" not in page
    client.logout()
    login(client, cast.carol)  # the owner sees who booked
    grid = text(client.get(url)).split("Heure")[1].split("</table>")[0]
    assert grid.count(cast.acme.display_name) == 2 and "en attente" in grid


def test_odd_calendar_parameters_never_fail(client, cast):
    resource = make_resource()
    login(client, cast.alice)
    for query in ("semaine=x", "semaine=2026-02-30", "debut=hier", "debut=2020-01-01T09:00",
                  "debut=99999-01-01T00:00", "semaine=" + "9" * 500, "debut=2026-12-01T25:00"):
        response = client.get(f"/avantages/ressources/{resource.pk}/?{query}")
        assert response.status_code == 200, query
        assert 'value="2020-01-01T09:00"' not in text(response)


def test_after_a_booking_the_page_shows_its_week(client, cast):
    resource = make_resource()
    monday = _monday_in(3)
    login(client, cast.alice)
    response = client.post(f"/avantages/ressources/{resource.pk}/", {
        "organisation": cast.acme.pk, "starts_at": f"{monday.isoformat()}T10:00",
        "ends_at": f"{monday.isoformat()}T12:00"})
    assert response.status_code == 302
    assert response.url.endswith(f"?semaine={monday.isoformat()}")
    assert Booking.objects.get().organisation == cast.acme


def test_only_people_of_a_member_company_are_told_their_admin_books(client, cast):
    resource = make_resource()
    hint = "L'administrateur de votre entreprise peut réserver."
    login(client, cast.bob)
    assert hint in text(client.get(f"/avantages/ressources/{resource.pk}/"))
    client.logout()
    login(client, cast.sam)  # staff decide; they have no company to book for
    page = text(client.get(f"/avantages/ressources/{resource.pk}/"))
    assert hint not in page and "Réservations à approuver" in page
