"""Text helpers: folding for search, unique slugs."""

from django.utils.text import slugify
from unidecode import unidecode


def fold(text) -> str:
    """Lower-case ASCII form used for accent- and case-insensitive search."""
    return " ".join(unidecode(str(text or "")).lower().split())


def unique_slug(queryset, text, *, default, max_length=200, exclude_pk=None):
    """A slug made from ``text`` that no row of ``queryset`` holds yet: ``base``, then
    ``base-2``, ``base-3``… (``default`` when ``text`` has no letter or digit). The row being
    edited (``exclude_pk``) does not count. A race may still pick one twice: the column's
    unique constraint decides."""
    base = slugify(text)[:max_length] or default
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    slug, n = base, 2
    while queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
