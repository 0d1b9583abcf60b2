"""Which programs fit a project: theme, sector (SCIAN families), size, region, budget and
intake dates, each criterion met, uncertain or failed, with its reason (issue #19)."""

from datetime import date

import pytest

from alliage.support import selectors
from alliage.support.eligibility import assess, ranked
from tests.support.conftest import TODAY, program

pytestmark = pytest.mark.django_db


def names(assessments):
    return [a.program.name_fr for a in assessments]


def test_eligible_programs_come_first_with_their_reasons(cast, programs, project):
    result = selectors.programs_for(project, today=TODAY)
    eligible = [a for a in result if a.eligible]
    assert set(names(eligible)) == {"Virage numérique", "Fonds régional", "Prochain appel"}
    # Surest first: the next intake is uncertain, so it comes after the two open ones.
    assert names(eligible)[-1] == "Prochain appel"
    # The larger help first among the sure ones: 10 M¢ cap against 50 % capped at 5 M¢.
    assert names(eligible)[:2] == ["Fonds régional", "Virage numérique"]
    regional = eligible[0]
    assert any("332" in t or "33" in t for t in regional.met)
    assert regional.estimate_cents == 10_000_000
    assert eligible[1].estimate_cents == 5_000_000          # min(50 % of 400 000 $, 50 000 $)


def test_each_failed_criterion_says_why(cast, programs, project):
    by_name = {a.program.name_fr: a for a in selectors.programs_for(project, today=TODAY)}
    assert str(project.get_theme_display()) in by_name["Export Québec"].failed[0]
    assert not by_name["Export Québec"].eligible
    assert not by_name["Petites entreprises"].eligible         # 45 employees > 20
    assert "45" in by_name["Petites entreprises"].failed[0]
    assert not by_name["Fonds d'une autre région"].eligible
    assert not by_name["Programme fermé"].eligible            # closed yesterday


@pytest.mark.parametrize("closes_on,eligible", [
    (date(2026, 11, 28), False), (date(2026, 11, 29), True), (date(2026, 11, 30), True)])
def test_deadline_boundary(cast, project, closes_on, eligible):
    p = program("Limite", closes_on=closes_on)
    assert assess(p, project, cast.acme, today=TODAY).eligible is eligible


@pytest.mark.parametrize("low,high,eligible", [
    (45, None, True), (46, None, False), (None, 45, True), (None, 44, False), (10, 45, True)])
def test_size_boundaries(cast, project, low, high, eligible):
    p = program("Taille", min_employees=low, max_employees=high)
    assert assess(p, project, cast.acme, today=TODAY).eligible is eligible


def test_unknown_size_or_sector_is_uncertain_not_failed(cast, project):
    cast.acme.employees = None
    cast.acme.primary_sector = None
    cast.acme.save()
    p = program("Limité", max_employees=100, sectors=["33"])
    a = assess(p, project, cast.acme, today=TODAY)
    assert a.eligible and len(a.uncertain) == 2


def test_sector_family_matches_by_prefix(cast, project):
    assert assess(program("Fabrication", sectors=["33"]), project, cast.acme,
                  today=TODAY).eligible                          # 332 is in 33
    assert not assess(program("Services", sectors=["54"]), project, cast.acme,
                      today=TODAY).eligible


def test_minimum_budget(cast, project):
    assert not assess(program("Gros projets", min_budget_cents=50_000_000), project,
                      cast.acme, today=TODAY).eligible
    assert assess(program("Projets moyens", min_budget_cents=40_000_000), project,
                  cast.acme, today=TODAY).eligible


def test_ranked_is_stable_and_complete(cast, programs, project):
    from alliage.support.models import FundingProgram

    org = cast.acme
    first = names(ranked(FundingProgram.objects.all(), project, org, today=TODAY))
    assert first == names(ranked(FundingProgram.objects.all(), project, org, today=TODAY))
    assert len(first) == len(programs)
