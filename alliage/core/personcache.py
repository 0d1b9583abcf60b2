"""The logged-in person, from the shared cache: no query before a member's page starts.

Without it every logged-in request loads the user row and the person's roles (their
affiliations and their companies' status) from the database before any page work; with
the session itself read from Redis (``cached_db``, settings), a member's request then
starts like a visitor's. On only when the cache is shared by every process (``REDIS_URL``:
``settings.PERSON_CACHE``); a per-process cache could not be invalidated across workers.

One entry per person: ``(everyone_stamp, person_stamp, user, roles)``. It is trusted only
while both stamps are still current:
- the person's stamp changes whenever their user row is saved or deleted (a password
  change, a deactivation, staff or board granted or taken, a new language);
- the stamp shared by everyone changes whenever data a role source reads changes (the
  sources name their models with ``roles.register_role_source(..., depends_on=...)``, and
  writes that bypass signals, ``QuerySet.update()``, call ``forget_everyone()``).
Stamps change at the write and again when its transaction commits, and a reader stores an
entry under the stamps it read *before* loading from the database: a reader that loaded
data about to change cannot leave it behind as current. ``TTL`` bounds anything missed.

The session is still checked as Django does on every request: the session's auth hash
must match the cached user's (else Django's own path runs: database, fallback keys, flush).

Tests: ``tests/core/test_personcache.py``.
"""

import copy
import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

TTL = 300  # seconds: a backstop only, stamps do the invalidating
STAMP_TTL = 86400  # a stamp that expires is recreated new: entries under the old one go unused
EVERYONE = "person:stamp"
_STAMP_ATTR = "_alliage_person_stamps"  # (everyone, person) read before the load
_SNAPSHOT_ATTR = "_alliage_person_snapshot"  # the user as loaded, before any page touched it


def enabled():
    return getattr(settings, "PERSON_CACHE", False)


def _entry_key(user_id):
    return f"person:{user_id}"


def _stamp_key(user_id):
    return f"person:stamp:{user_id}"


def _new_stamp():
    return uuid.uuid4().hex


def _bump(key):
    cache.set(key, _new_stamp(), STAMP_TTL)


def _bump_now_and_on_commit(key):
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def forget(user_id):
    """The cached user and roles of this person are stale (their user row changed)."""
    _bump_now_and_on_commit(_stamp_key(user_id))


def forget_everyone():
    """Every person's cached roles are stale (affiliations or companies changed)."""
    _bump_now_and_on_commit(EVERYONE)


def _on_user_change(sender, instance, **kwargs):
    if instance.pk is not None:
        forget(instance.pk)


def _on_role_data_change(sender, **kwargs):
    forget_everyone()


def connect():
    """Forget a person when their user row is saved or deleted (``CoreConfig.ready``)."""
    for signal in (post_save, post_delete):
        signal.connect(_on_user_change, sender=settings.AUTH_USER_MODEL,
                       dispatch_uid=f"personcache.user.{signal is post_save}")


def watch(model):
    """Forget everyone's roles when a row of ``model`` ("app.Model" or the class) is saved
    or deleted (a role source reads it)."""
    label = model if isinstance(model, str) else model._meta.label
    for signal in (post_save, post_delete):
        signal.connect(_on_role_data_change, sender=model,
                       dispatch_uid=f"personcache.roles.{label}.{signal is post_save}")


def _read(user_id):
    """(entry or None, current stamps); missing stamps are created."""
    keys = [_entry_key(user_id), EVERYONE, _stamp_key(user_id)]
    found = cache.get_many(keys)
    stamps = []
    for key in keys[1:]:
        stamp = found.get(key)
        if stamp is None:
            stamp = _new_stamp()
            if not cache.add(key, stamp, STAMP_TTL):  # another process created it first
                stamp = cache.get(key) or stamp
        stamps.append(stamp)
    return found.get(keys[0]), tuple(stamps)


def _snapshot(user):
    """A copy of the user as the database gave it: no related rows, no per-request marks."""
    clean = copy.copy(user)
    clean._state = copy.copy(user._state)
    clean._state.fields_cache = {}
    for attr in list(vars(clean)):
        if attr.startswith(("_alliage_", "_prefetched", "_perm_cache", "_user_perm_cache",
                            "_group_perm_cache", "otp_")) or attr == "is_verified":
            delattr(clean, attr)
    return clean


def _store(user_id, stamps, snapshot, roles):
    cache.set(_entry_key(user_id), (*stamps, snapshot, None if roles is None
                                    else frozenset(roles)), TTL)


def get_user(request):
    """``request.user``: from the cache when its entry is current and the session's auth
    hash matches, else Django's ``auth.get_user`` (then cached)."""
    if not enabled():
        return auth.get_user(request)
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if (user_id is None or not session_hash
            or session.get(auth.BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS):
        return auth.get_user(request)
    entry, stamps = _read(user_id)
    if entry is not None and entry[:2] == stamps and constant_time_compare(
            session_hash, entry[2].get_session_auth_hash()):
        user, roles = entry[2], entry[3]
        if roles is not None:
            user._alliage_roles = set(roles)
            return user
        snapshot = _snapshot(user)
    else:
        user = auth.get_user(request)  # the database, the hash, the fallback keys, a flush
        if not user.is_authenticated or str(user.pk) != str(user_id):
            return user
        snapshot = _snapshot(user)
        _store(user_id, stamps, snapshot, None)
    setattr(user, _STAMP_ATTR, stamps)
    setattr(user, _SNAPSHOT_ATTR, snapshot)
    return user


def remember_roles(user, roles):
    """Keep ``roles`` (just computed by ``core.roles``) with the person's entry, under the
    stamps read before the user was loaded. Users not loaded by ``get_user`` are skipped."""
    stamps = getattr(user, _STAMP_ATTR, None)
    snapshot = getattr(user, _SNAPSHOT_ATTR, None)
    if stamps is None or snapshot is None or not enabled():
        return
    _store(user.pk, stamps, snapshot, roles)


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware`` with ``request.user`` from ``get_user`` above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))
