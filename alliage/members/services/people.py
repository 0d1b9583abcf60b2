"""People of a company: leaving it, joining it from an accepted invitation (accounts), the person
behind a new login, applicants who may be a person already known."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.members.models import (
    Affiliation,
    Contact,
)


@transaction.atomic
def colleague_remove(*, affiliation, actor):
    """End a person's affiliation (the person and their history stay)."""
    if affiliation.is_admin and not affiliation.organisation.affiliations.filter(
            is_admin=True, ended_on__isnull=True).exclude(pk=affiliation.pk).exists():
        raise ValidationError(_("The organisation must keep at least one administrator."))
    affiliation.ended_on = timezone.localdate()
    affiliation.is_admin = False
    affiliation.save(update_fields=["ended_on", "is_admin"])
    audit.record(actor=actor, action="affiliation.end", obj=affiliation.organisation,
                 changes={"contact": str(affiliation.contact)})


def contact_for_account(*, email, first_name, last_name, language):
    """The person a new login belongs to (accounts' invitations): the known person with this
    email, never an applicant awaiting review or an anonymised person (issue #11, finding 9),
    else a new one."""
    return Contact.objects.with_email(email).first() or \
        Contact.objects.create(first_name=first_name, last_name=last_name, email=email,
                               language=language)


def affiliation_join(*, contact_id, organisation_id, admin=False):
    """Make a person a current member of an organisation's team (an accepted invitation);
    ``admin`` makes them one of its administrators, never takes that away."""
    affiliation, _created = Affiliation.objects.get_or_create(
        contact_id=contact_id, organisation_id=organisation_id, ended_on__isnull=True)
    if admin and not affiliation.is_admin:
        affiliation.is_admin = True
        affiliation.save(update_fields=["is_admin"])
    return affiliation


def applicants_to_review(organisation):
    """Current people of ``organisation`` who may be a person already known."""
    return (Contact.objects.filter(affiliations__organisation=organisation,
                                   affiliations__ended_on__isnull=True,
                                   possible_duplicate_of__isnull=False)
            .select_related("possible_duplicate_of").distinct())


@transaction.atomic
def applicant_resolve(*, contact, attach, actor):
    """Staff decide about an applicant whose email was a known person's.

    ``attach``: they are that person; the applicant's affiliations move to the known person
    and the new record is deleted. Otherwise the applicant stays a separate person.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    known = contact.possible_duplicate_of
    if known is None:
        raise ValidationError(_("There is nothing to decide about this person."))
    if not attach:
        contact.possible_duplicate_of = None
        contact.save(update_fields=["possible_duplicate_of", "updated_at"])
        audit.record(actor=actor, action="contact.duplicate_keep", obj=contact,
                     changes={"possible_duplicate_of": [str(known.pk), ""]})
        return contact
    for affiliation in contact.affiliations.select_related("organisation"):
        current = known.affiliations.filter(organisation=affiliation.organisation,
                                            ended_on__isnull=True).first()
        if current is None:
            affiliation.contact = known
            affiliation.save(update_fields=["contact"])
        else:  # already there: keep their row, with the applicant's roles added
            current.is_admin |= affiliation.is_admin
            current.is_billing |= affiliation.is_billing
            current.is_primary |= affiliation.is_primary
            current.title = current.title or affiliation.title
            current.save()
            affiliation.delete()
    if getattr(contact, "user", None) is not None:
        raise ValidationError(_("This person has their own login: keep them separate."))
    audit.record(actor=actor, action="contact.duplicate_attach", obj=known,
                 changes={"merged_contact": str(contact.pk)})
    try:
        contact.delete()
    except ProtectedError:
        raise ValidationError(_("This person already has registrations or orders: keep them "
                                "separate.")) from None
    return known


def contact_update(*, form, actor, request=None):
    """Staff change a person's record (audited with the changes)."""
    from alliage.core import audit

    return audit.save_form(form, actor=actor, action="contact.update", request=request)


def person_export(*, contact, actor, request=None):
    """Everything held on a person (the access right), the export audited."""
    from alliage.core import audit
    from alliage.members import privacy

    audit.record(actor=actor, action="privacy.export", obj=contact, request=request)
    return privacy.person_export(contact)
