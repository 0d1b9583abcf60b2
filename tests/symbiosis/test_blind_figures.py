"""Blind matches show the unnamed counterpart's distance and coverage only roughly until
both sides accept; files of anonymous listings keep their original name to themselves
(issue #11, finding 17)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.core.models import Email
from alliage.matching.engine import Stream as EngineStream
from alliage.matching.engine import explain, prepare
from alliage.symbiosis import services
from alliage.symbiosis.blind import blind_reasons
from alliage.symbiosis.models import Introduction, Match, Stream, StreamFile
from tests.conftest import login, text

EXACT_KM = "47 km"             # Acme's park in Chicoutimi to Alma (Rival)
EXACT_COVER = "couvre 62 % du besoin"       # 100 t offered for 160 t needed


@pytest.fixture
def match(cast, django_capture_on_commit_callbacks):
    offer = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran de scie",
                                  description="Bran de scie sec de notre scierie",
                                  quantity=100, unit="t/an", confidentiality="anonymous")
    need = Stream.objects.create(organisation=cast.rival, kind="need", title="Litière",
                                 description="Litière pour nos poulaillers", quantity=160,
                                 unit="t/an", confidentiality="anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        services.stream_publish(stream=offer, actor=cast.alice)
        services.stream_publish(stream=need, actor=cast.carol)
    found = Match.objects.get(offer=offer, need=need)
    assert any(r.startswith(EXACT_KM) for r in found.reasons)      # the engine's words
    assert EXACT_COVER in found.reasons
    return found


def _seen_by(client, person, match, intro=None):
    """What one side sees of the match: its stream page, the API, the introduction."""
    login(client, person)
    stream = match.offer if person.email.startswith("alice") else match.need
    seen = [text(client.get(f"/symbiose/flux/{stream.pk}/")),
            client.get(f"/api/v1/symbiosis/streams/{stream.pk}/matches").content.decode()]
    if intro is not None:
        seen.append(text(client.get(intro.get_absolute_url())))
    return seen


def test_blind_matches_show_rounded_figures_until_both_accept(client, cast, match):
    for person in (cast.alice, cast.carol):
        for page in _seen_by(client, person, match):
            assert EXACT_KM not in page and "62 %" not in page
            assert "entre 25 et 50 km" in page and "environ 60 %" in page
    login(client, cast.carol)
    url = client.post(f"/symbiose/correspondances/{match.pk}/introduction/").url
    intro = Introduction.objects.get()
    for person in (cast.alice, cast.carol):                  # asked, not yet accepted
        for page in _seen_by(client, person, match, intro):
            assert EXACT_KM not in page and "62 %" not in page
            assert "entre 25 et 50 km" in page and "environ 60 %" in page
    for email in Email.objects.filter(key__startswith="introduction:"):
        assert EXACT_KM not in email.body_text and "62 %" not in email.body_text
    login(client, cast.alice)
    client.post(url, {"action": "accept"})                   # both accepted: exact figures
    for person in (cast.alice, cast.carol):
        for page in _seen_by(client, person, match, intro):
            assert EXACT_KM in page and "62 %" in page
    login(client, cast.sam)                                  # staff always see them
    assert EXACT_KM in text(client.get(intro.get_absolute_url()))


def test_staff_see_exact_figures_of_a_blind_match(client, cast, match):
    login(client, cast.sam)
    assert EXACT_KM in text(client.get("/gestion/symbiose/"))        # to facilitate
    assert EXACT_KM in text(client.get(f"/symbiose/flux/{match.need.pk}/"))
    api = client.get(f"/api/v1/symbiosis/streams/{match.need.pk}/matches").json()
    assert EXACT_COVER in api[0]["reasons"]


@pytest.mark.parametrize(("km", "words"), [(3, "moins de 25 km"), (24, "moins de 25 km"),
                                           (25, "entre 25 et 50 km"),
                                           (99, "entre 50 et 100 km"),
                                           (150, "entre 100 et 200 km"),
                                           (640, "plus de 200 km")])
def test_distances_are_given_as_bands(km, words):
    assert blind_reasons([f"{km} km (maximum 800 km)"]) == [f"{words} (maximum 800 km)"]


def test_the_engines_words_are_all_rounded():
    """Pinned to the engine's real explanations, in both languages."""
    offer = prepare(EngineStream(id="o", description="Bran de scie sec", quantity=100,
                                 unit="t/an", lat=48.42, lon=-71.07))
    need = prepare(EngineStream(id="n", description="Litière pour poulaillers",
                                quantity=160, unit="t/an", lat=48.55, lon=-71.65))
    for lang in ("fr", "en"):
        exact = explain(offer, need, lang)
        blind = blind_reasons(exact)
        assert len(blind) == len(exact) and blind != exact
        assert not any(r in blind for r in exact if "km" in r or "62" in r)
    assert blind_reasons(["couvre 100 % du besoin", "couvre 3 % du besoin"]) == [
        "couvre environ 100 % du besoin", "couvre moins de 10 % du besoin"]


def test_files_of_anonymous_listings_have_a_neutral_name(client, cast, match):
    login(client, cast.alice)
    client.post(f"/symbiose/flux/{match.offer.pk}/fichiers/",
                {"file": SimpleUploadedFile("analyse-precision-acme-2026.pdf", b"%PDF-1.4 x")})
    item = StreamFile.objects.get()
    url = f"/symbiose/flux/{match.offer.pk}/fichiers/{item.pk}/"
    assert "analyse-precision-acme-2026.pdf" in text(client.get(f"/symbiose/flux/"
                                                                 f"{match.offer.pk}/"))
    assert "analyse-precision-acme" in client.get(url)["Content-Disposition"]   # owner
    login(client, cast.carol)
    page = text(client.get(f"/symbiose/flux/{match.offer.pk}/"))
    assert "acme" not in page.lower() and f"document-{item.pk}.pdf" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="document-{item.pk}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
