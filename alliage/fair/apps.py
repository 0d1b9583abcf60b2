from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairConfig(AppConfig):
    name = "alliage.fair"
    label = "fair"
    verbose_name = _("Virtual industrial fair")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
