"""The privacy page lists every app's retention rule from the Law 25 registry."""

from django import template

from alliage.core import privacy

register = template.Library()


@register.simple_tag
def privacy_rules():
    """[(title, rule, kept after erasure)] in the active language."""
    return privacy.rules()
