from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "alliage.showcase"
    label = "showcase"
    verbose_name = _("Regional products")

    def ready(self):
        from alliage.core import mail, nav

        nav.register_main_link("showcase", _("Regional products"), "showcase:catalogue",
                               order=45)
        nav.register_staff_section("showcase", _("Regional products"), order=47,
                                   prefixes=("/gestion/vitrine/",))
        nav.register_staff_link("showcase", _("Products and quotes"),
                                "showcase:staff_dashboard", order=10)
        nav.register_staff_link("showcase", _("Points of sale"),
                                "showcase:staff_points_of_sale", order=20)
        # Links that act for the buyer: sent, never kept in the stored message.
        mail.SECRET_CONTEXT["showcase_rfq_verify"] = {"verify_url"}
        mail.SECRET_CONTEXT["showcase_rfq_sent"] = {"follow_url"}
        mail.SECRET_CONTEXT["showcase_quote_received"] = {"follow_url"}
        from alliage.showcase import privacy

        privacy.register()
