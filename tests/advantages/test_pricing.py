"""Pricing rules (flat, per employee, tiered with boundaries), volume tiers and savings,
the cost split by usage: pure functions."""

import pytest

from alliage.advantages import pricing
from alliage.advantages.pricing import SizeBand, VolumeTier

BANDS = [SizeBand(1, 19, 50000), SizeBand(20, 99, 120000), SizeBand(100, None, 300000)]
TIERS = [VolumeTier(100, 900), VolumeTier(500, 750)]


def test_flat_price_ignores_the_employee_count():
    assert pricing.yearly_price("flat", price_cents=25000, employees=1) == 25000
    assert pricing.yearly_price("flat", price_cents=25000, employees=400) == 25000


def test_per_employee_price_multiplies():
    assert pricing.yearly_price("per_employee", price_cents=4500, employees=1) == 4500
    assert pricing.yearly_price("per_employee", price_cents=4500, employees=45) == 202500


@pytest.mark.parametrize(("employees", "price"), [(1, 50000), (19, 50000), (20, 120000),
                                                  (99, 120000), (100, 300000), (5000, 300000)])
def test_tiered_price_takes_the_band_with_inclusive_bounds(employees, price):
    assert pricing.yearly_price("tiered", price_cents=0, employees=employees,
                                bands=BANDS) == price


def test_a_count_no_band_covers_is_refused():
    with pytest.raises(pricing.NoTier):
        pricing.yearly_price("tiered", price_cents=0, employees=25, bands=BANDS[:1])
    with pytest.raises(ValueError):
        pricing.yearly_price("per_employee", price_cents=4500, employees=0)


@pytest.mark.parametrize(("total", "price"), [(0, 1000), (99, 1000), (100, 900), (499, 900),
                                              (500, 750), (10_000, 750)])
def test_volume_tier_is_reached_at_its_minimum(total, price):
    assert pricing.unit_price(1000, TIERS, total) == price


def test_progress_names_the_next_tier_and_its_saving():
    p = pricing.progress(1000, TIERS, 420, own=40)
    assert p["unit_price_cents"] == 900 and p["saving_now_cents"] == 42000
    assert p["next"]["min_quantity"] == 500 and p["next"]["missing"] == 80
    assert p["next"]["extra_saving_cents"] == 150 * 500
    assert p["next"]["own_extra_saving_cents"] == 150 * 40 and p["next"]["percent"] == 84
    assert pricing.progress(1000, TIERS, 600)["next"] is None


def test_split_by_usage_adds_up_to_the_cent():
    shares = pricing.split_by_usage(100000, {1: 1, 2: 1, 3: 1})
    assert sum(shares.values()) == 100000 and sorted(shares.values()) == [33333, 33333, 33334]
    assert pricing.split_by_usage(9000, {1: 2, 2: 1}) == {1: 6000, 2: 3000}
    assert pricing.split_by_usage(9000, {}) == {}
