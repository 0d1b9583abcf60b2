"""Advantages' part of the dashboard (core.dashboard): what members saved through group
purchases closed in a period (``stats.for_period``; the rows are the same pledges)."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.advantages import stats
from alliage.advantages.models import GroupPurchase, Pledge
from alliage.core import dashboard
from alliage.core.dashboard import Link, Money, Table, Value


def figures(start, end):
    found = stats.for_period(start, end)
    return [Value("group_savings", _("Group-purchasing savings"), found["savings_cents"],
                  kind="money", drill=True,
                  help=_("List price minus the price obtained, on the group purchases "
                         "closed in the period.")),
            Value("companies_using_advantages", _("Companies using an advantage"),
                  found["companies_using_advantages"])]


def rows(key, start, end):
    if key != "group_savings":
        return None
    found = (Pledge.objects.filter(purchase__status=GroupPurchase.Status.CLOSED,
                                   quantity__gt=0,
                                   purchase__closed_at__date__range=(start, end))
             .annotate(saved=(F("purchase__list_price_cents") - F("unit_price_cents"))
                       * F("quantity"))
             .select_related("purchase", "organisation")
             .order_by("purchase__closed_at", "organisation__legal_name", "pk"))
    return Table(_("Group-purchasing savings"),
                 [_("Group purchase"), _("Company"), _("Quantity"), _("Saved")],
                 [[p.purchase.title, Link(p.organisation.legal_name,
                                          reverse("members:crm_detail",
                                                  args=[p.organisation_id])),
                   p.quantity, Money(p.saved or 0)] for p in found])


def register():
    dashboard.register_figures("advantages", _("Advantages"), figures, rows=rows, order=60)
