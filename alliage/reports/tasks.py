from django_tasks import task


@task(queue_name="reports")
def render_report_pdf(file_id: int) -> str:
    """Render one report PDF once. A published report's file reads the frozen figures, so
    rendering it again (a retried job) gives the same document; a stored file is kept."""
    from alliage.core.pdfstore import store_once
    from alliage.reports.models import ReportFile
    from alliage.reports.rendering import pdf_bytes

    file = ReportFile.objects.select_related("report").filter(pk=file_id).first()
    if file is None:
        return "skipped"
    report = file.report
    try:
        return store_once(file, render=lambda f: pdf_bytes(report, f.language),
                          filename=lambda locked: f"rapport-{report.start:%Y%m%d}-"
                                                  f"{report.end:%Y%m%d}-{locked.language}.pdf")
    except ReportFile.DoesNotExist:
        return "skipped"        # the draft was deleted while its PDF was being rendered
    except Exception as error:
        # Said on the waiting page (staff may try again) instead of waiting for ever.
        ReportFile.objects.filter(pk=file_id, pdf="").update(
            error=f"{type(error).__name__}: {error}"[:2000])
        raise
