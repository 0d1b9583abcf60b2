from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "alliage.events"
    label = "events"
    verbose_name = _("Events and training")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("events", _("Events"), "events:calendar", order=20)
        nav.register_staff_section("events", _("Events"), order=20)
        nav.register_staff_link("events", _("Events"), "events:staff_list")
        from alliage.events import hooks  # registers timeline and engagement parts

        hooks.connect()
        from alliage.core import home
        from alliage.events import home as events_home

        home.register_section("events", events_home.upcoming, order=10)
        events_home.connect()
        from alliage.events import privacy

        privacy.register()  # Law 25: registrations, orders, waitlist
        from alliage.events import dashboard as events_dashboard

        events_dashboard.register()  # its decisions and key figures (core.dashboard)
