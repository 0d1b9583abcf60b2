"""A report as a document: its parts in order (texts staff wrote, then every section with its
figures, charts and staff note), shown as HTML in the staff preview and printed to PDF
with WeasyPrint (table of contents with page numbers, the association's identity)."""

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from alliage.core import charts as core_charts
from alliage.core import reporting
from alliage.core.models import Association
from alliage.reports.models import TEXTS
from alliage.reports.services import figures_of

logger = logging.getLogger(__name__)

# Texts printed before the sections, and after them (mission, vision, values close it).
OPENING = ("context", "president_word", "director_word")
CLOSING = ("mission", "vision", "values")


@dataclass
class Part:
    anchor: str
    title: str
    text: str = ""
    section: object = None
    figures: dict = field(default_factory=dict)
    charts: list = field(default_factory=list)
    note: str = ""
    html: str = ""


def _charts(section, figures):
    """The section's charts, each SVG kept in the cache while its figures are the same."""
    if section.charts is None:
        return []
    fingerprint = section.key + translation.get_language() + json.dumps(figures, sort_keys=True)
    key = "reports:charts:" + hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    from django.core.cache import cache

    drawn = cache.get(key)
    if drawn is None:
        try:
            drawn = [c for c in section.charts(figures) if c is not None]
        except Exception:  # noqa: BLE001 - a chart never takes the report down with it
            logger.exception("report chart of section %s failed", section.key)
            return []       # the section's table still gives every figure
        cache.set(key, drawn, core_charts.DAY)
    return drawn


def parts(report, language, figures=None):
    """The report's parts in ``language`` (call inside ``translation.override``)."""
    figures = figures_of(report) if figures is None else figures
    labels = dict(TEXTS)
    out = []
    for stem in OPENING:
        if text := report.text(stem, language):
            out.append(Part(anchor=stem, title=str(labels[stem]), text=text))
    context = {"report": report, "start": report.start, "end": report.end,
               "language": language}
    for section in reporting.sections():
        if section.key not in figures:
            continue    # a section added after the report was frozen is not in it
        data = figures[section.key]
        part = Part(anchor=f"s-{section.key}", title=str(section.title), section=section,
                    figures=data, charts=_charts(section, data),
                    note=report.note(section.key, language))
        part.html = render_to_string(section.template, {**context, "figures": data,
                                                        "part": part})
        out.append(part)
    for stem in CLOSING:
        if text := report.text(stem, language):
            out.append(Part(anchor=stem, title=str(labels[stem]), text=text))
    return out


def document_html(report, language, *, figures=None):
    """The full standalone HTML WeasyPrint prints."""
    with translation.override(language):
        return render_to_string("reports/report_pdf.html", {
            "report": report, "language": language, "association": Association.current(),
            "title": report.title(language), "parts": parts(report, language, figures)})


def _local_only(url):
    """Raise ValueError unless WeasyPrint may fetch ``url``: the charts (data: URIs), the
    static files and the association's logo; never the network, no other file."""
    from pathlib import Path
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "data":
        return
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path)).resolve()
        roots = [(Path(settings.BASE_DIR) / "static").resolve(),
                 (Path(settings.MEDIA_ROOT) / "association").resolve()]
        if any(path.is_relative_to(root) for root in roots):
            return
    raise ValueError(f"not fetched in a report: {parsed.scheme}:")


def _fetcher():
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            _local_only(url)
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"data", "file"})


def pdf_bytes(report, language, *, figures=None):
    from weasyprint import HTML

    html = document_html(report, language, figures=figures)
    return HTML(string=html, base_url=str(settings.BASE_DIR),
                url_fetcher=_fetcher()).write_pdf()
