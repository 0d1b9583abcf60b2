"""Roles and the permission helpers every app uses.

Roles are derived, never stored twice: staff and board flags live on the User, the
member roles come from the person's current affiliations (members registers that source
with ``register_role_source``: core knows no domain app).
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    PUBLIC = "public"
    MEMBER_CONTACT = "member_contact"
    MEMBER_ADMIN = "member_admin"
    BOARD = "board"
    STAFF = "staff"


ROLE_LABELS = {
    Role.PUBLIC: _("Public visitor"),
    Role.MEMBER_CONTACT: _("Member contact"),
    Role.MEMBER_ADMIN: _("Member-company administrator"),
    Role.BOARD: _("Board member"),
    Role.STAFF: _("Association staff"),
}


_sources = {}


def register_role_source(key, source, *, depends_on=()):
    """Let an app above core contribute roles: ``source(user)`` returns the roles the user
    holds through that app's data (members: current affiliations), for an authenticated
    user. Called from ``AppConfig.ready()``; the same key again replaces the source.

    ``depends_on``: the models ("app.Model") the source reads. Roles are kept with the
    logged-in person in the shared cache (``core.personcache``); a save or delete of one
    of these rows makes everyone's cached roles stale. A write that bypasses signals
    (``QuerySet.update()``) on them calls ``forget_roles()``."""
    _sources[key] = source
    from alliage.core import personcache

    personcache.connect()  # a saved or deleted user row: that person's entry is stale
    for model in depends_on:
        personcache.watch(model)


def forget_roles():
    """Everyone's cached roles are stale: for writes that send no signal (``update()``)."""
    from alliage.core import personcache

    personcache.forget_everyone()


def roles_of(user):
    """The set of roles a user holds now (cached on the user object per request)."""
    if not getattr(user, "is_authenticated", False):
        return {Role.PUBLIC}
    cached = getattr(user, "_alliage_roles", None)
    if cached is not None:
        return cached
    roles = {Role.PUBLIC}
    if user.is_staff:
        roles.add(Role.STAFF)
    if user.is_board_member:
        roles.add(Role.BOARD)
    for source in _sources.values():
        roles |= set(source(user))
    user._alliage_roles = roles
    from alliage.core import personcache

    personcache.remember_roles(user, roles)
    return roles


_administered = None


def register_administered_organisations(selector):
    """Let members say which organisations a user administers: ``selector(user)`` returns a
    queryset of them. Apps below members (billing) scope a company admin's pages with
    ``administered_organisations`` without importing members."""
    global _administered
    _administered = selector


def administered_organisations(user):
    """The organisations ``user`` administers, as a queryset (see above)."""
    if _administered is None:
        raise RuntimeError("No app registered administered_organisations (members does).")
    return _administered(user)


def is_staff(user):
    return Role.STAFF in roles_of(user)


def is_member(user):
    """Any person of a member organisation, or staff (who see everything members see)."""
    return bool(roles_of(user) & {Role.MEMBER_CONTACT, Role.STAFF})


def _require(test, user_message):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied(user_message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _require(is_staff, _("This page is for the association's staff."))
member_required = _require(is_member, _("This page is for member companies."))
member_admin_required = _require(
    lambda u: bool(roles_of(u) & {Role.MEMBER_ADMIN, Role.STAFF}),
    _("This page is for the administrators of a member company."),
)
