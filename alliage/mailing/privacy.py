"""Mailing's personal data in the Law 25 registry: the newsletter subscriber with their
subscriptions, opens and clicks; the CASL consent ledger; bounces."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.mailing.models import (
    BounceEvent,
    Campaign,
    ConsentEvent,
    Delivery,
    MailingList,
    Post,
    Subscriber,
    Subscription,
)

iso = privacy.iso


def _addresses(subject):
    return {e.lower() for e in subject.emails}


def _subscribers(subject):
    condition = Q(email__in=_addresses(subject))
    if subject.person_id is not None:
        condition |= Q(contact_id=subject.person_id)
    return Subscriber.objects.filter(condition)


def _export_subscriber(subject):
    data = []
    for s in _subscribers(subject).prefetch_related("subscriptions__mailing_list"):
        deliveries = Delivery.objects.filter(subscriber=s).select_related("campaign")
        data.append({
            "email": s.email, "first_name": s.first_name,
            "organisation": s.organisation_name, "language": s.language,
            "suppressed": s.suppressed, "soft_bounces": s.soft_bounces,
            "created_at": iso(s.created_at),
            "subscriptions": [{"list": sub.mailing_list.name_fr, "status": sub.status,
                               "requested_at": iso(sub.requested_at),
                               "confirmed_at": iso(sub.confirmed_at),
                               "ended_at": iso(sub.ended_at)}
                              for sub in s.subscriptions.all()],
            "newsletters": [{"campaign": d.campaign.title, "status": d.status,
                             "sent_at": iso(d.sent_at), "opened_at": iso(d.opened_at),
                             "clicked_at": iso(d.clicked_at)} for d in deliveries]})
    return data


def _anonymise_subscriber(subject, actor):
    from alliage.mailing import services

    for s in _subscribers(subject):
        # A CASL withdrawal first (kept in the ledger, with the address, as proof that no
        # more mail may go to it), then the subscriber keeps nothing that names the person.
        services.withdraw(subscriber=s, basis=ConsentEvent.Basis.STAFF, actor=actor)
        Delivery.objects.filter(subscriber=s).update(opened_at=None, clicked_at=None)
        Subscriber.objects.filter(pk=s.pk).update(
            email=subject.placeholder_email(f"-subscriber-{s.pk}"), first_name="",
            organisation_name="", contact=None, suppressed=Subscriber.Suppression.MANUAL)


def _retain_tracking(now):
    """Who opened or clicked is forgotten after RETENTION_TRACKING_DAYS; per-link totals
    stay."""
    cutoff = now - timedelta(days=settings.RETENTION_TRACKING_DAYS)
    return Delivery.objects.filter(sent_at__lt=cutoff).filter(
        Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)).update(
        opened_at=None, clicked_at=None)


def _export_consent(subject):
    return [{"email": c.email, "kind": c.kind, "basis": c.basis,
             "list": c.mailing_list.name_fr if c.mailing_list_id else None,
             "wording": c.wording, "source": c.source, "ip": c.ip,
             "occurred_at": iso(c.occurred_at), "expires_at": iso(c.expires_at)}
            for c in ConsentEvent.objects.filter(email__in=_addresses(subject))
            .select_related("mailing_list")]


def _export_bounces(subject):
    return [{"email": b.email, "kind": b.kind, "source": b.source, "detail": b.detail,
             "occurred_at": iso(b.occurred_at)}
            for b in BounceEvent.objects.filter(email__in=_addresses(subject))]


def _erase_bounces(subject, actor):
    BounceEvent.objects.filter(email__in=_addresses(subject)).delete()


def _retain_bounces(now):
    cutoff = now - timedelta(days=settings.RETENTION_TRACKING_DAYS)
    deleted, _details = BounceEvent.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted


def register():
    def months():
        return settings.RETENTION_TRACKING_DAYS * 12 // 365

    privacy.register(
        "newsletter", title=_("Newsletter"),
        models=[Subscriber, Subscription, Delivery], export=_export_subscriber,
        anonymise=_anonymise_subscriber, retention=_retain_tracking,
        summary="tracking_cleared",
        rule=lambda: gettext("Who opened or clicked a newsletter is forgotten after %(months)s "
                             "months (totals per link stay). On erasure you are unsubscribed "
                             "and the subscriber keeps nothing that names you.")
        % {"months": months()})
    privacy.register(
        "consent_ledger", title=_("Consent to receive email"),
        models=[ConsentEvent], export=_export_consent,
        rule=_("Every consent and withdrawal is kept, with its date, source and IP address, "
               "as the proof Canada's anti-spam law (CASL) requires."),
        kept=_("The consent ledger (your address, what you agreed to or withdrew, when, from "
               "which IP address) is kept as CASL proof; an erasure adds your withdrawal to "
               "it so nothing more is sent to you."))
    privacy.register(
        "bounces", title=_("Delivery failures"),
        models=[BounceEvent], export=_export_bounces, anonymise=_erase_bounces,
        retention=_retain_bounces, summary="bounces_deleted",
        rule=lambda: gettext("Delivery failures for your address are deleted after "
                             "%(months)s months, or with you.") % {"months": months()})
    privacy.exempt(MailingList, "list names and descriptions")
    privacy.exempt(Campaign, "newsletter texts written by staff")
    privacy.exempt(Post, "news posts and press releases")
