"""The members' part of the dashboard (core.dashboard): applications and erasure requests to
decide; members, newcomers, lapses, the renewal rate and open follow-ups of a period.

Figures come from ``stats.for_period``; the rows behind them are selected here with the same
definitions (tests/core/test_dashboard_figures.py checks each figure against its rows):
- members: organisations with a paid membership (not refused or cancelled) overlapping the
  period; new: paid first memberships (not renewals) starting in it; lapsed: memberships
  marked lapsed whose period ends in it;
- renewal rate: paid renewals starting in the period / (those + lapses);
- open follow-ups (no stats function gives them): notes with a follow-up date, written by the
  last day and not done by then.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.core import dashboard
from alliage.core.dashboard import Decision, Link, Table, Value
from alliage.members import stats
from alliage.members.models import ErasureRequest, Membership, Note


def decisions(today):
    return [
        Decision("applications", _("Membership applications"),
                 Membership.objects.filter(status=Membership.Status.APPLIED).count(),
                 reverse("members:crm_applications"), _("Review the applications")),
        Decision("erasures", _("Erasure requests (Law 25)"),
                 ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).count(),
                 reverse("members:erasure_requests"), _("Decide")),
    ]


def _members(start, end):
    return Membership.objects.live().filter(period_start__lte=end, period_end__gte=start,
                                            invoice__status="paid")


def _new(start, end):
    return Membership.objects.live().filter(period_start__range=(start, end), is_renewal=False,
                                            invoice__status="paid")


def _renewed(start, end):
    return Membership.objects.live().filter(period_start__range=(start, end), is_renewal=True,
                                            invoice__status="paid")


def _lapsed(start, end):
    return Membership.objects.filter(status=Membership.Status.LAPSED,
                                     period_end__range=(start, end))


def _open_followups(end):
    return Note.objects.filter(due_on__isnull=False, created_at__date__lte=end).filter(
        Q(done_at__isnull=True) | Q(done_at__date__gt=end))


def figures(start, end):
    found = stats.for_period(start, end)
    due = found["renewed"] + found["lapsed"]
    return [
        Value("members", _("Member companies"), found["members"], drill=True,
              help=_("Companies with a paid membership during the period.")),
        Value("new_members", _("New members"), found["new"], drill=True,
              help=_("First memberships (not renewals), paid, starting in the period.")),
        Value("lapsed_members", _("Lapsed members"), found["lapsed"], drill=True,
              lower_is_better=True, help=_("Memberships lapsed, ending in the period.")),
        Value("renewal_rate", _("Renewal rate"),
              round(found["renewed"] * 100 / due, 1) if due else None, kind="percent",
              drill=True, help=_("Paid renewals, out of the renewals and lapses of the "
                                 "period.")),
        Value("open_followups", _("Open follow-ups"), _open_followups(end).count(),
              drill=True, lower_is_better=True,
              help=_("Follow-up notes not done on the last day of the period.")),
    ]


def _company(m):
    return Link(m.organisation.legal_name, reverse("members:crm_detail",
                                                   args=[m.organisation_id]))


def _memberships(title, found, renewed=False):
    headings = [_("Company"), _("Membership type"), _("Start"), _("End")]
    found = found.select_related("organisation", "membership_type").order_by(
        "organisation__legal_name", "period_start")
    if renewed:
        headings.append(_("Renewed"))
    return Table(title, headings, [
        [_company(m), str(m.membership_type), m.period_start, m.period_end]
        + ([_("yes") if m.is_renewal and m.status != Membership.Status.LAPSED else _("no")]
           if renewed else []) for m in found])


def rows(key, start, end):
    if key == "members":
        firsts = {}
        for m in _members(start, end).select_related("organisation").order_by(
                "organisation__legal_name", "-period_start"):
            firsts.setdefault(m.organisation_id, m)
        return Table(_("Member companies"), [_("Company"), _("Start"), _("End")],
                     [[_company(m), m.period_start, m.period_end] for m in firsts.values()])
    if key == "new_members":
        return _memberships(_("New members"), _new(start, end))
    if key == "lapsed_members":
        return _memberships(_("Lapsed members"), _lapsed(start, end))
    if key == "renewal_rate":
        both = _renewed(start, end) | _lapsed(start, end)
        return _memberships(_("Renewal rate"), both, renewed=True)
    if key == "open_followups":
        found = _open_followups(end).select_related("organisation", "assigned_to").order_by(
            "due_on", "pk")
        return Table(_("Open follow-ups"),
                     [_("Company"), _("Note"), _("Follow up on"), _("Assigned to")],
                     [[Link(n.organisation.legal_name,
                            reverse("members:crm_detail", args=[n.organisation_id])),
                       n.body[:120], n.due_on, str(n.assigned_to or "")] for n in found])
    return None


def register():
    dashboard.register_decisions("members", decisions, order=10)
    dashboard.register_figures("members", _("Members"), figures, rows=rows, order=10)
