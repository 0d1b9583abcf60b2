"""Staff pages of governance: by-laws, assemblies (convocation, attendance register with the
live quorum, proxies, resolutions, close), elections (candidates, open, close, publish)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.http import posted
from alliage.core.roles import staff_required
from alliage.governance import elections, services
from alliage.governance.forms import (
    AssemblyDocumentForm,
    AssemblyForm,
    AttendanceForm,
    BoardMemberForm,
    BylawsForm,
    CandidateForm,
    ElectionForm,
    ProxyForm,
    ResolutionForm,
    VoteCountForm,
)
from alliage.governance.models import Assembly, Bylaws, Election, Proxy, Resolution


def _errors(request, exc):
    messages.error(request, " ".join(exc.messages))


@staff_required
def bylaws_edit(request):
    form = BylawsForm(posted(request), instance=Bylaws.current())
    if request.method == "POST" and form.is_valid():
        services.bylaws_save(form=form, actor=request.user, request=request)
        messages.success(request, _("By-laws saved."))
        return redirect("governance:bylaws")
    return render(request, "governance/bylaws.html", {"form": form})


@staff_required
def assembly_list(request):
    return render(request, "governance/staff_assemblies.html", {
        "assemblies": Assembly.objects.all(),
        "elections": Election.objects.select_related("assembly")})


@staff_required
def assembly_edit(request, pk=None):
    assembly = get_object_or_404(Assembly, pk=pk) if pk else Assembly()
    form = AssemblyForm(posted(request), instance=assembly)
    if request.method == "POST" and form.is_valid():
        assembly = services.assembly_save(form=form, actor=request.user, request=request)
        messages.success(request, _("Assembly saved."))
        return redirect("governance:staff_assembly", pk=assembly.pk)
    return render(request, "governance/staff_assembly_edit.html", {
        "assembly": assembly, "form": form, "bylaws": Bylaws.current(),
        "documents": assembly.documents.all() if assembly.pk else [],
        "document_form": AssemblyDocumentForm(prefix="document")})


@staff_required
def assembly_desk(request, pk):
    """The attendance register, proxies, quorum (live) and resolutions on one page."""
    assembly = get_object_or_404(Assembly, pk=pk)
    return render(request, "governance/staff_desk.html", _desk(request, assembly))


def _desk(request, assembly, **forms):
    return {
        "assembly": assembly, "quorum": services.quorum(assembly),
        "attendances": assembly.attendances.select_related("organisation", "representative")
        .order_by("organisation__legal_name"),
        "proxies": assembly.proxies.select_related("giver", "holder")
        .order_by("holder__legal_name", "giver__legal_name"),
        "resolutions": assembly.resolutions.all(),
        "attendance_form": forms.get("attendance_form") or AttendanceForm(assembly=assembly),
        "proxy_form": forms.get("proxy_form") or ProxyForm(),
        "resolution_form": forms.get("resolution_form") or ResolutionForm(),
        "count_form": VoteCountForm(), "bylaws": Bylaws.current(),
        "is_open": assembly.status == Assembly.Status.CONVENED}


def _desk_post(request, pk, form_key, make_form, service):
    """A form of the desk (attendance, proxy, resolution): the service with the form's data,
    or the desk again with the form's errors (400)."""
    assembly = get_object_or_404(Assembly, pk=pk)
    form = make_form(assembly)
    if not form.is_valid():
        return render(request, "governance/staff_desk.html",
                      _desk(request, assembly, **{form_key: form}), status=400)
    try:
        service(assembly=assembly, actor=request.user, request=request, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:desk", pk=assembly.pk)


@staff_required
@require_POST
def attendance_add(request, pk):
    return _desk_post(request, pk, "attendance_form",
                      lambda a: AttendanceForm(request.POST, assembly=a),
                      services.attendance_record)


@staff_required
@require_POST
def proxy_add(request, pk):
    return _desk_post(request, pk, "proxy_form", lambda a: ProxyForm(request.POST),
                      services.proxy_give)


@staff_required
@require_POST
def proxy_remove(request, pk, proxy_pk):
    proxy = get_object_or_404(Proxy, assembly_id=pk, pk=proxy_pk)
    asked = confirm.ask(request, _("Withdraw the proxy of %(giver)s to %(holder)s?") % {
        "giver": proxy.giver, "holder": proxy.holder}, danger=False)
    if asked:
        return asked
    try:
        services.proxy_withdraw(proxy=proxy, actor=request.user, request=request)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:desk", pk=pk)


@staff_required
@require_POST
def resolution_add(request, pk):
    return _desk_post(request, pk, "resolution_form", lambda a: ResolutionForm(request.POST),
                      services.resolution_add)


@staff_required
@require_POST
def resolution_vote(request, pk, resolution_pk):
    resolution = get_object_or_404(Resolution, assembly_id=pk, pk=resolution_pk)
    form = VoteCountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of votes for, against and abstentions."))
        return redirect("governance:desk", pk=pk)
    data = form.cleaned_data
    asked = confirm.ask(request, _("Record for resolution %(n)s: %(f)s for, %(a)s against, "
                                   "%(s)s abstentions? The result cannot be changed.") % {
        "n": resolution.number, "f": data["votes_for"], "a": data["votes_against"],
        "s": data["abstentions"]})
    if asked:
        return asked
    try:
        services.resolution_vote(resolution=resolution, actor=request.user, request=request,
                                 **data)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:desk", pk=pk)


@staff_required
@require_POST
def assembly_convene(request, pk):
    assembly = get_object_or_404(Assembly, pk=pk)
    asked = confirm.ask(request, _("Send the convocation to every member in good standing? "
                                   "Mail sent cannot be recalled."))
    if asked:
        return asked
    try:
        sent = services.assembly_convene(assembly=assembly, actor=request.user,
                                         request=request)
        messages.success(request, ngettext("Convocation sent to %(n)s person.",
                                           "Convocation sent to %(n)s people.", sent)
                         % {"n": sent})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:staff_assembly", pk=pk)


@staff_required
@require_POST
def assembly_close(request, pk):
    assembly = get_object_or_404(Assembly, pk=pk)
    asked = confirm.ask(request, _("Close the assembly for good? Attendance, proxies and "
                                   "votes will be frozen."))
    if asked:
        return asked
    try:
        services.assembly_close(assembly=assembly, actor=request.user, request=request)
        messages.success(request, _("The assembly is closed."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:desk", pk=pk)


@staff_required
def election_edit(request, pk=None):
    election = get_object_or_404(Election, pk=pk) if pk else Election()
    form = ElectionForm(posted(request), instance=election)
    if request.method == "POST" and form.is_valid():
        try:
            election = elections.election_save(form=form, actor=request.user, request=request)
            messages.success(request, _("Election saved."))
            return redirect("governance:staff_election", pk=election.pk)
        except ValidationError as exc:
            _errors(request, exc)
    candidate_form = CandidateForm() if election.pk else None
    return render(request, "governance/staff_election.html", {
        "election": election, "form": form, "candidate_form": candidate_form,
        "candidates": election.candidates.select_related("organisation") if election.pk
        else [],
        "tally": elections.tally(election) if election.pk and election.results_known
        else None,
        "voters": election.voters.count() if election.pk else 0})


@staff_required
@require_POST
def candidate_add(request, pk):
    election = get_object_or_404(Election, pk=pk)
    form = CandidateForm(request.POST)
    if form.is_valid():
        try:
            elections.candidate_save(form=form, election=election, actor=request.user,
                                     request=request)
            messages.success(request, _("Candidate added."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Give the candidate's name."))
    return redirect("governance:staff_election", pk=pk)


def _election_action(request, pk, action, question, done, danger=True):
    election = get_object_or_404(Election, pk=pk)
    asked = confirm.ask(request, question % {"title": election.title}, danger=danger)
    if asked:
        return asked
    try:
        action(election=election, actor=request.user, request=request)
        messages.success(request, done)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:staff_election", pk=pk)


@staff_required
@require_POST
def election_open(request, pk):
    return _election_action(request, pk, elections.election_open,
                            _("Open the vote of “%(title)s”? Candidates can no longer "
                              "change."), _("The vote is open."), danger=False)


@staff_required
@require_POST
def election_close(request, pk):
    return _election_action(request, pk, elections.election_close,
                            _("Close the vote of “%(title)s” for good? No one will be able to "
                              "vote any more."), _("The vote is closed."))


@staff_required
@require_POST
def election_publish(request, pk):
    return _election_action(request, pk, elections.election_publish,
                            _("Publish the results of “%(title)s” to the members? This "
                              "cannot be undone."), _("The results are published."))


@staff_required
def assembly_minutes(request, pk):
    """The draft minutes as PDF (rendered on request: a few pages)."""
    from django.http import HttpResponse

    from alliage.governance.minutes import minutes_pdf_bytes

    assembly = get_object_or_404(Assembly.objects.exclude(status=Assembly.Status.DRAFT), pk=pk)
    response = HttpResponse(minutes_pdf_bytes(assembly), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proces-verbal-{assembly.pk}.pdf"'
    return response


@staff_required
def board_list(request, seat_pk=None):
    """The board today, past seats, terms ending soon; add or change a seat."""
    from alliage.governance.models import BoardMember

    seat = get_object_or_404(BoardMember, pk=seat_pk) if seat_pk else BoardMember()
    form = BoardMemberForm(posted(request), instance=seat)
    if request.method == "POST" and form.is_valid():
        elections.board_member_save(form=form, actor=request.user, request=request)
        messages.success(request, _("Board seat saved."))
        return redirect("governance:staff_board")
    return render(request, "governance/staff_board.html", {
        "form": form, "seat": seat, "current": elections.board_now(),
        "ending": elections.terms_ending(),
        "past": BoardMember.objects.filter(term_end__lte=timezone.localdate())
        .select_related("organisation").order_by("-term_end")[:50]})


@staff_required
@require_POST
def candidate_approve(request, pk, candidate_pk):
    from alliage.governance.models import Candidate

    candidate = get_object_or_404(Candidate, election_id=pk, pk=candidate_pk)
    try:
        elections.candidate_approve(candidate=candidate, actor=request.user, request=request)
        messages.success(request, _("Candidacy approved."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance:staff_election", pk=pk)
