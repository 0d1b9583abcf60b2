"""Prices and tiers, pure Python (no Django): programs' yearly price, group purchases'
volume tiers and savings, and a pooled resource's monthly cost split by usage."""

from dataclasses import dataclass
from fractions import Fraction

FLAT, PER_EMPLOYEE, TIERED = "flat", "per_employee", "tiered"


class NoTier(ValueError):
    """No size band of a tiered program covers this number of employees."""


@dataclass(frozen=True)
class SizeBand:
    min_employees: int
    max_employees: int | None
    price_cents: int


def yearly_price(rule, *, price_cents, employees, bands=()):
    """A program's price for one year and ``employees`` (at least 1).

    flat: ``price_cents``; per employee: ``price_cents × employees``; tiered: the price of
    the band holding ``employees`` (bounds inclusive), ``NoTier`` when none does.
    """
    if employees < 1:
        raise ValueError("employees must be at least 1")
    if rule == FLAT:
        return price_cents
    if rule == PER_EMPLOYEE:
        return price_cents * employees
    if rule == TIERED:
        for band in sorted(bands, key=lambda b: b.min_employees):
            if band.min_employees <= employees and (band.max_employees is None
                                                    or employees <= band.max_employees):
                return band.price_cents
        raise NoTier(employees)
    raise ValueError(f"unknown pricing rule {rule!r}")


@dataclass(frozen=True)
class VolumeTier:
    min_quantity: int
    unit_price_cents: int


def unit_price(list_price_cents, tiers, total):
    """The unit price for a campaign whose pledges total ``total``: the best tier reached
    (a tier is reached when ``total >= min_quantity``), else the list price."""
    price = list_price_cents
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        if total >= tier.min_quantity:
            price = min(price, tier.unit_price_cents)
    return price


def next_tier(tiers, total):
    """The first tier not reached yet (None when the best is reached)."""
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        if total < tier.min_quantity:
            return tier
    return None


def progress(list_price_cents, tiers, total, *, own=0):
    """What a campaign page shows: the price now, the next tier, the units missing to reach
    it, and what reaching it would save on the total (and on ``own`` units)."""
    now = unit_price(list_price_cents, tiers, total)
    nxt = next_tier(tiers, total)
    out = {"total": total, "unit_price_cents": now,
           "saving_now_cents": (list_price_cents - now) * total,
           "own_saving_now_cents": (list_price_cents - now) * own,
           "next": None}
    if nxt is not None:
        then = unit_price(list_price_cents, tiers, nxt.min_quantity)
        out["next"] = {"min_quantity": nxt.min_quantity, "unit_price_cents": then,
                       "missing": nxt.min_quantity - total,
                       "extra_saving_cents": (now - then) * nxt.min_quantity,
                       "own_extra_saving_cents": (now - then) * own,
                       "percent": min(100, round(100 * total / nxt.min_quantity))
                       if nxt.min_quantity else 100}
    return out


def split_by_usage(total_cents, usage):
    """Split ``total_cents`` between keys in proportion to ``usage`` ({key: hours}), in whole
    cents that add up exactly (largest remainder; ties by key order)."""
    used = sum(usage.values())
    if total_cents <= 0 or used <= 0:
        return dict.fromkeys(usage, 0)
    exact = {k: Fraction(total_cents) * Fraction(u) / Fraction(used) for k, u in usage.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = total_cents - sum(shares.values())
    for k in sorted(usage, key=lambda k: (-(exact[k] - shares[k]), str(k)))[:left]:
        shares[k] += 1
    return shares
