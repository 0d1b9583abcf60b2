"""Activity reports: the period, the figures of every registered section, publication.

Views and the command call these; figures come only from the sections' ``collect`` (the
apps' ``stats.py``), never typed by hand except as a staff note beside them.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit, reporting
from alliage.reports.models import ActivityReport, ReportFile

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
        for file in files:
            ensure_queued(file)
    return locked


@transaction.atomic
def report_delete(*, report, actor, request=None):
    locked = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ValidationError(_("A published report is kept: it cannot be deleted."))
    audit.record(actor=actor, action="reports.delete", obj=locked, request=request)
    locked.delete()


# A rendering queued this recently is waited for, not queued again.
REQUEUE_AFTER = timedelta(minutes=5)


def pdf_request(*, report, language, actor):
    """The PDF to serve for ``language``: a published report's frozen one (its failed
    rendering tried again), or for a draft a rendering of today's figures (the one asked
    for in the last minutes and still rendering, else a new one)."""
    if report.is_published:
        file, _created = ReportFile.objects.get_or_create(report=report, language=language,
                                                          frozen=True)
        if file.error:
            ReportFile.objects.filter(pk=file.pk).update(error="", queued_at=None)
            file.refresh_from_db()
    else:
        file = ReportFile.objects.filter(
            report=report, language=language, frozen=False, pdf="", error="",
            requested_at__gte=timezone.now() - REQUEUE_AFTER).first()
        if file is None:
            file = ReportFile.objects.create(report=report, language=language,
                                             requested_by=actor)
    ensure_queued(file)
    return file


def ensure_queued(file):
    """Queue the file's rendering unless it is there, failed, or was queued less than
    REQUEUE_AFTER ago (the waiting page polls and reloads: one job, not one per visit)."""
    now = timezone.now()
    claimed = (ReportFile.objects.filter(pk=file.pk, pdf="", error="")
               .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
               .update(queued_at=now))
    if claimed:
        transaction.on_commit(lambda: _enqueue(file))
    return bool(claimed)


def _enqueue(file):
    from alliage.reports.tasks import render_report_pdf

    render_report_pdf.enqueue(file.pk)
