"""An organisation's timeline: every app adds its own kind of entries.

A provider is ``fn(organisation) -> iterable of TimelineEntry``; later apps (events,
mailing, symbiosis) register theirs with ``register``.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core.money import format_money


@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    text: str
    url: str = ""


_providers = []


def register(provider):
    _providers.append(provider)
    return provider


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value or date.min, time()))


@register
def _memberships(org):
    for m in org.memberships.select_related("membership_type"):
        yield TimelineEntry(_as_datetime(m.applied_at or m.created_at), "membership",
                            _("Membership %(type)s %(start)s → %(end)s: %(status)s") % {
                                "type": m.membership_type.name, "start": m.period_start,
                                "end": m.period_end, "status": m.get_status_display()})


@register
def _invoices(org):
    for inv in org.invoices.issued():
        yield TimelineEntry(_as_datetime(inv.issued_on), "invoice",
                            _("Invoice %(number)s issued: %(total)s") % {
                                "number": inv.number, "total": format_money(inv.total_cents)})
        for p in inv.payments.all():
            yield TimelineEntry(_as_datetime(p.received_on), "payment",
                                _("Payment of %(amount)s on %(number)s (%(method)s)") % {
                                    "amount": format_money(p.amount_cents),
                                    "number": inv.number, "method": p.get_method_display()})


@register
def _emails(org):
    for e in org.emails.all()[:100]:
        yield TimelineEntry(e.created_at, "email", _("Email to %(to)s: %(subject)s") % {
            "to": e.to, "subject": e.subject})


@register
def _notes(org):
    for n in org.notes.select_related("author"):
        text = n.body
        if n.due_on:
            text += " — " + _("follow up on %(date)s") % {"date": n.due_on}
        yield TimelineEntry(n.created_at, "note", text)


def timeline_for(org, limit=200):
    entries = [e for provider in _providers for e in provider(org)]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
