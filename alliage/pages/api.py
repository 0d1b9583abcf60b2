"""Public site: JSON API under /api/v1/pages/."""

from ninja import Router

router = Router(tags=["pages"])
