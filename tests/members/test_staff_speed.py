"""Issue #14, item 7: staff pages cost a fixed number of queries whatever the number of
members (the at-risk page ran ~650 queries on the demo region: two per member for the
events' engagement parts, one for tags)."""

from datetime import date

from alliage.members.models import MemberStatus
from tests.conftest import login
from tests.factories import OrganisationFactory


def _members(cast, n, start):
    OrganisationFactory.create_batch(n, member_status=MemberStatus.ACTIVE,
                                     member_since=date(2020, 1, 1))


def _queries(client, django_assert_max_num_queries, path, cap):
    with django_assert_max_num_queries(cap) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_at_risk_page_and_export_do_not_grow_with_members(client, cast,
                                                              django_assert_max_num_queries):
    login(client, cast.sam)
    _members(cast, 5, 0)
    client.get("/gestion/a-risque/")  # the session's first request
    few = _queries(client, django_assert_max_num_queries, "/gestion/a-risque/", 20)
    _members(cast, 25, 100)
    many = _queries(client, django_assert_max_num_queries, "/gestion/a-risque/", 20)
    assert many == few
    assert _queries(client, django_assert_max_num_queries, "/gestion/a-risque/?export=csv",
                    20) == many


def test_the_newsletter_dashboard_draws_its_chart_once(client, cast, monkeypatch):
    from alliage.mailing import stats

    drawn = []
    real = stats._draw_growth
    monkeypatch.setattr(stats, "_draw_growth", lambda: drawn.append(1) or real())
    login(client, cast.sam)
    client.get("/gestion/infolettres/")
    client.get("/gestion/infolettres/")
    assert drawn == [1]
