"""The cells of one sheet, CSV or Parquet file as the parser reads them, and its header row.

``GridView`` wraps a grid of raw cells (a sheet or a CSV file: Python objects, or Arrow
strings for all-text columns); ``TypedView`` wraps a Parquet table kept in its typed
columns. Both answer the same questions (which cells are filled, the first rows with
merged cells filled in, one row, one column of data cells), so the parser in
``parse.py`` is written once for every kind of file. ``find_header`` picks the row that
names the most declared columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from innolib.normalize import as_text, blank_text, empty_mask, match_header, regex_replace
from innolib.tables import BOOL, DATE, INT, MONEY, YEAR, Column, Table

HEADER_SEARCH_ROWS = 30


@dataclass
class Sheet:
    """A sheet's raw cells (object, row 0 = Excel row 1), merged ranges and what the XML says.

    ``formulas``: (row, column) of formula cells saved without a value (0-based), which
    calamine reads as blank; ``hidden``: a hidden sheet is not read (its grid is empty).
    """

    grid: pd.DataFrame
    merged: list = field(default_factory=list)
    formulas: frozenset[tuple[int, int]] = frozenset()
    hidden: bool = False

    unusable: bool = False


def cell_text(value: object) -> str:
    """A raw cell as one line of text, as a clerk would read it ("" for an empty cell)."""
    if (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and np.isnan(value))
    ):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)) and value == pd.Timestamp(value).normalize():
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return " ".join(str(value).split())


def filled_top(grid: pd.DataFrame, merged: list) -> list[list[object]]:
    """The first rows of a sheet with each merged range's value copied into all its cells."""
    top = grid.iloc[:HEADER_SEARCH_ROWS].values.tolist()
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(top):
            continue
        value = top[r0][c0] if c0 < len(top[r0]) else None
        for r in range(r0, min(r1 + 1, len(top))):
            for c in range(c0, min(c1 + 1, len(top[r]))):
                top[r][c] = value
    return top


def find_header(table: Table, top: list[list[object]]) -> tuple[int, int]:
    best, best_score = -1, 0
    for r, row in enumerate(top):
        found = {
            col.id
            for col, _ in (match_header(table, v) for v in row if cell_text(v))
            if col is not None
        }
        if len(found) > best_score:
            best, best_score = r, len(found)
    return best, best_score


class GridView:
    """The cells of a sheet or CSV file as the parser reads them (row 0 = the file's first row).

    Columns are raw cells: Python objects, or Arrow strings for all-text columns.
    """

    def __init__(self, grid: pd.DataFrame):
        self.grid = grid
        self.shape = grid.shape

    def nonempty(self, c: int) -> np.ndarray:
        return ~empty_mask(self.grid[c]).to_numpy()

    def top(self, merged: list) -> list[list[object]]:
        return filled_top(self.grid, merged)

    def row(self, r: int) -> list[object]:
        return [self.grid[c].iloc[r] for c in self.grid.columns]

    def first_text(self, start: int, first_col: np.ndarray, nonempty: np.ndarray) -> pd.Series:
        """The first non-empty cell of each row from ``start`` on, spaces removed, where it can
        matter: non-ASCII text ("" elsewhere and where a row is blank).

        The text is only matched against 合计/小计/注… patterns (and a 合计 row's cells compared
        with it), which no number, date, flag or ASCII-only text can match; so only those
        cells are read, column by column, never the whole grid as Python objects.
        """
        out = np.full(len(first_col), "", dtype=object)
        any_cell = nonempty.any(axis=1)
        for c in range(self.shape[1]):
            rows = np.flatnonzero((first_col == c) & any_cell)
            if not len(rows):
                continue
            cells = self.grid[c].iloc[rows + start]
            if cells.dtype == object:
                wide = cells.map(lambda v: isinstance(v, str) and not v.isascii()).to_numpy(bool)
            else:  # Arrow strings
                wide = ~pc.fill_null(pc.string_is_ascii(pa.array(cells.array)), True).to_numpy(
                    zero_copy_only=False
                )
            if not wide.any():
                continue
            picked = cells[wide].reset_index(drop=True)
            text = regex_replace(as_text(picked)[0], r"\s+", "").fillna("")
            out[rows[wide]] = text.to_numpy(dtype=object)
        return pd.Series(pd.array(pa.array(out, type=pa.string()), dtype="string[pyarrow]"))

    def equals(self, c: int, start: int, text: str) -> np.ndarray:
        return self.grid[c].iloc[start:].eq(text).fillna(False).to_numpy(dtype=bool)

    def column(self, c: int, rows: np.ndarray, col: Column) -> pd.Series:
        return self.grid[c].iloc[rows].reset_index(drop=True)


class TypedView:
    """A Parquet table kept in its typed columns (row 0 = the column names, as in a sheet).

    Columns whose Arrow type already is the declared type (numbers for money, counts and
    years; timestamps or dates for dates; booleans for flags) are handed to the parsers
    typed, and they convert them directly; text columns go as Arrow strings, as a CSV
    file's do. Any other pairing goes as Python objects, as the grid path gives them, so
    that every path reads the same values the same way.
    """

    def __init__(self, data: pa.Table):
        self.data = data
        self.names = data.column_names
        self.shape = (data.num_rows + 1, data.num_columns)
        self.kinds = [self._kind(t) for t in data.schema.types]
        self._text: dict[int, pa.ChunkedArray] = {}

    @staticmethod
    def _kind(t: pa.DataType) -> str:
        if pa.types.is_dictionary(t):
            t = t.value_type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return "text"
        if pa.types.is_integer(t) or pa.types.is_floating(t):
            return "number"
        if (pa.types.is_timestamp(t) and t.tz is None) or pa.types.is_date(t):
            return "time"
        if pa.types.is_boolean(t):
            return "bool"
        if pa.types.is_null(t):  # a column with no values at all
            return "null"
        return "other"

    @property
    def typed(self) -> bool:
        """False when a column has a type this view does not read (the grid path does)."""
        return all(k != "other" for k in self.kinds)

    def _strings(self, c: int) -> pa.ChunkedArray:
        if c not in self._text:
            column = self.data.column(c)
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            self._text[c] = column.cast(pa.string())
        return self._text[c]

    def _series(self, c: int) -> pd.Series:
        kind = self.kinds[c]
        if kind == "text":
            return pd.Series(pd.array(self._strings(c), dtype="string[pyarrow]"))
        if kind == "bool":
            return pd.Series(
                self.data.column(c).to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
            )
        if kind == "time":
            return pd.Series(self.data.column(c).to_pandas(date_as_object=False))
        return pd.Series(self.data.column(c).to_pandas())

    def nonempty(self, c: int) -> np.ndarray:
        head = np.array([cell_text(self.names[c]) != ""])
        if self.kinds[c] == "text":
            body = ~blank_text(self._strings(c)).to_numpy(zero_copy_only=False)
        elif self.kinds[c] == "number":
            number = self.data.column(c).to_numpy(zero_copy_only=False)
            body = (
                ~np.isnan(number) if number.dtype.kind == "f" else np.ones(len(number), dtype=bool)
            )
        else:
            body = pc.is_valid(self.data.column(c)).to_numpy(zero_copy_only=False)
        return np.concatenate([head, body.astype(bool, copy=False)])

    def top(self, merged: list) -> list[list[object]]:
        body = [
            self.data.column(c).slice(0, HEADER_SEARCH_ROWS - 1).to_pylist()
            for c in range(self.shape[1])
        ]
        return [list(self.names), *(list(r) for r in zip(*body))]

    def row(self, r: int) -> list[object]:
        if r == 0:
            return list(self.names)
        return [self.data.column(c)[r - 1].as_py() for c in range(self.shape[1])]

    def first_text(self, start: int, first_col: np.ndarray, nonempty: np.ndarray) -> pd.Series:
        """As ``GridView.first_text``, read only where it can matter: non-ASCII text cells.

        The text is only matched against 合计/小计/注… patterns, which no number, date,
        flag or ASCII-only text can match.
        """
        out = pc.fill_null(pa.nulls(len(first_col), pa.string()), "")
        any_cell = nonempty.any(axis=1)
        for c in range(self.shape[1]):
            if self.kinds[c] != "text":
                continue
            ascii_ = pc.fill_null(pc.string_is_ascii(self._strings(c)), True).to_numpy(
                zero_copy_only=False
            )
            wide = (first_col == c) & any_cell & ~ascii_[start - 1 :]
            if not wide.any():
                continue
            rows = np.flatnonzero(wide)
            picked = pd.Series(
                pd.array(self._strings(c).take(pa.array(rows + start - 1)), dtype="string[pyarrow]")
            )
            text = pa.array(
                regex_replace(as_text(picked)[0], r"\s+", "").fillna(""), type=pa.string()
            )
            out = pc.replace_with_mask(out, pa.array(wide), text)
        return pd.Series(pd.array(out, dtype="string[pyarrow]"))

    def equals(self, c: int, start: int, text: str) -> np.ndarray:
        if self.kinds[c] != "text":  # a number, date or flag never equals a header's text
            return np.zeros(self.shape[0] - start, dtype=bool)
        same = pc.fill_null(pc.equal(self._strings(c), text), False).to_numpy(zero_copy_only=False)
        return same[start - 1 :]

    def column(self, c: int, rows: np.ndarray, col: Column) -> pd.Series:
        """The data cells of column ``c`` (``rows`` are row numbers, row 0 = the names)."""
        kind = self.kinds[c]
        direct = (
            kind == "text"
            or (kind == "number" and col.type in (MONEY, INT, YEAR, DATE))
            or (kind == "time" and col.type == DATE)
            or (kind == "bool" and col.type == BOOL)
        )
        whole = len(rows) == self.shape[0] - 1
        if direct:
            series = self._series(c)
        else:  # as the grid path reads it: Python objects
            series = pd.Series(self.data.column(c).to_pandas()).astype(object)
        if not whole:
            series = series.iloc[rows - 1].reset_index(drop=True)
        return series
