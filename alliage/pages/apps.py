from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "alliage.pages"
    label = "pages"
    verbose_name = _("Public site")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
