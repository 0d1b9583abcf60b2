"""Text helpers shared by search code."""

from unidecode import unidecode


def fold(text) -> str:
    """Lower-case ASCII form used for accent- and case-insensitive search."""
    return " ".join(unidecode(str(text or "")).lower().split())
