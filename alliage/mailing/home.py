"""The home page's "latest news" section (registered in apps.ready, see core.home)."""

from django.utils import timezone

from alliage.mailing.models import Post

SHOWN = 3


def latest(request):
    """The latest published news and press releases, or None."""
    posts = list(Post.objects.filter(published_at__lte=timezone.now())[:SHOWN])
    return ("mailing/_home.html", {"posts": posts}) if posts else None


def connect():
    from django.db.models.signals import post_delete, post_save

    from alliage.core import home

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(home.bump, sender=Post, dispatch_uid=f"mailing.home.{name}")
