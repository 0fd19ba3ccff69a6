"""Evaluation: the rows behind an indicator (``_select``), one value from them
(``_aggregate``), the year-on-year value, and the public ``compute_*`` and ``trend``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from innolib.coverage import Coverage, coverage, coverage_warnings
from innolib.errors import UsageError
from innolib.indicators.columns import _Columns, _truths
from innolib.indicators.results import NO_DATA, OK, IndicatorSet, IndicatorValue
from innolib.indicators.rules import (
    _ever_certified_positions,
    _platform_positions,
    _survey_positions,
    _valid_certificate_positions,
    effective_period,
)
from innolib.package import Package
from innolib.periods import Period, year_period
from innolib.registry import IndicatorDef, enterprise_column, indicator_def, load_registry


class _NoData(Exception):
    """An indicator cannot be evaluated for this period (the reason, in Chinese)."""


class _Selection:
    """The rows behind one indicator value: ``positions`` in ``table``, bearer column ``who``
    (None if none) and measured ``column``.

    ``uscc`` (bearers, None where none) and ``x`` (the measured values) are arrays built
    only when asked for: a count or a sum over millions of contracts needs no bearer
    names. ``measure`` says how the rows aggregate: count, distinct_uscc, distinct (of
    x), sum (of x), share (percent of rows with x true), count_true (rows with x true).
    """

    def __init__(
        self,
        cols: _Columns,
        table: str,
        positions: np.ndarray,
        who: str | None,
        column: str | None,
        measure: str,
    ):
        self.cols, self.table, self.positions = cols, table, positions
        self.who, self.column, self.measure = who, column, measure

    def __len__(self) -> int:
        return len(self.positions)

    def _values(self, column: str | None) -> np.ndarray:
        if column is None:
            return np.full(len(self.positions), None, dtype=object)
        return self.cols.array(self.table, column)[self.positions]

    @functools.cached_property
    def uscc(self) -> np.ndarray:
        return self._values(self.who)

    @functools.cached_property
    def x(self) -> np.ndarray:
        return self._values(self.column)

    def distinct(self, column: str | None) -> int:
        """Distinct non-empty values of the bearer or measured column over these rows."""
        return self.cols.distinct(self.table, column, self.positions) if column else 0

    def subset(self, mask: np.ndarray) -> _Selection:
        """The rows of this selection where ``mask`` (aligned with its rows) is true."""
        return _Selection(
            self.cols, self.table, self.positions[mask], self.who, self.column, self.measure
        )

    @property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"uscc": self.uscc, "x": self.x})


def _require(package: Package, defn: IndicatorDef) -> None:
    missing = [t for t in defn.sources if not package.has(t)]
    if missing:
        raise _NoData("缺少数据表" + "、".join(missing))


def _records_start(cols: _Columns, table: str, column: str) -> dt.date | None:
    """The earliest date in ``table.column``: where the package's records of that table begin."""

    def first() -> dt.date | None:
        earliest = cols.package[table][column].min()
        return None if pd.isna(earliest) else pd.Timestamp(earliest).date()

    return cols._memo(("records_start", table, column), first)


def _require_records(cols: _Columns, table: str, column: str, period: Period) -> None:
    """No data for a period that ends before the table's records begin.

    A ledger kept since 2021 says nothing about 2019: its flows and stocks there are
    unknown, not zero (a trend chart would otherwise show a 实现零的突破 that never was).
    """
    start = _records_start(cols, table, column)
    if start is None or period.end < start:
        raise _NoData(f"{table}的记录始于{start}，早于报告期结束日{period.end}")


def _split_measure(measure: str) -> tuple[str, str | None]:
    name, _, column = measure.partition(":")
    return name, column or None


def _rows(
    cols: _Columns,
    table: str,
    positions: np.ndarray,
    who: str | None,
    column: str | None,
    measure: str,
) -> _Selection:
    """The selection of ``positions`` of ``table``: bearer column ``who``, measured ``column``."""
    return _Selection(cols, table, positions, who, column, measure)


def _coverage(cols: _Columns) -> Coverage:
    return cols._memo(("coverage",), lambda: coverage(cols.package))


def _select(cols: _Columns, defn: IndicatorDef, period: Period) -> _Selection:
    """The rows behind ``defn`` for the (clipped) period; raises ``_NoData``."""
    _require(cols.package, defn)
    if not _coverage(cols).covers(period.start):
        raise _NoData(f"报告期晚于数据覆盖范围（截至{_coverage(cols).end}）")
    rule = defn.compute
    method = rule["method"]
    if method == "rows":
        table = rule["table"]
        _require_records(cols, table, rule["date"], period)
        mask = cols.where(table, rule.get("where"), rule.get("contains")) & cols.between(
            table, rule["date"], period.start, period.end
        )
        if "positive" in rule:
            mask = mask & cols.positive(table, rule["positive"])
        name, column = _split_measure(rule["measure"])
        return _rows(cols, table, np.flatnonzero(mask), enterprise_column(table), column, name)
    if method == "participants":
        _require_records(cols, "activities", "date", period)
        acts = cols.where("activities", rule.get("where")) & cols.between(
            "activities", "date", period.start, period.end
        )
        wanted = cols.selected("activities", "activity_id", acts)
        ents = cols.selected(
            "enterprises", "uscc", cols.where("enterprises", rule.get("enterprise_where"))
        )
        positions = np.flatnonzero(cols.member("activity_participants", "activity_id", wanted))
        positions = positions[cols.member("activity_participants", "uscc", ents, positions)]
        return _rows(cols, "activity_participants", positions, "uscc", None, "distinct_uscc")
    if method == "certificates":
        _require_records(cols, "certifications", "date", period)
        positions = _valid_certificate_positions(cols, rule["tier"], period.end)
        return _rows(cols, "certifications", positions, "uscc", None, "distinct_uscc")
    if method == "ever_certified":
        _require_records(cols, "certifications", "date", period)
        positions = _ever_certified_positions(cols, rule["tier"], period.end)
        return _rows(cols, "certifications", positions, "uscc", None, "distinct_uscc")
    if method == "platforms":
        _require_records(cols, "platforms", "approved", period)
        positions = _platform_positions(cols, period.end, rule.get("level"))
        return _rows(cols, "platforms", positions, "uscc", None, "count")
    if method == "survey":
        if not period.ends_on_year_end:
            raise _NoData("年度调查数据只适用于截至12月31日的报告期")
        if not (cols.package["rd_survey"]["year"] == period.year).any():
            raise _NoData(f"研发投入调查没有{period.year}年的数据")
        positions = _survey_positions(cols, period.year, rule["classes"])
        name, column = _split_measure(rule["measure"])
        return _rows(cols, "rd_survey", positions, "uscc", column, name)
    raise UsageError(
        f"未知的计算方法{method}（{defn.id}）", f"unknown compute method {method} ({defn.id})"
    )


def _aggregate(selection: _Selection, defn: IndicatorDef) -> int | float | None:
    """One value from the selected rows; None for a rate over no rows."""
    measure = selection.measure
    if measure == "count":
        return len(selection)
    if measure == "distinct_uscc":
        return selection.distinct(selection.who)
    if measure == "distinct":
        return selection.distinct(selection.column)
    x = selection.x
    if measure == "count_true":
        return _truths(x)
    if measure == "share":
        if len(x) == 0:
            return None
        return float(100.0 * _truths(x) / len(x))
    if measure == "sum":
        total = float(np.nansum(pd.to_numeric(x, errors="coerce").astype(float))) if len(x) else 0.0
        return round(total, 4) if defn.is_money else int(total)
    raise UsageError(
        f"未知的汇总方式{measure}（{defn.id}）", f"unknown measure {measure} ({defn.id})"
    )


def _evaluate(cols: _Columns, defn: IndicatorDef, period: Period) -> tuple[int | float | None, str]:
    try:
        selection = _select(cols, defn, period)
    except _NoData:
        return None, NO_DATA
    value = _aggregate(selection, defn)
    return (value, OK) if value is not None else (None, NO_DATA)


def _change(
    defn: IndicatorDef, value: int | float | None, previous: int | float | None
) -> float | None:
    if value is None or previous is None:
        return None
    if defn.is_rate:
        return float(value - previous)
    if previous == 0:
        return None
    return float((value - previous) / abs(previous) * 100.0)


def _indicator_value(
    cols: _Columns, defn: IndicatorDef, period: Period, previous_period: Period
) -> IndicatorValue:
    value, status = _evaluate(cols, defn, period)
    cover = _coverage(cols)
    if defn.kind in ("stock", "cumulative") and not cover.covers(period.start):
        return _stock_as_of_coverage_end(cols, defn, cover.end)
    previous, previous_status = _evaluate(cols, defn, previous_period)
    change = _change(defn, value, previous)
    return IndicatorValue(
        id=defn.id,
        value=value,
        unit=defn.unit,
        kind=defn.kind,
        status=status,
        previous=previous,
        change=change,
        change_unit=defn.change_unit if change is not None else None,
        previous_status=previous_status,
    )


def _stock_as_of_coverage_end(cols: _Columns, defn: IndicatorDef, end: dt.date) -> IndicatorValue:
    """A stock of a period beyond the data: its value on the coverage end, with that date
    (``as_of``); no 上年同期 and no change (they would compare a day with itself)."""
    value, status = _evaluate(cols, defn, year_period(end.year).clip(end))
    return IndicatorValue(
        id=defn.id,
        value=value,
        unit=defn.unit,
        kind=defn.kind,
        status=status,
        previous_status=NO_DATA,
        as_of=end if status == OK else None,
    )


def compute_indicators(
    package: Package, period: Period, ids: Iterable[str] | None = None
) -> IndicatorSet:
    """Every indicator of the registry (or ``ids``) for the period, with year-on-year change."""
    period = effective_period(package, period)
    previous_period = period.previous_year()
    defs = load_registry()
    wanted = list(defs) if ids is None else [indicator_def(i).id for i in ids]
    cols = _Columns(package)
    values = {i: _indicator_value(cols, defs[i], period, previous_period) for i in wanted}
    cover = _coverage(cols)
    return IndicatorSet(
        district=package.district,
        period=period,
        values=values,
        warnings=coverage_warnings(cover, period.start),
        coverage_end=cover.end,
    )


def compute_indicator(package: Package, indicator_id: str, period: Period) -> IndicatorValue:
    """One indicator for the period, with ``previous`` and ``change``."""
    period = effective_period(package, period)
    return _indicator_value(
        _Columns(package), indicator_def(indicator_id), period, period.previous_year()
    )


def trend(package: Package, indicator_id: str, periods: Iterable[Period]) -> pd.DataFrame:
    """One indicator over several periods: DataFrame[period, value, status] (value NA if no data).

    ``periods``: ``Period`` objects (``period.recent(5)``, ``parse_periods("2021..2025")``).
    """
    if isinstance(periods, (str, Period)):
        raise TypeError(f"periods must be a list of Period, not {periods!r}")
    defn = indicator_def(indicator_id)
    rows, cols = [], _Columns(package)
    for p in periods:
        p = effective_period(package, p)
        value, status = _evaluate(cols, defn, p)
        rows.append({"period": p.label, "value": value, "status": status})
    frame = pd.DataFrame(rows, columns=["period", "value", "status"])
    frame.attrs["district"] = package.district  # the charts name the indicator for it
    frame["value"] = frame["value"].astype("Float64" if defn.is_rate or defn.is_money else "Int64")
    return frame


def selected_rows(package: Package, indicator_id: str, period: Period) -> pd.DataFrame:
    """The rows behind an indicator's value for the period: the rule engine's own selection
    (its table, date column, ``where``, ``contains``; the participant rows for
    ``participants``), so that code citing the rows (the narrative's example names) never
    re-implements a rule. Empty when the indicator has no data for the period."""
    try:
        selection = _select(
            _Columns(package), indicator_def(indicator_id), effective_period(package, period)
        )
    except _NoData:
        return pd.DataFrame()
    return package[selection.table].iloc[selection.positions]
