"""The home page, contributed by the apps above core (core knows no domain app).

Key figures: members registers the member companies, municipalities and parks it covers::

    home.register_figures("members", stats.public_figures, version=cache.version)

Sections (issue #14, item 11): what is alive — the next events, the latest news, a member
company in the spotlight, the symbiosis at a glance. Each app registers one::

    home.register_section("events", provider, order=10)

``provider(request)`` returns ``(template_name, context)`` or None when it has nothing to
show. A provider returns a dict merged into the template's ``figures``; the same key again
replaces the provider (``ready()`` may run more than once in tests).

The page is cached for anonymous visitors (``core.pagecache``) under ``version()``: the
figures' owners' versions, a counter any section's owner bumps when its content changes
(``bump``, connected to their models' signals) and the day (the spotlight turns daily).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

_providers = {}
_sections = {}
VERSION_KEY = "core:home:version"


@dataclass(frozen=True)
class Section:
    key: str
    provider: object
    order: int


def register_figures(key, provider, *, version=None):
    """Add ``provider()`` (a dict of figures safe to show anyone) to the home page;
    ``version()`` changes whenever the figures may (it keys the cached page)."""
    _providers[key] = (provider, version)


def figures():
    """Every registered provider's figures, merged in registration order."""
    merged = {}
    for provider, _version in _providers.values():
        merged.update(provider())
    return merged


def register_section(key, provider, *, order=50):
    """Add a block to the home page (see the module's docstring)."""
    _sections[key] = Section(key, provider, order)


_chooser = None


def register_chooser(chooser):
    """Let staff choose the blocks: ``chooser(keys)`` gets the registered keys in their
    default order and returns the keys to show, in order (pages.home_blocks does)."""
    global _chooser
    _chooser = chooser


def section_keys():
    """The registered sections' keys, in their default order."""
    return [s.key for s in sorted(_sections.values(), key=lambda s: (s.order, s.key))]


def sections(request):
    """[(template_name, context)] of the sections that have something to show, in order."""
    keys = section_keys()
    if _chooser is not None:
        keys = [k for k in _chooser(keys) if k in _sections]
    shown = []
    for section in (_sections[k] for k in keys):
        found = section.provider(request)
        if found:
            shown.append(found)
    return shown


def bump(*args, **kwargs):
    """Signal receiver: a section's content changed, the cached home page is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def version():
    """What keys the cached home page: every owner's version, the counter and the day."""
    counter = cache.get(VERSION_KEY)
    if counter is None:
        cache.add(VERSION_KEY, 1, None)
        counter = cache.get(VERSION_KEY, 1)
    owners = [str(v()) for _p, v in _providers.values() if v is not None]
    return ":".join([*owners, str(counter), timezone.localdate().isoformat()])
