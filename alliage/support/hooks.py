"""What support adds to the CRM: each case on the company's timeline, and an engagement part
(a company that asked for help in the last two years is engaged with the association)."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core.money import format_money
from alliage.members import engagement, timeline

TWO_YEARS = timedelta(days=730)


@timeline.register
def _timeline(org):
    from alliage.support.models import SupportCase

    for case in SupportCase.objects.filter(organisation=org)[:50]:
        yield timeline.TimelineEntry(case.opened_at, "support", _(
            "Asked for help: %(subject)s (%(kind)s)") % {
            "subject": case.subject, "kind": case.get_kind_display()})
        if case.closed_at:
            text = _("Support case closed: %(outcome)s") % {
                "outcome": case.get_outcome_display()}
            if case.outcome_amount_cents:
                text += " — " + format_money(case.outcome_amount_cents)
            yield timeline.TimelineEntry(case.closed_at, "support", text)


@engagement.part
def _part(org, today):
    from alliage.support.models import SupportCase

    n = engagement.counted(org, "support_cases", lambda: SupportCase.objects.filter(
        organisation=org, opened_at__date__gte=today - TWO_YEARS).count())
    if not n:
        return None
    return engagement.Part("support", min(10, 5 * n), ngettext(
        "%(n)s request for support in two years", "%(n)s requests for support in two years",
        n) % {"n": n})


@engagement.batch
def _batch(organisations, today):
    from django.db.models import Count

    from alliage.support.models import SupportCase

    counts = dict(SupportCase.objects.filter(
        organisation__in=[o.pk for o in organisations],
        opened_at__date__gte=today - TWO_YEARS).values_list("organisation").annotate(
        n=Count("pk")))
    for org in organisations:
        org._engagement_counts["support_cases"] = counts.get(org.pk, 0)


def connect():
    """Importing this module registered the hooks (once: modules load once)."""
