from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from alliage.core.http import posted
from alliage.core.roles import Role, is_staff, member_admin_required, roles_of, staff_required
from alliage.matching.classify import suggestions
from alliage.members.models import Organisation
from alliage.symbiosis import services, stats
from alliage.symbiosis.forms import (
    CharacterisationForm,
    CharacterisationLineFormSet,
    CompanyChoiceForm,
    StreamFileForm,
    StreamForm,
    SynergyForm,
)
from alliage.symbiosis.models import Characterisation, Introduction, Stream, StreamFile
from alliage.symbiosis.selectors import managed_ids, visible_streams


def listing(request):
    """Published offers and needs the viewer may see; owners hidden where they asked."""
    streams = visible_streams(request.user).filter(status=Stream.Status.PUBLISHED).select_related(
        "organisation")
    kind = request.GET.get("kind", "")
    if kind in Stream.Kind.values:
        streams = streams.filter(kind=kind)
    if q := request.GET.get("q", "").strip():
        streams = streams.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return render(request, "symbiosis/listing.html", {
        "streams": streams[:200], "kind": kind, "q": q, "staff": is_staff(request.user),
        "mine": managed_ids(request.user),
        # Never a link a role cannot follow: "My offers and needs" is for company admins.
        "may_manage": bool(roles_of(request.user) & {Role.MEMBER_ADMIN, Role.STAFF})})


@member_admin_required
def my_streams(request):
    streams = Stream.objects.filter(organisation_id__in=managed_ids(request.user)).select_related(
        "organisation").annotate(
        offer_matches=Count("matches_as_offer", filter=Q(matches_as_offer__stale=False),
                            distinct=True),
        need_matches=Count("matches_as_need", filter=Q(matches_as_need__stale=False),
                           distinct=True))
    return render(request, "symbiosis/my_streams.html", {"streams": streams})


@member_admin_required
def stream_edit(request, pk=None):
    orgs = Organisation.objects.all() if is_staff(request.user) else \
        Organisation.objects.administered_by(request.user)
    stream = get_object_or_404(Stream, pk=pk, organisation__in=orgs) if pk else None
    if stream:
        organisation = stream.organisation
    else:
        chooser = CompanyChoiceForm(request.POST if request.method == "POST" else request.GET,
                                    organisations=orgs)
        organisation = chooser.cleaned_data["organisation"] if chooser.is_valid() else None
    form = StreamForm(posted(request), instance=stream, organisation=organisation)
    if request.method == "POST" and organisation is None:
        form.add_error(None, _("Choose the company."))
    if request.method == "POST" and form.is_valid():
        stream = services.stream_save(form=form, organisation=organisation,
                                      actor=request.user, request=request)
        if request.POST.get("publish"):
            services.stream_publish(stream=stream, actor=request.user)
            messages.success(request, _("Published: matches are being computed."))
        else:
            messages.success(request, _("Saved."))
        return redirect("symbiosis:stream", pk=stream.pk)
    return render(request, "symbiosis/stream_edit.html", {
        "form": form, "stream": stream, "organisations": orgs,
        "organisation": organisation})


def _lang():
    from django.utils.translation import get_language

    return "en" if (get_language() or "fr").startswith("en") else "fr"


def code_suggestions(request):
    """htmx: code suggestions for the description being typed, each with its label, why it
    was chosen and whether it is a hazardous entry (never first without a reason)."""
    text = (request.GET.get("title", "") + " " + request.GET.get("description", "")).strip()
    return render(request, "symbiosis/_suggestions.html", {
        "suggestions": suggestions(text[:2000], 5, _lang()) if len(text) >= 3 else []})


def stream_detail(request, pk):
    stream = get_object_or_404(visible_streams(request.user).select_related("organisation"), pk=pk)
    staff = is_staff(request.user)
    owner = stream.organisation_id in managed_ids(request.user) or staff
    matches, introductions = [], []
    if owner:
        matches = list(services.matches_for(stream, staff=staff).select_related(
            "offer__organisation", "need__organisation").prefetch_related("introductions"))
        for match in matches:
            match.shown_reasons = match.reasons_for(staff=staff)
            match.shown_score = match.score_for(staff=staff)       # the API's, too
            match.blind = match.blind_for(staff=staff)
        # Every introduction of the stream, stale match or not: a conversation stays
        # reachable after the listing changed or expired.
        introductions = Introduction.objects.filter(
            Q(match__offer=stream) | Q(match__need=stream)).select_related("match")
    files = list(stream.files.all())
    for item in files:
        item.shown_name = item.caption or item.name_for(owner=owner)
    diagnosis = None
    if owner and not matches and stream.status == Stream.Status.PUBLISHED:
        from alliage.symbiosis.orphans import diagnose

        diagnosis = diagnose(stream, staff=staff)
    return render(request, "symbiosis/stream.html", {
        "stream": stream, "owner": owner, "matches": matches, "introductions": introductions,
        "diagnosis": diagnosis,
        "staff": staff, "files": files, "file_form": StreamFileForm() if owner else None})


@member_admin_required
@require_POST
def stream_file_add(request, pk):
    stream = get_object_or_404(_owned(request.user), pk=pk)
    form = StreamFileForm(request.POST, request.FILES)
    if form.is_valid():
        services.stream_file_add(stream=stream, file=form.cleaned_data["file"],
                                 caption=form.cleaned_data["caption"], actor=request.user)
        messages.success(request, _("The file was added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("symbiosis:stream", pk=pk)


def stream_file(request, pk, file_id):
    """A stream's file, to whoever may see the stream (never through /media/); under a
    neutral name to others when the listing hides its company."""
    stream = get_object_or_404(visible_streams(request.user), pk=pk)
    item = get_object_or_404(StreamFile, pk=file_id, stream=stream)
    owner = stream.organisation_id in managed_ids(request.user) or is_staff(request.user)
    return FileResponse(item.file.open("rb"), as_attachment=False,
                        filename=item.name_for(owner=owner))


def _owned(user):
    return Stream.objects.all() if is_staff(user) else \
        Stream.objects.filter(organisation_id__in=managed_ids(user))


@member_admin_required
@require_POST
def stream_publish(request, pk):
    stream = get_object_or_404(Stream, pk=pk, organisation_id__in=managed_ids(request.user))
    services.stream_publish(stream=stream, actor=request.user)
    messages.success(request, _("Published: matches are being computed."))
    return redirect("symbiosis:stream", pk=pk)


@login_required
@require_POST
def introduction_request(request, pk):
    ids = managed_ids(request.user)
    found = services.matches_for(None, staff=is_staff(request.user))
    if not is_staff(request.user):
        # Only a match of one's own company's streams is found: another's is 404, as an id
        # that does not exist (a 403 would tell it exists; issue #11, L2).
        found = found.filter(Q(offer__organisation_id__in=ids) | Q(need__organisation_id__in=ids))
    match = get_object_or_404(found.select_related("offer", "need"), pk=pk)
    facilitator = is_staff(request.user) and match.offer.organisation_id not in ids \
        and match.need.organisation_id not in ids
    intro = services.introduction_request(match=match, actor=request.user,
                                          organisation_ids=ids, facilitator=facilitator,
                                          note=request.POST.get("note", ""))
    if facilitator:
        messages.success(request, _("Introduction suggested to both companies: each sees the "
                                    "other's name once both accept."))
    else:
        messages.success(request, _("Introduction requested: the other side stays anonymous "
                                    "until both accept."))
    return redirect(intro.get_absolute_url())


def _side_of(request, intro):
    ids = managed_ids(request.user)
    if intro.match.offer.organisation_id in ids:
        return "offer"
    if intro.match.need.organisation_id in ids:
        return "need"
    if is_staff(request.user):
        return "staff"
    return None


@login_required
def introduction(request, pk):
    found = Introduction.objects.select_related("match__offer__organisation",
                                                "match__need__organisation")
    if not is_staff(request.user):
        # Another company's introduction is not found, as one that does not exist (L2).
        ids = managed_ids(request.user)
        found = found.filter(Q(match__offer__organisation_id__in=ids)
                             | Q(match__need__organisation_id__in=ids))
    intro = get_object_or_404(found, pk=pk)
    side = _side_of(request, intro)
    if side is None:
        raise PermissionDenied          # not reached: the lookup is filtered by side
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("accept", "decline") and side != "staff":
                services.introduction_respond(introduction=intro, actor=request.user,
                                              organisation_ids=managed_ids(request.user),
                                              accept=action == "accept")
            elif action == "message":
                services.message_post(introduction=intro, actor=request.user, side=side,
                                      body=request.POST.get("body"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(intro.get_absolute_url())
    intro.refresh_from_db()
    return render(request, "symbiosis/introduction.html", {
        "intro": intro, "side": side, "see_all": side == "staff" or intro.revealed,
        "reasons": intro.match.reasons_for(staff=side == "staff"),
        "mine_accepted": side != "staff" and getattr(intro, f"{side}_accepted"),
        "synergy_form": SynergyForm() if side == "staff" else None})


@staff_required
@require_POST
def synergy_create(request, pk):
    intro = get_object_or_404(Introduction, pk=pk)
    form = SynergyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the synergy: %(errors)s") % {
            "errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())})
        return redirect(intro.get_absolute_url())
    services.synergy_record(introduction=intro, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The synergy was recorded."))
    return redirect("symbiosis:dashboard")


def _to_facilitate(limit=12):
    """The best matches between published streams that nobody has acted on yet."""
    from alliage.symbiosis.selectors import to_facilitate

    return to_facilitate().select_related("offer__organisation", "need__organisation") \
        .order_by("-score", "pk")[:limit]


@staff_required
def dashboard(request):
    from alliage.symbiosis.models import Synergy
    from alliage.symbiosis.services import impacts

    synergies = [(s, impacts(s)) for s in Synergy.objects.select_related("supplier",
                                                                       "receiver")]
    from alliage.symbiosis.charts import streams_map_svg
    from alliage.symbiosis.orphans import orphans

    return render(request, "symbiosis/dashboard.html", {
        "map_svg": streams_map_svg(), "orphans": orphans(),
        "pipeline": stats.pipeline(), "totals": stats.impact_totals(),
        "other_recovery": stats.other_recovery(),
        "synergies": synergies, "to_facilitate": _to_facilitate(),
        "introductions": Introduction.objects.select_related(
            "match__offer__organisation", "match__need__organisation")[:50]})


@staff_required
def characterisations(request):
    """Characterisation campaigns: categories, weights and the valorisable share."""
    form = CharacterisationForm(posted(request))
    lines = CharacterisationLineFormSet(posted(request), prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        services.characterisation_save(form=form, lines=lines, actor=request.user,
                                       request=request)
        messages.success(request, _("The characterisation was recorded."))
        return redirect("symbiosis:characterisations")
    return render(request, "symbiosis/characterisations.html", {
        "form": form, "lines": lines,
        "campaigns": Characterisation.objects.select_related("organisation")
        .prefetch_related("lines")[:100]})


NEEDS_QUESTIONS = [
    # (field, question, stream title, description used for matching)
    ("wood", gettext_lazy("Do you buy wood chips, bark or sawdust (fuel, bedding, panels)?"),
     "Résidus de bois", "copeaux, écorces ou bran de scie"),
    ("heat", gettext_lazy(
        "Do you heat buildings, greenhouses or processes that waste heat could serve?"),
     "Chaleur", "chaleur pour chauffage ou séchage"),
    ("feed", gettext_lazy("Do you feed animals (farm, fish farm)?"), "Alimentation animale",
     "sous-produits pour l'alimentation animale"),
    ("aggregate", gettext_lazy("Do you use aggregates, sand or fill material?"), "Granulats",
     "granulats et remblai"),
    ("metal", gettext_lazy("Do you melt or refine metals?"), "Ferraille",
     "ferraille et métaux à refondre"),
    ("paper", gettext_lazy("Do you make pulp, paper or board?"), "Fibres recyclées",
     "carton et papier récupérés"),
    ("plastic", gettext_lazy("Do you process plastics?"), "Plastiques recyclés",
     "plastiques triés à recycler"),
    ("storage", gettext_lazy("Do you need storage space from time to time?"), "Entreposage",
     "espace d'entreposage"),
]


@member_admin_required
def needs_assessment(request):
    """A short questionnaire that creates draft needs the company then completes."""
    orgs = Organisation.objects.all() if is_staff(request.user) else \
        Organisation.objects.administered_by(request.user)
    if request.method == "POST":
        chooser = CompanyChoiceForm(request.POST, organisations=orgs)
        chosen = [q for q in NEEDS_QUESTIONS if request.POST.get(q[0])]
        if not chooser.is_valid():
            messages.error(request, " ".join(chooser.errors["organisation"]))
        elif not chosen:
            messages.error(request, _("Tick at least one need."))
        else:
            org = chooser.cleaned_data["organisation"]
            services.needs_from_assessment(organisation=org, chosen=chosen,
                                           actor=request.user, request=request)
            messages.success(request, ngettext("%(n)s draft need was created: complete and "
                                               "publish it.",
                                               "%(n)s draft needs were created: complete and "
                                               "publish them.", len(chosen))
                             % {"n": len(chosen)})
            return redirect("symbiosis:my_streams")
    return render(request, "symbiosis/assessment.html", {
        "questions": [(f, q) for f, q, _t, _d in NEEDS_QUESTIONS], "organisations": orgs})
