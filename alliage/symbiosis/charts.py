"""Server-side charts (SVG, so they also reach PDFs; drawn with ``core.charts``)."""

from alliage.core import charts


def streams_map_svg():
    """Anonymised map: published streams counted per municipality (never per company),
    offers and needs side by side."""
    from collections import Counter

    from alliage.symbiosis.models import Stream

    counts = Counter()
    places = {}
    from django.db.models.functions import Coalesce

    # A stream counts where its site is; without a site, at its company's municipality.
    rows = Stream.objects.published().annotate(
        place=Coalesce("site__municipality__name", "organisation__municipality__name"),
        lat=Coalesce("site__municipality__latitude", "organisation__municipality__latitude"),
        lon=Coalesce("site__municipality__longitude",
                     "organisation__municipality__longitude"),
    ).filter(place__isnull=False).values_list("kind", "place", "lat", "lon")
    for kind, name, lat, lon in rows:
        counts[(kind, name)] += 1
        places[name] = (float(lon), float(lat))
    fig, ax = charts.pyplot().subplots(figsize=(7, 4.2), dpi=100)
    for kind, colour, shift, label in (("offer", "#1f5f8b", -0.02, "Offres / offers"),
                                       ("need", "#c0702a", 0.02, "Besoins / needs")):
        xs, ys, sizes = [], [], []
        for (k, name), n in counts.items():
            if k == kind:
                xs.append(places[name][0] + shift)
                ys.append(places[name][1])
                sizes.append(40 + 40 * n)
        ax.scatter(xs, ys, s=sizes, c=colour, alpha=0.6, label=label, edgecolors="white")
    for name, (x, y) in places.items():
        ax.annotate(name, (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return charts.figure_svg(fig)
