"""The audit log as staff read it: each entry as a sentence, fields by their verbose names,
values formatted (money, dates, choices, yes/no, lists) — never raw keys or Python reprs."""

import ast
import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliage.core.money import format_money

# action -> sentence (with %(actor)s and %(object)s) and, when the changes describe another
# model than the logged object, that model's label.
ACTIONS = {
    "organisation.create": (gettext_lazy("%(actor)s created the company %(object)s"), None),
    "organisation.update": (gettext_lazy("%(actor)s updated the company %(object)s"), None),
    "contact.update": (gettext_lazy("%(actor)s updated the contact %(object)s"), None),
    "association.update": (gettext_lazy("%(actor)s updated the association's identity"), None),
    "membership.apply": (gettext_lazy("%(actor)s applied for the membership %(object)s"), None),
    "membership.approve": (gettext_lazy("%(actor)s approved the membership %(object)s"), None),
    "membership.refuse": (gettext_lazy("%(actor)s refused the membership %(object)s"), None),
    "membership.renew": (gettext_lazy("%(actor)s renewed the membership %(object)s"), None),
    "membership.override": (gettext_lazy("%(actor)s changed the membership %(object)s by "
                                         "hand"), None),
    "payment.record": (gettext_lazy("%(actor)s recorded a payment on the invoice %(object)s"),
                       "billing.payment"),
    "payment.refund": (gettext_lazy("%(actor)s refunded a payment on the invoice %(object)s"),
                       "billing.payment"),
    "invoice.issue": (gettext_lazy("%(actor)s issued the invoice %(object)s"), None),
    "credit_note.create": (gettext_lazy("%(actor)s issued the credit note %(object)s"), None),
    "event.create": (gettext_lazy("%(actor)s created the event %(object)s"), None),
    "event.update": (gettext_lazy("%(actor)s updated the event %(object)s"), None),
    "event.cancel": (gettext_lazy("%(actor)s cancelled a registration to %(object)s"), None),
    "event.cancel_all": (gettext_lazy("%(actor)s cancelled the event %(object)s"), None),
    "invitation.create": (gettext_lazy("%(actor)s invited %(object)s"), None),
    "invitation.revoke": (gettext_lazy("%(actor)s revoked the invitation of %(object)s"), None),
    "invitation.accept": (gettext_lazy("%(actor)s accepted the invitation %(object)s"), None),
    "privacy.export": (gettext_lazy("%(actor)s exported the personal data of %(object)s"),
                       None),
    "privacy.anonymise": (gettext_lazy("%(actor)s erased the personal data of %(object)s"),
                          None),
    "privacy.erasure_request": (gettext_lazy("%(actor)s asked to erase the personal data of "
                                             "%(object)s"), None),
    "campaign.save": (gettext_lazy("%(actor)s saved the newsletter %(object)s"), None),
    "campaign.start": (gettext_lazy("%(actor)s started sending the newsletter %(object)s"),
                       None),
    "post.save": (gettext_lazy("%(actor)s saved the news item %(object)s"), None),
    "affiliation.end": (gettext_lazy("%(actor)s ended the affiliation %(object)s"), None),
    "email.retry": (gettext_lazy("%(actor)s sent the mail %(object)s again"), None),
}

# JSON fields whose values are choices of another enumeration, registered by the app that
# owns the enumeration (members: ``field_visibility``), so core names no domain app.
VALUE_CHOICES = {}


def register_value_choices(name, choices):
    """Show the values of JSON field ``name`` by the labels of ``choices`` (a Django
    ``Choices`` enumeration). Called from ``AppConfig.ready()``."""
    VALUE_CHOICES[name] = choices


@dataclass
class Change:
    label: str
    old: str | None
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    sentence: str
    changes: list
    reason: str
    ip_address: str | None


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _humanise(name):
    return capfirst(str(name).replace("_", " ").replace(".", " "))


def field_label(model, name):
    field = _field(model, name)
    return capfirst(field.verbose_name) if field is not None and hasattr(
        field, "verbose_name") else _humanise(name)


def _literal(value):
    """Values the diff stored as ``str()`` of a list or dict come back as that list or dict."""
    if isinstance(value, str) and value[:1] in "[{(" and value[-1:] in "]})":
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def _choices(name):
    choices = VALUE_CHOICES.get(name)
    return dict(choices.choices) if choices else {}


def _relation(field):
    return field is not None and getattr(field, "is_relation", False) and \
        getattr(field, "related_model", None) is not None and (
            field.many_to_one or field.one_to_one or field.many_to_many)


def _ids(value):
    value = _literal(value)
    values = value if isinstance(value, list | tuple | set) else [value]
    return {str(v) for v in values if str(v).isdigit()}


def related_names(entries):
    """{(model label, pk): name} of every object a page of entries' changes point at (a
    company, a municipality, a membership type…), one query per related model."""
    wanted = {}
    for entry in entries:
        _template, changes_model = ACTIONS.get(entry.action, (None, None))
        model = _model(changes_model or entry.object_type)
        if model is None or not isinstance(entry.changes, dict):
            continue
        for name, change in entry.changes.items():
            field = _field(model, name)
            if not _relation(field):
                continue
            pairs = change if isinstance(change, list | tuple) and len(change) == 2 else [change]
            for value in pairs:
                wanted.setdefault(field.related_model, set()).update(_ids(value))
    names = {}
    for related, ids in wanted.items():
        for pk, obj in related._default_manager.in_bulk([int(i) for i in ids]).items():
            names[(related._meta.label_lower, str(pk))] = str(obj)
    return names


def format_value(model, name, value, names=None):
    """One stored value as a reader sees it; a related object by its name (``names``, from
    ``related_names``), or "#12 (deleted)" when it no longer exists."""
    value = _literal(value)
    field = _field(model, name)
    # (``audit.diff`` stores values as text: a cleared field reads "None".)
    if value is None or value in ("", "None") or value == [] or value == {}:
        return "—"
    if _relation(field) and names is not None:
        label = field.related_model._meta.label_lower
        values = value if isinstance(value, list | tuple | set) else [value]
        return ", ".join(names.get((label, str(v))) or _("#%(id)s (deleted)") % {"id": v}
                         for v in values)
    if isinstance(value, dict):
        choices = _choices(name)
        return "; ".join(f"{field_label(model, k)} : {choices.get(v, format_value(None, k, v))}"
                         for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return ", ".join(format_value(model, name, v) for v in value)
    if str(name).endswith("_cents"):
        try:
            return format_money(int(value))
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bool) or isinstance(field, models.BooleanField) or value in (
            "True", "False"):
        return _("Yes") if value in (True, "True", "true", 1, "1") else _("No")
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, {
            str(k): v for k, v in field.flatchoices}.get(str(value), value)))
    if isinstance(field, models.DateTimeField):
        parsed = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
        if parsed:
            return formats.date_format(parsed, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        parsed = value if isinstance(value, datetime.date) else parse_date(str(value)[:10])
        if parsed:
            return formats.date_format(parsed, "SHORT_DATE_FORMAT")
    return str(value)


def _changes(model, changes, names=None):
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, change in changes.items():
        if isinstance(change, list | tuple) and len(change) == 2:
            old, new = change
            rows.append(Change(field_label(model, name), format_value(model, name, old, names),
                               format_value(model, name, new, names)))
        else:
            rows.append(Change(field_label(model, name), None,
                               format_value(model, name, change, names)))
    return rows


def actor_name(entry):
    if entry.actor is None:
        return _("The system")
    return entry.actor.get_full_name() or entry.actor.email


def sentence(entry):
    actor = actor_name(entry)
    template, _changes_model = ACTIONS.get(entry.action, (None, None))
    if template is not None:
        return str(template) % {"actor": actor, "object": entry.object_repr}
    model = _model(entry.object_type)
    kind = capfirst(model._meta.verbose_name) if model is not None else _humanise(
        entry.object_type.rpartition(".")[2])
    verb = _humanise(entry.action.partition(".")[2] or entry.action).lower()
    return _("%(actor)s: %(action)s — %(kind)s %(object)s") % {
        "actor": actor, "action": verb, "kind": kind.lower(), "object": entry.object_repr}


def present(entry, names=None):
    _template, changes_model = ACTIONS.get(entry.action, (None, None))
    model = _model(changes_model or entry.object_type)
    return Entry(at=entry.at, sentence=sentence(entry),
                 changes=_changes(model, entry.changes, names),
                 reason=entry.reason, ip_address=entry.ip_address)


def entries(queryset):
    rows = list(queryset)
    names = related_names(rows)
    return [present(e, names) for e in rows]
