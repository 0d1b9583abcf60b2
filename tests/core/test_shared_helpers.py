"""One helper per job (issue #21): unique slugs (organisations, events, news, products) and
server-drawn SVG charts (newsletter growth, symbiosis map, survey and election bars)."""

from alliage.core import charts
from alliage.core.models import Municipality, Region
from alliage.core.text import unique_slug


def test_a_slug_is_numbered_past_the_ones_taken_and_ignores_the_row_being_edited(db):
    region = Region.objects.create(code="02", name="Saguenay–Lac-Saint-Jean")
    place = {"region": region, "latitude": 48.5, "longitude": -71.2}
    towns = Municipality.objects.all()
    first = Municipality.objects.create(name="Saint-Honoré", slug="saint-honore", **place)
    Municipality.objects.create(name="Saint-Honoré 2", slug="saint-honore-2", **place)
    assert unique_slug(towns, "Saint-Honoré", default="lieu") == "saint-honore-3"
    assert unique_slug(towns, "Saint-Honoré", default="lieu", exclude_pk=first.pk) == \
        "saint-honore"
    assert unique_slug(towns, "« ! »", default="lieu") == "lieu"
    assert unique_slug(towns, "x" * 300, default="lieu", max_length=10) == "x" * 10


def test_a_chart_is_svg_markup_drawn_once_while_its_data_is_unchanged(db):
    drawn = []

    def draw():
        fig, ax = charts.pyplot().subplots(figsize=(2, 1))
        ax.bar(["a", "b"], [1, 2])
        drawn.append(1)
        return charts.figure_svg(fig)

    svg = charts.cached_svg("test:bars:", "a=1|b=2", draw)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert charts.cached_svg("test:bars:", "a=1|b=2", draw) == svg
    assert len(drawn) == 1
    charts.cached_svg("test:bars:", "a=1|b=3", draw)
    assert len(drawn) == 2
