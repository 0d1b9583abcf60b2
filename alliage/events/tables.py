"""The staff list of events: filters and the sortable table (issue #14, item 10)."""

import django_filters
import django_tables2 as tables
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliage.core.tables import StaffTable
from alliage.events.models import Event, Registration


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"), method="by_time", empty_label=_("All"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))])
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Event.Status.choices,
                                         empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Event.Kind.choices,
                                       empty_label=_("All"))

    class Meta:
        model = Event
        fields = ["when", "status", "kind"]

    def by_time(self, queryset, _name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now)
        return queryset.filter(ends_at__lt=now) if value == "past" else queryset


def for_staff_list(queryset):
    """Events with their confirmed and waiting registrations counted in the same query."""
    return queryset.select_related("municipality").annotate(
        confirmed=Count("registrations", filter=Q(
            registrations__status=Registration.Status.CONFIRMED)),
        pending=Count("registrations", filter=Q(
            registrations__status=Registration.Status.PENDING)))


class EventTable(StaffTable):
    region_label = _("Events")
    title = tables.Column(_("Event"), accessor="title", order_by=("title_fr",),
                          linkify=lambda record: reverse("events:staff_edit",
                                                         args=[record.slug]))
    kind = tables.Column(_("Type"))
    starts_at = tables.DateTimeColumn(verbose_name=_("Date"), format="SHORT_DATETIME_FORMAT")
    status = tables.Column(_("Status"))
    confirmed = tables.Column(_("Registered"), attrs={"th": {"class": "num"},
                                                      "td": {"class": "num"}})
    actions = tables.Column(_("Actions"), accessor="pk", orderable=False)

    class Meta(StaffTable.Meta):
        order_by = ("-starts_at",)
        empty_text = _("No event matches.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns["actions"].column.verbose_name = format_html(
            '<span class="visually-hidden">{}</span>', _("Actions"))

    def render_confirmed(self, record):
        text = f"{record.confirmed} / {record.capacity}" if record.capacity else \
            str(record.confirmed)
        if record.pending:
            return format_html('{} <span class="badge badge-warn">{}</span>', text,
                               ngettext("%(n)s waiting", "%(n)s waiting", record.pending)
                               % {"n": record.pending})
        return text

    def render_actions(self, record):
        return format_html('<a href="{}">{}<span class="visually-hidden"> — {}</span></a>',
                           reverse("events:attendees", args=[record.slug]),
                           _("Attendees"), record.title)
