from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "alliage.reports"
    label = "reports"
    verbose_name = _("Activity reports")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from alliage.core import nav

        # Every app's report.py registers its sections (alliage.core.reporting).
        autodiscover_modules("report")
        nav.register_staff_section("reports", _("Activity reports"), order=95,
                                   prefixes=("/gestion/rapports/",))
        nav.register_staff_link("reports", _("Activity reports"), "reports:list", order=10)
        from alliage.reports import privacy

        privacy.register()
