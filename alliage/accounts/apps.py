from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alliage.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from alliage.accounts import privacy

        privacy.register()  # Law 25: logins, tokens, invitations
