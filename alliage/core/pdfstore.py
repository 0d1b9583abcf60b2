"""A document rendered once and stored in a file field (invoices, certificates).

Rendering is slow, so it happens outside any lock; then the row is locked and the file
saved only if nobody stored one meanwhile. Two workers may both render, one file is kept,
and a stored file is never replaced (the documents are frozen once issued)."""

from django.core.files.base import ContentFile
from django.db import transaction


def store_once(instance, *, render, filename, field="pdf"):
    """Store ``render(instance)`` in ``instance.<field>`` unless a file is there already.

    ``filename(locked)`` names the file from the locked row. Returns "exists" or "rendered".
    """
    if getattr(instance, field):
        return "exists"
    content = render(instance)
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if getattr(locked, field):
            return "exists"
        getattr(locked, field).save(filename(locked), ContentFile(content), save=True)
    return "rendered"
