"""Role × URL for surveys, the API and the yearly figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.surveys import services, stats
from alliage.surveys.models import Survey
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import login, statuses
from tests.surveys.conftest import make_survey

# anonymous, bob (Acme contact), alice (Acme admin), carol (Rival admin),
# dan (non-member company's admin), bea (board), sam (staff)
MATRIX = {
    "/sondages/":                              (200, 200, 200, 200, 200, 200, 200),
    # Members' survey: visitors are asked to log in, non-members refused, staff preview.
    "/sondages/{members}/":                    (302, 200, 200, 200, 403, 403, 200),
    "/sondages/{public}/":                     (200, 200, 200, 200, 200, 200, 200),
    "/sondages/{draft}/":                      (404, 404, 404, 404, 404, 404, 404),
    "/sondages/{members}/resultats/":          (302, 403, 403, 403, 403, 200, 200),
    "/sondages/{members}/resultats.csv":       (302, 403, 403, 403, 403, 200, 200),
    "/sondages/{draft}/resultats/":            (302, 403, 403, 403, 403, 404, 404),
    "/gestion/sondages/":                      (302, 403, 403, 403, 403, 403, 200),
    "/gestion/sondages/nouveau/":              (302, 403, 403, 403, 403, 403, 200),
    "/gestion/sondages/{members_pk}/":         (302, 403, 403, 403, 403, 403, 200),
    "/gestion/sondages/{members_pk}/questions/nouvelle/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/sondages/{members_pk}/questions/{question}/": (302, 403, 403, 403, 403, 403,
                                                             200),
    "/gestion/sondages/999999/":               (302, 403, 403, 403, 403, 403, 404),
}
POSTS = {
    "/gestion/sondages/{draft_pk}/ouvrir/":    (302, 403, 403, 403, 403, 403, 200),
    "/gestion/sondages/{members_pk}/fermer/":  (302, 403, 403, 403, 403, 403, 200),
    "/gestion/sondages/{draft_pk}/questions/{draft_question}/supprimer/": (
        302, 403, 403, 403, 403, 403, 200),
}


@pytest.fixture
def urls(cast):
    members = make_survey(slug="membres")
    public = make_survey(slug="public", audience="public")
    draft = make_survey(slug="brouillon", status="draft")
    return {"members": members.slug, "public": public.slug, "draft": draft.slug,
            "members_pk": members.pk, "draft_pk": draft.pk, "question": members.q[0].pk,
            "draft_question": draft.q[0].pk}


@pytest.mark.parametrize("path", MATRIX)
def test_surveys_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_surveys_post_matrix_asks_staff_to_confirm(client, cast, urls, path):
    # Unconfirmed, staff get the confirmation page (200); nothing changes.
    got = statuses(client, cast, path.format(**urls), method="post")
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
    assert Survey.objects.get(slug="membres").status == "open"
    assert Survey.objects.get(slug="brouillon").status == "draft"


def test_confirmed_close_and_open(client, cast, urls):
    login(client, cast.sam)
    client.post(f"/gestion/sondages/{urls['members_pk']}/fermer/", {"confirmed": "1"})
    client.post(f"/gestion/sondages/{urls['draft_pk']}/ouvrir/", {"confirmed": "1"})
    assert Survey.objects.get(slug="membres").status == "closed"
    assert Survey.objects.get(slug="brouillon").status == "open"


def test_staff_build_a_survey_with_a_conditional_question(client, cast):
    login(client, cast.sam)
    now = timezone.localtime()
    response = client.post("/gestion/sondages/nouveau/", {
        "title_fr": "Besoins 2026", "slug": "besoins-2026", "audience": "members",
        "per": "organisation", "anonymous": "on",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")})
    survey = Survey.objects.get(slug="besoins-2026")
    assert response.status_code == 302 and survey.anonymous and survey.per == "organisation"
    base = f"/gestion/sondages/{survey.pk}/questions/nouvelle/"
    client.post(base, {"position": 1, "kind": "single", "text_fr": "Recyclez-vous?",
                       "choices_fr": "Oui\nNon", "scale_min": 1, "scale_max": 5})
    first = survey.questions.get()
    bad = client.post(base, {"position": 2, "kind": "long_text", "text_fr": "Quoi?",
                             "scale_min": 1, "scale_max": 5, "show_if": first.pk,
                             "show_if_choice": 3})
    assert bad.status_code == 200 and survey.questions.count() == 1   # no choice no. 3
    client.post(base, {"position": 2, "kind": "long_text", "text_fr": "Quoi?",
                       "scale_min": 1, "scale_max": 5, "show_if": first.pk,
                       "show_if_choice": 1})
    second = survey.questions.get(position=2)
    assert (second.show_if, second.show_if_choice) == (first, 0)


def test_bad_dates_are_a_form_error_not_a_500(client, cast):
    login(client, cast.sam)
    page = client.post("/gestion/sondages/nouveau/", {
        "title_fr": "X", "slug": "x", "audience": "attendees", "per": "person",
        "opens_at": "2026-05-02T10:00", "closes_at": "2026-05-01T10:00"})
    assert page.status_code == 200 and not Survey.objects.filter(slug="x").exists()
    assert "doit fermer après" in page.content.decode()


def test_api_lists_open_surveys_by_audience_and_results_for_the_board(client, cast, urls):
    assert [s["slug"] for s in client.get("/api/v1/surveys/").json()] == ["public"]
    login(client, cast.bob)
    assert sorted(s["slug"] for s in client.get("/api/v1/surveys/").json()) == ["membres",
                                                                              "public"]
    assert client.get("/api/v1/surveys/membres/results").status_code == 403
    login(client, cast.bea)
    body = client.get("/api/v1/surveys/membres/results").json()
    assert body["responses"] == 0 and body["questions"][0]["rows"][0]["label"] == "Jamais"
    assert client.get("/api/v1/surveys/brouillon/results").status_code == 404
    client.logout()
    assert client.get("/api/v1/surveys/membres/results").status_code == 401


def test_yearly_figures(cast):
    survey = make_survey(opens_at=timezone.now() - timedelta(days=2))
    make_survey(slug="brouillon", status="draft")
    services.response_submit(survey=survey, contact=cast.bob.contact, organisation=cast.acme,
                             answers={})
    services.response_submit(survey=survey, contact=cast.alice.contact, organisation=cast.acme,
                             answers={})
    figures = stats.yearly(survey.opens_at.year)
    assert figures == {"surveys": 1, "responses": 2, "anonymous_responses": 0,
                       "responding_organisations": 1, "most_responses": 2}
    assert stats.yearly(2001)["surveys"] == 0
