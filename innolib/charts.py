"""The bulletin's standard charts: each returns a matplotlib Figure whose title states the finding.

Every chart takes numbers already computed by ``innolib.indicators``, ``innolib.analyses``
or ``innolib.disclosure`` (their frames and result objects are accepted as they come; the
shapes are in each docstring), draws them in the house theme (``innolib.theme.set_theme``:
seaborn ``whitegrid`` and the bundled Chinese font), labels axes in Chinese with units
(家, 项, 万元/亿元, %) and writes a title that says what the numbers show
("2025年有效期内高新技术企业106家，较上年增加8家"). The title is computed from the same
numbers that are drawn, so a chart cannot say something its bars contradict.

All wording lives in ``TITLES`` (title sentences), ``CHANGES`` (year-on-year phrases) and
``LABELS`` (axis labels, annotations) below; the functions only fill them in. The footnote
under a chart with withheld cells is ``innolib.disclosure.FOOTNOTE``, the one every
circulated output uses.

Statuses: a cell is drawn only when publishable (``ok``; ``published`` in a
``disclosure.ProtectedTable``). Cells withheld by disclosure control (``suppressed``,
``primary``, ``secondary``) keep their place on the axis, are marked ``—`` and are never
drawn as bars. Values with no data (status ``no_data``, or an empty value without a
status) are marked ``无数据``, never drawn as 0.

Charts create figures through pyplot, so that Jupyter's inline backend shows them, and
close nothing: ``save_figure`` writes a PNG and closes the figure; whoever draws without
saving closes it. Output is deterministic: fixed figure sizes, no timestamp or software
version in the PNG metadata, so the same numbers give byte-identical files.

Importing this module is cheap: matplotlib, seaborn and pandas are imported inside the
functions that draw.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from innolib.tables import BUYER_REGIONS, CONTRACT_TYPES, TABLES, TIERS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

# ---------------------------------------------------------------------------------------
# Wording: every sentence and label a chart shows. Fields in braces are filled from data.
# ---------------------------------------------------------------------------------------

#: title sentences, one per chart (and per variant of what the data allow saying)
TITLES: dict[str, str] = {
    # (1) pipeline funnel: the second tier measured against the first
    "funnel": "{when}{tier1}{n1}家，相当于{tier0}的{share}",
    "funnel_no_base": "{when}{tier0}{n0}，{tier1}{n1}",
    # (2) trend of one indicator: latest value, then the year-on-year phrase if any
    "trend": "{when}{name}{value}",
    "trend_change": "{when}{name}{value}，{change}",
    "trend_no_data": "{name}：所选各期均无可公开数据",
    # (3) breakdown by town or sector
    "breakdown_share": "{when}{top}{name}最多，{value}，占{whole}的{share}",
    "breakdown": "{when}{top}{name}最多，{value}",
    "breakdown_no_data": "{when}{name}分{by}：无可公开数据",
    # (4) R&D intensity distribution
    "intensity": "{when}研发投入强度{band}的企业最多，{n}家，占{share}",
    "intensity_median": "{when}研发投入强度{band}的企业最多，{n}家，占{share}；中位数{median}",
    "intensity_no_data": "{when}研发投入强度分布：无数据",
    "intensity_zero": "{when}无研发投入的企业最多，{n}家，占{share}",
    "intensity_zero_median": "{when}无研发投入的企业最多，{n}家，占{share}；强度中位数{median}",
    # (5) platforms by level
    "platforms": "{when}研发平台共{total}家：{parts}",
    "platforms_change": "{when}研发平台共{total}家（{parts}），较上年{change}",
    "platforms_no_data": "研发平台：所选各期均无数据",
    # (6) contract mix
    "contract_mix": "{when}{top_type}类合同占成交额的{type_share}，{top_region}买方占{region_share}",
    "contract_mix_type": "{when}{top}类合同占技术合同成交额的{share}",
    "contract_mix_region": "{when}{top}买方占技术合同成交额的{share}",
    "contract_mix_amount": "{when}{top}类合同成交额最多，{amount}",
    "contract_mix_no_data": "{when}技术合同构成：无可公开数据",
    # (7) financing requested vs resolved
    "financing": "{when}协调解决融资需求{resolved}，占需求金额的{rate}",
    "financing_top": "{when}协调解决融资需求{resolved}，占需求金额的{rate}，{top}最多",
    "financing_by": "{when}{top}解决融资最多，{resolved}，解决率{rate}",
    "financing_no_data": "{when}融资需求与解决情况：无可公开数据",
    # (8) composite innovation index by unit over the years (innolib.comparisons)
    "index": "{when}{top}{name}最高（{value}），{bottom}最低（{low}）",
    "index_lead": "{when}{top}{name}最高（{value}），连续{n}年居{scope}首位；{bottom}最低（{low}）",
    "index_tied": "{when}{top}{name}并列最高（{value}），{bottom}最低（{low}）",
    "index_equal": "{when}各单位{name}相同（{value}）",
    "index_one": "{when}{top}{name}为{value}",
    "index_no_data": "{name}：所选各期均无数据",
}

#: year-on-year phrases by the indicator's measure (count, money, rate) and direction
CHANGES: dict[tuple[str, str], str] = {
    ("count", "up"): "较上年增加{diff}",
    ("count", "down"): "较上年减少{diff}",
    ("money", "up"): "同比增长{pct}",
    ("money", "down"): "同比下降{pct}",
    ("money", "from_zero"): "实现零的突破",
    ("rate", "up"): "较上年提高{pp}个百分点",
    ("rate", "down"): "较上年下降{pp}个百分点",
    ("any", "flat"): "与上年持平",
}

#: axis labels, annotations, legends
LABELS: dict[str, str] = {
    "axis_count": "数量（{unit}）",
    "axis_money": "金额（{unit}）",
    "axis_rate": "比率（%）",
    "axis_value": "{name}（{unit}）",
    "axis_enterprises": "企业数（家）",
    "axis_intensity": "研发投入强度（研发经费支出占营业收入比重）",
    "axis_share": "占成交额比重（%）",
    "suppressed": "—",
    "no_data": "无数据",
    "yoy_pct": "{sign}{pct}",
    "yoy_pp": "{sign}{pp}个百分点",
    "yoy_flat": "持平",
    "funnel_step": "为上一层级的{share}",
    "funnel_conversion": "晋级率{rate}（{converted}/{cohort}家）",
    "funnel_conversion_empty": "晋级率：无可比队列",
    "funnel_value": "{n}家",
    "intensity_value": "{n}家（{share}）",
    "platform_total": "共{n}家",
    "mix_by_type": "按合同类型",
    "mix_by_region": "按买方地域",
    "mix_value": "{share}（{amount}）",
    "requested": "需求金额",
    "resolved": "解决金额",
    "resolve_rate": "解决率{rate}",
    "whole_district": "全区",
    "whole_breakdown": "各产业合计",
    "by_town": "镇街",
    "by_sector": "产业",
    "band_between": "{lo}%—{hi}%",
    "band_below": "{hi}%及以下",
    "band_above": "{lo}%以上",
    "band_zero": "无研发投入",
    "axis_index": "指数（0—1，最小—最大标准化）",
    "index_legend": "{unit}（{value}）",
    "index_name": "综合创新指数",
    "index_scope": "全区",
}

#: the funnel's tier labels (DATA.md certifications.tier) as the axis writes them
TIER_LABELS: dict[str, str] = {
    "科技型企业": "科技型企业",
    "高新技术企业": "高新技术企业（有效期内）",
    "瞪羚企业": "“瞪羚”企业",
    "创新龙头企业": "创新龙头企业",
}
#: the tiers as titles name them
TIER_SHORT: dict[str, str] = {
    "科技型企业": "科技型企业",
    "高新技术企业": "有效期内高企",
    "瞪羚企业": "“瞪羚”企业",
    "创新龙头企业": "创新龙头企业",
}
#: the first tier when counted by its indicator (tech_sme.cumulative: ever recognised)
TIER0_CUMULATIVE = ("科技型企业（累计）", "累计科技型企业")
#: the indicator that counts each tier on the funnel (INDICATORS.md section 1)
TIER_INDICATORS: dict[str, str] = {
    "科技型企业": "tech_sme.cumulative",
    "高新技术企业": "hnte.valid",
    "瞪羚企业": "gazelle.valid",
    "创新龙头企业": "leader.valid",
}
#: platform levels, highest first (DATA.md platforms.level), and their indicators
PLATFORM_LEVELS: tuple[str, ...] = TABLES["platforms"].column("level").values
PLATFORM_INDICATORS: dict[str, str] = {
    "国家级": "platforms.national",
    "省级": "platforms.provincial",
    "市级": "platforms.municipal",
}
#: statuses as charts see them: publishable, withheld, or unknown
_STATUS = {
    "ok": "ok",
    "published": "ok",
    "suppressed": "suppressed",
    "primary": "suppressed",
    "secondary": "suppressed",
    "no_data": "no_data",
}

# ---------------------------------------------------------------------------------------
# Layout constants: fixed sizes so that output is deterministic
# ---------------------------------------------------------------------------------------

FIGSIZE_WIDE = (9.0, 5.0)
FIGSIZE_PAIR = (10.0, 4.8)
TITLE_SIZE = 13
TITLE_WRAP = 44  # characters per title line before wrapping at a Chinese comma
FOOTNOTE_WRAP = 60
ANNOTATION_SIZE = 9
#: money at or above this many 万元 is drawn and written in 亿元
YI_THRESHOLD = 10_000.0
ACCENT, CONTRAST, LIGHT, GREY = 0, 1, 2, 6  # indexes into theme.PALETTE
SAVE_DPI = 150


# ---------------------------------------------------------------------------------------
# Public charts
# ---------------------------------------------------------------------------------------


def funnel_chart(data: Any, *, period: Any = None) -> Figure:
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
    ("有效期内高企106家，相当于科技型企业的38.1%").
    """
    funnel = _funnel_input(data)
    tiers, steps = funnel["counts"], funnel["steps"]
    fig, ax = _new_figure(FIGSIZE_WIDE)
    colors = _palette()
    widest = max([v for v in tiers.values() if v] + [1.0])
    names = list(tiers)
    for row, tier in enumerate(names):
        y = len(names) - 1 - row
        value = tiers[tier]
        if value is None:
            ax.text(
                0,
                y,
                LABELS["no_data"],
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
                LABELS["funnel_value"].format(n=_int(value)),
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
    ax.set_yticks(range(len(names)), [funnel["labels"][t] for t in reversed(names)])
    ax.set_xlim(-0.55, 0.85)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xticks([])
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if funnel["note"]:
        _footnote(fig, funnel["note"])
    _title(
        fig,
        _funnel_title(
            tiers, funnel["short"], _when(period if period is not None else funnel["period"])
        ),
    )
    return fig


def trend_chart(
    trend: pd.DataFrame, indicator: str, *, name: str | None = None, unit: str | None = None
) -> Figure:
    """Returns the multi-period chart of one indicator, each period labelled with its YoY change.

    ``trend``: the frame of ``indicators.trend`` — ``period`` (labels such as ``2021``…
    ``2025``, or Period objects), ``value``, optionally ``status``. ``indicator`` is a
    registry id; its Chinese name and unit come from the registry unless ``name`` and
    ``unit`` are given. Counts and money are bars (money in 万元 or 亿元 by magnitude),
    rates a line. Each period is compared with the same period a year earlier when that
    period is in the frame: percent for counts and money, percentage points for rates
    (INDICATORS.md). The title gives the latest publishable value and its change.
    """
    name, unit = _name_unit(indicator, name, unit)
    measure = _measure(unit)
    labels = [_label(p) for p in trend["period"]]
    values, statuses = _values_statuses(trend, "value")
    scale, shown_unit = _money_scale(values) if measure == "money" else (1.0, unit)
    fig, ax = _new_figure(FIGSIZE_WIDE)
    colors = _palette()
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
            _mark_missing(ax, x, bottom + 0.02 * span, status, colors, va="bottom")
            continue
        ax.annotate(
            _format_axis_value(d, measure),
            (x, d),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=ANNOTATION_SIZE + 1,
        )
        yoy = _yoy_label(value, _previous_of(label, by_label), measure)
        if yoy:
            ax.annotate(
                yoy,
                (x, d),
                xytext=(0, 19),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE,
                color=colors[CONTRAST],
            )
    ax.set_xticks(xs, [_period_tick(label) for label in labels])
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylim(min(bottom, 0), top + 0.22 * span)
    ax.set_ylabel(_axis_label(measure, shown_unit))
    if measure == "count":
        _integer_axis(ax.yaxis)
    if "suppressed" in statuses:
        _footnote(fig)
    _title(fig, _trend_title(labels, values, statuses, name, unit, measure))
    return fig


def breakdown_chart(
    breakdown: Any,
    indicator: str,
    *,
    period: Any = None,
    name: str | None = None,
    unit: str | None = None,
) -> Figure:
    """Returns horizontal bars of an indicator by town (镇街) or sector, largest on top.

    ``breakdown``: the frame of ``indicators.breakdown`` (``town`` or ``sector``,
    ``value``, ``enterprises``), or — for anything circulated — the
    ``disclosure.ProtectedTable`` of that indicator (or its ``published`` frame, with
    ``status`` ``published``/``primary``/``secondary`` and a ``合计`` row). Withheld cells
    keep a row, marked ``—`` and listed after the drawn ones, and are never drawn as bars;
    the ``合计`` row is not a bar but the base of the share in the title. The title names
    the largest cell and its share of the whole (when the whole is known: the published
    total, or the sum when nothing is withheld).
    """
    name, unit = _name_unit(indicator, name, unit)
    measure = _measure(unit)
    frame = _with_label_column(getattr(breakdown, "published", breakdown), ("town", "sector"))
    by = frame.columns[0]
    values, statuses = _values_statuses(frame, "value")
    total = None
    cells = []
    for label, value, status in zip(frame[by].astype(str), values, statuses):
        if label == _total_label():
            total = value if status == "ok" else None
        else:
            cells.append((label, value, status))
    # publishable cells by value (largest first), then the rest; names break ties
    rows = sorted(cells, key=lambda r: (r[2] != "ok", r[2], -(r[1] if r[2] == "ok" else 0), r[0]))
    scale, shown_unit = _money_scale([v for _, v, _ in rows]) if measure == "money" else (1.0, unit)
    fig, ax = _new_figure((FIGSIZE_WIDE[0], max(3.6, 1.7 + 0.42 * len(rows))))
    colors = _palette()
    ys = list(range(len(rows)))[::-1]
    ok = [(y, v / scale) for y, (_, v, s) in zip(ys, rows) if s == "ok"]
    ax.barh([y for y, _ in ok], [v for _, v in ok], height=0.62, color=colors[ACCENT])
    top = max([v for _, v in ok] + [0.0]) or 1.0
    for y, (_, value, status) in zip(ys, rows):
        if status == "ok":
            ax.annotate(
                _format_axis_value(value / scale, measure),
                (value / scale, y),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=ANNOTATION_SIZE + 1,
            )
        else:
            _mark_missing(ax, 0, y, status, colors, ha="left", offset=(4, 0))
    ax.set_yticks(ys, [label for label, _, _ in rows])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel(LABELS["axis_value"].format(name=name, unit=shown_unit))
    ax.grid(axis="y", visible=False)
    if measure == "count":
        _integer_axis(ax.xaxis)
    if "suppressed" in statuses:
        _footnote(fig)
    if total is None and measure != "rate" and all(s == "ok" for _, _, s in rows):
        total = sum(v for _, v, _ in rows)
    _title(fig, _breakdown_title(rows, total, name, unit, measure, by, _when(period)))
    return fig


def rd_intensity_chart(distribution: Any, *, period: Any = None) -> Figure:
    """Returns the bar chart of enterprises per R&D intensity band (研发经费支出/营业收入).

    ``distribution``: the ``analyses.RDIntensity`` result (its ``bins`` frame, year,
    median and status are used), a frame with a ``bin``/``band`` column (or index) and an
    ``enterprises`` (or ``count``) column, or a Series from band to count. Bands keep the
    given order; labels such as ``(1%,3%]`` or pandas Intervals are written ``1%—3%``.
    The title names the band with the most enterprises, its share of all counted and,
    when known, the median intensity.
    """
    bands, counts, meta = _band_counts(distribution)
    when = _when(period if period is not None else meta.get("year"))
    fig, ax = _new_figure(FIGSIZE_WIDE)
    colors = _palette()
    xs = list(range(len(bands)))
    ax.bar(xs, counts, width=0.62, color=colors[ACCENT])
    total = sum(counts)
    for x, n in zip(xs, counts):
        text = (
            LABELS["intensity_value"].format(n=_int(n), share=_pct(100 * n / total))
            if total
            else _int(n)
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
            LABELS["no_data"],
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=ANNOTATION_SIZE + 3,
            color=colors[GREY],
        )
    ax.set_xticks(xs, bands)
    ax.set_ylim(0, max([*counts, 1]) * 1.15)
    ax.set_ylabel(LABELS["axis_enterprises"])
    ax.set_xlabel(LABELS["axis_intensity"])
    _integer_axis(ax.yaxis)
    if meta.get("status") == "no_data" or not total:
        title = TITLES["intensity_no_data"].format(when=when)
    else:
        best = max(range(len(counts)), key=lambda i: (counts[i], -i))
        fields = dict(
            when=when,
            band=bands[best],
            n=_int(counts[best]),
            share=_pct(100 * counts[best] / total),
        )
        median = meta.get("median")
        zero = "_zero" if bands[best] == LABELS["band_zero"] else ""
        if median is not None and not _missing(median):
            title = TITLES[f"intensity{zero}_median"].format(median=f"{median:.2f}%", **fields)
        else:
            title = TITLES[f"intensity{zero}"].format(**fields)
    _title(fig, title)
    return fig


def platforms_chart(platforms: Any) -> Figure:
    """Returns stacked bars of R&D platforms by level (国家级/省级/市级) over periods.

    ``platforms``: a mapping from level or indicator id (``platforms.national`` …) to the
    frame of ``indicators.trend`` for it; a long frame (``period``, ``level``, ``value``);
    or a wide frame (``period`` column or index, one column per level). A period with no
    data is marked ``无数据``. The title gives the latest period's total, by level, and the
    change on the year before when that year is drawn.
    """
    wide = _levels_frame(platforms)
    labels = list(wide.index)
    levels = list(wide.columns)
    known = [all(not _missing(v) for v in row) for row in wide.itertuples(index=False)]
    totals = [
        sum(float(v) for v in row) if k else math.nan
        for row, k in zip(wide.itertuples(index=False), known)
    ]
    fig, ax = _new_figure(FIGSIZE_WIDE)
    colors = _palette()
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
            label=level,
            color=level_colors[level],
        )
        for i, h, b in zip(drawn, heights, base):
            if h >= 0.06 * highest:  # a segment too thin for its number is read from the title
                ax.text(
                    xs[i],
                    b + h / 2,
                    _int(h),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=ANNOTATION_SIZE,
                )
        base = [b + h for b, h in zip(base, heights)]
    for x in xs:
        if known[x]:
            ax.annotate(
                LABELS["platform_total"].format(n=_int(totals[x])),
                (x, totals[x]),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE + 1,
            )
        else:
            _mark_missing(ax, x, 0.02 * highest, "no_data", colors, va="bottom")
    ax.set_xticks(xs, [_period_tick(label) for label in labels])
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylim(0, highest * 1.18)
    ax.set_ylabel(_axis_label("count", "家"))
    ax.legend(loc="upper left", ncols=len(levels), frameon=False, fontsize=ANNOTATION_SIZE + 1)
    _integer_axis(ax.yaxis)
    _title(fig, _platforms_title(wide, labels, totals, known))
    return fig


def contract_mix_chart(by_type: Any, by_region: Any = None, *, period: Any = None) -> Figure:
    """Returns the shares of technology-contract turnover by contract type and by buyer region.

    ``by_type``: the frame of ``analyses.contract_mix`` (``by`` = ``type`` /
    ``buyer_region``, ``category``, ``amount``, ``amount_share``): both panels come from
    it. Or two inputs, ``by_type`` and ``by_region``, each a Series from category to
    amount (万元) or a frame with the category (first column, ``category``, or index),
    ``amount`` and optionally ``share``/``amount_share`` (percent) and ``status``. A
    category withheld by disclosure control (status) is marked ``—``; without a given
    share, shares are of the sum of the amounts, and when a cell is withheld they cannot
    be known, so that panel draws amounts instead. The ``sensitive`` flag of
    ``analyses.contract_mix`` is not acted on here: pass a disclosure-controlled frame
    for circulation.
    """
    if by_region is None and _has_column(by_type, "by"):
        frame = by_type
        when = _when(period)
        panels = [
            (
                LABELS["mix_by_type"],
                "type",
                _mix_panel(frame[frame["by"] == "type"], CONTRACT_TYPES),
            ),
            (
                LABELS["mix_by_region"],
                "buyer_region",
                _mix_panel(frame[frame["by"] == "buyer_region"], BUYER_REGIONS),
            ),
        ]
        if getattr(frame, "attrs", {}).get("status") == "no_data":
            panels = [(h, k, {**m, "status": ["no_data"] * len(m["status"])}) for h, k, m in panels]
    else:
        when = _when(period)
        panels = [(LABELS["mix_by_type"], "type", _mix_panel(by_type, CONTRACT_TYPES))]
        if by_region is not None:
            panels.append(
                (LABELS["mix_by_region"], "buyer_region", _mix_panel(by_region, BUYER_REGIONS))
            )
    fig, axes = _new_figure(FIGSIZE_PAIR if len(panels) == 2 else FIGSIZE_WIDE, ncols=len(panels))
    axes = [axes] if len(panels) == 1 else list(axes)
    colors = _palette()
    scale, money_unit = _money_scale(
        [a for _, _, m in panels for a, s in zip(m["amount"], m["status"]) if s == "ok"]
    )
    for ax, (heading, _, mix) in zip(axes, panels):
        use_share = mix["has_share"]
        ys = list(range(len(mix["labels"])))[::-1]
        rows = list(zip(ys, mix["amount"], mix["share"], mix["status"]))
        ok = [(y, sh if use_share else a / scale) for y, a, sh, s in rows if s == "ok"]
        ax.barh([y for y, _ in ok], [v for _, v in ok], height=0.62, color=colors[ACCENT])
        top = max([v for _, v in ok] + [0.0]) or 1.0
        for y, amount, share, status in rows:
            if status != "ok":
                _mark_missing(ax, 0, y, status, colors, ha="left", offset=(4, 0))
                continue
            money = _format_money(amount)
            text = (
                LABELS["mix_value"].format(share=_pct(share), amount=money) if use_share else money
            )
            ax.annotate(
                text,
                (share if use_share else amount / scale, y),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=ANNOTATION_SIZE,
            )
        ax.set_yticks(ys, mix["labels"])
        ax.set_ylim(-0.6, len(ys) - 0.4)
        ax.set_xlim(0, top * 1.6)
        ax.set_xlabel(LABELS["axis_share"] if use_share else _axis_label("money", money_unit))
        ax.set_title(heading, fontsize=ANNOTATION_SIZE + 2, fontweight="normal", loc="left")
        ax.grid(axis="y", visible=False)
    if any("suppressed" in m["status"] for _, _, m in panels):
        _footnote(fig)
    _title(fig, _contract_mix_title([(k, m) for _, k, m in panels], when))
    return fig


def financing_chart(financing: Any, *, period: Any = None) -> Figure:
    """Returns grouped bars of financing requested against resolved, with the resolution rate.

    ``financing``: the frame of ``analyses.financing_summary`` (``product``,
    ``requested``, ``resolved`` in 万元, and a ``合计`` row); a frame by ``period`` (one
    row per year) with ``requested`` and ``resolved``, optionally ``status``; or a mapping
    from ``finance.requested`` / ``finance.resolved`` (or ``requested`` / ``resolved``) to
    the frame of ``indicators.trend`` for each. A
    ``合计`` row is not drawn: it is the title's figure. Over periods the title gives the
    latest period; by product, the total (when given) and the product that resolved most.
    """
    if isinstance(financing, Mapping):
        financing = _financing_from_trends(financing)
    frame = _with_label_column(financing, ("period", "product"))
    by = frame.columns[0]
    labels = [_label(v) for v in frame[by]]
    requested, req_status = _values_statuses(frame, "requested")
    resolved, res_status = _values_statuses(frame, "resolved")
    statuses = [a if a != "ok" else b for a, b in zip(req_status, res_status)]
    total = None
    if _total_label() in labels:
        i = labels.index(_total_label())
        total = (requested[i], resolved[i]) if statuses[i] == "ok" else None
        keep = [j for j in range(len(labels)) if j != i]
        labels, requested, resolved, statuses = (
            [seq[j] for j in keep] for seq in (labels, requested, resolved, statuses)
        )
    ok = [i for i, s in enumerate(statuses) if s == "ok"]
    scale, money_unit = _money_scale([requested[i] for i in ok] + [resolved[i] for i in ok])
    fig, ax = _new_figure(FIGSIZE_WIDE)
    colors = _palette()
    xs = list(range(len(labels)))
    width = 0.38
    ax.bar(
        [xs[i] - width / 2 for i in ok],
        [requested[i] / scale for i in ok],
        width=width,
        color=colors[GREY],
        alpha=0.55,
        label=LABELS["requested"],
    )
    ax.bar(
        [xs[i] + width / 2 for i in ok],
        [resolved[i] / scale for i in ok],
        width=width,
        color=colors[ACCENT],
        label=LABELS["resolved"],
    )
    top = max([requested[i] / scale for i in ok] + [resolved[i] / scale for i in ok] + [0.0]) or 1.0
    for i, x in enumerate(xs):
        if statuses[i] != "ok":
            _mark_missing(ax, x, 0.02 * top, statuses[i], colors, va="bottom")
            continue
        ax.annotate(
            _format_axis_value(resolved[i] / scale, "money"),
            (x + width / 2, resolved[i] / scale),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=ANNOTATION_SIZE,
        )
        if requested[i]:
            ax.annotate(
                LABELS["resolve_rate"].format(rate=_pct(100 * resolved[i] / requested[i])),
                (x, max(requested[i], resolved[i]) / scale),
                xytext=(0, 17),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE,
                color=colors[CONTRAST],
            )
    ax.set_xticks(xs, [_period_tick(label) for label in labels] if by == "period" else labels)
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.set_ylim(0, top * 1.28)
    ax.set_ylabel(_axis_label("money", money_unit))
    ax.legend(loc="upper left", ncols=2, frameon=False, fontsize=ANNOTATION_SIZE + 1)
    if "suppressed" in statuses or (
        _total_label() in [_label(v) for v in frame[by]] and total is None
    ):
        _footnote(fig)
    _title(fig, _financing_title(by, labels, requested, resolved, statuses, total, period))
    return fig


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Writes ``fig`` as a PNG (150 dpi, no timestamp or software metadata), closes it; returns the path.

    The same figure always gives the same bytes, so re-running a report does not change
    its figures unless the numbers changed.
    """
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=SAVE_DPI, metadata={"Software": None})
    plt.close(fig)
    return path


# ---------------------------------------------------------------------------------------
# Titles: the finding, computed from the numbers drawn
# ---------------------------------------------------------------------------------------


def change_phrase(value: float | None, previous: float | None, unit: str) -> str | None:
    """Returns the year-on-year phrase (较上年增加8家, 同比增长12.3%, 较上年提高3.2个百分点), or None.

    None when either value is missing (no data is never zero). Counts change by their
    difference, money by percent, rates by percentage points (INDICATORS.md); money from
    zero is 实现零的突破.
    """
    if _missing(previous) or _missing(value):
        return None
    measure = _measure(unit)
    diff = float(value) - float(previous)
    if abs(diff) < 1e-9:
        return CHANGES[("any", "flat")]
    direction = "up" if diff > 0 else "down"
    if measure == "count":
        return CHANGES[("count", direction)].format(diff=f"{_int(abs(diff))}{unit}")
    if measure == "rate":
        return CHANGES[("rate", direction)].format(pp=f"{abs(diff):.1f}")
    if previous == 0:
        return CHANGES[("money", "from_zero")]
    return CHANGES[("money", direction)].format(pct=_pct(100 * abs(diff) / abs(float(previous))))


def _funnel_title(tiers: dict[str, float | None], short: dict[str, str], when: str) -> str:
    names = list(tiers)
    n0, n1 = tiers[names[0]], tiers[names[1]]
    if n0 and n1 is not None:
        return TITLES["funnel"].format(
            when=when,
            tier0=short[names[0]],
            tier1=short[names[1]],
            n1=_int(n1),
            share=_pct(100 * n1 / n0),
        )

    def count(n):
        return LABELS["no_data"] if n is None else LABELS["funnel_value"].format(n=_int(n))

    return TITLES["funnel_no_base"].format(
        when=when, tier0=short[names[0]], tier1=short[names[1]], n0=count(n0), n1=count(n1)
    )


def _trend_title(labels, values, statuses, name, unit, measure) -> str:
    ok = [i for i, s in enumerate(statuses) if s == "ok"]
    if not ok:
        return TITLES["trend_no_data"].format(name=name)
    last = ok[-1]
    by_label = dict(zip(labels, zip(values, statuses)))
    change = change_phrase(values[last], _previous_of(labels[last], by_label), unit)
    fields = dict(
        when=_when(labels[last]), name=name, value=_format_value(values[last], unit, measure)
    )
    return TITLES["trend_change" if change else "trend"].format(change=change, **fields)


def _breakdown_title(rows, total, name, unit, measure, by, when) -> str:
    ok = [(label, v) for label, v, s in rows if s == "ok"]
    by_word = LABELS["by_town"] if by == "town" else LABELS["by_sector"]
    if not ok:
        return TITLES["breakdown_no_data"].format(when=when, name=name, by=by_word)
    top, value = ok[0]
    fields = dict(when=when, top=top, name=name, value=_format_value(value, unit, measure))
    if measure != "rate" and total:
        whole = LABELS["whole_district"] if by == "town" else LABELS["whole_breakdown"]
        return TITLES["breakdown_share"].format(
            whole=whole, share=_pct(100 * value / total), **fields
        )
    return TITLES["breakdown"].format(**fields)


def _platforms_title(wide, labels, totals, known) -> str:
    drawn = [i for i, k in enumerate(known) if k]
    if not drawn:
        return TITLES["platforms_no_data"]
    last = drawn[-1]
    parts = "、".join(f"{lvl}{_int(wide[lvl].iloc[last])}家" for lvl in wide.columns)
    when = _when(labels[last])
    by_label = {label: (t, "ok" if k else "no_data") for label, t, k in zip(labels, totals, known)}
    change = change_phrase(totals[last], _previous_of(labels[last], by_label), "家")
    if change:
        return TITLES["platforms_change"].format(
            when=when, total=_int(totals[last]), parts=parts, change=change.removeprefix("较上年")
        )
    return TITLES["platforms"].format(when=when, total=_int(totals[last]), parts=parts)


def _contract_mix_title(panels, when) -> str:
    tops = {}
    for kind, mix in panels:
        ok = [
            (sh, label)
            for label, sh, s in zip(mix["labels"], mix["share"], mix["status"])
            if s == "ok"
        ]
        if ok and mix["has_share"] and max(sh for sh, _ in ok) > 0:
            # the largest share; equal shares go to the category listed first (DATA.md order)
            share, label = max(ok, key=lambda t: (t[0], -mix["labels"].index(t[1])))
            tops[kind] = (label, share)
    if "type" in tops and "buyer_region" in tops:
        return TITLES["contract_mix"].format(
            when=when,
            top_type=tops["type"][0],
            type_share=_pct(tops["type"][1]),
            top_region=tops["buyer_region"][0],
            region_share=_pct(tops["buyer_region"][1]),
        )
    for kind in ("type", "buyer_region"):
        if kind in tops:
            template = "contract_mix_type" if kind == "type" else "contract_mix_region"
            return TITLES[template].format(when=when, top=tops[kind][0], share=_pct(tops[kind][1]))
    for kind, mix in panels:  # shares unknowable (a withheld cell): the largest published amount
        ok = [
            (a, label)
            for label, a, s in zip(mix["labels"], mix["amount"], mix["status"])
            if s == "ok"
        ]
        if kind == "type" and ok and max(a for a, _ in ok) > 0:
            amount, label = max(ok, key=lambda t: (t[0], -mix["labels"].index(t[1])))
            return TITLES["contract_mix_amount"].format(
                when=when, top=label, amount=_format_money(amount)
            )
    return TITLES["contract_mix_no_data"].format(when=when)


def _financing_title(by, labels, requested, resolved, statuses, total, period) -> str:
    ok = [i for i, s in enumerate(statuses) if s == "ok"]

    def rate(req, res):
        return _pct(100 * res / req) if req else LABELS["no_data"]

    if by == "period":
        if not ok:
            return TITLES["financing_no_data"].format(when=_when(period))
        i = ok[-1]
        return TITLES["financing"].format(
            when=_when(labels[i]),
            resolved=_format_money(resolved[i]),
            rate=rate(requested[i], resolved[i]),
        )
    when = _when(period)
    top = max(ok, key=lambda j: (resolved[j], -j)) if ok else None
    if total is not None:
        template = "financing_top" if top is not None and resolved[top] > 0 else "financing"
        return TITLES[template].format(
            when=when,
            resolved=_format_money(total[1]),
            rate=rate(*total),
            top=labels[top] if top is not None else "",
        )
    if top is None:
        return TITLES["financing_no_data"].format(when=when)
    return TITLES["financing_by"].format(
        when=when,
        top=labels[top],
        resolved=_format_money(resolved[top]),
        rate=rate(requested[top], resolved[top]),
    )


# ---------------------------------------------------------------------------------------
# Number formatting (bulletin style: 亿元 with two decimals, 万元 whole, rates one decimal)
# ---------------------------------------------------------------------------------------


def _int(value: float) -> str:
    return str(int(round(float(value))))


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _format_money(value_wan: float) -> str:
    """万元 amount as a title writes it: 4.70亿元 from 1亿元 up, else 836万元 (12.5万元 below 100)."""
    if abs(value_wan) >= YI_THRESHOLD:
        return f"{value_wan / YI_THRESHOLD:.2f}亿元"
    if abs(value_wan) >= 100 or float(value_wan).is_integer():
        return f"{value_wan:.0f}万元"
    return f"{value_wan:.1f}万元"


def _format_value(value: float, unit: str, measure: str) -> str:
    if measure == "money":
        return _format_money(value)
    if measure == "rate":
        return f"{value:.1f}%"
    return f"{_int(value)}{unit}"


def _format_axis_value(value: float, measure: str) -> str:
    """A value already in the axis unit, as its bar label (no unit: the axis says it)."""
    if measure == "count":
        return _int(value)
    if measure == "rate":
        return f"{value:.1f}%"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _money_scale(values_wan) -> tuple[float, str]:
    """(divisor, unit) for a money axis: 亿元 when the largest amount reaches 1亿元, else 万元."""
    finite = [abs(v) for v in values_wan if not _missing(v)]
    return (YI_THRESHOLD, "亿元") if finite and max(finite) >= YI_THRESHOLD else (1.0, "万元")


def _yoy_label(value: float, previous: float | None, measure: str) -> str | None:
    if _missing(previous):
        return None
    diff = value - previous
    if abs(diff) < 1e-9:
        return LABELS["yoy_flat"]
    sign = "+" if diff > 0 else "-"
    if measure == "rate":
        return LABELS["yoy_pp"].format(sign=sign, pp=f"{abs(diff):.1f}")
    if previous == 0:
        return None
    return LABELS["yoy_pct"].format(sign=sign, pct=_pct(100 * abs(diff) / abs(previous)))


def _measure(unit: str) -> str:
    """count, money or rate: how a unit's values are drawn and compared."""
    if unit == "%":
        return "rate"
    if unit in ("万元", "亿元", "元"):
        return "money"
    return "count"


def _axis_label(measure: str, unit: str) -> str:
    return LABELS[f"axis_{measure}"].format(unit=unit)


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------


def _label(value: Any) -> str:
    """A period label or category as text (Period objects by their label)."""
    return str(getattr(value, "label", value))


def _parsed(label: Any):
    from innolib.errors import UsageError
    from innolib.periods import parse_period

    if label is None or _missing(label):
        return None
    if hasattr(label, "wording") and hasattr(label, "year"):
        return label
    try:
        return parse_period(str(label))
    except UsageError:
        return None


def _when(period: Any) -> str:
    """Title prefix naming a period: 2025年, 2025年上半年, 2025年前三季度, 2025年截至10月31日."""
    p = _parsed(period)
    if p is None:
        return ""
    return f"{p.year}年" if p.is_full_year and not p.clipped else f"{p.year}年{p.wording()}"


def _period_tick(label: str) -> str:
    p = _parsed(label)
    if p is None:
        return label
    return f"{p.year}年" if p.is_full_year and not p.clipped else f"{p.year}年\n{p.wording()}"


def _previous_of(label: str, by_label: Mapping[str, tuple[float, str]]) -> float | None:
    """The publishable value of the same period a year earlier, if that period is among the data."""
    p = _parsed(label)
    if p is None:
        return None
    found = by_label.get(p.previous_year().label)
    if found is None or found[1] != "ok":
        return None
    return found[0]


# ---------------------------------------------------------------------------------------
# Input shapes
# ---------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _has_column(data: Any, column: str) -> bool:
    return column in getattr(data, "columns", ())


def _total_label() -> str:
    from innolib.disclosure import TOTAL

    return TOTAL


def _values_statuses(frame: pd.DataFrame, column: str) -> tuple[list[float], list[str]]:
    """Floats and chart statuses (ok, suppressed, no_data) of one value column.

    The ``status`` column decides when present; a frame whose ``attrs["status"]`` is
    ``no_data`` has no data anywhere; an empty value is never drawn (and never 0).
    """
    raw = list(frame[column])
    if getattr(frame, "attrs", {}).get("status") == "no_data":
        given = ["no_data"] * len(raw)
    elif "status" in frame.columns:
        given = list(frame["status"])
    else:
        given = ["ok"] * len(raw)
    values, statuses = [], []
    for v, s in zip(raw, given):
        status = _STATUS.get(str(s))
        if status is None:
            raise ValueError(f"unknown status {s!r}: expected one of {', '.join(_STATUS)}")
        if status == "ok" and _missing(v):
            status = "no_data"
        values.append(float(v) if status == "ok" else math.nan)
        statuses.append(status)
    return values, statuses


def _with_label_column(data: Any, candidates: tuple[str, ...]) -> pd.DataFrame:
    """The frame with its label column first: the first of ``candidates`` present, or the index."""
    import pandas as pd

    frame = pd.DataFrame(data)
    attrs = dict(getattr(data, "attrs", {}))
    for name in candidates:
        if name in frame.columns:
            frame = frame[[name] + [c for c in frame.columns if c != name]].reset_index(drop=True)
            break
    else:
        index_name = frame.index.name if frame.index.name in candidates else candidates[0]
        frame = frame.rename_axis(index_name).reset_index()
    frame.attrs.update(attrs)
    return frame


def _funnel_input(data: Any) -> dict[str, Any]:
    """Counts per tier (pipeline order), axis labels, title names, step annotations, note."""
    import pandas as pd

    labels, short = dict(TIER_LABELS), dict(TIER_SHORT)
    steps: dict[str, str] = {}
    note, period = "", None
    values = getattr(data, "values", None)
    if isinstance(values, Mapping):  # an IndicatorSet: its four tier indicators
        counts = {
            tier: getattr(values.get(ind), "value", None) for tier, ind in TIER_INDICATORS.items()
        }
        period = getattr(data, "period", None)
    elif (
        isinstance(data, pd.DataFrame) and "from_tier" in data.columns
    ):  # analyses.pipeline_conversion
        funnel = data.attrs.get("funnel")
        if funnel is None:
            raise ValueError(
                "the conversion frame carries no funnel (attrs['funnel']): pass the funnel frame"
            )
        counts = _funnel_input(funnel)["counts"]
        for row in data.itertuples(index=False):
            steps[row.to_tier] = (
                LABELS["funnel_conversion"].format(
                    rate=_pct(row.rate), converted=_int(row.converted), cohort=_int(row.cohort)
                )
                if row.cohort and not _missing(row.rate)
                else LABELS["funnel_conversion_empty"]
            )
        note = data.attrs.get("note", "")
    elif isinstance(data, pd.DataFrame):  # analyses.pipeline_funnel
        column = next((c for c in ("enterprises", "count", "value") if c in data.columns), None)
        if "tier" not in data.columns or column is None:
            raise ValueError("the funnel frame needs a 'tier' column and an 'enterprises' column")
        nodata = data.attrs.get("status") == "no_data"
        counts = {t: (None if nodata else n) for t, n in zip(data["tier"], data[column])}
    else:
        counts = dict(data.items()) if hasattr(data, "items") else dict(data)
    by_id = {ind: tier for tier, ind in TIER_INDICATORS.items()}
    if any(str(k) in by_id for k in counts) or isinstance(values, Mapping):
        labels["科技型企业"], short["科技型企业"] = TIER0_CUMULATIVE
    tiers: dict[str, float | None] = {}
    for key, value in counts.items():
        tier = by_id.get(str(key), str(key))
        if tier not in TIERS:
            raise ValueError(
                f"unknown tier {key!r}: expected one of {', '.join(TIERS)} or their indicator ids"
            )
        tiers[tier] = None if _missing(value) else float(value)
    missing = [t for t in TIERS if t not in tiers]
    if missing:
        raise ValueError(f"the funnel needs all four tiers; missing: {', '.join(missing)}")
    tiers = {t: tiers[t] for t in TIERS}
    for above, tier in itertools.pairwise(TIERS):
        if tier not in steps and tiers[above] and tiers[tier] is not None:
            steps[tier] = LABELS["funnel_step"].format(share=_pct(100 * tiers[tier] / tiers[above]))
    return {
        "counts": tiers,
        "labels": labels,
        "short": short,
        "steps": steps,
        "note": note,
        "period": period,
    }


_BAND = re.compile(r"^[\(\[]\s*([\d.]+)%?\s*,\s*([\d.]+)%?\s*[\)\]]$")
_BAND_ABOVE = re.compile(r"^[>＞≥]\s*([\d.]+)%?$")


def _band_label(band: Any) -> str:
    """A band as the axis writes it: ``(1%,3%]`` or Interval(1, 3) → 1%—3%; ``>5%`` → 5%以上; 0 → 无研发投入.

    Bounds are written without their brackets: which side is closed is the analysis's
    definition (``analyses.INTENSITY_BINS``), documented there.
    """
    import pandas as pd

    if isinstance(band, pd.Interval):
        lo, hi = float(band.left), float(band.right)
    else:
        text = str(band).strip()
        if text in ("0", "0%"):
            return LABELS["band_zero"]
        above = _BAND_ABOVE.match(text)
        if above:
            return LABELS["band_above"].format(lo=f"{float(above.group(1)):g}")
        match = _BAND.match(text)
        if not match:
            return text
        lo, hi = float(match.group(1)), float(match.group(2))
    if math.isinf(hi):
        return LABELS["band_above"].format(lo=f"{lo:g}")
    if math.isinf(lo):
        return LABELS["band_below"].format(hi=f"{hi:g}")
    return LABELS["band_between"].format(lo=f"{lo:g}", hi=f"{hi:g}")


def _band_counts(distribution: Any) -> tuple[list[str], list[float], dict[str, Any]]:
    """Band labels, counts, and what else the input knows (year, median, status)."""
    import pandas as pd

    meta: dict[str, Any] = {}
    if hasattr(distribution, "bins") and isinstance(
        distribution.bins, pd.DataFrame
    ):  # analyses.RDIntensity
        meta = {
            "year": getattr(distribution, "year", None),
            "median": getattr(distribution, "median", None),
            "status": getattr(distribution, "status", "ok"),
        }
        distribution = distribution.bins
    if isinstance(distribution, pd.DataFrame):
        meta.setdefault("status", distribution.attrs.get("status", "ok"))
        frame = _with_label_column(distribution, ("bin", "band"))
        column = next((c for c in ("enterprises", "count") if c in frame.columns), None)
        if column is None:
            raise ValueError("the intensity distribution needs an 'enterprises' or 'count' column")
        pairs = list(zip(frame.iloc[:, 0], frame[column]))
    else:
        pairs = list(distribution.items())
    if meta.get("status") == "no_data":
        pairs = []
    return (
        [_band_label(b) for b, _ in pairs],
        [0.0 if _missing(n) else float(n) for _, n in pairs],
        meta,
    )


def _levels_frame(platforms: Any) -> pd.DataFrame:
    """Platforms as a wide frame: one row per period label (in order), one column per level."""
    import pandas as pd

    if isinstance(platforms, Mapping):
        by_id = {ind: lvl for lvl, ind in PLATFORM_INDICATORS.items()}
        columns = {}
        for key, trend in platforms.items():
            _, statuses = _values_statuses(trend, "value")
            values = [v if s == "ok" else math.nan for v, s in zip(trend["value"], statuses)]
            columns[by_id.get(str(key), str(key))] = pd.Series(
                values, index=[_label(p) for p in trend["period"]], dtype=float
            )
        wide = pd.DataFrame(columns)
    else:
        frame = pd.DataFrame(platforms)
        if {"period", "level", "value"} <= set(frame.columns):
            frame = frame.assign(period=[_label(p) for p in frame["period"]])
            wide = frame.pivot(index="period", columns="level", values="value")
            wide = wide.reindex(list(dict.fromkeys(frame["period"])))
        else:
            wide = frame.set_index("period") if "period" in frame.columns else frame
        wide = wide.astype(float)
    wide.index = [_label(p) for p in wide.index]
    unknown = [c for c in wide.columns if c not in PLATFORM_LEVELS]
    if unknown:
        raise ValueError(
            f"unknown platform level(s) {unknown}: expected {', '.join(PLATFORM_LEVELS)}"
        )
    return wide[[lvl for lvl in PLATFORM_LEVELS if lvl in wide.columns]]


def _financing_from_trends(trends: Mapping[str, Any]) -> pd.DataFrame:
    """Requested and resolved by period from the two indicators' trend frames."""
    import pandas as pd

    columns = {}
    for key, trend in trends.items():
        name = str(key).removeprefix("finance.")
        if name not in ("requested", "resolved"):
            raise ValueError(
                f"unknown financing series {key!r}: expected finance.requested and finance.resolved"
            )
        values, statuses = _values_statuses(trend, "value")
        columns[name] = pd.DataFrame(
            {"value": values, "status": statuses}, index=[_label(p) for p in trend["period"]]
        )
    if set(columns) != {"requested", "resolved"}:
        raise ValueError("the financing chart needs both finance.requested and finance.resolved")
    req, res = columns["requested"], columns["resolved"].reindex(columns["requested"].index)
    status = [
        a if a != "ok" else (b if isinstance(b, str) else "no_data")
        for a, b in zip(req["status"], res["status"])
    ]
    return pd.DataFrame(
        {
            "period": list(req.index),
            "requested": list(req["value"]),
            "resolved": list(res["value"]),
            "status": status,
        }
    )


def _mix_panel(data: Any, order: tuple[str, ...]) -> dict[str, Any]:
    """One contract-mix panel: categories (DATA.md order), amounts, shares (percent), statuses."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        frame = _with_label_column(data, ("category", "type", "buyer_region"))
    else:
        frame = pd.Series(data, dtype=float).rename("amount").rename_axis("category").reset_index()
    amounts, statuses = _values_statuses(frame, "amount")
    labels = [str(v) for v in frame.iloc[:, 0]]
    share_column = next((c for c in ("amount_share", "share") if c in frame.columns), None)
    if share_column:
        shares = [
            float(s) if st == "ok" and not _missing(s) else math.nan
            for s, st in zip(frame[share_column], statuses)
        ]
        has_share = True
    else:
        total = sum(a for a, s in zip(amounts, statuses) if s == "ok")
        has_share = "suppressed" not in statuses and total > 0
        shares = [
            100 * a / total if has_share and s == "ok" else math.nan
            for a, s in zip(amounts, statuses)
        ]
    rank = {c: i for i, c in enumerate(order)}
    rows = sorted(
        zip(labels, amounts, shares, statuses), key=lambda r: (rank.get(r[0], len(order)), r[0])
    )
    return {
        "labels": [r[0] for r in rows],
        "amount": [r[1] for r in rows],
        "share": [r[2] for r in rows],
        "status": [r[3] for r in rows],
        "has_share": has_share,
    }


def _name_unit(indicator: str, name: str | None, unit: str | None) -> tuple[str, str]:
    """The indicator's Chinese name and unit: as given, else from the registry."""
    if name is not None and unit is not None:
        return name, unit
    from innolib.registry import indicator_def

    definition = indicator_def(indicator)
    return name or definition.name_zh, unit or definition.unit


# ---------------------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------------------


def _palette() -> list[str]:
    from innolib.theme import PALETTE

    return PALETTE


def _new_figure(size: tuple[float, float], ncols: int = 1):
    """A pyplot figure of a fixed size in the house theme, with constrained layout."""
    import matplotlib.pyplot as plt

    from innolib.theme import set_theme

    set_theme()
    return plt.subplots(1, ncols, figsize=size, layout="constrained")


def _mark_missing(ax, x, y, status, colors, *, ha="center", va="center", offset=(0, 0)) -> None:
    """Writes — (withheld) or 无数据 where a bar would be; draws no bar."""
    size = ANNOTATION_SIZE + (4 if status == "suppressed" else 1)
    ax.annotate(
        LABELS[status],
        (x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=size,
        color=colors[GREY],
    )


def _title(fig: Figure, text: str) -> None:
    fig.suptitle(_wrap(text, TITLE_WRAP), x=0.01, ha="left", fontsize=TITLE_SIZE)


def _wrap(text: str, width: int) -> str:
    """Breaks a long line after the last Chinese comma (or bracket) that keeps the first line short."""
    if len(text) <= width:
        return text
    cut = max(text.rfind(mark, 0, width) for mark in "，：；（")
    if cut <= 0:
        return text
    cut = cut if text[cut] == "（" else cut + 1
    return text[:cut] + "\n" + _wrap(text[cut:], width)


def _footnote(fig: Figure, text: str | None = None) -> None:
    """The note under the chart: by default the disclosure footnote for cells marked —."""
    if text is None:
        from innolib.disclosure import FOOTNOTE

        text = FOOTNOTE[0]
    fig.supxlabel(
        _wrap(text, FOOTNOTE_WRAP),
        x=0.01,
        ha="left",
        fontsize=ANNOTATION_SIZE - 0.5,
        color="#555555",
        linespacing=1.3,
    )


def _integer_axis(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


# ---------------------------------------------------------------------------------------
# The composite innovation index (innolib.comparisons, issue 10)
# ---------------------------------------------------------------------------------------


def index_chart(index: Any, *, name: str | None = None, scope: str | None = None) -> Figure:
    """Returns one line per unit of the composite innovation index over the periods.

    ``index``: an ``innolib.comparisons.IndexResult`` (its ``scores``, index name and
    scope 全区/全市 are used) or a frame with ``period``, ``unit`` and ``index`` (values in
    [0, 1]: the mean of min–max normalised scores, on one scale across all periods). The
    legend lists the units by their latest index, each with its value; a unit without an
    index in a period has a gap there, never a 0. The title names the highest and lowest
    unit of the latest period, and how many consecutive periods the highest has led.
    """
    frame = getattr(index, "scores", index)
    spec = getattr(index, "spec", None)
    name = name or getattr(spec, "name_zh", None) or LABELS["index_name"]
    scope = scope or getattr(index, "scope_zh", None) or LABELS["index_scope"]
    periods = sorted({_label(p) for p in frame["period"]})
    table = {(_label(p), u): v for p, u, v in zip(frame["period"], frame["unit"], frame["index"])}
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
    fig, ax = _new_figure(FIGSIZE_WIDE)
    colors = _palette()
    xs = list(range(len(periods)))
    for k, unit in enumerate(units):
        latest = series[unit][last] if last is not None else math.nan
        label = LABELS["index_legend"].format(
            unit=unit, value=LABELS["no_data"] if math.isnan(latest) else f"{latest:.2f}"
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
    ax.set_xticks(xs, [_period_tick(p) for p in periods])
    ax.set_xlim(-0.4, len(xs) - 0.6 if len(xs) > 1 else 0.4)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(LABELS["axis_index"])
    if units:
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=ANNOTATION_SIZE + 1,
        )
    _title(fig, _index_title(periods, series, last, name, scope))
    return fig


def _index_value(value: Any) -> float:
    return math.nan if _missing(value) else float(value)


def _index_title(periods, series, last, name, scope) -> str:
    if last is None:
        return TITLES["index_no_data"].format(name=name)
    latest = {u: v[last] for u, v in series.items() if not math.isnan(v[last])}
    when = _when(periods[last])
    high, low = max(latest.values()), min(latest.values())
    tops = [u for u, v in latest.items() if v == high]
    fields = dict(when=when, name=name, value=f"{high:.2f}")
    if len(latest) == 1:
        return TITLES["index_one"].format(top=tops[0], **fields)
    if high == low:
        return TITLES["index_equal"].format(**fields)
    bottom = "、".join(u for u, v in latest.items() if v == low)
    fields.update(bottom=bottom, low=f"{low:.2f}")
    if len(tops) > 1:
        return TITLES["index_tied"].format(top="、".join(tops), **fields)
    top, n = tops[0], 0
    for i in range(
        last, -1, -1
    ):  # consecutive periods, up to the latest, in which the top unit led alone
        if (
            i < last
            and _parsed(periods[i + 1])
            and _parsed(periods[i + 1]).previous_year().label != periods[i]
        ):
            break  # a gap in the years: the lead is counted over consecutive years only
        values = [v[i] for v in series.values() if not math.isnan(v[i])]
        mine = series[top][i]
        if math.isnan(mine) or sum(v >= mine for v in values) != 1:
            break
        n += 1
    if n >= 2:
        return TITLES["index_lead"].format(top=top, n=n, scope=scope, **fields)
    return TITLES["index"].format(top=top, **fields)
