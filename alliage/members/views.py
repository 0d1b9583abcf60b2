"""Public directory pages (results cached per query, language and viewer level)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alliage.core.http import int_param
from alliage.members import cache, selectors
from alliage.members.forms import DirectorySearchForm
from alliage.members.models import Organisation, Visibility

PAGE_SIZE = 24
MAX_PAGE = 1000


def _querystring(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _results_html(request, form, level):
    filters = form.filters() if form.is_bound else {}
    # A bounded int: a raw string would let anyone mint cache entries (?page=1a, 1b…).
    page_number = int_param(request.GET, "page", default=1, maximum=MAX_PAGE)

    def compute():
        results = selectors.directory(**filters)
        # The count is shared by every page of the same search, so it is cached on its own.
        count = cache.remember(cache.key("count", sorted(filters.items())), results.count)
        paginator = Paginator(results, PAGE_SIZE)
        paginator.count = count
        page = paginator.get_page(page_number)
        cards = [selectors.public_card(o, level) for o in page.object_list]
        return render_to_string("members/_directory_results.html", {
            "page": page, "cards": cards, "querystring": _querystring(request)})

    if level == Visibility.STAFF:
        return compute()
    return cache.remember(cache.key("results", get_language(), level,
                                    sorted(filters.items()), page_number), compute)


def directory(request):
    form = DirectorySearchForm(request.GET or None)
    level = selectors.viewer_level(request.user)
    results = mark_safe(_results_html(request, form, level))  # noqa: S308 - our own render
    if request.htmx and request.htmx.target == "directory-results":
        return HttpResponse(results)
    return render(request, "members/directory.html", {
        "form": form, "results": results, "querystring": _querystring(request)})


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
