from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "alliage.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from alliage.core import nav

        nav.register_main_link("directory", _("Directory"), "members:directory", order=10)
        nav.register_main_link("my_company", _("My company"), "members:my_organisations",
                               audience=nav.MEMBER_ADMIN, order=60)
        nav.register_staff_section("members", _("Members"), order=10,
                                   prefixes=("/gestion/adhesions/",))
        for order, (label, url_name) in enumerate([
                (_("Companies"), "members:crm_list"), (_("People"), "members:people_list"),
                (_("Applications"), "members:crm_applications"),
                (_("At risk"), "members:at_risk"), (_("Import"), "members:import_upload")]):
            nav.register_staff_link("members", label, url_name, order=order)
        nav.register_staff_link("association", _("Privacy"), "members:erasure_requests",
                                order=30)
        from alliage.billing.signals import invoice_paid
        from alliage.members.services import on_invoice_paid

        invoice_paid.connect(on_invoice_paid, dispatch_uid="members.on_invoice_paid")
        from alliage.members import cache

        cache.connect()
        cache.register_pages()
        from alliage.core import auditview, home, roles
        from alliage.members import selectors, stats
        from alliage.members.models import Visibility

        # What member_roles reads: saving or deleting one makes cached roles stale.
        roles.register_role_source("members", selectors.member_roles, depends_on=(
            "members.Affiliation", "members.Organisation", "members.Contact"))
        roles.register_administered_organisations(selectors.administered_organisations)
        home.register_figures("members", stats.public_figures, version=cache.version)
        from alliage.members import home as members_home

        home.register_section("spotlight", members_home.spotlight, order=30)
        auditview.register_value_choices("field_visibility", Visibility)
        from alliage.members import privacy

        privacy.register()  # Law 25: people, affiliations, erasure requests, notes
        from alliage.members import dashboard as members_dashboard

        members_dashboard.register()  # its decisions and key figures (core.dashboard)
