"""Small request helpers shared by views."""


def posted(request):
    """The POST data for a form, or None on GET (so an empty POST still shows errors)."""
    return request.POST if request.method == "POST" else None


def uploaded(request):
    return request.FILES if request.method == "POST" else None


# Ids typed into forms and query strings: plain ASCII digits only ("²".isdigit() is True but
# int("²") fails; a 30-digit number overflows the database), within the BigAutoField range.
MAX_ID = 2**63 - 1


def _plain_int(raw, minimum, maximum):
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def int_param(data, name, *, default=None, minimum=1, maximum=MAX_ID):
    """``data[name]`` (a QueryDict or dict) as an int, or ``default`` when it is missing,
    not a plain decimal number, or out of bounds. Never raises: bad ids are ignored."""
    value = _plain_int(data.get(name), minimum, maximum)
    return default if value is None else value


def int_list(data, name, *, minimum=1, maximum=MAX_ID):
    """Every value of ``name`` that is a plain int within bounds (the others are dropped)."""
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
    return [v for raw in values if (v := _plain_int(raw, minimum, maximum)) is not None]
