from django.conf import settings

from alliage.core.models import Association
from alliage.core.roles import Role, roles_of


def association(request):
    """The association's identity and the viewer's roles, for every template."""
    roles = roles_of(getattr(request, "user", None))
    return {
        "association": Association.current(),
        "viewer_roles": roles,
        "viewer_is_staff": Role.STAFF in roles,
        "viewer_is_member": bool(roles & {Role.MEMBER_CONTACT, Role.STAFF}),
        "viewer_is_member_admin": Role.MEMBER_ADMIN in roles,
        "viewer_is_board": Role.BOARD in roles,
        # The page's address without its query (search engines index one per page).
        "canonical_url": settings.SITE_URL.rstrip("/") + getattr(request, "path", "/"),
    }
