from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.advantages.models import (
    Advantage,
    GroupPurchase,
    PriceTier,
    SharedResource,
    VolumeTier,
)


def make_pae(**changes):
    values = {"slug": "pae", "name_fr": "Programme d'aide aux employés (PAE)",
              "provider": "Clinique de psychologie du travail", "pricing_rule": "per_employee",
              "price_cents": 4500, "hours_employee": 5, "hours_spouse": 5, "hours_child": 5}
    values.update(changes)
    return Advantage.objects.create(**values)


def make_tiered():
    a = Advantage.objects.create(slug="assurance", name_fr="Assurance collective",
                                 provider="Assureur", pricing_rule="tiered")
    PriceTier.objects.create(advantage=a, min_employees=1, max_employees=19, price_cents=50000)
    PriceTier.objects.create(advantage=a, min_employees=20, max_employees=99, price_cents=120000)
    PriceTier.objects.create(advantage=a, min_employees=100, max_employees=None,
                             price_cents=300000)
    return a


def make_purchase(**changes):
    values = {"slug": "epi-2026", "title_fr": "Gants de protection", "supplier": "Fournitures SLSJ",
              "unit": "paire", "list_price_cents": 1000, "minimum_quantity": 100,
              "deadline": timezone.now() + timedelta(days=10)}
    values.update(changes)
    purchase = GroupPurchase.objects.create(**values)
    VolumeTier.objects.create(purchase=purchase, min_quantity=100, unit_price_cents=900)
    VolumeTier.objects.create(purchase=purchase, min_quantity=500, unit_price_cents=750)
    return purchase


def make_resource(**changes):
    values = {"kind": "equipment", "name_fr": "Chariot élévateur", "hourly_rate_cents": 4000}
    values.update(changes)
    return SharedResource.objects.create(**values)


@pytest.fixture
def pae(cast):
    return make_pae()


@pytest.fixture
def purchase(cast):
    return make_purchase()


@pytest.fixture
def resource(cast):
    return make_resource()
