from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alliage.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from alliage.core import nav

        nav.register_staff_link("association", _("Invitations"), "accounts:invitation_list",
                                order=20)
        from alliage.accounts.services import api_token_lookup
        from alliage.core import api_support

        api_support.register_token_lookup(api_token_lookup)  # Bearer tokens of the API
        from alliage.accounts import privacy

        privacy.register()  # Law 25: logins, tokens, invitations
