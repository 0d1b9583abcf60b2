from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from alliage.core.uploads import strip_metadata
from alliage.matching.taxonomy import display, normalise_code, taxonomy
from alliage.symbiosis.models import Stream

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StreamForm(forms.ModelForm):
    class Meta:
        model = Stream
        fields = ["kind", "site", "category", "utility", "title", "description", "low_code",
                  "quantity", "unit", "temperature_c",
                  "frequency", "physical_state", "hazardous", "current_fate",
                  "fate_cost_cents", "composition", "available_from", "available_until",
                  "max_distance_km", "confidentiality"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}),
                   "composition": forms.Textarea(attrs={"rows": 2}),
                   "available_from": DATE, "available_until": DATE}

    def __init__(self, *args, organisation=None, **kwargs):
        from alliage.members.models import Site

        super().__init__(*args, **kwargs)
        organisation = organisation or (self.instance.organisation
                                        if self.instance.organisation_id else None)
        # Only the organisation's own sites; none offered before it is known.
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation) \
            if organisation else Site.objects.none()
        if organisation is None or not self.fields["site"].queryset.exists():
            self.fields["site"].widget = forms.HiddenInput()

    # Physically possible process temperatures: absolute zero is -273 °C; steel and glass
    # furnaces run below 2,000 °C. Also inside the column's small-integer range on PostgreSQL.
    TEMPERATURE_RANGE = (-273, 2000)

    def clean_temperature_c(self):
        value = self.cleaned_data.get("temperature_c")
        low, high = self.TEMPERATURE_RANGE
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(_("Give a temperature between %(low)s and %(high)s °C.")
                                        % {"low": low, "high": high})
        return value

    def clean_low_code(self):
        raw = self.cleaned_data.get("low_code", "").strip()
        if not raw:
            return ""
        code = normalise_code(raw)
        if not code or code not in taxonomy().nodes:
            raise forms.ValidationError(_("Unknown List of Waste code: %(code)s.")
                                        % {"code": raw})
        return code

    def clean(self):
        data = super().clean()
        if (data.get("quantity") is None) != (not data.get("unit")):
            self.add_error("unit", _("Give the quantity and its unit together."))
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("The end precedes the start."))
        code = data.get("low_code")
        if code and taxonomy().is_hazardous(code) and not data.get("hazardous"):
            # Never set silently: the member confirms, knowing what it means.
            self.add_error("hazardous", _(
                "%(code)s is a hazardous entry of the List of Waste (marked *). Tick "
                "'hazardous' to confirm it: the listing will be shown as hazardous "
                "material, only to companies able to receive it under permit, and "
                "transport and storage become regulated. Otherwise choose a non-hazardous "
                "code.") % {"code": display(code) + "*"})
        return data


class CompanyChoiceForm(forms.Form):
    """The company a member admin (or staff) acts for, among ``organisations``; one left
    empty means the only one. A hand-typed or foreign id is a form error, never a 500."""
    organisation = forms.ModelChoiceField(
        label=_("Company"), queryset=None, required=False,
        error_messages={"invalid_choice": _("Choose the company.")})

    def __init__(self, data, *, organisations):
        super().__init__(data)
        self.fields["organisation"].queryset = organisations

    def clean_organisation(self):
        chosen = self.cleaned_data.get("organisation")
        if chosen is None:
            only = list(self.fields["organisation"].queryset[:2])
            if len(only) != 1:
                raise forms.ValidationError(_("Choose the company."))
            chosen = only[0]
        return chosen


class SynergyForm(forms.Form):
    material = forms.CharField(label=_("material"), max_length=200)
    tonnes_per_year = forms.DecimalField(label=_("tonnes per year"), min_value=0,
                                         max_digits=12, decimal_places=2)
    energy_mwh_per_year = forms.DecimalField(label=_("energy per year (MWh)"), min_value=0,
                                             max_digits=12, decimal_places=2, initial=0)
    water_m3_per_year = forms.DecimalField(label=_("water per year (m³)"), min_value=0,
                                           max_digits=12, decimal_places=2, initial=0)
    started_on = forms.DateField(label=_("start"), widget=DATE)
    distance_km = forms.DecimalField(label=_("transport distance (km)"), min_value=0,
                                     max_digits=8, decimal_places=1)
    mode = forms.ChoiceField(label=_("transport mode"), choices=[
        ("truck", _("Truck")), ("rail", _("Rail")), ("ship", _("Ship")),
        ("pipe", _("Pipe or on site"))])
    replaces_virgin = forms.CharField(label=_("virgin material replaced"), required=False,
                                      max_length=40)
    disposal_cost_per_tonne = forms.DecimalField(label=_("disposal cost avoided ($/t)"),
                                                 min_value=0, initial=0)
    purchase_cost_per_tonne = forms.DecimalField(label=_("purchase cost avoided ($/t)"),
                                                 min_value=0, initial=0)


ALLOWED = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".xlsx", ".csv", ".docx", ".txt")
MAX_BYTES = 10 * 1024 * 1024


class StreamFileForm(forms.Form):
    file = forms.FileField(label=_("Document or photo"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED):
            raise forms.ValidationError(_("Accepted files: PDF, images, spreadsheets, text."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        # No EXIF position in a photo, no author or company in a PDF's properties: the
        # listing may hide its company (now or later). See alliage.core.uploads.
        return ContentFile(strip_metadata(upload.name, upload.read()), name=upload.name)


class CharacterisationForm(forms.ModelForm):
    class Meta:
        from alliage.symbiosis.models import Characterisation

        model = Characterisation
        fields = ["organisation", "sampled_on", "performed_by", "notes"]
        widgets = {"sampled_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


def _line_formset():
    from alliage.symbiosis.models import Characterisation, CharacterisationLine

    return forms.inlineformset_factory(
        Characterisation, CharacterisationLine,
        fields=["category", "low_code", "weight_kg", "valorisable"], extra=5,
        can_delete=False, min_num=1, validate_min=True)


CharacterisationLineFormSet = _line_formset()
