"""Fair figures for dashboards and the yearly activity report (issue #20 reads ``yearly``)."""

from datetime import date

from django.db.models import Count, Q

from alliage.fair.models import Booth, BoothVisit, Fair, Lead, Meeting, MeetingRequest


def for_fair(fair):
    """One fair's figures: booths, visitors, visits, leads, requests, meetings held."""
    visits = BoothVisit.objects.filter(booth__fair=fair)
    meetings = Meeting.objects.filter(fair=fair)
    requests = MeetingRequest.objects.filter(fair=fair)
    return {
        "booths": fair.booths.published().count(),
        "pavilions": fair.pavilions.count(),
        "visits": visits.count(),
        "visitors": visits.exclude(contact=None).values("contact").distinct().count(),
        "leads": Lead.objects.filter(booth__fair=fair).count(),
        "participants": fair.participants.count(),
        "meeting_requests": requests.count(),
        "meetings_accepted": requests.filter(status=MeetingRequest.Status.ACCEPTED).count(),
        "meetings_placed": meetings.count(),
        # Held: the slot is over and nobody was marked absent (a future meeting is placed,
        # not held).
        "meetings_held": meetings.filter(no_show=False, slot__lt=fair.slots_ended()).count(),
    }


def yearly(year):
    """The year's fairs (by opening date) and their figures summed."""
    return for_period(date(year, 1, 1), date(year, 12, 31))


def for_period(start, end):
    """Fairs opening between two dates (inclusive) and their figures summed."""
    fairs = (Fair.objects.filter(starts_at__date__range=(start, end))
             .exclude(status=Fair.Status.DRAFT))
    booths = Booth.objects.filter(fair__in=fairs, published=True)
    over = Q()
    for fair in fairs.only("pk", "meetings_start", "meetings_end", "slot_minutes"):
        over |= Q(fair=fair, slot__lt=fair.slots_ended())
    meetings = Meeting.objects.filter(fair__in=fairs).aggregate(
        placed=Count("pk"), held=Count("pk", filter=Q(no_show=False) & over))
    visits = BoothVisit.objects.filter(booth__fair__in=fairs)
    return {
        "fairs": fairs.count(),
        "booths": booths.count(),
        "exhibitors": booths.values("organisation").distinct().count(),
        "booth_visits": visits.count(),
        "visitors": visits.exclude(contact=None).values("contact").distinct().count(),
        "leads": Lead.objects.filter(booth__fair__in=fairs).count(),
        "meeting_requests": MeetingRequest.objects.filter(fair__in=fairs).count(),
        "meetings_placed": meetings["placed"],
        "meetings_held": meetings["held"],
    }
