"""The CRM's staff tables: companies and people (issue #14, item 10)."""

import django_tables2 as tables
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from alliage.core.tables import StaffTable
from alliage.core.templatetags.alliage import status_badge


def with_sort_names(queryset):
    """Organisations with the name they are listed by (trade name, else legal name), folded
    to lower case so 'acme' and 'Acme' sort together."""
    return queryset.annotate(name_sort=Lower(Coalesce(NullIf(F("trade_name"), Value("")),
                                                      F("legal_name"))))


class OrganisationTable(StaffTable):
    region_label = _("Organisations")
    name = tables.Column(_("Organisation"), accessor="display_name", order_by=("name_sort",),
                         linkify=lambda record: reverse("members:crm_detail", args=[record.pk]))
    sector = tables.Column(_("Sector"), accessor="primary_sector__code",
                           order_by=("primary_sector__code",), default="")
    municipality = tables.Column(_("Municipality"), accessor="municipality__name",
                                 order_by=("municipality__name",), default="")
    employees = tables.Column(_("Employees"), accessor="employees", default="",
                              attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    member_status = tables.Column(_("Status"), accessor="member_status")

    class Meta(StaffTable.Meta):
        order_by = ("name",)
        empty_text = _("No organisation matches.")

    def order_employees(self, queryset, is_descending):
        """Companies without a head count last either way (PostgreSQL puts NULL first when
        descending, SQLite last): the same order on both databases."""
        field = F("employees")
        return queryset.order_by(field.desc(nulls_last=True) if is_descending
                                 else field.asc(nulls_last=True), "pk"), True

    def render_member_status(self, record):
        return format_html('<span class="badge {}">{}</span>', status_badge(record.member_status),
                           record.get_member_status_display())


class PeopleTable(StaffTable):
    region_label = _("People")
    name = tables.Column(_("Name"), accessor="full_name", order_by=("last_name", "first_name"),
                         linkify=lambda record: reverse("members:person_detail",
                                                        args=[record.pk]))
    email = tables.Column(_("Email"))
    organisations = tables.Column(_("Organisations"), accessor="pk", orderable=False)

    class Meta(StaffTable.Meta):
        order_by = ("name",)
        empty_text = _("Nobody matches.")

    def render_organisations(self, record):
        current = [a for a in record.affiliations.all() if not a.ended_on]
        return format_html_join(", ", "{}{}", (
            (a.organisation, f" ({a.title})" if a.title else "") for a in current)) or "—"
