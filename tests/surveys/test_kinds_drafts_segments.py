"""Ranking and matrix questions, save-and-resume drafts, and surveys for a CRM segment."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from alliage.core.models import Email
from alliage.members.models import Segment
from alliage.surveys import results, services
from alliage.surveys.forms import AnswerForm, QuestionForm
from alliage.surveys.models import Draft, Participation, Question, Response, Survey
from tests.conftest import login, text
from tests.surveys.conftest import make_survey


def _kinds_survey(**changes):
    """q1 single (Oui/Non), q2 ranking shown only after "Oui", q3 matrix (required)."""
    now = timezone.now()
    values = {"title_fr": "Priorités", "slug": "priorites", "audience": "members",
              "per": "person", "status": "open", "opens_at": now - timedelta(days=1),
              "closes_at": now + timedelta(days=5)}
    values.update(changes)
    survey = Survey.objects.create(**values)
    q1 = Question.objects.create(survey=survey, position=1, kind="single", text_fr="Actif?",
                                 choices_fr="Oui\nNon")
    q2 = Question.objects.create(survey=survey, position=2, kind="ranking", required=True,
                                 text_fr="Classez", choices_fr="Main-d'œuvre\nSymbiose\n"
                                 "Financement", show_if=q1, show_if_choice=0)
    q3 = Question.objects.create(survey=survey, position=3, kind="matrix", required=True,
                                 text_fr="Évaluez", choices_fr="Bof\nBien\nTrès bien",
                                 rows_fr="Réseautage\nFormations")
    survey.q = [q1, q2, q3]
    return survey


def _form(survey, data, partial=False):
    return AnswerForm(data, questions=survey.questions.all(), partial=partial)


def test_a_ranking_is_stored_in_rank_order_and_a_matrix_by_row(cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    form = _form(survey, {f"q{q1.pk}": "0", f"q{q2.pk}_0": "2", f"q{q2.pk}_1": "3",
                          f"q{q2.pk}_2": "1", f"q{q3.pk}_0": "2", f"q{q3.pk}_1": "0"})
    assert form.is_valid(), form.errors
    assert form.answers == {str(q1.pk): 0, str(q2.pk): [2, 0, 1],
                            str(q3.pk): {"0": 2, "1": 0}}


def test_ranks_given_twice_partial_rankings_and_unrated_rows_are_errors(cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    twice = _form(survey, {f"q{q1.pk}": "0", f"q{q2.pk}_0": "1", f"q{q2.pk}_1": "1",
                           f"q{q2.pk}_2": "2", f"q{q3.pk}_0": "1", f"q{q3.pk}_1": "1"})
    assert not twice.is_valid()
    assert twice.errors[f"q{q2.pk}"] == ["Donnez chaque rang une seule fois."]
    partial = _form(survey, {f"q{q1.pk}": "0", f"q{q2.pk}_0": "1", f"q{q3.pk}_0": "1"})
    assert not partial.is_valid()
    assert set(partial.errors) == {f"q{q2.pk}", f"q{q3.pk}"}
    out_of_range = _form(survey, {f"q{q1.pk}": "1", f"q{q3.pk}_0": "7", f"q{q3.pk}_1": "-1",
                                  f"q{q2.pk}_0": "99"})
    assert not out_of_range.is_valid()
    assert f"q{q3.pk}_0" in out_of_range.errors and f"q{q3.pk}_1" in out_of_range.errors


def test_a_hidden_ranking_raises_nothing_and_stores_nothing(cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    form = _form(survey, {f"q{q1.pk}": "1", f"q{q2.pk}_0": "1", f"q{q2.pk}_1": "1",
                          f"q{q3.pk}_0": "0", f"q{q3.pk}_1": "1"})
    assert form.is_valid(), form.errors
    assert str(q2.pk) not in form.answers


def test_results_give_average_ranks_first_places_and_matrix_counts(cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    for order, ratings in [([2, 0, 1], {"0": 2, "1": 0}), ([0, 2, 1], {"0": 2, "1": 1}),
                           ([2, 1, 0], {"0": 1})]:
        Response.objects.create(survey=survey, answers={str(q2.pk): order,
                                                        str(q3.pk): ratings})
    rows, total = results.survey_results(survey)
    assert total == 3
    ranking = rows[1]
    assert ranking.ranking[0] == ("Financement", 1.33, 2)     # ranks 1, 2, 1
    assert ranking.rows[2] == ("Financement", 2, 67)            # first twice in three
    assert rows[2].matrix == [("Réseautage", 3, [0, 1, 2]), ("Formations", 2, [1, 1, 0])]
    # Rankings and matrices have their own cross-tabs (see the test below).
    assert results.cross_tab(survey, q2, "sector")["rows"] == [("—", 3, ["2,0", "2,7", "1,3"])]


def test_exports_read_rankings_and_matrices(client, cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    Response.objects.create(survey=survey, answers={str(q2.pk): [2, 0, 1],
                                                    str(q3.pk): {"1": 0, "0": 2}})
    login(client, cast.sam)
    body = client.get(f"/sondages/{survey.slug}/resultats.csv").content.decode("utf-8-sig")
    assert "1. Financement; 2. Main-d'œuvre; 3. Symbiose" in body
    assert "Réseautage : Très bien; Formations : Bof" in body
    page = text(client.get(f"/sondages/{survey.slug}/resultats/?par=sector"))
    assert "Rang moyen" in page and "Très bien" in page


def test_staff_build_a_matrix_and_a_ranking_with_their_rules(cast):
    survey = make_survey(status="draft")
    base = {"position": 9, "text_fr": "Évaluez", "scale_min": 1, "scale_max": 5}
    no_rows = QuestionForm({**base, "kind": "matrix", "choices_fr": "Bof\nBien"},
                           survey=survey)
    assert not no_rows.is_valid() and "rows_fr" in no_rows.errors
    one_choice = QuestionForm({**base, "kind": "ranking", "choices_fr": "Seul"}, survey=survey)
    assert not one_choice.is_valid() and "choices_fr" in one_choice.errors
    many = "\n".join(f"Choix {i}" for i in range(21))
    assert "choices_fr" in QuestionForm({**base, "kind": "ranking", "choices_fr": many},
                                        survey=survey).errors
    good = QuestionForm({**base, "kind": "matrix", "choices_fr": "Bof\nBien",
                         "rows_fr": "Accueil\nSuivi", "rows_en": "Welcome\nFollow-up"},
                        survey=survey)
    assert good.is_valid(), good.errors
    question = services.question_save(form=good, actor=cast.sam)
    assert question.rows == ["Accueil", "Suivi"]


# --- Save and resume ------------------------------------------------------------------------


def test_a_partly_answered_survey_is_saved_then_resumed_and_sent(client, cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    login(client, cast.bob)
    url = f"/sondages/{survey.slug}/"
    saved = client.post(url, {f"q{q1.pk}": "0", f"q{q2.pk}_0": "2", "save_draft": "1"})
    assert saved.status_code == 302                  # required answers wait: it is a draft
    draft = Draft.objects.get()
    assert draft.contact == cast.bob.contact and draft.answers == {str(q1.pk): 0,
                                                                    str(q2.pk): [0]}
    assert Response.objects.count() == 0 and Participation.objects.count() == 0
    page = text(client.get(url))
    assert "Vos réponses enregistrées" in page
    assert re.search(rf'name="q{q1.pk}" value="0"[^>]*checked', page)
    assert re.search(rf'name="q{q2.pk}_0"[^>]*>\s*<option value="">—</option>\s*'
                     rf'<option value="1" selected>', page)
    # Saving again replaces the draft; another person sees none of it.
    client.post(url, {f"q{q1.pk}": "1", "save_draft": "1"})
    assert Draft.objects.get().answers == {str(q1.pk): 1}
    login(client, cast.alice)
    assert "Vos réponses enregistrées" not in text(client.get(url))
    login(client, cast.bob)
    sent = client.post(url, {f"q{q1.pk}": "1", f"q{q3.pk}_0": "1", f"q{q3.pk}_1": "2"})
    assert sent.status_code == 302
    assert Response.objects.count() == 1
    assert Draft.objects.count() == 0                # sent: the draft is gone


def test_a_draft_keeps_bad_values_out(client, cast):
    survey = _kinds_survey()
    q1 = survey.q[0]
    login(client, cast.bob)
    response = client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "9", "save_draft": "1"})
    assert response.status_code == 200
    assert Draft.objects.count() == 0


def test_an_anonymous_surveys_drafts_go_at_close_and_never_reach_results(client, cast):
    survey = make_survey(anonymous=True)
    q1 = survey.q[0]
    login(client, cast.bob)
    client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "0", "save_draft": "1"})
    assert Draft.objects.count() == 1
    rows, total = results.survey_results(survey)
    assert total == 0 and rows[0].answered == 0
    services.survey_close(survey=survey, actor=cast.sam)
    assert Draft.objects.count() == 0


def test_a_public_survey_draft_belongs_to_the_browser(client, cast):
    survey = make_survey(audience="public", slug="public")
    q1 = survey.q[0]
    client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "2", "save_draft": "1"})
    draft = Draft.objects.get()
    assert draft.contact is None and len(draft.visitor) == 64
    assert "Vos réponses enregistrées" in text(client.get(f"/sondages/{survey.slug}/"))
    other = client.__class__()
    assert "Vos réponses enregistrées" not in text(other.get(f"/sondages/{survey.slug}/"))


def test_no_draft_on_a_closed_survey(cast):
    survey = make_survey(status="closed")
    with pytest.raises(Exception, match="pas ouvert"):
        services.draft_save(survey=survey, contact=cast.bob.contact, answers={})


# --- CRM segment audience ---------------------------------------------------------------------


@pytest.fixture
def big_companies(cast):
    return Segment.objects.create(name="50 employés et moins, 20 et plus",
                                  query={"min_employees": 20})


def test_a_segment_survey_is_for_the_segments_member_companies_only(client, cast,
                                                                    big_companies):
    survey = make_survey(audience="segment", segment=big_companies)
    assert list(Survey.objects.visible_to(cast.bob)) == [survey]       # Acme: 45 employees
    assert list(Survey.objects.visible_to(cast.carol)) == []           # Rival: 12
    assert list(Survey.objects.visible_to(cast.dan)) == []             # not a member
    with pytest.raises(PermissionDenied):
        services.respondent(cast.carol, survey)
    login(client, cast.carol)
    assert client.get(f"/sondages/{survey.slug}/").status_code == 403
    login(client, cast.bob)
    assert client.post(f"/sondages/{survey.slug}/",
                       {f"q{survey.q[0].pk}": "0"}).status_code == 302
    assert Response.objects.get().organisation == cast.acme


def test_a_segment_whose_filter_no_longer_validates_selects_no_one(cast):
    broken = Segment.objects.create(name="Cassé", query={"min_employees": "beaucoup"})
    survey = make_survey(audience="segment", segment=broken)
    assert list(Survey.objects.visible_to(cast.bob)) == []
    assert services.invitation_recipients(survey) == []


def test_segment_invitations_go_to_its_companies_only(cast, big_companies):
    survey = make_survey(audience="segment", segment=big_companies)
    sent = services.survey_invite(survey=survey, actor=cast.sam)
    assert sent == 2
    assert set(Email.objects.values_list("to", flat=True)) == {cast.alice.email,
                                                               cast.bob.email}


def test_the_survey_form_asks_for_the_segment(client, cast, big_companies):
    login(client, cast.sam)
    now = timezone.now()
    data = {"title_fr": "Grands", "slug": "grands", "audience": "segment", "per": "person",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")}
    page = text(client.post("/gestion/sondages/nouveau/", data))
    assert "Choisissez le segment" in page
    assert not Survey.objects.filter(slug="grands").exists()
    client.post("/gestion/sondages/nouveau/", {**data, "segment": big_companies.pk})
    assert Survey.objects.get(slug="grands").segment == big_companies


def test_when_a_company_answers_its_colleagues_drafts_go(cast):
    survey = make_survey(per="organisation", anonymous=True)
    services.draft_save(survey=survey, contact=cast.bob.contact, answers={"1": 0})
    services.draft_save(survey=survey, contact=cast.carol.contact, answers={"1": 1})
    services.response_submit(survey=survey, contact=cast.alice.contact,
                             organisation=cast.acme, answers={str(survey.q[0].pk): 0})
    assert list(Draft.objects.values_list("contact", flat=True)) == [cast.carol.contact.pk]


def test_the_results_api_gives_rankings_and_matrices_to_the_board_only(client, cast):
    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    Response.objects.create(survey=survey, answers={str(q2.pk): [2, 0, 1],
                                                    str(q3.pk): {"0": 2}})
    url = f"/api/v1/surveys/{survey.slug}/results"
    login(client, cast.bob)
    assert client.get(url).status_code == 403
    login(client, cast.bea)
    data = client.get(url).json()
    ranking, matrix = data["questions"][1], data["questions"][2]
    assert ranking["ranking"][0] == {"label": "Financement", "average_rank": 1.0, "first": 1}
    assert matrix["columns"] == ["Bof", "Bien", "Très bien"]
    assert matrix["matrix"][0] == {"label": "Réseautage", "answered": 1, "counts": [0, 0, 1]}


def test_rankings_and_matrices_have_cross_tabs_by_group(client, cast):
    """Issue #17: cross-tabs by sector, size and town for rankings (each choice's average
    rank in the group) and matrices (each row's most chosen column)."""
    survey = _kinds_survey()
    _q1, q2, q3 = survey.q
    for n, (org, order, rating) in enumerate([(cast.acme, [0, 1, 2], {"0": 2, "1": 0}),
                                              (cast.acme, [1, 0, 2], {"0": 2, "1": 1}),
                                              (cast.rival, [2, 1, 0], {"0": 0, "1": 1})]):
        Response.objects.create(survey=survey, organisation=org, sector=org.primary_sector
                                .code[:2] if org.primary_sector else "", size="",
                                town=str(org.municipality or ""),
                                answers={str(q2.pk): order, str(q3.pk): rating})
    ranking = results.cross_tab(survey, q2, "town")
    assert ranking["options"] == ["Main-d'œuvre", "Symbiose", "Financement"]
    assert ranking["measure"] == "Rang moyen par choix (1 = premier)"
    by_town = {name: (n, cells) for name, n, cells in ranking["rows"]}
    acme_town = str(cast.acme.municipality)
    assert by_town[acme_town] == (2, ["1,5", "1,5", "3,0"])
    matrix = results.cross_tab(survey, q3, "town")
    assert matrix["options"] == ["Réseautage", "Formations"]
    assert {name: cells for name, _n, cells in matrix["rows"]}[acme_town] == ["Très bien",
                                                                               "Bof"]
    login(client, cast.sam)
    page = text(client.get(f"/sondages/{survey.slug}/resultats/?par=town"))
    assert "Rang moyen par choix (1 = premier)" in page
    assert "Colonne la plus choisie par ligne" in page
