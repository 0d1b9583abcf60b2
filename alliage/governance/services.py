"""Assemblies: convocation with the by-laws' notice, attendance, proxies, quorum live,
resolutions with their majority rule."""

import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core import audit
from alliage.governance.models import Assembly, Attendance, Bylaws, Proxy, Resolution
from alliage.members.models import Organisation


@dataclass(frozen=True)
class Quorum:
    members: int           # member organisations in good standing
    present: int           # of them, present through their representative
    represented: int       # of them, absent but represented by a present proxy holder
    needed: int            # the by-laws' quorum, in votes
    percent: int

    @property
    def votes(self):
        return self.present + self.represented

    @property
    def reached(self):
        return self.members > 0 and self.votes >= self.needed


def quorum(assembly):
    """The quorum now: members in good standing present, or represented by a proxy whose
    holder is present (a giver present in person votes itself; its proxy counts for
    nothing). Once the assembly is closed the member count is the one frozen at close."""
    rules = Bylaws.current()
    good = Organisation.objects.members().values("pk")
    members = assembly.members_at_close if assembly.members_at_close is not None else \
        Organisation.objects.members().count()
    present_ids = set(assembly.attendances.filter(organisation__in=good)
                      .values_list("organisation_id", flat=True))
    represented = (assembly.proxies.filter(giver__in=good, holder_id__in=present_ids)
                   .exclude(giver_id__in=present_ids).count())
    needed = max(1, math.ceil(members * rules.quorum_percent / 100))
    return Quorum(members, len(present_ids), represented, needed, rules.quorum_percent)


@transaction.atomic
def assembly_save(*, form, actor, request=None):
    """Create or update an assembly; audited."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(Assembly.objects.get(pk=form.instance.pk))
    assembly = form.save()
    audit.record(actor=actor, action="assembly.create" if creating else "assembly.update",
                 obj=assembly, changes=audit.diff(before, audit.snapshot(assembly)),
                 request=request)
    return assembly


def convocation_recipients():
    """(contact, organisation) of each member organisation's administrators in good
    standing, with an email."""
    from alliage.members.models import Affiliation

    return [(a.contact, a.organisation) for a in Affiliation.objects.filter(
        organisation__in=Organisation.objects.members(), is_admin=True, ended_on__isnull=True,
    ).exclude(contact__email="").select_related("contact", "organisation").order_by("pk")]


@transaction.atomic
def assembly_convene(*, assembly, actor, request=None, now=None):
    """Send the convocation to the members in good standing, if the by-laws' notice period
    still fits before the assembly; each mail once (keyed), so a retry sends nothing twice."""
    from alliage.core.mail import queue_email

    now = now or timezone.now()
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status == Assembly.Status.CLOSED:
        raise ValidationError(_("This assembly is closed."))
    notice = Bylaws.current().notice_days
    if (assembly.starts_at.date() - timezone.localdate(now)).days < notice:
        raise ValidationError(_("The by-laws ask for %(days)s days' notice: the assembly "
                                "is too close to convene it now.") % {"days": notice})
    sent = 0
    documents = list(assembly.documents.all())
    for contact, organisation in convocation_recipients():
        queue_email(key=f"assembly-{assembly.pk}-convocation-{contact.pk}-{organisation.pk}",
                    to=contact.email, template="governance_convocation",
                    context={"assembly": assembly, "contact": contact,
                             "organisation": organisation, "documents": documents},
                    language=getattr(contact, "language", None) or None,
                    organisation=organisation)
        sent += 1
    if assembly.status == Assembly.Status.DRAFT:
        assembly.status = Assembly.Status.CONVENED
        assembly.convened_at = now
        assembly.save(update_fields=["status", "convened_at"])
    audit.record(actor=actor, action="assembly.convene", obj=assembly,
                 changes={"recipients": ["", str(sent)]}, request=request)
    return sent


def _open(assembly):
    if assembly.status != Assembly.Status.CONVENED:
        raise ValidationError(_("Attendance and votes are taken once the assembly is convened "
                                "and until it is closed."))


@transaction.atomic
def attendance_record(*, assembly, organisation, representative=None, mode=None, actor,
                      request=None):
    """Register one member organisation present through its one representative."""
    _open(assembly)
    if not Organisation.objects.members().filter(pk=organisation.pk).exists():
        raise ValidationError(_("Only members in good standing sit at the assembly."))
    if representative is not None and not representative.affiliations.filter(
            organisation=organisation, ended_on__isnull=True).exists():
        raise ValidationError(_("The representative must be a person of that organisation."))
    try:
        with transaction.atomic():
            row = Attendance.objects.create(assembly=assembly, organisation=organisation,
                                            representative=representative,
                                            mode=mode or Attendance.Mode.IN_PERSON)
    except IntegrityError:
        raise ValidationError(_("%(org)s is already registered present (one representative "
                                "per organisation).") % {"org": organisation}) from None
    audit.record(actor=actor, action="assembly.attendance", obj=assembly,
                 changes={"present": ["", str(organisation)]}, request=request)
    return row


@transaction.atomic
def proxy_give(*, assembly, giver, holder, actor, request=None):
    """``giver`` gives its vote to ``holder`` (both members in good standing), within the
    by-laws' cap of proxies one member may hold; locked so two givers racing for the last
    place under the cap cannot both get it."""
    if assembly.status == Assembly.Status.CLOSED:
        raise ValidationError(_("This assembly is closed."))
    if giver.pk == holder.pk:
        raise ValidationError(_("A member cannot give its proxy to itself."))
    members = Organisation.objects.members()
    if not members.filter(pk=giver.pk).exists() or not members.filter(pk=holder.pk).exists():
        raise ValidationError(_("Proxies are given between members in good standing."))
    Organisation.objects.select_for_update().filter(pk=holder.pk).first()
    cap = Bylaws.current().max_proxies
    if assembly.proxies.filter(holder=holder).count() >= cap:
        raise ValidationError(ngettext("%(org)s already holds %(n)s proxy, the by-laws' limit.",
                                       "%(org)s already holds %(n)s proxies, the by-laws' limit.",
                                       cap) % {"org": holder, "n": cap})
    if assembly.proxies.filter(giver=holder).exists():
        raise ValidationError(_("%(org)s has itself given its proxy: it cannot hold one.")
                              % {"org": holder})
    if assembly.proxies.filter(holder=giver).exists():
        raise ValidationError(_("%(org)s holds proxies: it cannot give its own.")
                              % {"org": giver})
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(assembly=assembly, giver=giver, holder=holder)
    except IntegrityError:
        raise ValidationError(_("%(org)s has already given its proxy.") % {"org": giver}) \
            from None
    audit.record(actor=actor, action="assembly.proxy", obj=assembly,
                 changes={"proxy": ["", f"{giver} → {holder}"]}, request=request)
    return proxy


@transaction.atomic
def proxy_withdraw(*, proxy, actor, request=None):
    if proxy.assembly.status == Assembly.Status.CLOSED:
        raise ValidationError(_("This assembly is closed."))
    audit.record(actor=actor, action="assembly.proxy_withdraw", obj=proxy.assembly,
                 changes={"proxy": [f"{proxy.giver} → {proxy.holder}", ""]}, request=request)
    proxy.delete()


def adopted(majority, votes_for, votes_against):
    """The majority rule: abstentions are not votes cast; simple = more for than against,
    two-thirds = for at least twice against (for ≥ 2/3 of the votes cast)."""
    if votes_for == 0:
        return False
    if majority == Resolution.Majority.TWO_THIRDS:
        return votes_for >= 2 * votes_against
    return votes_for > votes_against


@transaction.atomic
def resolution_vote(*, resolution, votes_for, votes_against, abstentions, actor, request=None):
    """Record a resolution's vote once (irreversible): only with quorum, and never more
    votes than members present or represented."""
    resolution = Resolution.objects.select_for_update().select_related("assembly").get(
        pk=resolution.pk)
    _open(resolution.assembly)
    if resolution.outcome != Resolution.Outcome.PENDING:
        raise ValidationError(_("This resolution's vote is already recorded."))
    q = quorum(resolution.assembly)
    if not q.reached:
        raise ValidationError(_("No quorum: %(votes)s votes present or represented, %(needed)s "
                                "needed.") % {"votes": q.votes, "needed": q.needed})
    if votes_for + votes_against + abstentions > q.votes:
        raise ValidationError(_("More votes (%(cast)s) than members present or represented "
                                "(%(votes)s).") % {"cast": votes_for + votes_against +
                                                   abstentions, "votes": q.votes})
    resolution.votes_for, resolution.votes_against = votes_for, votes_against
    resolution.abstentions = abstentions
    resolution.outcome = (Resolution.Outcome.ADOPTED
                          if adopted(resolution.majority, votes_for, votes_against)
                          else Resolution.Outcome.REJECTED)
    resolution.save()
    audit.record(actor=actor, action="resolution.vote", obj=resolution,
                 changes={"outcome": ["", resolution.outcome],
                          "votes": ["", f"{votes_for}/{votes_against}/{abstentions}"]},
                 request=request)
    return resolution


@transaction.atomic
def resolution_add(*, assembly, title_fr, text_fr="", majority, actor, request=None):
    if assembly.status == Assembly.Status.CLOSED:
        raise ValidationError(_("This assembly is closed."))
    number = (assembly.resolutions.order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    resolution = Resolution.objects.create(assembly=assembly, number=number, title_fr=title_fr,
                                           text_fr=text_fr, majority=majority)
    audit.record(actor=actor, action="resolution.create", obj=resolution, request=request)
    return resolution


@transaction.atomic
def assembly_close(*, assembly, actor, request=None):
    """Close the assembly for good; the member count is frozen for its minutes."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    _open(assembly)
    assembly.members_at_close = Organisation.objects.members().count()
    assembly.status = Assembly.Status.CLOSED
    assembly.save(update_fields=["members_at_close", "status"])
    audit.record(actor=actor, action="assembly.close", obj=assembly, request=request)
    return assembly


@transaction.atomic
def document_add(*, assembly, form, actor, request=None):
    """Attach a document (financial statements, minutes…) to an assembly's convocation;
    not once the assembly is closed (its record is what it was)."""
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status == Assembly.Status.CLOSED:
        raise ValidationError(_("This assembly is closed."))
    document = form.save(commit=False)
    document.assembly = assembly
    document.save()
    audit.record(actor=actor, action="assembly.document", obj=assembly,
                 changes={"document": ["", document.title]}, request=request)
    return document


@transaction.atomic
def document_delete(*, document, actor, request=None):
    """Remove a document of an assembly not yet closed (and its file)."""
    assembly = Assembly.objects.select_for_update().get(pk=document.assembly_id)
    if assembly.status == Assembly.Status.CLOSED:
        raise ValidationError(_("This assembly is closed."))
    audit.record(actor=actor, action="assembly.document_delete", obj=assembly,
                 changes={"document": [document.title, ""]}, request=request)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def bylaws_save(*, form, actor, request=None):
    """Staff change the by-laws' text (audited with the changes)."""
    return audit.save_form(form, actor=actor, action="bylaws.update", request=request)
