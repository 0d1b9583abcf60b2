from alliage.surveys import seed
from alliage.surveys.models import Response, Survey


def test_the_demo_survey_is_seeded_once_closed_and_anonymous(cast):
    first = seed.seed()
    assert seed.seed() == first == [(2, "survey responses")]   # the cast's two members
    survey = Survey.objects.get(slug=seed.SLUG)
    assert survey.status == "closed" and survey.anonymous
    assert survey.opens_at.date().isoformat() == "2020-04-04"
    assert not Response.objects.exclude(contact=None).exists()
