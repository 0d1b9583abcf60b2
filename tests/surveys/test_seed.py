from alliage.surveys import seed
from alliage.surveys.models import Response, Survey


def test_the_demo_survey_is_seeded_once_closed_and_anonymous(cast):
    first = seed.seed()
    assert seed.seed() == first == [(2, "survey responses"),   # the cast's two members
                                    (3, "questions of the open survey")]
    survey = Survey.objects.get(slug=seed.SLUG)
    assert survey.status == "closed" and survey.anonymous
    assert survey.opens_at.date().isoformat() == "2020-04-04"
    assert not Response.objects.exclude(contact=None).exists()


def test_privacy_export_and_erasure_keep_answers_without_the_person(cast):
    from alliage.members import privacy as members_privacy
    from alliage.surveys import services
    from tests.surveys.conftest import make_survey

    survey = make_survey()
    services.response_submit(survey=survey, contact=cast.bob.contact, organisation=cast.acme,
                             answers={str(survey.q[4].pk): "Bob Gagnon trouve ça bien"})
    export = members_privacy.person_export(cast.bob.contact)
    assert export["survey_responses"][0]["answers"] == {
        "Commentaires": "Bob Gagnon trouve ça bien"}
    assert export["survey_participations"] == [{"survey": survey.title_fr}]
    members_privacy.anonymise(cast.bob.contact, actor=cast.sam)
    response = Response.objects.get()
    assert response.contact is None and response.organisation is None
    assert "Gagnon" not in str(response.answers)


def test_the_open_demo_survey_has_a_ranking_and_a_matrix(cast):
    seed.seed()
    survey = Survey.objects.get(slug=seed.OPEN_SLUG)
    assert survey.is_open() and not survey.anonymous
    assert [q.kind for q in survey.questions.all()] == ["ranking", "matrix", "long_text"]
    assert survey.questions.get(kind="matrix").rows[0] == "Activités de réseautage"


def test_the_demo_survey_has_two_sections_over_its_questions(cast):
    from alliage.surveys.models import in_sections

    seed.seed()
    survey = Survey.objects.get(slug=seed.SLUG)
    groups = in_sections(survey.questions.all())
    assert [(s.text_fr, len(qs)) for s, qs in groups] == [("Votre adhésion", 2),
                                                          ("Vie associative", 4)]
    assert groups[1][0].note_en == "Networking activities and your satisfaction."
    # The seeded answers are the questions' (never a section's).
    sections = {str(s.pk) for s, _qs in groups}
    assert not any(sections & set(r.answers) for r in survey.responses.all())
