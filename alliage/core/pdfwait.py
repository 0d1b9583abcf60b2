"""The page shown while a document's PDF is rendered in the background.

The first request enqueues the rendering and answers a waiting page (202) that polls the same
URL with htmx every two seconds; a poll answers 204 (keep waiting) until the file exists, then
``HX-Redirect`` to the same URL, which the browser opens as the PDF. Without JavaScript, a meta
refresh in ``<noscript>`` reloads the page, and a link opens it by hand."""

from django.http import HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect

POLL_SECONDS = 2


def is_poll(request):
    return bool(getattr(request, "htmx", False))


def pending(request, *, title, enqueue):
    """While the PDF is not there: 204 to a poll, else enqueue and answer the waiting page."""
    if is_poll(request):
        return HttpResponse(status=204)
    enqueue()
    return render(request, "members/invoice_pending.html",
                  {"title": title, "poll_url": request.get_full_path(),
                   "poll_seconds": POLL_SECONDS}, status=202)


def ready(request):
    """The PDF exists: a poll is told to open it; ``None`` lets the view serve the file."""
    if is_poll(request):
        return HttpResponseClientRedirect(request.get_full_path())
    return None
