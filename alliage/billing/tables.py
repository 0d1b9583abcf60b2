"""The staff list of invoices: filters (django-filter) and the sortable table
(django-tables2), issue #14, item 10."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from alliage.billing.models import Invoice
from alliage.core.money import format_money
from alliage.core.tables import StaffTable
from alliage.core.templatetags.alliage import status_badge


class InvoiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or organisation"), method="search",
                                  max_length=100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Invoice.Status.choices[1:],
                                         empty_label=_("All"))
    overdue = django_filters.BooleanFilter(
        label=_("Unpaid past their due date only"), method="past_due",
        widget=forms.CheckboxInput)

    class Meta:
        model = Invoice
        fields = ["q", "status", "overdue"]

    def search(self, queryset, _name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) |
                               Q(organisation__legal_name__icontains=value) |
                               Q(organisation__trade_name__icontains=value)) if value else queryset

    def past_due(self, queryset, _name, value):
        """The same rule as the staff dashboard's "unpaid invoices past due"."""
        if not value:
            return queryset
        return queryset.filter(status=Invoice.Status.ISSUED, due_on__lt=timezone.localdate())


class InvoiceTable(StaffTable):
    region_label = _("Invoices")
    number = tables.Column(_("Number"))
    issued_on = tables.DateColumn(verbose_name=_("Date"), format="SHORT_DATE_FORMAT")
    organisation = tables.Column(_("Organisation"), accessor="organisation__legal_name",
                                 linkify=lambda record: reverse("members:crm_detail",
                                                                args=[record.organisation_id]))
    purpose = tables.Column(_("For"), accessor="pk", orderable=False)
    status = tables.Column(_("Status"))
    due_on = tables.DateColumn(verbose_name=_("Due"), format="SHORT_DATE_FORMAT", default="")
    total_cents = tables.Column(_("Total"), attrs={"th": {"class": "num"},
                                                   "td": {"class": "num"}})
    balance = tables.Column(_("Balance"), accessor="pk", orderable=False,
                            attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    pdf = tables.Column(_("Actions"), accessor="pk", orderable=False)

    class Meta(StaffTable.Meta):
        order_by = ("-issued_on", "-number")
        empty_text = _("No invoice matches.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.columns["pdf"].column.verbose_name = format_html(
            '<span class="visually-hidden">{}</span>', _("Actions"))

    def render_purpose(self, record):
        return record.purpose

    def render_status(self, record):
        badge = format_html('<span class="badge {}">{}</span>', status_badge(record.status),
                            record.get_status_display())
        if record.status == Invoice.Status.ISSUED and record.due_on and \
                record.due_on < self.today:
            badge += format_html(' <span class="badge badge-overdue">{}</span>', _("Overdue"))
        return badge

    def render_total_cents(self, value):
        return format_money(value)

    def render_balance(self, record):
        lines = [(_("Refund") if p.amount_cents < 0 else _("Payment"),
                  date_format(p.received_on, "SHORT_DATE_FORMAT"), p.get_method_display(),
                  format_money(p.amount_cents)) for p in record.payments.all()]
        lines += [(_("Credit note"), date_format(n.issued_on, "SHORT_DATE_FORMAT"), n.number,
                   format_money(-n.total_cents)) for n in record.credit_notes.all()]
        details = format_html_join("", '<span class="cell-note">{} {} ({}) {}</span>', lines)
        return format_html("{}{}", format_money(record.balance_cents()), details)

    def render_pdf(self, record):
        return format_html('<a href="{}">PDF<span class="visually-hidden"> {}</span></a>',
                           reverse("members:invoice_pdf", args=[record.pk]), record.number)
