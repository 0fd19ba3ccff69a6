"""Column arrays and masks of a package, computed once per evaluation (``_Columns``).

The speed of every indicator rests here: text columns stay in Arrow for filters and are
factorised once (cached across calls, keyed on the immutable Arrow array).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from innolib.package import Package


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


def _truths(x: np.ndarray) -> int:
    """Rows where a boolean column is true (empty counts as false)."""
    return int(pd.array(x, dtype="boolean").fillna(False).sum())


def _distinct(values: np.ndarray) -> int:
    """Distinct non-empty values (hash-based, no loop over rows)."""
    unique = pd.unique(values)
    return int(len(unique) - pd.isna(unique).sum())
