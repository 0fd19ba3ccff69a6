"""Year-on-year: THE rule for which change a kind of indicator gets, and its wording.

The rule (``change_of``), by the indicator's unit and last year's value:

- a **rate** (unit ``%``) gets the difference in percentage points (58.97% after 55.26%:
  +3.7 个百分点);
- a **count** (家, 项, 批, 次, 人) gets the difference in its unit when last year's count
  is below ``SMALL_BASE`` (10): 2 after 1 is "+1家", not "+100.0%" (a percent of a
  handful says more about the base than the change); from 10 up, the percent change;
- **money** (万元) gets the percent change; the difference in 万元 when last year was 0
  (no percent of nothing).

No change when either value is missing. Tables, prose, charts and the fact-checker use
this rule; ``IndicatorValue.change`` (percent, or points for a rate) stays in the
indicators document for machines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from innolib.present.numbers import (
    RATE_DECIMALS,
    _plain,
    format_count,
    format_money,
    rounded,
    table_number,
)
from innolib.present.vocabulary import words
from innolib.registry import COUNT_UNITS, MONEY_UNIT, RATE_UNIT

#: a count below this a year earlier changes by its difference, not by a percent
SMALL_BASE = 10

PCT, PP, ABS = "pct", "pp", "abs"


@dataclass(frozen=True)
class Change:
    """A year-on-year change: ``kind`` ``pct`` (percent), ``pp`` (percentage points) or
    ``abs`` (difference in the indicator's ``unit``); ``amount`` signed."""

    kind: str
    amount: float
    unit: str

    @property
    def direction(self) -> str:
        """``up``, ``down`` or ``flat`` (flat when it rounds to zero as written)."""
        decimals = 0 if self.kind == ABS and self.unit in COUNT_UNITS else RATE_DECIMALS
        if rounded(abs(self.amount), decimals) == 0:
            return "flat"
        return "up" if self.amount > 0 else "down"


def change_of(unit: str, value: Any, previous: Any) -> Change | None:
    """The change the rule gives an indicator of ``unit`` from ``previous`` to ``value``."""
    if value is None or previous is None or value != value or previous != previous:
        return None
    value, previous = float(value), float(previous)
    if unit == RATE_UNIT:
        return Change(PP, value - previous, unit)
    if (unit in COUNT_UNITS and abs(previous) < SMALL_BASE) or previous == 0:
        return Change(ABS, value - previous, unit)
    return Change(PCT, (value - previous) / abs(previous) * 100.0, unit)


def change_cell(change: Change | None, lang: str = "zh") -> str | None:
    """The change as a table cell (``+13.9%``, ``+3.7个百分点``, ``+1家``, ``持平``); None
    when there is no change (the caller writes the right marker)."""
    if change is None:
        return None
    voc = words(lang)
    if change.direction == "flat":
        return voc["cell_flat"]
    sign = "+" if change.amount > 0 else "-"
    if change.kind == ABS:
        number = table_number(abs(change.amount), change.unit, lang)
        unit = change.unit if lang == "zh" else ""
        return sign + voc["cell_abs"].format(n=number, unit=unit)
    number = f"{rounded(abs(change.amount), RATE_DECIMALS):.{RATE_DECIMALS}f}"
    return sign + voc[f"cell_{change.kind}"].format(n=number)


def base_word(lang: str = "zh", same_period: bool = False) -> str:
    """What a change is measured against: 上年 for a full year, 上年同期 for a part-year
    (a half, a quarter, months to date, a clipped year) — docs/prose.md."""
    return words(lang)["base_same_period" if same_period else "base_year"]


def format_change(
    change: float, kind: str, lang: str = "zh", decimals: int = 1, *, same_period: bool = False
) -> str:
    """A change of ``kind`` ``pct`` or ``pp`` as prose: ``同比增长12.3%`` / ``同比下降4.1%`` or
    ``较上年提高3.2个百分点`` (``pp``); ``与上年持平`` when it rounds to zero. ``same_period``:
    a part-year's change, against 上年同期 (``较上年同期提高…``)."""
    voc = words(lang)
    base = base_word(lang, same_period)
    q = rounded(abs(float(change)), decimals)
    suffix = "pp" if kind == PP else "pct"
    if q == 0:
        return voc[f"flat_{suffix}"].format(base=base)
    direction = "up" if change > 0 else "down"
    return voc[f"{direction}_{suffix}"].format(n=_plain(q, decimals), base=base)


def change_phrase(
    change: Change | None, lang: str = "zh", *, same_period: bool = False
) -> str | None:
    """Any change THE rule gives, as prose: ``同比增长8.2%`` (pct), ``较上年提高3.9个百分点``
    (pp), ``较上年增加2家`` / ``较上年增加500万元`` (abs, the difference in the indicator's
    unit), ``与上年持平`` when it rounds to zero as written; None without a change.
    English: ``up 8.2% year on year``, ``2 more than a year earlier``. ``same_period``: a
    part-year's change (上年同期)."""
    if change is None:
        return None
    if change.kind != ABS:
        return format_change(change.amount, change.kind, lang, same_period=same_period)
    voc = words(lang)
    base = base_word(lang, same_period)
    if change.direction == "flat":
        return voc["flat_abs"].format(base=base)
    size = abs(change.amount)
    if change.unit == MONEY_UNIT:
        amount = format_money(size, "exact", lang)
    else:
        amount = format_count(size, change.unit, lang)
    return voc["up_abs" if change.amount > 0 else "down_abs"].format(x=amount, base=base)
