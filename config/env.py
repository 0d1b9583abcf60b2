"""Strict readers for settings taken from the environment.

Every reader fails loudly with one line naming the variable, so a typo in production
stops start-up instead of silently falling back. ``NAME_FILE`` is read in place of
``NAME`` when set (Docker/Kubernetes secrets).
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name, default):
    file_var = os.environ.get(f"{name}_FILE")
    if file_var:
        try:
            return Path(file_var).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_var!r} ({exc})") from exc
    value = os.environ.get(name, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise ImproperlyConfigured(f"{name}: this environment variable is required")
        return default
    return value


def env_str(name, default=_MISSING):
    """A string variable; required when no default is given."""
    return _raw(name, default)


def env_bool(name, default=_MISSING):
    """A boolean variable: 1/true/yes/on or 0/false/no/off (any case)."""
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {value!r}")


def env_int(name, default=_MISSING, *, minimum=None):
    """An integer variable, optionally with a lower bound."""
    value = _raw(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}")
    return number


def env_list(name, default=_MISSING):
    """A comma-separated list; blanks are dropped."""
    value = _raw(name, default)
    if isinstance(value, list | tuple):
        return list(value)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name, choices, default=_MISSING):
    """One value out of a fixed set."""
    value = _raw(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name}: expected one of {allowed}, got {value!r}")
    return value


def env_required_in_production(name, *, debug, dev_default=""):
    """A string production must set: with DJANGO_DEBUG off an empty or missing value stops
    start-up with one line naming the variable; development falls back to ``dev_default``."""
    value = str(_raw(name, "")).strip()
    if value:
        return value
    if debug:
        return dev_default
    raise ImproperlyConfigured(
        f"{name}: this environment variable is required when DJANGO_DEBUG is off")


def dev_secret_key(path):
    """A random key made once for this checkout (development only) and reused afterwards.

    Written to a temporary file and hard-linked into place, so two processes starting at
    once agree on one key instead of each writing its own.
    """
    path = Path(path)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process won the race: use its key
    finally:
        temporary.unlink()
    return path.read_text(encoding="utf-8").strip()
