from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "alliage.support"
    label = "support"
    verbose_name = _("Support services")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("financing", _("Financing"), "support:catalogue", order=50)
        nav.register_staff_section("support", _("Support"), order=55,
                                   prefixes=("/gestion/accompagnement/",))
        nav.register_staff_link("support", _("Support cases"), "support:staff_cases", order=10)
        nav.register_staff_link("support", _("Funding programs"), "support:staff_programs",
                                order=20)
        nav.register_staff_link("support", _("Strategic plan"), "support:plan", order=30)
        from alliage.support import hooks, privacy

        hooks.connect()
        privacy.register()
