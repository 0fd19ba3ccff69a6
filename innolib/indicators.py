"""Indicators: (registry id, package, period) → value, previous, change, breakdowns.

Every published number is computed here, from the raw tables of a ``Package``, by the
rule its registry entry declares (``innolib/registry/indicators.yaml``, ``compute``).
The counting rules are those of INDICATORS.md:

- **flow**: rows of the named stage/type whose own date (``date``, ``registered``,
  ``approved``) lies in the period, bounds included; enterprises counted distinct by
  ``uscc``, events as rows;
- **stock**: what is in force on the period's end: a certificate recognised (认定) on
  or before it, ``valid_until`` on or after it (empty = no expiry), and no 撤销 of the
  same tier dated between that recognition and the end (a 撤销 on the day of a 认定
  ends it too; a later 认定 starts anew); a platform approved by the end and not revoked
  on or before it;
- **cumulative**: distinct enterprises ever 认定 up to the end;
- **annual**: rd_survey rows of the period's year, only when the (clipped) period ends
  on 31 December; a row's own ``above_scale`` overrides the enterprise's class.

A package's ``cutoff`` clips every period first (``Period.clip``). Status is ``ok`` or
``no_data`` (a source table is absent, an annual survey on a part-year period, or a rate
over an empty base); ``suppressed`` is applied later by the export layer, never here.
``previous`` is the same indicator for ``period.previous_year()``; ``change`` is percent
for counts and money (None when the base is 0 or missing), percentage points for rates.

Public helpers shared with ``innolib.analyses``: ``in_period``, ``rows_in_period``,
``valid_certificates``, ``ever_certified``, ``platforms_in_force``, ``survey_rows``,
``enterprise_attributes``.

Shared parameters (all public functions): ``package`` a loaded ``Package``; ``period`` a
``Period`` (never a label: labels are parsed once, at the edge — the CLI, the ``il.*``
functions, the batch plan), clipped here by the package's cutoff; ``indicator_id`` / ``id``
a registry id.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from innolib.errors import UsageError
from innolib.package import District, Package
from innolib.periods import Period, require_period
from innolib.registry import IndicatorDef, enterprise_column, indicator_def, load_registry

__all__ = [
    "IndicatorSet",
    "IndicatorValue",
    "breakdown",
    "compute_indicator",
    "compute_indicators",
    "contributions",
    "effective_period",
    "enterprise_attributes",
    "ever_certified",
    "in_period",
    "platforms_in_force",
    "rows_in_period",
    "survey_rows",
    "trend",
    "valid_certificates",
]

OK, NO_DATA, SUPPRESSED = "ok", "no_data", "suppressed"
UNASSIGNED = "（未归属）"
"""Breakdown label for rows whose bearer is not a district enterprise (or has no town/sector)."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator for one period: value (None unless status ``ok``), year-on-year.

    Counts are ``int``; money is ``float`` in 万元 (4 decimals); rates ``float`` percent,
    unrounded. ``change`` is percent (``change_unit`` ``%``) or percentage points (``pp``),
    None (with ``change_unit`` None) when either value is missing or the base is 0.
    """

    id: str
    value: int | float | None
    unit: str
    kind: str
    status: str
    previous: int | float | None = None
    change: float | None = None
    change_unit: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def definition(self) -> IndicatorDef:
        return indicator_def(self.id)

    def to_dict(self) -> dict[str, Any]:
        """The per-indicator object of the indicators document (INTERFACE.md)."""
        return {
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "status": self.status,
            "previous": self.previous,
            "change": self.change,
            "change_unit": self.change_unit,
        }


@dataclass
class IndicatorSet:
    """Indicators of one package for one period (already clipped by the cutoff).

    ``values`` keeps registry order. ``result["hnte.valid"].value``; ``result.value(id)``;
    ``result.section(1)``; ``result.to_document()`` is the JSON of INTERFACE.md.
    """

    district: District
    period: Period
    values: dict[str, IndicatorValue]

    def __getitem__(self, indicator_id: str) -> IndicatorValue:
        try:
            return self.values[indicator_id]
        except KeyError:
            indicator_def(indicator_id)  # unknown id: bilingual UsageError
            raise UsageError(
                f"本结果未计算指标{indicator_id}",
                f"indicator {indicator_id} was not computed in this result",
            ) from None

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.values

    def __iter__(self) -> Iterator[IndicatorValue]:
        return iter(self.values.values())

    def __len__(self) -> int:
        return len(self.values)

    def get(self, indicator_id: str) -> IndicatorValue | None:
        return self.values.get(indicator_id)

    def value(self, indicator_id: str) -> int | float | None:
        """The value of one indicator (None when not ``ok``)."""
        return self[indicator_id].value

    def definition(self, indicator_id: str) -> IndicatorDef:
        return indicator_def(indicator_id)

    def section(self, section: int) -> list[IndicatorValue]:
        """The values of one bulletin section (0 = the project's additions), registry order."""
        return [v for v in self if indicator_def(v.id).section == section]

    @property
    def cutoff(self) -> dt.date | None:
        return self.district.cutoff

    @property
    def previous_period(self) -> Period:
        """The year-on-year base every ``previous`` was computed for (上年同期)."""
        return self.period.previous_year()

    def to_document(self) -> dict[str, Any]:
        """The indicators document of INTERFACE.md (``indicators --json``, ``indicators.json``)."""
        d = self.district
        return {
            "district": {"id": d.id, "code": d.code, "name": d.name},
            "period": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "cutoff": d.cutoff.isoformat() if d.cutoff else None,
            "indicators": {v.id: v.to_dict() for v in self},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: id, section, name_zh, unit, kind, status, value, previous, change."""
        rows = []
        for v in self:
            defn = indicator_def(v.id)
            rows.append(
                {
                    "id": v.id,
                    "section": defn.section,
                    "name_zh": defn.name_zh,
                    "name_en": defn.name_en,
                    "unit": v.unit,
                    "kind": v.kind,
                    "status": v.status,
                    "value": v.value,
                    "previous": v.previous,
                    "change": v.change,
                    "change_unit": v.change_unit,
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "id",
                "section",
                "name_zh",
                "name_en",
                "unit",
                "kind",
                "status",
                "value",
                "previous",
                "change",
                "change_unit",
            ],
        )


# --------------------------------------------------------------------------- public helpers


def effective_period(package: Package, period: Period) -> Period:
    """``period`` clipped by the package's cutoff, as every indicator sees it (a label is a
    ``TypeError``: see ``periods.require_period``)."""
    return require_period(period).clip(package.district.cutoff)


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _day(day: dt.date) -> np.datetime64:
    return np.datetime64(day.isoformat(), "s")


_FACTORISED: dict[int, tuple[weakref.ref, np.ndarray, np.ndarray]] = {}


def _arrow(series: pd.Series) -> pa.ChunkedArray | None:
    """The immutable Arrow data behind a text column (None when the column is not Arrow-backed)."""
    if isinstance(series.dtype, pd.StringDtype) and hasattr(series.array, "__arrow_array__"):
        data = series.array.__arrow_array__()
        return data if isinstance(data, pa.ChunkedArray) else None
    return None


def _factorise(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes per row (-1 = empty) and the distinct values (object array) of a text column.

    Cached across calls, keyed on the column's Arrow array: Arrow arrays are immutable
    (editing a column gives it a new one), so an entry cannot go stale, and it is dropped
    when its array is garbage-collected. Notebooks evaluate the same package many times
    (indicators, breakdowns, trends), and factorising a national ``uscc`` column costs
    ~0.4 s, while every distinct count or lookup on the codes then costs milliseconds.
    """
    data = _arrow(series)
    if data is not None:
        hit = _FACTORISED.get(id(data))
        if hit is not None and hit[0]() is data:
            return hit[1], hit[2]
    codes, uniques = pd.factorize(series)
    uniques = np.asarray(uniques, dtype=object)
    codes.flags.writeable = uniques.flags.writeable = False
    if data is not None:
        _FACTORISED[id(data)] = (weakref.ref(data, _forget), codes, uniques)
    return codes, uniques


def _forget(ref: weakref.ref) -> None:
    """Drop the entry of a garbage-collected Arrow array (only its own: ids are reused)."""
    for key, entry in list(_FACTORISED.items()):
        if entry[0] is ref:
            del _FACTORISED[key]


class _Columns:
    """Column arrays and masks of one package, computed once per evaluation batch.

    ``compute_indicators`` evaluates ~50 indicators twice (period and previous year);
    most share the same filters (``tier == 高新技术企业``, a date in the period). Caching
    the numpy arrays and masks here keeps every evaluation to a few array operations on
    the selected rows, instead of re-filtering whole DataFrames. Holds no state beyond
    one call, except the factorised text columns (``_factorise``).

    Text columns stay in Arrow for filters (``pyarrow.compute.is_in``); a column becomes
    Python objects only where rows must be named (breakdowns, the certificate rule), and
    then through its distinct values. Turning every row of a national table into Python
    strings was the largest cost at ``--scale 1000``.
    """

    def __init__(self, package: Package):
        self.package = package
        self._cache: dict[tuple, Any] = {}

    def _memo(self, key: tuple, make):
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = make()
            return value

    def codes(self, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        """``_factorise`` of the column: codes per row (-1 = empty) and its distinct values."""
        return self._memo(("codes", table, column), lambda: _factorise(self.package[table][column]))

    def array(self, table: str, column: str) -> np.ndarray:
        """The column as a numpy array: dates ``datetime64[s]`` (NaT), floats ``float64`` (NaN), others object (None)."""

        def make() -> np.ndarray:
            series = self.package[table][column]
            if pd.api.types.is_datetime64_any_dtype(series.dtype):
                return series.to_numpy(dtype="datetime64[s]")
            if isinstance(series.dtype, pd.StringDtype):
                codes, uniques = self.codes(table, column)
                return np.append(uniques, None)[codes]  # code -1 (empty) picks the appended None
            if pd.api.types.is_float_dtype(series.dtype):
                return series.to_numpy(dtype="float64", na_value=np.nan)
            return series.to_numpy(dtype=object, na_value=None)

        return self._memo(("array", table, column), make)

    def member(
        self,
        table: str,
        column: str,
        values: Iterable[Any] | pa.Array,
        positions: np.ndarray | None = None,
    ) -> np.ndarray:
        """Whether ``column`` is one of ``values`` (an empty cell never is), on every row or
        on the rows at ``positions`` only; not memoised."""
        series = self.package[table][column]
        data = _arrow(series)
        if data is not None:
            wanted = (
                values
                if isinstance(values, (pa.Array, pa.ChunkedArray))
                else pa.array([v for v in values if isinstance(v, str)], type=data.type)
            )
            if positions is not None:
                data = data.take(pa.array(positions, type=pa.int64()))
            return (
                pc.is_in(data, value_set=wanted.cast(data.type))
                .fill_null(False)
                .to_numpy(zero_copy_only=False)
                .astype(bool, copy=False)
            )
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            values = values.to_pylist()
        if pd.api.types.is_integer_dtype(series.dtype):
            mask = series.isin(list(values)).fillna(False).to_numpy(dtype=bool)
        else:
            mask = _isin(self.array(table, column), values)
        return mask if positions is None else mask[positions]

    def isin(self, table: str, column: str, values: tuple[str, ...]) -> np.ndarray:
        return self._memo(
            ("isin", table, column, values), lambda: self.member(table, column, values)
        )

    def selected(self, table: str, column: str, mask: np.ndarray) -> pa.Array | np.ndarray:
        """The non-empty values of ``column`` on the rows of ``mask`` (Arrow when the column is), for ``member``."""
        data = _arrow(self.package[table][column])
        if data is not None:
            return data.filter(pa.array(mask)).drop_null().combine_chunks()
        values = self.array(table, column)[mask]
        return values[pd.notna(values)]

    def distinct(self, table: str, column: str, positions: np.ndarray) -> int:
        """Distinct non-empty values of ``column`` on the rows at ``positions``.

        Counted on the column's codes when it is factorised already or the rows are many;
        a few rows of a column not yet factorised are counted in Arrow instead.
        """
        series = self.package[table][column]
        if not isinstance(series.dtype, pd.StringDtype):
            return _distinct(self.array(table, column)[positions])
        data = _arrow(series)
        factorised = ("codes", table, column) in self._cache or (
            data is not None and id(data) in _FACTORISED
        )
        if data is not None and not factorised and len(positions) * 8 < len(series):
            return int(pc.count_distinct(data.take(pa.array(positions)), mode="only_valid").as_py())
        codes, uniques = self.codes(table, column)
        picked = codes[positions]
        return int(np.count_nonzero(np.bincount(picked[picked >= 0], minlength=len(uniques))))

    def contains(self, table: str, column: str, part: str) -> np.ndarray:
        return self._memo(
            ("contains", table, column, part),
            lambda: (
                self.package[table][column]
                .str.contains(part, regex=False)
                .fillna(False)
                .to_numpy(dtype=bool)
            ),
        )

    def positive(self, table: str, column: str) -> np.ndarray:
        return self._memo(
            ("positive", table, column),
            lambda: (
                (pd.to_numeric(self.package[table][column], errors="coerce") > 0)
                .fillna(False)
                .to_numpy(dtype=bool)
            ),
        )

    def between(self, table: str, column: str, start: dt.date, end: dt.date) -> np.ndarray:
        """Dates in ``[start, end]``; NaT is outside (NaT comparisons are False)."""

        def make() -> np.ndarray:
            dates = self.array(table, column)
            return (dates >= _day(start)) & (dates <= _day(end))

        return self._memo(("between", table, column, start, end), make)

    def on_or_before(self, table: str, column: str, day: dt.date) -> np.ndarray:
        return self._memo(
            ("before", table, column, day), lambda: self.array(table, column) <= _day(day)
        )

    def where(
        self, table: str, where: dict[str, Any] | None, contains: dict[str, str] | None = None
    ) -> np.ndarray:
        mask = np.ones(len(self.package[table]), dtype=bool)
        for column, wanted in (where or {}).items():
            mask = mask & self.isin(
                table, column, (wanted,) if isinstance(wanted, str) else tuple(wanted)
            )
        for column, part in (contains or {}).items():
            mask = mask & self.contains(table, column, part)
        return mask

    def survey_class(self) -> np.ndarray:
        """Each rd_survey row's class: its own ``above_scale``, else the enterprise's, else 无."""

        def make() -> np.ndarray:
            survey = self.package["rd_survey"]
            own = survey["above_scale"].replace("", pd.NA)
            if own.isna().any() and self.package.has("enterprises"):
                registered = self.package["enterprises"].set_index("uscc")["above_scale"]
                own = own.fillna(survey["uscc"].map(registered))
            return own.replace("", pd.NA).fillna("无").to_numpy(dtype=object)

        return self._memo(("survey_class",), make)

    def survey_in(self, classes: str) -> np.ndarray:
        """rd_survey rows in ``classes``: ``four_up`` (every class but 无), ``all``, or one class."""

        def make() -> np.ndarray:
            if classes == "all":
                return np.ones(len(self.package["rd_survey"]), dtype=bool)
            resolved = self.survey_class()
            return (resolved != "无") if classes == "four_up" else (resolved == classes)

        return self._memo(("survey_in", classes), make)


def _isin(values: np.ndarray, wanted: Iterable[Any]) -> np.ndarray:
    """Hash-based membership of an object array (fast for long ``wanted`` lists too)."""
    return pd.Series(values, dtype=object).isin(list(wanted)).to_numpy(dtype=bool)


def in_period(frame: pd.DataFrame, column: str, period: Period) -> pd.Series:
    """Boolean mask: rows whose ``column`` date lies in ``[period.start, period.end]``.

    Empty dates are outside every period. ``period`` is used as given (clip it first with
    ``effective_period``).
    """
    dates = frame[column]
    return ((dates >= _ts(period.start)) & (dates <= _ts(period.end))).fillna(False).astype(bool)


def rows_in_period(frame: pd.DataFrame, column: str, period: Period) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` date lies in the period (see ``in_period``)."""
    return frame[in_period(frame, column, period).to_numpy()]


def _valid_certificate_positions(cols: _Columns, tier: str, day: dt.date) -> np.ndarray:
    """Row positions in ``certifications`` of the certificates in force (see ``valid_certificates``)."""
    of_tier = cols.isin("certifications", "tier", (tier,)) & cols.on_or_before(
        "certifications", "date", day
    )
    until = cols.array("certifications", "valid_until")
    recognised = (
        of_tier
        & cols.isin("certifications", "stage", ("认定",))
        & (np.isnat(until) | (until >= _day(day)))
    )
    positions = np.flatnonzero(recognised)
    if not len(positions):
        return positions
    owner, _ = cols.codes("certifications", "uscc")  # enterprises as integer codes (-1 = empty)
    dates = cols.array("certifications", "date")
    revoked = np.flatnonzero(of_tier & cols.isin("certifications", "stage", ("撤销",)))
    revoked = revoked[owner[revoked] >= 0]  # a 撤销 without an enterprise revokes nothing
    if len(revoked):
        last = pd.Series(dates[revoked]).groupby(owner[revoked]).max()
        last_revocation = pd.Series(owner[positions]).map(last).to_numpy(dtype="datetime64[s]")
        positions = positions[np.isnat(last_revocation) | (last_revocation < dates[positions])]
    # one certificate per enterprise: the latest recognition
    order = positions[np.argsort(dates[positions], kind="stable")]
    keep = ~pd.Series(owner[order]).duplicated(keep="last").to_numpy()
    return np.sort(order[keep])


def valid_certificates(package: Package, tier: str, on_date: dt.date) -> pd.DataFrame:
    """The certificates of ``tier`` in force on ``on_date``: one 认定 row per enterprise.

    In force: recognised on or before ``on_date``, ``valid_until`` on or after it (empty
    means no expiry), and no 撤销 row of the tier for that enterprise dated on or after
    the recognition and on or before ``on_date`` (a 撤销 on the day of a 认定 ends it).
    Where an enterprise holds several, the latest recognition is kept. Columns are those
    of ``certifications``. Raises ``KeyError`` if the package has no ``certifications``.
    """
    return package["certifications"].iloc[
        _valid_certificate_positions(_Columns(package), tier, on_date)
    ]


def _ever_certified_positions(cols: _Columns, tier: str, day: dt.date) -> np.ndarray:
    mask = (
        cols.isin("certifications", "tier", (tier,))
        & cols.isin("certifications", "stage", ("认定",))
        & cols.on_or_before("certifications", "date", day)
    )
    positions = np.flatnonzero(mask)
    order = positions[np.argsort(cols.array("certifications", "date")[positions], kind="stable")]
    keep = (
        ~pd.Series(cols.codes("certifications", "uscc")[0][order])
        .duplicated(keep="first")
        .to_numpy()
    )
    return np.sort(order[keep])


def ever_certified(package: Package, tier: str, on_date: dt.date) -> pd.DataFrame:
    """The first 认定 row of ``tier`` per enterprise dated on or before ``on_date`` (cumulative)."""
    return package["certifications"].iloc[
        _ever_certified_positions(_Columns(package), tier, on_date)
    ]


def _platform_positions(cols: _Columns, day: dt.date, level: str | None) -> np.ndarray:
    revoked = cols.array("platforms", "revoked")
    mask = cols.on_or_before("platforms", "approved", day) & (
        np.isnat(revoked) | (revoked > _day(day))
    )
    if level is not None:
        mask = mask & cols.isin("platforms", "level", (level,))
    return np.flatnonzero(mask)


def platforms_in_force(
    package: Package, on_date: dt.date, level: str | None = None
) -> pd.DataFrame:
    """Platforms (of ``level``, or all) approved on or before ``on_date`` and not revoked by then."""
    return package["platforms"].iloc[_platform_positions(_Columns(package), on_date, level)]


def _survey_positions(cols: _Columns, year: int, classes: str) -> np.ndarray:
    return np.flatnonzero(cols.isin("rd_survey", "year", (year,)) & cols.survey_in(classes))


def survey_rows(package: Package, year: int, classes: str = "four_up") -> pd.DataFrame:
    """rd_survey rows of ``year`` in ``classes``, with the resolved class in column ``class``.

    ``classes``: ``four_up`` (every class but 无), a class (``规上工业``), or ``all``. A row's
    own ``above_scale`` (the class that year) overrides the class in ``enterprises``;
    empty everywhere means 无.
    """
    cols = _Columns(package)
    positions = _survey_positions(cols, year, classes)
    rows = package["rd_survey"].iloc[positions]
    return rows.assign(**{"class": cols.survey_class()[positions]})


def enterprise_attributes(package: Package) -> pd.DataFrame:
    """``enterprises`` indexed by ``uscc`` with ``town`` and ``sector`` (for breakdowns)."""
    return package["enterprises"].set_index("uscc")[
        ["name", "town", "sector", "above_scale", "ownership"]
    ]


# --------------------------------------------------------------------------- evaluation


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


def _select(cols: _Columns, defn: IndicatorDef, period: Period) -> _Selection:
    """The rows behind ``defn`` for the (clipped) period; raises ``_NoData``."""
    _require(cols.package, defn)
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


def _truths(x: np.ndarray) -> int:
    """Rows where a boolean column is true (empty counts as false)."""
    return int(pd.array(x, dtype="boolean").fillna(False).sum())


def _distinct(values: np.ndarray) -> int:
    """Distinct non-empty values (hash-based, no loop over rows)."""
    unique = pd.unique(values)
    return int(len(unique) - pd.isna(unique).sum())


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
    previous, _ = _evaluate(cols, defn, previous_period)
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
    return IndicatorSet(district=package.district, period=period, values=values)


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
    frame["value"] = frame["value"].astype("Float64" if defn.is_rate or defn.is_money else "Int64")
    return frame


# --------------------------------------------------------------------------- breakdowns


def breakdown(
    package: Package, indicator_id: str, period: Period, by: str = "town"
) -> pd.DataFrame:
    """The indicator split by enterprise ``town`` (镇街) or ``sector``: DataFrame[by, value, enterprises].

    Every town of the district (or every sector in ``enterprises``) is listed, 0 where none;
    rows whose bearer is not a district enterprise, or has no town/sector, go to a last row
    ``（未归属）`` shown only when it has rows. For a rate, each group's own rate (NA over
    an empty group). ``enterprises`` counts the distinct enterprises behind each value.
    When the indicator has no data every value is NA and ``attrs["status"]`` is ``no_data``.
    """
    defn = indicator_def(indicator_id)
    if by not in ("town", "sector"):
        raise UsageError(
            f"分组只能是town或sector，而不是{by}", f"by must be town or sector, not {by}"
        )
    if by not in defn.breakdown_by:
        raise UsageError(
            f"指标{indicator_id}不能按{by}分组",
            f"indicator {indicator_id} has no breakdown by {by}",
        )
    period = effective_period(package, period)
    if by == "town":
        groups = list(package.district.towns)
    else:
        sectors = (
            package["enterprises"]["sector"].replace("", pd.NA).dropna()
            if package.has("enterprises")
            else []
        )
        groups = sorted(set(sectors))
    value_dtype = "Float64" if defn.is_rate or defn.is_money else "Int64"
    try:
        selection = _select(_Columns(package), defn, period)
    except _NoData:
        out = pd.DataFrame(
            {
                by: groups,
                "value": pd.array([pd.NA] * len(groups), dtype=value_dtype),
                "enterprises": pd.array([pd.NA] * len(groups), dtype="Int64"),
            }
        )
        out.attrs["status"] = NO_DATA
        return out
    frame = selection.frame
    labels = frame["uscc"].map(enterprise_attributes(package)[by]).replace("", pd.NA)
    frame = frame.assign(group=labels.fillna(UNASSIGNED).to_numpy())
    present = frame["group"].unique().tolist()
    order = groups + ([UNASSIGNED] if UNASSIGNED in present and UNASSIGNED not in groups else [])
    order += [g for g in present if g not in order]  # a town not in district.yaml: still shown
    values, counts = [], []
    for group in order:  # a handful of groups: aggregation per group is vectorised inside
        in_group = (frame["group"] == group).to_numpy()
        part = selection.subset(in_group)
        values.append(_aggregate(part, defn))
        counts.append(part.distinct(part.who))
    out = pd.DataFrame(
        {
            by: order,
            "value": pd.array(values, dtype=value_dtype),
            "enterprises": pd.array(counts, dtype="Int64"),
        }
    )
    out.attrs["status"] = OK
    return out


def contributions(package: Package, indicator_id: str, period: Period) -> pd.DataFrame:
    """Per-enterprise parts of a money indicator: DataFrame[uscc, town, sector, value], largest first.

    For disclosure control (minimum frequency, dominance). Only money indicators built
    from enterprise rows; ``attrs["status"]`` is ``no_data`` (and the frame empty) when
    the indicator has no data.
    """
    defn = indicator_def(indicator_id)
    if not defn.is_money or not defn.breakdown_by:
        raise UsageError(
            f"指标{indicator_id}不是按企业汇总的金额指标",
            f"indicator {indicator_id} is not a money indicator built from enterprise rows",
        )
    period = effective_period(package, period)
    columns = ["uscc", "town", "sector", "value"]
    try:
        selection = _select(_Columns(package), defn, period)
    except _NoData:
        out = pd.DataFrame(
            {c: pd.Series(dtype="Float64" if c == "value" else "str") for c in columns}
        )
        out.attrs["status"] = NO_DATA
        return out
    frame = selection.frame.assign(
        x=pd.to_numeric(selection.frame["x"], errors="coerce").fillna(0.0)
    )
    frame = frame[frame["uscc"].notna().to_numpy()]
    per = frame.groupby("uscc", sort=False)["x"].sum().round(4)
    attrs = enterprise_attributes(package)
    out = pd.DataFrame(
        {
            "uscc": per.index.astype("str"),
            "town": per.index.map(attrs["town"]),
            "sector": per.index.map(attrs["sector"]),
            "value": per.to_numpy(),
        }
    )
    out["value"] = out["value"].astype("Float64")
    out = out.sort_values(["value", "uscc"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    out.attrs["status"] = OK
    return out
