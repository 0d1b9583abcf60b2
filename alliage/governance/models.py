"""Governance: by-laws figures, assemblies (attendance, proxies, resolutions), the board,
and secret-ballot elections.

Ballot secrecy is a property of the schema (``docs/decisions/0010-secret-ballots.md``):
``VoterMark`` says which organisation has voted, ``Ballot`` what was chosen; neither has a
time column or a sequential id (random UUIDs), and there is no relation between them. At
close, ballots are rewritten in random order so their physical order in the table does not
follow the order of the votes either.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated


class Bylaws(models.Model):
    """The by-laws' figures the software applies (one row, edited by staff)."""

    notice_days = models.PositiveSmallIntegerField(
        _("notice period (days)"), default=10,
        help_text=_("Days between the convocation and the assembly, at least."))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percentage of members in good standing)"), default=10)
    max_proxies = models.PositiveSmallIntegerField(
        _("proxies one member may hold"), default=2)
    tie_rule = models.CharField(
        _("tie rule"), max_length=300, blank=True,
        default="En cas d'égalité pour le dernier siège, un second tour entre les candidats "
                "à égalité; s'il y a encore égalité, tirage au sort devant l'assemblée.")

    class Meta:
        verbose_name = _("by-laws")
        verbose_name_plural = _("by-laws")
        constraints = [models.CheckConstraint(condition=Q(quorum_percent__lte=100),
                                              name="bylaws_quorum_is_a_percentage")]

    def __str__(self):
        return str(_("by-laws"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls.objects.create()


class Assembly(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual general assembly")
        SPECIAL = "special", _("Special assembly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONVENED = "convened", _("Convened")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ANNUAL)
    title_fr = models.CharField(_("French title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    agenda_fr = models.TextField(_("agenda (French)"), blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    # Frozen at close: the figures of the minutes stay what they were that day.
    members_at_close = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")

    def __str__(self):
        return self.title_fr

    title = translated()

    agenda = translated()


class Attendance(models.Model):
    """A member organisation present at an assembly, through its one representative."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="assembly_attendances",
                                     verbose_name=_("organisation"))
    representative = models.ForeignKey("members.Contact", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="assembly_attendances",
                                       verbose_name=_("representative"))
    mode = models.CharField(_("attendance"), max_length=10, choices=Mode.choices,
                            default=Mode.IN_PERSON)
    checked_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assembly", "organisation"],
                                               name="one_representative_per_organisation")]

    def __str__(self):
        return f"{self.assembly_id}:{self.organisation_id}"


class Proxy(models.Model):
    """A member organisation gives its vote at an assembly to another member."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                              related_name="proxies_given", verbose_name=_("member giving"))
    holder = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                               related_name="proxies_held", verbose_name=_("member holding"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assembly", "giver"], name="one_proxy_per_giver"),
            models.CheckConstraint(condition=~Q(giver=F("holder")),
                                   name="proxy_to_another_member"),
        ]

    def __str__(self):
        return f"{self.giver_id}→{self.holder_id}"


def _document_path(instance, filename):
    return f"governance/{instance.assembly_id}/{uuid.uuid4().hex}/{filename}"


class AssemblyDocument(models.Model):
    """A document of the convocation (financial statements, last minutes…), read by the
    members and the staff through ``governance:document``, never under /media/."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial statements")
        MINUTES = "minutes", _("Minutes of the last assembly")
        OTHER = "other", _("Other document")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path)

    class Meta:
        ordering = ["kind", "title", "pk"]
        verbose_name = _("assembly document")
        verbose_name_plural = _("assembly documents")

    def __str__(self):
        return self.title

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]


class Resolution(models.Model):
    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("To be voted")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("number"))
    title_fr = models.CharField(_("French title"), max_length=200)
    text_fr = models.TextField(_("resolution (French)"), blank=True)
    majority = models.CharField(_("majority"), max_length=10, choices=Majority.choices,
                                default=Majority.SIMPLE)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices,
                               default=Outcome.PENDING)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["assembly", "number"],
                                               name="resolution_number_per_assembly")]

    def __str__(self):
        return f"{self.number}. {self.title_fr}"


class BoardMember(models.Model):
    class Role(models.TextChoices):
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        TREASURER = "treasurer", _("Treasurer")
        SECRETARY = "secretary", _("Secretary")
        DIRECTOR = "director", _("Director")

    full_name = models.CharField(_("name"), max_length=200)
    contact = models.ForeignKey("members.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="board_seats")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="board_seats",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices,
                            default=Role.DIRECTOR)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    election = models.ForeignKey("Election", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="board_members")

    class Meta:
        ordering = ["term_end", "role", "full_name"]
        constraints = [models.CheckConstraint(condition=Q(term_end__gt=F("term_start")),
                                              name="board_term_ends_after_it_starts")]

    def __str__(self):
        return self.full_name


class ElectionQuerySet(models.QuerySet):
    def visible_to_members(self):
        """Elections members see: every one past its draft, and drafts taking nominations."""
        return self.exclude(Q(status=Election.Status.DRAFT) & (
            Q(nominations_close__isnull=True) | Q(nominations_close__lte=timezone.now())))


class Election(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Results published")

    title_fr = models.CharField(_("French title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    assembly = models.ForeignKey(Assembly, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="elections", verbose_name=_("assembly"))
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, help_text=_("A ballot may name up to this many candidates."))
    nominations_close = models.DateTimeField(
        _("nominations close"), null=True, blank=True,
        help_text=_("Until then, members in good standing may put a candidacy forward from "
                    "the election's page (empty: the staff enter the candidates)."))
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")),
                                   name="election_closes_after_it_opens"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_has_a_seat"),
        ]

    def __str__(self):
        return self.title_fr

    title = translated()

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    def takes_nominations(self, now=None):
        now = now or timezone.now()
        return (self.status == self.Status.DRAFT and self.nominations_close is not None
                and now < self.nominations_close)

    @property
    def results_known(self):
        return self.status in (self.Status.CLOSED, self.Status.PUBLISHED)


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    full_name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey("members.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="candidacies",
                                     verbose_name=_("organisation"))
    statement_fr = models.TextField(_("statement (French)"), blank=True)
    statement_en = models.TextField(_("statement (English)"), blank=True)
    # A candidacy a member put forward waits for the staff (eligibility per the by-laws).
    approved = models.BooleanField(_("approved"), default=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["full_name", "pk"]

    def __str__(self):
        return self.full_name

    statement = translated()


class VoterMark(models.Model):
    """This organisation has voted in this election. Nothing else: no time, no ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "organisation"],
                                               name="one_vote_per_organisation")]

    def __str__(self):
        return f"{self.election_id}:{self.organisation_id}"


class Ballot(models.Model):
    """What one ballot chose (candidate ids, sorted). No voter, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(default=list)

    def __str__(self):
        return f"{self.election_id}:{self.pk}"
