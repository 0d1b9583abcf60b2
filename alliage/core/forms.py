from django import forms

from alliage.core.models import Association


class AssociationForm(forms.ModelForm):
    class Meta:
        model = Association
        exclude = ["updated_at"]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }
