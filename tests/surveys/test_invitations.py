"""Invitations and reminders by mail: the audience, once each, reminders skip who answered."""

import pytest
from django.core.exceptions import ValidationError

from alliage.core.models import Email
from alliage.surveys import services
from tests.conftest import login
from tests.surveys.conftest import make_survey


def _to(kind="survey_invitation"):
    return sorted(Email.objects.filter(template=kind).values_list("to", flat=True))


def test_a_members_survey_is_mailed_to_every_member_person_once(cast):
    survey = make_survey()
    assert services.survey_invite(survey=survey, actor=cast.sam) == 3   # alice, bob, carol
    services.survey_invite(survey=survey, actor=cast.sam)              # again: no new mail
    assert _to() == ["alice@acme.example", "bob@acme.example", "carol@rival.example"]
    assert Email.objects.first().subject == "Votre avis : Plan stratégique 2020-2025"


def test_one_response_per_company_invites_its_admins_and_reminds_only_the_silent(cast):
    survey = make_survey(per="organisation", anonymous=True)
    assert services.survey_invite(survey=survey, actor=cast.sam) == 2    # alice, carol
    services.response_submit(survey=survey, contact=cast.bob.contact, organisation=cast.acme,
                             answers={})
    assert services.survey_invite(survey=survey, actor=cast.sam, reminder=True) == 1
    reminders = Email.objects.filter(subject__startswith="Rappel")
    assert list(reminders.values_list("to", flat=True)) == ["carol@rival.example"]
    assert "anonyme" in reminders.get().body_text


def test_invitations_only_while_open_and_staff_confirm(client, cast):
    draft = make_survey(status="draft")
    with pytest.raises(ValidationError):
        services.survey_invite(survey=draft, actor=cast.sam)
    survey = make_survey(slug="ouvert")
    login(client, cast.alice)
    assert client.post(f"/gestion/sondages/{survey.pk}/inviter/").status_code == 403
    login(client, cast.sam)
    assert client.post(f"/gestion/sondages/{survey.pk}/inviter/").status_code == 200  # asks
    assert not Email.objects.exists()
    client.post(f"/gestion/sondages/{survey.pk}/inviter/", {"confirmed": "1"})
    assert Email.objects.count() == 3
