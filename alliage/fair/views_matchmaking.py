"""B2B matchmaking pages: one's profile and availability, people to meet, requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.http import int_param, posted
from alliage.fair import selectors, services
from alliage.fair.forms import MeetingRequestForm, ParticipantForm
from alliage.fair.models import MeetingRequest
from alliage.members.models import Organisation


def _errors(exc):
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _contact(request):
    contact = request.user.contact
    if contact is None:         # an account without a person (e.g. staff): nothing to join
        raise Http404
    return contact


@login_required
def matchmaking(request, slug):
    fair = selectors.fair_for(request.user, slug)
    contact = _contact(request)
    me = selectors.participant_of(fair, request.user)
    form = ParticipantForm(posted(request), instance=me, fair=fair)
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.of_user(request.user).order_by(
            "-member_status", "pk").first()
        try:
            services.participant_save(
                fair=fair, contact=contact, organisation=organisation,
                offers=form.cleaned_data["offers"], seeks=form.cleaned_data["seeks"],
                busy_slots=form.cleaned_data["busy"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Your meeting profile is saved."))
            return redirect("fair:matchmaking", fair.slug)
    query = request.GET.get("q", "").strip()[:100]
    context = {"fair": fair, "me": me, "form": form, "query": query,
               "registered": me is not None or selectors.is_registered(fair, contact),
               "request_form": MeetingRequestForm()}
    if me is not None:
        asked = set(MeetingRequest.objects.filter(requester=me).values_list("recipient_id",
                                                                             flat=True))
        asked |= set(MeetingRequest.objects.filter(recipient=me).values_list("requester_id",
                                                                              flat=True))
        context.update(selectors.requests_of(me, with_free_slots=True), asked=asked,
                       suggestions=selectors.suggestions(fair, me, user=request.user),
                       people=selectors.participants_to_meet(fair, me, query)[:100],
                       hidden=selectors.participants_to_meet(fair, me, hidden=True))
    return render(request, "fair/matchmaking.html", context)


@login_required
@require_POST
def request_create(request, slug, participant_id):
    fair = selectors.fair_for(request.user, slug)
    me = selectors.participant_of(fair, request.user)
    if me is None:
        raise Http404
    them = get_object_or_404(fair.participants, pk=participant_id)
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        # The form's own message (empty reason, too long…), field by field.
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("fair:matchmaking", fair.slug)
    try:
        services.meeting_request_create(fair=fair, requester=me, recipient=them,
                                        **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Your request was sent to %(name)s.")
                         % {"name": them.contact.full_name})
    return redirect("fair:matchmaking", fair.slug)


def _my_request(request, fair, pk):
    me = selectors.participant_of(fair, request.user)
    if me is None:
        raise Http404
    found = MeetingRequest.objects.filter(fair=fair, pk=pk).filter(
        requester=me).first() or MeetingRequest.objects.filter(
        fair=fair, pk=pk, recipient=me).first()
    if found is None:
        raise Http404
    return me, found


@login_required
@require_POST
def request_answer(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    me, meeting_request = _my_request(request, fair, pk)
    if meeting_request.recipient_id != me.pk:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
        return redirect("fair:matchmaking", fair.slug)
    try:
        services.meeting_request_answer(request=meeting_request, participant=me,
                                        accept=decision == "accept")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Request accepted.") if decision == "accept"
                         else _("Request declined."))
    return redirect("fair:matchmaking", fair.slug)


@login_required
@require_POST
def request_cancel(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    me, meeting_request = _my_request(request, fair, pk)
    if asked := confirm.ask(request, _("Cancel this meeting request? A meeting already placed "
                                       "in your agenda is removed.")):
        return asked
    try:
        services.meeting_request_cancel(request=meeting_request, participant=me)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Request cancelled."))
    return redirect("fair:matchmaking", fair.slug)


@login_required
@require_POST
def not_interested(request, slug, participant_id):
    fair = selectors.fair_for(request.user, slug)
    me = selectors.participant_of(fair, request.user)
    if me is None:
        raise Http404
    other = get_object_or_404(fair.participants.exclude(pk=me.pk), pk=participant_id)
    hidden = services.not_interested_toggle(participant=me, other=other)
    said = _("%(name)s is hidden from your list.") if hidden \
        else _("%(name)s is back in your list.")
    messages.success(request, said % {"name": other.contact.full_name})
    return redirect("fair:matchmaking", fair.slug)


@login_required
@require_POST
def request_place(request, slug, pk):
    fair = selectors.fair_for(request.user, slug)
    me, meeting_request = _my_request(request, fair, pk)
    slot = int_param(request.POST, "slot", minimum=0, maximum=10_000)
    if slot is None:
        messages.error(request, _("Choose a slot."))
        return redirect("fair:matchmaking", fair.slug)
    try:
        services.meeting_self_place(request=meeting_request, participant=me, slot=slot)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The meeting is in your agenda."))
    return redirect("fair:matchmaking", fair.slug)
