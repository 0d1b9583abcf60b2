from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "alliage.showcase"
    label = "showcase"
    verbose_name = _("Regional products")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
