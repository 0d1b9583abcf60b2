"""The personal-data registry covers every model that can hold a person's data (issue #11,
item 6).

A model "can hold personal data" when one of its fields is an email or IP field, is named
like a name, email, phone, telephone, IP or address, is free text (a TextField or JSON:
answers, messages, notes…), or points to a person record of the public (members.Contact,
mailing.Subscriber). Such a model must be registered by its app (export, anonymiser,
retention rule) or exempted with a reason. Links to a login (accounts.User: created_by,
author…) are covered by the account's own anonymisation, which empties the user row.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.db import models

from alliage.core import privacy

NAMED = re.compile(r"name|e_?mail|phone|telephone|(^|_)ip($|_)|address|answer|message|body|"
                   r"note|comment|wording|detail|repr")
PERSON_MODELS = {"members.Contact", "mailing.Subscriber"}


def _personal_fields(model):
    found = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.auto_created:
            continue
        typed = isinstance(field, models.EmailField | models.GenericIPAddressField |
                           models.TextField | models.JSONField)
        named = isinstance(field, models.CharField) and NAMED.search(field.name)
        to_person = field.is_relation and field.related_model is not None and \
            field.related_model._meta.label in PERSON_MODELS
        if typed or named or to_person:
            found.append(field.name)
    return found


def _alliage_models():
    for config in apps.get_app_configs():
        if config.name.startswith("alliage."):
            yield from config.get_models()


def test_every_model_holding_personal_data_is_registered_or_exempted():
    coverage = privacy.coverage()
    missing = {m._meta.label: _personal_fields(m) for m in _alliage_models()
               if _personal_fields(m) and m._meta.label not in coverage}
    assert not missing, f"personal data with no registry entry nor exemption: {missing}"


def test_the_detector_sees_the_fields_the_review_named():
    fields = {m._meta.label: set(_personal_fields(m)) for m in _alliage_models()}
    assert {"email", "first_name"} <= fields["mailing.Subscriber"]
    assert {"ip", "email"} <= fields["mailing.ConsentEvent"]
    assert "answers" in fields["events.Registration"]
    assert "body" in fields["symbiosis.Message"]
    assert {"email", "first_name", "last_name"} <= fields["accounts.Invitation"]
    assert {"object_repr", "changes", "ip_address"} <= fields["core.AuditLog"]
    assert "contact" in fields["mailing.Subscriber"]


def test_registrations_name_real_models_and_say_their_rule():
    labels = {m._meta.label for m in _alliage_models()}
    for label in privacy.coverage():
        assert label in labels, f"stale registration {label}"
    for section, rule, _kept in privacy.rules():
        assert rule.strip(), f"{section} has no retention rule in words"
    for entry in privacy.entries():
        assert entry.export is not None, f"{entry.section} exports nothing"
        if entry.retention is not None:
            assert entry.summary


def test_an_exemption_needs_a_reason():
    import pytest

    with pytest.raises(ValueError):
        privacy.exempt("members.Contact", " ")


def test_the_registry_knows_no_domain_app():
    source = Path(privacy.__file__).read_text()
    for app in ("members", "mailing", "events", "symbiosis", "billing", "accounts"):
        assert f"alliage.{app}" not in source


def test_members_no_longer_imports_mailing():
    root = Path(apps.get_app_config("members").path)
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("alliage.mailing"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("alliage.mailing") for a in node.names), path


def test_the_privacy_page_documents_every_rule_and_what_is_kept(client, db):
    from tests.conftest import text

    html = text(client.get("/confidentialite/"))
    for title, rule, kept in privacy.rules():
        assert title in html and rule in html
        if kept:
            assert kept in html
    assert "Conservé après un effacement" in html and "LCAP" in html
    assert "six ans" in html  # invoices, tax law
