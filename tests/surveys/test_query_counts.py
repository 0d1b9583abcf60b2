"""Pages whose cost must not grow with their rows (architecture habit 7)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliage.members.models import Affiliation, Contact
from alliage.surveys import services
from tests.conftest import login
from tests.surveys.conftest import make_survey


def _respond(survey, cast, n, start=0):
    for i in range(start, start + n):
        person = Contact.objects.create(first_name=f"P{i}", last_name="T",
                                        email=f"p{i}@acme.example")
        Affiliation.objects.create(contact=person, organisation=cast.acme)
        services.response_submit(survey=survey, contact=person, organisation=cast.acme,
                                 answers={str(survey.q[0].pk): i % 3,
                                          str(survey.q[2].pk): 1 + i % 5,
                                          str(survey.q[4].pk): f"Commentaire {i}"})


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_results_and_exports_cost_the_same_for_5_or_25_responses(client, cast):
    survey = make_survey()
    _respond(survey, cast, 5)
    login(client, cast.sam)
    pages = [f"/sondages/{survey.slug}/resultats/?par=sector",
             f"/sondages/{survey.slug}/resultats.csv", "/gestion/sondages/"]
    [_count(client, p) for p in pages]          # warm: session and first-use rows
    before = [_count(client, p) for p in pages]
    _respond(survey, cast, 20, start=5)
    assert [_count(client, p) for p in pages] == before
