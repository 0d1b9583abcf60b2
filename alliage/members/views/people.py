"""People: the staff contact list and page, data export and erasure (Law 25)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.roles import staff_required
from alliage.core.tables import configure
from alliage.members import privacy
from alliage.members.models import Contact, ErasureRequest
from alliage.members.tables import PeopleTable


def _json_download(data, name):
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def my_data(request):
    """A logged-in person downloads everything Alliage holds about them."""
    contact = request.user.contact
    if contact is None:
        raise Http404
    return _json_download(privacy.person_export(contact, self_service=True),
                          f"mes-donnees-{timezone.localdate():%Y%m%d}.json")


@login_required
@require_POST
def my_erasure_request(request):
    contact = request.user.contact
    if contact is None:
        raise Http404
    if asked := confirm.ask(request, _("Send a request to erase your personal information?")):
        return asked
    privacy.erasure_request(contact=contact, requested_by=request.user,
                            reason=request.POST.get("reason", "")[:2000])
    messages.success(request, _("Your request was sent to the person in charge of personal "
                                "information. You will get an answer within 30 days."))
    return redirect("accounts:profile")


@staff_required
def people_list(request):
    people = Contact.objects.active().prefetch_related("affiliations__organisation")
    if q := request.GET.get("q", "").strip():
        for word in q.split():
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(email__icontains=word))
    table = configure(request, PeopleTable(people))
    return render(request, "members/people_list.html", {
        "table": table, "q": q,
        "pending": ErasureRequest.objects.filter(status="pending").count()})


@staff_required
def person_detail(request, pk):
    contact = get_object_or_404(Contact, pk=pk)
    return render(request, "members/person_detail.html", {
        "contact": contact,
        "affiliations": contact.affiliations.select_related("organisation"),
        "requests": contact.erasure_requests.all()})


@staff_required
def person_export(request, pk):
    contact = get_object_or_404(Contact, pk=pk)
    from alliage.members import services

    return _json_download(services.person_export(contact=contact, actor=request.user,
                                                 request=request), f"personne-{contact.pk}.json")


@staff_required
def erasure_requests(request):
    return render(request, "members/erasure_requests.html", {
        "requests": ErasureRequest.objects.select_related("contact", "requested_by")})


@staff_required
@require_POST
def erasure_decide(request, pk):
    erasure = get_object_or_404(ErasureRequest, pk=pk)
    if request.POST.get("decision") == "approve" and (asked := confirm.ask(
            request, _("Erase %(name)s's personal information? It cannot be undone.")
            % {"name": erasure.contact})):
        return asked
    try:
        privacy.erasure_decide(request=erasure, actor=request.user,
                               approve=request.POST.get("decision") == "approve",
                               note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("members:erasure_requests")


@staff_required
@require_POST
def person_erasure(request, pk):
    """Staff record a request received by mail or phone on the person's behalf."""
    contact = get_object_or_404(Contact, pk=pk)
    privacy.erasure_request(contact=contact, requested_by=request.user,
                            reason=request.POST.get("reason", "")[:2000])
    messages.success(request, _("Erasure request recorded."))
    return redirect("members:erasure_requests")


@staff_required
def person_edit(request, pk):
    from alliage.core.http import posted
    from alliage.members import services
    from alliage.members.forms import ContactForm

    contact = get_object_or_404(Contact.objects.active(), pk=pk)
    form = ContactForm(posted(request), instance=contact)
    if request.method == "POST" and form.is_valid():
        contact = services.contact_update(form=form, actor=request.user, request=request)
        messages.success(request, _("The person was saved."))
        return redirect("members:person_detail", pk=contact.pk)
    return render(request, "members/person_form.html", {"contact": contact, "form": form})
