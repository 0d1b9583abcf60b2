"""The fair's pages: visitors browse pavilions and booths and leave their card; exhibitors edit
their booth and read their leads; participants ask for meetings and read their agenda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.exports import Column, csv_separator, export_response
from alliage.core.http import posted, uploaded
from alliage.fair import selectors, services
from alliage.fair.forms import BoothForm, DocumentForm, LeadForm
from alliage.fair.ical import agenda_calendar

SEEN = "fair_seen_booths"


def _errors(exc):
    return " ".join(getattr(exc, "messages", [str(exc)]))


def fair_list(request):
    fairs = selectors.fairs_for(request.user)
    return render(request, "fair/fair_list.html", {"fairs": fairs})


def fair(request, slug):
    fair = selectors.fair_for(request.user, slug)
    query = request.GET.get("q", "").strip()[:100]
    booths = selectors.booths_for_visitors(fair, query=query) if query else None
    return render(request, "fair/fair.html", {
        "fair": fair, "pavilions": selectors.pavilions_with_counts(fair), "query": query,
        "booths": booths, "my_booths": selectors.my_booths(request.user, fair),
        "bookmarked": selectors.bookmarked(fair, request.user),
        "participant": selectors.participant_of(fair, request.user)})


def pavilion(request, slug, pavilion_slug):
    fair = selectors.fair_for(request.user, slug)
    pav = get_object_or_404(fair.pavilions, slug=pavilion_slug)
    return render(request, "fair/pavilion.html", {
        "fair": fair, "pavilion": pav,
        "booths": selectors.booths_for_visitors(fair, pavilion=pav)})


def _count_visit(request, booth):
    contact = getattr(request.user, "contact", None) if request.user.is_authenticated else None
    if contact is not None:
        services.visit_record(booth=booth, contact=contact)
        return
    seen = request.session.get(SEEN, [])
    if booth.pk not in seen:
        services.visit_record(booth=booth)
        request.session[SEEN] = (seen + [booth.pk])[-200:]


def booth(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_visitor(fair, pk)
    _count_visit(request, booth)
    contact = getattr(request.user, "contact", None) if request.user.is_authenticated else None
    lead = booth.leads.filter(contact=contact).first() if contact else None
    me = selectors.participant_of(fair, request.user)
    own = contact is not None and booth.organisation.affiliations.filter(
        contact=contact, ended_on__isnull=True).exists()
    return render(request, "fair/booth.html", {"own": own,
        "fair": fair, "booth": booth, "documents": booth.documents.all(),
        "lead_form": LeadForm(), "lead": lead, "contact": contact,
        "consent_text": services.consent_wording(booth), "me": me,
        "team": selectors.booth_team(booth),
        "is_bookmarked": bool(contact) and booth.bookmarks.filter(contact=contact).exists(),
        "may_edit": selectors.my_booths(request.user, fair).filter(pk=booth.pk).exists()})


@login_required
@require_POST
def booth_lead(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_visitor(fair, pk)
    form = LeadForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(booth.get_absolute_url())
    try:
        services.lead_leave(booth=booth, contact=request.user.contact, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Your card was given to %(company)s.")
                         % {"company": booth.organisation.display_name})
    return redirect(booth.get_absolute_url())


@login_required
@require_POST
def booth_bookmark(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_visitor(fair, pk)
    if request.user.contact is None:
        raise Http404
    kept = services.bookmark_toggle(booth=booth, contact=request.user.contact)
    messages.success(request, _("Booth added to your list.") if kept
                     else _("Booth removed from your list."))
    return redirect(booth.get_absolute_url())


# --- The exhibitor's side ---------------------------------------------------------------

@login_required
def booth_edit(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_exhibitor(request.user, fair, pk)
    form = BoothForm(posted(request), instance=booth)
    document_form = DocumentForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.booth_save(booth=booth, changes=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Booth saved."))
            return redirect("fair:booth_edit", fair.slug, booth.pk)
    return render(request, "fair/booth_edit.html", {
        "fair": fair, "booth": booth, "form": form, "document_form": document_form,
        "documents": booth.documents.all()})


@login_required
@require_POST
def booth_document_add(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_exhibitor(request.user, fair, pk)
    form = DocumentForm(request.POST, uploaded(request))
    if form.is_valid():
        services.booth_document_add(booth=booth, title=form.cleaned_data["title"],
                                    file=form.cleaned_data["file"], actor=request.user)
        messages.success(request, _("Document added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("fair:booth_edit", fair.slug, booth.pk)


@login_required
@require_POST
def booth_document_delete(request, slug, pk, document_id):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_exhibitor(request.user, fair, pk)
    document = get_object_or_404(booth.documents, pk=document_id)
    if asked := confirm.ask(request, _("Delete the document %(title)s?")
                            % {"title": document.title}):
        return asked
    services.booth_document_delete(document=document, actor=request.user)
    messages.success(request, _("Document deleted."))
    return redirect("fair:booth_edit", fair.slug, booth.pk)


LEAD_COLUMNS = [
    Column(gettext_lazy("Name"), lambda x: x.name),
    Column(gettext_lazy("Email"), lambda x: x.email),
    Column(gettext_lazy("Phone"), lambda x: x.phone),
    Column(gettext_lazy("Company"), lambda x: x.organisation_name),
    Column(gettext_lazy("Message"), lambda x: x.message),
    Column(gettext_lazy("Notes"), lambda x: x.notes),
    Column(gettext_lazy("Consent given on"), lambda x: x.consented_at),
    Column(gettext_lazy("Consent"), lambda x: x.consent_text),
]


@login_required
def leads(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_exhibitor(request.user, fair, pk)
    rows = booth.leads.order_by("-created_at")
    if fmt := request.GET.get("export"):
        return export_response(rows, LEAD_COLUMNS, fmt, name=_("leads"),
                               separator=csv_separator(request))
    return render(request, "fair/leads.html", {"fair": fair, "booth": booth, "leads": rows})


@login_required
@require_POST
def lead_note(request, slug, pk, lead_id):
    fair = selectors.fair_for(request.user, slug)
    booth = selectors.booth_for_exhibitor(request.user, fair, pk)
    lead = get_object_or_404(booth.leads, pk=lead_id)
    services.lead_note(lead=lead, notes=request.POST.get("notes", ""), actor=request.user)
    messages.success(request, _("Notes saved."))
    return redirect("fair:leads", fair.slug, booth.pk)


# --- Agenda -------------------------------------------------------------------------------

def _me(request, fair):
    me = selectors.participant_of(fair, request.user)
    if me is None:
        raise Http404
    return me


@login_required
def agenda(request, slug):
    fair = selectors.fair_for(request.user, slug)
    me = selectors.participant_of(fair, request.user)
    if me is None:
        return redirect("fair:matchmaking", fair.slug)
    return render(request, "fair/agenda.html", {"fair": fair, "me": me,
                                                "rows": selectors.agenda(me)})


@login_required
def agenda_ics(request, slug):
    fair = selectors.fair_for(request.user, slug)
    me = _me(request, fair)
    body = agenda_calendar(fair, selectors.agenda(me),
                           request.build_absolute_uri(reverse("fair:agenda", args=[slug])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agenda-{fair.slug}.ics"'
    return response

