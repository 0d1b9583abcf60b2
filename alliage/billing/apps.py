from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "alliage.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from alliage.core import nav

        nav.register_staff_section("finances", _("Finances"), order=50)
        nav.register_staff_link("finances", _("Invoices"), "billing:invoice_list", order=10)
        nav.register_staff_link("finances", _("Accounting"), "billing:accounting", order=20)
        from alliage.billing import privacy

        privacy.register()  # Law 25: invoices kept for tax law
        from alliage.billing import dashboard as billing_dashboard

        billing_dashboard.register()  # its decisions and key figures (core.dashboard)
