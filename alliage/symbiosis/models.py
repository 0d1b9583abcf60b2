"""Industrial symbiosis: streams (offers and needs), matches, blind introductions, synergies."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.matching.taxonomy import display, taxonomy


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    STAFF = "staff", _("Staff and facilitators only")
    ANONYMOUS = "anonymous", _("Members, without our name")


class StreamQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Stream.Status.PUBLISHED)

    def visible_to(self, user, *, is_staff=False, is_member=False, organisation_ids=()):
        """What a viewer may list: staff everything; owners their own; members public,
        members and anonymous listings; the public only public ones."""
        if is_staff:
            return self
        mine = Q(organisation_id__in=list(organisation_ids))
        levels = [Confidentiality.PUBLIC]
        if is_member:
            levels += [Confidentiality.MEMBERS, Confidentiality.ANONYMOUS]
        return self.filter(mine | Q(status=Stream.Status.PUBLISHED,
                                    confidentiality__in=levels))


class Stream(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer (residual material, by-product, surplus)")
        NEED = "need", _("Need (input material, energy, capacity)")

    class Category(models.TextChoices):
        MATERIAL = "material", _("Residual material or by-product")
        ENERGY = "energy", _("Surplus heat, steam or energy")
        WATER = "water", _("Water")
        GAS = "gas", _("CO2 and gases")
        CAPACITY = "capacity", _("Capacity (space, equipment)")
        VIRGIN = "virgin", _("Virgin raw material")

    class Utility(models.TextChoices):
        # Alliage's utility codes (alliage.matching.utilities.KINDS): energy and water
        # flows the List of Waste does not describe.
        STEAM = "steam", _("Steam or condensate")
        HOT_WATER = "hot_water", _("Hot water or waste heat (below 100 °C)")
        HOT_GAS = "hot_gas", _("Hot exhaust or flue gases")
        FUEL_GAS = "fuel_gas", _("Fuel gas or off-gas (biogas, flare gas, hydrogen)")
        ELECTRICITY = "electricity", _("Excess electricity")
        COOLING_WATER = "cooling_water", _("Cooling water or clean process water")
        TREATED_WATER = "treated_water", _("Treated wastewater for reuse")
        CO2 = "co2", _("Carbon dioxide (CO2)")
        COMPRESSED_AIR = "compressed_air", _("Compressed air")

    class Frequency(models.TextChoices):
        CONTINUOUS = "continuous", _("Continuous")
        BATCHES = "batches", _("In batches")
        ONE_OFF = "one_off", _("One-off")

    class State(models.TextChoices):
        SOLID = "solid", _("Solid")
        LIQUID = "liquid", _("Liquid")
        SLUDGE = "sludge", _("Sludge")
        GAS = "gas", _("Gas")
        ENERGY = "energy", _("Energy")

    class Fate(models.TextChoices):
        LANDFILL = "landfill", _("Landfill")
        INCINERATION = "incineration", _("Incineration")
        RECYCLING = "recycling", _("Recycling")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")

    UNITS = [("t/an", "t/an"), ("t/mois", "t/mois"), ("kg/semaine", "kg/semaine"),
             ("m3/an", "m³/an"), ("m3/mois", "m³/mois"), ("m3/jour", "m³/jour"),
             ("MWh/an", "MWh/an"), ("GJ/an", "GJ/an"), ("kW", _("kW (continuous)")),
             ("palettes/semaine", _("pallets/week")), ("m2", "m²")]

    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE,
                                     related_name="streams")
    site = models.ForeignKey("members.Site", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="streams", verbose_name=_("site"),
                             help_text=_("Where it is (the company's address if empty)."))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices,
                                default=Category.MATERIAL)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), help_text=_(
        "In your words: what it is, where it comes from, how it is stored."))
    low_code = models.CharField(_("List of Waste code"), max_length=8, blank=True,
                                help_text=_("Confirm a suggestion or leave empty."))
    utility = models.CharField(_("utility"), max_length=16, choices=Utility.choices,
                               blank=True, help_text=_(
                                   "For energy, water or gas: which one. Empty for a material."))
    temperature_c = models.SmallIntegerField(_("temperature (°C)"), null=True, blank=True,
                                             help_text=_("Steam, hot water, heat: offered or "
                                                         "needed temperature."))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, null=True,
                                   blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=UNITS, blank=True)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices,
                                 default=Frequency.CONTINUOUS)
    physical_state = models.CharField(_("physical state"), max_length=8, choices=State.choices,
                                      default=State.SOLID)
    hazardous = models.BooleanField(_("hazardous"), default=False)
    current_fate = models.CharField(_("current fate"), max_length=14, choices=Fate.choices,
                                    blank=True)
    fate_cost_cents = models.PositiveIntegerField(
        _("current cost per unit (cents)"), null=True, blank=True)
    composition = models.TextField(_("composition notes"), blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    max_distance_km = models.PositiveIntegerField(_("maximum distance (km)"), null=True,
                                                  blank=True)
    confidentiality = models.CharField(_("who sees it"), max_length=10,
                                       choices=Confidentiality.choices,
                                       default=Confidentiality.MEMBERS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StreamQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("stream")
        verbose_name_plural = _("streams")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("symbiosis:stream", args=[self.pk])

    @property
    def code_display(self):
        return display(self.low_code)

    @property
    def code_label(self):
        """The code's label in the interface language."""
        from django.utils.translation import get_language

        node = taxonomy().get(self.low_code)
        return node.label("en" if (get_language() or "fr").startswith("en") else "fr") \
            if node else ""

    @property
    def is_utility(self):
        return bool(self.utility)

    @property
    def hidden_owner(self):
        return self.confidentiality in (Confidentiality.ANONYMOUS, Confidentiality.STAFF)

    def publish_until(self):
        return timezone.now() + timedelta(days=30 * settings.SYMBIOSIS_LISTING_MONTHS)

    @property
    def map_point(self):
        """Where the stream is: its site (without asking the site's organisation again),
        else its organisation."""
        from alliage.members.models import place_point

        return (place_point(self.site) if self.site_id else None) or \
            self.organisation.map_point

    @property
    def secret_place(self):
        """Members see this listing without its company: its place must not be worked out
        from its matches either (issue #11, M1). Staff-only listings never reach members'
        matches (``services.matches_for``), so they keep their exact place."""
        return self.confidentiality == Confidentiality.ANONYMOUS

    def engine_stream(self, *, coarse=False):
        """The stream as the matching engine reads it; `coarse`: placed at the centre of
        its ~25 km grid cell (``alliage.matching.scoring.coarse_point``)."""
        from alliage.matching.engine import Stream as EngineStream
        from alliage.matching.engine import coarse_point

        point = self.map_point
        if coarse and point:
            point = coarse_point(*point)
        return EngineStream(
            # Composition notes count too: a residue's use is often named there.
            id=str(self.pk), description=". ".join(
                part for part in (self.title, self.description, self.composition) if part),
            code=self.low_code or None,
            quantity=float(self.quantity) if self.quantity is not None and self.unit else None,
            unit=self.unit or None, lat=point[0] if point else None,
            lon=point[1] if point else None, max_distance_km=self.max_distance_km,
            available_from=self.available_from.toordinal() if self.available_from else None,
            available_until=self.available_until.toordinal() if self.available_until
            else None, hazardous=self.hazardous or None, utility=self.utility or None,
            temperature=self.temperature_c)


class MatchQuerySet(models.QuerySet):
    def current(self):
        """Matches the last refresh of both streams still finds (stale ones are kept for
        their introductions, never listed)."""
        return self.filter(stale=False)


class Match(models.Model):
    """A scored offer-need pair. Refreshed in place, never deleted by the refresh: a pair
    that is no longer found is marked stale, so its introductions and messages live on."""
    offer = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="matches_as_offer")
    need = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="matches_as_need")
    # What a company sees while the match is blind. A pair with an anonymous listing is
    # scored (kept or dropped, ranked, explained) from that listing's coarse place, so no
    # sequence of limits or sites locates it (issue #11, M1). `exact_*`: the same pair
    # from the real places, for staff and once both sides accepted (None: same figures).
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    exact_score = models.FloatField(null=True, blank=True)
    exact_reasons = models.JSONField(null=True, blank=True)
    stale = models.BooleanField(default=False)
    computed_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["offer", "need"], name="one_match")]

    def __str__(self):
        return f"{self.offer} → {self.need} ({self.score:.2f})"

    def other(self, stream):
        return self.need if stream.pk == self.offer_id else self.offer

    @property
    def revealed(self):
        """Both sides accepted an introduction: names and exact figures are shown."""
        return any(intro.revealed for intro in self.introductions.all())

    def blind_for(self, *, staff):
        """Figures are rounded for this viewer: not staff and not yet introduced."""
        return not (staff or self.revealed)

    @property
    def true_score(self):
        """The score from the real places (staff, or both sides introduced)."""
        return self.exact_score if self.exact_score is not None else self.score

    @property
    def true_reasons(self):
        return self.exact_reasons if self.exact_reasons is not None else self.reasons

    def reasons_for(self, *, staff):
        """The reasons in words; rounded figures (from an anonymous side's coarse place)
        while the counterpart is unnamed."""
        from alliage.symbiosis.blind import blind_reasons

        return blind_reasons(self.reasons) if self.blind_for(staff=staff) \
            else self.true_reasons

    @property
    def confidence(self):
        """"high", "medium" or "low" (the engine's bands, from the score shown)."""
        from alliage.matching.explain import confidence

        return confidence(self.score)

    @property
    def confidence_label(self):
        return {"high": _("high confidence"), "medium": _("medium confidence"),
                "low": _("low confidence")}[self.confidence]

    def score_for(self, *, staff):
        """The score in percent, as every page and the API show it (rounded while blind)."""
        from alliage.symbiosis.blind import score_percent

        if self.blind_for(staff=staff):
            return score_percent(self.score, blind=True)
        return score_percent(self.true_score, blind=False)


class Introduction(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for both sides")
        DISCUSSION = "discussion", _("In discussion")
        DECLINED = "declined", _("Declined")
        SYNERGY = "synergy", _("Synergy")

    # PROTECT: a match behind an introduction is never deleted with its conversation.
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="introductions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    offer_accepted = models.BooleanField(default=False)
    need_accepted = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.match} ({self.status})"

    @property
    def revealed(self):
        return self.offer_accepted and self.need_accepted

    def get_absolute_url(self):
        return reverse("symbiosis:introduction", args=[self.pk])


class Message(models.Model):
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE,
                                     related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    side = models.CharField(max_length=8)       # offer, need or staff
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:40]


class ImpactFactor(models.Model):
    """Staff-edited emission factors, each with its source and year."""
    key = models.SlugField(unique=True)
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=40)
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["key"]
        verbose_name = _("impact factor")
        verbose_name_plural = _("impact factors")

    def __str__(self):
        return f"{self.label}: {self.value} {self.unit}"


class Synergy(models.Model):
    class Mode(models.TextChoices):
        TRUCK = "truck", _("Truck")
        RAIL = "rail", _("Rail")
        SHIP = "ship", _("Ship")
        PIPE = "pipe", _("Pipe or on site")

    introduction = models.OneToOneField(Introduction, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="synergy")
    supplier = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                 related_name="synergies_supplied")
    receiver = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                 related_name="synergies_received")
    material = models.CharField(_("material"), max_length=200)
    low_code = models.CharField(_("List of Waste code"), max_length=8, blank=True)
    tonnes_per_year = models.DecimalField(_("tonnes per year"), max_digits=12,
                                          decimal_places=2)
    # Energy and water exchanges (issue #22): counted beside tonnes, not as tonnes.
    energy_mwh_per_year = models.DecimalField(_("energy per year (MWh)"), max_digits=12,
                                              decimal_places=2, default=0)
    water_m3_per_year = models.DecimalField(_("water per year (m³)"), max_digits=12,
                                            decimal_places=2, default=0)
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    distance_km = models.DecimalField(_("transport distance (km)"), max_digits=8,
                                      decimal_places=1, default=0)
    mode = models.CharField(_("transport mode"), max_length=6, choices=Mode.choices,
                            default=Mode.TRUCK)
    landfill_avoided = models.BooleanField(_("diverted from landfill"), default=True)
    replaces_virgin = models.CharField(_("virgin material replaced"), max_length=40,
                                       blank=True, help_text=_("Key of an impact factor."))
    disposal_cost_per_tonne = models.DecimalField(_("disposal cost avoided ($/t)"),
                                                  max_digits=10, decimal_places=2, default=0)
    purchase_cost_per_tonne = models.DecimalField(_("purchase cost avoided ($/t)"),
                                                  max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("synergy")
        verbose_name_plural = _("synergies")

    def __str__(self):
        return f"{self.material}: {self.supplier} → {self.receiver}"


def _file_path(instance, filename):
    return f"symbiosis/{instance.stream_id}/{filename}"


class StreamFile(models.Model):
    """A document or photo attached to a stream (analysis, safety data sheet, picture)."""
    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_file_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.caption or self.file.name

    @property
    def original_name(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def neutral_name(self):
        """A name that says nothing of the company (files of anonymous listings)."""
        stem, dot, ext = self.original_name.rpartition(".")
        return f"document-{self.pk}.{ext.lower()}" if dot and stem else f"document-{self.pk}"

    def name_for(self, *, owner):
        """The name a viewer sees: the original one only to the owner and staff when the
        listing hides its company."""
        return self.original_name if owner or not self.stream.hidden_owner \
            else self.neutral_name


class Characterisation(models.Model):
    """A characterisation campaign at one company (by staff or the partner non-profit)."""
    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE,
                                     related_name="characterisations")
    sampled_on = models.DateField(_("sampling date"))
    performed_by = models.CharField(_("performed by"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sampled_on"]
        verbose_name = _("characterisation")

    def __str__(self):
        return f"{self.organisation} ({self.sampled_on})"

    @property
    def total_kg(self):
        return sum(line.weight_kg for line in self.lines.all())

    @property
    def valorisable_share(self):
        total = self.total_kg
        if not total:
            return None
        return sum(line.weight_kg for line in self.lines.all() if line.valorisable) / total


class CharacterisationLine(models.Model):
    characterisation = models.ForeignKey(Characterisation, on_delete=models.CASCADE,
                                         related_name="lines")
    category = models.CharField(_("category"), max_length=120)
    low_code = models.CharField(_("List of Waste code"), max_length=8, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=2)
    valorisable = models.BooleanField(_("valorisable"), default=False)

    class Meta:
        ordering = ["-weight_kg"]

    def __str__(self):
        return self.category
