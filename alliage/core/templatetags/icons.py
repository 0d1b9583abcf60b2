"""One icon set for the whole site: Heroicons (the `heroicons` package, MIT), drawn inline.

`{% icon "bold" %}` draws the 24 px outline icon as decoration (`aria-hidden`, no focus,
class `icon`): the button or link around it carries the words. `{% icon "x" size=16 %}`
and `{% icon "x" style="solid" %}` change the size and the style; an unknown name raises
(`heroicons.IconDoesNotExist`), so a page test catches a typo."""

from django import template
from heroicons.templatetags import heroicons

register = template.Library()
STYLES = {"outline": heroicons.heroicon_outline, "solid": heroicons.heroicon_solid,
          "mini": heroicons.heroicon_mini, "micro": heroicons.heroicon_micro}


@register.simple_tag
def icon(name, *, size=None, style="outline", css="icon"):
    if style not in STYLES:
        raise template.TemplateSyntaxError(f"icon style {style!r}: use one of {list(STYLES)}")
    sizes = {"size": size} if size else {}
    return STYLES[style](str(name), **sizes, **{
        "class": css, "aria-hidden": "true", "focusable": "false"})
