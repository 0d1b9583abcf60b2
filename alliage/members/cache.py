"""Read-through cache for the public directory.

The directory is read far more than it is written. Results are cached under a version
number that any change to an organisation, its tags, or the places bumps, so a cached page is
never served after an edit (with a shared cache such as Redis; with the per-process local
cache, other processes catch up within ``TTL`` seconds).

Every cached value is bounded (issue #11, item 15): searches are keyed on their folded form
and stored only up to ``SEARCH_CACHED_MAX`` characters; filters only for values that exist
(sectors, parks, municipalities, tags, size bands); pages and API offsets only within the
results, API page sizes only from ``API_PAGE_SIZES``; and each kind of entry has a budget per
version (``BUDGETS``), past which values are computed and not stored.
"""

import hashlib
import json
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

from alliage.core.text import fold

VERSION_KEY = "members:directory:version"
# Versioned keys make a shared cache (Redis) safe for an hour; a per-process cache does not
# see other processes' version bumps, so its entries live a minute.
TTL = 3600 if settings.REDIS_URL else 60
# Folded characters of a search worth sharing: longer searches are answered, never stored.
SEARCH_CACHED_MAX = 40
# The API page sizes the anonymous page cache stores (the API itself accepts 1 to 200).
API_PAGE_SIZES = ("10", "20", "50", "100", "200")
# Entries per kind and version (``key``'s first part); the counters reset with the version.
BUDGETS = {"results": 2000, "count": 2000, "api": 2000, "api-detail": 5000, "form": 2000}
DEFAULT_BUDGET = 100
# With a shared cache, each process also keeps the values it read last in its own memory
# (a second level: no round trip to Redis for a repeated search). Keys carry the version,
# read from the shared cache once per request, so a local entry is never used after a
# bump; the least recently used go first past LOCAL_MAX entries.
LOCAL_MAX = 512
_local = OrderedDict()
_local_lock = threading.Lock()


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


def key(kind, *parts, at=None):
    """A versioned key for one ``kind`` of value ("results", "count", "api"…). ``at``: the
    directory version when the caller has read it already (one read per request)."""
    raw = "|".join(str(p) for p in (kind, *parts))
    digest = hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324
    return f"members:dir:{version() if at is None else at}:{kind}:{digest}"


def _admit(cache_key):
    """Count one more stored entry against its kind's budget for this version."""
    _members, _dir, current, kind, _digest = cache_key.split(":")
    counter = f"members:dir-budget:{current}:{kind}"
    cache.add(counter, 0, TTL)
    try:
        return cache.incr(counter) <= BUDGETS.get(kind, DEFAULT_BUDGET)
    except ValueError:  # the counter expired in between: store nothing this time
        return False


def _local_get(cache_key):
    with _local_lock:
        value = _local.get(cache_key)
        if value is not None:
            _local.move_to_end(cache_key)
        return value


def _local_set(cache_key, value):
    with _local_lock:
        _local[cache_key] = value
        _local.move_to_end(cache_key)
        while len(_local) > LOCAL_MAX:
            _local.popitem(last=False)


def remember(cache_key, compute, *, store=True):
    """The cached value, or ``compute()``'s, stored when ``store`` and within the budget.

    Values are shared between requests (and, with Redis, kept in this process too): never
    change one in place."""
    if not store:
        return compute()
    local = settings.REDIS_URL and _local_get(cache_key)
    if local:
        return local[0]
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        if not _admit(cache_key):
            return value
        cache.set(cache_key, value, TTL)
    if settings.REDIS_URL:
        _local_set(cache_key, (value,))
    return value


def search_key(q):
    """The folded search the directory runs (``Organisation.objects.search`` folds too), or
    None when it is too long to share."""
    folded = fold(q)
    return folded if len(folded) <= SEARCH_CACHED_MAX else None


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


def _known_sector_prefixes():
    """SCIAN codes, or prefixes of two digits or more, of the sectors that exist."""
    from alliage.members.models import Sector

    def compute():
        codes = Sector.objects.values_list("code", flat=True)
        return frozenset(code[:n] for code in codes for n in range(2, len(code) + 1))
    return remember(key("known", "sector"), compute)


def _api_page_aligned(params):
    """An API page the cache may store: offset a multiple of the page size."""
    return int(params.get("offset", 0)) % int(params.get("limit", 50)) == 0


def _api_page_not_past_the_end(response):
    try:
        page = json.loads(response.content)
        return page["offset"] == 0 or page["offset"] < page["count"]
    except (ValueError, KeyError, TypeError):
        return False


def register_pages():
    """The public pages the anonymous page cache serves, each with the parameters it reads
    (``alliage.core.pagecache``); the directory version keys them all."""
    from alliage.core import pagecache as pc
    from alliage.members.forms import DirectorySearchForm
    from alliage.members.models import SizeBand

    sectors = [code for code, _label in DirectorySearchForm.SECTORS if code]
    filters = {"q": pc.search(SEARCH_CACHED_MAX), "sector": pc.choice(sectors),
               "park": pc.choice(_known("park")),
               "municipality": pc.choice(_known("municipality")),
               "tag": pc.choice(_known("tag")), "size": pc.choice(SizeBand.values)}
    # (The home page is registered by core.home, keyed on this version among others.)
    # A page beyond the last is answered but marked private by the view (never stored).
    pc.register(r"/repertoire/", version=version,
                params=filters | {"page": pc.number(1, 100)})
    pc.register(r"/repertoire/carte/", version=version, params=filters)
    pc.register(r"/repertoire/[-\w]+/", version=version)
    api_filters = filters | {"sector": pc.choice(_known_sector_prefixes),
                             "offset": pc.number(0, 5000), "limit": pc.choice(API_PAGE_SIZES)}
    pc.register(r"/api/v1/members/organisations", version=version, params=api_filters,
                check=_api_page_aligned, store_if=_api_page_not_past_the_end)
    pc.register(r"/api/v1/members/organisations/[-\w]+", version=version)
