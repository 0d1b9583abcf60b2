"""Staff pages of activity reports, and the published reports' public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm, pdfwait
from alliage.core.roles import staff_required
from alliage.reports import rendering, services
from alliage.reports.forms import ReportForm
from alliage.reports.models import ActivityReport, ReportFile

LANGUAGES = ("fr", "en")


@staff_required
def report_list(request):
    return render(request, "reports/list.html", {
        "reports": ActivityReport.objects.select_related("published_by")})


@staff_required
def report_create(request):
    start, end = services.default_period()
    form = ReportForm(request.POST or None, with_notes=False, initial={
        "start": start, "end": end,
        "title_fr": f"Rapport d'activités {start.year}-{end.year}",
        "title_en": f"Activity report {start.year}-{end.year}"})
    if request.method == "POST" and form.is_valid():
        report = services.report_create(actor=request.user, request=request, **form.values())
        messages.success(request, _("Report created. Write its texts, then publish it."))
        return redirect(report)
    return render(request, "reports/form.html", {"form": form, "report": None})


@staff_required
def report_edit(request, pk):
    report = get_object_or_404(ActivityReport, pk=pk)
    if report.is_published:
        messages.error(request, _("A published report is frozen: it can no longer be changed."))
        return redirect(report)
    form = ReportForm(request.POST or None, instance=ActivityReport.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, actor=request.user, request=request,
                                   **form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Report saved."))
            return redirect(report)
    return render(request, "reports/form.html", {"form": form, "report": report})


def _language(request):
    language = request.GET.get("langue", "fr")
    return language if language in LANGUAGES else "fr"


@staff_required
def report_detail(request, pk):
    """The report as it will print, in French or English (the preview)."""
    report = get_object_or_404(ActivityReport, pk=pk)
    language = _language(request)
    with translation.override(language):
        parts = rendering.parts(report, language)
        title = report.title(language)
    return render(request, "reports/detail.html", {
        "report": report, "parts": parts, "language": language, "report_title": title,
        "pdf_languages": [("fr", _("PDF in French")), ("en", _("PDF in English"))]})


@staff_required
@require_POST
def report_publish(request, pk):
    report = get_object_or_404(ActivityReport, pk=pk)
    if report.is_published:
        messages.info(request, _("This report is already published."))
        return redirect(report)
    if page := confirm.ask(request, _("Publish this report? Its figures and PDFs will be "
                                      "frozen and it can no longer be changed.")):
        return page
    services.report_publish(report=report, actor=request.user, request=request)
    messages.success(request, _("Report published. Its PDFs are being prepared."))
    return redirect(report)


@staff_required
@require_POST
def report_delete(request, pk):
    report = get_object_or_404(ActivityReport, pk=pk)
    if report.is_published:
        messages.error(request, _("A published report is kept: it cannot be deleted."))
        return redirect(report)
    if page := confirm.ask(request, _("Delete this draft report and its texts?")):
        return page
    services.report_delete(report=report, actor=request.user, request=request)
    messages.success(request, _("Draft report deleted."))
    return redirect("reports:list")


@staff_required
@require_POST
def report_pdf(request, pk, language):
    """Ask for a PDF: a draft's is printed anew with today's figures; a published report's
    is its frozen one."""
    report = get_object_or_404(ActivityReport, pk=pk)
    if language not in LANGUAGES:
        raise Http404
    file = services.pdf_request(report=report, language=language, actor=request.user)
    return redirect("reports:file", pk=file.pk)


def _serve(request, file, title):
    if file.error and not file.pdf:
        return render(request, "reports/pdf_failed.html", {"file": file, "title": title})
    if not file.pdf:
        return pdfwait.pending(request, title=title,
                               enqueue=lambda: services.ensure_queued(file))
    if poll := pdfwait.ready(request):
        return poll
    report = file.report
    return FileResponse(file.pdf.open("rb"), content_type="application/pdf",
                        filename=f"rapport-activites-{report.start:%Y%m%d}-"
                                 f"{report.end:%Y%m%d}-{file.language}.pdf")


@staff_required
def report_file(request, pk):
    file = get_object_or_404(ReportFile.objects.select_related("report"), pk=pk)
    return _serve(request, file, _("Activity report (PDF)"))


def public_list(request):
    """Published reports, for anyone: the association's accountability."""
    reports = ActivityReport.objects.filter(status=ActivityReport.Status.PUBLISHED)
    return render(request, "reports/public.html", {"reports": reports})


def public_pdf(request, pk, language):
    report = get_object_or_404(ActivityReport, pk=pk, status=ActivityReport.Status.PUBLISHED)
    if language not in LANGUAGES:
        raise Http404
    file, _created = ReportFile.objects.get_or_create(report=report, language=language,
                                                      frozen=True)
    return _serve(request, file, report.title(language))
