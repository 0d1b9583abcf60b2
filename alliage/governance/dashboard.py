"""Governance's part of the dashboard (core.dashboard): the board reads the key figures
(read-only: no decisions; rows stay with staff)."""

from alliage.core import dashboard
from alliage.governance.permissions import is_board_or_staff


def register():
    dashboard.register_reader("governance", is_board_or_staff)
