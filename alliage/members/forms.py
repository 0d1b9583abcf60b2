from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from alliage.core.models import Municipality, Park
from alliage.core.widgets import ImagePreviewInput
from alliage.members.models import SizeBand


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput(attrs={"placeholder": _("Name, product, "
                                                                         "capability…")}))
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    park = forms.ChoiceField(label=_("Industrial park"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    size = forms.ChoiceField(label=_("Size"), required=False,
                             choices=[("", _("All sizes"))] + list(SizeBand.choices))
    tag = forms.CharField(required=False, widget=forms.HiddenInput)

    SECTORS = [
        ("", _("All sectors")),
        ("31", _("Manufacturing: food, textiles")),
        ("32", _("Manufacturing: wood, paper, chemicals, plastics")),
        ("33", _("Manufacturing: metals, machinery, equipment")),
        ("41", _("Wholesale trade")),
        ("48", _("Transportation and warehousing")),
        ("54", _("Professional, scientific and technical services")),
        ("56", _("Administrative and support, waste management")),
        ("23", _("Construction")),
        ("11", _("Agriculture, forestry")),
        ("21", _("Mining")),
        ("22", _("Utilities")),
        ("51", _("Information and cultural industries")),
        ("81", _("Other services")),
    ]

    def __init__(self, *args, at=None, **kwargs):
        """``at``: the directory version, when the view has read it already."""
        super().__init__(*args, **kwargs)
        from alliage.members import cache

        parks, towns = cache.remember(cache.key("places", at=at), lambda: (
            list(Park.objects.values_list("slug", "name")),
            list(Municipality.objects.values_list("slug", "name"))))
        self.fields["sector"].choices = self.SECTORS
        self.fields["park"].choices = [("", _("All parks")), *parks]
        self.fields["municipality"].choices = [("", _("All municipalities")), *towns]

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class AddressFormMixin:
    """The address block of a company's forms (its profile, the membership application): the
    phone and postal code written one way (418-555-0102, G7H 1A1), and an industrial park
    that lies in the chosen municipality."""

    def clean_phone(self):
        from alliage.members.validators import normalise_phone

        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_postal_code(self):
        from alliage.members.validators import format_postal_code

        return format_postal_code(self.cleaned_data.get("postal_code", ""))

    def clean(self):
        data = super().clean()
        park, municipality = data.get("park"), data.get("municipality")
        if park and municipality and park.municipality_id != municipality.pk:
            self.add_error("park", _("This industrial park is not in the chosen municipality."))
        return data


class OrganisationProfileForm(AddressFormMixin, forms.ModelForm):
    """What a member-company admin edits about their own organisation."""

    tag_names = forms.CharField(
        label=_("Products and capabilities"), required=False,
        help_text=_("Comma-separated, e.g. usinage CNC, soudure, découpe laser"))

    class Meta:
        from alliage.members.models import Organisation

        model = Organisation
        fields = ["trade_name", "website", "phone", "email", "street", "municipality",
                  "postal_code", "park", "employees", "founded_year", "description_fr",
                  "description_en", "certifications", "logo", "is_listed"]
        widgets = {"logo": ImagePreviewInput}

    VISIBILITY_FIELDS = ["website", "phone", "email", "street", "employees", "description",
                         "tags", "certifications", "founded_year"]

    def __init__(self, *args, **kwargs):
        from alliage.members.models import Organisation, Visibility

        super().__init__(*args, **kwargs)
        self.fields["tag_names"].initial = ", ".join(
            t.name for t in self.instance.tags.all()) if self.instance.pk else ""
        labels = {f: (Organisation._meta.get_field(f).verbose_name
                      if f not in ("description", "tags") else
                      (_("description") if f == "description" else _("capabilities")))
                  for f in self.VISIBILITY_FIELDS}
        for f in self.VISIBILITY_FIELDS:
            self.fields[f"vis_{f}"] = forms.ChoiceField(
                label=_("Who sees: %(field)s") % {"field": labels[f]},
                choices=Visibility.choices, initial=self.instance.visibility_of(f))

    def visibility_fields(self):
        return [self[f"vis_{f}"] for f in self.VISIBILITY_FIELDS]

    def main_fields(self):
        return [self[f] for f in list(self.Meta.fields) + ["tag_names"]]

    def clean_employees(self):
        value = self.cleaned_data.get("employees")
        if value is not None and value > 100000:
            raise forms.ValidationError(_("Enter a realistic number of employees."))
        return value

    def save(self, commit=True):
        from django.utils.text import slugify

        from alliage.members.models import Tag

        org = super().save(commit=False)
        org.field_visibility = {f: self.cleaned_data[f"vis_{f}"]
                                for f in self.VISIBILITY_FIELDS}
        names = [n.strip() for n in self.cleaned_data.get("tag_names", "").split(",")
                 if n.strip()]
        self._tags = []
        for name in names[:30]:
            slug = slugify(name)[:90]
            if slug:
                tag, _created = Tag.objects.get_or_create(slug=slug,
                                                          defaults={"name": name[:80]})
                self._tags.append(tag)
        if commit:
            org.save()
            self.save_m2m()
        return org

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.tags.set(self._tags)


class StaffOrganisationForm(OrganisationProfileForm):
    """Staff also edit the legal identity and classification."""

    class Meta(OrganisationProfileForm.Meta):
        fields = ["legal_name", "neq", "primary_sector", "secondary_sectors",
                  "latitude", "longitude"] + OrganisationProfileForm.Meta.fields

    VISIBILITY_FIELDS = OrganisationProfileForm.VISIBILITY_FIELDS + ["neq", "secondary_sectors"]


class ApplicationForm(AddressFormMixin, forms.Form):
    """The public "Devenir membre" form."""

    legal_name = forms.CharField(label=_("Legal name of the company"), max_length=200)
    trade_name = forms.CharField(label=_("Trade name (if different)"), max_length=200,
                                 required=False)
    neq = forms.CharField(label=capfirst(_("Québec enterprise number (NEQ)")), max_length=10,
                          required=False)
    primary_sector = forms.ModelChoiceField(label=_("Main activity (SCIAN)"), queryset=None)
    employees = forms.IntegerField(label=_("Number of employees"), min_value=1,
                                   max_value=100000)
    street = forms.CharField(label=_("Street address"), max_length=200)
    municipality = forms.ModelChoiceField(label=_("Municipality"),
                                          queryset=Municipality.objects.all())
    park = forms.ModelChoiceField(label=_("Industrial park"), queryset=Park.objects.all(),
                                  required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=7)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    membership_type = forms.ModelChoiceField(label=_("Membership type"), queryset=None,
                                             widget=forms.RadioSelect, empty_label=None)
    first_name = forms.CharField(label=_("Your first name"), max_length=80)
    last_name = forms.CharField(label=_("Your last name"), max_length=80)
    title = forms.CharField(label=_("Your title"), max_length=120, required=False)
    email = forms.EmailField(label=_("Your email"))
    phone = forms.CharField(label=_("Your phone"), max_length=30)
    message = forms.CharField(label=_("Message to the association"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    consent = forms.BooleanField(
        label=_("I agree that the association keeps these details to process the "
                "application, as described in its privacy policy."))

    def __init__(self, *args, **kwargs):
        from alliage.members.models import MembershipType, Sector

        super().__init__(*args, **kwargs)
        self.fields["primary_sector"].queryset = Sector.objects.filter(parent__isnull=False)
        self.fields["membership_type"].queryset = MembershipType.objects.filter(
            is_active=True, is_public=True)

    def clean_neq(self):
        from alliage.members.models import Organisation
        from alliage.members.validators import validate_neq

        neq = self.cleaned_data.get("neq", "").replace(" ", "")
        if neq:
            validate_neq(neq)
            if Organisation.objects.filter(neq=neq).exists():
                raise forms.ValidationError(_("This company is already known to the "
                                              "association: contact us to renew."))
        return neq


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    message = forms.CharField(label=_("Message to the applicant"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class OverrideForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from alliage.members.models import Membership

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Membership.Status.choices


class PaymentForm(forms.Form):
    from alliage.billing.models import Payment

    amount = forms.CharField(label=_("Amount ($)"), max_length=20)
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    received_on = forms.DateField(label=_("Received on"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)

    def clean_amount(self):
        from alliage.core.money import parse_cents

        try:
            cents = parse_cents(self.cleaned_data["amount"])
        except ValueError:
            raise forms.ValidationError(_("Enter an amount such as 1 234,56.")) from None
        if cents <= 0:
            raise forms.ValidationError(_("The amount must be greater than zero."))
        return cents


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)
    due_on = forms.DateField(label=_("Follow up on"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))


class CrmFilterForm(DirectorySearchForm):
    """The staff list filters: the directory's plus membership status and employee range."""

    from alliage.members.models import MemberStatus

    status = forms.ChoiceField(label=_("Membership status"), required=False,
                               choices=[("", _("All"))] + list(MemberStatus.choices))
    min_employees = forms.IntegerField(label=_("Employees at least"), required=False,
                                       min_value=0)
    max_employees = forms.IntegerField(label=_("Employees at most"), required=False,
                                       min_value=0)


class ContactForm(forms.ModelForm):
    class Meta:
        from alliage.members.models import Contact

        model = Contact
        fields = ["first_name", "last_name", "email", "phone", "language", "notes"]

    def clean_phone(self):
        from alliage.members.validators import normalise_phone

        return normalise_phone(self.cleaned_data.get("phone", ""))


class SiteForm(forms.ModelForm):
    class Meta:
        from alliage.members.models import Site

        model = Site
        fields = ["name", "address", "municipality", "park", "latitude", "longitude"]

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", _("Give the latitude and the longitude together."))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("A latitude lies between -90 and 90."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("longitude", _("A longitude lies between -180 and 180."))
        return data


def site_formset():
    from django.forms import inlineformset_factory

    from alliage.members.models import Organisation, Site

    return inlineformset_factory(Organisation, Site, form=SiteForm, extra=1, can_delete=True,
                                 max_num=50, validate_max=True)
