"""Lists, subscribers, the CASL consent ledger, campaigns with one delivery per recipient,
bounces, and news / press releases."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliage.core.i18n import translated

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def single_line(value):
    """A personal value without control characters (C0, DEL, C1, line and paragraph
    separators): each run becomes one space. Such values are put into prebuilt mail bytes,
    where a CR/LF would start a new line (a header, an SMTP command)."""
    return re.sub(r" {2,}", " ", _CONTROLS.sub(" ", value or "")).strip()


class MailingList(models.Model):
    slug = models.SlugField(unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_public = models.BooleanField(_("open to public subscription"), default=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self):
        return self.name

    name = translated()


class Subscriber(models.Model):
    class Suppression(models.TextChoices):
        NONE = "", _("Not suppressed")
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        SOFT_BOUNCES = "soft_bounces", _("Too many soft bounces")
        MANUAL = "manual", _("Suppressed by staff")

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="fr",
                                choices=[("fr", "Français"), ("en", "English")])
    contact = models.ForeignKey("members.Contact", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="subscribers")
    suppressed = models.CharField(_("suppressed"), max_length=14, blank=True,
                                  choices=Suppression.choices)
    soft_bounces = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.first_name = single_line(self.first_name)
        self.organisation_name = single_line(self.organisation_name)
        super().save(*args, **kwargs)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE,
                                   related_name="subscriptions")
    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE,
                                     related_name="subscriptions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "mailing_list"],
                                               name="one_subscription")]

    def __str__(self):
        return f"{self.subscriber} → {self.mailing_list} ({self.status})"


class ConsentEvent(models.Model):
    """The append-only CASL ledger: every consent given, implied or withdrawn, per address."""

    class Kind(models.TextChoices):
        EXPRESS = "express", _("Express consent")
        IMPLIED = "implied", _("Implied consent")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    class Basis(models.TextChoices):
        FORM = "form", _("Subscription form (confirmed)")
        MEMBERSHIP = "membership", _("Membership in the association")
        BUSINESS = "business", _("Existing business relationship")
        INQUIRY = "inquiry", _("Inquiry or application")
        IMPORT = "import", _("Imported with proof")
        PREFERENCES = "preferences", _("Preference page")
        ONE_CLICK = "one_click", _("One-click unsubscribe")
        MAILTO = "mailto", _("Unsubscribe by email")
        COMPLAINT = "complaint", _("Spam complaint")
        STAFF = "staff", _("Recorded by staff")

    email = models.EmailField(_("email"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    mailing_list = models.ForeignKey(MailingList, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    wording = models.TextField(_("wording shown"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    campaign = models.ForeignKey("Campaign", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="consent_events")
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent ledger")

    def __str__(self):
        return f"{self.email}: {self.kind} ({self.basis})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The consent ledger is append-only."))
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The consent ledger is append-only."))


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        LISTS = "", _("Subscribers of the chosen lists")
        MEMBERS = "members", _("Contacts of current members (implied consent)")

    title = models.CharField(_("internal title"), max_length=200)
    subject_fr = models.CharField(_("subject (French)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_fr = models.TextField(_("message (French, Markdown)"))
    body_en = models.TextField(_("message (English, Markdown)"), blank=True)
    lists = models.ManyToManyField(MailingList, blank=True, related_name="campaigns",
                                   verbose_name=_("lists"))
    audience = models.CharField(_("also send to"), max_length=10, blank=True,
                                choices=Audience.choices)
    segment = models.ForeignKey("members.Segment", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("contacts of a saved CRM segment"))
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("attendees of an event"))
    include_news = models.BooleanField(_("include the latest news"), default=False)
    # Taken from the association's switch when sending starts (a report reads it).
    tracked = models.BooleanField(default=False, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("mailing:campaign", args=[self.pk])

    def subject(self, lang):
        return self.subject_en if lang == "en" and self.subject_en else self.subject_fr

    def body(self, lang):
        return self.body_en if lang == "en" and self.body_en else self.body_fr


class DeliveryQuerySet(models.QuerySet):
    def claim(self, *, campaign_id, owner, limit, until):
        """Claim up to `limit` pending rows of a campaign for `owner` until `until` (their
        lease), in one statement that only one claimer can win for a row: the ids claimed.

        PostgreSQL: the rows are chosen under `FOR UPDATE SKIP LOCKED` (a row another claimer
        is taking is skipped, not waited for, never taken twice) and updated in the same
        statement (`RETURNING` their ids). SQLite runs one writing transaction at a time, so
        its UPDATE … RETURNING is atomic as it is."""
        from django.db import connections

        connection = connections[self.db]
        table = connection.ops.quote_name(Delivery._meta.db_table)
        pending, sending = Delivery.Status.PENDING, Delivery.Status.SENDING
        # Only the quoted table name is formatted in; values are parameters.
        if connection.vendor == "postgresql":
            # A CTE, evaluated once: in "id IN (SELECT … LIMIT n)" PostgreSQL may run the
            # subquery again for each row and so take more than n.
            sql = (
                f"WITH picked AS MATERIALIZED (SELECT id FROM {table} "  # noqa: S608
                f"WHERE campaign_id = %s AND status = %s ORDER BY id LIMIT %s "
                f"FOR UPDATE SKIP LOCKED) "
                f"UPDATE {table} SET status = %s, claimed_by = %s, lease_until = %s "
                f"FROM picked WHERE {table}.id = picked.id AND {table}.status = %s "
                f"RETURNING {table}.id")
        else:
            sql = (
                f"WITH picked AS (SELECT id FROM {table} "  # noqa: S608
                f"WHERE campaign_id = %s AND status = %s ORDER BY id LIMIT %s) "
                f"UPDATE {table} SET status = %s, claimed_by = %s, lease_until = %s "
                f"WHERE id IN (SELECT id FROM picked) AND status = %s RETURNING id")
        with connection.cursor() as cursor:
            cursor.execute(sql, [campaign_id, pending, int(limit), sending, owner, until,
                                 pending])
            return sorted(row[0] for row in cursor.fetchall())

    def held_by(self, owner):
        """Rows `owner` claimed and has not finished."""
        return self.filter(claimed_by=owner, status=Delivery.Status.SENDING)

    def lapsed(self, now):
        """Rows being sent whose claim was not renewed in time (their worker is gone)."""
        return self.filter(models.Q(lease_until__lt=now) | models.Q(lease_until__isnull=True),
                           status=Delivery.Status.SENDING)


class Delivery(models.Model):
    """One row per (campaign, recipient): the unit a crashed worker resumes from.

    A worker claims rows (`pending → sending`) under its own name (`claimed_by`) until its
    lease ends (`lease_until`), renewing it while it works; the row is marked "sent" around the
    final SMTP "." only while the claim is still its own (see `tasks._mark_around_dot`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", pgettext_lazy("delivery", "Sent")
        SKIPPED = "skipped", _("Skipped (no valid consent)")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    # Every row is updated twice (claimed, then marked sent) and each update writes every
    # index: no index of its own for the campaign (the claim index and the unique pair
    # start with it) and a plain one for the Message-ID (bounces look it up exactly; no
    # LIKE twin).
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries",
                                 db_index=False)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE,
                                   related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)       # only when tracked
    clicked_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "subscriber"],
                                               name="one_delivery")]
        # (campaign, status, id): claims walk a campaign's pending rows in id order.
        indexes = [models.Index(fields=["campaign", "status", "id"],
                                name="mailing_delivery_claim"),
                   models.Index(fields=["message_id"], name="mailing_delivery_message")]

    def __str__(self):
        return f"{self.campaign} → {self.subscriber} ({self.status})"


class SendingChain(models.Model):
    """A campaign's chain of batches on one worker slot (`MAILING_WORKERS` slots): each batch
    enqueues the next one after the rate limit's wait. The chain is alive while its lease runs
    (its batch renews it while sending) or while its next batch waits in the task queue;
    `lease_until` empty: stopped. A slot gets a new chain only when its chain is not alive, and
    with a new `generation`: a batch of an older generation stops at once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="chains")
    slot = models.PositiveSmallIntegerField()
    generation = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)        # its next batch, queued

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "slot"],
                                               name="one_chain_per_slot")]

    def __str__(self):
        return f"{self.campaign} #{self.slot}.{self.generation}"


class CampaignImage(models.Model):
    """An image uploaded for newsletters; public (mail programs fetch it), under media/mailing/."""

    file = models.ImageField(_("image"), upload_to="mailing/%Y/")
    alt = models.CharField(_("description (for screen readers)"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt

    def markdown(self):
        from django.conf import settings as conf

        return f"![{self.alt}]({conf.SITE_URL}{self.file.url})"


class CampaignLink(models.Model):
    """A link of a tracked campaign: clicks go through /infolettre/c/… to this stored URL
    (never to a URL taken from the request, so it cannot become an open redirect)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveIntegerField()
    url = models.URLField(max_length=2000)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "position"],
                                               name="one_link_per_position")]

    def __str__(self):
        return self.url


class BounceEvent(models.Model):
    class Kind(models.TextChoices):
        HARD = "hard", _("Hard bounce")
        SOFT = "soft", _("Soft bounce")
        COMPLAINT = "complaint", _("Complaint")

    email = models.EmailField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.CharField(max_length=40)
    message_id = models.CharField(max_length=200, blank=True)
    detail = models.TextField(blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.email}: {self.kind}"


class Post(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        PRESS = "press", _("Press release")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.NEWS)
    slug = models.SlugField(unique=True, max_length=220)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_fr = models.TextField(_("text (French, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True,
                                        help_text=_("Empty: draft. In the future: scheduled."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")

    def __str__(self):
        return self.title

    title = translated()

    summary = translated()

    body = translated()

    def get_absolute_url(self):
        return reverse("mailing:post", args=[self.slug])
