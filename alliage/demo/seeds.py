"""Which apps build the demo region, in the order they need each other.

Each line names an app's ``seed`` module. Its ``seed()`` builds that app's part of the demo
idempotently (running it again changes nothing) and returns the figures the summary line
prints, as ``(count, label)`` pairs (possibly none). A new app adds one line here, after
the apps its demo data refers to.
"""

from importlib import import_module

SEEDS = [
    "alliage.core.seed",        # the association, the region's municipalities and parks
    "alliage.members.seed",     # sectors, membership types, organisations, dues
    "alliage.accounts.seed",    # the demo logins (people of the demo company)
    "alliage.events.seed",      # past and coming events with their registrations
    "alliage.symbiosis.seed",   # offers and needs, matches, characterisations, a synergy
    "alliage.advantages.seed",  # PAE, group purchases, pooled resources, collection rounds
    "alliage.showcase.seed",    # products, the rest-stop counter, requests for quotes
    "alliage.mailing.seed",     # lists, subscribers, news, campaigns
    "alliage.fair.seed",        # the 2020 fair and a meetup, booths, scheduled meetings
    "alliage.surveys.seed",     # the 2020 members' consultation and its answers
    "alliage.governance.seed",  # the 2020 AGA of constitution, its election, the first board
    "alliage.support.seed",     # 15 funding programs, 10 support cases, the 2020-2025 plan
    "alliage.pages.seed",       # about, services, partners (FR/EN), contact subjects
    "alliage.reports.seed",     # the founding year 2019-2020 and its draft activity report
]


def seed_all():
    """Run every app's ``seed()`` in order; the figures they report, in the same order."""
    figures = []
    for path in SEEDS:
        figures.extend(import_module(path).seed() or [])
    return figures
