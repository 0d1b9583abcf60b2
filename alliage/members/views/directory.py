"""Public directory pages (results cached per query, language and viewer level)."""

import math
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alliage.core.http import int_param
from alliage.members import cache, selectors
from alliage.members.forms import DirectorySearchForm
from alliage.members.models import Organisation, Visibility

PAGE_SIZE = 24
MAX_PAGE = 1000


def _criteria(form):
    """The declared filters, normalised: what the result caches are keyed on and the only
    parameters a link may carry (issue #11, N6). The search is folded as the search runs it,
    or None when too long to share (its results are then never stored)."""
    filters = form.filters() if form.is_bound else {}
    shareable = True
    if filters.get("q"):
        folded = cache.search_key(filters["q"])
        shareable = folded is not None
        filters["q"] = folded or filters["q"]
    return {k: v for k, v in filters.items() if v}, shareable


def _querystring(filters):
    """The links' query string: the normalised filters only, never the raw request's (a
    cached fragment must be the same whoever filled it)."""
    return urlencode(sorted(filters.items()))


def _results_html(request, filters, shareable, level, at=None):
    """The results fragment and whether the requested page exists (an out-of-range page is
    answered with the last one, under the last one's key). ``at``: the directory version
    read for this request."""
    # A bounded int: a raw string would let anyone mint cache entries (?page=1a, 1b…).
    requested = int_param(request.GET, "page", default=1, maximum=MAX_PAGE)
    # The count is shared by every page of the same search (and every level), so it is
    # cached on its own; it bounds the page numbers that may be stored.
    count = cache.remember(cache.key("count", sorted(filters.items()), at=at),
                           lambda: selectors.directory(**filters).count(), store=shareable)
    page_number = min(requested, max(1, math.ceil(count / PAGE_SIZE)))

    def compute():
        paginator = Paginator(selectors.directory(**filters), PAGE_SIZE)
        paginator.count = count
        page = paginator.page(page_number)
        cards = [selectors.public_card(o, level) for o in page.object_list]
        for card, org in zip(cards, page.object_list, strict=True):
            # The logo is public like the name; the card shows initials without one.
            card["logo"] = org.logo.url if org.logo else ""
            card["initials"] = "".join(w[0] for w in card["name"].split()[:2]).upper()
        return render_to_string("members/_directory_results.html", {
            "page": page, "cards": cards, "querystring": _querystring(filters)})

    html = cache.remember(
        cache.key("results", get_language(), level, sorted(filters.items()), page_number,
                  at=at),
        compute, store=shareable and level != Visibility.STAFF)
    return html, requested == page_number


def _form_html(form, at):
    """The search form's fields as shown, cached per language and values as typed (the same
    for every viewer) when the form has no error to show (its rendering was a good part of
    a logged-in member's directory page)."""
    def compute():
        return mark_safe(render_to_string(  # noqa: S308 - our own render
            "members/_directory_form.html", {"form": form}))

    if form.is_bound and not form.is_valid():
        return compute()
    values = [(name, str(form[name].value() or "")) for name in form.fields]
    return cache.remember(cache.key("form", get_language(), values, at=at), compute)


def directory(request):
    at = cache.version()                  # one read of the shared version per request
    form = DirectorySearchForm(request.GET or None, at=at)
    level = selectors.viewer_level(request.user)
    filters, shareable = _criteria(form)
    html, in_range = _results_html(request, filters, shareable, level, at)
    results = mark_safe(html)  # noqa: S308 - our own render
    if request.htmx and request.htmx.target == "directory-results":
        response = HttpResponse(results)
    else:
        response = render(request, "members/directory.html", {
            "form": form, "form_html": _form_html(form, at), "results": results,
            "querystring": _querystring(filters)})
    if not in_range:
        # Page 99 of 2 shows the last page; sharing it would add an entry per number.
        patch_cache_control(response, private=True)
    return response


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
    org = get_object_or_404(Organisation.objects.select_related(
        "municipality", "park", "primary_sector"), slug=slug)
    # Staff see every company; others a listed member company, or their own.
    if selectors.viewer_level(request.user) != Visibility.STAFF \
            and not (org.is_member and org.is_listed) \
            and not Organisation.objects.of_user(request.user).filter(pk=org.pk).exists():
        raise Http404
    level = selectors.viewer_level(request.user, org)
    visible = org.visible_fields(level)
    return render(request, "members/directory_detail.html", {
        "org": org, "card": selectors.public_card(org, level), "visible": visible,
        "tags": org.tags.all() if "tags" in visible else [],
        "secondary_sectors": org.secondary_sectors.all() if "secondary_sectors" in visible
        else [],
    })
