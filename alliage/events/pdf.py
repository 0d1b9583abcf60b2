"""Certificates and name badges as PDF (WeasyPrint), in the attendee's language."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alliage.core.models import Association


def qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _pdf(html):
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certificate_pdf_bytes(certificate):
    registration = certificate.registration
    verify_url = settings.SITE_URL + reverse("events:certificate_verify", args=[certificate.code])
    with translation.override(registration.contact.language):
        html = render_to_string("events/certificate_pdf.html", {
            "certificate": certificate, "registration": registration,
            "event": registration.event, "association": Association.current(),
            "verify_url": verify_url, "qr": qr_svg(verify_url)})
    return _pdf(html)


def badges_pdf_bytes(event, registrations):
    html = render_to_string("events/badges_pdf.html", {
        "event": event, "association": Association.current(),
        "badges": [(r, qr_svg(r.code)) for r in registrations]})
    return _pdf(html)
