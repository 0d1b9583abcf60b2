"""The strategic plan's indicators read the platform's figures or typed values, with their
progress and chart; the demo seed is idempotent; the API and privacy registry (issue #19)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from alliage.core import privacy
from alliage.support import indicators, seed, services
from alliage.support.models import (
    FundingProgram,
    Indicator,
    Plan,
    Project,
    Reading,
    SupportCase,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_platform_indicator_reads_the_figure_each_year(cast):
    seed.seed_plan()
    year = timezone.localdate().year
    services.case_close(case=services.case_request(
        organisation=cast.acme, actor=cast.alice, kind="financing", subject="Robot",
        description="Robot"), actor=cast.sam, outcome="financing", amount_cents=4_200_000)
    ind = Indicator.objects.get(source="financing")
    ind.target_year = year
    values = indicators.series(ind, this_year=year)
    assert values[0][0] == 2020 and values[-1] == (year, Decimal("42000"))
    assert indicators.progress(ind, values) == 4           # 42 000 $ of 1 000 000 $


def test_a_typed_indicator_shows_its_readings_and_refuses_a_platform_one(cast):
    seed.seed_plan()
    typed = Indicator.objects.get(source="")
    values = indicators.series(typed, this_year=2022)
    assert values == [(2020, Decimal("70")), (2021, Decimal("78")), (2022, Decimal("84"))]
    assert indicators.progress(typed, values) == 70         # (84-70)/(90-70)
    services.reading_save(indicator=typed, year=2022, value=Decimal("86"),
                          source_note="Sondage 2022", actor=cast.sam)
    assert Reading.objects.get(indicator=typed, year=2022).value == Decimal("86")
    platform = Indicator.objects.get(source="members")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.reading_save(indicator=platform, year=2022, value=1, source_note="x",
                              actor=cast.sam)


def test_the_board_reads_the_plan_with_charts_and_staff_can_add_values(client, cast):
    seed.seed_plan()
    login(client, cast.bea)
    page = client.get("/gestion/plan-strategique/").content.decode()
    assert "Plan stratégique 2020-2025" in page
    assert "data:image/svg+xml;base64" in page                 # trend charts
    assert "Enregistrer la valeur" not in page                  # the board only reads
    client.logout()
    login(client, cast.sam)
    page = client.get("/gestion/plan-strategique/").content.decode()
    assert "Enregistrer la valeur" in page


def test_demo_seed_is_idempotent(cast):
    first = seed.seed()
    assert FundingProgram.objects.count() == 15 and Plan.objects.count() == 1
    assert SupportCase.objects.count() == 10
    assert SupportCase.objects.filter(status="closed").exclude(outcome="").count() == 8
    again = seed.seed()
    assert [n for n, _label in again] == [0, 0] and first[0][0] == 15
    assert FundingProgram.objects.count() == 15 and SupportCase.objects.count() == 10


def test_api_lists_open_programs_and_hides_closed_ones(client, cast, programs):
    rows = client.get("/api/v1/support/programs").json()
    names = {r["name_fr"] for r in rows}
    assert "Virage numérique" in names and "Programme fermé" not in names
    closed = programs["closed"]
    assert client.get(f"/api/v1/support/programs/{closed.pk}").status_code == 404
    assert client.get("/api/v1/support/programs/0").status_code == 422


def test_privacy_export_and_erasure_keep_the_case_without_the_person(cast, project):
    case = services.case_request(organisation=cast.acme, actor=cast.alice, kind="export",
                                 subject="Export", description="Écrire à alice@acme.example")
    subject = privacy.Subject(key=f"contact-{cast.alice.contact_id}",
                              person=cast.alice.contact,
                              emails=frozenset({"alice@acme.example"}),
                              user_ids=frozenset({cast.alice.pk}),
                              names=("Alice Tremblay",))
    data = privacy.export(subject)
    assert any(row["subject"] == "Export" for row in data["support_cases"])
    Project.objects.filter(pk=project.pk).update(created_by=cast.alice)
    assert data is not None
    privacy.anonymise(subject, actor=cast.sam)
    case.refresh_from_db()
    assert case.requested_by is None and "alice@acme.example" not in case.description
    assert SupportCase.objects.filter(pk=case.pk).exists()
