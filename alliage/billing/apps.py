from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "alliage.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from alliage.billing import privacy

        privacy.register()  # Law 25: invoices kept for tax law
