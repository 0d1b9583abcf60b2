from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliage.core import reporting
from alliage.reports import services
from alliage.reports.models import ActivityReport


class ReportForm(forms.ModelForm):
    """A report's period, titles and texts; a note per section (FR/EN) for what no figure
    says."""

    class Meta:
        model = ActivityReport
        fields = ["title_fr", "title_en", "start", "end",
                  "context_fr", "context_en", "president_word_fr", "president_word_en",
                  "director_word_fr", "director_word_en", "mission_fr", "mission_en",
                  "vision_fr", "vision_en", "values_fr", "values_en"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   **{name: forms.Textarea(attrs={"rows": 4}) for name in [
                       "context_fr", "context_en", "president_word_fr", "president_word_en",
                       "director_word_fr", "director_word_en", "mission_fr", "mission_en",
                       "vision_fr", "vision_en", "values_fr", "values_en"]}}

    def __init__(self, *args, with_notes=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.note_fields = []
        if not with_notes:
            return
        notes = self.instance.notes or {}
        for section in reporting.sections():
            for lang, label in (("fr", _("French")), ("en", _("English"))):
                name = f"note_{section.key}_{lang}"
                self.fields[name] = forms.CharField(
                    label=f"{section.title} — {label}", required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=(notes.get(section.key) or {}).get(lang, ""))
                self.note_fields.append(name)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                services.check_period(start, end)
            except ValidationError as error:
                self.add_error("end", error)
        return data

    def values(self):
        """The model fields and the notes, for the services."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        notes = {}
        for section in reporting.sections():
            entry = {lang: self.cleaned_data.get(f"note_{section.key}_{lang}", "").strip()
                     for lang in ("fr", "en")}
            if any(entry.values()):
                notes[section.key] = entry
        if self.note_fields:
            values["notes"] = notes
        return values
