from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "alliage.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        pass  # menus (alliage.core.nav), privacy registry, hooks: registered here
