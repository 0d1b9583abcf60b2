"""Membership periods and fees: pure functions, no database."""

from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_for(*, kind, start: date, fiscal_month=7, fiscal_day=1):
    """The (start, end) of the membership period containing ``start``.

    Anniversary periods run 12 months from ``start``; fiscal periods run from the
    fiscal start on or before ``start`` to the day before the next one.
    """
    if kind == "anniversary":
        return start, add_years(start, 1) - timedelta(days=1)
    fiscal_start = date(start.year, fiscal_month, fiscal_day)
    if fiscal_start > start:
        fiscal_start = add_years(fiscal_start, -1)
    return fiscal_start, add_years(fiscal_start, 1) - timedelta(days=1)


def next_period(*, kind, previous_end: date, fiscal_month=7, fiscal_day=1):
    return period_for(kind=kind, start=previous_end + timedelta(days=1),
                      fiscal_month=fiscal_month, fiscal_day=fiscal_day)


def fee_for(*, rule, flat_fee_cents, bands, employees):
    """The fee in cents: flat, or the band (min, max|None, fee) holding ``employees``."""
    if rule == "flat":
        return flat_fee_cents
    count = employees or 0
    for low, high, fee in sorted(bands):
        if count >= low and (high is None or count <= high):
            return fee
    raise ValueError(f"no fee band holds {count} employees")


def status_on(*, today: date, period_start: date, period_end: date, grace_days: int,
              paid: bool, is_renewal: bool, has_successor: bool):
    """Where a membership stands on ``today``, following payment.

    A paid period is active until its end, then in grace (or ended when a later period
    exists). An unpaid renewal keeps the member in grace for ``grace_days`` after its
    start, then lapses. An unpaid first membership stays invoiced until its period ends.
    """
    grace = timedelta(days=grace_days)
    if paid:
        if today <= period_end:
            return "active"
        if has_successor:
            return "ended"
        return "grace" if today <= period_end + grace else "lapsed"
    if is_renewal:
        if today < period_start:
            return "invoiced"
        return "grace" if today <= period_start + grace else "lapsed"
    return "invoiced" if today <= period_end else "lapsed"
