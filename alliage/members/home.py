"""The home page's member company in the spotlight (registered in apps.ready, see
core.home): one listed member a day, in turn, shown as the directory shows it to the
viewer (its public card for visitors)."""

from django.utils import timezone

from alliage.members import selectors
from alliage.members.models import Organisation


def spotlight(request):
    ids = list(Organisation.objects.for_directory().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return None
    pk = ids[timezone.localdate().toordinal() % len(ids)]
    org = Organisation.objects.select_related("municipality", "park", "primary_sector").get(
        pk=pk)
    level = selectors.viewer_level(request.user, org)
    return ("members/_home_spotlight.html", {
        "org": org, "card": selectors.public_card(org, level),
        "initials": "".join(w[0] for w in org.display_name.split()[:2]).upper()})
