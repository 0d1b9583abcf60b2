from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvantagesConfig(AppConfig):
    name = "alliage.advantages"
    label = "advantages"
    verbose_name = _("Member advantages")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
