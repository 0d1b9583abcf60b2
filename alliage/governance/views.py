"""Members' side of governance: the association-life page, assemblies (proxies), elections
(voting, published results), the board."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.http import posted
from alliage.core.roles import is_member, member_required
from alliage.governance import elections, services
from alliage.governance.forms import BallotForm, CandidacyForm, ProxyForm
from alliage.governance.models import Assembly, Bylaws, Election, Proxy
from alliage.governance.permissions import is_board_or_staff
from alliage.members.models import Organisation
from alliage.surveys.models import Survey


def hub(request):
    """Surveys, assemblies, elections and the board, as far as the viewer may see them."""
    member = is_member(request.user)
    context = {"surveys": Survey.objects.visible_to(request.user).order_by("closes_at"),
               "board": elections.board_shown(), "member": member}
    if member:
        # The coming and recent assemblies, and the last ones before (their minutes, votes).
        context["assemblies"] = Assembly.objects.exclude(
            status=Assembly.Status.DRAFT).order_by("-starts_at")[:6]
        context["elections"] = Election.objects.visible_to_members()[:10]
    return render(request, "governance/hub.html", context)


@member_required
def assembly_detail(request, pk):
    assembly = get_object_or_404(Assembly.objects.exclude(status=Assembly.Status.DRAFT), pk=pk)
    mine = Organisation.objects.members().administered_by(request.user).order_by("legal_name")
    given = {p.giver_id: p for p in assembly.proxies.filter(giver__in=mine)
             .select_related("holder")}
    forms = [(org, given.get(org.pk), None if org.pk in given else ProxyForm(giver=org))
             for org in mine] if assembly.status == Assembly.Status.CONVENED else []
    return render(request, "governance/assembly.html", {
        "assembly": assembly, "proxy_forms": forms, "bylaws": Bylaws.current(),
        "resolutions": assembly.resolutions.all(), "documents": assembly.documents.all(),
        "quorum": services.quorum(assembly) if assembly.status == Assembly.Status.CLOSED
        else None})


@member_required
@require_POST
def proxy_give(request, pk):
    assembly = get_object_or_404(Assembly.objects.filter(status=Assembly.Status.CONVENED),
                                 pk=pk)
    giver = get_object_or_404(Organisation.objects.members().administered_by(request.user),
                              pk=_int(request.POST.get("giver")))
    form = ProxyForm(request.POST, giver=giver)
    if form.is_valid():
        asked = confirm.ask(request, _("Give the vote of %(giver)s to %(holder)s at this "
                                       "assembly?") % {"giver": giver,
                                                       "holder": form.cleaned_data["holder"]},
                            danger=False)
        if asked:
            return asked
        try:
            services.proxy_give(assembly=assembly, giver=giver,
                                holder=form.cleaned_data["holder"], actor=request.user,
                                request=request)
            messages.success(request, _("Proxy given."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose the member that will hold your proxy."))
    return redirect("governance:assembly", pk=assembly.pk)


@member_required
@require_POST
def proxy_withdraw(request, pk, proxy_pk):
    mine = Organisation.objects.members().administered_by(request.user)
    proxy = get_object_or_404(Proxy.objects.filter(assembly_id=pk, giver__in=mine),
                              pk=proxy_pk)
    asked = confirm.ask(request, _("Withdraw the proxy given to %s?") % proxy.holder,
                        danger=False)
    if asked:
        return asked
    try:
        services.proxy_withdraw(proxy=proxy, actor=request.user, request=request)
        messages.success(request, _("Proxy withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("governance:assembly", pk=pk)


def _int(raw):
    from alliage.core.http import int_param

    return int_param({"v": raw}, "v", default=0)


def _election_for(request, pk):
    election = get_object_or_404(Election.objects.visible_to_members(), pk=pk)
    if not (is_member(request.user) or is_board_or_staff(request.user)):
        raise Http404
    return election


@login_required
def election_detail(request, pk):
    election = _election_for(request, pk)
    organisations = elections.voting_organisations(request.user, election)
    pending = organisations.exclude(pk__in=election.voters.values("organisation"))
    form = None
    if election.is_open() and pending.exists():
        form = BallotForm(posted(request), election=election, organisations=pending)
        if request.method == "POST" and form.is_valid():
            org = form.cleaned_data["organisation"]
            chosen = form.cleaned_data["candidates"]
            asked = confirm.ask(request, _("Cast the ballot of %(org)s for: %(names)s? A ballot "
                                           "cannot be changed.") % {
                "org": org, "names": ", ".join(c.full_name for c in chosen)}, danger=False)
            if asked:
                return asked
            try:
                elections.vote_cast(election=election, organisation=org, user=request.user,
                                    candidate_ids=[c.pk for c in chosen])
                messages.success(request, _("Your ballot is cast. It is stored apart from the "
                                            "record that %(org)s has voted.") % {"org": org})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("governance:election", pk=election.pk)
    candidacy_form, mine = None, election.candidates.filter(nominated_by=request.user).first()
    if election.takes_nominations() and mine is None and \
            elections.nominating_organisation(request.user) is not None:
        candidacy_form = CandidacyForm(posted(request))
        if request.method == "POST" and candidacy_form.is_valid():
            try:
                elections.candidacy_submit(election=election, user=request.user,
                                           **candidacy_form.cleaned_data)
                messages.success(request, _("Your candidacy is recorded; the staff confirm "
                                            "it before the vote opens."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("governance:election", pk=election.pk)
    show_results = election.status == Election.Status.PUBLISHED or (
        election.results_known and is_board_or_staff(request.user))
    return render(request, "governance/election.html", {
        "election": election, "form": form,
        "candidates": election.candidates.filter(approved=True).select_related("organisation"),
        "candidacy_form": candidacy_form, "my_candidacy": mine,
        "voted": organisations.filter(pk__in=election.voters.values("organisation")),
        "tally": elections.tally(election) if show_results else None,
        "bylaws": Bylaws.current()})


def board(request):
    return render(request, "governance/board.html", {"board": elections.board_shown()})
