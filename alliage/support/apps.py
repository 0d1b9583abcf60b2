from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "alliage.support"
    label = "support"
    verbose_name = _("Support services")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
