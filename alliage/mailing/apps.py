from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "alliage.mailing"
    verbose_name = _("Communications")

    def ready(self):
        from alliage.core import nav

        nav.register_staff_section("comms", _("Communications"), order=30)
        nav.register_staff_link("comms", _("Newsletters"), "mailing:dashboard", order=10)
        nav.register_staff_link("comms", _("News"), "mailing:post_list", order=20)
        from alliage.mailing import (
            bounces,  # noqa: F401 - connects the anymail signal
            privacy,
        )

        privacy.register()  # Law 25: subscribers, consent ledger, bounces
        from alliage.core import home
        from alliage.mailing import home as mailing_home

        home.register_section("news", mailing_home.latest, order=20)
        mailing_home.connect()
        from alliage.mailing import dashboard as mailing_dashboard

        mailing_dashboard.register()  # its decisions and key figures (core.dashboard)
