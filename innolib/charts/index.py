"""The composite innovation index (innolib.comparisons): one line per unit over the periods."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from innolib.charts.layout import ANNOTATION_SIZE, FIGSIZE_WIDE, new_figure, palette, set_title
from innolib.charts.text import label_of, missing, parsed_period, period_tick, when_text
from innolib.charts.wording import words
from innolib.present.markers import NO_DATA, marker
from innolib.present.numbers import format_number

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def index_chart(
    index: Any, *, name: str | None = None, scope: str | None = None, lang: str = "zh"
) -> Figure:
    """Returns one line per unit of the composite innovation index over the periods.

    ``index``: an ``innolib.comparisons.IndexResult`` (its ``scores``, index name and
    scope 全区/全市 are used) or a frame with ``period``, ``unit`` and ``index`` (values in
    [0, 1]: the mean of min–max normalised scores, on one scale across all periods). The
    legend lists the units by their latest index, each with its value; a unit without an
    index in a period has a gap there, never a 0. The title names the highest and lowest
    unit of the latest period, and how many consecutive periods the highest has led.
    ``lang="en"``: in English (the index's ``name_en``; units keep their names).
    """
    w = words(lang)
    frame = getattr(index, "scores", index)
    spec = getattr(index, "spec", None)
    name = name or getattr(spec, f"name_{lang}", None) or w.labels["index_name"]
    scope = scope or (getattr(index, "scope_zh", None) if lang == "zh" else None)
    scope = scope or w.labels["index_scope"]
    periods = sorted({label_of(p) for p in frame["period"]})
    table = {(label_of(p), u): v for p, u, v in zip(frame["period"], frame["unit"], frame["index"])}
    units = list(dict.fromkeys(frame["unit"]))
    series = {u: [_index_value(table.get((p, u))) for p in periods] for u in units}
    last = next(
        (
            i
            for i in range(len(periods) - 1, -1, -1)
            if any(not math.isnan(series[u][i]) for u in units)
        ),
        None,
    )
    if last is not None:  # legend order: highest latest index first, then by name
        units.sort(
            key=lambda u: (
                math.isnan(series[u][last]),
                -series[u][last] if not math.isnan(series[u][last]) else 0.0,
                u,
            )
        )
    fig, ax = new_figure(FIGSIZE_WIDE)
    colors = palette()
    xs = list(range(len(periods)))
    for k, unit in enumerate(units):
        latest = series[unit][last] if last is not None else math.nan
        label = w.labels["index_legend"].format(
            unit=unit, value=marker(NO_DATA, lang) if math.isnan(latest) else _score(latest)
        )
        ax.plot(
            xs,
            series[unit],
            marker="o",
            linewidth=2.0,
            markersize=6,
            color=colors[k % len(colors)],
            label=label,
        )
    ax.set_xticks(xs, [period_tick(p, lang) for p in periods])
    ax.grid(axis="x", visible=False)  # periods are categories: only the index keeps its grid
    ax.set_xlim(-0.4, len(xs) - 0.6 if len(xs) > 1 else 0.4)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(w.labels["axis_index"])
    if units:
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=ANNOTATION_SIZE + 1,
        )
    set_title(fig, _index_title(periods, series, last, (name, scope), w))
    return fig


def _score(value: float) -> str:
    """An index in [0, 1] as written: two decimals, always (0.70, 1.00)."""
    return format_number(value, 2, fixed=True)


def _index_value(value: Any) -> float:
    return math.nan if missing(value) else float(value)


def _index_title(periods, series, last, naming, w) -> str:
    name, scope = naming
    joiner = "、" if w.lang == "zh" else ", "
    if last is None:
        return w.titles["index_no_data"].format(name=name)
    latest = {u: v[last] for u, v in series.items() if not math.isnan(v[last])}
    when = when_text(periods[last], w.lang)
    high, low = max(latest.values()), min(latest.values())
    tops = [u for u, v in latest.items() if v == high]
    fields = dict(when=when, name=name, value=_score(high))
    if len(latest) == 1:
        return w.titles["index_one"].format(top=tops[0], **fields)
    if high == low:
        return w.titles["index_equal"].format(**fields)
    bottom = joiner.join(u for u, v in latest.items() if v == low)
    fields.update(bottom=bottom, low=_score(low))
    if len(tops) > 1:
        return w.titles["index_tied"].format(top=joiner.join(tops), **fields)
    top = tops[0]
    n = _lead_run(periods, series, last, top)
    if n >= 2:
        return w.titles["index_lead"].format(top=top, n=n, scope=scope, **fields)
    return w.titles["index"].format(top=top, **fields)


def _lead_run(periods, series, last: int, top: str) -> int:
    """How many consecutive years, up to the latest, the top unit led alone."""
    n = 0
    for i in range(last, -1, -1):
        if (
            i < last
            and parsed_period(periods[i + 1])
            and parsed_period(periods[i + 1]).previous_year().label != periods[i]
        ):
            break  # a gap in the years: the lead is counted over consecutive years only
        values = [v[i] for v in series.values() if not math.isnan(v[i])]
        mine = series[top][i]
        if math.isnan(mine) or sum(v >= mine for v in values) != 1:
            break
        n += 1
    return n
