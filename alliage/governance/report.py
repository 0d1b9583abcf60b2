"""The activity report's "annual assembly and board" section (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def collect(start, end):
    from alliage.governance import stats
    from alliage.governance.elections import board_shown
    from alliage.governance.models import Assembly

    assemblies = (Assembly.objects.filter(starts_at__date__range=(start, end))
                  .exclude(status=Assembly.Status.DRAFT).order_by("starts_at"))
    board = board_shown(on=end)
    order = {role: i for i, role in enumerate(
        ["president", "vice_president", "treasurer", "secretary", "director"])}
    return {
        **stats.for_period(start, end),
        "assembly_list": [{"title_fr": a.title_fr, "title_en": a.title_en,
                           "date": a.starts_at.date(), "kind": a.kind, "place": a.place}
                          for a in assemblies],
        "board": [{"name": b.full_name, "role": b.role,
                   "organisation": b.organisation.legal_name if b.organisation else ""}
                  for b in sorted(board, key=lambda b: (order.get(b.role, 9), b.full_name))],
    }


reporting.register(reporting.Section(
    key="governance", title=_("Annual assembly and board"), order=20,
    template="governance/report_section.html", collect=collect))
