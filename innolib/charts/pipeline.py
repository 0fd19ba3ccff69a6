"""The cultivation pipeline: the funnel of the four tiers (科技型企业 → 高企 → 瞪羚 → 创新龙头)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from innolib.charts.adapters import funnel_input
from innolib.charts.layout import (
    ACCENT,
    ANNOTATION_SIZE,
    FIGSIZE_WIDE,
    GREY,
    footnote,
    new_figure,
    palette,
    set_title,
)
from innolib.charts.text import when_text
from innolib.charts.wording import words
from innolib.present.markers import NO_DATA, marker
from innolib.present.numbers import format_count, format_rate, table_number

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def funnel_chart(data: Any, *, period: Any = None, lang: str = "zh") -> Figure:
    """Returns the funnel of the four cultivation tiers (科技型企业 → 高企 → 瞪羚 → 创新龙头).

    ``data`` is one of:

    - an ``IndicatorSet`` holding ``tech_sme.cumulative``, ``hnte.valid``,
      ``gazelle.valid``, ``leader.valid`` (the bulletin's four figures; the first tier is
      then the cumulative count);
    - the frame of ``analyses.pipeline_funnel`` (``tier``, ``enterprises``);
    - the frame of ``analyses.pipeline_conversion`` (its ``attrs["funnel"]`` gives the
      bars, its rows the share of each cohort that reached the next tier, written
      between the tiers);
    - a Series or mapping from tier name or tier indicator id to a count.

    Bars are centred and proportional to the counts (a tiny tier stays a visible sliver).
    Without conversion rows, each tier is written as a share of the tier above it. The
    title gives the second tier and its share of the first
    ("有效期内高企106家，相当于科技型企业的38.1%"). ``lang="en"``: the same chart in English.
    """
    funnel = funnel_input(data, lang)
    tiers = funnel["counts"]
    fig, ax = new_figure(FIGSIZE_WIDE)
    names = list(tiers)
    _draw_tiers(ax, tiers, funnel["steps"], lang)
    ax.set_yticks(range(len(names)), [funnel["labels"][t] for t in reversed(names)])
    ax.set_xlim(-0.55, 0.85)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xticks([])
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    footnote(fig, funnel["note"], sources=("certifications",), lang=lang)
    when = when_text(period if period is not None else funnel["period"], lang)
    set_title(fig, _funnel_title(tiers, funnel["short"], when, funnel["cumulative"], lang))
    return fig


def _draw_tiers(ax, tiers: dict[str, float | None], steps: dict[str, str], lang: str) -> None:
    """One centred bar per tier, top to bottom, its count on it and the step from the tier above."""
    labels = words(lang).labels
    colors = palette()
    widest = max([v for v in tiers.values() if v] + [1.0])
    names = list(tiers)
    for row, tier in enumerate(names):
        y = len(names) - 1 - row
        value = tiers[tier]
        if value is None:
            ax.text(
                0,
                y,
                marker(NO_DATA, lang),
                ha="center",
                va="center",
                fontsize=ANNOTATION_SIZE + 1,
                color=colors[GREY],
            )
        else:
            # a tiny tier stays a visible sliver; an empty one gets its number but no bar
            width = max(value / widest, 0.012) if value > 0 else 0.0
            if width:
                ax.barh(
                    y,
                    width,
                    left=-width / 2,
                    height=0.72,
                    color=colors[ACCENT],
                    alpha=1 - 0.17 * row,
                )
            inside = width > 0.18
            ax.text(
                0 if inside else width / 2 + 0.015,
                y,
                labels["funnel_value"].format(n=table_number(value, "家", lang)),
                ha="center" if inside else "left",
                va="center",
                fontsize=ANNOTATION_SIZE + 2,
                color="white" if inside else "black",
            )
        if row and steps.get(tier):
            ax.text(
                0.52,
                y + 0.5,
                steps[tier],
                ha="left",
                va="center",
                fontsize=ANNOTATION_SIZE,
                color=colors[GREY],
            )


def _funnel_title(
    tiers: dict[str, float | None], short: dict[str, str], when: str, cumulative: bool, lang: str
) -> str:
    """The second tier against the first, when both are stocks on the same day; a cumulative
    first tier (ever registered) is not a base for a stock (like is compared with like)."""
    w = words(lang)
    names = list(tiers)
    n0, n1 = tiers[names[0]], tiers[names[1]]
    if n0 and n1 is not None and not cumulative:
        return w.titles["funnel"].format(
            when=when,
            tier0=short[names[0]],
            tier1=short[names[1]],
            n1=format_count(n1, "", lang),
            share=format_rate(100 * n1 / n0, lang=lang),
        )

    def count(n):
        if n is None:
            return marker(NO_DATA, lang)
        return w.labels["funnel_value"].format(n=format_count(n, "", lang))

    return w.titles["funnel_no_base"].format(
        when=when, tier0=short[names[0]], tier1=short[names[1]], n0=count(n0), n1=count(n1)
    )
