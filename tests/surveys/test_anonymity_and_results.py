"""Anonymous surveys keep no link to respondents; results, cross-tabs, charts, exports."""

import io

from django.db import connection

from alliage.members.models import Affiliation, Contact, MemberStatus, Organisation
from alliage.surveys import results, services
from alliage.surveys.models import Participation, Response
from tests.conftest import login, text
from tests.surveys.conftest import make_survey


def _answer(survey, contact, organisation, choice):
    return services.response_submit(survey=survey, contact=contact, organisation=organisation,
                                    answers={str(survey.q[0].pk): choice,
                                             str(survey.q[2].pk): choice + 1})


def test_an_anonymous_response_stores_no_link_to_its_respondent(client, cast):
    survey = make_survey(anonymous=True)
    login(client, cast.bob)
    page = client.get(f"/sondages/{survey.slug}/")
    assert "sans aucun lien avec vous" in text(page)          # and it says so
    client.post(f"/sondages/{survey.slug}/", {f"q{survey.q[0].pk}": "0"})
    row = Response.objects.values().get()
    assert row["contact_id"] is None and row["organisation_id"] is None
    assert row["submitted_on"] is None
    assert row["sector"] and row["size"] == "20-99" and row["town"] == "Saguenay — Chicoutimi"
    # Schema: a response has no time column and no relation but its survey; the
    # participation (who answered) has no time column and no relation to the response.
    response_cols = {f.column for f in Response._meta.concrete_fields}
    assert {c for c in response_cols if c.endswith("_id")} == {"survey_id", "contact_id",
                                                              "organisation_id"}
    assert not [f for f in Response._meta.concrete_fields + Participation._meta.concrete_fields
                if f.get_internal_type() in ("DateTimeField", "AutoField", "BigAutoField")]
    assert not [f for f in Participation._meta.get_fields()
                if f.is_relation and f.related_model is Response]
    # Random ids: nothing follows the order of arrival.
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Participation._meta.pk.get_internal_type() == "UUIDField"


def test_closing_an_anonymous_survey_rewrites_its_responses_in_random_order(cast):
    survey = make_survey(anonymous=True)
    _answer(survey, cast.bob.contact, cast.acme, 0)
    _answer(survey, cast.carol.contact, cast.rival, 1)
    before = set(Response.objects.values_list("pk", flat=True))
    answers = sorted(str(a) for a in Response.objects.values_list("answers", flat=True))
    services.survey_close(survey=survey, actor=cast.sam)
    assert set(Response.objects.values_list("pk", flat=True)).isdisjoint(before)
    assert sorted(str(a) for a in Response.objects.values_list("answers", flat=True)) == answers
    assert Participation.objects.filter(survey=survey).count() == 2
    survey.refresh_from_db()
    assert survey.status == "closed" and not survey.is_open()


def _many(survey, cast, n, sector_org):
    for i in range(n):
        person = Contact.objects.create(first_name=f"P{i}", last_name="Test",
                                        email=f"p{i}@{sector_org.slug}.example")
        Affiliation.objects.create(contact=person, organisation=sector_org)
        _answer(survey, person, sector_org, i % 3)


def test_results_count_answers_and_cross_tabs_hide_small_anonymous_groups(cast):
    survey = make_survey(anonymous=True)
    _many(survey, cast, 6, cast.acme)            # 6 answers from manufacturing
    _many(survey, cast, 2, cast.rival)           # 2 from engineering: too few to show
    rows, total = results.survey_results(survey)
    assert total == 8
    assert rows[0].rows == [("Jamais", 3, 38), ("Parfois", 3, 38), ("Souvent", 2, 25)]
    assert rows[2].average == 1.88 and rows[2].median == 2.0
    tab = results.cross_tab(survey, survey.q[0], "sector")
    assert [(name, n) for name, n, _c in tab["rows"]] == [
        ("Fabrication (métaux, machines, équipements)", 6)]
    assert tab["hidden"] == 2
    # Identified surveys show every group.
    named = make_survey(slug="nominatif")
    _many(named, cast, 2, cast.rival)
    assert [n for _name, n, _c in results.cross_tab(named, named.q[0], "sector")["rows"]] == [2]


def test_results_page_draws_charts_for_the_board_and_exports(client, cast):
    survey = make_survey()
    _answer(survey, cast.bob.contact, cast.acme, 1)
    _answer(survey, cast.carol.contact, cast.rival, 2)
    login(client, cast.bea)                                  # board member
    page = client.get(f"/sondages/{survey.slug}/resultats/?par=size")
    assert page.status_code == 200
    assert page.content.count(b"data:image/svg+xml;base64,") == 2   # single choice, scale
    assert "Tableaux croisés" in text(page)
    csv = client.get(f"/sondages/{survey.slug}/resultats.csv")
    body = csv.content.decode("utf-8-sig")
    assert "Personne;Organisation" in body.splitlines()[0]
    assert "Gagnon" in body and "Parfois" in body
    xlsx = client.get(f"/sondages/{survey.slug}/resultats.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Réponses" and sheet.max_row == 3
    assert client.get(f"/sondages/{survey.slug}/resultats.pdf").status_code == 400


def test_an_anonymous_export_has_no_respondent_columns(client, cast):
    survey = make_survey(anonymous=True)
    _answer(survey, cast.bob.contact, cast.acme, 1)
    login(client, cast.sam)
    header = client.get(f"/sondages/{survey.slug}/resultats.csv").content.decode(
        "utf-8-sig").splitlines()[0]
    assert "Personne" not in header and "Organisation" not in header


def test_a_lapsed_company_cannot_answer_a_members_survey(cast):
    survey = make_survey()
    Organisation.objects.filter(pk=cast.rival.pk).update(member_status=MemberStatus.LAPSED)
    import pytest
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.respondent(cast.carol, survey)
    assert connection.vendor in ("sqlite", "postgresql")


def test_each_anonymous_response_rewrites_the_others_so_order_pairs_no_one(cast):
    # Not only at close: after each response, every response and participation of an
    # anonymous survey is written again (new random ids, random order, one transaction).
    survey = make_survey(anonymous=True, per="organisation")
    _answer(survey, cast.alice.contact, cast.acme, 0)
    before = set(Response.objects.values_list("id", flat=True)) | set(
        Participation.objects.values_list("id", flat=True))
    _answer(survey, cast.carol.contact, cast.rival, 1)
    after = set(Response.objects.values_list("id", flat=True)) | set(
        Participation.objects.values_list("id", flat=True))
    assert len(after) == 4 and after.isdisjoint(before)
    assert Response.objects.count() == Participation.objects.count() == 2


def test_identified_responses_are_not_rewritten(cast):
    survey = make_survey()
    first = _answer(survey, cast.bob.contact, cast.acme, 0)
    _answer(survey, cast.alice.contact, cast.acme, 1)
    assert Response.objects.filter(pk=first.pk, contact=cast.bob.contact).exists()
