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



_ELIDING = set("aeiouhAEIOUHàâäéèêëîïôöùûüœæÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


def _de_parts(name, language=None):
    from django.utils.translation import get_language

    name = str(name or "").strip()
    language = (language or get_language() or "fr").split("-")[0]
    if language != "fr":
        return "of ", name
    lowered = name.lower()
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if lowered.startswith(article):
            return contracted, name[len(article):]
    return ("d'" if name[:1] in _ELIDING else "de "), name


def de_name_text(name, language=None):
    """“of” before a name, in the active language; in French “d'” before a vowel or a (mute) h
    (“d'Alliage 02”, “d'Hydro-Sherbrooke”) and “de ” otherwise (“de Recyclage Estrie”), with
    the article contracted (“du Groupe X”, “des Ateliers Y”)."""
    return "".join(_de_parts(name, language))


@register.filter(needs_autoescape=True)
def de_name(name, autoescape=True):
    """Template form of ``de_name_text``: ``{{ association.name|de_name }}``."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    prefix, rest = _de_parts(name)
    if not autoescape:
        return prefix + rest
    return mark_safe(prefix + conditional_escape(rest))  # noqa: S308
