"""Organisations, people, sectors and memberships: the association's network."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated
from alliage.core.models import Municipality, Park
from alliage.core.text import fold
from alliage.members.validators import validate_neq, validate_phone, validate_postal_code


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")
    STAFF = "staff", _("Staff only")


VISIBILITY_RANK = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.STAFF: 2}


class Sector(models.Model):
    """A SCIAN (NAICS Canada 2022) code: 2-digit sector down to 6-digit industry."""

    code = models.CharField(_("SCIAN code"), max_length=6, unique=True)
    name_fr = models.CharField(_("French title"), max_length=200)
    name_en = models.CharField(_("English title"), max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector (SCIAN)")
        verbose_name_plural = _("sectors (SCIAN)")

    def __str__(self):
        return f"{self.code} {self.name}"

    name = translated()

    @property
    def top(self):
        """The 2-digit sector (31-33 manufacturing share one family)."""
        return self.code[:2]


class Tag(models.Model):
    """A product or capability keyword (e.g. "usinage CNC")."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self):
        return self.name


class SizeBand(models.TextChoices):
    MICRO = "1-4", _("1 to 4 employees")
    SMALL = "5-19", _("5 to 19 employees")
    MEDIUM = "20-49", _("20 to 49 employees")
    LARGE = "50-199", _("50 to 199 employees")
    XL = "200+", _("200 employees or more")


def size_band(employees):
    if employees is None:
        return ""
    for band, low in (("200+", 200), ("50-199", 50), ("20-49", 20), ("5-19", 5)):
        if employees >= low:
            return band
    return "1-4"


SIZE_BAND_RANGES = {"1-4": (0, 4), "5-19": (5, 19), "20-49": (20, 49),
                    "50-199": (50, 199), "200+": (200, None)}


def place_point(place):
    """(lat, lon) of an organisation or a site: its coordinates, else its park's, else its
    municipality's; None when nothing is known."""
    if place.latitude is not None and place.longitude is not None:
        return float(place.latitude), float(place.longitude)
    if place.park_id:
        return float(place.park.latitude), float(place.park.longitude)
    if place.municipality_id:
        return float(place.municipality.latitude), float(place.municipality.longitude)
    return None


class OrganisationQuerySet(models.QuerySet):
    def members(self):
        """Organisations whose membership is active or in grace today."""
        return self.filter(member_status__in=[MemberStatus.ACTIVE, MemberStatus.GRACE])

    def for_directory(self):
        return (self.members().filter(is_listed=True)
                .select_related("municipality", "park", "primary_sector"))

    def search(self, query):
        folded = fold(query)
        if not folded:
            return self
        qs = self
        for word in folded.split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def administered_by(self, user):
        if not getattr(user, "is_authenticated", False) or not user.contact_id:
            return self.none()
        return self.filter(affiliations__contact_id=user.contact_id,
                           affiliations__is_admin=True,
                           affiliations__ended_on__isnull=True).distinct()

    def of_user(self, user):
        if not getattr(user, "is_authenticated", False) or not user.contact_id:
            return self.none()
        return self.filter(affiliations__contact_id=user.contact_id,
                           affiliations__ended_on__isnull=True).distinct()


class MemberStatus(models.TextChoices):
    NONE = "none", _("Not a member")
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    GRACE = "grace", _("In grace period")
    LAPSED = "lapsed", _("Lapsed")


class Organisation(models.Model):
    """Any company or body, member or not."""

    # Default visibility of each field; organisations may tighten or loosen it.
    DEFAULT_VISIBILITY = {
        "website": Visibility.PUBLIC, "description": Visibility.PUBLIC,
        "phone": Visibility.PUBLIC, "email": Visibility.MEMBERS,
        "street": Visibility.PUBLIC, "employees": Visibility.MEMBERS,
        "tags": Visibility.PUBLIC, "certifications": Visibility.PUBLIC,
        "founded_year": Visibility.PUBLIC, "neq": Visibility.STAFF,
        "secondary_sectors": Visibility.PUBLIC,
    }

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    neq = models.CharField(_("Québec enterprise number (NEQ)"), max_length=10, blank=True,
                           validators=[validate_neq])
    primary_sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="primary_organisations",
                                       verbose_name=_("primary sector (SCIAN)"))
    secondary_sectors = models.ManyToManyField(Sector, blank=True, related_name="+",
                                               verbose_name=_("other sectors (SCIAN)"))
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True,
                                 editable=False, db_index=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="organisations",
                                     verbose_name=_("municipality"))
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True,
                                   validators=[validate_postal_code])
    park = models.ForeignKey(Park, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="organisations", verbose_name=_("industrial park"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True,
                                    blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("general email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="organisations",
                                  verbose_name=_("products and capabilities"))
    certifications = models.CharField(_("certifications"), max_length=300, blank=True,
                                      help_text=_("Comma-separated, e.g. ISO 9001, ISO 14001"))
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    field_visibility = models.JSONField(_("field visibility"), default=dict, blank=True)
    is_listed = models.BooleanField(_("listed in the public directory"), default=True)
    member_status = models.CharField(_("membership status"), max_length=10,
                                     choices=MemberStatus.choices, default=MemberStatus.NONE,
                                     db_index=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["neq"], condition=~Q(neq=""),
                                    name="organisation_unique_neq"),
        ]
        indexes = [
            # The directory lists listed members in name order, a page at a time.
            models.Index(fields=["legal_name", "id"], name="organisation_name_idx",
                         condition=Q(is_listed=True, member_status__in=["active", "grace"])),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.trade_name or self.legal_name

    def get_absolute_url(self):
        return reverse("members:directory_detail", args=[self.slug])

    description = translated()

    @property
    def is_member(self):
        return self.member_status in (MemberStatus.ACTIVE, MemberStatus.GRACE)

    def visibility_of(self, field):
        value = self.field_visibility.get(field) or self.DEFAULT_VISIBILITY.get(field)
        return value or Visibility.PUBLIC

    def visible_fields(self, level):
        """Names of the optional fields a viewer of ``level`` may see."""
        rank = VISIBILITY_RANK[level]
        return {f for f in self.DEFAULT_VISIBILITY
                if VISIBILITY_RANK[Visibility(self.visibility_of(f))] <= rank}

    def refresh_search_text(self):
        parts = [self.legal_name, self.trade_name, self.description_fr, self.description_en,
                 self.certifications]
        if self.municipality_id:
            parts.append(self.municipality.name)
        if self.park_id:
            parts.append(self.park.name)
        if self.pk:
            parts += [t.name for t in self.tags.all()]
        if self.primary_sector_id:
            parts += [self.primary_sector.name_fr, self.primary_sector.name_en]
        self.search_text = fold(" ".join(p for p in parts if p))

    def save(self, *args, **kwargs):
        self.size_band = size_band(self.employees)
        if self.park_id and not self.municipality_id:
            self.municipality_id = self.park.municipality_id
        self.refresh_search_text()
        super().save(*args, **kwargs)

    @property
    def map_point(self):
        return place_point(self)


class Site(models.Model):
    """One of an organisation's plants, warehouses or offices (where its streams are)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="sites")
    name = models.CharField(_("name"), max_length=120,
                            help_text=_("For example: Jonquière plant, Alma warehouse."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("municipality"))
    park = models.ForeignKey(Park, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("industrial park"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5,
                                    null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="site_name_per_organisation")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.park_id and not self.municipality_id:
            self.municipality_id = self.park.municipality_id
        super().save(*args, **kwargs)

    @property
    def map_point(self):
        """Its own coordinates, else its park's, its municipality's, its organisation's."""
        return place_point(self) or self.organisation.map_point


class ContactQuerySet(models.QuerySet):
    def active(self):
        return self.filter(anonymised_at__isnull=True)

    def with_email(self, email):
        """The known (not anonymised, not awaiting review) people using ``email``, oldest
        first: the one to link an account or an import to."""
        if not email:
            return self.none()
        return self.active().filter(email__iexact=email.strip(),
                                    possible_duplicate_of__isnull=True).order_by("pk")


class Contact(models.Model):
    """A person. Belongs to any number of organisations through Affiliation."""

    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    language = models.CharField(_("preferred language"), max_length=10,
                                choices=settings.LANGUAGES, default="fr-ca")
    organisations = models.ManyToManyField(Organisation, through="Affiliation",
                                           related_name="contacts")
    notes = models.TextField(_("notes"), blank=True)
    # Set when a public form (membership application) gave the email of a person already
    # known: nothing is attached to that person until staff decide (same person or not).
    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="possible_duplicates", editable=False,
        verbose_name=_("may be the same person as"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Affiliation(models.Model):
    """A person's role in one organisation."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="affiliations")
    title = models.CharField(_("job title"), max_length=120, blank=True)
    is_admin = models.BooleanField(_("manages the organisation's account"), default=False)
    is_primary = models.BooleanField(_("main contact"), default=False)
    is_billing = models.BooleanField(_("billing contact"), default=False)
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(fields=["contact", "organisation"],
                                    condition=Q(ended_on__isnull=True),
                                    name="affiliation_one_current"),
        ]

    def __str__(self):
        return f"{self.contact} — {self.organisation}"


class MembershipType(models.Model):
    """A kind of membership with its fee rule and period."""

    class FeeRule(models.TextChoices):
        FLAT = "flat", _("Flat fee")
        BANDS = "bands", _("By number of employees")

    class PeriodKind(models.TextChoices):
        ANNIVERSARY = "anniversary", _("Anniversary (12 months from the start)")
        FISCAL = "fiscal", _("Fixed fiscal year")

    code = models.SlugField(_("code"), unique=True)
    name_fr = models.CharField(_("French name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    fee_rule = models.CharField(_("fee rule"), max_length=10, choices=FeeRule.choices,
                                default=FeeRule.FLAT)
    flat_fee_cents = models.PositiveIntegerField(_("flat fee (cents)"), default=0)
    period_kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices,
                                   default=PeriodKind.FISCAL)
    fiscal_start_month = models.PositiveSmallIntegerField(_("fiscal year starts (month)"),
                                                          default=7)
    fiscal_start_day = models.PositiveSmallIntegerField(_("fiscal year starts (day)"),
                                                        default=1)
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=60)
    taxable = models.BooleanField(_("taxable (TPS/TVQ)"), default=True)
    is_public = models.BooleanField(_("offered on the application form"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")

    def __str__(self):
        return self.name

    name = translated()


class FeeBand(models.Model):
    membership_type = models.ForeignKey(MembershipType, on_delete=models.CASCADE,
                                        related_name="bands")
    min_employees = models.PositiveIntegerField(_("from (employees)"))
    max_employees = models.PositiveIntegerField(_("to (employees)"), null=True, blank=True)
    fee_cents = models.PositiveIntegerField(_("fee (cents)"))

    class Meta:
        ordering = ["min_employees"]

    def __str__(self):
        return f"{self.min_employees}-{self.max_employees or '∞'}: {self.fee_cents}"


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(period_start__lte=on, period_end__gte=on)

    def live(self):
        """Not refused or cancelled."""
        return self.exclude(status__in=[Membership.Status.REFUSED, Membership.Status.CANCELLED])


class Membership(models.Model):
    """An organisation's membership for one period."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        INVOICED = "invoiced", _("Invoiced")
        ACTIVE = "active", _("Active")
        GRACE = "grace", _("In grace period")
        LAPSED = "lapsed", _("Lapsed")
        ENDED = "ended", _("Ended (renewed)")
        CANCELLED = "cancelled", _("Cancelled")
        REFUSED = "refused", _("Refused")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="memberships")
    membership_type = models.ForeignKey(MembershipType, on_delete=models.PROTECT,
                                        related_name="memberships",
                                        verbose_name=_("membership type"))
    period_start = models.DateField(_("start"))
    period_end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.APPLIED, db_index=True)
    fee_cents = models.PositiveIntegerField(_("fee"), default=0)
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="memberships")
    is_renewal = models.BooleanField(default=False)
    applied_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    override_reason = models.TextField(_("reason for a manual status"), blank=True)
    application = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_start"],
                condition=~Q(status__in=["refused", "cancelled"]),
                name="membership_one_per_period",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="membership_period_order"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.period_start:%Y-%m-%d}→{self.period_end:%Y-%m-%d}"

    @property
    def grace_end(self):
        from datetime import timedelta

        return self.period_end + timedelta(days=self.membership_type.grace_days)


class Note(models.Model):
    """A staff note or follow-up task on an organisation's timeline."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField(_("note"))
    due_on = models.DateField(_("follow up on"), null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="followups",
                                    verbose_name=_("assigned to"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.body[:60]


class Segment(models.Model):
    """A saved CRM filter, e.g. "active manufacturers in Alma with 50+ employees"."""

    name = models.CharField(_("name"), max_length=120)
    query = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name


class ErasureRequest(models.Model):
    """A person's request to be forgotten (Québec Law 25), reviewed by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        DONE = "done", _("Anonymised")
        REFUSED = "refused", _("Refused")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note to the person"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self):
        return f"{self.contact} ({self.get_status_display()})"
