"""Governance figures for the yearly activity report."""

from datetime import date

from django.db.models import Count, Q

from alliage.governance.models import Assembly, Ballot, Election, Resolution, VoterMark


def yearly(year):
    """Assemblies held in ``year`` and their attendance, resolutions adopted, elections
    closed and the ballots cast in them."""
    return for_period(date(year, 1, 1), date(year, 12, 31))


def for_period(start, end):
    """The same figures between two dates, inclusive."""
    assemblies = Assembly.objects.filter(starts_at__date__range=(start, end)).exclude(
        status=Assembly.Status.DRAFT)
    held = assemblies.annotate(present=Count("attendances", distinct=True),
                               represented=Count("proxies", distinct=True))
    resolutions = Resolution.objects.filter(assembly__in=assemblies)
    closed = Election.objects.filter(closes_at__date__range=(start, end), status__in=[
        Election.Status.CLOSED, Election.Status.PUBLISHED])
    return {
        "assemblies": assemblies.count(),
        "members_present": sum(a.present for a in held),
        "proxies": sum(a.represented for a in held),
        "resolutions": resolutions.exclude(outcome=Resolution.Outcome.PENDING).count(),
        "resolutions_adopted": resolutions.filter(outcome=Resolution.Outcome.ADOPTED).count(),
        "elections": closed.count(),
        "ballots": Ballot.objects.filter(election__in=closed).count(),
        "voters": VoterMark.objects.filter(election__in=closed).count(),
        "resolutions_rejected": resolutions.filter(Q(outcome=Resolution.Outcome.REJECTED))
        .count(),
    }
