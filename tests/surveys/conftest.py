from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.surveys.models import Question, Survey


def make_survey(**changes):
    """An open members' survey: a single choice (q1), a question shown only after its
    second choice (q2), a scale (q3), a number (q4), a long text (q5)."""
    now = timezone.now()
    values = {"title_fr": "Plan stratégique 2020-2025", "slug": "plan-strategique",
              "audience": "members", "per": "person", "status": "open",
              "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=10)}
    values.update(changes)
    survey = Survey.objects.create(**values)
    q1 = Question.objects.create(survey=survey, position=1, kind="single", required=True,
                                 text_fr="Participez-vous aux activités?",
                                 choices_fr="Jamais\nParfois\nSouvent")
    q2 = Question.objects.create(survey=survey, position=2, kind="multiple", required=True,
                                 text_fr="Lesquelles?", choices_fr="Formations\n5@7\nGolf",
                                 show_if=q1, show_if_choice=1)
    q3 = Question.objects.create(survey=survey, position=3, kind="scale", scale_min=1,
                                 scale_max=5, text_fr="Satisfaction")
    q4 = Question.objects.create(survey=survey, position=4, kind="number",
                                 text_fr="Nombre d'employés")
    q5 = Question.objects.create(survey=survey, position=5, kind="long_text",
                                 text_fr="Commentaires")
    survey.q = [q1, q2, q3, q4, q5]
    return survey


@pytest.fixture
def survey(cast):
    return make_survey()
