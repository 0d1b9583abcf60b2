"""Read-through cache for the public directory.

The directory is read far more than it is written. Results are cached under a version
number that any change to an organisation, its tags, or the places bumps, so a cached page is
never served after an edit (with a shared cache such as Redis; with the per-process local
cache, other processes catch up within ``TTL`` seconds).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "members:directory:version"
# Versioned keys make a shared cache (Redis) safe for an hour; a per-process cache does not
# see other processes' version bumps, so its entries live a minute.
TTL = 3600 if settings.REDIS_URL else 60


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, None)
        current = cache.get(VERSION_KEY, 1)
    return current


def bump(*args, **kwargs):
    """Signal receiver: invalidate every cached directory entry."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def key(*parts):
    raw = "|".join(str(p) for p in parts)
    return f"members:dir:{version()}:{hashlib.sha1(raw.encode()).hexdigest()}"  # noqa: S324


def remember(cache_key, compute):
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TTL)
    return value


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from alliage.core.models import Association, Municipality, Park
    from alliage.members.models import Organisation, Sector

    # The association's identity is in every cached page's header and footer.
    for model in (Organisation, Park, Municipality, Sector, Association):
        post_save.connect(bump, sender=model, dispatch_uid=f"dir-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"dir-del-{model.__name__}")
    m2m_changed.connect(bump, sender=Organisation.tags.through, dispatch_uid="dir-tags")


def _known(kind):
    """Slugs a directory filter may name (parks, municipalities, tags), cached per version."""
    def values():
        from alliage.core.models import Municipality, Park
        from alliage.members.models import Tag

        model = {"park": Park, "municipality": Municipality, "tag": Tag}[kind]
        return remember(key("known", kind),
                        lambda: frozenset(model.objects.values_list("slug", flat=True)))
    return values


def register_pages():
    """The public pages the anonymous page cache serves, each with the parameters it reads
    (``alliage.core.pagecache``); the directory version keys them all."""
    from alliage.core import pagecache as pc
    from alliage.members.forms import DirectorySearchForm
    from alliage.members.models import SizeBand

    sectors = [code for code, _label in DirectorySearchForm.SECTORS if code]
    filters = {"q": pc.text(100), "sector": pc.choice(sectors), "park": pc.choice(_known("park")),
               "municipality": pc.choice(_known("municipality")),
               "tag": pc.choice(_known("tag")), "size": pc.choice(SizeBand.values)}
    # The home page shows the members' public figures.
    pc.register(r"/", version=version)
    pc.register(r"/repertoire/", version=version,
                params=filters | {"page": pc.number(1, 100)})
    pc.register(r"/repertoire/carte/", version=version, params=filters)
    pc.register(r"/repertoire/[-\w]+/", version=version)
    api_filters = filters | {"q": pc.text(200), "sector": pc.text(6),
                             "offset": pc.number(0, 5000), "limit": pc.number(1, 200)}
    pc.register(r"/api/v1/members/organisations", version=version, params=api_filters)
    pc.register(r"/api/v1/members/organisations/[-\w]+", version=version)
