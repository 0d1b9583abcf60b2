"""The home page's "next events" section (registered in apps.ready, see core.home)."""

from alliage.events.models import Event

SHOWN = 3


def upcoming(request):
    """The next events the viewer may see (public ones for visitors), or None."""
    events = list(Event.objects.visible_to(request.user).upcoming()
                  .select_related("municipality")[:SHOWN])
    return ("events/_home.html", {"events": events}) if events else None


def connect():
    from django.db.models.signals import post_delete, post_save

    from alliage.core import home

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(home.bump, sender=Event, dispatch_uid=f"events.home.{name}")
