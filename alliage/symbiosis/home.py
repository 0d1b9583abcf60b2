"""The home page's symbiosis teaser (registered in apps.ready, see core.home): how many
offers and needs are published and how many synergies run — counts only, which name no
company, whatever each listing's confidentiality."""

from django.db.models import Count, Q
from django.utils import timezone

from alliage.symbiosis.models import Stream, Synergy


def teaser(request):
    counts = Stream.objects.published().aggregate(
        offers=Count("pk", filter=Q(kind=Stream.Kind.OFFER)),
        needs=Count("pk", filter=Q(kind=Stream.Kind.NEED)))
    today = timezone.localdate()
    synergies = Synergy.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)).count()
    if not (counts["offers"] or counts["needs"] or synergies):
        return None
    return ("symbiosis/_home.html", {**counts, "synergies": synergies})


def connect():
    from django.db.models.signals import post_delete, post_save

    from alliage.core import home

    for model in (Stream, Synergy):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(home.bump, sender=model,
                           dispatch_uid=f"symbiosis.home.{model.__name__}.{name}")
