"""Advantages' personal data in the Law 25 registry. Enrolments, pledges, bookings and
collection belong to companies; the person who claimed a discount is the only personal link
(and who booked, pledged or enrolled: user accounts, kept for the audit)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from alliage.advantages.models import (
    Advantage,
    Booking,
    DiscountClaim,
    Enrolment,
    GroupPurchase,
    PledgeChange,
    SharedResource,
)
from alliage.core import privacy

iso = privacy.iso
CLAIM_PERSON_KEPT_DAYS = 730


def _export_claims(subject):
    return [{"advantage": c.advantage.name_fr, "claimed_at": iso(c.claimed_at)}
            for c in DiscountClaim.objects.filter(contact_id=subject.person_id)
            .select_related("advantage")]


def _export_actions(subject):
    users = list(subject.user_ids)
    return {
        "enrolments": [{"advantage": e.advantage.name_fr, "organisation": e.organisation
                        .legal_name, "at": iso(e.created_at)}
                       for e in Enrolment.objects.filter(enrolled_by_id__in=users)
                       .select_related("advantage", "organisation")],
        "pledge_changes": [{"purchase": c.pledge.purchase.title_fr, "from": c.quantity_before,
                            "to": c.quantity_after, "at": iso(c.changed_at)}
                           for c in PledgeChange.objects.filter(changed_by_id__in=users)
                           .select_related("pledge__purchase")],
        "bookings": [{"resource": b.resource.name_fr, "from": iso(b.starts_at),
                      "to": iso(b.ends_at), "note": b.note}
                     for b in Booking.objects.filter(booked_by_id__in=users)
                     .select_related("resource")],
    }


def _anonymise_claims(subject, actor):
    DiscountClaim.objects.filter(contact_id=subject.person_id).update(contact=None)


def _anonymise_actions(subject, actor):
    users = list(subject.user_ids)
    Booking.objects.filter(booked_by_id__in=users).update(note="")


def _retain_claims(now):
    return (DiscountClaim.objects.filter(claimed_at__lt=now - timedelta(
        days=CLAIM_PERSON_KEPT_DAYS), contact__isnull=False).update(contact=None))


def register():
    privacy.register(
        "advantage_claims", title=_("Partner discounts claimed"), models=[DiscountClaim],
        export=_export_claims, anonymise=_anonymise_claims, retention=_retain_claims,
        summary="discount_claims_unlinked",
        rule=_("Who claimed a partner discount is kept two years, then only the company's "
               "claim is counted."))
    privacy.register(
        "advantage_actions", title=_("Member advantages"),
        models=[Enrolment, PledgeChange, Booking], export=_export_actions,
        anonymise=_anonymise_actions,
        rule=_("Enrolments, pledges and bookings belong to your company and stay with it; "
               "your booking notes are erased with you."))
    privacy.exempt(GroupPurchase, "a campaign's public description and supplier")
    privacy.exempt(SharedResource, "a resource's public name and description")
    privacy.exempt(Advantage, "a partner's contact line for its discount (a business "
                              "contact, published to members)")
