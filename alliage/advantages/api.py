"""Member advantages: JSON API under /api/v1/advantages/."""

from ninja import Router

router = Router(tags=["advantages"])
