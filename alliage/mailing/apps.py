from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "alliage.mailing"
    verbose_name = _("Communications")

    def ready(self):
        from alliage.mailing import (
            bounces,  # noqa: F401 - connects the anymail signal
            privacy,
        )

        privacy.register()  # Law 25: subscribers, consent ledger, bounces
