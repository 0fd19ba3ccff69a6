"""Numbers as text: money (万元/亿元, 约/余; CNY million in English), counts, rates, dates.

One rounding everywhere: half up on the decimal value of the float (``Decimal(repr(x))``),
so 58.95 reads 59.0 in a table and 59% in prose, never 58.9 in one and 59.0 in another.
Tables and prose share the step: rates and percent changes to 0.1, money in a table to
0.1万元 (0.01 CNY million in English); the prose may write fewer decimals when a template
asks (``d0``), and drops a trailing ``.0`` (``59%``, not ``59.0%``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from innolib.present.vocabulary import words
from innolib.registry import MONEY_UNIT, RATE_UNIT

#: decimals of a rate, a percent change or percentage points, in tables and (by default) prose
RATE_DECIMALS = 1
#: decimals of money in tables: 万元 (zh), CNY million (en: value ÷ 100)
MONEY_DECIMALS = {"zh": 1, "en": 2}
#: 万元 per CNY million
WAN_PER_MILLION = 100
#: 万元 per 亿元: money from this amount up is written (and drawn) in 亿元
WAN_PER_YI = 10_000


def _dec(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def rounded(value: float, decimals: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` rounded to ``decimals`` (half up, on its decimal form)."""
    return _quantize(value, Decimal(1).scaleb(-decimals), rounding)


def _quantize(value: float, step: Decimal, rounding: str) -> Decimal:
    return (_dec(value) / step).to_integral_value(rounding=rounding) * step


def _plain(d: Decimal, decimals: int, thousands: str = "") -> str:
    """``d`` with at most ``decimals`` decimals, trailing zeros stripped."""
    text = f"{d:,.{decimals}f}" if thousands else f"{d:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_money(value: float, style: str = "exact", lang: str = "zh") -> str:
    """A sum in 万元 as prose writes it.

    ``style``: ``exact`` (亿元 with up to two decimals from 1亿 up, whole 万元 below:
    ``4.73亿元``, ``836万元``), ``about`` (rounded to 0.1亿, or two significant figures
    below 1亿, with 约: ``约4.5亿元``) or ``floor`` (cut down to the same step, with 余 when
    something was cut: ``4.7亿余元``, ``830余万元``). English writes CNY million
    (``CNY 473 million``, ``about CNY 450 million``).
    """
    voc = words(lang)
    value = float(value)
    if style == "exact":
        step = Decimal(100) if abs(value) >= 9999.5 else Decimal(1)
        amount = _quantize(value, step, ROUND_HALF_UP)
    elif style in ("about", "floor"):
        if abs(value) >= 10000:
            step = Decimal(1000)
        else:
            digits = max(len(str(int(abs(value)))) - 2, 0)
            step = Decimal(10) ** digits
        amount = _quantize(value, step, ROUND_HALF_UP if style == "about" else ROUND_FLOOR)
        if style == "about" and abs(amount) >= 10000:
            step = max(step, Decimal(1000))
            amount = _quantize(value, step, ROUND_HALF_UP)
    else:
        raise ValueError(f"unknown money style {style!r}")
    big = abs(amount) >= 10000
    if lang == "en":
        number = _plain(
            amount / WAN_PER_MILLION, max(0, 2 - len(str(int(step))) + 1), voc["thousands"]
        )
        key = "money_yi"
    else:
        number = _plain(amount / 10000, 4, "") if big else _plain(amount, 0, "")
        key = "money_yi" if big else "money_wan"
    if style == "floor" and _dec(value) != amount:
        return voc["floor_yi" if big else "floor_wan"].format(n=number)
    plain = voc[key].format(n=number)
    if style == "about":
        return voc["about"].format(x=plain)
    return plain


def format_count(
    value: float, measure_word: str = "", lang: str = "zh", numerals: bool = False
) -> str:
    """A count with its measure word: ``106家``; ``numerals`` writes 0–10 in words (``两批``)."""
    voc = words(lang)
    n = int(round(float(value)))
    if numerals and 0 <= n <= 10:
        number = voc["numerals"][n]
    else:
        number = f"{n:,}" if voc["thousands"] else str(n)
    return voc["count"].format(n=number, mw=measure_word if lang == "zh" else "")


def format_rate(value: float, decimals: int = RATE_DECIMALS, lang: str = "zh") -> str:
    """A rate in percent for prose: ``59%`` (58.97, one decimal, ``.0`` dropped), ``58.9%``."""
    return words(lang)["rate"].format(n=_plain(rounded(value, decimals), decimals))


def format_date(day: dt.date, lang: str = "zh") -> str:
    """``2025年10月31日`` / ``31 October 2025``."""
    voc = words(lang)
    return voc["date"].format(y=day.year, m=day.month, d=day.day, month=day.strftime("%B"))


def ordinal_word(n: int, lang: str = "zh") -> str:
    """一, 二, 三 … (zh) or First, Second … (en): the ordinal of 一是/二是 and 一、二、."""
    return words(lang)["ordinals"][n - 1]


def rank_word(n: int, lang: str = "zh") -> str:
    """A rank as a sentence writes it after 第 / in English: 一 … 十九 in Chinese numerals
    (二十 and beyond in digits: 20), ``1st``, ``2nd``, ``3rd``, ``11th``, ``21st``."""
    if lang == "en":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    tens = words(lang)["ordinals"]  # 一 … 十
    if 1 <= n <= 10:
        return tens[n - 1]
    if 11 <= n <= 19:
        return tens[9] + tens[n - 11]
    return str(n)


def table_number(value: float, unit: str, lang: str = "zh") -> str:
    """A value as a table cell: counts whole with separators (``1,234``), rates to 0.1
    (``59.0``), money to 0.1万元 (``45,027.0``) or, in English, 0.01 CNY million (``450.27``)."""
    if unit == RATE_UNIT:
        return f"{rounded(value, RATE_DECIMALS):.{RATE_DECIMALS}f}"
    if unit == MONEY_UNIT:
        decimals = MONEY_DECIMALS[lang]
        amount = float(value) / (WAN_PER_MILLION if lang == "en" else 1)
        return f"{rounded(amount, decimals):,.{decimals}f}"
    return f"{int(rounded(value, 0)):,d}"


def format_number(
    value: float, decimals: int = 0, *, fixed: bool = False, thousands: bool = False
) -> str:
    """A bare number (no unit), half up to ``decimals``: trailing zeros dropped (``0.5``,
    ``3``) unless ``fixed`` (an index to two decimals: ``0.70``); ``thousands`` separates
    thousands with commas (``45,026.97``)."""
    q = rounded(value, decimals)
    if fixed:
        return f"{q:,.{decimals}f}" if thousands else f"{q:.{decimals}f}"
    return _plain(q, decimals, "," if thousands else "")


def format_value(value: float, unit: str, lang: str = "zh", unit_en: str | None = None) -> str:
    """A value with its unit as prose (a chart title) writes it: money by ``format_money``
    (``4.74亿元``), a rate by ``format_rate`` (``59%``), a count with its measure word
    (``106家``; English: the number and ``unit_en``, ``106 enterprises``)."""
    if unit == MONEY_UNIT:
        return format_money(value, "exact", lang)
    if unit == RATE_UNIT:
        return format_rate(value, lang=lang)
    if lang == "en":
        number = format_count(value, "", lang)
        return f"{number} {unit_en}" if unit_en else number
    return format_count(value, unit, lang)


def rate_cell(value: float, lang: str = "zh") -> str:
    """A rate or share as a label beside a bar: the table's 0.1 step, the decimal always
    written (``38.1%``, ``20.0%``), so that labels side by side line up."""
    return words(lang)["rate"].format(n=table_number(value, RATE_UNIT, lang))


def money_scale(values_wan: Iterable[float], lang: str = "zh") -> tuple[float, str]:
    """``(divisor, unit)`` for an axis of sums in 万元: 亿元 when the largest reaches 1亿元,
    else 万元; English: CNY million throughout (100万元 = CNY 1 million). Missing values
    (None, NaN) are ignored."""
    voc = words(lang)
    if lang == "en":
        return float(WAN_PER_MILLION), voc["money_unit"]
    finite = [abs(float(v)) for v in values_wan if v is not None and v == v]
    if finite and max(finite) >= WAN_PER_YI:
        return float(WAN_PER_YI), voc["money_unit_yi"]
    return 1.0, voc["money_unit"]


def scaled_money_cell(value: float) -> str:
    """A sum already divided into its axis unit (``money_scale``), as a bar label: two
    decimals below 100 (``4.74`` 亿元, ``8.36`` CNY million), whole with thousands
    separators from 100 (``2,860`` 万元)."""
    decimals = 2 if abs(value) < 100 else 0
    return f"{rounded(value, decimals):,.{decimals}f}"
