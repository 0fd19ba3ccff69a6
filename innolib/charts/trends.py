"""Charts over periods: one indicator's trend, and R&D platforms by level."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from innolib.charts.adapters import (
    before_first_record,
    indicator_sources,
    levels_frame,
    name_unit,
    values_statuses,
)
from innolib.charts.layout import (
    ACCENT,
    ANNOTATION_SIZE,
    CONTRAST,
    FIGSIZE_WIDE,
    LIGHT,
    change_colour,
    footnote,
    integer_axis,
    mark_missing,
    new_figure,
    no_vertical_grid,
    palette,
    set_title,
)
from innolib.charts.text import (
    axis_label,
    bar_label,
    change_label,
    change_words,
    label_of,
    measure_of,
    missing,
    period_tick,
    previous_of,
    when_text,
)
from innolib.charts.wording import PLATFORM_LEVELS, words
from innolib.present.markers import NO_DATA
from innolib.present.numbers import format_count, format_value, money_scale, table_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure


def trend_chart(
    trend: pd.DataFrame,
    indicator: str,
    *,
    name: str | None = None,
    unit: str | None = None,
    lang: str = "zh",
) -> Figure:
    """Returns the multi-period chart of one indicator, each period labelled with its YoY change.

    ``trend``: the frame of ``indicators.trend`` — ``period`` (labels such as ``2021``…
    ``2025``, or Period objects), ``value``, optionally ``status``. ``indicator`` is a
    registry id; its Chinese name and unit come from the registry unless ``name`` and
    ``unit`` are given. Counts and money are bars (money in 万元 or 亿元 by magnitude),
    rates a line. Each period is compared with the same period a year earlier when that
    period is in the frame, by THE change rule of ``innolib.present.changes``: percentage
    points for rates, the difference for a count under 10 a year earlier (and for money
    after 0), else the percent. The title gives the latest publishable value and its change.
    ``lang="en"``: English name (registry ``name_en``), labels, units (CNY million).
    """
    district = getattr(trend, "attrs", {}).get("district")
    name, unit, unit_en = name_unit(indicator, name, unit, lang, district)
    measure = measure_of(unit)
    labels = [label_of(p) for p in trend["period"]]
    values, statuses = values_statuses(trend, "value")
    statuses = before_first_record(values, statuses, measure)
    scale, shown_unit = money_scale(values, lang) if measure == "money" else (1.0, unit)
    if lang == "en" and measure == "count":
        shown_unit = unit_en or ""
    fig, ax = new_figure(FIGSIZE_WIDE)
    colors = palette()
    xs = list(range(len(labels)))
    drawn = [v / scale if s == "ok" else math.nan for v, s in zip(values, statuses)]
    ok = [i for i in xs if statuses[i] == "ok"]
    if measure == "rate":
        ax.plot(xs, drawn, marker="o", color=colors[ACCENT], linewidth=2.2, markersize=7)
    else:
        ax.bar([xs[i] for i in ok], [drawn[i] for i in ok], width=0.6, color=colors[ACCENT])
    top = max([drawn[i] for i in ok] + [0.0])
    bottom = min([drawn[i] for i in ok] + [0.0])
    span = (top - bottom) or 1.0
    by_label = dict(zip(labels, zip(values, statuses)))
    for x, label, value, status, d in zip(xs, labels, values, statuses, drawn):
        if status != "ok":
            mark_missing(ax, x, bottom + 0.02 * span, status, colors, va="bottom", lang=lang)
            continue
        ax.annotate(
            bar_label(d, measure, unit, lang),
            (x, d),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=ANNOTATION_SIZE + 1,
        )
        previous = previous_of(label, by_label)
        yoy = change_label(value, previous, unit, lang)
        if yoy:
            ax.annotate(
                yoy,
                (x, d),
                xytext=(0, 19),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE,
                color=change_colour(value, previous),
            )
    ax.set_xticks(xs, [period_tick(label, lang) for label in labels])
    no_vertical_grid(ax)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylim(min(bottom, 0), top + 0.22 * span)
    ax.set_ylabel(axis_label(measure, shown_unit, lang))
    if measure == "count":
        integer_axis(ax.yaxis)
    footnote(
        fig, sources=indicator_sources(indicator), withheld="suppressed" in statuses, lang=lang
    )
    title = _trend_title(labels, values, statuses, (name, unit, unit_en), lang)
    set_title(fig, title)
    return fig


def _trend_title(labels, values, statuses, naming, lang) -> str:
    name, unit, unit_en = naming
    titles = words(lang).titles
    ok = [i for i, s in enumerate(statuses) if s == "ok"]
    if not ok:
        return titles["trend_no_data"].format(name=name)
    last = ok[-1]
    by_label = dict(zip(labels, zip(values, statuses)))
    previous = previous_of(labels[last], by_label)
    change = change_words(values[last], previous, unit, lang, labels[last])
    fields = dict(
        when=when_text(labels[last], lang),
        name=name,
        value=format_value(values[last], unit, lang, unit_en),
    )
    return titles["trend_change" if change else "trend"].format(change=change, **fields)


def platforms_chart(platforms: Any, *, lang: str = "zh") -> Figure:
    """Returns stacked bars of R&D platforms by level (国家级/省级/市级) over periods.

    ``platforms``: a mapping from level or indicator id (``platforms.national`` …) to the
    frame of ``indicators.trend`` for it; a long frame (``period``, ``level``, ``value``);
    or a wide frame (``period`` column or index, one column per level). A period with no
    data is marked ``无数据``. The title gives the latest period's total, by level, and the
    change on the year before when that year is drawn (THE change rule: 104 after 99 is
    ``同比增长5.1%``, 9 after 7 ``较上年增加2家``).
    """
    w = words(lang)
    wide = levels_frame(platforms)
    labels = list(wide.index)
    levels = list(wide.columns)
    known = [all(not missing(v) for v in row) for row in wide.itertuples(index=False)]
    totals = [
        sum(float(v) for v in row) if k else math.nan
        for row, k in zip(wide.itertuples(index=False), known)
    ]
    fig, ax = new_figure(FIGSIZE_WIDE)
    colors = palette()
    level_colors = dict(zip(PLATFORM_LEVELS, (colors[ACCENT], colors[CONTRAST], colors[LIGHT])))
    xs = list(range(len(labels)))
    drawn = [i for i in xs if known[i]]
    highest = max([totals[i] for i in drawn] + [1.0])
    base = [0.0] * len(drawn)
    for level in levels:
        heights = [float(wide[level].iloc[i]) for i in drawn]
        ax.bar(
            [xs[i] for i in drawn],
            heights,
            bottom=base,
            width=0.6,
            label=w.category(level),
            color=level_colors[level],
        )
        for i, h, b in zip(drawn, heights, base):
            if h >= 0.06 * highest:  # a segment too thin for its number is read from the title
                ax.text(
                    xs[i],
                    b + h / 2,
                    table_number(h, "家", lang),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=ANNOTATION_SIZE,
                )
        base = [b + h for b, h in zip(base, heights)]
    for x in xs:
        if known[x]:
            ax.annotate(
                w.labels["platform_total"].format(n=table_number(totals[x], "家", lang)),
                (x, totals[x]),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE + 1,
            )
        else:
            mark_missing(ax, x, 0.02 * highest, NO_DATA, colors, va="bottom", lang=lang)
    ax.set_xticks(xs, [period_tick(label, lang) for label in labels])
    no_vertical_grid(ax)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylim(0, highest * 1.18)
    ax.set_ylabel(axis_label("count", "家" if lang == "zh" else "platforms", lang))
    ax.legend(loc="upper left", ncols=len(levels), frameon=False, fontsize=ANNOTATION_SIZE + 1)
    integer_axis(ax.yaxis)
    footnote(fig, sources=("platforms",), lang=lang)
    set_title(fig, _platforms_title(wide, labels, totals, known, lang))
    return fig


def _platforms_title(wide, labels, totals, known, lang) -> str:
    w = words(lang)
    drawn = [i for i, k in enumerate(known) if k]
    if not drawn:
        return w.titles["platforms_no_data"]
    last = drawn[-1]
    if lang == "zh":
        parts = "、".join(
            f"{lvl}{format_count(wide[lvl].iloc[last], '家')}" for lvl in wide.columns
        )
    else:
        parts = ", ".join(
            f"{w.category(lvl).lower()} {format_count(wide[lvl].iloc[last], '', lang)}"
            for lvl in wide.columns
        )
    fields = dict(
        when=when_text(labels[last], lang),
        total=format_count(totals[last], "", lang),
        parts=parts,
    )
    by_label = {label: (t, "ok" if k else "no_data") for label, t, k in zip(labels, totals, known)}
    previous = previous_of(labels[last], by_label)
    change = change_words(totals[last], previous, "家", lang, labels[last])
    if change:
        return w.titles["platforms_change"].format(change=change, **fields)
    return w.titles["platforms"].format(**fields)
