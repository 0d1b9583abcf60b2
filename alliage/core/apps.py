from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "alliage.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("management", _("Management"), "core:staff_dashboard",
                               audience=nav.STAFF, order=90)
        # The board reads the dashboard's figures (read-only, no decisions, no rows).
        nav.register_main_link("board_dashboard", _("Key figures"), "core:staff_dashboard",
                               audience=nav.BOARD, order=90)
        nav.register_staff_section("association", _("Association"), order=90)
        nav.register_staff_link("association", _("Association"), "core:association_edit", order=10)
        nav.register_staff_link("association", _("Audit log"), "core:audit_log", order=40)
        nav.register_staff_link("comms", _("Unsent email"), "core:email_outbox", order=30)
        from alliage.core import home, pagecache

        # The home page, for visitors: every section's owner keys it (core.home.version).
        pagecache.register(r"/", version=home.version)
        from alliage.core import lookups, personal_data

        lookups.register()  # ``in`` on integer columns: out-of-range numbers match nothing
        personal_data.register()  # the Law 25 registry: audit log, outbox
        from alliage.core import dashboard as core_dashboard

        core_dashboard.register()  # its decisions and key figures (core.dashboard)
