from django import forms
from django.utils.translation import gettext_lazy as _

from alliage.mailing import richtext
from alliage.mailing.models import Campaign, MailingList, Post

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200,
                                        required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("fr", "Français"),
                                                               ("en", "English")])
    lists = forms.ModelMultipleChoiceField(
        label=_("Lists"), widget=forms.CheckboxSelectMultiple,
        queryset=MailingList.objects.filter(is_public=True))
    consent = forms.BooleanField(label=_("I agree to receive these messages"), required=True)
    website = forms.CharField(required=False, widget=forms.HiddenInput)   # honeypot

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please try again."))
        return ""


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("fr", "Français"),
                                                               ("en", "English")])
    lists = forms.ModelMultipleChoiceField(
        label=_("Lists"), widget=forms.CheckboxSelectMultiple, required=False,
        queryset=MailingList.objects.filter(is_public=True))


RICH = {"rows": 14, "data-rich-editor": "", "class": "rich-source"}


class CampaignForm(forms.ModelForm):
    """A campaign; its messages come from the rich-text composer as HTML and are stored
    sanitised (`richtext.clean`). A campaign still in Markdown opens converted."""

    class Meta:
        model = Campaign
        fields = ["title", "subject_fr", "subject_en", "body_fr", "body_en", "lists",
                  "audience", "segment", "event", "include_news", "scheduled_at"]
        widgets = {"body_fr": forms.Textarea(attrs=RICH), "body_en": forms.Textarea(attrs=RICH),
                   "lists": forms.CheckboxSelectMultiple, "scheduled_at": DATETIME}
        labels = {"body_fr": _("Message (French)"), "body_en": _("Message (English)")}
        help_texts = {"body_fr": _("Personalise with the First name and Company buttons: "
                                   "each recipient sees their own.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("body_fr", "body_en"):
            self.initial[name] = richtext.for_editor(self.initial.get(name))

    def clean_body_fr(self):
        body = richtext.clean(self.cleaned_data["body_fr"])
        if not body:
            raise forms.ValidationError(_("Write the French message."))
        return body

    def clean_body_en(self):
        return richtext.clean(self.cleaned_data["body_en"])

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in ("lists", "audience", "segment", "event")):
            raise forms.ValidationError(_("Choose at least one list or audience."))
        return data


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["kind", "title_fr", "title_en", "summary_fr", "summary_en", "body_fr",
                  "body_en", "published_at"]
        widgets = {"published_at": DATETIME, "body_fr": forms.Textarea(attrs={"rows": 10}),
                   "body_en": forms.Textarea(attrs={"rows": 10}),
                   "summary_fr": forms.Textarea(attrs={"rows": 2}),
                   "summary_en": forms.Textarea(attrs={"rows": 2})}


class CampaignImageForm(forms.ModelForm):
    MAX_BYTES = 2 * 1024 * 1024

    class Meta:
        from alliage.mailing.models import CampaignImage

        model = CampaignImage
        fields = ["file", "alt"]

    def clean_file(self):
        image = self.cleaned_data["file"]
        if image.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The image is larger than 2 MB."))
        width = getattr(getattr(image, "image", None), "width", 0) or 0
        if width > 3000:
            raise forms.ValidationError(_("The image is wider than 3,000 pixels."))
        return image
