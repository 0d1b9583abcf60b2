"""core.audit.save_form: the form's save and its audit entry in one transaction, with the
changes measured against the database (the form has already copied the new values onto its
instance while validating)."""

import pytest
from django.forms import modelform_factory

from alliage.core import audit
from alliage.core.models import Association, AuditLog


@pytest.mark.django_db
def test_the_entry_holds_the_changes_and_prepare_runs_before_the_save(django_user_model):
    association = Association.current()
    old_name = association.name
    staff = django_user_model.objects.create_user(email="s@x.example", password="x" * 12)
    form = modelform_factory(Association, fields=["name"])(
        {"name": "Alliage 02 (test)"}, instance=association)
    assert form.is_valid()
    seen = []
    saved = audit.save_form(form, actor=staff, action="association.save",
                            prepare=lambda obj: seen.append(obj.name))
    entry = AuditLog.objects.get(action="association.save")
    assert seen == ["Alliage 02 (test)"]
    assert entry.changes == {"name": [old_name, "Alliage 02 (test)"]}
    assert entry.actor == staff and entry.object_id == str(saved.pk)


@pytest.mark.django_db
def test_a_failed_save_leaves_no_entry(django_user_model):
    form = modelform_factory(Association, fields=["name"])({"name": "X"},
                                                           instance=Association.current())
    assert form.is_valid()

    def boom(_obj):
        raise RuntimeError("the save fails")

    with pytest.raises(RuntimeError):
        audit.save_form(form, actor=None, action="association.save", prepare=boom)
    assert not AuditLog.objects.filter(action="association.save").exists()
