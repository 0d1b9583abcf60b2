"""Irreversible actions ask first, with or without JavaScript.

With JavaScript, a form (or its submit button) carrying ``data-confirm`` opens the browser's
confirmation and, once accepted, posts ``confirmed=1`` with the form (``static/js/alliage.js``).
Without it, or for any client that did not say so, the view answers with a confirmation page
that repeats the same form, the question and the same fields, plus ``confirmed=1``. The view
calls ``confirm.ask`` after its permission checks (someone who may not act gets their
403/404, never a question) and before it changes anything.
"""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "confirmed"
_SKIP = {"csrfmiddlewaretoken", FIELD}


def ask(request, question, *, action=None, danger=True):
    """None when this POST is confirmed; else the confirmation page to answer with."""
    if request.method != "POST" or request.POST.get(FIELD) == "1":
        return None
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()},
                                           require_https=request.is_secure()):
        back = ""
    fields = [(name, value) for name, values in request.POST.lists() if name not in _SKIP
              for value in values]
    return render(request, "core/confirm.html", {
        "question": question, "fields": fields, "action": action or request.get_full_path(),
        "back": back, "danger": danger})
