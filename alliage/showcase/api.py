"""Regional products: JSON API under /api/v1/showcase/."""

from ninja import Router

router = Router(tags=["showcase"])
