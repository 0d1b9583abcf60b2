"""Bilingual data fields (``*_fr`` / ``*_en``)."""

from django.utils.translation import get_language


def pick(fr, en):
    """The English text when the interface is English and one exists, else the French."""
    if (get_language() or "fr").startswith("en") and en:
        return en
    return fr or en
