"""Matches are refreshed in place: republishing, confirming or expiring a listing never
deletes an introduction or its messages (issue #12, item 8)."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import ProtectedError

from alliage.symbiosis import services
from alliage.symbiosis.daily import daily_run
from alliage.symbiosis.models import Introduction, Match, Message, Stream
from tests.conftest import login, text

OFFER_FORM = {"kind": "offer", "category": "material", "title": "Bran de scie",
              "description": "Bran de scie sec de notre scierie", "quantity": "100",
              "unit": "t/an", "frequency": "continuous", "physical_state": "solid",
              "confidentiality": "members"}


@pytest.fixture
def pair(cast, django_capture_on_commit_callbacks):
    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran de scie",
                                  description="Bran de scie sec de notre scierie",
                                  quantity=100, unit="t/an")
    need = Stream.objects.create(organisation=cast.rival, kind="need", title="Litière",
                                 description="Litière pour nos poulaillers", quantity=100,
                                 unit="t/an")
    with django_capture_on_commit_callbacks(execute=True):
        services.stream_publish(stream=offer, actor=cast.alice)
        services.stream_publish(stream=need, actor=cast.carol)
    return offer, need


def _conversation(client, cast, match):
    """Carol asks, both write, Alice accepts: an introduction in discussion."""
    login(client, cast.carol)
    url = client.post(f"/symbiose/correspondances/{match.pk}/introduction/").url
    client.post(url, {"action": "message", "body": "Quel taux d'humidité?"})
    login(client, cast.alice)
    client.post(url, {"action": "accept"})
    client.post(url, {"action": "message", "body": "Moins de 12 %."})
    return Introduction.objects.get()


def _both_still_see_it(client, cast, intro, offer, need):
    assert Introduction.objects.filter(pk=intro.pk).exists()
    assert list(Message.objects.filter(introduction=intro).values_list("body", flat=True)) \
        == ["Quel taux d'humidité?", "Moins de 12 %."]
    url = intro.get_absolute_url()
    for person, stream in ((cast.alice, offer), (cast.carol, need)):
        login(client, person)
        page = text(client.get(url))
        assert "Quel taux d'humidité?" in page and "Moins de 12 %." in page
        assert url in text(client.get(f"/symbiose/flux/{stream.pk}/"))   # reachable


def test_confirming_republishing_and_expiring_keep_the_conversation(
        client, cast, pair, django_capture_on_commit_callbacks):
    offer, need = pair
    match = Match.objects.get(offer=offer, need=need)
    intro = _conversation(client, cast, match)
    assert intro.status == Introduction.Status.DISCUSSION

    login(client, cast.alice)                          # confirm it is still available
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/symbiose/flux/{offer.pk}/publier/")
    _both_still_see_it(client, cast, intro, offer, need)
    assert not Match.objects.get(pk=match.pk).stale

    login(client, cast.alice)                          # edit and republish: match vanishes
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/symbiose/flux/{offer.pk}/modifier/",
                    {**OFFER_FORM, "title": "Ferraille", "description": "Retailles d'acier",
                     "publish": "1"})
    assert Match.objects.get(pk=match.pk).stale        # kept, marked stale
    _both_still_see_it(client, cast, intro, offer, need)

    offer.refresh_from_db()                            # only Acme's listing expires
    Stream.objects.filter(pk=need.pk).update(expires_at=offer.expires_at + timedelta(days=90))
    with time_machine.travel(offer.expires_at + timedelta(days=1)):
        assert daily_run()["expired"] == 1
    offer.refresh_from_db()
    assert offer.status == Stream.Status.EXPIRED
    _both_still_see_it(client, cast, intro, offer, need)

    login(client, cast.alice)                          # publish the expired listing again
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/symbiose/flux/{offer.pk}/modifier/", {**OFFER_FORM, "publish": "1"})
    _both_still_see_it(client, cast, intro, offer, need)
    match.refresh_from_db()
    assert not match.stale and match.introductions.get() == intro       # current again


def test_vanished_matches_are_stale_hidden_and_kept(client, cast, pair):
    offer, need = pair
    match = Match.objects.get(offer=offer, need=need)
    Stream.objects.filter(pk=offer.pk).update(description="Retailles d'acier",
                                              title="Ferraille")
    services.match_stream_now(offer.pk)
    match.refresh_from_db()
    assert match.stale
    assert not services.matches_for(need, staff=True).exists()
    login(client, cast.carol)
    assert client.get(f"/api/v1/symbiosis/streams/{need.pk}/matches").json() == []
    assert f"/symbiose/correspondances/{match.pk}/introduction/" not in text(
        client.get(f"/symbiose/flux/{need.pk}/"))
    assert client.post(f"/symbiose/correspondances/{match.pk}/introduction/").status_code == 404
    Stream.objects.filter(pk=offer.pk).update(description="Bran de scie sec",
                                              title="Bran de scie")
    services.match_stream_now(offer.pk)
    match.refresh_from_db()
    assert not match.stale                              # the same row, current again
    assert Match.objects.count() == 1


def test_a_match_behind_an_introduction_cannot_be_deleted(cast, pair):
    match = Match.objects.get()
    Introduction.objects.create(match=match, need_accepted=True)
    with pytest.raises(ProtectedError):
        match.delete()
