"""Forms of the showcase: products, photos, points of sale, filters, the finder, requests
for quotes and the suppliers' answers."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core.models import Municipality, Park
from alliage.core.money import parse_cents
from alliage.members.models import Organisation
from alliage.showcase.models import Category, PointOfSale, Product, QuoteRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
PHOTO_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".xlsx", ".docx", ".txt",
                    ".csv")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name_fr", "name_en", "category", "description_fr", "description_en",
                  "made_in_region", "certifications", "points_of_sale", "is_published"]
        widgets = {"description_fr": forms.Textarea(attrs={"rows": 4}),
                   "description_en": forms.Textarea(attrs={"rows": 4}),
                   "points_of_sale": forms.CheckboxSelectMultiple}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Its own points of sale and the association's counters; never another company's.
        self.fields["points_of_sale"].queryset = PointOfSale.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True), is_active=True)
        self.fields["points_of_sale"].error_messages["invalid_choice"] = _(
            "Choose among the points of sale listed.")


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP, 5 MB at most)"))
    alt_text = forms.CharField(label=_("What the photo shows"), max_length=200,
                               required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if not upload.name.lower().endswith(PHOTO_TYPES):
            raise forms.ValidationError(_("Accepted photos: JPEG, PNG, WebP."))
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        return upload


class PointOfSaleForm(forms.ModelForm):
    class Meta:
        model = PointOfSale
        fields = ["name", "kind", "address", "municipality", "latitude", "longitude",
                  "website", "hours", "is_active"]

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or "
                                          "neither."))
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise forms.ValidationError(_("These coordinates are not on Earth."))
        return data


def _place_choices(empty):
    return [("", empty), *Municipality.objects.values_list("slug", "name")]


class CatalogueForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={"placeholder": _("Product, company…")}))
    category = forms.ChoiceField(label=_("Category"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    park = forms.ChoiceField(label=_("Industrial park"), required=False)
    certification = forms.ChoiceField(label=_("Certification"), required=False)
    made_in_region = forms.BooleanField(label=_("Made in the region"), required=False)

    def __init__(self, *args, certifications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]
        self.fields["municipality"].choices = _place_choices(_("All municipalities"))
        self.fields["park"].choices = [("", _("All parks")),
                                       *Park.objects.values_list("slug", "name")]
        self.fields["certification"].choices = [("", _("All certifications"))] + [
            (c, c) for c in certifications]

    def filters(self):
        """The valid filters (an unknown value is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: data.get(k) or "" for k in ("q", "category", "municipality", "park",
                                               "certification")} | {
            "made_in_region": bool(data.get("made_in_region"))}


class FinderForm(forms.Form):
    q = forms.CharField(label=_("What do you need?"), max_length=200,
                        widget=forms.SearchInput(attrs={"placeholder": _(
                            "e.g. usinage CNC d'aluminium, wooden pallets")}))
    place = forms.ChoiceField(label=_("Delivery place"), required=False)
    within = forms.TypedChoiceField(label=_("Distance"), required=False, coerce=int,
                                    empty_value=None, choices=[
                                        ("", _("Whole region")), ("25", _("Within 25 km")),
                                        ("50", _("Within 50 km")),
                                        ("100", _("Within 100 km"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = _place_choices(_("Anywhere"))

    def clean_q(self):
        q = self.cleaned_data["q"]
        if "\x00" in q:
            raise forms.ValidationError(_("Enter plain text."))
        return q

    def origin(self):
        slug = self.cleaned_data.get("place")
        town = Municipality.objects.filter(slug=slug).first() if slug else None
        return (town, (float(town.latitude), float(town.longitude)) if town else None)


class QuoteRequestForm(forms.ModelForm):
    suppliers = forms.ModelMultipleChoiceField(
        label=_("Suppliers asked"), queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one supplier."),
                        "invalid_choice": _("Choose among the suppliers listed."),
                        "invalid_pk_value": _("Choose among the suppliers listed.")})
    attachment_file = forms.FileField(label=_("Attachment (plan, specification: PDF, image, "
                                              "Office, 10 MB at most)"), required=False)

    class Meta:
        model = QuoteRequest
        fields = ["title", "description", "quantity", "deadline", "municipality",
                  "buyer_name", "buyer_email", "buyer_phone", "buyer_company"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "deadline": DATE}

    def __init__(self, *args, suppliers, visitor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suppliers"].queryset = suppliers
        if not visitor:        # a buyer with an account: their identity comes from it
            for name in ("buyer_name", "buyer_email", "buyer_phone", "buyer_company"):
                del self.fields[name]

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The date is already past."))
        return deadline

    def clean_attachment_file(self):
        upload = self.cleaned_data.get("attachment_file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(ATTACHMENT_TYPES):
            raise forms.ValidationError(_("Accepted files: PDF, images, Office documents, "
                                          "text."))
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        # A PDF or an Office file must be one (a web page renamed plan.pdf is refused).
        head = upload.read(8)
        upload.seek(0)
        ext = upload.name.lower().rsplit(".", 1)[-1]
        if (ext == "pdf" and not head.startswith(b"%PDF-")) or (
                ext in ("docx", "xlsx") and not head.startswith(b"PK\x03\x04")):
            raise forms.ValidationError(_("This file is not the kind its name says."))
        return upload

    def request_data(self):
        d = self.cleaned_data
        return {k: d[k] for k in ("title", "description", "quantity", "deadline",
                                  "municipality", "buyer_name", "buyer_email", "buyer_phone",
                                  "buyer_company") if k in d}


class QuoteAnswerForm(forms.Form):
    price = forms.CharField(label=_("Price before taxes ($)"), max_length=20)
    taxable = forms.BooleanField(label=_("TPS and TVQ apply"), required=False, initial=True)
    delay_days = forms.IntegerField(label=_("Delay (working days)"), min_value=0,
                                    max_value=3650)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    message = forms.CharField(label=_("Message to the buyer"), required=False,
                              max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_price(self):
        try:
            cents = parse_cents(self.cleaned_data["price"])
        except (ValueError, ArithmeticError):      # "1e309", "Infinity": not a price
            raise forms.ValidationError(_("Enter an amount such as 1 250,00.")) from None
        if cents <= 0 or cents > 10**12:
            raise forms.ValidationError(_("Enter a price above zero."))
        return cents


class DeclineForm(forms.Form):
    message = forms.CharField(label=_("Why (optional, the buyer sees it)"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
