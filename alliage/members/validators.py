"""Validators for Québec and Canadian identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NEQ = re.compile(r"^(11|22|33|88)\d{8}$")
_PHONE_DIGITS = re.compile(r"\D")
_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|poste)\s*")


def validate_neq(value):
    """A Québec enterprise number: 10 digits starting 11, 22, 33 or 88 (REQ formats)."""
    if not _NEQ.match(value or ""):
        raise ValidationError(
            _("A Québec enterprise number (NEQ) has 10 digits and starts with 11, 22, 33 or 88."),
            code="neq",
        )


def normalise_phone(value: str) -> str:
    """Return a North-American number as 418-555-0123 (with " x123" extension kept)."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = _EXTENSION.split(value, maxsplit=1)
    main, ext = parts[0], (parts[1] if len(parts) > 1 else "")
    digits = _PHONE_DIGITS.sub("", main)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        raise ValidationError(
            _("Enter a 10-digit phone number, e.g. 418 555-0123."), code="phone"
        )
    formatted = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    ext_digits = _PHONE_DIGITS.sub("", ext or "")
    return f"{formatted} x{ext_digits}" if ext_digits else formatted


def validate_phone(value):
    normalise_phone(value)


def validate_postal_code(value):
    if value and not re.match(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$", value.strip()):
        raise ValidationError(_("Enter a Canadian postal code such as G7K 1A1."),
                              code="postal_code")


def format_postal_code(value):
    """Validate and return a postal code as "G7K 1A1" ("" stays "")."""
    compact = (value or "").upper().replace(" ", "")
    if not compact:
        return ""
    validate_postal_code(compact)
    return f"{compact[:3]} {compact[3:]}"
