from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo region, assembled above every app (core knows none of them)."""

    name = "alliage.demo"
    label = "demo"
    verbose_name = _("Demo region")
