"""Support services: funding programs and members' projects, support cases, the strategic plan.

- ``FundingProgram``: the catalogue staff keep (funder, objectives, who is eligible, amounts,
  intake dates). ``eligibility.assess`` ranks programs for a ``Project`` a member describes.
- ``SupportCase``: a member's request for help (financing, export, hiring...) that staff own
  until its outcome (financing obtained in $, contract won, referral made).
- ``Plan`` > ``Axis`` > ``Objective`` > ``Action`` and ``Indicator``: the strategic plan; an
  indicator reads a figure the platform holds (``indicators.SOURCES``) or typed ``Reading``s.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated


class Theme(models.TextChoices):
    AUTOMATION = "automation", _("Automation and digital")
    EXPORT = "export", _("Export and new markets")
    TRAINING = "training", _("Training")
    ENERGY = "energy", _("Energy efficiency")
    HIRING = "hiring", _("Hiring and workforce")
    CIRCULARITY = "circularity", _("Circular economy")
    INNOVATION = "innovation", _("Research and innovation")
    INVESTMENT = "investment", _("Equipment and expansion")


class FundingLevel(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    PROVINCIAL = "provincial", _("Provincial")
    REGIONAL = "regional", _("Regional")
    PRIVATE = "private", _("Private")


class FundingProgramQuerySet(models.QuerySet):
    def offered(self, on=None):
        """Programs staff keep open: active and not past their deadline."""
        on = on or timezone.localdate()
        return self.filter(is_active=True).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=on))


class FundingProgram(models.Model):
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    funder = models.CharField(_("funder"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=FundingLevel.choices)
    objectives_fr = models.TextField(_("objectives (French)"))
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    eligible_costs_fr = models.TextField(_("eligible costs (French)"), blank=True)
    eligible_costs_en = models.TextField(_("eligible costs (English)"), blank=True)
    themes = models.JSONField(_("themes"), default=list,
                              help_text=_("The kinds of project it funds."))
    sectors = models.ManyToManyField("members.Sector", blank=True, related_name="+",
                                     verbose_name=_("eligible sectors (SCIAN)"),
                                     help_text=_("None: every sector."))
    regions = models.ManyToManyField("core.Region", blank=True, related_name="+",
                                     verbose_name=_("eligible regions"),
                                     help_text=_("None: everywhere in Québec."))
    min_employees = models.PositiveIntegerField(_("minimum employees"), null=True, blank=True)
    max_employees = models.PositiveIntegerField(_("maximum employees"), null=True, blank=True)
    max_amount_cents = models.PositiveBigIntegerField(_("maximum amount (cents)"), null=True,
                                                      blank=True)
    rate_percent = models.PositiveSmallIntegerField(_("share of eligible costs (%)"), null=True,
                                                    blank=True)
    min_budget_cents = models.PositiveBigIntegerField(_("minimum project budget (cents)"),
                                                      null=True, blank=True)
    opens_on = models.DateField(_("intake opens"), null=True, blank=True)
    closes_on = models.DateField(_("deadline"), null=True, blank=True)
    continuous_intake = models.BooleanField(_("continuous intake"), default=False)
    url = models.URLField(_("official page"), blank=True)
    is_active = models.BooleanField(_("offered now"), default=True)
    reviewed_on = models.DateField(_("last checked by staff"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FundingProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("funding program")
        verbose_name_plural = _("funding programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_employees__isnull=True) | Q(max_employees__isnull=True)
                | Q(min_employees__lte=models.F("max_employees")),
                name="support_program_employee_range"),
            models.CheckConstraint(
                condition=Q(rate_percent__isnull=True) | Q(rate_percent__lte=100),
                name="support_program_rate_le_100"),
        ]

    def __str__(self):
        return self.name

    name = translated()

    objectives = translated()

    eligible_costs = translated()

    def theme_labels(self):
        labels = dict(Theme.choices)
        return [labels[t] for t in self.themes if t in labels]


class Project(models.Model):
    """A member company's project, described to find the programs that may fund it."""

    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE,
                                     related_name="support_projects")
    title = models.CharField(_("project"), max_length=200)
    theme = models.CharField(_("kind of project"), max_length=12, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True)
    budget_cents = models.PositiveBigIntegerField(_("budget (cents)"))
    starts_on = models.DateField(_("start"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.title


class CaseKind(models.TextChoices):
    FINANCING = "financing", _("Financing")
    EXPORT = "export", _("Export")
    HIRING = "hiring", _("Hiring")
    SUPPLIER = "supplier", _("Finding a supplier")
    PERMIT = "permit", _("Permit or regulation")
    DISPUTE = "dispute", _("Dispute with a client")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the member")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    NONE = "", _("No outcome yet")
    FINANCING = "financing", _("Financing obtained")
    CONTRACT = "contract", _("Contract won")
    REFERRAL = "referral", _("Referral made")
    ADVICE = "advice", _("Advice given")
    NOT_PURSUED = "not_pursued", _("Not pursued")


class SupportCaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=CaseStatus.CLOSED)

    def overdue_first(self, today=None):
        """Open cases past their due date first (oldest due first), then the rest by date."""
        today = today or timezone.localdate()
        late = models.Case(models.When(Q(due_on__lt=today) & ~Q(status=CaseStatus.CLOSED),
                                       then=0), default=1)
        return self.annotate(_late=late).order_by("_late", models.F("due_on").asc(
            nulls_last=True), "-opened_at")


class SupportCase(models.Model):
    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE,
                                     related_name="support_cases")
    requested_by = models.ForeignKey("members.Contact", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="support_cases",
                                     verbose_name=_("requested by"))
    kind = models.CharField(_("kind of help"), max_length=12, choices=CaseKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what the member needs"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="cases")
    program = models.ForeignKey(FundingProgram, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="cases",
                                verbose_name=_("funding program"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="support_cases",
                              verbose_name=_("staff owner"))
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN, db_index=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               blank=True, default="")
    outcome_amount_cents = models.PositiveBigIntegerField(_("financing obtained (cents)"),
                                                          null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SupportCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="support_case_closed_has_date"),
        ]

    def __str__(self):
        return self.subject

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status != CaseStatus.CLOSED and self.due_on is not None and self.due_on < today


class CaseNote(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField(_("note"))
    shared_with_member = models.BooleanField(_("visible to the member"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self):
        return self.body[:60]


class Plan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    starts_year = models.PositiveSmallIntegerField(_("first year"))
    ends_year = models.PositiveSmallIntegerField(_("last year"))
    summary = models.TextField(_("summary"), blank=True)
    consultation_url = models.CharField(_("member consultation (link)"), max_length=300,
                                        blank=True)

    class Meta:
        ordering = ["-starts_year"]
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        constraints = [models.CheckConstraint(condition=Q(starts_year__lte=models.F("ends_year")),
                                              name="support_plan_years")]

    def __str__(self):
        return self.title


class Axis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("axis"), max_length=200)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")

    def __str__(self):
        return self.title


class Objective(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("objective"), max_length=250)

    class Meta:
        ordering = ["axis", "position"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.title


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDERWAY = "underway", _("Underway")
        DONE = "done", _("Done")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=250)
    owner = models.CharField(_("responsible"), max_length=120, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)

    class Meta:
        ordering = ["objective", "due_on"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    source = models.CharField(_("source"), max_length=40, blank=True,
                              help_text=_("A figure the platform holds, or empty to type the "
                                          "values by hand."))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"))

    class Meta:
        ordering = ["objective", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class Reading(models.Model):
    """A value typed by staff for an indicator without a platform source, with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source_note = models.CharField(_("where the figure comes from"), max_length=200)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"],
                                               name="support_one_reading_a_year")]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


def _document_path(instance, filename):
    # A random name on disk: the shown name never reaches the file system.
    from django.utils.crypto import get_random_string

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"support-cases/{instance.case_id}/{get_random_string(20)}.{ext}"


class CaseDocument(models.Model):
    """A document attached to a support case (a quote, a financing form, a permit...).

    Private: served only through views that check the company or staff (never under the
    public /media/ folders); staff may keep a document internal."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    from_member = models.BooleanField(default=False)
    shared_with_member = models.BooleanField(_("visible to the member"), default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self):
        return self.filename
