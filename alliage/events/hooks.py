"""What events add to other apps: CRM timeline, engagement score (its Law 25 data is
declared in ``alliage.events.privacy``)."""

from datetime import timedelta

from django.utils.translation import gettext as _

from alliage.members import engagement, timeline


@timeline.register
def _registrations(org):
    from alliage.events.models import Registration

    for r in Registration.objects.filter(order__organisation=org).select_related(
            "event", "contact")[:200]:
        yield timeline.TimelineEntry(r.created_at, "event", _(
            "%(name)s registered to %(event)s (%(status)s)") % {
            "name": r.contact.full_name, "event": r.event.title,
            "status": r.get_status_display()})


TWO_YEARS = timedelta(days=730)


def _recent_part(key, count, cap, message):
    """An engagement part worth 5 points per item of the last two years, up to ``cap``."""
    if not count:
        return None
    points = min(cap, 5 * count)
    return engagement.Part(key, points, message % {"n": count, "p": points})


def _attended(today):
    from alliage.events.models import Registration

    return Registration.objects.filter(checked_in_at__date__gte=today - TWO_YEARS)


def _certified(today):
    from alliage.events.models import Certificate

    return Certificate.objects.filter(issued_at__date__gte=today - TWO_YEARS)


@engagement.batch
def _count_for_many(organisations, today):
    """Attendances and certificates of many organisations in two queries."""
    from django.db.models import Count

    ids = [o.pk for o in organisations]
    attended = dict(_attended(today).filter(order__organisation__in=ids)
                    .values_list("order__organisation").annotate(n=Count("id")))
    certified = dict(_certified(today).filter(registration__order__organisation__in=ids)
                     .values_list("registration__order__organisation").annotate(n=Count("id")))
    for org in organisations:
        org._engagement_counts["events"] = attended.get(org.pk, 0)
        org._engagement_counts["training"] = certified.get(org.pk, 0)


@engagement.part
def _events(org, today):
    attended = engagement.counted(org, "events", lambda: _attended(today).filter(
        order__organisation=org).count())
    return _recent_part("events", attended, 25, _("Event attendances in two years: %(n)s "
                                                  "(+%(p)s)"))


# --- Telling registered people when an event changes ---------------------------------------

WATCHED = ("starts_at", "ends_at", "venue_name", "venue_address", "online_url", "status")


def _fingerprint(event):
    import hashlib

    raw = "|".join(str(getattr(event, f)) for f in WATCHED)
    return hashlib.sha1(raw.encode()).hexdigest()[:12]  # noqa: S324


def remember_before_save(sender, instance, **kwargs):
    from alliage.events.models import Event

    old = Event.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._before_save_fingerprint = _fingerprint(old) if old else None
    instance._was_published = bool(old and old.status == Event.Status.PUBLISHED)


def notify_if_changed(sender, instance, created, **kwargs):
    before = getattr(instance, "_before_save_fingerprint", None)
    if created or before is None or not instance._was_published:
        return
    now = _fingerprint(instance)
    if now != before:
        from django.db import transaction

        from alliage.events.tasks import notify_event_change

        transaction.on_commit(lambda: notify_event_change.enqueue(instance.pk, now))


def connect():
    from django.db.models.signals import post_save, pre_save

    from alliage.events.models import Event

    pre_save.connect(remember_before_save, sender=Event, dispatch_uid="events-pre-save")
    post_save.connect(notify_if_changed, sender=Event, dispatch_uid="events-post-save")


@engagement.part
def _training(org, today):
    count = engagement.counted(org, "training", lambda: _certified(today).filter(
        registration__order__organisation=org).count())
    return _recent_part("training", count, 15, _("Training certificates in two years: %(n)s "
                                                 "(+%(p)s)"))
