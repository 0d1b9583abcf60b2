"""Public directory pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from alliage.members import selectors
from alliage.members.forms import DirectorySearchForm
from alliage.members.models import Organisation


def directory(request):
    form = DirectorySearchForm(request.GET or None)
    results = selectors.directory(**form.filters()) if form.is_bound else \
        selectors.directory()
    page = Paginator(results, 24).get_page(request.GET.get("page"))
    level = selectors.viewer_level(request.user)
    cards = [selectors.public_card(o, level) for o in page.object_list]
    context = {"form": form, "page": page, "cards": cards,
               "querystring": _querystring(request)}
    template = "members/directory.html"
    if request.htmx and request.htmx.target == "directory-results":
        template += "#results"
    return render(request, template, context)


def _querystring(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def directory_map(request):
    form = DirectorySearchForm(request.GET or None)
    results = selectors.directory(**form.filters()) if form.is_bound else \
        selectors.directory()
    level = selectors.viewer_level(request.user)
    cards = [selectors.public_card(o, level) for o in results[:2000]]
    points = [{"name": c["name"], "url": c["url"], "lat": c["latitude"], "lon": c["longitude"],
               "municipality": c["municipality"]} for c in cards if c["latitude"] is not None]
    return render(request, "members/directory_map.html",
                  {"form": form, "cards": cards, "points": points,
                   "map_tiles": settings.MAP_TILE_URL})


def directory_detail(request, slug):
    qs = Organisation.objects.select_related("municipality", "park", "primary_sector")
    level = selectors.viewer_level(request.user)
    if level != "staff":
        own = Organisation.objects.of_user(request.user).filter(slug=slug)
        qs = qs.filter(pk__in=list(own.values_list("pk", flat=True))) if own.exists() else \
            qs.filter(pk__in=Organisation.objects.for_directory().values("pk"))
    org = get_object_or_404(qs, slug=slug)
    level = selectors.viewer_level(request.user, org)
    visible = org.visible_fields(level)
    return render(request, "members/directory_detail.html", {
        "org": org, "card": selectors.public_card(org, level), "visible": visible,
        "tags": org.tags.all() if "tags" in visible else [],
        "secondary_sectors": org.secondary_sectors.all() if "secondary_sectors" in visible
        else [],
    })
