"""The association's public site: pages staff write (FR/EN, sanitised rich text, menu order,
draft or published, every saved version kept for restore) and the contact form's topics and
messages.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated


class Page(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("address"), max_length=80, unique=True,
                            help_text=_("The end of the page's address: /pages/<address>/"))
    title_fr = models.CharField(_("title (French)"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    description_fr = models.CharField(_("description for search engines (French)"),
                                      max_length=300, blank=True)
    description_en = models.CharField(_("description for search engines (English)"),
                                      max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    class Extra(models.TextChoices):
        NONE = "", _("Nothing")
        BOARD = "board", _("The board of directors (kept up to date from governance)")

    extra = models.CharField(_("shown after the text"), max_length=10, blank=True, default="",
                             choices=Extra.choices)
    on_home = models.BooleanField(_("on the home page"), default=False,
                                  help_text=_("Its title and description, with a link, among "
                                              "the home page's blocks."))
    menu_position = models.PositiveSmallIntegerField(
        _("position in the menu"), null=True, blank=True,
        help_text=_("Empty: not in the site's menu."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["menu_position", "title_fr"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    title = translated()

    body = translated()

    description = translated()

    def body_html(self):
        """The text as shown: sanitised again on the way out (it was when saved)."""
        from alliage.mailing.richtext import clean

        return clean(self.body)

    @property
    def has_english(self):
        return bool(self.title_en and self.body_en)

    def url_in(self, language):
        """The page's address in ``language``: /pages/<slug>/ in French,
        /en/pages/<slug>/ in English (when it is written in English)."""
        if language.startswith("en") and self.has_english:
            return reverse("pages:page_en", args=[self.slug])
        return reverse("pages:page", args=[self.slug])

    def get_absolute_url(self):
        """The address in the interface's language (menus, sitemap, links)."""
        return self.url_in(get_language() or "fr")


class HomeBlock(models.Model):
    """Staff's choice of the home page's blocks (``core.home`` sections): shown or not, in
    which order. No row at all: every block in its default order."""

    key = models.CharField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=1)
    shown = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("home page block")
        verbose_name_plural = _("home page blocks")

    def __str__(self):
        return self.key


class Revision(models.Model):
    """One saved version of a page, kept so staff can see and restore it."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    title_fr = models.CharField(max_length=160)
    title_en = models.CharField(max_length=160, blank=True)
    body_fr = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self):
        return f"{self.page_id} {self.saved_at:%Y-%m-%d %H:%M}"


class ContactTopic(models.Model):
    label_fr = models.CharField(_("subject (French)"), max_length=120)
    label_en = models.CharField(_("subject (English)"), max_length=120, blank=True)
    recipient = models.EmailField(_("sent to"),
                                  help_text=_("The staff member who answers this subject."))
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "label_fr"]
        verbose_name = _("contact subject")
        verbose_name_plural = _("contact subjects")

    def __str__(self):
        return self.label

    label = translated()


class ContactMessage(models.Model):
    topic = models.ForeignKey(ContactTopic, null=True, on_delete=models.SET_NULL,
                              related_name="messages")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    company = models.CharField(_("company"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return f"{self.name} — {self.created_at:%Y-%m-%d}"
