"""Issue #15: tonnes recovered by the shared selective collection feed the symbiosis impact
figures (staff's symbiosis page) and the activity report's symbiosis section."""

from datetime import date
from decimal import Decimal

import pytest

from alliage.symbiosis import stats
from tests.conftest import login, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def weighed(cast):
    from alliage.advantages.models import CollectionRound, CollectionStop
    from alliage.symbiosis.models import ImpactFactor

    for key, value in [("landfill", 500), ("virgin-cardboard", 1000)]:     # kg CO2e per t
        ImpactFactor.objects.update_or_create(key=key, defaults=dict(
            label=key, value=value, unit="kg CO2e/t", source="test", year=2024))

    rnd = CollectionRound.objects.create(material="cardboard", date=date(2026, 3, 4))
    CollectionStop.objects.create(round=rnd, organisation=cast.acme, weight_kg=1500,
                                  entry_position=1, position=1)
    CollectionStop.objects.create(round=rnd, organisation=cast.rival, weight_kg=500,
                                  entry_position=2, position=2)
    return rnd


def test_collection_tonnes_count_in_the_symbiosis_figures(cast, weighed):
    rows = stats.other_recovery(date(2026, 1, 1), date(2026, 12, 31))
    collection = next(r for r in rows if r["key"] == "collection")
    assert collection["tonnes"] == Decimal("2.000")
    assert collection["label_fr"] == "Collecte sélective partagée"
    assert collection["co2e_t"] == Decimal("3.00")        # 2 t x (500 + 1000) kg / 1000
    assert next(r for r in stats.other_recovery(date(2025, 1, 1), date(2025, 12, 31))
                if r["key"] == "collection")["tonnes"] == 0
    assert stats.for_period(date(2026, 1, 1), date(2026, 12, 31))["other_recovery"] == rows


def test_staff_see_them_on_the_symbiosis_page(client, cast, weighed):
    login(client, cast.sam)
    page = text(client.get("/gestion/symbiose/"))
    assert "Aussi récupéré : Collecte sélective partagée, 2,0 t" in page
