"""What a chart writes for a value or a period: which form of the presentation layer it takes.

Numbers and changes are written by ``innolib.present`` alone (one rounding, THE change
rule, the money units): titles take its prose forms (``format_value``, ``change_phrase``,
``format_rate``), labels beside bars its cell forms (``table_number``, ``rate_cell``,
``change_cell``). This module only chooses between them by what is drawn (a count, a sum
or a rate) and turns periods into title prefixes and axis ticks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from innolib.charts.wording import words
from innolib.present.changes import change_cell, change_of, change_phrase
from innolib.present.numbers import rate_cell, scaled_money_cell, table_number
from innolib.registry import MONEY_UNIT, RATE_UNIT


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
# Numbers and changes: chosen here by what a chart draws, written by innolib.present
# ---------------------------------------------------------------------------------------


def measure_of(unit: str) -> str:
    """count, money or rate: how a unit's values are drawn (bars or a line) and scaled."""
    if unit == RATE_UNIT:
        return "rate"
    if unit == MONEY_UNIT:
        return "money"
    return "count"


def axis_label(measure: str, unit: str, lang: str = "zh") -> str:
    """The value axis's label for a measure in a unit: 数量（家）, 金额（亿元）, 比率（%）."""
    return words(lang).labels[f"axis_{measure}"].format(unit=unit)


def bar_label(value: float, measure: str, unit: str, lang: str = "zh") -> str:
    """A value already in the axis unit, as its bar label (no unit: the axis says it): a
    count as a table cell (``1,234``), a rate with its decimal (``59.0%``), a sum in the
    axis's 亿元/万元/CNY million (``4.74``, ``2,860``)."""
    if measure == "rate":
        return rate_cell(value, lang)
    if measure == "money":
        return scaled_money_cell(value)
    return table_number(value, unit, lang)


def change_label(value: float, previous: float | None, unit: str, lang: str = "zh") -> str | None:
    """The short change written above a bar, by THE rule (``innolib.present.changes``):
    ``+8.2%``, ``+1家``, ``-3.0个百分点``, ``持平``; None without a publishable base."""
    return change_cell(change_of(unit, value, None if missing(previous) else previous), lang)


def change_words(
    value: float, previous: float | None, unit: str, lang: str = "zh", label: Any = None
) -> str | None:
    """The change as a title writes it, by THE rule: ``同比增长8.2%``, ``较上年增加2家``,
    ``较上年提高3.9个百分点``, ``与上年持平``; None when either value is missing. ``label``:
    the period's label; a part-year (``2025Q2``, ``2025H1``) compares with 上年同期."""
    if missing(value) or missing(previous):
        return None
    part_year = label is not None and not re.fullmatch(r"\d{4}", str(label))
    return change_phrase(change_of(unit, value, previous), lang, same_period=part_year)


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
