"""An indicator's trend against its target, as SVG (server-side, matplotlib)."""

from alliage.core.charts import cached_svg, figure_svg, pyplot


def indicator_svg(indicator, values):
    if not values:
        return ""
    fingerprint = f"{indicator.pk}|{indicator.baseline}|{indicator.target}|{values}"

    def draw():
        plt = pyplot()
        fig, ax = plt.subplots(figsize=(4.2, 1.9), dpi=100)
        years = [y for y, _v in values]
        ax.plot(years, [float(v) for _y, v in values], marker="o", color="#1f5f8b")
        ax.axhline(float(indicator.target), color="#2e7d32", linestyle="--", linewidth=1)
        ax.annotate(f"{indicator.target:g}", (years[0], float(indicator.target)),
                    textcoords="offset points", xytext=(0, 3), fontsize=8, color="#2e7d32")
        ax.set_xticks(years)
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return figure_svg(fig)

    return cached_svg("support-indicator-", fingerprint, draw)
