"""The matches API gives away no more than the stream page (issue #11): the score of a
blind match only to the tenth, as the page shows it (finding 17), and another company's
stream is not found rather than forbidden (finding N7a)."""

import re

import pytest

from alliage.accounts.models import ApiToken
from alliage.accounts.services import api_token_create
from alliage.symbiosis.blind import score_percent
from alliage.symbiosis.models import Introduction
from tests.conftest import login, text
from tests.symbiosis.test_blind_figures import match  # noqa: F401 (fixture)


def _api(client, stream, **headers):
    return client.get(f"/api/v1/symbiosis/streams/{stream.pk}/matches", **headers)


def _page_score(client, stream):
    """The score the stream page shows, in percent ("≈ 70 %" while blind)."""
    found = re.search(r"<strong>(≈ )?(\d+) %</strong>",
                      text(client.get(f"/symbiose/flux/{stream.pk}/")))
    return bool(found[1]), int(found[2])


def test_a_blind_matchs_score_is_given_as_the_page_shows_it(client, cast, match):  # noqa: F811
    exact = match.score
    # A score finer than the tenth: the API used to answer it to 4 decimals, from which
    # the other side works out the distance (0.30 of the score is 1 - km / limit).
    assert round(exact, 1) != exact
    for person, stream in ((cast.alice, match.offer), (cast.carol, match.need)):
        login(client, person)
        [row] = _api(client, stream).json()
        assert row["score"] != exact and row["blind"] is True
        assert row["score"] == score_percent(exact, blind=True) / 100
        assert round(row["score"] * 10, 9) == int(round(row["score"] * 10))   # tenths
        assert _page_score(client, stream) == (True, round(row["score"] * 100))


def test_once_both_accept_the_score_is_to_the_hundredth_on_page_and_api(client, cast,
                                                                        match):  # noqa: F811
    login(client, cast.carol)
    url = client.post(f"/symbiose/correspondances/{match.pk}/introduction/").url
    login(client, cast.alice)
    client.post(url, {"action": "accept"})
    assert Introduction.objects.get().revealed
    for person, stream in ((cast.alice, match.offer), (cast.carol, match.need)):
        login(client, person)
        [row] = _api(client, stream).json()
        assert row["blind"] is False
        assert row["score"] == score_percent(match.score, blind=False) / 100
        assert _page_score(client, stream) == (False, round(row["score"] * 100))
    login(client, cast.sam)                                  # staff: never blind
    [row] = _api(client, match.need).json()
    assert row["blind"] is False and row["counterpart"] == str(cast.acme)


@pytest.mark.parametrize(("score", "blind", "percent"), [
    (0.7349, True, 70), (0.75, True, 80), (0.0449, True, 0), (0.7349, False, 73),
    (0.7351, False, 74), (1.0, True, 100)])
def test_score_percent(score, blind, percent):
    assert score_percent(score, blind=blind) == percent


def test_the_openapi_documents_the_rounded_score(client, db):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["MatchOut"]
    assert "tenth while the match is blind" in schema["properties"]["score"]["description"]
    assert schema["properties"]["blind"]["type"] == "boolean"
    assert {"score", "blind", "reasons"} <= set(schema["required"])


# --- N7a: another company's stream is not found -----------------------------------------


def test_another_companys_stream_is_not_found_in_the_api(client, cast, match):  # noqa: F811
    login(client, cast.carol)                        # Rival's admin, on Acme's offer
    theirs = _api(client, match.offer)
    nowhere = client.get("/api/v1/symbiosis/streams/999999999/matches")
    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json() == nowhere.json()           # nothing tells one from the other
    client.logout()
    _token, raw = api_token_create(user=cast.carol, name="lecture",
                                   scope=ApiToken.Scope.READ)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert _api(client, match.offer, **bearer).status_code == 404
    assert _api(client, match.need, **bearer).status_code == 200    # her own stream
    login(client, cast.dan)                          # a company with no stream at all
    assert _api(client, match.need).status_code == 404
    login(client, cast.sam)                          # staff see every stream's matches
    assert _api(client, match.offer).status_code == 200
