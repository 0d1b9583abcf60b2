from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "alliage.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
