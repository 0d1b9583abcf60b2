"""The home page's key figures, contributed by the apps above core (core knows no domain
app). Members registers the member companies, municipalities and parks it covers::

    home.register_figures("members", stats.public_figures)

A provider returns a dict merged into the template's ``figures``; the same key again
replaces the provider (``ready()`` may run more than once in tests).
"""

_providers = {}


def register_figures(key, provider):
    """Add ``provider()`` (a dict of figures safe to show anyone) to the home page."""
    _providers[key] = provider


def figures():
    """Every registered provider's figures, merged in registration order."""
    merged = {}
    for provider in _providers.values():
        merged.update(provider())
    return merged
