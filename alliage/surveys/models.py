"""Surveys: questions staff write, and the members' (or the public's) responses.

Anonymity is a property of the schema, not a promise of the pages: an anonymous survey's
``Response`` rows carry no contact, no organisation, no time and a random id; who has
answered is written apart in ``Participation`` (a random id too, no time), which is what
enforces "one response per person / per organisation". At close, anonymous responses are
rewritten in random order so not even their physical order follows the order of arrival
(``services.survey_close``; ``docs/decisions/0010-secret-ballots.md``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import pick, translated
from alliage.members.models import Segment


def segment_members(segment):
    """The member organisations ``segment`` (a saved CRM filter) selects today; none when
    its saved filter no longer validates (never "everyone", as the CRM list would show)."""
    from alliage.members.models import Organisation
    from alliage.members.selectors import crm_queryset

    selected, form = crm_queryset(segment.query)
    if not form.is_valid():
        return Organisation.objects.none()
    return Organisation.objects.members().filter(pk__in=selected.values("pk"))


def segment_includes(segment, user):
    """Whether one of the member organisations ``user`` belongs to is in ``segment`` today."""
    from alliage.members.models import Organisation

    mine = Organisation.objects.members().of_user(user).values("pk")
    return segment_members(segment).filter(pk__in=mine).exists()


class SurveyQuerySet(models.QuerySet):
    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Survey.Status.OPEN, opens_at__lte=now, closes_at__gt=now)

    def visible_to(self, user):
        """The open surveys a viewer may answer (audience rules, not participation)."""
        from alliage.core.roles import is_member, is_staff

        qs = self.open_now()
        if is_staff(user):
            return qs
        allowed = Q(audience=Survey.Audience.PUBLIC)
        if is_member(user):
            allowed |= Q(audience=Survey.Audience.MEMBERS)
            segment_ids = [s.pk for s in Segment.objects.filter(
                surveys__in=qs.filter(audience=Survey.Audience.SEGMENT)).distinct()
                if segment_includes(s, user)]
            allowed |= Q(audience=Survey.Audience.SEGMENT, segment_id__in=segment_ids)
        if getattr(user, "contact_id", None):
            allowed |= Q(audience=Survey.Audience.ATTENDEES,
                         event__registrations__contact_id=user.contact_id,
                         event__registrations__status="confirmed")
        return qs.filter(allowed).distinct()


class Survey(models.Model):
    class Audience(models.TextChoices):
        MEMBERS = "members", _("All members")
        PUBLIC = "public", _("Anyone with the link")
        ATTENDEES = "attendees", _("Attendees of one event")
        SEGMENT = "segment", _("Member companies of a CRM segment")

    class Per(models.TextChoices):
        PERSON = "person", _("One response per person")
        ORGANISATION = "organisation", _("One response per organisation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title_fr = models.CharField(_("French title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    intro_fr = models.TextField(_("French introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices,
                                default=Audience.MEMBERS)
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="surveys", verbose_name=_("event"),
                              help_text=_("Only for the audience “attendees of one event”."))
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="surveys", verbose_name=_("segment"),
                                help_text=_("Only for the audience “member companies of a "
                                            "CRM segment”."))
    per = models.CharField(_("responses"), max_length=12, choices=Per.choices,
                           default=Per.PERSON)
    anonymous = models.BooleanField(
        _("anonymous"), default=False,
        help_text=_("Responses keep no link to the person or the organisation that gave "
                    "them. Cannot be changed once the survey has responses."))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="survey_closes_after_it_opens"),
            models.CheckConstraint(
                condition=Q(audience="attendees", event__isnull=False) | ~Q(audience="attendees"),
                name="survey_attendees_need_an_event"),
            models.CheckConstraint(
                condition=Q(audience="segment", segment__isnull=False) | ~Q(audience="segment"),
                name="survey_segment_audience_needs_a_segment"),
        ]

    def __str__(self):
        return self.title_fr

    title = translated()

    intro = translated()

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        RANKING = "ranking", _("Ranking")
        MATRIX = "matrix", _("Matrix (rows × columns)")
        # Not a question: a heading over the questions that follow it (until the next one).
        # It holds no answer, is never required and never a condition.
        SECTION = "section", _("Section (a heading, not a question)")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    # Kinds whose choices (one per line) the staff write.
    LISTED_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text_fr = models.CharField(_("French question"), max_length=300)
    text_en = models.CharField(_("English question"), max_length=300, blank=True)
    choices_fr = models.TextField(_("French choices"), blank=True,
                                  help_text=_("One per line (choice questions)."))
    choices_en = models.TextField(_("English choices"), blank=True,
                                  help_text=_("One per line, in the same order."))
    note_fr = models.CharField(_("French short text"), max_length=500, blank=True,
                               help_text=_("Optional, shown under the title or question."))
    note_en = models.CharField(_("English short text"), max_length=500, blank=True)
    rows_fr = models.TextField(_("French rows"), blank=True,
                               help_text=_("Matrix: one statement per line; the choices are "
                                           "the columns every row is rated on."))
    rows_en = models.TextField(_("English rows"), blank=True,
                               help_text=_("One per line, in the same order."))
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    required = models.BooleanField(_("required"), default=False)
    # Skip logic: shown only when an earlier choice question got this choice (0-based).
    show_if = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("shown only if question"))
    show_if_choice = models.PositiveSmallIntegerField(_("has the answer number"), null=True,
                                                      blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")),
                                   name="question_scale_is_a_range"),
            models.CheckConstraint(
                condition=~Q(kind="section") | Q(required=False, show_if__isnull=True),
                name="a_section_is_never_required_nor_conditional"),
        ]

    def __str__(self):
        return self.text_fr

    text = translated()

    note = translated()

    @property
    def is_section(self):
        return self.kind == self.Kind.SECTION

    def choice_list(self, language=None):
        return _lines(self.choices_fr, self.choices_en, language)

    @property
    def choices(self):
        return self.choice_list()

    @property
    def rows(self):
        """A matrix's statements (rows), in the reader's language."""
        return _lines(self.rows_fr, self.rows_en)

    @property
    def is_choice(self):
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self):
        return self.kind in (self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT)


def in_sections(questions, items=None, question_of=None):
    """Group ``items`` (one per question, default the questions themselves; sections left
    out) under the section that precedes their question: [(section or None, [item])].
    Sections with no item (all their questions hidden, or none) are left out."""
    questions = list(questions)
    if items is None:
        items = [q for q in questions if not q.is_section]
        question_of = question_of or (lambda item: item)
    by_question = {question_of(item).pk: item for item in items}
    groups, current = [], (None, [])
    for q in questions:
        if q.is_section:
            if current[1]:
                groups.append(current)
            current = (q, [])
        elif q.pk in by_question:
            current[1].append(by_question[q.pk])
    if current[1]:
        groups.append(current)
    return groups


def _lines(text_fr, text_en, language=None):
    fr = [c.strip() for c in text_fr.splitlines() if c.strip()]
    en = [c.strip() for c in text_en.splitlines() if c.strip()]
    if language == "fr":
        return fr
    return [pick(f, en[i] if i < len(en) else "") for i, f in enumerate(fr)]


class Participation(models.Model):
    """Who has answered, apart from what they answered: no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    contact = models.ForeignKey("members.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    # Visitors of a public survey: a hash of their browser's key, only to refuse a second
    # response from the same browser (it names no one).
    visitor = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "contact"], name="one_response_per_person",
                                    condition=Q(contact__isnull=False)),
            models.UniqueConstraint(fields=["survey", "organisation"],
                                    name="one_response_per_organisation",
                                    condition=Q(organisation__isnull=False)),
            models.UniqueConstraint(fields=["survey", "visitor"], name="one_response_per_visitor",
                                    condition=~Q(visitor="")),
        ]

    def __str__(self):
        return f"{self.survey_id}:{self.pk}"


class Response(models.Model):
    """One set of answers. Anonymous: no contact, no organisation, no date, a random id; only
    the respondent's sector, size and town (for cross-tabs shown from 5 respondents up)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    contact = models.ForeignKey("members.Contact", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="survey_responses")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="survey_responses")
    submitted_on = models.DateField(null=True, blank=True)
    sector = models.CharField(max_length=120, blank=True)
    size = models.CharField(max_length=20, blank=True)
    town = models.CharField(max_length=120, blank=True)
    answers = models.JSONField(default=dict)   # {question id (str): value}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "contact"],
                                    name="one_identified_response_per_person",
                                    condition=Q(contact__isnull=False)),
        ]

    def __str__(self):
        return f"{self.survey_id}:{self.pk}"


class Draft(models.Model):
    """Answers saved to finish later, by one person (or one browser for a public survey).

    Deleted in the transaction that stores the response, and at close: an anonymous
    survey's answers are linked to their author only while they are still being written,
    and only the author sees them (never the staff's pages, the API or exports)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    contact = models.ForeignKey("members.Contact", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="+")
    visitor = models.CharField(max_length=64, blank=True)
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "contact"], name="one_draft_per_person",
                                    condition=Q(contact__isnull=False)),
            models.UniqueConstraint(fields=["survey", "visitor"], name="one_draft_per_visitor",
                                    condition=~Q(visitor="")),
            models.CheckConstraint(condition=Q(contact__isnull=False) | ~Q(visitor=""),
                                   name="draft_has_an_author"),
        ]

    def __str__(self):
        return f"{self.survey_id}:{self.pk}"
