"""The header's main menu and the staff navigation, drawn from alliage.core.nav."""

from django import template

from alliage.core import nav

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The header links this viewer may follow: before, services (folded), after."""
    return nav.main_menu(is_member=context.get("viewer_is_member", False),
                          is_member_admin=context.get("viewer_is_member_admin", False),
                          is_staff=context.get("viewer_is_staff", False),
                          is_board=context.get("viewer_is_board", False))


@register.simple_tag(takes_context=True)
def staff_navigation(context):
    request = context.get("request")
    return nav.staff_navigation(request.path if request else "")


@register.simple_tag
def footer_links():
    """[{label, url}] of the footer's links registered by apps (the site's pages)."""
    return nav.footer_links()
