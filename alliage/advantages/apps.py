from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvantagesConfig(AppConfig):
    name = "alliage.advantages"
    label = "advantages"
    verbose_name = _("Member advantages")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("advantages", _("Advantages"), "advantages:catalogue", order=40)
        nav.register_staff_section("advantages", _("Advantages"), order=45,
                                   prefixes=("/gestion/avantages/",))
        nav.register_staff_link("advantages", _("Programs"), "advantages:staff_programs",
                                order=10)
        nav.register_staff_link("advantages", _("Group purchases"),
                                "advantages:staff_purchases", order=20)
        nav.register_staff_link("advantages", _("Pooled resources"),
                                "advantages:staff_resources", order=30)
        nav.register_staff_link("advantages", _("Collection"), "advantages:staff_collection",
                                order=40)
        from alliage.advantages import hooks, privacy  # noqa: F401 - timeline, engagement

        privacy.register()
        from alliage.advantages import dashboard as advantages_dashboard

        advantages_dashboard.register()  # its decisions and key figures (core.dashboard)
        from alliage.symbiosis.stats import register_recovery_source

        # Tonnes recovered by the shared collection count in symbiosis' impact figures.
        register_recovery_source("collection", _("Shared selective collection"),
                                 _collection_recovery)


def _collection_recovery(start, end):
    from alliage.advantages.stats import collection_impacts

    figures = collection_impacts(start, end)
    return {"tonnes": round(sum(figures["tonnes_by_material"].values()), 3),
            "co2e_t": figures["co2e_t"]}
