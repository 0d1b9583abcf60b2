"""Answering a survey: skip logic, one response per person or company, audiences."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliage.surveys import services
from alliage.surveys.forms import AnswerForm
from alliage.surveys.models import Participation, Response
from tests.conftest import login, text
from tests.surveys.conftest import make_survey


def _form(survey, data):
    return AnswerForm(data, questions=survey.questions.all())


def test_a_question_behind_a_condition_is_required_only_when_shown(survey):
    q1, q2, q3, *_ = survey.q
    shown = _form(survey, {f"q{q1.pk}": "1"})           # "Parfois": q2 appears, required
    assert not shown.is_valid()
    assert f"q{q2.pk}" in shown.errors
    hidden = _form(survey, {f"q{q1.pk}": "0", f"q{q2.pk}": ["2"], f"q{q3.pk}": "4"})
    assert hidden.is_valid(), hidden.errors
    # The answer to the hidden question is dropped, never stored.
    assert hidden.answers == {str(q1.pk): 0, str(q3.pk): 4}


def test_answers_are_stored_by_question_with_their_types(survey):
    q1, q2, q3, q4, q5 = survey.q
    form = _form(survey, {f"q{q1.pk}": "1", f"q{q2.pk}": ["0", "2"], f"q{q3.pk}": "5",
                          f"q{q4.pk}": "45", f"q{q5.pk}": "Bravo"})
    assert form.is_valid(), form.errors
    assert form.answers == {str(q1.pk): 1, str(q2.pk): [0, 2], str(q3.pk): 5,
                            str(q4.pk): "45", str(q5.pk): "Bravo"}


def test_out_of_range_choices_and_scale_values_are_form_errors(survey):
    q1, _q2, q3, *_ = survey.q
    form = _form(survey, {f"q{q1.pk}": "7", f"q{q3.pk}": "9"})
    assert not form.is_valid()
    assert {f"q{q1.pk}", f"q{q3.pk}"} <= set(form.errors)


def test_one_response_per_person(client, cast, survey):
    q1 = survey.q[0]
    login(client, cast.bob)
    assert client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "0"}).status_code == 302
    again = client.get(f"/sondages/{survey.slug}/")
    assert "déjà répondu" in text(again)
    with pytest.raises(ValidationError):
        services.response_submit(survey=survey, contact=cast.bob.contact,
                                 organisation=cast.acme, answers={})
    assert Response.objects.count() == 1
    # A colleague answers for themselves.
    login(client, cast.alice)
    assert client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "2"}).status_code == 302
    assert Response.objects.count() == 2


def test_one_response_per_organisation_when_configured(client, cast):
    survey = make_survey(per="organisation")
    q1 = survey.q[0]
    login(client, cast.bob)
    client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "0"})
    login(client, cast.alice)                                  # same company
    page = client.get(f"/sondages/{survey.slug}/")
    assert "Votre entreprise a déjà répondu" in text(page)
    assert client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "0"}).status_code == 200
    assert Response.objects.count() == 1
    login(client, cast.carol)                                  # another company
    client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "0"})
    assert Response.objects.count() == 2


def test_an_identified_response_names_its_person_and_company(client, cast, survey):
    login(client, cast.bob)
    client.post(f"/sondages/{survey.slug}/", {f"q{survey.q[0].pk}": "0"})
    response = Response.objects.get()
    assert (response.contact, response.organisation) == (cast.bob.contact, cast.acme)
    assert response.submitted_on is not None


def test_audiences(cast):
    members = make_survey(slug="membres")
    with pytest.raises(PermissionDenied):
        services.respondent(cast.dan, members)      # a non-member company's admin
    assert services.respondent(cast.bob, members) == (cast.bob.contact, cast.acme)
    from tests.events.conftest import make_event

    event = make_event()
    attendees = make_survey(slug="participants", audience="attendees", event=event)
    with pytest.raises(PermissionDenied):
        services.respondent(cast.bob, attendees)
    from alliage.events import services as events

    events.order_create(event=event, ticket_type=event.ticket_types.get(),
                        buyer=cast.bob.contact, attendees=[cast.bob.contact],
                        organisation=cast.acme)
    assert services.respondent(cast.bob, attendees)[0] == cast.bob.contact


def test_a_visitor_answers_a_public_survey_once(client, cast):
    survey = make_survey(slug="public", audience="public")
    q1 = survey.q[0]
    assert client.post(f"/sondages/{survey.slug}/", {f"q{q1.pk}": "0"}).status_code == 302
    assert "déjà répondu" in text(client.get(f"/sondages/{survey.slug}/"))
    participation = Participation.objects.get()
    assert participation.contact is None and len(participation.visitor) == 64


def test_a_closed_or_draft_survey_answers_404(client, cast):
    make_survey(slug="brouillon", status="draft")
    login(client, cast.bob)
    assert client.get("/sondages/brouillon/").status_code == 404
