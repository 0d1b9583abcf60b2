"""How every form of the site is drawn (FORM_RENDERER): one look, the same for all apps.

- Labels carry no colon, and a required field's label ends with a red asterisk that
  screen readers skip (the input's `required` attribute says it to them); not on a select
  that has no empty choice (it cannot be left empty).
- `{{ form }}` and `{{ field.as_field_group }}` use `forms/field.html`: a checkbox beside
  its label, radio and checkbox lists in a fieldset with a legend, help text and errors
  tied to the field (Django 5.2's `aria-describedby` to `<id>_helptext` and `<id>_error`).
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html


def _can_be_left_empty(field):
    """A select with no empty choice always has a value: marking it required is noise."""
    if isinstance(field.widget, forms.Select) and not isinstance(field.widget,
                                                                forms.SelectMultiple):
        if isinstance(field, forms.ModelChoiceField):      # (without querying its rows)
            return field.empty_label is not None
        return any(value in ("", None) for value, _label in getattr(field, "choices", []))
    return True


class DesignedBoundField(BoundField):
    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if contents is None and self.field.required and not self.field.widget.is_hidden \
                and self.label and _can_be_left_empty(self.field):
            contents = format_html('{}<span class="required-mark" aria-hidden="true">*</span>',
                                   self.label)
        return super().label_tag(contents, attrs, "" if label_suffix is None else label_suffix,
                                 tag)


class FormRenderer(DjangoTemplates):
    """Django's renderer with the site's field template and bound field."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignedBoundField
