from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from alliage.billing.accounting import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Far enough for any real period, near enough that a typo ("20266") is an error, not a scan.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class PeriodForm(forms.Form):
    """A period typed by staff (YYYY-MM-DD), both days included."""

    start = forms.DateField(label=_("From"), widget=DATE, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("To"), widget=DATE, input_formats=["%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
        if start and end and start > end and not self.errors:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    @property
    def period(self):
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
