"""Writes on shared data."""

from django.db import transaction

from alliage.core import audit


@transaction.atomic
def association_update(*, form, actor, request=None):
    """Save the association's identity from a valid form and audit what changed."""
    before = audit.snapshot(form.instance.__class__.objects.get(pk=form.instance.pk))
    association = form.save()
    changes = audit.diff(before, audit.snapshot(association))
    if changes:
        audit.record(actor=actor, action="association.update", obj=association,
                     changes=changes, request=request)
    return association
