from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from alliage.core.widgets import CentsField
from alliage.support import documents
from alliage.support.indicators import source_choices
from alliage.support.models import (
    CaseKind,
    CaseStatus,
    FundingProgram,
    Indicator,
    Outcome,
    Theme,
)

MAX_CENTS = 100_000_000 * 100   # 100 M$: beyond, a typing error


def _dollars(label, *, required=True, help_text=""):
    """An amount typed in dollars ("40 000", "39,95 $"), cleaned to integer cents."""
    return CentsField(label=label, required=required, help_text=help_text, validators=[
        MaxValueValidator(MAX_CENTS, message=_("At most 100 000 000 $: check the amount."))])


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project"), max_length=200)
    theme = forms.ChoiceField(label=_("Kind of project"), choices=Theme.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False, max_length=4000)
    budget = _dollars(_("Budget ($)"))
    starts_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))

    def cleaned_for_service(self):
        data = dict(self.cleaned_data)
        data["budget_cents"] = data.pop("budget")
        return data


class CaseRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of help"), choices=CaseKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What do you need?"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}))


class ProgramForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices,
                                       widget=forms.CheckboxSelectMultiple)
    max_amount = _dollars(_("Maximum amount ($)"), required=False)
    min_budget = _dollars(_("Minimum project budget ($)"), required=False)

    class Meta:
        model = FundingProgram
        fields = ["name_fr", "name_en", "funder", "level", "objectives_fr", "objectives_en",
                  "eligible_costs_fr", "eligible_costs_en", "themes", "sectors", "regions",
                  "min_employees", "max_employees", "rate_percent", "opens_on", "closes_on",
                  "continuous_intake", "url", "is_active"]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "objectives_fr": forms.Textarea(attrs={"rows": 3}),
                   "objectives_en": forms.Textarea(attrs={"rows": 3}),
                   "eligible_costs_fr": forms.Textarea(attrs={"rows": 3}),
                   "eligible_costs_en": forms.Textarea(attrs={"rows": 3}),
                   "sectors": forms.SelectMultiple(attrs={"size": 6}),
                   "regions": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from alliage.members.models import Sector

        # Sectors down to three digits: a program names families, not single industries.
        self.fields["sectors"].queryset = Sector.objects.filter(code__regex=r"^\d{2,3}$")
        if self.instance.pk:
            self.initial["max_amount"] = self.instance.max_amount_cents
            self.initial["min_budget"] = self.instance.min_budget_cents

    def clean(self):
        data = super().clean()
        low, high = data.get("min_employees"), data.get("max_employees")
        if low is not None and high is not None and low > high:
            self.add_error("max_employees", _("The maximum is below the minimum."))
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and opens > closes:
            self.add_error("closes_on", _("The deadline comes before the intake opens."))
        if data.get("rate_percent") is not None and data["rate_percent"] > 100:
            self.add_error("rate_percent", _("A share is at most 100 %."))
        return data

    def save(self, commit=True):
        program = super().save(commit=False)
        program.max_amount_cents = self.cleaned_data.get("max_amount")
        program.min_budget_cents = self.cleaned_data.get("min_budget")
        if commit:
            program.save()
            self.save_m2m()
        return program


class CaseUpdateForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Staff owner"), required=False,
                                   queryset=get_user_model().objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=[
        c for c in CaseStatus.choices if c[0] != CaseStatus.CLOSED])
    due_on = forms.DateField(label=_("Due"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_staff=True,
                                                                        is_active=True)


class CaseNoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    shared_with_member = forms.BooleanField(label=_("Visible to the member"), required=False)


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        c for c in Outcome.choices if c[0]])
    amount = _dollars(_("Financing obtained ($)"), required=False,
                      help_text=_("Only for financing obtained."))
    note = forms.CharField(label=_("Outcome note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.FINANCING and not data.get("amount"):
            self.add_error("amount", _("Give the amount of financing obtained."))
        return data


class IndicatorForm(forms.ModelForm):
    source = forms.ChoiceField(label=_("Source"), choices=source_choices, required=False)

    class Meta:
        model = Indicator
        fields = ["name", "source", "unit", "baseline", "baseline_year", "target",
                  "target_year"]

    def clean(self):
        data = super().clean()
        by, ty = data.get("baseline_year"), data.get("target_year")
        if by and ty and by > ty:
            self.add_error("target_year", _("The target year comes before the baseline year."))
        return data


class ReadingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2, localize=True)
    source_note = forms.CharField(label=_("Where the figure comes from"), max_length=200)


class CaseDocumentForm(forms.Form):
    """A document for a case; staff also say whether the member sees it."""

    file = forms.FileField(label=_("Document"), help_text=documents.HELP,
                           widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}))
    shared_with_member = forms.BooleanField(label=_("Visible to the member"), required=False,
                                            initial=True)

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["shared_with_member"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        documents.check_upload(upload)
        return upload
