"""Writing the audit log: services call ``record`` inside their transaction."""

from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict

from alliage.core.clientip import client_ip
from alliage.core.models import AuditLog


def diff(before, after):
    """Field-by-field changes between two dicts, as {field: [old, new]} strings."""
    keys = set(before) | set(after)
    return {
        k: [str(before.get(k, "")), str(after.get(k, ""))]
        for k in sorted(keys)
        if before.get(k) != after.get(k)
    }


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    return value


def snapshot(instance, fields=None):
    """A plain dict of an instance's editable field values (files by name)."""
    return {k: _plain(v) for k, v in model_to_dict(instance, fields=fields).items()}


def record(*, actor, action, obj, changes=None, reason="", request=None):
    """Append one audit entry for ``obj``."""
    # The client's address, not the reverse proxy's (PROXY_COUNT, TRUSTED_PROXIES).
    ip = client_ip(request) if request is not None else None
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        reason=reason,
        ip_address=ip,
    )


def save_form(form, *, actor, action, request=None, formsets=(), prepare=None):
    """Save a valid ModelForm (then its inline ``formsets``) and record its audit entry with
    the changes, in one transaction: the write and its entry together, for every app's
    services. ``prepare(obj)`` sets what the form does not (owner, status, slug) before the
    save. The "before" side is read from the database: the form has already copied the new
    values onto its instance while validating."""
    from django.db import transaction

    instance = form.instance
    with transaction.atomic():
        old = type(instance)._default_manager.filter(pk=instance.pk).first() \
            if instance.pk else None
        before = snapshot(old) if old is not None else {}
        obj = form.save(commit=False)
        if prepare is not None:
            prepare(obj)
        obj.save()
        form.save_m2m()
        for formset in formsets:
            formset.instance = obj
            formset.save()
        record(actor=actor, action=action, obj=obj, changes=diff(before, snapshot(obj)),
               request=request)
    return obj
