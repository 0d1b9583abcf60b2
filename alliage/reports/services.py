"""Activity reports: the period, the figures of every registered section, publication.

Views and the command call these; figures come only from the sections' ``collect`` (the
apps' ``stats.py``), never typed by hand except as a staff note beside them.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit, reporting
from alliage.reports.models import TEXTS, ActivityReport, ReportFile

# A report covers at most this many days (a fiscal year and a half, e.g. after a merger).
MAX_DAYS = 550
EARLIEST = date(1990, 1, 1)


def fiscal_start_month():
    """The month the association's fiscal year starts: its fiscal membership type's, else
    January."""
    from alliage.members.models import MembershipType

    month = (MembershipType.objects.filter(period_kind=MembershipType.PeriodKind.FISCAL)
             .order_by("pk").values_list("fiscal_start_month", flat=True).first())
    return month or 1


def default_period(today=None):
    """The last complete fiscal year before ``today`` (the one a report is written about)."""
    today = today or timezone.localdate()
    month = fiscal_start_month()
    start = date(today.year, month, 1)
    if start > today:
        start = date(today.year - 1, month, 1)
    previous = date(start.year - 1, month, 1)
    return previous, start.fromordinal(start.toordinal() - 1)


def check_period(start, end):
    """Raise ValidationError (translated, one sentence) for a period no report can cover."""
    if start is None or end is None:
        raise ValidationError(_("Give both the start and the end of the period."))
    if end < start:
        raise ValidationError(_("The end of the period comes before its start."))
    if start < EARLIEST:
        raise ValidationError(_("The period starts too long ago."))
    if end > timezone.localdate().replace(year=timezone.localdate().year + 1):
        raise ValidationError(_("The period ends more than a year from now."))
    if (end - start).days > MAX_DAYS:
        raise ValidationError(_("A report covers at most %(days)s days.") % {"days": MAX_DAYS})


def collect(start, end, *, only=None):
    """Live figures of every section for the period: {key: figures}."""
    out = {}
    for section in reporting.sections():
        if only and section.key not in only:
            continue
        out[section.key] = reporting.plain(section.collect(start, end))
    return out


def figures_of(report):
    """What the report shows: frozen figures once published, live ones while a draft."""
    if report.is_published:
        return report.figures
    return collect(report.start, report.end)


@transaction.atomic
def report_create(*, actor, request=None, **values):
    check_period(values.get("start"), values.get("end"))
    report = ActivityReport.objects.create(**values)
    audit.record(actor=actor, action="reports.create", obj=report, request=request,
                 changes={"start": str(report.start), "end": str(report.end)})
    return report


@transaction.atomic
def report_update(*, report, actor, request=None, **values):
    locked = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ValidationError(_("A published report is frozen: it can no longer be changed."))
    check_period(values.get("start", locked.start), values.get("end", locked.end))
    changed = {}
    for name, value in values.items():
        if getattr(locked, name) != value:
            changed[name] = True
            setattr(locked, name, value)
    if changed:
        locked.save()
        audit.record(actor=actor, action="reports.update", obj=locked, request=request,
                     changes=dict.fromkeys(changed, "changed"))
    return locked


def report_publish(*, report, actor, request=None):
    """Freeze the report: its figures now, and one PDF per language rendered from them in
    the background (after commit). Publishing twice changes nothing."""
    figures = collect(report.start, report.end)   # outside the lock: it reads every app
    with transaction.atomic():
        locked = ActivityReport.objects.select_for_update().get(pk=report.pk)
        if locked.is_published:
            return locked
        locked.figures = figures
        locked.status = ActivityReport.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save()
        files = [ReportFile.objects.create(report=locked, language=lang, frozen=True,
                                           requested_by=locked.published_by)
                 for lang in ("fr", "en")]
        audit.record(actor=actor, action="reports.publish", obj=locked, request=request,
                     changes={"sections": sorted(figures)})
        transaction.on_commit(lambda: [_enqueue(f) for f in files])
    return locked


@transaction.atomic
def report_delete(*, report, actor, request=None):
    locked = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ValidationError(_("A published report is kept: it cannot be deleted."))
    audit.record(actor=actor, action="reports.delete", obj=locked, request=request)
    locked.delete()


def pdf_request(*, report, language, actor):
    """The PDF to serve for ``language``: a published report's frozen one (asked again if
    its rendering was lost), or for a draft a new rendering of today's figures."""
    if report.is_published:
        file, _created = ReportFile.objects.get_or_create(report=report, language=language,
                                                          frozen=True)
    else:
        file = ReportFile.objects.create(report=report, language=language,
                                         requested_by=actor)
    if not file.pdf:
        transaction.on_commit(lambda: _enqueue(file))
    return file


def _enqueue(file):
    from alliage.reports.tasks import render_report_pdf

    render_report_pdf.enqueue(file.pk)


def text_fields():
    return [(stem, label) for stem, label in TEXTS]
