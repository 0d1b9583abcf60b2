"""Organisations: their slug, the profile saved by staff or the company's admin, staff notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliage.core import audit, text
from alliage.members.models import (
    Note,
    Organisation,
)


def unique_slug(name, *, exclude_pk=None):
    """An organisation's slug from its name, numbered when another organisation has it."""
    return text.unique_slug(Organisation.objects.all(), name, default="organisation",
                            exclude_pk=exclude_pk)


@transaction.atomic
def organisation_save(*, form, actor, request=None):
    """Save an organisation form (staff or the company's admin) and audit the change."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(Organisation.objects.get(pk=form.instance.pk))
    org = form.save(commit=False)
    if creating or not org.slug:
        org.slug = unique_slug(org.display_name)
    org.save()
    form.save_m2m()
    org.refresh_search_text()  # tags are known only after save_m2m
    Organisation.objects.filter(pk=org.pk).update(search_text=org.search_text)
    changes = audit.diff(before, audit.snapshot(org))
    audit.record(actor=actor, action="organisation.create" if creating else "organisation.update",
                 obj=org, changes=changes, request=request)
    return org


@transaction.atomic
def note_add(*, organisation, author, body, due_on=None, assigned_to=None):
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    return Note.objects.create(organisation=organisation, author=author, body=body,
                               due_on=due_on, assigned_to=assigned_to)


def sites_save(*, organisation, formset, actor, request=None):
    """A company's plants and warehouses saved from their formset (audited)."""
    from django.db import transaction

    from alliage.core import audit

    with transaction.atomic():
        formset.save()
        audit.record(actor=actor, action="members.sites", obj=organisation, request=request)
