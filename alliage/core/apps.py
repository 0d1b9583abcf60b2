from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "alliage.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from alliage.core import lookups, personal_data

        lookups.register()  # ``in`` on integer columns: out-of-range numbers match nothing
        personal_data.register()  # the Law 25 registry: audit log, outbox
