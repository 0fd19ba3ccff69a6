"""Reporting periods: ``2025``, ``2025H1``, ``2025Q3``, ``2025M09`` and ranges of them.

A period is a closed date interval with a label and a kind. Year-on-year compares the
same period of the previous year. A package's ``cutoff`` clips a period whose end is
later (flows count up to the cutoff, stocks are evaluated on it, prose says 截至X月X日).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from innolib.errors import UsageError

_PATTERN = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4])|(M)(0[1-9]|1[0-2]))?$")
_CN_ORDINAL = "一二三四五六七八九十"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A reporting period. ``kind``: year, half, quarter or ytd (1 January to a month's end).

    ``end`` is the effective end: the nominal end, or the package's cutoff when earlier
    (``clip``); ``nominal_end`` keeps the calendar end.
    """

    label: str
    kind: str
    year: int
    start: dt.date
    end: dt.date
    nominal_end: dt.date
    number: int = 0  # half (1-2), quarter (1-4) or month (1-12); 0 for a year

    @property
    def clipped(self) -> bool:
        """Whether a cutoff moved the end before the calendar end."""
        return self.end < self.nominal_end

    @property
    def is_full_year(self) -> bool:
        return self.kind == "year" or (self.kind == "ytd" and self.number == 12)

    @property
    def ends_on_year_end(self) -> bool:
        """Annual survey values apply only to periods ending on 31 December (unclipped)."""
        return self.end == dt.date(self.year, 12, 31)

    def shift(self, years: int) -> Period:
        """The same period ``years`` later (earlier when negative), clipped the same way:
        ``2025Q3`` → ``2024Q3`` for -1; a period clipped on 31 October ends on 31 October."""
        moved = _period(self.kind, self.year + years, self.number)
        if self.clipped:
            moved = moved.clip(_same_day_years_later(self.end, years))
        return moved

    def previous_year(self) -> Period:
        """The year-on-year base (上年同期): ``shift(-1)``."""
        return self.shift(-1)

    def recent(self, years: int) -> list[Period]:
        """The same period in each of the last ``years`` years, oldest first, this one last
        (``2025Q3`` → 2021Q3 … 2025Q3 for 5): the x axis of a trend."""
        return [self.shift(-k) for k in range(years - 1, -1, -1)]

    def clip(self, cutoff: dt.date | None) -> Period:
        """This period ended at ``cutoff`` when the cutoff falls before its end."""
        if cutoff is None or cutoff >= self.nominal_end:
            return self
        if cutoff < self.start:
            raise UsageError(
                f"数据截止日期{cutoff.isoformat()}早于报告期{self.label}的开始日期",
                f"the data cutoff {cutoff.isoformat()} is before the start of period {self.label}",
            )
        return replace(self, end=cutoff)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def wording(self, lang: str = "zh") -> str:
        """How a bulletin names the period: 全年, 上半年, 第三季度, 前三季度, 1—8月, 截至10月31日."""
        if lang == "en":
            return _wording_en(self)
        if self.clipped:
            return f"截至{self.end.month}月{self.end.day}日"
        if self.kind == "year":
            return "全年"
        if self.kind == "half":
            return "上半年" if self.number == 1 else "下半年"
        if self.kind == "quarter":
            return f"第{_CN_ORDINAL[self.number - 1]}季度"
        if self.number in (3, 6, 9):
            return {3: "第一季度", 6: "上半年", 9: "前三季度"}[self.number]
        if self.number == 12:
            return "全年"
        return f"1—{self.number}月"

    def __str__(self) -> str:
        return self.label


def _wording_en(p: Period) -> str:
    if p.clipped:
        return f"as of {p.end.strftime('%d %B').lstrip('0')}"
    if p.kind == "year":
        return "the full year"
    if p.kind == "half":
        return "the first half" if p.number == 1 else "the second half"
    if p.kind == "quarter":
        return f"Q{p.number}"
    if p.number == 12:
        return "the full year"
    return f"January–{calendar.month_name[p.number]}"


def _same_day_years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _period(kind: str, year: int, number: int) -> Period:
    """The (unclipped) period of ``kind`` number ``number`` in ``year``; its label is built, not sliced."""
    if not 1900 <= year <= 2100:
        raise UsageError(f"报告期年份超出范围：{year}", f"period year out of range: {year}")
    if kind == "half":
        start, end = dt.date(year, 6 * number - 5, 1), _month_end(year, 6 * number)
    elif kind == "quarter":
        start, end = dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number)
    elif kind == "ytd":
        start, end = dt.date(year, 1, 1), _month_end(year, number)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    suffix = {"half": f"H{number}", "quarter": f"Q{number}", "ytd": f"M{number:02d}"}
    label = f"{year}{suffix.get(kind, '')}"
    return Period(
        label=label, kind=kind, year=year, start=start, end=end, nominal_end=end, number=number
    )


def year_period(year: int) -> Period:
    """The calendar year ``year`` as a ``Period`` (a number, not a label to parse)."""
    return _period("year", int(year), 0)


def require_period(period: object, name: str = "period") -> Period:
    """``period`` when it is a ``Period``; a ``TypeError`` otherwise.

    Labels (``"2025"``) are parsed once, at the edge (the CLI, a notebook's ``il.*`` call,
    the batch plan); every function below takes the ``Period`` it is given.
    """
    if not isinstance(period, Period):
        raise TypeError(
            f"{name} must be a Period, not {type(period).__name__} {period!r}: parse labels at "
            "the edge (innolib.parse_period, or the il.* functions)"
        )
    return period


def parse_period(text: str) -> Period:
    """The period a label names: ``2025``, ``2025H1``, ``2025Q3``, ``2025M09``.

    Raises ``UsageError`` (one bilingual line) for anything else, including ranges.
    """
    label = str(text).strip().upper()
    match = _PATTERN.match(label)
    if not match:
        raise UsageError(
            f"无法识别的报告期“{text}”：应为2025、2025H1、2025Q3或2025M09",
            f"unknown period '{text}': expected 2025, 2025H1, 2025Q3 or 2025M09",
        )
    year = int(match.group(1))
    if not 1900 <= year <= 2100:
        raise UsageError(f"报告期年份超出范围：{text}", f"period year out of range: {text}")
    for kind, group in (("half", 3), ("quarter", 5), ("ytd", 7)):
        if match.group(group):
            return _period(kind, year, int(match.group(group)))
    return _period("year", year, 0)


def parse_periods(text: str) -> list[Period]:
    """A period or a range of periods of one kind: ``2021..2025``, ``2025Q1..2025Q4``, ``2024H1..2025H2``."""
    text = str(text).strip()
    if ".." not in text:
        return [parse_period(text)]
    first_text, _, last_text = text.partition("..")
    first, last = parse_period(first_text), parse_period(last_text)
    if first.kind != last.kind:
        raise UsageError(
            f"区间两端的报告期类型不同：{text}", f"a range must join periods of one kind: {text}"
        )
    if (last.year, last.number) < (first.year, first.number):
        raise UsageError(f"区间的终点早于起点：{text}", f"range ends before it starts: {text}")
    per_year = {"year": 1, "half": 2, "quarter": 4, "ytd": 12}[first.kind]
    out, year, n = [], first.year, first.number
    while (year, n) <= (last.year, last.number):
        out.append(_period(first.kind, year, n))
        if per_year == 1:
            year += 1
        else:
            n += 1
            if n > per_year:
                year, n = year + 1, 1
    return out


def parse_year_range(text: str) -> list[int]:
    """Years from ``2021..2025`` or ``2025`` (for ``synth --years``)."""
    periods = parse_periods(text)
    if any(p.kind != "year" for p in periods):
        raise UsageError(
            f"--years 只接受年份或年份区间：{text}", f"--years takes years or a year range: {text}"
        )
    return [p.year for p in periods]
