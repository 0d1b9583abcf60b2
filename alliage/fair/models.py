"""The virtual industrial fair: fairs, pavilions, booths and their leads, the B2B matchmaking
(participants, meeting requests) and the schedule of meetings in slots and at tables."""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated


class FairQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Fair.Status.PUBLISHED)


class Fair(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title_fr = models.CharField(_("French title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    # A fair is an event: registration, tickets and invoices are the events app's.
    event = models.OneToOneField("events.Event", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="fair",
                                 verbose_name=_("event (registration)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"))
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    # The meeting grid: slots of this length between meetings_start and meetings_end.
    meetings_start = models.DateTimeField(_("meetings start"), null=True, blank=True)
    meetings_end = models.DateTimeField(_("meetings end"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    tables = models.PositiveSmallIntegerField(_("tables or video rooms"), default=10)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FairQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")),
                                   name="fair_ends_after_start"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5),
                                   name="fair_slot_at_least_5_minutes"),
        ]

    def __str__(self):
        return self.title

    title = translated()

    description = translated()

    def get_absolute_url(self):
        return reverse("fair:fair", args=[self.slug])

    def is_over(self, now=None):
        return (now or timezone.now()) > self.ends_at

    @property
    def slot_count(self):
        """How many meeting slots the grid holds (0 without meeting hours)."""
        if not (self.meetings_start and self.meetings_end):
            return 0
        seconds = (self.meetings_end - self.meetings_start).total_seconds()
        return max(0, int(seconds // (self.slot_minutes * 60)))

    def slot_times(self, index):
        """(start, end) of slot ``index``."""
        start = self.meetings_start + timedelta(minutes=self.slot_minutes * index)
        return start, start + timedelta(minutes=self.slot_minutes)

    def slots(self):
        return [(i, *self.slot_times(i)) for i in range(self.slot_count)]

    def _slots_elapsed(self, now):
        """Whole slots elapsed since the meetings began (-1 before they begin)."""
        if not self.slot_count:
            return -1
        now = now or timezone.now()
        if now < self.meetings_start:
            return -1
        return int((now - self.meetings_start).total_seconds() // (self.slot_minutes * 60))

    def slots_started(self, now=None):
        """How many slots have begun: their meetings are under way or held, and no run moves
        them any more."""
        return min(self.slot_count, self._slots_elapsed(now) + 1)

    def slots_ended(self, now=None):
        """How many slots are over: their meetings count as held (unless marked no-show)."""
        return max(0, min(self.slot_count, self._slots_elapsed(now)))


class Pavilion(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="pavilions")
    name_fr = models.CharField(_("French name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    slug = models.SlugField(max_length=120)
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pavilion")
        verbose_name_plural = _("pavilions")
        constraints = [models.UniqueConstraint(fields=["fair", "slug"],
                                               name="pavilion_slug_unique_in_fair")]

    def __str__(self):
        return self.name

    name = translated()

    description = translated()

    def get_absolute_url(self):
        return reverse("fair:pavilion", args=[self.fair.slug, self.slug])


class BoothQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def administered_by(self, user):
        """Booths of the organisations the user administers (the exhibitor's side)."""
        from alliage.members.models import Organisation

        return self.filter(organisation__in=Organisation.objects.administered_by(user))

    def search(self, query):
        """Booths whose company, description, products or capabilities hold every word."""
        qs = self
        for word in (query or "").split()[:8]:
            qs = qs.filter(Q(organisation__legal_name__icontains=word)
                           | Q(organisation__trade_name__icontains=word)
                           | Q(description_fr__icontains=word)
                           | Q(description_en__icontains=word)
                           | Q(products__icontains=word)
                           | Q(capabilities__icontains=word))
        return qs


class Booth(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="booths")
    pavilion = models.ForeignKey(Pavilion, on_delete=models.PROTECT, related_name="booths",
                                 verbose_name=_("pavilion"))
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="booths", verbose_name=_("exhibitor"))
    description_fr = models.TextField(_("French description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    products = models.TextField(_("products"), blank=True,
                                help_text=_("One product or service per line."))
    capabilities = models.TextField(_("capabilities"), blank=True,
                                    help_text=_("What the company can make or do, one per "
                                                "line."))
    video_url = models.URLField(_("video link"), blank=True)
    room_url = models.URLField(_("live video room link"), blank=True)
    opening_hours = models.CharField(_("booth hours"), max_length=200, blank=True)
    contact = models.ForeignKey("members.Contact", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("contact person"))
    # The people staffing the booth (the exhibitor's own people): listed on the booth, each
    # one a person visitors can ask for a B2B meeting when they take part in them.
    team = models.ManyToManyField("members.Contact", blank=True, related_name="fair_booths",
                                  verbose_name=_("booth team"))
    published = models.BooleanField(_("published"), default=True,
                                    help_text=_("Unpublished booths are hidden from "
                                                "visitors."))
    # The rental: its price before taxes and, once billed, its invoice (billing).
    price_cents = models.PositiveIntegerField(_("rental price (cents, before taxes)"),
                                              default=0)
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="fair_booths",
                                verbose_name=_("invoice"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = BoothQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__legal_name"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [models.UniqueConstraint(fields=["fair", "organisation"],
                                               name="one_booth_per_exhibitor")]

    def __str__(self):
        return self.organisation.display_name

    description = translated()

    def product_lines(self):
        return [x.strip() for x in self.products.splitlines() if x.strip()]

    def capability_lines(self):
        return [x.strip() for x in self.capabilities.splitlines() if x.strip()]

    def get_absolute_url(self):
        return reverse("fair:booth", args=[self.fair.slug, self.pk])


class BoothDocument(models.Model):
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="fair/documents/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("booth document")
        verbose_name_plural = _("booth documents")

    def __str__(self):
        return self.title


class Bookmark(models.Model):
    """A visitor keeps a booth in their list for the fair."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="bookmarks")
    contact = models.ForeignKey("members.Contact", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booth__organisation__legal_name"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["booth", "contact"],
                                               name="one_bookmark_per_booth")]

    def __str__(self):
        return f"{self.contact_id} ★ {self.booth}"


class BoothVisit(models.Model):
    """One visitor's visit to a booth on one day (people counted once a day)."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="visits")
    contact = models.ForeignKey("members.Contact", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    visited_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("booth visit")
        verbose_name_plural = _("booth visits")
        constraints = [models.UniqueConstraint(
            fields=["booth", "contact", "visited_on"], condition=Q(contact__isnull=False),
            name="one_counted_visit_per_person_per_day")]

    def __str__(self):
        return f"{self.booth} {self.visited_on}"


class Lead(models.Model):
    """A visitor's card left at a booth, with their explicit consent to be contacted."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="leads")
    contact = models.ForeignKey("members.Contact", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation_name = models.CharField(_("company"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    # The consent as given: the words shown and when (a lead never exists without it).
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consent date"))
    notes = models.TextField(_("exhibitor's notes"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.UniqueConstraint(fields=["booth", "contact"],
                                    condition=Q(contact__isnull=False),
                                    name="one_lead_per_person_per_booth"),
            models.CheckConstraint(condition=~Q(consent_text=""),
                                   name="lead_has_consent"),
        ]

    def __str__(self):
        return f"{self.name} → {self.booth}"


class Participant(models.Model):
    """A person taking part in the fair's B2B meetings ("maillage")."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="participants")
    contact = models.ForeignKey("members.Contact", on_delete=models.CASCADE,
                                related_name="fair_participations")
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("company"))
    offers = models.TextField(_("what I offer"), blank=True, max_length=2000)
    seeks = models.TextField(_("what I am looking for"), blank=True, max_length=2000)
    # Slot indexes (0 = the first slot of the grid) where the person cannot meet.
    busy_slots = models.JSONField(_("unavailable slots"), default=list, blank=True)
    # "No thanks": people this participant does not want suggested or listed.
    not_interested = models.ManyToManyField("self", symmetrical=False, blank=True,
                                            related_name="+",
                                            verbose_name=_("not interested in"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["fair", "contact"],
                                               name="one_participation_per_fair")]

    def __str__(self):
        org = self.organisation.display_name if self.organisation_id else ""
        return f"{self.contact.full_name} ({org})" if org else self.contact.full_name


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                  related_name="requests_sent")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                  related_name="requests_received")
    reason = models.TextField(_("reason"), max_length=1000)
    must_meet = models.BooleanField(_("must meet"), default=False,
                                    help_text=_("Placed first by the scheduler."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["requester", "recipient"],
                                    name="one_request_per_pair"),
            models.CheckConstraint(condition=~Q(requester=F("recipient")),
                                   name="no_request_to_oneself"),
        ]

    def __str__(self):
        return f"{self.requester} → {self.recipient}"


class ScheduleRun(models.Model):
    """One run of the optimiser over a fair's accepted requests."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    requested_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    # Meetings the run left where they were: chosen by the participants, marked no-show,
    # or in a slot that had begun (not counted in ``accepted`` and ``placed``).
    kept = models.PositiveIntegerField(default=0)
    greedy = models.PositiveIntegerField(default=0)
    upper_bound = models.PositiveIntegerField(null=True, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")

    def __str__(self):
        return f"{self.fair} {self.created_at:%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    """An accepted request placed in a slot at a table."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE,
                                   related_name="meeting")
    slot = models.PositiveSmallIntegerField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"))
    run = models.ForeignKey(ScheduleRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="meetings")
    no_show = models.BooleanField(_("no-show"), default=False)
    # Chosen by the participants themselves: the organiser's runs keep it where it is.
    self_picked = models.BooleanField(_("slot chosen by the participants"), default=False)

    class Meta:
        ordering = ["slot", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [models.UniqueConstraint(fields=["fair", "slot", "table"],
                                               name="one_meeting_per_table_and_slot")]

    def __str__(self):
        return f"{self.request} ({self.slot}/{self.table})"


class MeetingSeat(models.Model):
    """A participant's place in a meeting: the database refuses anyone in two meetings
    of the same slot (no person double-booked, whatever writes the schedule)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="seats")
    slot = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "slot"],
                                               name="one_place_per_person_and_slot")]

    def __str__(self):
        return f"{self.participant} @ {self.slot}"
