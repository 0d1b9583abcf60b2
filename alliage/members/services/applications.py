"""Applications: the public "Devenir membre" form, and staff approving or refusing it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.members.models import (
    Affiliation,
    Contact,
    Membership,
    MemberStatus,
    Organisation,
)
from alliage.members.services.memberships import (
    _invoice_membership,
    _mail_primary_contact,
    _period,
    fee_for,
    refresh_organisation,
)
from alliage.members.services.organisations import unique_slug
from alliage.members.services.people import applicants_to_review


def _staff_emails():
    User = get_user_model()  # accounts' login model, without importing accounts
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email",
                                                                              flat=True))


@transaction.atomic
def membership_apply(*, organisation_data, contact_data, membership_type, message="", title=""):
    """A public application: creates the organisation, its first admin and the request.

    The applicant is always a new person. When their email is a known person's, the new
    person is marked as possibly the same one and staff decide (``applicant_resolve``):
    an anonymous form never attaches an existing person to a company.
    """
    org = Organisation(**organisation_data)
    org.slug = unique_slug(org.display_name)
    org.member_status = MemberStatus.APPLIED
    org.full_clean(exclude=["slug"])
    org.save()
    known = Contact.objects.with_email(contact_data["email"]).first()
    contact = Contact.objects.create(**contact_data, possible_duplicate_of=known)
    Affiliation.objects.create(contact=contact, organisation=org, is_admin=True,
                               is_primary=True, is_billing=True, title=title[:120])
    start, end = _period(membership_type, timezone.localdate())
    membership = Membership.objects.create(
        organisation=org, membership_type=membership_type, period_start=start, period_end=end,
        status=Membership.Status.APPLIED, fee_cents=fee_for(membership_type, org),
        applied_at=timezone.now(), application={"message": message})
    audit.record(actor=None, action="membership.apply", obj=membership)
    queue_email(key=f"application-received:{membership.pk}", to=contact.email,
                template="application_received", language=contact.language,
                organisation=org, context={"membership": membership, "contact": contact})
    for email in _staff_emails():
        queue_email(key=f"application-staff:{membership.pk}:{email}", to=email,
                    template="application_staff", organisation=org,
                    context={"membership": membership, "contact": contact,
                             "url": settings.SITE_URL + reverse("members:crm_detail",
                                                                args=[org.pk])})
    return membership


@transaction.atomic
def membership_approve(*, membership, actor, message=""):
    """Staff accept an application: the invoice is issued and sent."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.APPLIED:
        raise ValidationError(_("Only an application waiting for a decision can be approved."))
    if applicants_to_review(membership.organisation).exists():
        raise ValidationError(_("First decide whether the applicant is the person who already "
                                "uses this email."))
    membership.status = Membership.Status.APPROVED
    membership.decided_at, membership.decided_by = timezone.now(), actor
    membership.decision_message = message
    membership.save()
    invoice = _invoice_membership(membership, actor)
    audit.record(actor=actor, action="membership.approve", obj=membership, reason=message)
    _mail_primary_contact(membership, key=f"application-approved:{membership.pk}",
                          template="application_approved",
                          context={"membership": membership, "invoice": invoice,
                                   "message": message})
    return membership


@transaction.atomic
def membership_refuse(*, membership, actor, message):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.APPLIED:
        raise ValidationError(_("Only an application waiting for a decision can be refused."))
    if not message.strip():
        raise ValidationError(_("Tell the applicant why."))
    membership.status = Membership.Status.REFUSED
    membership.decided_at, membership.decided_by = timezone.now(), actor
    membership.decision_message = message
    membership.save()
    audit.record(actor=actor, action="membership.refuse", obj=membership, reason=message)
    _mail_primary_contact(membership, key=f"application-refused:{membership.pk}",
                          template="application_refused",
                          context={"membership": membership, "message": message})
    refresh_organisation(membership.organisation)
    return membership
