"""Sections: headings staff place among the questions; they hold no answer."""

import re

import pytest
from django.db import IntegrityError, transaction

from alliage.surveys import results, services
from alliage.surveys.forms import AnswerForm, QuestionForm
from alliage.surveys.models import Question, Response, in_sections
from tests.conftest import login, text
from tests.surveys.conftest import make_survey


def add_sections(survey):
    """Three sections on ``make_survey``: "Vos activités" over q1, "Suite" over q2 only (shown
    after q1's second choice), "Votre avis" over q3-q5. Returns them."""
    q1, q2, *_ = survey.q

    def section(position, fr, **more):
        return Question.objects.create(survey=survey, position=position, kind="section",
                                       text_fr=fr, **more)

    made = [section(0, "Vos activités", text_en="Your activities",
                    note_fr="Quelques questions rapides.", note_en="A few quick questions."),
            section(q1.position, "Suite"),          # after q1 (same position, later id)
            section(q2.position, "Votre avis")]     # after q2
    survey.sections = made
    return made


def _post(survey, data, partial=False):
    form = AnswerForm(data, questions=survey.questions.all(), partial=partial)
    return form


def test_staff_add_a_section_with_a_title_and_a_short_text_in_the_builder(client, cast):
    survey = make_survey(status="draft")
    login(client, cast.sam)
    page = text(client.get(f"/gestion/sondages/{survey.pk}/"))
    create = f"/gestion/sondages/{survey.pk}/questions/nouvelle/?kind=section"
    assert f'href="{create}"' in page.replace("&amp;", "&")
    form = text(client.get(create))
    assert "Nouvelle section" in form
    assert re.search(r'<option value="section" selected>', form)
    response = client.post(create, {"position": 3, "kind": "section",
                                    "text_fr": "Votre avis", "text_en": "Your opinion",
                                    "note_fr": "Trois questions.", "note_en": "Three questions.",
                                    "scale_min": 1, "scale_max": 5})
    assert response.status_code == 302
    section = survey.questions.get(kind="section")
    assert (section.text_fr, section.note_en, section.required) == (
        "Votre avis", "Three questions.", False)
    # Ordered among the questions by the same position: after q3 (same position, later id).
    assert [q.pk for q in survey.questions.all()][2:4] == [survey.q[2].pk, section.pk]
    assert "Votre avis" in text(client.get(f"/gestion/sondages/{survey.pk}/"))
    # The surveys list counts the 5 questions, not the section.
    listed = text(client.get("/gestion/sondages/"))
    assert re.search(r"<td>Brouillon</td><td>5</td><td>0</td>", listed)


def test_a_member_cannot_reach_the_section_builder(client, cast):
    survey = make_survey(status="draft")
    login(client, cast.alice)
    url = f"/gestion/sondages/{survey.pk}/questions/nouvelle/?kind=section"
    assert client.get(url).status_code == 403
    assert client.post(url, {"position": 1, "kind": "section", "text_fr": "X",
                             "scale_min": 1, "scale_max": 5}).status_code == 403
    assert not survey.questions.filter(kind="section").exists()


def test_a_section_is_never_required_conditional_nor_given_choices(cast):
    survey = make_survey(status="draft")
    q1 = survey.q[0]
    base = {"position": 2, "kind": "section", "text_fr": "Suite", "scale_min": 1,
            "scale_max": 5}
    assert QuestionForm(base, survey=survey).is_valid()
    required = QuestionForm({**base, "required": "on"}, survey=survey)
    assert "required" in required.errors
    conditional = QuestionForm({**base, "show_if": q1.pk, "show_if_choice": 1}, survey=survey)
    assert "show_if" in conditional.errors
    choices = QuestionForm({**base, "choices_fr": "A\nB"}, survey=survey)
    assert "choices_fr" in choices.errors
    # q1 decides whether q2 shows: it cannot become a section (q2 would never show).
    source = QuestionForm({**base, "position": 1}, instance=q1, survey=survey)
    assert "kind" in source.errors
    # A section is never offered as the question a condition is about.
    section = Question.objects.create(survey=survey, position=0, kind="section", text_fr="S")
    assert section not in QuestionForm(survey=survey).fields["show_if"].queryset
    # And the database refuses a required or conditional one.
    for bad in ({"required": True}, {"show_if": q1, "show_if_choice": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Question.objects.create(survey=survey, position=5, kind="section", text_fr="X",
                                    **bad)


def test_sections_hold_no_answer_and_skip_logic_works_inside_them(cast):
    survey = make_survey()
    add_sections(survey)
    q1, q2, q3, *_ = survey.q
    form = _post(survey, {f"q{q1.pk}": "0", f"q{q3.pk}": "4",
                          f"q{survey.sections[0].pk}": "anything"})
    assert form.is_valid(), form.errors                  # q2 (in "Suite") hidden: not required
    assert form.answers == {str(q1.pk): 0, str(q3.pk): 4}
    assert not any(f"q{s.pk}" in form.fields for s in survey.sections)
    shown = _post(survey, {f"q{q1.pk}": "1"})
    assert not shown.is_valid() and f"q{q2.pk}" in shown.errors   # shown in its section
    partial = _post(survey, {f"q{q1.pk}": "1"}, partial=True)
    assert partial.is_valid() and partial.answers == {str(q1.pk): 1}   # a draft
    # Grouped by section: "Suite" goes when its only question is hidden.
    visible = form.visible({q1.pk: 0})
    assert [(s.text_fr, [q.pk for q in qs]) for s, qs in
            in_sections(survey.questions.all(), visible, lambda q: q)] == [
        ("Vos activités", [q1.pk]), ("Votre avis", [q.pk for q in survey.q[2:]])]


def test_the_answer_page_groups_questions_under_their_section_headings(client, cast):
    survey = make_survey()
    first, follow, opinion = add_sections(survey)
    q1, q2, q3, q4, q5 = survey.q
    login(client, cast.bob)
    page = text(client.get(f"/sondages/{survey.slug}/"))
    found = re.findall(r'id="(section-\d+|block-q\d+)"|</fieldset>\s*</fieldset>', page)
    order = [f for f in found if f]
    assert order == [f"section-{first.pk}", f"block-q{q1.pk}", f"section-{follow.pk}",
                     f"block-q{q2.pk}", f"section-{opinion.pk}", f"block-q{q3.pk}",
                     f"block-q{q4.pk}", f"block-q{q5.pk}"]
    assert "<legend><h2>Vos activités</h2></legend>" in page
    assert "Quelques questions rapides." in page
    # The staff's preview shows them too.
    login(client, cast.sam)
    assert "<legend><h2>Votre avis</h2></legend>" in text(client.get(f"/sondages/{survey.slug}/"))


def test_results_exports_and_api_leave_sections_out_but_the_results_page_heads_them(client,
                                                                                   cast):
    survey = make_survey()
    add_sections(survey)
    q1, _q2, q3, *_ = survey.q
    services.response_submit(survey=survey, contact=cast.bob.contact, organisation=cast.acme,
                             answers={str(q1.pk): 0, str(q3.pk): 5})
    rows, total = results.survey_results(survey)
    assert [r.question.pk for r in rows] == [q.pk for q in survey.q]
    assert [r.number for r in rows] == [1, 2, 3, 4, 5] and total == 1
    login(client, cast.bea)
    page = text(client.get(f"/sondages/{survey.slug}/resultats/"))
    assert '<h2 id="section-' in page and "Vos activités" in page and "Votre avis" in page
    assert "<h3>3. Satisfaction</h3>" in page
    header = client.get(f"/sondages/{survey.slug}/resultats.csv").content.decode(
        "utf-8-sig").splitlines()[0]
    assert "Satisfaction" in header and "Votre avis" not in header and "Suite" not in header
    api = client.get(f"/api/v1/surveys/{survey.slug}/results").json()
    assert [q["question"] for q in api["questions"]] == [q.text_fr for q in survey.q]
    assert list(Response.objects.get().answers) == [str(q1.pk), str(q3.pk)]


def test_a_survey_with_only_sections_cannot_open(cast):
    from django.core.exceptions import ValidationError

    survey = make_survey(status="draft")
    survey.questions.all().delete()
    Question.objects.create(survey=survey, position=1, kind="section", text_fr="Seule")
    with pytest.raises(ValidationError):
        services.survey_open(survey=survey, actor=cast.sam)
