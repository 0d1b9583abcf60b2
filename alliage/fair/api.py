"""Virtual industrial fair: JSON API under /api/v1/fair/."""

from ninja import Router

router = Router(tags=["fair"])
