"""Subscriptions (double opt-in), withdrawals, campaigns (start, pause, resume, cancel)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.core.models import Association
from alliage.mailing import consent
from alliage.mailing.models import (
    BounceEvent,
    Campaign,
    ConsentEvent,
    Delivery,
    Subscriber,
    Subscription,
    single_line,
)
from alliage.mailing.render import token_for

FORM_WORDING = ("J'accepte de recevoir les communications de {name} sur les listes choisies. "
                "Je peux me désabonner en tout temps.")


@transaction.atomic
def subscribe(*, email, lists, first_name="", organisation_name="", language="fr", ip=None,
              source="form"):
    """Public form: pending subscriptions and a confirmation mail (double opt-in)."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email.strip().lower(), defaults={"first_name": first_name,
                                               "organisation_name": organisation_name,
                                               "language": language})
    pending = []
    for mailing_list in lists:
        sub, _ = Subscription.objects.get_or_create(subscriber=subscriber,
                                                    mailing_list=mailing_list)
        if sub.status != Subscription.Status.ACTIVE:
            sub.status = Subscription.Status.PENDING
            sub.requested_at = timezone.now()
            sub.save()
            pending.append(sub)
    if pending:
        token = token_for(subscriber.pk)
        queue_email(key=f"subscribe:{subscriber.pk}:{int(timezone.now().timestamp())}",
                    to=subscriber.email, template="subscription_confirm",
                    language=subscriber.language,
                    context={"url": settings.SITE_URL + reverse("mailing:confirm",
                                                                args=[token]),
                             "lists": [s.mailing_list for s in pending]})
    return subscriber, pending


@transaction.atomic
def confirm(*, subscriber, ip=None, wording=None, source="form"):
    """The link in the confirmation mail: express consent recorded per list."""
    from alliage.core.models import Association

    wording = wording or FORM_WORDING.format(name=Association.current().name)
    done = []
    for sub in subscriber.subscriptions.select_for_update().filter(
            status=Subscription.Status.PENDING):
        sub.status = Subscription.Status.ACTIVE
        sub.confirmed_at = timezone.now()
        sub.ended_at = None
        sub.save()
        consent.record(email=subscriber.email, kind=ConsentEvent.Kind.EXPRESS,
                       basis=ConsentEvent.Basis.FORM, mailing_list=sub.mailing_list,
                       wording=wording, source=source, ip=ip)
        done.append(sub)
    return done


@transaction.atomic
def withdraw(*, subscriber, basis, lists=None, ip=None, actor=None, campaign=None):
    """Unsubscribe from some lists, or from everything (a CASL withdrawal) when lists=None."""
    subs = subscriber.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED)
    if lists is not None:
        subs = subs.filter(mailing_list__in=lists)
    now = timezone.now()
    changed = subs.update(status=Subscription.Status.UNSUBSCRIBED, ended_at=now)
    if lists is None:
        consent.record(email=subscriber.email, kind=ConsentEvent.Kind.WITHDRAWAL, basis=basis,
                       ip=ip, actor=actor, campaign=campaign, at=now)
        # Stops at once: nothing still queued for this address goes out.
        Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="unsubscribed")
    return changed


def suppress(email, reason):
    Subscriber.objects.filter(email=email.lower()).update(suppressed=reason)
    Delivery.objects.filter(subscriber__email=email.lower(),
                            status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, error=reason)


@transaction.atomic
def bounce(*, email, kind, source, message_id="", detail=""):
    """Hard bounces and complaints suppress at once; soft bounces count to a threshold."""
    email = (email or "").strip().lower()
    if not email:
        return None
    event = BounceEvent.objects.create(email=email, kind=kind, source=source,
                                       message_id=message_id, detail=detail[:2000])
    if message_id:
        Delivery.objects.filter(message_id=message_id).update(status=Delivery.Status.BOUNCED)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        return event
    if kind == BounceEvent.Kind.HARD:
        suppress(email, Subscriber.Suppression.HARD_BOUNCE)
    elif kind == BounceEvent.Kind.COMPLAINT:
        suppress(email, Subscriber.Suppression.COMPLAINT)
        consent.record(email=email, kind=ConsentEvent.Kind.WITHDRAWAL,
                       basis=ConsentEvent.Basis.COMPLAINT)
    else:
        subscriber.soft_bounces += 1
        subscriber.save(update_fields=["soft_bounces"])
        if subscriber.soft_bounces >= settings.MAILING_SOFT_BOUNCE_LIMIT:
            suppress(email, Subscriber.Suppression.SOFT_BOUNCES)
    return event


def audience(campaign):
    """Subscribers the campaign targets (consent is checked again at send time)."""
    found = Subscriber.objects.filter(suppressed="").filter(
        subscriptions__mailing_list__in=campaign.lists.all(),
        subscriptions__status=Subscription.Status.ACTIVE)
    ids = set(found.values_list("pk", flat=True))
    if campaign.audience == Campaign.Audience.MEMBERS:
        ids |= set(_member_subscribers().values_list("pk", flat=True))
    if campaign.segment_id:
        from alliage.members.selectors import segment_organisations

        ids |= set(_member_subscribers(organisations=segment_organisations(campaign.segment))
                   .values_list("pk", flat=True))
    if campaign.event_id:
        ids |= set(_attendee_subscribers(campaign.event).values_list("pk", flat=True))
    return Subscriber.objects.filter(pk__in=ids, suppressed="")


def _attendee_subscribers(event):
    """People registered to an event (confirmed), as subscribers; consent is still checked
    at send time (members' implied consent, or any recorded consent)."""
    rows = event.registrations.filter(status="confirmed").exclude(contact__email="") \
        .values_list("contact_id", "contact__email", "contact__first_name",
                     "contact__language", "order__organisation__legal_name")
    return _as_subscribers(rows)


def _member_subscribers(organisations=None):
    """Contacts of current members (or of the given organisations), as subscribers."""
    from alliage.members.models import Affiliation, MemberStatus

    affiliations = Affiliation.objects.filter(ended_on__isnull=True)
    if organisations is None:
        affiliations = affiliations.filter(organisation__member_status__in=[
            MemberStatus.ACTIVE, MemberStatus.GRACE])
    else:
        affiliations = affiliations.filter(organisation__in=organisations)
    rows = affiliations.exclude(contact__email="").values_list(
        "contact_id", "contact__email", "contact__first_name", "contact__language",
        "organisation__legal_name")
    return _as_subscribers(rows)


def _as_subscribers(rows):
    rows = list(rows)
    existing = set(Subscriber.objects.values_list("email", flat=True))
    fresh = []
    for contact_id, email, first, lang, org in rows:
        email = email.lower()
        if email not in existing:
            existing.add(email)
            fresh.append(Subscriber(email=email, first_name=single_line(first),
                                    contact_id=contact_id,
                                    language="en" if (lang or "").startswith("en") else "fr",
                                    organisation_name=single_line(org)))
    Subscriber.objects.bulk_create(fresh, ignore_conflicts=True)
    emails = [r[1].lower() for r in rows]
    return Subscriber.objects.filter(email__in=emails)


def campaign_start(*, campaign, actor):
    """One delivery row per recipient, then one chain of batches per worker slot
    (idempotent)."""
    from alliage.mailing.tasks import enqueue, start_chains

    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
            return campaign
        recipients = list(audience(campaign).values_list("pk", flat=True))
        Delivery.objects.bulk_create([Delivery(campaign=campaign, subscriber_id=pk)
                                      for pk in recipients], ignore_conflicts=True,
                                     batch_size=2000)
        campaign.status = Campaign.Status.SENDING
        campaign.started_at = timezone.now()
        campaign.tracked = Association.current().newsletter_tracking
        campaign.save(update_fields=["status", "started_at", "tracked"])
        audit.record(actor=actor, action="campaign.start", obj=campaign,
                     changes={"recipients": len(recipients)})
        started = start_chains(campaign)
        transaction.on_commit(lambda: enqueue(campaign.pk, started))
    return campaign


def campaign_set(*, campaign, actor, status):
    """Pause, resume or cancel. A resume starts a chain only on the slots whose chain is not
    alive: after a quick pause and resume, the chains still running simply go on."""
    from alliage.mailing.tasks import enqueue, start_chains

    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        allowed = {Campaign.Status.PAUSED: {Campaign.Status.SENDING},
                   Campaign.Status.SENDING: {Campaign.Status.PAUSED},
                   Campaign.Status.CANCELLED: {Campaign.Status.SENDING, Campaign.Status.PAUSED,
                                               Campaign.Status.SCHEDULED,
                                               Campaign.Status.DRAFT}}
        if campaign.status not in allowed[status]:
            return campaign
        campaign.status = status
        campaign.save(update_fields=["status"])
        if status == Campaign.Status.CANCELLED:
            campaign.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SKIPPED, error="cancelled")
        audit.record(actor=actor, action=f"campaign.{status}", obj=campaign)
        if status == Campaign.Status.SENDING:
            started = start_chains(campaign)
            transaction.on_commit(lambda: enqueue(campaign.pk, started))
    return campaign


def tick(now=None):
    """Every minute: start scheduled campaigns; take back the claims whose lease expired (their
    worker died) and start a chain on the slots whose chain is not alive. A campaign whose
    chains wait on the rate limit or on busy workers is left alone, however long it waits."""
    from alliage.mailing.tasks import enqueue, start_chains

    now = now or timezone.now()
    started = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.SCHEDULED,
                                            scheduled_at__lte=now):
        campaign_start(campaign=campaign, actor=None)
        started += 1
    resumed = recovered = 0
    for campaign_id in Campaign.objects.filter(status=Campaign.Status.SENDING).values_list(
            "pk", flat=True):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            if campaign.status != Campaign.Status.SENDING:
                continue
            # Rows a dead worker left "being sent" go again, with the same Message-ID.
            taken_back = campaign.deliveries.lapsed(now).update(
                status=Delivery.Status.PENDING, claimed_by="", lease_until=None)
            recovered += taken_back
            left = set(campaign.deliveries.filter(status__in=[
                Delivery.Status.PENDING, Delivery.Status.SENDING]).values_list(
                "status", flat=True).distinct())
            chains = []
            if not left:                                  # its last chain died at the end
                campaign.status = Campaign.Status.SENT
                campaign.finished_at = now
                campaign.save(update_fields=["status", "finished_at"])
            elif Delivery.Status.PENDING in left:
                chains = start_chains(campaign, now)
        # Enqueued after the commit (a tick dying in between: the next one sees the chains
        # dead once their lease ends, and starts them again).
        enqueue(campaign.pk, chains)
        resumed += bool(chains)
    # A cancelled campaign's rows that a dead worker held: nothing will send them.
    Delivery.objects.filter(campaign__status=Campaign.Status.CANCELLED).lapsed(now).update(
        status=Delivery.Status.SKIPPED, error="cancelled")
    return {"started": started, "resumed": resumed, "recovered": recovered}


def report(campaign):
    counts = dict(campaign.deliveries.values_list("status").annotate(
        n=Count("id")).values_list("status", "n"))
    unsubscribed = ConsentEvent.objects.filter(
        Q(campaign=campaign), kind=ConsentEvent.Kind.WITHDRAWAL).count()
    window = (campaign.started_at, (campaign.finished_at or timezone.now())
              + timedelta(days=30)) if campaign.started_at else None
    emails = campaign.deliveries.values("subscriber__email")
    complaints = BounceEvent.objects.filter(kind=BounceEvent.Kind.COMPLAINT,
                                            email__in=emails).count()
    bounced = counts.get(Delivery.Status.BOUNCED, 0)
    sent = counts.get(Delivery.Status.SENT, 0) + bounced
    tracking = None
    if campaign.tracked:
        deliveries = campaign.deliveries.filter(status=Delivery.Status.SENT)
        tracking = {"opened": deliveries.filter(opened_at__isnull=False).count(),
                    "clicked": deliveries.filter(clicked_at__isnull=False).count(),
                    "links": list(campaign.links.values("url", "clicks"))}
    return {"tracking": tracking, "recipients": sum(counts.values()), "sent": sent,
            "delivered": sent - bounced, "bounced": bounced,
            "skipped": counts.get(Delivery.Status.SKIPPED, 0),
            "failed": counts.get(Delivery.Status.FAILED, 0),
            "pending": counts.get(Delivery.Status.PENDING, 0)
            + counts.get(Delivery.Status.SENDING, 0),
            "unsubscribed": unsubscribed, "complaints": complaints, "window": window}


def campaign_save(*, form, actor, request=None):
    """Staff save a campaign draft: scheduled when it has a sending time (audited)."""
    def prepare(campaign):
        if not campaign.created_by_id:
            campaign.created_by = actor
        campaign.status = Campaign.Status.SCHEDULED if campaign.scheduled_at else \
            Campaign.Status.DRAFT

    return audit.save_form(form, actor=actor, action="campaign.save", request=request,
                           prepare=prepare)


def image_add(*, form, actor, request=None):
    """Staff upload an image for newsletters (audited)."""
    def prepare(image):
        image.uploaded_by = actor

    return audit.save_form(form, actor=actor, action="campaign.image", request=request,
                           prepare=prepare)


def post_save(*, form, actor, request=None):
    """Staff save a news post; a new one gets a unique slug from its French title."""
    from alliage.core.text import unique_slug
    from alliage.mailing.models import Post

    def prepare(post):
        if not post.slug:
            post.slug = unique_slug(Post.objects.all(), post.title_fr, default="nouvelle")

    return audit.save_form(form, actor=actor, action="post.save", request=request,
                           prepare=prepare)
