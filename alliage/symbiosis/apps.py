from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SymbiosisConfig(AppConfig):
    name = "alliage.symbiosis"
    verbose_name = _("Industrial symbiosis")

    def ready(self):
        from alliage.symbiosis import privacy

        privacy.register()  # Law 25: introduction messages
