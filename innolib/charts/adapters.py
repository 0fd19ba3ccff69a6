"""Input adapters: from what indicators, analyses and disclosure return to what a chart draws.

Each chart accepts the frames and result objects of ``innolib.indicators``,
``innolib.analyses`` and ``innolib.disclosure`` as they come; the functions here reduce
them to plain lists of labels, floats and chart statuses (``ok``, ``suppressed``,
``no_data``), and reject shapes they do not know with a message naming what was expected.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from innolib.charts.text import label_of, missing
from innolib.charts.wording import (
    PLATFORM_INDICATORS,
    PLATFORM_LEVELS,
    TIER_INDICATORS,
    words,
)
from innolib.present.numbers import format_number, rate_cell, table_number
from innolib.tables import TIERS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: statuses as charts see them: publishable, withheld, or unknown
STATUS = {
    "ok": "ok",
    "published": "ok",
    "suppressed": "suppressed",
    "primary": "suppressed",
    "secondary": "suppressed",
    "no_data": "no_data",
}


def has_column(data: Any, column: str) -> bool:
    """Whether ``data`` is frame-like with that column."""
    return column in getattr(data, "columns", ())


def total_label() -> str:
    """The label of a protected table's total row (``disclosure.TOTAL``: 合计)."""
    from innolib.disclosure import TOTAL

    return TOTAL


def name_unit(
    indicator: str, name: str | None, unit: str | None, lang: str = "zh", district: Any = None
) -> tuple[str, str, str | None]:
    """The indicator's name in ``lang``, its (Chinese) unit, and its English unit word:
    as given, else from the registry, with ``district``'s programme words (the frame's
    ``attrs["district"]``, set by ``indicators.trend``/``breakdown``; generic names
    without one). The Chinese unit decides how values are drawn."""
    if name is not None and unit is not None and lang == "zh":
        return name, unit, None
    from innolib.present.facts import indicator_name
    from innolib.registry import indicator_def

    try:
        definition = indicator_def(indicator)
    except (KeyError, ValueError, LookupError):
        if name is None or unit is None:
            raise
        return name, unit, None
    default = indicator_name(definition, district, lang)
    return name or default, unit or definition.unit, definition.unit_en


def indicator_sources(indicator: str) -> tuple[str, ...]:
    """The tables an indicator is computed from (registry ``sources``); () when not registered."""
    from innolib.registry import indicator_def

    try:
        return tuple(indicator_def(indicator).sources)
    except (KeyError, ValueError, LookupError):
        return ()


def before_first_record(values: list[float], statuses: list[str], measure: str) -> list[str]:
    """Statuses with the zeros before a count or money series' first non-zero value marked
    ``not_started``: a year before a programme had any record is not drawn as a 0 (nor
    compared: no 持平). Rates, and series that are zero throughout, are left as they are.
    """
    if measure == "rate":
        return list(statuses)
    first = next((i for i, (v, s) in enumerate(zip(values, statuses)) if s == "ok" and v), None)
    if first is None:
        return list(statuses)
    return [
        "not_started" if i < first and s == "ok" and v == 0 else s
        for i, (v, s) in enumerate(zip(values, statuses))
    ]


def values_statuses(frame: pd.DataFrame, column: str) -> tuple[list[float], list[str]]:
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
        status = STATUS.get(str(s))
        if status is None:
            raise ValueError(f"unknown status {s!r}: expected one of {', '.join(STATUS)}")
        if status == "ok" and missing(v):
            status = "no_data"
        values.append(float(v) if status == "ok" else math.nan)
        statuses.append(status)
    return values, statuses


def with_label_column(data: Any, candidates: tuple[str, ...]) -> pd.DataFrame:
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


# ---------------------------------------------------------------------------------------
# The funnel
# ---------------------------------------------------------------------------------------


def funnel_input(data: Any, lang: str = "zh") -> dict[str, Any]:
    """Counts per tier (pipeline order), axis labels, title names, step annotations, note,
    and whether the first tier is cumulative (ever registered) rather than a stock."""
    import pandas as pd

    w = words(lang)
    labels, short = dict(w.tier_labels), dict(w.tier_short)
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
        counts = funnel_input(funnel)["counts"]
        for row in data.itertuples(index=False):
            steps[row.to_tier] = (
                w.labels["funnel_conversion"].format(
                    rate=rate_cell(row.rate, lang),
                    converted=table_number(row.converted, "家", lang),
                    cohort=table_number(row.cohort, "家", lang),
                )
                if row.cohort and not missing(row.rate)
                else w.labels["funnel_conversion_empty"]
            )
        note = data.attrs.get("note", "")
    elif isinstance(data, pd.DataFrame):  # analyses.pipeline_funnel
        column = next((c for c in ("enterprises", "count", "value") if c in data.columns), None)
        if "tier" not in data.columns or column is None:
            raise ValueError("the funnel frame needs a 'tier' column and an 'enterprises' column")
        nodata = data.attrs.get("status") == "no_data"
        counts = {t: (None if nodata else n) for t, n in zip(data["tier"], data[column])}
        if nodata and not counts:  # no rows at all (no certifications, or beyond the data)
            counts = dict.fromkeys(TIERS)
    else:
        counts = dict(data.items()) if hasattr(data, "items") else dict(data)
    by_id = {ind: tier for tier, ind in TIER_INDICATORS.items()}
    # counted by its indicator, the first tier is everyone ever registered (a cumulative
    # flow), while the others are certificates in force on the day: not shares of it
    cumulative = any(str(k) in by_id for k in counts) or isinstance(values, Mapping)
    if cumulative:
        labels["科技型企业"], short["科技型企业"] = w.tier0_cumulative
    tiers: dict[str, float | None] = {}
    for key, value in counts.items():
        tier = by_id.get(str(key), str(key))
        if tier not in TIERS:
            raise ValueError(
                f"unknown tier {key!r}: expected one of {', '.join(TIERS)} or their indicator ids"
            )
        tiers[tier] = None if missing(value) else float(value)
    absent = [t for t in TIERS if t not in tiers]
    if absent:
        raise ValueError(f"the funnel needs all four tiers; missing: {', '.join(absent)}")
    tiers = {t: tiers[t] for t in TIERS}
    for above, tier in itertools.pairwise(TIERS):
        if cumulative and above == TIERS[0]:
            continue
        if tier not in steps and tiers[above] and tiers[tier] is not None:
            steps[tier] = w.labels["funnel_step"].format(
                share=rate_cell(100 * tiers[tier] / tiers[above], lang)
            )
    return {
        "counts": tiers,
        "labels": labels,
        "short": short,
        "steps": steps,
        "note": note,
        "period": period,
        "cumulative": cumulative,
    }


# ---------------------------------------------------------------------------------------
# R&D intensity bands
# ---------------------------------------------------------------------------------------

_BAND = re.compile(r"^[\(\[]\s*([\d.]+)%?\s*,\s*([\d.]+)%?\s*[\)\]]$")
_BAND_ABOVE = re.compile(r"^[>＞≥]\s*([\d.]+)%?$")


def band_label(band: Any, lang: str = "zh") -> str:
    """A band as the axis writes it: ``(1%,3%]`` or Interval(1, 3) → 1%—3%; ``>5%`` → 5%以上; 0 → 无研发投入.

    Bounds are written without their brackets: which side is closed is the analysis's
    definition (``analyses.INTENSITY_BINS``), documented there.
    """
    import pandas as pd

    labels = words(lang).labels
    if isinstance(band, pd.Interval):
        lo, hi = float(band.left), float(band.right)
    else:
        text = str(band).strip()
        if text in ("0", "0%"):
            return labels["band_zero"]
        above = _BAND_ABOVE.match(text)
        if above:
            return labels["band_above"].format(lo=_bound(above.group(1)))
        match = _BAND.match(text)
        if not match:
            return text
        lo, hi = float(match.group(1)), float(match.group(2))
    if math.isinf(hi):
        return labels["band_above"].format(lo=_bound(lo))
    if math.isinf(lo):
        return labels["band_below"].format(hi=_bound(hi))
    return labels["band_between"].format(lo=_bound(lo), hi=_bound(hi))


def _bound(value: Any) -> str:
    """A band's bound in percent as its label writes it: 1, 0.5 (up to two decimals)."""
    return format_number(float(value), 2)


def band_counts(
    distribution: Any, lang: str = "zh"
) -> tuple[list[str], list[float], dict[str, Any]]:
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
        frame = with_label_column(distribution, ("bin", "band"))
        column = next((c for c in ("enterprises", "count") if c in frame.columns), None)
        if column is None:
            raise ValueError("the intensity distribution needs an 'enterprises' or 'count' column")
        pairs = list(zip(frame.iloc[:, 0], frame[column]))
    else:
        pairs = list(distribution.items())
    if meta.get("status") == "no_data":
        pairs = []
    return (
        [band_label(b, lang) for b, _ in pairs],
        [0.0 if missing(n) else float(n) for _, n in pairs],
        meta,
    )


# ---------------------------------------------------------------------------------------
# Platforms, financing, contract mix
# ---------------------------------------------------------------------------------------


def levels_frame(platforms: Any) -> pd.DataFrame:
    """Platforms as a wide frame: one row per period label (in order), one column per level."""
    import pandas as pd

    if isinstance(platforms, Mapping):
        by_id = {ind: lvl for lvl, ind in PLATFORM_INDICATORS.items()}
        columns = {}
        for key, trend in platforms.items():
            _, statuses = values_statuses(trend, "value")
            values = [v if s == "ok" else math.nan for v, s in zip(trend["value"], statuses)]
            columns[by_id.get(str(key), str(key))] = pd.Series(
                values, index=[label_of(p) for p in trend["period"]], dtype=float
            )
        wide = pd.DataFrame(columns)
    else:
        frame = pd.DataFrame(platforms)
        if {"period", "level", "value"} <= set(frame.columns):
            frame = frame.assign(period=[label_of(p) for p in frame["period"]])
            wide = frame.pivot(index="period", columns="level", values="value")
            wide = wide.reindex(list(dict.fromkeys(frame["period"])))
        else:
            wide = frame.set_index("period") if "period" in frame.columns else frame
        wide = wide.astype(float)
    wide.index = [label_of(p) for p in wide.index]
    unknown = [c for c in wide.columns if c not in PLATFORM_LEVELS]
    if unknown:
        raise ValueError(
            f"unknown platform level(s) {unknown}: expected {', '.join(PLATFORM_LEVELS)}"
        )
    return wide[[lvl for lvl in PLATFORM_LEVELS if lvl in wide.columns]]


def financing_from_trends(trends: Mapping[str, Any]) -> pd.DataFrame:
    """Requested and resolved by period from the two indicators' trend frames."""
    import pandas as pd

    columns = {}
    for key, trend in trends.items():
        name = str(key).removeprefix("finance.")
        if name not in ("requested", "resolved"):
            raise ValueError(
                f"unknown financing series {key!r}: expected finance.requested and finance.resolved"
            )
        values, statuses = values_statuses(trend, "value")
        columns[name] = pd.DataFrame(
            {"value": values, "status": statuses}, index=[label_of(p) for p in trend["period"]]
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


def mix_panel(data: Any, order: tuple[str, ...]) -> dict[str, Any]:
    """One contract-mix panel: categories (docs/data.md order), amounts, shares (percent), statuses."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        frame = with_label_column(data, ("category", "type", "buyer_region"))
    else:
        frame = pd.Series(data, dtype=float).rename("amount").rename_axis("category").reset_index()
    amounts, statuses = values_statuses(frame, "amount")
    labels = [str(v) for v in frame.iloc[:, 0]]
    share_column = next((c for c in ("amount_share", "share") if c in frame.columns), None)
    if share_column:
        shares = [
            float(s) if st == "ok" and not missing(s) else math.nan
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
