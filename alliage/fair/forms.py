from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from alliage.core.uploads import strip_metadata
from alliage.fair.models import Booth, Participant

ALLOWED = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".xlsx", ".docx")
MAX_BYTES = 10 * 1024 * 1024


class BoothForm(forms.ModelForm):
    class Meta:
        model = Booth
        fields = ["description_fr", "description_en", "products", "capabilities",
                  "video_url", "room_url", "opening_hours", "contact", "published"]
        widgets = {f: forms.Textarea(attrs={"rows": 4})
                   for f in ("description_fr", "description_en", "products", "capabilities")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The contact person is one of the exhibitor's own people.
        self.fields["contact"].queryset = self.instance.organisation.contacts.filter(
            affiliations__ended_on__isnull=True).distinct()


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED):
            raise forms.ValidationError(_("Accepted files: PDF, images, Word or Excel."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return ContentFile(strip_metadata(upload.name, upload.read()), name=upload.name)


class LeadForm(forms.Form):
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    organisation_name = forms.CharField(label=_("company"), max_length=200, required=False)
    message = forms.CharField(label=_("message to the exhibitor"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("I agree"), required=True, error_messages={
        "required": _("Your card is given to the exhibitor only with your consent: tick the "
                      "box to agree.")})


class ParticipantForm(forms.ModelForm):
    busy = forms.TypedMultipleChoiceField(label=_("I am not available at"), required=False,
                                          coerce=int, widget=forms.CheckboxSelectMultiple)

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
    reason = forms.CharField(label=_("why meet"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    must_meet = forms.BooleanField(label=_("must meet"), required=False)
