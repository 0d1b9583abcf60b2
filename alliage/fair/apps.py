from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairConfig(AppConfig):
    name = "alliage.fair"
    label = "fair"
    verbose_name = _("Virtual industrial fair")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("fair", _("Virtual fair"), "fair:list", order=50)
        # A fair is an event: its staff page sits in the events section.
        nav.register_staff_link("events", _("Virtual fairs"), "fair:staff_list", order=60)
        from alliage.fair import privacy

        privacy.register()  # Law 25: leads, visits, participants, meeting requests
        from alliage.fair import dashboard as fair_dashboard

        fair_dashboard.register()  # its decisions and key figures (core.dashboard)
