from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import audit
from alliage.core.http import posted
from alliage.core.roles import is_member, is_staff, member_admin_required, staff_required
from alliage.matching.classify import suggest
from alliage.members.models import Organisation
from alliage.symbiosis import services, stats
from alliage.symbiosis.forms import StreamForm, SynergyForm
from alliage.symbiosis.models import Introduction, Match, Stream


def _mine(user):
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.administered_by(user).values_list("pk", flat=True))


def _visible(user):
    return Stream.objects.visible_to(user, is_staff=is_staff(user), is_member=is_member(user),
                                     organisation_ids=_mine(user))


def listing(request):
    """Published offers and needs the viewer may see; owners hidden where they asked."""
    streams = _visible(request.user).filter(status=Stream.Status.PUBLISHED).select_related(
        "organisation")
    kind = request.GET.get("kind", "")
    if kind in Stream.Kind.values:
        streams = streams.filter(kind=kind)
    if q := request.GET.get("q", "").strip():
        streams = streams.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return render(request, "symbiosis/listing.html", {
        "streams": streams[:200], "kind": kind, "q": q, "staff": is_staff(request.user),
        "mine": _mine(request.user)})


@member_admin_required
def my_streams(request):
    streams = Stream.objects.filter(organisation_id__in=_mine(request.user)).select_related(
        "organisation")
    return render(request, "symbiosis/my_streams.html", {"streams": streams})


@member_admin_required
def stream_edit(request, pk=None):
    orgs = Organisation.objects.all() if is_staff(request.user) else \
        Organisation.objects.administered_by(request.user)
    stream = get_object_or_404(Stream, pk=pk, organisation__in=orgs) if pk else None
    form = StreamForm(posted(request), instance=stream)
    if request.method == "POST" and form.is_valid():
        creating = stream is None
        stream = form.save(commit=False)
        if creating:
            stream.organisation = orgs.first() if not request.POST.get("organisation") else \
                get_object_or_404(orgs, pk=request.POST["organisation"])
        stream.save()
        audit.record(actor=request.user, action="symbiosis.save", obj=stream,
                     request=request)
        if request.POST.get("publish"):
            services.stream_publish(stream=stream, actor=request.user)
            messages.success(request, _("Published: matches are being computed."))
        else:
            messages.success(request, _("Saved."))
        return redirect("symbiosis:stream", pk=stream.pk)
    return render(request, "symbiosis/stream_edit.html", {
        "form": form, "stream": stream, "organisations": orgs})


def code_suggestions(request):
    """htmx: LoW suggestions for the description being typed."""
    text = (request.GET.get("title", "") + " " + request.GET.get("description", "")).strip()
    return render(request, "symbiosis/_suggestions.html", {
        "suggestions": suggest(text[:2000]) if len(text) >= 3 else []})


def stream_detail(request, pk):
    stream = get_object_or_404(_visible(request.user).select_related("organisation"), pk=pk)
    owner = stream.organisation_id in _mine(request.user) or is_staff(request.user)
    matches = []
    if owner:
        field = "offer" if stream.kind == Stream.Kind.OFFER else "need"
        matches = Match.objects.filter(**{field: stream}).select_related(
            "offer__organisation", "need__organisation").prefetch_related("introductions")
    return render(request, "symbiosis/stream.html", {
        "stream": stream, "owner": owner, "matches": matches,
        "staff": is_staff(request.user)})


@member_admin_required
@require_POST
def stream_publish(request, pk):
    stream = get_object_or_404(Stream, pk=pk, organisation_id__in=_mine(request.user))
    services.stream_publish(stream=stream, actor=request.user)
    messages.success(request, _("Published: matches are being computed."))
    return redirect("symbiosis:stream", pk=pk)


@login_required
@require_POST
def introduction_request(request, pk):
    match = get_object_or_404(Match.objects.select_related("offer", "need"), pk=pk)
    try:
        intro = services.introduction_request(match=match, actor=request.user,
                                              organisation_ids=_mine(request.user))
    except PermissionDenied:
        raise
    messages.success(request, _("Introduction requested: the other side stays anonymous "
                                "until both accept."))
    return redirect(intro.get_absolute_url())


def _side_of(request, intro):
    ids = _mine(request.user)
    if intro.match.offer.organisation_id in ids:
        return "offer"
    if intro.match.need.organisation_id in ids:
        return "need"
    if is_staff(request.user):
        return "staff"
    return None


@login_required
def introduction(request, pk):
    intro = get_object_or_404(Introduction.objects.select_related(
        "match__offer__organisation", "match__need__organisation"), pk=pk)
    side = _side_of(request, intro)
    if side is None:
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("accept", "decline") and side != "staff":
                services.introduction_respond(introduction=intro, actor=request.user,
                                              organisation_ids=_mine(request.user),
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


@staff_required
def dashboard(request):
    from alliage.symbiosis.models import Synergy
    from alliage.symbiosis.services import impacts

    synergies = [(s, impacts(s)) for s in Synergy.objects.select_related("supplier",
                                                                       "receiver")]
    return render(request, "symbiosis/dashboard.html", {
        "pipeline": stats.pipeline(), "totals": stats.impact_totals(),
        "synergies": synergies,
        "introductions": Introduction.objects.select_related(
            "match__offer__organisation", "match__need__organisation")[:50]})
