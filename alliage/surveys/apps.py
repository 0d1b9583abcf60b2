from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "alliage.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from alliage.core import nav

        # The header link to surveys, assemblies and elections is governance's (one link).
        nav.register_staff_section("association_life", _("Association life"), order=85)
        nav.register_staff_link("association_life", _("Surveys"), "surveys:staff_list",
                                order=10)
        from alliage.surveys import privacy

        privacy.register()  # Law 25: identified responses, participations
