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
