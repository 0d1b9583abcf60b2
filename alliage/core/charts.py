"""Charts drawn on the server as SVG with matplotlib, so pages and PDFs show the same picture
(pages embed them as images: ``{% svg_img %}``). One way to get a figure, turn it into SVG
markup and keep it while its data has not changed; each app draws its own chart."""

import hashlib
import io

DAY = 24 * 60 * 60


def pyplot():
    """matplotlib's ``pyplot`` on the Agg backend (no display). Imported on first use: it
    costs about a second on a cold process, which pages without a chart never pay."""
    import matplotlib

    matplotlib.use("Agg")
    # Labels are data (event titles, towns, "50 $ ... 62,50 $"): never read "$...$" as a
    # formula, which draws wrong or raises on odd input.
    matplotlib.rcParams["text.parse_math"] = False
    import matplotlib.pyplot as plt

    return plt


def figure_svg(fig):
    """The figure as SVG markup (from ``<svg``, without the XML prologue); closes it."""
    out = io.StringIO()
    fig.tight_layout()
    fig.savefig(out, format="svg")
    pyplot().close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg"):]


def cached_svg(prefix, fingerprint, draw, *, timeout=DAY):
    """``draw()``'s SVG kept in the cache under ``prefix`` and a digest of ``fingerprint``
    (a text naming everything the chart shows): drawn again only when that changes."""
    from django.core.cache import cache

    key = prefix + hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, timeout)
    return svg
