"""Server-side bar charts as SVG (matplotlib), cached by their content.

Governance draws its election results with the same helper.
"""

import json

from alliage.core import charts

COLOUR = "#1f5f8b"


def bars_svg(labels, values, *, title="", horizontal=True):
    """A bar chart of ``values`` (numbers) named by ``labels``; '' when there is nothing."""
    if not labels:
        return ""
    fingerprint = json.dumps([list(map(str, labels)), list(values), str(title), horizontal])
    return charts.cached_svg("surveys:bars:", fingerprint,
                             lambda: _draw(labels, values, title, horizontal))


def _short(label, width=38):
    label = str(label)
    return label if len(label) <= width else label[:width - 1] + "…"


def _draw(labels, values, title, horizontal):
    height = max(1.6, 0.45 * len(labels) + 0.8) if horizontal else 3.2
    fig, ax = charts.pyplot().subplots(figsize=(6.4, height), dpi=100)
    from matplotlib.ticker import MaxNLocator
    names = [_short(x) for x in labels]
    if horizontal:
        positions = list(range(len(names)))[::-1]
        ax.barh(positions, values, color=COLOUR)
        ax.set_yticks(positions, names, fontsize=9)
        for y, v in zip(positions, values, strict=True):
            ax.annotate(f"{v:g}", (v, y), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_xlim(0, max(max(values), 1) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts, never 0.2 of a vote
    else:
        ax.bar(names, values, color=COLOUR)
        ax.tick_params(axis="x", labelsize=9)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        ax.set_title(str(title), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return charts.figure_svg(fig)
