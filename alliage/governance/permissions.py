"""Who may see what the board sees: board members and staff."""

from django.utils.translation import gettext_lazy as _

from alliage.core.roles import Role, _require, roles_of


def is_board_or_staff(user):
    return bool(roles_of(user) & {Role.BOARD, Role.STAFF})


board_required = _require(is_board_or_staff, _("This page is for the board and the staff."))
