"""Issue #14 item 8: the first click on a PDF shows a page that waits for it and opens it by
itself (htmx polls the same URL: 204 while rendering, HX-Redirect once the file exists), with
a meta refresh and a link when JavaScript is off."""

from alliage.billing import services
from alliage.billing.tasks import render_invoice_pdf
from tests.conftest import login, text

POLL = {"HTTP_HX_REQUEST": "true"}


def test_invoice_pdf_waits_then_opens_by_itself(client, cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "mail", "mailing", "reports"]}}
    invoice = services.invoice_create(organisation=cast.acme,
                                      lines=[services.Line("Adhésion annuelle", 27500)])
    assert not invoice.pdf
    login(client, cast.alice)
    url = f"/factures/{invoice.pk}.pdf"
    first = client.get(url)
    assert first.status_code == 202
    page = first.content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert f'href="{url}"' in page and "<script>" not in page
    assert "il s'ouvrira de lui-même" in text(first)
    assert "Rechargez" not in text(first)
    # A poll while rendering: nothing to swap, keep polling.
    assert client.get(url, **POLL).status_code == 204
    render_invoice_pdf.call(invoice.pk)
    ready = client.get(url, **POLL)
    assert ready.status_code == 200 and ready["HX-Redirect"] == url
    opened = client.get(url)
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"


def test_a_poll_never_leaks_another_companys_invoice(client, cast):
    invoice = services.invoice_create(organisation=cast.acme,
                                      lines=[services.Line("Adhésion annuelle", 27500)])
    login(client, cast.carol)
    assert client.get(f"/factures/{invoice.pk}.pdf", **POLL).status_code == 404
