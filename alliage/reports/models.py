"""Activity reports: a period, the texts staff write (FR/EN), and once published, the
figures and PDFs frozen so that later data changes never rewrite history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The texts of a report, in the order the report shows them: (field stem, label).
TEXTS = [
    ("context", _("Context")),
    ("president_word", _("Word from the president")),
    ("director_word", _("Word from the director general")),
    ("mission", _("Mission")),
    ("vision", _("Vision")),
    ("values", _("Values")),
]


class ActivityReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    # Staff's own words; a report may leave any of them empty (the section is then left out).
    context_fr = models.TextField(_("context (French)"), blank=True)
    context_en = models.TextField(_("context (English)"), blank=True)
    president_word_fr = models.TextField(_("word from the president (French)"), blank=True)
    president_word_en = models.TextField(_("word from the president (English)"), blank=True)
    director_word_fr = models.TextField(_("word from the director general (French)"),
                                        blank=True)
    director_word_en = models.TextField(_("word from the director general (English)"),
                                        blank=True)
    mission_fr = models.TextField(_("mission (French)"), blank=True)
    mission_en = models.TextField(_("mission (English)"), blank=True)
    vision_fr = models.TextField(_("vision (French)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    values_fr = models.TextField(_("values (French)"), blank=True)
    values_en = models.TextField(_("values (English)"), blank=True)
    # Staff notes on a section, {"section key": {"fr": text, "en": text}}: the only place a
    # figure may be typed by hand, and it reads as a note, beside the computed figures.
    notes = models.JSONField(default=dict, blank=True)
    # Frozen at publication: {"section key": figures}.
    figures = models.JSONField(default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-end", "-pk"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="report_period_order")]

    def __str__(self):
        return self.title_fr

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def title(self, language=None):
        language = language or get_language() or "fr"
        return self.title_en if language.startswith("en") and self.title_en else self.title_fr

    def text(self, stem, language):
        """A text in ``language``, falling back to French when the English one is empty."""
        fr = getattr(self, f"{stem}_fr")
        en = getattr(self, f"{stem}_en")
        return en if language.startswith("en") and en else fr

    def note(self, key, language):
        note = self.notes.get(key) or {}
        return (note.get("en") if language.startswith("en") and note.get("en")
                else note.get("fr", ""))

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])


class ReportFile(models.Model):
    """One PDF of a report in one language. A draft's PDF is rendered anew on each request
    (its figures are live); a published report keeps one per language, rendered from its
    frozen figures and never replaced."""

    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(max_length=2, choices=Language.choices)
    frozen = models.BooleanField(default=False)
    pdf = models.FileField(upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    # When its rendering was last queued: a page polled or reloaded queues nothing more.
    queued_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["report", "language"],
                                               condition=Q(frozen=True),
                                               name="report_one_frozen_pdf_per_language")]

    def __str__(self):
        return f"{self.report} ({self.language})"
