from django import template

from alliage.core.money import format_money

register = template.Library()


@register.filter
def money(cents):
    """Cents as "1 234,56 $" (French) or "$1,234.56" (English)."""
    return format_money(cents)


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current query string with another page number."""
    qs = context.get("querystring", "")
    return f"?{qs}&page={page_number}" if qs else f"?page={page_number}"


@register.filter
def status_badge(status):
    """A CSS class for a status value."""
    return {"active": "badge-ok", "paid": "badge-ok", "grace": "badge-warn",
            "invoiced": "badge-warn", "issued": "badge-warn", "applied": "badge-warn",
            "lapsed": "badge-err", "refused": "badge-err", "cancelled": "badge-err"
            }.get(str(status), "")


@register.filter
def svg_img(svg, alt=""):
    """A server-rendered SVG chart as an <img> with a data: URI. Inline, its style
    attributes would be blocked by the CSP (no inline style) and the chart drawn black."""
    import base64

    from django.utils.html import format_html

    if not svg:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)
