"""Issue #17 journeys in Chromium: answering a survey with skip logic (and sections), voting in
an election; axe on the surveys' and governance's pages at 1280 and 390 px (screenshots on
request)."""

import os
from pathlib import Path

import pytest

from tests.browser.test_accessibility import _login, _violations

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ALLIAGE_SCREENSHOTS_GOVERNANCE")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png",
                        full_page=True)


def test_answer_a_survey_whose_second_question_depends_on_the_first(page, cast):
    from alliage.surveys.models import Response
    from tests.surveys.conftest import make_survey

    survey = make_survey()
    q1, q2, *_ = survey.q
    _login(page, "bob@acme.example")
    page.goto(page.base + "/vie-associative/")
    page.get_by_role("link", name="Plan stratégique 2020-2025").click()
    follow_up = page.locator(f"#block-q{q2.pk}")
    # The page's script hides "Lesquelles?" once loaded (deferred): wait for it, then check.
    follow_up.wait_for(state="hidden")                           # "Lesquelles?" waits
    page.get_by_label("Jamais").check()
    follow_up.wait_for(state="hidden")
    page.get_by_label("Parfois").check()
    follow_up.wait_for(state="visible")
    page.get_by_label("5@7").check()
    page.get_by_label("Commentaires").fill("Plus de 5@7 à Alma")
    _shot(page, "survey-answer")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("sont enregistrées").wait_for()
    answers = Response.objects.get().answers
    assert answers[str(q1.pk)] == 1 and answers[str(q2.pk)] == [1]
    # Back to the first answer "Jamais": the follow-up would be dropped (server side too).
    assert page.errors == []


def test_a_section_whose_questions_are_all_hidden_is_hidden_too(page, cast):
    from alliage.surveys.models import Response
    from tests.surveys.conftest import make_survey
    from tests.surveys.test_sections import add_sections

    survey = make_survey()
    first, follow, opinion = add_sections(survey)
    q1, q2, q3, *_ = survey.q
    _login(page, "bob@acme.example")
    page.goto(page.base + f"/sondages/{survey.slug}/")
    assert page.get_by_role("heading", level=2, name="Vos activités").is_visible()
    suite = page.locator(f"#section-{follow.pk}")
    suite.wait_for(state="hidden")                   # "Suite" holds only the hidden q2
    page.get_by_label("Parfois").check()
    suite.wait_for(state="visible")
    assert page.locator(f"#section-{follow.pk} #block-q{q2.pk}").is_visible()
    page.get_by_label("Jamais").check()
    suite.wait_for(state="hidden")
    page.locator(f"#section-{opinion.pk} #block-q{q3.pk}").get_by_label("4").check()
    _shot(page, "survey-sections")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("sont enregistrées").wait_for()
    assert Response.objects.get().answers == {str(q1.pk): 0, str(q3.pk): 4}
    assert page.errors == []


def test_vote_in_an_election_after_confirming(page, cast):
    from alliage.governance.models import Ballot, VoterMark
    from tests.governance.conftest import make_election

    election = make_election()
    _login(page, "alice@acme.example")
    page.goto(page.base + f"/vie-associative/elections/{election.pk}/")
    page.get_by_label("Ana Roy").check()
    page.get_by_label("Cléo Lavoie").check()
    _shot(page, "election-ballot")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Déposer le bulletin").click()
    page.get_by_text("Votre bulletin est déposé").wait_for()
    assert page.get_by_text("Usinage Précision Acme inc. a voté.").is_visible()
    assert page.get_by_role("button", name="Déposer le bulletin").count() == 0
    assert VoterMark.objects.count() == 1
    assert sorted(Ballot.objects.get().choices) == sorted([election.c[0].pk, election.c[2].pk])
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_no_axe_violation_on_surveys_and_governance_pages(page, cast, width):
    from alliage.governance import elections, services
    from alliage.surveys import services as survey_services
    from tests.governance.conftest import make_assembly, make_election
    from tests.surveys.conftest import make_survey

    page.set_viewport_size({"width": width, "height": 900})
    from tests.surveys.test_sections import add_sections

    survey = make_survey()
    section = add_sections(survey)[0]
    survey_services.response_submit(survey=survey, contact=cast.bob.contact,
                                    organisation=cast.acme,
                                    answers={str(survey.q[0].pk): 1, str(survey.q[2].pk): 4})
    assembly = make_assembly()
    services.resolution_add(assembly=assembly, title_fr="États financiers", majority="simple",
                            actor=cast.sam)
    services.attendance_record(assembly=assembly, organisation=cast.acme, actor=cast.sam)
    election = make_election()
    elections.vote_cast(election=election, organisation=cast.rival, user=cast.carol,
                        candidate_ids=[election.c[0].pk])
    closed = make_election(title_fr="Élection fermée")
    elections.vote_cast(election=closed, organisation=cast.acme, user=cast.alice,
                        candidate_ids=[closed.c[1].pk])
    elections.election_close(election=closed, actor=cast.sam)
    found = {}
    pages = {"public": ["/vie-associative/", "/vie-associative/conseil/", "/sondages/"],
             "alice@acme.example": [f"/sondages/{survey.slug}/",
                                    f"/vie-associative/assemblees/{assembly.pk}/",
                                    f"/vie-associative/elections/{election.pk}/"],
             "sam@alliage.example": [
                 "/gestion/sondages/", "/gestion/sondages/nouveau/",
                 "/gestion/elections/nouvelle/", f"/gestion/sondages/{survey.pk}/",
                 f"/gestion/sondages/{survey.pk}/questions/{survey.q[1].pk}/",
                 f"/gestion/sondages/{survey.pk}/questions/{section.pk}/",
                 f"/sondages/{survey.slug}/",         # the staff's preview, with sections
                 f"/sondages/{survey.slug}/resultats/?par=size", "/gestion/assemblees/",
                 f"/gestion/assemblees/{assembly.pk}/",
                 f"/gestion/assemblees/{assembly.pk}/registre/", "/gestion/reglements/",
                 f"/gestion/elections/{closed.pk}/", f"/gestion/elections/{election.pk}/",
                 f"/vie-associative/elections/{closed.pk}/"]}
    for who, paths in pages.items():
        page.context.clear_cookies()
        if who != "public":
            _login(page, who)
        for path in paths:
            if v := _violations(page, path):
                found[path] = v
            _shot(page, path.strip("/").replace("/", "_").replace("?", "_") or "home")
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())


def test_rank_and_rate_save_come_back_and_send(page, cast):
    from alliage.surveys.models import Draft, Response
    from tests.surveys.test_kinds_drafts_segments import _kinds_survey

    survey = _kinds_survey()
    q1, q2, q3 = survey.q
    _login(page, "bob@acme.example")
    page.goto(page.base + f"/sondages/{survey.slug}/")
    page.get_by_label("Oui").check()
    page.get_by_label("Financement").select_option("1")
    page.get_by_label("Réseautage : Très bien").check()
    page.get_by_role("button", name="Enregistrer et terminer plus tard").click()
    page.get_by_text("Vos réponses sont enregistrées").wait_for()
    assert Draft.objects.count() == 1
    page.goto(page.base + "/")
    page.goto(page.base + f"/sondages/{survey.slug}/")
    assert page.get_by_label("Financement").input_value() == "1"
    assert page.get_by_label("Réseautage : Très bien").is_checked()
    page.get_by_label("Main-d'œuvre").select_option("2")
    page.get_by_label("Symbiose").select_option("3")
    page.get_by_label("Formations : Bien").check()
    _shot(page, "survey-ranking-matrix")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("sont enregistrées").wait_for()
    assert Response.objects.get().answers == {str(q1.pk): 0, str(q2.pk): [2, 0, 1],
                                              str(q3.pk): {"0": 2, "1": 1}}
    assert Draft.objects.count() == 0
    assert page.errors == []
