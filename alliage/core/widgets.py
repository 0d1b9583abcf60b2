"""Widgets shared by every app's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImagePreviewInput(forms.ClearableFileInput):
    """An image upload that shows the current image, then the one chosen before it is sent
    (static/js/image-preview.js reads the file in the browser: a data: URL, which the CSP's
    img-src allows; nothing leaves the browser until the form is saved)."""

    template_name = "widgets/image_preview.html"
    clear_checkbox_label = _("Remove the image")

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/png,image/jpeg,image/webp,image/gif",
                          "data-image-preview": "", **(attrs or {})})


class CentsField(forms.CharField):
    """An amount typed in dollars ("45", "39,95", "1 234.50 $") and stored in integer cents;
    shown in dollars with two decimals, a decimal comma in French."""

    default_error_messages = {
        "invalid": _("Enter an amount in dollars, e.g. 40 or 39,95."),
        "negative": _("The amount cannot be negative."),
    }

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal",
                                                           "autocomplete": "off"}))
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            from django.utils import translation

            text = f"{value / 100:.2f}"
            return text.replace(".", ",") if translation.get_language().startswith("fr") else \
                text
        return value

    def to_python(self, value):
        from alliage.core.money import parse_cents

        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            cents = parse_cents(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") \
                from None
        if cents < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return cents
