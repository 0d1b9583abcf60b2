"""Member advantages: programs (PAE, insurance...) and partner discounts, group purchases,
pooled resources and their bookings, shared collection rounds.

Use of the employee-assistance plan is confidential by nature: no model here can say which
employee consulted. The provider's figures are aggregated per program and quarter
(``UsageReport``) and typed by staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated


class PricingRule(models.TextChoices):
    FLAT = "flat", _("Flat yearly price")
    PER_EMPLOYEE = "per_employee", _("Price per employee per year")
    TIERED = "tiered", _("Yearly price by company size")


class AdvantageQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Advantage(models.Model):
    """A program members enrol in (priced) or a partner discount they claim."""

    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program with enrolment")
        DISCOUNT = "discount", _("Partner discount")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.PROGRAM)
    slug = models.SlugField(max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    provider = models.CharField(_("provider"), max_length=150)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    conditions_fr = models.TextField(_("conditions (French)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    document = models.FileField(_("document"), upload_to="advantages/", blank=True)
    is_active = models.BooleanField(_("offered now"), default=True)
    pricing_rule = models.CharField(_("pricing rule"), max_length=15,
                                    choices=PricingRule.choices, default=PricingRule.FLAT)
    price_cents = models.PositiveIntegerField(
        _("price (cents)"), default=0,
        help_text=_("Flat: the yearly price. Per employee: the price per employee per year. "
                    "Tiered: unused (see the tiers)."))
    # The PAE's coverage: hours of consultation included per employee, per spouse, per child.
    hours_employee = models.PositiveSmallIntegerField(_("hours per employee or manager"),
                                                      default=0)
    hours_spouse = models.PositiveSmallIntegerField(_("hours per spouse"), default=0)
    hours_child = models.PositiveSmallIntegerField(_("hours per child"), default=0)
    discount_code = models.CharField(_("discount code"), max_length=60, blank=True)
    discount_contact = models.CharField(_("who to contact for the discount"), max_length=200,
                                        blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdvantageQuerySet.as_manager()

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("advantage")
        verbose_name_plural = _("advantages")

    def __str__(self):
        return self.name

    name = translated()

    description = translated()

    conditions = translated()

    @property
    def includes_hours(self):
        return bool(self.hours_employee or self.hours_spouse or self.hours_child)

    def get_absolute_url(self):
        return reverse("advantages:detail", args=[self.slug])


class PriceTier(models.Model):
    """A size band of a tiered program: companies of ``min_employees`` to ``max_employees``
    (open-ended when empty) pay ``price_cents`` a year."""

    advantage = models.ForeignKey(Advantage, on_delete=models.CASCADE, related_name="tiers")
    min_employees = models.PositiveIntegerField(_("from (employees)"))
    max_employees = models.PositiveIntegerField(_("to (employees)"), null=True, blank=True)
    price_cents = models.PositiveIntegerField(_("yearly price (cents)"))

    class Meta:
        ordering = ["min_employees"]
        constraints = [models.UniqueConstraint(fields=["advantage", "min_employees"],
                                               name="advantage_tier_unique_min")]

    def __str__(self):
        return f"{self.min_employees}–{self.max_employees or '∞'}"


class EnrolmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(status=Enrolment.Status.ACTIVE, period_start__lte=on,
                           period_end__gte=on)


class Enrolment(models.Model):
    """A company enrolled in a program for one yearly period (a renewal is a new row)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    advantage = models.ForeignKey(Advantage, on_delete=models.PROTECT,
                                  related_name="enrolments")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="advantage_enrolments")
    employees = models.PositiveIntegerField(_("employees covered"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    renewed_from = models.OneToOneField("self", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="renewal")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [models.UniqueConstraint(fields=["advantage", "organisation",
                                                       "period_start"],
                                               name="enrolment_unique_period")]

    def __str__(self):
        return f"{self.advantage} — {self.organisation} ({self.period_start:%Y})"

    @property
    def hours_included(self):
        """Hours for the employees and their spouses (children: per child on top)."""
        a = self.advantage
        return self.employees * (a.hours_employee + a.hours_spouse)


class UsageReport(models.Model):
    """The provider's aggregated figures for one program and quarter, typed by staff; never
    per employee, never per company."""

    advantage = models.ForeignKey(Advantage, on_delete=models.CASCADE,
                                  related_name="usage_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"),
                                               choices=[(q, f"T{q}") for q in (1, 2, 3, 4)])
    sessions = models.PositiveIntegerField(_("sessions"))
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, default=0)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["advantage", "year", "quarter"],
                                               name="usage_report_unique_quarter")]

    def __str__(self):
        return f"{self.advantage} {self.year}-T{self.quarter}"


class DiscountClaim(models.Model):
    """A member person claimed a partner discount (counts the discount's use)."""

    advantage = models.ForeignKey(Advantage, on_delete=models.CASCADE, related_name="claims")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    contact = models.ForeignKey("members.Contact", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self):
        return f"{self.advantage} — {self.organisation_id}"


# --- Group purchasing ---------------------------------------------------------------------

class GroupPurchaseQuerySet(models.QuerySet):
    def visible(self):
        return self.exclude(status=GroupPurchase.Status.DRAFT)

    def due(self, now=None):
        return self.filter(status=GroupPurchase.Status.OPEN,
                           deadline__lte=now or timezone.now())


class GroupPurchase(models.Model):
    """A purchasing campaign: members pledge quantities until the deadline; the tier the
    total reaches fixes one unit price for all."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open to pledges")
        CLOSED = "closed", _("Closed: order placed")
        FAILED = "failed", _("Closed: minimum not reached")

    slug = models.SlugField(max_length=80, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    supplier = models.CharField(_("supplier"), max_length=150)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. pair, litre, box"))
    list_price_cents = models.PositiveIntegerField(_("list unit price (cents)"))
    minimum_quantity = models.PositiveIntegerField(_("minimum total quantity"), default=0)
    deadline = models.DateTimeField(_("pledge deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    final_unit_price_cents = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupPurchaseQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("group purchase")

    def __str__(self):
        return self.title

    title = translated()

    description = translated()

    def get_absolute_url(self):
        return reverse("advantages:purchase", args=[self.slug])

    def committed(self):
        return self.pledges.filter(quantity__gt=0).aggregate(t=Sum("quantity"))["t"] or 0

    def accepts_pledges(self, now=None):
        return self.status == self.Status.OPEN and (now or timezone.now()) < self.deadline


class VolumeTier(models.Model):
    """From ``min_quantity`` units committed in total, every unit costs ``unit_price_cents``."""

    purchase = models.ForeignKey(GroupPurchase, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField(_("from total quantity"))
    unit_price_cents = models.PositiveIntegerField(_("unit price (cents)"))

    class Meta:
        ordering = ["min_quantity"]
        constraints = [models.UniqueConstraint(fields=["purchase", "min_quantity"],
                                               name="volume_tier_unique_min")]

    def __str__(self):
        return f"≥ {self.min_quantity}"


class Pledge(models.Model):
    """One company's committed quantity in a campaign (0 = withdrawn; history kept)."""

    purchase = models.ForeignKey(GroupPurchase, on_delete=models.PROTECT,
                                 related_name="pledges")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="pledges")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_cents = models.PositiveIntegerField(null=True, blank=True)  # set at closing
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__legal_name"]
        constraints = [models.UniqueConstraint(fields=["purchase", "organisation"],
                                               name="pledge_unique_company")]

    def __str__(self):
        return f"{self.purchase} — {self.organisation_id}: {self.quantity}"

    @property
    def saving_cents(self):
        if self.unit_price_cents is None:
            return 0
        return (self.purchase.list_price_cents - self.unit_price_cents) * self.quantity


class PledgeChange(models.Model):
    """Every change of a pledge, kept (who, when, from what to what)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="changes")
    quantity_before = models.PositiveIntegerField()
    quantity_after = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.quantity_before} → {self.quantity_after}"


# --- Pooled resources ---------------------------------------------------------------------

class SharedResource(models.Model):
    """Equipment, a shared specialist or transport offered by the association (no owner) or
    by a member company, booked by the hour."""

    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment")
        SPECIALIST = "specialist", _("Shared specialist")
        TRANSPORT = "transport", _("Shared transport")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    owner = models.ForeignKey("members.Organisation", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="shared_resources",
                              verbose_name=_("owner (empty: the association)"))
    hourly_rate_cents = models.PositiveIntegerField(_("price per hour (cents)"), default=0)
    monthly_cost_cents = models.PositiveIntegerField(
        _("monthly cost to share (cents)"), default=0,
        help_text=_("When set, each month's cost is split between the companies in proportion "
                    "to the hours they booked, instead of the price per hour."))
    is_active = models.BooleanField(_("offered now"), default=True)

    class Meta:
        ordering = ["name_fr"]

    def __str__(self):
        return self.name

    name = translated()

    def get_absolute_url(self):
        return reverse("advantages:resource", args=[self.pk])


class BookingQuerySet(models.QuerySet):
    def holding(self):
        """Bookings that hold their slot (waiting for the owner, or approved)."""
        return self.filter(status__in=[Booking.Status.PENDING, Booking.Status.APPROVED])

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the owner")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    resource = models.ForeignKey(SharedResource, on_delete=models.PROTECT,
                                 related_name="bookings")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="resource_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="booking_ends_after_start")]

    def __str__(self):
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self):
        return (self.ends_at - self.starts_at).total_seconds() / 3600


# --- Shared selective collection ----------------------------------------------------------

class Material(models.TextChoices):
    CARDBOARD = "cardboard", _("Cardboard")
    METALS = "metals", _("Metals")
    PLASTICS = "plastics", _("Plastics")
    WOOD = "wood", _("Wood")
    PALLETS = "pallets", _("Pallets")


class CollectionSubscription(models.Model):
    """A member company joined the collection of one material, with its estimated volume
    per pick-up."""

    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE,
                                     related_name="collection_subscriptions")
    material = models.CharField(_("material"), max_length=10, choices=Material.choices)
    estimated_kg = models.PositiveIntegerField(_("estimated kilograms per pick-up"))
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__legal_name", "material"]
        constraints = [models.UniqueConstraint(fields=["organisation", "material"],
                                               name="collection_subscription_unique")]

    def __str__(self):
        return f"{self.organisation} — {self.material}"


class CollectionRound(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    date = models.DateField(_("date"))
    material = models.CharField(_("material"), max_length=10, choices=Material.choices)
    collector = models.CharField(_("collector"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    # Kilometres of the visiting order as entered and as optimised (same depot both ways).
    entry_km = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    planned_km = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    solver = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_material_display()} {self.date}"


class CollectionStop(models.Model):
    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="stops")
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="collection_stops")
    entry_position = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    estimated_kg = models.PositiveIntegerField(default=0)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=9, decimal_places=1,
                                    null=True, blank=True)
    weighed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "organisation"],
                                               name="collection_stop_unique")]

    def __str__(self):
        return f"{self.round} #{self.position}"
