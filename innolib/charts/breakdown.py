"""Charts of one period split into parts: an indicator by town or sector, R&D intensity bands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from innolib.charts.adapters import (
    band_counts,
    indicator_sources,
    name_unit,
    total_label,
    values_statuses,
    with_label_column,
)
from innolib.charts.layout import (
    ACCENT,
    ANNOTATION_SIZE,
    FIGSIZE_WIDE,
    GREY,
    footnote,
    integer_axis,
    mark_missing,
    new_figure,
    no_vertical_grid,
    palette,
    set_title,
)
from innolib.charts.text import bar_label, measure_of, missing, when_text
from innolib.charts.wording import words
from innolib.present.markers import NO_DATA, marker
from innolib.present.numbers import (
    format_count,
    format_rate,
    format_value,
    money_scale,
    rate_cell,
    table_number,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def breakdown_chart(
    breakdown: Any,
    indicator: str,
    *,
    period: Any = None,
    name: str | None = None,
    unit: str | None = None,
    lang: str = "zh",
) -> Figure:
    """Returns horizontal bars of an indicator by town (镇街) or sector, largest on top.

    ``breakdown``: the frame of ``indicators.breakdown`` (``town`` or ``sector``,
    ``value``, ``enterprises``), or — for anything circulated — the
    ``disclosure.ProtectedTable`` of that indicator (or its ``published`` frame, with
    ``status`` ``published``/``primary``/``secondary`` and a ``合计`` row). Withheld cells
    keep a row, marked ``—`` and listed after the drawn ones, and are never drawn as bars;
    the ``合计`` row is not a bar but the base of the share in the title. The title names
    the largest cell and its share of the whole (when the whole is known: the published
    total, or the sum when nothing is withheld). ``lang="en"``: in English (towns keep
    their names).
    """
    w = words(lang)
    district = getattr(breakdown, "attrs", {}).get("district")
    name, unit, unit_en = name_unit(indicator, name, unit, lang, district)
    measure = measure_of(unit)
    frame = with_label_column(getattr(breakdown, "published", breakdown), ("town", "sector"))
    by = frame.columns[0]
    values, statuses = values_statuses(frame, "value")
    total = None
    cells = []
    for label, value, status in zip(frame[by].astype(str), values, statuses):
        if label == total_label():
            total = value if status == "ok" else None
        else:
            cells.append((label, value, status))
    # publishable cells by value (largest first), then the rest; names break ties
    rows = sorted(cells, key=lambda r: (r[2] != "ok", r[2], -(r[1] if r[2] == "ok" else 0), r[0]))
    scale, shown_unit = (
        money_scale([v for _, v, _ in rows], lang) if measure == "money" else (1.0, unit)
    )
    if lang == "en" and measure == "count":
        shown_unit = unit_en or ""
    fig, ax = new_figure((FIGSIZE_WIDE[0], max(3.6, 1.7 + 0.42 * len(rows))))
    colors = palette()
    ys = list(range(len(rows)))[::-1]
    ok = [(y, v / scale) for y, (_, v, s) in zip(ys, rows) if s == "ok"]
    ax.barh([y for y, _ in ok], [v for _, v in ok], height=0.62, color=colors[ACCENT])
    top = max([v for _, v in ok] + [0.0]) or 1.0
    for y, (_, value, status) in zip(ys, rows):
        if status == "ok":
            ax.annotate(
                bar_label(value / scale, measure, unit, lang),
                (value / scale, y),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=ANNOTATION_SIZE + 1,
            )
        else:
            mark_missing(ax, 0, y, status, colors, ha="left", offset=(4, 0), lang=lang)
    ax.set_yticks(ys, [label for label, _, _ in rows])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel(w.labels["axis_value"].format(name=name, unit=shown_unit))
    ax.grid(axis="y", visible=False)
    if measure == "count":
        integer_axis(ax.xaxis)
    footnote(
        fig, sources=indicator_sources(indicator), withheld="suppressed" in statuses, lang=lang
    )
    if total is None and measure != "rate" and all(s == "ok" for _, _, s in rows):
        total = sum(v for _, v, _ in rows)
    naming = (name, unit, unit_en)
    set_title(fig, _breakdown_title(rows, total, naming, measure, by, when_text(period, lang), w))
    return fig


def _breakdown_title(rows, total, naming, measure, by, when, w) -> str:
    name, unit, unit_en = naming
    ok = [(label, v) for label, v, s in rows if s == "ok"]
    by_word = w.labels["by_town"] if by == "town" else w.labels["by_sector"]
    if not ok:
        return w.titles["breakdown_no_data"].format(when=when, name=name, by=by_word)
    top, value = ok[0]
    text = format_value(value, unit, w.lang, unit_en)
    fields = dict(when=when, top=top, name=name, value=text)
    if measure != "rate" and total:
        whole_word = w.labels["whole_district"] if by == "town" else w.labels["whole_breakdown"]
        return w.titles["breakdown_share"].format(
            whole=whole_word, share=format_rate(100 * value / total, lang=w.lang), **fields
        )
    return w.titles["breakdown"].format(**fields)


def rd_intensity_chart(distribution: Any, *, period: Any = None, lang: str = "zh") -> Figure:
    """Returns the bar chart of enterprises per R&D intensity band (研发经费支出/营业收入).

    ``distribution``: the ``analyses.RDIntensity`` result (its ``bins`` frame, year,
    median and status are used), a frame with a ``bin``/``band`` column (or index) and an
    ``enterprises`` (or ``count``) column, or a Series from band to count. Bands keep the
    given order; labels such as ``(1%,3%]`` or pandas Intervals are written ``1%—3%``.
    The title names the band with the most enterprises, its share of all counted and,
    when known, the median intensity.
    """
    w = words(lang)
    bands, counts, meta = band_counts(distribution, lang)
    when = when_text(period if period is not None else meta.get("year"), lang)
    fig, ax = new_figure(FIGSIZE_WIDE)
    colors = palette()
    xs = list(range(len(bands)))
    ax.bar(xs, counts, width=0.62, color=colors[ACCENT])
    total = sum(counts)
    for x, n in zip(xs, counts):
        count = table_number(n, "家", lang)
        text = (
            w.labels["intensity_value"].format(n=count, share=rate_cell(100 * n / total, lang))
            if total
            else count
        )
        ax.annotate(
            text,
            (x, n),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=ANNOTATION_SIZE + 1,
        )
    if not bands:
        ax.text(
            0.5,
            0.5,
            marker(NO_DATA, lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=ANNOTATION_SIZE + 3,
            color=colors[GREY],
        )
    ax.set_xticks(xs, bands)
    no_vertical_grid(ax)
    ax.set_ylim(0, max([*counts, 1]) * 1.15)
    ax.set_ylabel(w.labels["axis_enterprises"])
    ax.set_xlabel(w.labels["axis_intensity"])
    integer_axis(ax.yaxis)
    footnote(fig, sources=("rd_survey",), lang=lang)
    set_title(fig, _intensity_title(bands, counts, meta, when, w))
    return fig


def _intensity_title(
    bands: list[str], counts: list[float], meta: dict[str, Any], when: str, w
) -> str:
    total = sum(counts)
    if meta.get("status") == "no_data" or not total:
        return w.titles["intensity_no_data"].format(when=when)
    best = max(range(len(counts)), key=lambda i: (counts[i], -i))
    fields = dict(
        when=when,
        band=bands[best],
        n=format_count(counts[best], "", w.lang),
        share=format_rate(100 * counts[best] / total, lang=w.lang),
    )
    median = meta.get("median")
    zero = "_zero" if bands[best] == w.labels["band_zero"] else ""
    if median is not None and not missing(median):
        median_text = format_rate(median, 2, w.lang)  # intensities are small: 1.23%
        return w.titles[f"intensity{zero}_median"].format(median=median_text, **fields)
    return w.titles[f"intensity{zero}"].format(**fields)
