from django import forms
from django.core.files.base import ContentFile
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from alliage.core.uploads import strip_metadata
from alliage.fair.models import Booth, Participant

ALLOWED = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".xlsx", ".docx")
MAX_BYTES = 10 * 1024 * 1024


class BoothForm(forms.ModelForm):
    class Meta:
        model = Booth
        fields = ["description_fr", "description_en", "products", "capabilities",
                  "video_url", "room_url", "opening_hours", "contact", "team", "published"]
        widgets = {**{f: forms.Textarea(attrs={"rows": 4})
                      for f in ("description_fr", "description_en", "products",
                                "capabilities")},
                   "team": forms.CheckboxSelectMultiple}
        help_texts = {"team": _("The people at the booth: visitors see their names and can "
                                "ask those who take part in the B2B meetings for one.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The contact person and the team are the exhibitor's own (current) people.
        people = self.instance.organisation.contacts.filter(
            affiliations__organisation=self.instance.organisation,
            affiliations__ended_on__isnull=True, anonymised_at__isnull=True).distinct()
        self.fields["contact"].queryset = people
        self.fields["team"].queryset = people


class DocumentForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    file = forms.FileField(label=capfirst(_("file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED):
            raise forms.ValidationError(_("Accepted files: PDF, images, Word or Excel."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return ContentFile(strip_metadata(upload.name, upload.read()), name=upload.name)


class LeadForm(forms.Form):
    phone = forms.CharField(label=capfirst(_("phone")), max_length=30, required=False)
    organisation_name = forms.CharField(label=capfirst(_("company")), max_length=200,
                                        required=False)
    message = forms.CharField(label=capfirst(_("message to the exhibitor")), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("I agree"), required=True, error_messages={
        "required": _("Your card is given to the exhibitor only with your consent: tick the "
                      "box to agree.")})


class ParticipantForm(forms.ModelForm):
    busy = forms.TypedMultipleChoiceField(label=capfirst(_("I am not available at")),
                                          required=False, coerce=int,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Participant
        fields = ["offers", "seeks"]
        widgets = {"offers": forms.Textarea(attrs={"rows": 3}),
                   "seeks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import formats, timezone

        self.fields["busy"].choices = [
            (i, formats.time_format(timezone.localtime(start), "H:i"))
            for i, start, _end in fair.slots()]
        if self.instance.pk:
            self.fields["busy"].initial = self.instance.busy_slots


class MeetingRequestForm(forms.Form):
    reason = forms.CharField(label=capfirst(_("why meet")), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say in a few words why you want "
                                                           "to meet.")})
    must_meet = forms.BooleanField(label=capfirst(_("must meet")), required=False)


class FairForm(forms.ModelForm):
    pavilions_text = forms.CharField(
        label=capfirst(_("pavilions")), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One pavilion per line, French name then, optionally, \" | \" and the "
                    "English name. A pavilion that holds booths cannot be removed."))

    class Meta:
        from alliage.fair.models import Fair

        model = Fair
        fields = ["title_fr", "title_en", "slug", "description_fr", "description_en", "event",
                  "status", "starts_at", "ends_at", "opening_hours", "meetings_start",
                  "meetings_end", "slot_minutes", "tables"]
        widgets = {f: forms.DateTimeInput(attrs={"type": "datetime-local"},
                                          format="%Y-%m-%dT%H:%M")
                   for f in ("starts_at", "ends_at", "meetings_start", "meetings_end")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["pavilions_text"].initial = "\n".join(
                f"{p.name_fr} | {p.name_en}" if p.name_en else p.name_fr
                for p in self.instance.pavilions.all())

    def clean(self):
        data = super().clean()
        start, end = data.get("meetings_start"), data.get("meetings_end")
        if bool(start) != bool(end) or (start and end and end <= start):
            raise forms.ValidationError(_("Give both the start and the end of the meetings, "
                                          "the end after the start."))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The fair closes after it opens."))
        if data.get("slot_minutes") is not None and data["slot_minutes"] < 5:
            self.add_error("slot_minutes", _("A meeting lasts at least 5 minutes."))
        return data

    def pavilion_names(self):
        out = []
        for line in self.cleaned_data.get("pavilions_text", "").splitlines():
            fr, _sep, en = line.partition("|")
            if fr.strip():
                out.append((fr.strip()[:120], en.strip()[:120]))
        return out
