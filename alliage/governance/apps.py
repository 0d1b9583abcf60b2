from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "alliage.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from alliage.core import nav

        # One header link for surveys, assemblies, elections and the board.
        nav.register_main_link("association_life", _("Association life"), "governance:hub",
                               order=45)
        nav.register_staff_section("association_life", _("Association life"), order=85)
        nav.register_staff_link("association_life", _("Assemblies and elections"),
                                "governance:staff_list", order=20)
        nav.register_staff_link("association_life", _("Board of directors"),
                                "governance:staff_board", order=25)
        nav.register_staff_link("association_life", _("By-laws"), "governance:bylaws",
                                order=30)
        from alliage.governance import privacy

        privacy.register()  # Law 25: attendance, proxies, board, candidates
        from alliage.governance import dashboard as governance_dashboard

        governance_dashboard.register()  # the board reads the dashboard (core.dashboard)
