from django import forms
from django.utils.translation import gettext_lazy as _

from alliage.mailing.forms import RICH
from alliage.pages.models import ContactTopic, Page


class PageForm(forms.ModelForm):
    menu_position = forms.IntegerField(
        label=_("position in the menu"), required=False, min_value=1, max_value=999,
        help_text=_("Empty: not in the site's menu."))

    class Meta:
        model = Page
        fields = ["title_fr", "title_en", "slug", "description_fr", "description_en",
                  "body_fr", "body_en", "menu_position", "extra", "on_home"]
        # The newsletter composer's rich-text editor (static/js/composer.js) over each text;
        # without JavaScript the textareas take HTML. Both are sanitised by
        # mailing.richtext.clean when saved and when shown.
        widgets = {"body_fr": forms.Textarea(attrs=RICH), "body_en": forms.Textarea(attrs=RICH)}
        # The model's help names "/pages/<address>/": help is HTML, the tag would vanish.
        help_texts = {"slug": _("The end of the page's address, after /pages/ (lowercase "
                                "letters, digits and dashes).")}


class ContactForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Subject"), queryset=ContactTopic.objects.all(),
                                   empty_label=None)
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Your email"), max_length=254)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    message = forms.CharField(label=_("Message"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    # Spam traps without a third-party captcha: a field people never see (left empty)
    # and the form's signed time (robots post at once).
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off",
                                                            "tabindex": "-1"}))
    stamp = forms.CharField(widget=forms.HiddenInput)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
