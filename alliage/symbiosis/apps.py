from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SymbiosisConfig(AppConfig):
    name = "alliage.symbiosis"
    verbose_name = _("Industrial symbiosis")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("symbiosis", _("Symbiosis"), "symbiosis:listing", order=30)
        nav.register_staff_section("symbiosis", _("Symbiosis"), order=40)
        nav.register_staff_link("symbiosis", _("Symbiosis"), "symbiosis:dashboard")
        from alliage.core import home
        from alliage.symbiosis import home as symbiosis_home

        home.register_section("symbiosis", symbiosis_home.teaser, order=40)
        symbiosis_home.connect()
        from alliage.symbiosis import privacy

        privacy.register()  # Law 25: introduction messages
        from alliage.symbiosis import dashboard as symbiosis_dashboard

        symbiosis_dashboard.register()  # its decisions and key figures (core.dashboard)
