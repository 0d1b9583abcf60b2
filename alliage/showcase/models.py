"""Regional products, where they are sold, and requests for quotes to member suppliers."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliage.core.i18n import translated
from alliage.core.models import Municipality
from alliage.core.text import fold
from alliage.members.models import MemberStatus, Organisation, place_point


class Category(models.TextChoices):
    AGRIFOOD = "agrifood", _("Agri-food")
    DRINKS = "drinks", _("Beer, wine and spirits")
    WOOD = "wood", _("Wood and furniture")
    METAL = "metal", _("Metal and machining")
    EQUIPMENT = "equipment", _("Equipment and machinery")
    PLASTICS = "plastics", _("Plastics and composites")
    ELECTRICAL = "electrical", _("Electrical and controls")
    PACKAGING = "packaging", _("Packaging and paper")
    SERVICES = "services", _("Industrial services")
    OTHER = "other", _("Other")


MEMBER_STATUSES = [MemberStatus.ACTIVE, MemberStatus.GRACE]


class PointOfSaleQuerySet(models.QuerySet):
    def public(self):
        """Active points of sale of the association or of a member company."""
        return self.filter(Q(organisation__isnull=True)
                           | Q(organisation__member_status__in=MEMBER_STATUSES),
                           is_active=True)


class PointOfSale(models.Model):
    """Where products are sold: the association's own counter (no organisation), a member's
    shop or plant store, a website."""

    class Kind(models.TextChoices):
        COUNTER = "counter", _("Counter of regional products")
        SHOP = "shop", _("Shop")
        PLANT = "plant", _("Plant store")
        MARKET = "market", _("Market")
        ONLINE = "online", _("Online")

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE,
        related_name="points_of_sale", verbose_name=_("company"),
        help_text=_("Empty for the association's own points of sale."))
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SHOP)
    address = models.CharField(_("address"), max_length=200, blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("municipality"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5,
                                    null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=300, blank=True,
                             help_text=_("For example: every day, 7 a.m. to 9 p.m."))
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PointOfSaleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("point of sale")
        verbose_name_plural = _("points of sale")

    def __str__(self):
        return self.name

    @property
    def park_id(self):                      # place_point reads it; a point of sale has none
        return None

    @property
    def map_point(self):
        """Its coordinates, else its municipality's; None for a website without address."""
        return place_point(self)


class ProductQuerySet(models.QuerySet):
    def public(self):
        """Published products of listed member companies (the public catalogue)."""
        return self.filter(is_published=True, organisation__is_listed=True,
                           organisation__member_status__in=MEMBER_STATUSES)

    def search(self, query):
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Product(models.Model):
    """A product a member company makes, shown in the public catalogue."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="products", verbose_name=_("company"))
    slug = models.SlugField(max_length=200, unique=True, editable=False)
    name_fr = models.CharField(_("name (French)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices,
                                db_index=True)
    made_in_region = models.BooleanField(
        _("made in Saguenay–Lac-Saint-Jean"), default=True,
        help_text=_("Made or processed in the region."))
    certifications = models.CharField(_("certifications"), max_length=300, blank=True,
                                      help_text=_("Comma-separated, e.g. Aliments du Québec, "
                                                  "biologique, ISO 9001"))
    points_of_sale = models.ManyToManyField(PointOfSale, blank=True, related_name="products",
                                            verbose_name=_("points of sale"))
    is_published = models.BooleanField(_("shown in the catalogue"), default=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name_fr", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name_fr

    name = translated()

    description = translated()

    def certification_list(self):
        return [c.strip() for c in self.certifications.split(",") if c.strip()]

    def get_absolute_url(self):
        return reverse("showcase:product", args=[self.slug])

    def refresh_search_text(self):
        self.search_text = fold(" ".join([
            self.name_fr, self.name_en, self.description_fr, self.description_en,
            self.certifications, self.get_category_display()]))

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        super().save(*args, **kwargs)


class ProductPhoto(models.Model):
    """A photo of a product (its metadata removed on upload, core.uploads)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="showcase/")
    alt_text = models.CharField(_("description of the photo"), max_length=200, blank=True,
                                help_text=_("What the photo shows, for people who cannot "
                                            "see it."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self):
        return self.alt_text or self.image.name


class QuoteRequestQuerySet(models.QuerySet):
    def sent(self):
        """Requests that reached their suppliers (verified)."""
        return self.exclude(status=QuoteRequest.Status.UNVERIFIED)

    def seen_by(self, user):
        """What a buyer may read: their own requests and, once sent, those made for a company
        they work for today (their colleagues')."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(buyer_user=user) | Q(
            buyer_organisation__in=Organisation.objects.of_user(user),
            status__in=[self.model.Status.OPEN, self.model.Status.AWARDED,
                        self.model.Status.CLOSED]))

    def decided_by(self, user):
        """What a buyer may decide (choose a quote, close): their own requests and those of
        the companies they administer."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(buyer_user=user)
                           | Q(buyer_organisation__in=Organisation.objects.administered_by(user)))


class QuoteRequest(models.Model):
    """A buyer's request for quotes, sent to one or several member suppliers."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email to confirm")
        OPEN = "open", _("Waiting for quotes")
        AWARDED = "awarded", _("Supplier chosen")
        CLOSED = "closed", _("Closed without a choice")

    buyer_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="quote_requests")
    buyer_organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                           on_delete=models.SET_NULL,
                                           related_name="quote_requests_made")
    buyer_name = models.CharField(_("your name"), max_length=160)
    buyer_email = models.EmailField(_("your email"))
    buyer_phone = models.CharField(_("phone"), max_length=30, blank=True)
    buyer_company = models.CharField(_("your company"), max_length=200, blank=True)
    language = models.CharField(max_length=10, default="fr-ca")
    title = models.CharField(_("what you need"), max_length=200)
    description = models.TextField(_("description"),
                                   help_text=_("Material, dimensions, standards, delivery…"))
    quantity = models.CharField(_("quantity"), max_length=100, blank=True)
    deadline = models.DateField(_("answer wanted by"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="showcase-rfq/", blank=True)
    municipality = models.ForeignKey(Municipality, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("delivery place"))
    search = models.CharField(max_length=200, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = QuoteRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for quotes")
        verbose_name_plural = _("requests for quotes")

    def __str__(self):
        return self.title


class QuoteQuerySet(models.QuerySet):
    def for_supplier(self, user):
        """Quotes asked of the companies ``user`` administers (of every company for staff
        is the caller's choice: this is the supplier's own view)."""
        return self.filter(organisation__in=Organisation.objects.administered_by(user)) \
            .exclude(request__status=QuoteRequest.Status.UNVERIFIED)


class Quote(models.Model):
    """One supplier's place in a request: asked, then answered (price and delay) or declined,
    then won or not chosen."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Waiting for an answer")
        ANSWERED = "answered", _("Quote sent")
        DECLINED = "declined", _("Declined")
        WON = "won", _("Chosen")
        LOST = "lost", _("Not chosen")

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="quotes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="quotes", verbose_name=_("supplier"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ASKED, db_index=True)
    price_cents = models.PositiveBigIntegerField(_("price before taxes"), null=True,
                                                 blank=True)
    taxable = models.BooleanField(_("TPS and TVQ apply"), default=True)
    delay_days = models.PositiveSmallIntegerField(_("delay (working days)"), null=True,
                                                  blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    message = models.TextField(_("message to the buyer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["request", "organisation__legal_name", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation"],
                                    name="quote_one_per_supplier"),
            models.UniqueConstraint(fields=["request"], condition=Q(status="won"),
                                    name="quote_one_winner"),
        ]

    def __str__(self):
        return f"{self.request} — {self.organisation}"

    def taxes(self):
        """Subtotal, TPS, TVQ and total of the price (billing's rule, on the whole base)."""
        from alliage.billing.taxes import on_base

        if self.price_cents is None:
            return None
        return on_base(self.price_cents, self.price_cents if self.taxable else 0)


class SupplierSearch(models.Model):
    """One search of the supplier finder: what the region is asked for, found or not."""

    query = models.CharField(max_length=200)
    folded = models.CharField(max_length=200, db_index=True)
    results = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("supplier search")
        verbose_name_plural = _("supplier searches")

    def __str__(self):
        return self.query


# --- The supplier finder's index in the database (PostgreSQL full text, decision 0011) --------

class FinderState(models.Model):
    """One row: the fingerprint of the data the stored index was built from."""

    fingerprint = models.CharField(max_length=300, blank=True)
    documents = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("supplier finder index")
        verbose_name_plural = _("supplier finder index")

    def __str__(self):
        return self.fingerprint


class FinderDocument(models.Model):
    """A listed member company as the finder sees it: its name and where it is."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        related_name="+")
    name = models.CharField(max_length=200)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)

    def __str__(self):
        return self.name


class FinderText(models.Model):
    """One labelled text of a supplier (a product, a capability, a sector…) and its vector:
    French and English stemming without accents (``alliage_fr``, ``alliage_en``) plus the
    platform's own stems (``simple``), so both normalisations can match."""

    document = models.ForeignKey(FinderDocument, on_delete=models.CASCADE,
                                 related_name="texts")
    kind = models.CharField(max_length=24)
    text = models.TextField()
    stems = models.TextField()
    weight = models.FloatField()
    vector = SearchVectorField(null=True)

    def __str__(self):
        return f"{self.kind}: {self.text}"


class FinderWord(models.Model):
    """The index's vocabulary (platform stems), for typo correction by trigrams."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.word
