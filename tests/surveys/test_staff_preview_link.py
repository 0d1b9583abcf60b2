"""Staff are shown every open survey on /vie-associative/: one for member companies must
open for them as a preview, even when their login has a person record (a crawl found a 403
behind the link)."""

import pytest

from tests.conftest import login, text

pytestmark = pytest.mark.django_db


def test_staff_with_a_person_record_preview_a_members_survey(client, cast):
    from django.utils import timezone

    from alliage.members.models import Contact
    from alliage.surveys.models import Question, Survey

    survey = Survey.objects.create(slug="priorites", title_fr="Priorités", status="open",
                                   audience=Survey.Audience.MEMBERS,
                                   opens_at=timezone.now() - timezone.timedelta(days=1),
                                   closes_at=timezone.now() + timezone.timedelta(days=9))
    Question.objects.create(survey=survey, position=1, kind="text", text_fr="Votre avis?")
    staff = cast.sam
    staff.contact = Contact.objects.create(first_name="Sam", last_name="Équipe",
                                           email="sam.personne@alliage.example")
    staff.save()
    login(client, staff)
    page = client.get("/sondages/priorites/")
    assert page.status_code == 200
    assert "Votre avis?" in text(page)
    assert client.post("/sondages/priorites/", {}).status_code == 403   # they do not answer
    login(client, cast.dan)                         # a non-member is still refused
    assert client.get("/sondages/priorites/").status_code == 403
