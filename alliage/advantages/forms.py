"""Forms of the advantages pages. Amounts are typed in dollars ("12,50") and kept in cents
(``core.widgets.CentsField``, the one every app uses)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from alliage.advantages.models import (
    Advantage,
    CollectionSubscription,
    GroupPurchase,
    Material,
    PriceTier,
    SharedResource,
    VolumeTier,
)
from alliage.advantages.purchasing import MAX_QUANTITY
from alliage.core.uploads import clean_document
from alliage.core.widgets import CentsField

DATETIME = {"type": "datetime-local"}
MAX_EMPLOYEES = 100_000


# Amounts land in PostgreSQL integer columns (cents) and are multiplied by head counts: keep
# them under $1,000,000 so no product overflows and a typo is caught with a clear message.
MAX_CENTS = 100_000_000


def _cents(label, required=True, help_text=""):
    return CentsField(label=label, required=required, help_text=help_text, validators=[
        MaxValueValidator(MAX_CENTS, message=_("Type an amount under $1,000,000."))])


class EnrolForm(forms.Form):
    employees = forms.IntegerField(label=_("Number of employees covered"), min_value=1,
                                   max_value=MAX_EMPLOYEES)


class PledgeForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity you commit to"), min_value=0,
                                  max_value=MAX_QUANTITY,
                                  help_text=_("0 withdraws your pledge."))


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(
        attrs=DATETIME, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("To"), widget=forms.DateTimeInput(
        attrs=DATETIME, format="%Y-%m-%dT%H:%M"))
    note = forms.CharField(label=_("Note for the owner"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and \
                data["ends_at"] <= data["starts_at"]:
            raise forms.ValidationError(_("The end must come after the start."))
        return data


class CollectionJoinForm(forms.Form):
    material = forms.ChoiceField(label=_("Material"), choices=Material.choices)
    estimated_kg = forms.IntegerField(label=_("Estimated kilograms per pick-up"), min_value=0,
                                      max_value=1_000_000,
                                      help_text=_("0 leaves the collection of this material."))


# --- Staff -------------------------------------------------------------------------------

class AdvantageForm(forms.ModelForm):
    price_cents = _cents(_("Price ($)"), required=False,
                         help_text=_("Flat: the yearly price. Per employee: the price per "
                                     "employee per year. Tiered: see the tiers below."))

    class Meta:
        model = Advantage
        fields = ["kind", "name_fr", "name_en", "slug", "provider", "description_fr",
                  "description_en", "conditions_fr", "conditions_en", "document", "is_active",
                  "pricing_rule", "price_cents", "hours_employee", "hours_spouse",
                  "hours_child", "discount_code", "discount_contact"]

    def clean_price_cents(self):
        return self.cleaned_data.get("price_cents") or 0

    def clean_document(self):
        """A PDF, Word or Excel file of 10 MB at most, that is what its name says, without
        its author properties (``core.uploads.clean_document``); anything else is refused."""
        upload = self.cleaned_data.get("document")
        if not upload or upload == getattr(self.instance, "document", None):
            return upload  # unchanged or cleared
        try:
            return clean_document(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class PriceTierForm(forms.ModelForm):
    price_cents = _cents(_("Yearly price ($)"))

    class Meta:
        model = PriceTier
        fields = ["min_employees", "max_employees", "price_cents"]


def price_tier_formset():
    return forms.inlineformset_factory(Advantage, PriceTier, form=PriceTierForm, extra=2,
                                       can_delete=True)


class GroupPurchaseForm(forms.ModelForm):
    list_price_cents = _cents(_("List unit price ($)"))

    class Meta:
        model = GroupPurchase
        fields = ["title_fr", "title_en", "slug", "supplier", "description_fr",
                  "description_en", "unit", "list_price_cents", "minimum_quantity", "deadline",
                  "status"]
        widgets = {"deadline": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")}

    def clean_status(self):
        status = self.cleaned_data["status"]
        closed = (GroupPurchase.Status.CLOSED, GroupPurchase.Status.FAILED)
        if status in closed and (self.instance.pk is None or self.instance.status != status):
            raise forms.ValidationError(_("A campaign closes itself at its deadline."))
        return status


class VolumeTierForm(forms.ModelForm):
    unit_price_cents = _cents(_("Unit price ($)"))

    class Meta:
        model = VolumeTier
        fields = ["min_quantity", "unit_price_cents"]


def volume_tier_formset():
    return forms.inlineformset_factory(GroupPurchase, VolumeTier, form=VolumeTierForm, extra=2,
                                       can_delete=True)


class ResourceForm(forms.ModelForm):
    hourly_rate_cents = _cents(_("Price per hour ($)"), required=False)
    monthly_cost_cents = _cents(
        _("Monthly cost to share ($)"), required=False,
        help_text=_("When set, each month's cost is split between the companies in proportion "
                    "to the hours they booked, instead of the price per hour."))

    class Meta:
        model = SharedResource
        fields = ["kind", "name_fr", "name_en", "description_fr", "owner", "hourly_rate_cents",
                  "monthly_cost_cents", "is_active"]

    def clean_hourly_rate_cents(self):
        return self.cleaned_data.get("hourly_rate_cents") or 0

    def clean_monthly_cost_cents(self):
        return self.cleaned_data.get("monthly_cost_cents") or 0


class UsageReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(q, f"T{q}") for q in (1, 2, 3, 4)])
    sessions = forms.IntegerField(label=_("Sessions (provider's total)"), min_value=0,
                                  max_value=1_000_000)
    hours = forms.DecimalField(label=_("Hours (provider's total)"), min_value=0,
                               max_value=1_000_000, decimal_places=1, required=False)


class RoundPlanForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    collector = forms.CharField(label=_("Collector"), max_length=150, required=False)
    subscriptions = forms.ModelMultipleChoiceField(
        label=_("Companies to visit"), queryset=CollectionSubscription.objects.none(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, material, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscriptions"].queryset = (
            CollectionSubscription.objects.filter(material=material, is_active=True,
                                                  organisation__member_status__in=[
                                                      "active", "grace"])
            .select_related("organisation__municipality").order_by(
                "organisation__municipality__name", "organisation__legal_name"))
        self.fields["subscriptions"].label_from_instance = lambda s: (
            f"{s.organisation.display_name} — "
            f"{s.organisation.municipality.name if s.organisation.municipality_id else '?'}"
            f" — {s.estimated_kg} kg")
