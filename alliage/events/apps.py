from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "alliage.events"
    label = "events"
    verbose_name = _("Events and training")

    def ready(self):
        from alliage.events import hooks  # registers timeline, engagement, export

        hooks.connect()
