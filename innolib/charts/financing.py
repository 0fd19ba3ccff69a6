"""Financing: amounts requested against resolved, by product or over periods, with the rate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from innolib.charts.adapters import (
    financing_from_trends,
    total_label,
    values_statuses,
    with_label_column,
)
from innolib.charts.layout import (
    ACCENT,
    ANNOTATION_SIZE,
    CONTRAST,
    FIGSIZE_WIDE,
    GREY,
    footnote,
    mark_missing,
    new_figure,
    no_vertical_grid,
    palette,
    set_title,
)
from innolib.charts.text import axis_label, label_of, period_tick, when_text
from innolib.charts.wording import words
from innolib.present.markers import NO_DATA, marker
from innolib.present.numbers import (
    format_money,
    format_rate,
    money_scale,
    rate_cell,
    scaled_money_cell,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

_BAR_WIDTH = 0.38


def financing_chart(financing: Any, *, period: Any = None, lang: str = "zh") -> Figure:
    """Returns grouped bars of financing requested against resolved, with the resolution rate.

    ``financing``: the frame of ``analyses.financing_summary`` (``product``,
    ``requested``, ``resolved`` in 万元, and a ``合计`` row); a frame by ``period`` (one
    row per year) with ``requested`` and ``resolved``, optionally ``status``; or a mapping
    from ``finance.requested`` / ``finance.resolved`` (or ``requested`` / ``resolved``) to
    the frame of ``indicators.trend`` for each. A
    ``合计`` row is not drawn: it is the title's figure. Over periods the title gives the
    latest period; by product, the total (when given) and the product that resolved most.
    ``lang="en"``: in English (CNY million; the products translated).
    """
    w = words(lang)
    rows = _financing_rows(financing)
    by, labels, statuses = rows["by"], rows["labels"], rows["statuses"]
    requested, resolved = rows["requested"], rows["resolved"]
    ok = [i for i, s in enumerate(statuses) if s == "ok"]
    scale, money_unit = money_scale([requested[i] for i in ok] + [resolved[i] for i in ok], lang)
    fig, ax = new_figure(FIGSIZE_WIDE)
    top = _draw_financing(ax, requested, resolved, statuses, scale, w)
    xs = list(range(len(labels)))
    ticks = (
        [period_tick(label, lang) for label in labels]
        if by == "period"
        else [w.category(label) for label in labels]
    )
    ax.set_xticks(xs, ticks)
    no_vertical_grid(ax)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylim(0, top * 1.28)
    ax.set_ylabel(axis_label("money", money_unit, lang))
    ax.legend(loc="upper left", ncols=2, frameon=False, fontsize=ANNOTATION_SIZE + 1)
    withheld = "suppressed" in statuses or (rows["had_total"] and rows["total"] is None)
    footnote(fig, sources=("financing",), withheld=withheld, lang=lang)
    set_title(
        fig,
        _financing_title(by, labels, (requested, resolved, statuses), rows["total"], period, w),
    )
    return fig


def _financing_rows(financing: Any) -> dict[str, Any]:
    """The rows to draw (label, requested, resolved, status) and the 合计 row taken apart."""
    if isinstance(financing, Mapping):
        financing = financing_from_trends(financing)
    frame = with_label_column(financing, ("period", "product"))
    by = frame.columns[0]
    labels = [label_of(v) for v in frame[by]]
    requested, req_status = values_statuses(frame, "requested")
    resolved, res_status = values_statuses(frame, "resolved")
    statuses = [a if a != "ok" else b for a, b in zip(req_status, res_status)]
    total = None
    had_total = total_label() in labels
    if had_total:
        i = labels.index(total_label())
        total = (requested[i], resolved[i]) if statuses[i] == "ok" else None
        keep = [j for j in range(len(labels)) if j != i]
        labels, requested, resolved, statuses = (
            [seq[j] for j in keep] for seq in (labels, requested, resolved, statuses)
        )
    return {
        "by": by,
        "labels": labels,
        "requested": requested,
        "resolved": resolved,
        "statuses": statuses,
        "total": total,
        "had_total": had_total,
    }


def _draw_financing(ax, requested, resolved, statuses, scale: float, w) -> float:
    """Pairs of bars (requested grey, resolved accent), amounts and rates; returns the top drawn."""
    colors = palette()
    ok = [i for i, s in enumerate(statuses) if s == "ok"]
    xs = list(range(len(statuses)))
    width = _BAR_WIDTH
    ax.bar(
        [xs[i] - width / 2 for i in ok],
        [requested[i] / scale for i in ok],
        width=width,
        color=colors[GREY],
        alpha=0.55,
        label=w.labels["requested"],
    )
    ax.bar(
        [xs[i] + width / 2 for i in ok],
        [resolved[i] / scale for i in ok],
        width=width,
        color=colors[ACCENT],
        label=w.labels["resolved"],
    )
    top = max([requested[i] / scale for i in ok] + [resolved[i] / scale for i in ok] + [0.0]) or 1.0
    for i, x in enumerate(xs):
        if statuses[i] != "ok":
            mark_missing(ax, x, 0.02 * top, statuses[i], colors, va="bottom", lang=w.lang)
            continue
        ax.annotate(
            scaled_money_cell(resolved[i] / scale),
            (x + width / 2, resolved[i] / scale),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=ANNOTATION_SIZE,
        )
        if requested[i]:
            ax.annotate(
                w.labels["resolve_rate"].format(
                    rate=rate_cell(100 * resolved[i] / requested[i], w.lang)
                ),
                (x, max(requested[i], resolved[i]) / scale),
                xytext=(0, 17),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE,
                color=colors[CONTRAST],
            )
    return top


def _financing_title(by, labels, rows, total, period, w) -> str:
    requested, resolved, statuses = rows
    lang = w.lang
    labels = [w.category(label) for label in labels] if by != "period" else labels
    ok = [i for i, s in enumerate(statuses) if s == "ok"]

    def rate(req, res):
        return format_rate(100 * res / req, lang=lang) if req else marker(NO_DATA, lang)

    if by == "period":
        if not ok:
            return w.titles["financing_no_data"].format(when=when_text(period, lang))
        i = ok[-1]
        return w.titles["financing"].format(
            when=when_text(labels[i], lang),
            resolved=format_money(resolved[i], "exact", lang),
            rate=rate(requested[i], resolved[i]),
        )
    when = when_text(period, lang)
    top = max(ok, key=lambda j: (resolved[j], -j)) if ok else None
    if total is not None:
        template = "financing_top" if top is not None and resolved[top] > 0 else "financing"
        return w.titles[template].format(
            when=when,
            resolved=format_money(total[1], "exact", lang),
            rate=rate(*total),
            top=labels[top] if top is not None else "",
        )
    if top is None:
        return w.titles["financing_no_data"].format(when=when)
    return w.titles["financing_by"].format(
        when=when,
        top=labels[top],
        resolved=format_money(resolved[top], "exact", lang),
        rate=rate(requested[top], resolved[top]),
    )
