"""Shared data: the association's identity, places, and the audit log."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour such as #1f4e79."))


class Association(models.Model):
    """The association running this Alliage site: one row, edited by staff."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    slogan = models.CharField(_("slogan"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="association/", blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=50, default="QC")
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    tps_number = models.CharField(_("GST/HST number (TPS)"), max_length=30, blank=True)
    tvq_number = models.CharField(_("QST number (TVQ)"), max_length=30, blank=True)
    neq = models.CharField(_("Québec enterprise number (NEQ)"), max_length=10, blank=True)
    privacy_officer_name = models.CharField(_("privacy officer"), max_length=120, blank=True)
    privacy_officer_email = models.EmailField(_("privacy officer email"), blank=True)
    privacy_officer_phone = models.CharField(_("privacy officer phone"), max_length=30,
                                             blank=True)
    primary_colour = models.CharField(_("primary colour"), max_length=7, default="#1f4e79",
                                      validators=[hex_colour])
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#e07a1f",
                                     validators=[hex_colour])
    class Font(models.TextChoices):
        # Fonts every computer has (no font file to serve, no third-party service):
        # the "modern font stacks", each ending on a generic family.
        SYSTEM = "system", _("System (the computer's own)")
        HUMANIST = "humanist", _("Humanist sans-serif")
        GEOMETRIC = "geometric", _("Geometric sans-serif")
        SERIF = "serif", _("Serif")

    FONT_STACKS = {
        "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
                  'sans-serif',
        "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", sans-serif',
        "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", "DejaVu Sans", sans-serif',
        "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, "DejaVu Serif", serif',
    }
    font = models.CharField(_("text font"), max_length=10, choices=Font.choices,
                            default=Font.SYSTEM)
    heading_font = models.CharField(_("heading font"), max_length=10, choices=Font.choices,
                                    default=Font.SYSTEM)
    newsletter_tracking = models.BooleanField(
        _("measure newsletter opens and clicks"), default=False,
        help_text=_("Off by default. When on, newsletters carry a tracking image and "
                    "redirected links, and their footer says so."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("association")

    def __str__(self):
        return self.name

    @property
    def font_stack(self):
        """The text font chosen by staff as a CSS font-family (a constant of FONT_STACKS:
        safe to print in a style sheet); pages, mails and PDFs use it."""
        return self.FONT_STACKS.get(self.font, self.FONT_STACKS["system"])

    @property
    def heading_font_stack(self):
        return self.FONT_STACKS.get(self.heading_font, self.FONT_STACKS["system"])

    @property
    def address_line(self):
        parts = [self.street, self.city, f"({self.province})" if self.province else "",
                 self.postal_code]
        return " ".join(p for p in parts if p)

    CACHE_KEY = "alliage:association"

    @classmethod
    def current(cls):
        """The single identity row (cached a minute), created with neutral values if absent."""
        from django.core.cache import cache

        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj = cls.objects.order_by("pk").first()
            if obj is None:
                obj = cls.objects.create(name="Alliage", short_name="Alliage")
            cache.set(cls.CACHE_KEY, obj, 60)
        return obj

    def save(self, *args, **kwargs):
        from django.core.cache import cache

        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities",
                               verbose_name=_("region"))
    mrc = models.CharField(_("regional county municipality (MRC)"), max_length=120, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class Park(models.Model):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="parks", verbose_name=_("municipality"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("industrial park")
        verbose_name_plural = _("industrial parks")

    def __str__(self):
        return self.name


class AuditLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditLog(models.Model):
    """Append-only record of who changed what; written by services, never edited."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class EmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def without_secrets(self):
        """Mail that never carried a credential (reset or invitation link, signed consent
        link): the only mail a personal-data export or a timeline should list."""
        return self.filter(holds_secret=False)

    def claimable(self, now):
        """Unsent mail no sender holds (no lease, or its lease ran out) with attempts left."""
        from alliage.core.mail import MAX_ATTEMPTS

        return self.unsent().filter(attempts__lt=MAX_ATTEMPTS).filter(
            models.Q(lease_until__isnull=True) | models.Q(lease_until__lte=now))

    def due(self, now):
        """Mail ``retry_emails`` should hand to a worker again."""
        return self.claimable(now).filter(next_attempt_at__lte=now)

    def given_up(self):
        """Mail that failed every attempt: listed for staff, who may retry it."""
        return self.filter(sent_at__isnull=True, failed_at__isnull=False)

    def troubled(self):
        """Unsent mail that failed at least once (still retrying, or given up)."""
        return self.filter(sent_at__isnull=True, attempts__gt=0)


class Email(models.Model):
    """One transactional message, rendered in its recipient's language and sent by a task.

    ``key`` makes queuing idempotent: the same event never produces two messages. A
    credential the message carries (``holds_secret``) is never part of the stored body:
    the body keeps a ``[[secret:name]]`` marker and the value waits in ``secret_values``
    only until the message is sent (see ``alliage.core.mail``).
    """

    key = models.CharField(max_length=120, unique=True)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    template = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=10, default="fr-ca")
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="emails")
    message_id = models.CharField(max_length=250, blank=True)
    holds_secret = models.BooleanField(_("carries a personal link"), default=False)
    secret_values = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A sender holds the message until then (claimed, not yet marked sent or failed).
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")

    def __str__(self):
        return f"{self.to}: {self.subject}"
