"""Issue #19: the association's fonts are data used by pages, mails and PDFs — the chosen
text and heading fonts reach the invoice, certificate and minutes PDFs, the activity report
and the newsletter's HTML."""

from datetime import date

import pytest

from alliage.core.models import Association

pytestmark = pytest.mark.django_db


@pytest.fixture
def serif():
    association = Association.current()
    association.font = Association.Font.SERIF
    association.heading_font = Association.Font.GEOMETRIC
    association.save()
    return Association.current()


def test_pdfs_and_mails_use_the_chosen_fonts(serif, cast):
    from django.utils import timezone

    from alliage.billing import services as billing
    from alliage.billing.pdf import invoice_html
    from alliage.governance.minutes import minutes_html
    from alliage.governance.models import Assembly
    from alliage.mailing.models import Campaign
    from alliage.mailing.render import campaign_parts
    from alliage.reports.models import ActivityReport
    from alliage.reports.rendering import document_html

    body, heading = serif.FONT_STACKS["serif"], serif.FONT_STACKS["geometric"]
    invoice = billing.invoice_create(organisation=cast.acme, render_pdf=False,
                                     lines=[billing.Line("Adhésion", 10000, 1, True)])
    assembly = Assembly.objects.create(title_fr="AGA", starts_at=timezone.now())
    for html in [invoice_html(invoice), minutes_html(assembly)]:
        assert f"body {{ font-family: {body};" in html
        assert f"h1, h2, h3 {{ font-family: {heading}; }}" in html
    report = ActivityReport(title_fr="R", start=date(2020, 1, 1), end=date(2020, 6, 30))
    assert f"font-family: {body};" in document_html(report, "fr")
    campaign = Campaign.objects.create(title="T", subject_fr="Nouvelles", body_fr="Bonjour")
    _subject, html, _text = campaign_parts(campaign, "fr")
    assert "font-family:Charter, &quot;Bitstream Charter&quot;" in html
