from django import forms

from alliage.core.models import Association
from alliage.core.widgets import ImagePreviewInput


class AssociationForm(forms.ModelForm):
    class Meta:
        model = Association
        fields = ["name", "short_name", "slogan", "logo", "street", "city", "province",
                  "postal_code", "phone", "email", "website", "tps_number", "tvq_number", "neq",
                  "privacy_officer_name", "privacy_officer_email", "privacy_officer_phone",
                  "primary_colour", "accent_colour", "font", "heading_font",
                  "newsletter_tracking"]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "logo": ImagePreviewInput,
        }
