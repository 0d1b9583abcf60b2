"""The fair's part of the dashboard (core.dashboard): leads left at the booths of the fairs
opening in a period (``stats.for_period``; the rows are the same leads, selected here)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.core import dashboard
from alliage.core.dashboard import Link, Table, Value
from alliage.fair import stats
from alliage.fair.models import Fair, Lead


def figures(start, end):
    found = stats.for_period(start, end)
    return [Value("fair_leads", _("Fair leads"), found["leads"], drill=True,
                  help=_("Cards left at the booths of the fairs opening in the period.")),
            Value("fair_meetings", _("B2B meetings held"), found["meetings_held"])]


def rows(key, start, end):
    if key != "fair_leads":
        return None
    fairs = Fair.objects.filter(starts_at__date__range=(start, end)).exclude(
        status=Fair.Status.DRAFT)
    found = (Lead.objects.filter(booth__fair__in=fairs)
             .select_related("booth__fair", "booth__organisation").order_by("created_at", "pk"))
    return Table(_("Fair leads"), [_("Fair"), _("Booth"), _("Visitor's company"), _("Date")],
                 [[Link(lead.booth.fair.title,
                        reverse("fair:staff_fair", args=[lead.booth.fair.slug])),
                   str(lead.booth.organisation), lead.organisation_name,
                   lead.created_at.date()] for lead in found])


def register():
    dashboard.register_figures("fair", _("Virtual fair"), figures, rows=rows, order=70)
