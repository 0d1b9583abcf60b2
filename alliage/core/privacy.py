"""The personal-data registry (Québec Law 25): one place every app plugs into.

Each app declares, in its own ``privacy.py`` loaded from ``AppConfig.ready()``, every model
it keeps that holds personal data: how to export what concerns a person, how to anonymise
it on erasure, the retention rule (in words, for the privacy page, and as a function for
``purge_personal_data``), and what is kept after an erasure because the law asks for proof
(CASL consent ledger, invoices). A model that holds names or addresses that are not a
person's (a company's general email, a place name) is exempted with its reason.

The registry knows no domain app: the app that owns people (members) builds a ``Subject``
and calls ``export``, ``anonymise`` and ``apply_retention``. A test walks every model of
every ``alliage.*`` app and fails on one with a personal field that is neither registered
nor exempted (``tests/core/test_privacy_registry.py``).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone


@dataclass(frozen=True)
class Subject:
    """The person a request is about, as the app owning people describes them.

    ``emails`` and ``names`` are taken before anything is anonymised, so every app finds
    the person's rows whatever order the anonymisers run in.
    """

    key: str                                   # e.g. "contact-12", used in placeholders
    person: Any = None                         # the owning app's record (members.Contact)
    emails: frozenset = frozenset()            # lower case
    user_ids: frozenset = frozenset()
    names: tuple = ()                          # full names as written
    phones: tuple = ()
    # The addresses the person proved they own (their login), and whether the export is
    # the person's own download: then free text that merely names them (a namesake, a name
    # they typed themselves) is counted, never shown.
    verified_emails: frozenset = frozenset()
    self_service: bool = False

    @property
    def person_id(self):
        return getattr(self.person, "pk", None)

    def placeholder_email(self, suffix=""):
        """An address that names nobody and can never receive mail."""
        return f"anonymise-{self.key}{suffix}@invalid.example"

    def needles(self):
        """The strings that identify the person inside free text: emails and phones, and
        full names of two words or more (a lone "Marc" or "Roy" would match anyone)."""
        names = [n for n in self.names if len(n.split()) >= 2 and len(n) >= 6]
        return [n for n in (*names, *self.emails, *self.phones) if n and len(n) > 2]

    def proven_needles(self):
        """What surely designates this person in free text: the addresses they proved."""
        return [e for e in self.verified_emails if e]


@dataclass(frozen=True)
class Entry:
    section: str
    title: Any                                     # the section's name for people
    models: tuple                                  # model labels ("app.Model") covered
    rule: Any                  # the retention rule in words: lazy text, or a callable
    export: Callable | None = None                 # (subject) -> JSON-ready data
    anonymise: Callable | None = None              # (subject, actor) -> None
    retention: Callable | None = None              # (now) -> count of rows handled
    summary: str = ""                              # key of the count in the purge summary
    kept: Any = None                               # what an erasure keeps, and why
    order: int = 100                               # anonymisers run in this order


_entries: dict[str, Entry] = {}
_exempt: dict[str, str] = {}


def _label(model):
    return model if isinstance(model, str) else model._meta.label


def register(section, *, title, models, rule, export=None, anonymise=None, retention=None,
             summary="", kept=None, order=100):
    """Declare the personal data of ``models`` under one export ``section``."""
    if retention is not None and not summary:
        raise ValueError(f"{section}: a retention function needs a summary key")
    _entries[section] = Entry(section, title, tuple(_label(m) for m in models), rule, export,
                              anonymise, retention, summary, kept, order)


def exempt(model, reason):
    """Declare that ``model``'s name/email/phone-like fields are not a person's data."""
    if not str(reason).strip():
        raise ValueError("an exemption needs its reason")
    _exempt[_label(model)] = reason


def entries():
    return sorted(_entries.values(), key=lambda e: (e.order, e.section))


def coverage():
    """{model label: section or exemption reason} for every declared model."""
    covered = {label: e.section for e in _entries.values() for label in e.models}
    return {**{label: f"exempt: {reason}" for label, reason in _exempt.items()}, **covered}


def export(subject):
    """Everything held about ``subject``: one key per section, plus what an erasure keeps."""
    data = {"generated_at": timezone.now().isoformat(), "subject": subject.key}
    kept = []
    for entry in entries():
        if entry.export is not None:
            data[entry.section] = entry.export(subject)
        if entry.kept:
            kept.append({"section": entry.section, "reason": _text(entry.kept)})
    data["kept_after_erasure"] = kept
    return data


def anonymise(subject, *, actor=None):
    """Run every app's anonymiser for ``subject`` (the caller holds the transaction)."""
    for entry in entries():
        if entry.anonymise is not None:
            entry.anonymise(subject, actor)


def apply_retention(now=None):
    """Apply every retention rule; {summary key: rows handled}."""
    now = now or timezone.now()
    return {e.summary: e.retention(now) for e in entries() if e.retention is not None}


def _text(value):
    """A rule or a reason: lazy text, or a callable giving text (for interpolated rules)."""
    value = value() if callable(value) else value
    return str(value) if value else ""


def rules():
    """[(title, rule, kept)] of every entry, in the active language (privacy page)."""
    return [(_text(e.title), _text(e.rule), _text(e.kept)) for e in entries()]


# --- Helpers for anonymisers ---------------------------------------------------------------

def iso(value):
    return value.isoformat() if value else None


def mentioning(subject, *fields, proven=False):
    """A Q matching rows whose text ``fields`` (JSON fields included) mention the subject
    (``proven``: only by what surely designates them, see ``Subject.proven_needles``).

    JSON is searched as text, both as written and as escaped by json.dumps (SQLite stores
    "é" as "\\u00e9").
    """
    condition = Q(pk__in=[])
    for needle in (subject.proven_needles() if proven else subject.needles()):
        variants = {needle, json.dumps(needle)[1:-1]}
        for name in fields:
            for variant in variants:
                condition |= Q(**{f"{name}__icontains": variant})
    return condition


def as_text(queryset, *json_fields):
    """``queryset`` with ``<field>_text`` annotations so JSON fields can be searched."""
    return queryset.annotate(**{f"{f}_text": Cast(f, TextField()) for f in json_fields})


def scrub(value, subject, replacement="[…]"):
    """``value`` (text, or JSON data) with the subject's names, emails, phones replaced."""
    if isinstance(value, str):
        for needle in sorted(subject.needles(), key=len, reverse=True):
            value = re.sub(re.escape(needle), replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {k: scrub(v, subject, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, subject, replacement) for v in value]
    return value

