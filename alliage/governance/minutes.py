"""The draft minutes of an assembly as PDF (WeasyPrint): attendance, quorum, proxies,
resolutions with their results, and the results of its closed elections."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from alliage.core.models import Association
from alliage.governance import elections, services
from alliage.governance.models import Bylaws, Election


def minutes_html(assembly):
    closed = assembly.elections.filter(status__in=[Election.Status.CLOSED,
                                                   Election.Status.PUBLISHED])
    return render_to_string("governance/minutes_pdf.html", {
        "assembly": assembly, "association": Association.current(),
        "quorum": services.quorum(assembly), "bylaws": Bylaws.current(),
        "attendances": assembly.attendances.select_related("organisation", "representative")
        .order_by("organisation__legal_name"),
        "proxies": assembly.proxies.select_related("giver", "holder")
        .order_by("giver__legal_name"),
        "resolutions": assembly.resolutions.all(),
        "elections": [(e, elections.tally(e)) for e in closed]})


def minutes_pdf_bytes(assembly):
    from weasyprint import HTML

    with translation.override("fr"):
        html = minutes_html(assembly)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
