"""Funding programs and a project of acme (Chicoutimi, Saguenay–Lac-Saint-Jean, 45
employees, SCIAN 332) for the support tests."""

from datetime import date

import pytest

from alliage.core.models import Region
from alliage.members.models import Sector
from alliage.support.models import FundingProgram, Project

TODAY = date(2026, 11, 29)


def program(name, *, themes=("automation",), sectors=(), regions=(), **extra):
    p = FundingProgram.objects.create(
        name_fr=name, funder="Fonds test", level="provincial", objectives_fr="Aider.",
        themes=list(themes), **extra)
    p.sectors.set([Sector.objects.get(code=c) for c in sectors])
    p.regions.set(list(regions))
    return p


@pytest.fixture
def programs(cast):
    slsj = cast.acme.municipality.region
    other = Region.objects.exclude(pk=slsj.pk).first() or Region.objects.create(
        code="99", name="Ailleurs")
    return {
        "open": program("Virage numérique", themes=["automation"], rate_percent=50,
                        max_amount_cents=5_000_000, closes_on=date(2027, 3, 31)),
        "regional": program("Fonds régional", themes=["automation", "investment"],
                            regions=[slsj], sectors=["33"], min_employees=10,
                            max_employees=199, max_amount_cents=10_000_000),
        "export": program("Export Québec", themes=["export"]),
        "small": program("Petites entreprises", themes=["automation"], max_employees=20),
        "elsewhere": program("Fonds d'une autre région", themes=["automation"],
                             regions=[other]),
        "closed": program("Programme fermé", themes=["automation"],
                          closes_on=date(2026, 11, 28)),
        "future": program("Prochain appel", themes=["automation"],
                          opens_on=date(2027, 1, 15), closes_on=date(2027, 4, 1)),
    }


@pytest.fixture
def project(cast):
    return Project.objects.create(organisation=cast.acme, title="Cellule robotisée",
                                  theme="automation", budget_cents=40_000_000,
                                  starts_on=date(2027, 2, 1))
