from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "alliage.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from alliage.billing.signals import invoice_paid
        from alliage.members.services import on_invoice_paid

        invoice_paid.connect(on_invoice_paid, dispatch_uid="members.on_invoice_paid")
        from alliage.members import cache

        cache.connect()
        cache.register_pages()
        from alliage.members import privacy

        privacy.register()  # Law 25: people, affiliations, erasure requests, notes
