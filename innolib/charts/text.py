"""How a chart turns a value or a period into text: numbers, money, changes, period words.

Bulletin style: 亿元 with two decimals from 1亿元 up, 万元 whole (one decimal below 100),
rates with one decimal; counts change by their difference, money by percent, rates by
percentage points (docs/indicators.md). Every chart module formats through these functions
only, so a rule changes here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from innolib.charts.wording import words

#: money at or above this many 万元 is drawn and written in 亿元
YI_THRESHOLD = 10_000.0


def missing(value: Any) -> bool:
    """True for None and for what pandas counts as missing (NaN, NA, NaT): no data, never 0."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------


def whole(value: float) -> str:
    """A count as a whole number (rounded)."""
    return str(int(round(float(value))))


def percent(value: float) -> str:
    """A share or change already in percent, one decimal: 38.1%."""
    return f"{value:.1f}%"


def money_text(value_wan: float, lang: str = "zh") -> str:
    """万元 amount as a title writes it: 4.70亿元 from 1亿元 up, else 836万元 (12.5万元 below 100).

    English: the presentation layer's CNY million (``CNY 474 million``).
    """
    if lang == "en":
        from innolib.present.numbers import format_money

        return format_money(value_wan, "exact", "en")
    if abs(value_wan) >= YI_THRESHOLD:
        return f"{value_wan / YI_THRESHOLD:.2f}亿元"
    if abs(value_wan) >= 100 or float(value_wan).is_integer():
        return f"{value_wan:.0f}万元"
    return f"{value_wan:.1f}万元"


def value_text(
    value: float, unit: str, measure: str, lang: str = "zh", unit_en: str | None = None
) -> str:
    """A value with its unit, as a title writes it (English: ``106 enterprises``)."""
    if measure == "money":
        return money_text(value, lang)
    if lang == "en" and measure == "count":
        return f"{whole(value)} {unit_en}" if unit_en else whole(value)
    if measure == "rate":
        return f"{value:.1f}%"
    return f"{whole(value)}{unit}"


def axis_value_text(value: float, measure: str) -> str:
    """A value already in the axis unit, as its bar label (no unit: the axis says it)."""
    if measure == "count":
        return whole(value)
    if measure == "rate":
        return f"{value:.1f}%"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def money_scale(values_wan, lang: str = "zh") -> tuple[float, str]:
    """(divisor, unit) for a money axis: 亿元 when the largest amount reaches 1亿元, else 万元;
    English: CNY million throughout (100万元 = CNY 1 million)."""
    if lang == "en":
        return 100.0, "CNY million"
    finite = [abs(v) for v in values_wan if not missing(v)]
    return (YI_THRESHOLD, "亿元") if finite and max(finite) >= YI_THRESHOLD else (1.0, "万元")


def measure_of(unit: str) -> str:
    """count, money or rate: how a unit's values are drawn and compared."""
    if unit == "%":
        return "rate"
    if unit in ("万元", "亿元", "元"):
        return "money"
    return "count"


def axis_label(measure: str, unit: str, lang: str = "zh") -> str:
    """The value axis's label for a measure in a unit: 数量（家）, 金额（亿元）, 比率（%）."""
    return words(lang).labels[f"axis_{measure}"].format(unit=unit)


# ---------------------------------------------------------------------------------------
# Changes on the year before
# ---------------------------------------------------------------------------------------


def change_phrase(
    value: float | None, previous: float | None, unit: str, lang: str = "zh"
) -> str | None:
    """Returns the year-on-year phrase (较上年增加8家, 同比增长12.3%, 较上年提高3.2个百分点), or None.

    None when either value is missing (no data is never zero). Counts change by their
    difference, money by percent, rates by percentage points (docs/indicators.md); money from
    zero is 实现零的突破.
    """
    if missing(previous) or missing(value):
        return None
    changes = words(lang).changes
    measure = measure_of(unit)
    diff = float(value) - float(previous)
    if abs(diff) < 1e-9:
        return changes[("any", "flat")]
    direction = "up" if diff > 0 else "down"
    if measure == "count":
        diff_text = whole(abs(diff)) + (unit if lang == "zh" else "")
        return changes[("count", direction)].format(diff=diff_text)
    if measure == "rate":
        return changes[("rate", direction)].format(pp=f"{abs(diff):.1f}")
    if previous == 0:
        return changes[("money", "from_zero")]
    return changes[("money", direction)].format(pct=percent(100 * abs(diff) / abs(float(previous))))


def yoy_label(value: float, previous: float | None, measure: str, lang: str = "zh") -> str | None:
    """The short change written above a bar: +12.5%, -3.0个百分点, 持平; None without a base."""
    if missing(previous):
        return None
    labels = words(lang).labels
    diff = value - previous
    if abs(diff) < 1e-9:
        return labels["yoy_flat"]
    sign = "+" if diff > 0 else "-"
    if measure == "rate":
        return labels["yoy_pp"].format(sign=sign, pp=f"{abs(diff):.1f}")
    if previous == 0:
        return None
    return labels["yoy_pct"].format(sign=sign, pct=percent(100 * abs(diff) / abs(previous)))


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------


def label_of(value: Any) -> str:
    """A period label or category as text (Period objects by their label)."""
    return str(getattr(value, "label", value))


def parsed_period(label: Any):
    """The Period a label (or Period) names; None when it names none."""
    from innolib.errors import UsageError
    from innolib.periods import parse_period

    if label is None or missing(label):
        return None
    if hasattr(label, "wording") and hasattr(label, "year"):
        return label
    try:
        return parse_period(str(label))
    except UsageError:
        return None


def when_text(period: Any, lang: str = "zh") -> str:
    """Title prefix naming a period: 2025年, 2025年上半年, 2025年前三季度, 2025年截至10月31日.

    English: a phrase after the subject, ``, 2025``, ``, first half of 2025``, ``, 2025 Q3``,
    ``, 2025 (as of 31 October)``.
    """
    p = parsed_period(period)
    if p is None:
        return ""
    if lang == "en":
        return ", " + _period_en(p)
    return f"{p.year}年" if p.is_full_year and not p.clipped else f"{p.year}年{p.wording()}"


def _period_en(p) -> str:
    if p.is_full_year and not p.clipped:
        return str(p.year)
    if p.clipped:
        return f"{p.year} ({p.wording('en')})"
    if p.kind == "quarter":
        return f"{p.year} Q{p.number}"
    return f"{p.wording('en').removeprefix('the ')} {'of ' if p.kind == 'half' else ''}{p.year}"


def period_tick(label: str, lang: str = "zh") -> str:
    """A period as an axis tick: 2025年, or 2025年 over 上半年 for a part of a year."""
    p = parsed_period(label)
    if p is None:
        return label
    if lang == "en":
        if p.is_full_year and not p.clipped:
            return str(p.year)
        return f"{p.year}\n{p.wording('en').removeprefix('the ')}"
    return f"{p.year}年" if p.is_full_year and not p.clipped else f"{p.year}年\n{p.wording()}"


def previous_of(label: str, by_label: Mapping[str, tuple[float, str]]) -> float | None:
    """The publishable value of the same period a year earlier, if that period is among the data."""
    p = parsed_period(label)
    if p is None:
        return None
    found = by_label.get(p.previous_year().label)
    if found is None or found[1] != "ok":
        return None
    return found[0]
