"""Support services: JSON API under /api/v1/support/."""

from ninja import Router

router = Router(tags=["support"])
