"""Events, their sessions and ticket types, registrations and the waitlist."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self):
        return self.published().filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def visible_to(self, user):
        """Published events; members-only ones need a member (or staff) viewer."""
        from alliage.core.roles import is_member

        qs = self.published()
        return qs if is_member(user) else qs.filter(members_only=False)


class Event(models.Model):
    class Kind(models.TextChoices):
        NETWORKING = "networking", _("Networking evening")
        GOLF = "golf", _("Golf tournament")
        SUPPLIERS = "suppliers", _("Suppliers' meetup")
        VISIT = "visit", _("Industrial visit")
        WEBINAR = "webinar", _("Webinar")
        TRAINING = "training", _("Training cohort")
        DELEGATION = "delegation", _("Delegation or trip")
        ASSEMBLY = "assembly", _("General assembly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title_fr = models.CharField(_("French title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=250, blank=True)
    municipality = models.ForeignKey("core.Municipality", null=True, blank=True,
                                     on_delete=models.SET_NULL, verbose_name=_("municipality"))
    online_url = models.URLField(_("online meeting link"), blank=True,
                                 help_text=_("Shown only to registered people."))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Empty: no limit."))
    members_only = models.BooleanField(_("members only"), default=False)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True,
                                                  blank=True)
    cancellation_deadline = models.DateTimeField(_("attendees may cancel until"), null=True,
                                                 blank=True)
    waitlist_offer_hours = models.PositiveSmallIntegerField(_("waitlist offer lasts (hours)"),
                                                            default=48)
    host_organisation = models.ForeignKey("members.Organisation", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="hosted_events",
                                          verbose_name=_("host organisation"))
    safety_requirements = models.TextField(_("safety requirements"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    subsidy_program = models.CharField(_("eligible subsidy program"), max_length=200,
                                       blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"), default=80)
    questions = models.JSONField(_("questions to attendees"), default=list, blank=True,
                                 help_text=_("A list of questions, e.g. dietary needs."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")),
                                              name="event_ends_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    title = translated()

    description = translated()

    def registration_open(self, now=None):
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or now > self.ends_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now > self.registration_closes_at)


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Empty: the event's capacity applies."))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.event} — {self.title}"

    @property
    def hours(self):
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name_fr = models.CharField(_("French name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    member_price_cents = models.PositiveIntegerField(_("member price (cents)"), default=0)
    public_price_cents = models.PositiveIntegerField(_("non-member price (cents)"), default=0)
    taxable = models.BooleanField(_("taxable (TPS/TVQ)"), default=True)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    members_only = models.BooleanField(_("members only"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")

    def __str__(self):
        return self.name

    name = translated()

    def price_for(self, is_member):
        return self.member_price_cents if is_member else self.public_price_cents


def new_code():
    return secrets.token_urlsafe(9)


class RegistrationQuerySet(models.QuerySet):
    def holding_a_seat(self):
        return self.filter(status__in=[Registration.Status.PENDING, Registration.Status.CONFIRMED])


class Order(models.Model):
    """One booking: one person or a group paid by their employer on one invoice."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey("members.Contact", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="event_orders")
    is_member_price = models.BooleanField(default=False)
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="event_orders")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # A visitor's registration without an account (events.guest).
    is_guest = models.BooleanField(_("visitor without an account"), default=False)
    # A visitor named a company already known: its invoice waits, unnumbered, until staff
    # confirm who pays (no stranger puts an invoice on a company's account).
    billing_review = models.BooleanField(_("billing to confirm"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self):
        return f"{self.event} — {self.buyer}"


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUSED = "refused", _("Refused")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="registrations")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT,
                                    related_name="registrations")
    contact = models.ForeignKey("members.Contact", on_delete=models.PROTECT,
                                related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.CONFIRMED, db_index=True)
    price_cents = models.PositiveIntegerField(default=0)
    answers = models.JSONField(default=dict, blank=True)
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations",
                                      verbose_name=_("sessions"),
                                      help_text=_("Empty: every session."))
    code = models.CharField(max_length=20, unique=True, default=new_code)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["contact__last_name", "contact__first_name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"],
                                    condition=Q(status__in=["pending", "confirmed"]),
                                    name="registration_once_per_event"),
        ]

    def __str__(self):
        return f"{self.contact} @ {self.event}"


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Seat offered")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Offer expired")
        LEFT = "left", _("Left the waitlist")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="waitlist")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("members.Contact", on_delete=models.CASCADE,
                                related_name="waitlist_entries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING,
                              db_index=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=20, unique=True, default=new_code)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist")
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"],
                                    condition=Q(status__in=["waiting", "offered"]),
                                    name="waitlist_once_per_event"),
        ]

    def __str__(self):
        return f"{self.contact} ({self.get_status_display()})"


class Attendance(models.Model):
    """Presence of one registered person at one session (training cohorts)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"],
                                               name="attendance_once")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.registration} — {self.session}"


class Certificate(models.Model):
    """An attendance certificate, verifiable at a public URL by its code."""

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT,
                                        related_name="certificate")
    code = models.CharField(max_length=20, unique=True, default=new_code)
    hours = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField(auto_now_add=True)
    pdf = models.FileField(upload_to="certificates/", blank=True)

    class Meta:
        verbose_name = _("attendance certificate")
        verbose_name_plural = _("attendance certificates")

    def __str__(self):
        return f"{self.registration} ({self.code})"

    def get_absolute_url(self):
        return reverse("events:certificate_verify", args=[self.code])


class Sponsor(models.Model):
    class Level(models.TextChoices):
        PRESENTING = "presenting", _("Presenting sponsor")
        GOLD = "gold", _("Gold")
        PARTNER = "partner", _("Partner")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="sponsorships")
    logo = models.ImageField(_("logo"), upload_to="sponsors/", blank=True)
    website = models.URLField(_("website"), blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices,
                             default=Level.PARTNER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self):
        return self.name
