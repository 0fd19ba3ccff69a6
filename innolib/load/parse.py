"""One source (file or sheet) → its data rows parsed, its other rows classed and counted.

Below any title rows (merged cells included) the parser finds the header row, matches the
headers to the declared columns of ``tables.py``, sorts every other row into data and
non-data (blank, note, totals, subtotal, repeated header) and parses the data cells with
``normalize`` (units → 万元, dates, booleans, codes), column by column. Cells that cannot
be parsed come back as (row, column, rule) problems; the table's rules are checked later,
once every source of the table is parsed (``assemble.py``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from innolib.errors import DataError
from innolib.load.files import Source, read_parquet
from innolib.load.grid import GridView, TypedView, cell_text, find_header
from innolib.load.xlsx import column_letters
from innolib.load_report import NON_DATA_KINDS, Problem, SourceAccount
from innolib.normalize import (
    MONEY_UNITS,
    as_text,
    match_header,
    nfkc,
    normalize_uscc,
    parse_bool,
    parse_date,
    parse_money,
    parse_number,
    parse_text,
    parse_year,
    regex_match,
    regex_replace,
    unit_note,
)
from innolib.package import coerce_types, empty_column
from innolib.tables import (
    BOOL,
    DATE,
    ENUM,
    INT,
    MAX_CELL_CHARS,
    MONEY,
    TABLES,
    YEAR,
    Column,
    Table,
)

# first non-empty cell of a row (spaces removed), RE2 patterns
_TOTAL = r"^(?:合计|总计)[:：]?$"
_SUBTOTAL = r"^小计[:：]?$"
_NOTE = (
    r"^(?:(?:注|备注|说明|填表人|填报人|审核人|负责人|制表人?|填报单位|填表单位|填报日期|填表日期|制表日期|"
    r"数据来源|资料来源|单位)\d*[:：.、]|注$)"
)
_PARSE_RULE = {INT: "integer", YEAR: "year", DATE: "date", BOOL: "bool"}
FIELDS = "_fields"  # pseudo-column of a CSV row's field count (rule ``ragged``)


@dataclass
class Parsed:
    """What parsing one source gave: its data rows, their raw cells, problems and notes."""

    source: Source
    account: SourceAccount
    frame: pd.DataFrame  # parsed data rows (columns by id) + _row
    raw: pd.DataFrame  # the same rows' raw cells, columns by id
    headers: dict[str, str]  # column id → header as written
    problems: pd.DataFrame  # local index, column, rule (cells that could not be parsed)
    file_problems: list[Problem]
    totals: list[tuple[int, str, float, float, int, str]]
    # (row, column, written number, factor, decimals, text) of each 合计 cell
    notes: list[str]
    unusable: bool = False
    absent: tuple[str, ...] = ()  # optional columns the source lacks (left empty, see fallback)


class ReadAhead:
    """Parquet files read in background threads, a table ahead of the parser.

    pyarrow releases the GIL while it decodes a file, so the next table's files are read
    while this table is parsed and validated (``assemble.build_package`` says which, one
    table ahead: only that table's Arrow data is held before its turn). ``table`` hands a
    file over, or raises what reading it raised, where the read would have happened.
    """

    def __init__(self):
        self._reads: dict[Path, tuple[threading.Event, list]] = {}

    def start(self, sources: list[Source]) -> None:
        for src in sources:
            if src.kind != "parquet" or src.path in self._reads:
                continue
            done, box = threading.Event(), []
            self._reads[src.path] = (done, box)
            threading.Thread(
                target=self._read, args=(src.path, done, box), name="innolib-parquet", daemon=True
            ).start()

    @staticmethod
    def _read(path: Path, done: threading.Event, box: list) -> None:
        import pyarrow.parquet as pq

        try:
            box.append(pq.read_table(path))
        except BaseException as error:  # raised by ``table``, in the parser's thread
            box.append(error)
        done.set()

    def table(self, path: Path) -> pa.Table:
        """The file's table (read now if it was not read ahead)."""
        entry = self._reads.pop(path, None)
        if entry is None:
            import pyarrow.parquet as pq

            return pq.read_table(path)
        done, box = entry
        done.wait()
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]


def parse_source(src: Source, ahead: ReadAhead | None = None) -> Parsed:
    """Parse one source; a Parquet file is read typed when its first row is the header
    (``ahead``: its file may have been read in the background already)."""
    if src.kind == "parquet":
        try:
            data = (ahead or ReadAhead()).table(src.path)
        except (pa.ArrowException, OSError) as error:
            raise DataError(
                f"{src.file}：无法读取Parquet文件（{error}）",
                f"{src.file}: unreadable Parquet ({error})",
                file=src.file,
                rule="unreadable",
            ) from error
        view = TypedView(data)
        if view.typed:
            header_row, _ = find_header(TABLES[src.table], view.top([]))
            if header_row == 0:
                return _SourceParser(src, view).run()
        del view, data  # header below the first row, or unusual types: read it as a sheet
        src.grid = read_parquet(src.path)
    return _SourceParser(src, GridView(src.grid)).run()


def no_problems() -> pd.DataFrame:
    """An empty (index, column, rule) problem frame."""
    return pd.DataFrame(
        {
            "index": pd.Series(dtype="int64"),
            "column": pd.Series(dtype=object),
            "rule": pd.Series(dtype=object),
        }
    )


class _SourceParser:
    """The steps of parsing one source, sharing its grid, accounting, notes and problems."""

    def __init__(self, src: Source, grid: GridView | TypedView):
        self.src, self.grid = src, grid
        self.table: Table = TABLES[src.table]
        n, self.width = grid.shape
        self.account = SourceAccount(
            self.table.id, src.file, src.sheet, read=n, encoding=src.encoding
        )
        self.non_data = dict.fromkeys(NON_DATA_KINDS, 0)
        self.where = f"{src.file}" + (f"[{src.sheet}]" if src.sheet else "")
        self.notes: list[str] = []
        self.file_problems: list[Problem] = []
        self.sheet_units: list[str] = []
        self.absent: list[str] = []
        self.field_counts: np.ndarray | None = None
        self.header_fields = 0

    def file_problem(
        self, rule: str, zh: str, en: str, row: int | None = None, column: str = "", value: str = ""
    ) -> None:
        from innolib.schemas import RULES

        rz, re_ = RULES[rule]
        self.file_problems.append(
            Problem(
                self.table.id,
                self.src.file,
                self.src.sheet,
                row,
                column,
                value,
                rule,
                f"{rz}{zh}",
                f"{re_}{en}",
            )
        )

    def run(self) -> Parsed:
        grid, width = self.grid, self.width
        n = grid.shape[0]
        nonempty = (
            np.column_stack([grid.nonempty(c) for c in range(width)])
            if width
            else np.zeros((n, 0), dtype=bool)
        )
        blank = ~nonempty.any(axis=1) if width else np.ones(n, dtype=bool)
        top = grid.top(self.src.merged)
        header_row, score = find_header(self.table, top) if n else (-1, 0)
        if score == 0:
            self.file_problem("no_header", "", "")
            self.non_data["blank"] = int(blank.sum())
            return self._unusable(n - self.non_data["blank"])
        header_rows, upper = self._header_rows(header_row, nonempty, top)
        colmap = self._columns(top[header_row], upper, header_row)
        self._rows_above(top, header_row, header_rows)
        body = self._body(header_row, nonempty, blank, colmap)
        if self._missing_columns(colmap, len(body.data_pos)):
            return self._unusable(len(body.data_pos))
        frame, raws, headers, problems, units = self._cells(colmap, body.data_pos)
        totals = self._totals(body, colmap, units)
        self.account.non_data = {k: v for k, v in self.non_data.items() if v}
        return Parsed(
            self.src,
            self.account,
            frame,
            pd.DataFrame(raws, index=frame.index),
            headers,
            pd.concat(problems, ignore_index=True)
            if any(x is not None for x in problems)
            else no_problems(),
            self.file_problems,
            totals,
            self.notes,
            absent=tuple(self.absent),
        )

    def _unusable(self, rejected: int) -> Parsed:
        """No row of this source can be loaded: all its data rows count as rejected."""
        empty_frame = coerce_types(self.table.id, pd.DataFrame())
        self.account.rejected = rejected
        self.account.non_data = {k: v for k, v in self.non_data.items() if v}
        return Parsed(
            self.src,
            self.account,
            empty_frame.assign(_row=pd.Series(dtype="int64")),
            pd.DataFrame(),
            {},
            no_problems(),
            self.file_problems,
            [],
            self.notes,
            unusable=True,
        )

    def _header_rows(self, header_row: int, nonempty: np.ndarray, top: list) -> tuple[list, list]:
        """The header row, with a group header row above it (merged cells, or ≥ 2 labels)."""
        header_rows, upper = [header_row], None
        if header_row > 0:
            vertical = any(r0 < header_row <= r1 for (r0, _), (r1, _) in self.src.merged)
            labels = int(nonempty[header_row - 1].sum())
            if vertical or labels >= 2:
                upper = top[header_row - 1]
                header_rows.insert(0, header_row - 1)
        return header_rows, upper

    def _columns(self, header: list, upper: list | None, header_row: int) -> dict:
        """Header cells → {column position: (Column, header as written, unit)}."""
        colmap: dict[int, tuple[Column, str, str | None]] = {}
        for c in range(self.width):
            text = header[c]
            if not cell_text(text) and upper is not None:
                text = upper[c]
            if not cell_text(text):
                continue
            col, unit = match_header(self.table, text)
            if col is None:
                self.notes.append(
                    f"{self.where}：未识别的列「{cell_text(text)}」已忽略 / unknown column ignored"
                )
                continue
            if unit is None and upper is not None and upper[c] is not text:
                _, unit = match_header(self.table, upper[c])
                if unit is None:
                    unit = unit_note(upper[c])
            if any(other.id == col.id for other, _, _ in colmap.values()):
                self.file_problem(
                    "duplicate_column",
                    f"：{col.zh}",
                    f": {col.id}",
                    header_row + 1,
                    cell_text(text),
                )
                continue
            colmap[c] = (col, cell_text(text), unit)
        return colmap

    def _rows_above(self, top: list, header_row: int, header_rows: list[int]) -> None:
        """Rows above the header: titles, notes, blank; a 单位：元 note declares the unit."""
        for r in range(header_row):
            if r in header_rows:
                continue
            cells = [v for v in top[r] if cell_text(v)]
            if not cells:
                self.non_data["blank"] += 1
                continue
            self.sheet_units += [u for u in (unit_note(v) for v in cells) if u]
            first = re.sub(r"\s+", "", nfkc(cell_text(cells[0])))
            self.non_data["note" if re.match(_NOTE, first) else "title"] += 1
        self.non_data["header"] += len(header_rows)

    def _body(self, header_row: int, nonempty: np.ndarray, blank: np.ndarray, colmap: dict):
        """Rows below the header sorted into data and non-data (vectorised)."""
        grid, n = self.grid, self.grid.shape[0]
        body = _Body(pos=np.arange(header_row + 1, n))
        body_nonempty = nonempty[header_row + 1 :]
        body_blank = blank[header_row + 1 :]
        first_col = (
            body_nonempty.argmax(axis=1) if self.width else np.zeros(len(body.pos), dtype=int)
        )
        body.first_text = grid.first_text(header_row + 1, first_col, body_nonempty)
        body.is_total = regex_match(body.first_text, _TOTAL) & ~body_blank
        is_subtotal = regex_match(body.first_text, _SUBTOTAL) & ~body_blank
        is_note = regex_match(body.first_text, _NOTE) & ~body_blank & ~body.is_total & ~is_subtotal
        repeat = np.zeros(len(body.pos), dtype=bool)
        if len(colmap) >= 2:  # a header row repeated below (pasted ledgers): every cell = header
            c0, (_, header0, _) = next(iter(colmap.items()))
            for i in np.flatnonzero(grid.equals(c0, header_row + 1, header0)):
                cells = grid.row(header_row + 1 + i)
                repeat[i] = all(cell_text(cells[c]) == h for c, (_, h, _) in colmap.items())
        for i in np.flatnonzero(is_note):
            self.sheet_units += [
                u for u in (unit_note(v) for v in grid.row(header_row + 1 + i)) if u
            ]
        nd = self.non_data
        nd["blank"] += int(body_blank.sum())
        nd["total"] += int(body.is_total.sum())
        nd["subtotal"] += int(is_subtotal.sum())
        nd["note"] += int(is_note.sum())
        nd["header"] += int((repeat & ~is_note & ~body.is_total & ~is_subtotal & ~body_blank).sum())
        data_mask = ~(body_blank | body.is_total | is_subtotal | is_note | repeat)
        body.data_pos = body.pos[data_mask]
        if self.src.widths is not None and len(body.data_pos):  # CSV: fields per data row
            self.field_counts = self.src.widths[body.data_pos]
            self.header_fields = int(self.src.widths[header_row])
        if len(set(self.sheet_units)) > 1:
            self.notes.append(
                f"{self.where}：多个“单位”说明（{'、'.join(dict.fromkeys(self.sheet_units))}），"
                f"采用第一个 / several 单位 notes, the first is used"
            )
        return body

    def _missing_columns(self, colmap: dict, n_data: int) -> bool:
        """Report the declared columns the file lacks; True when one may not be absent.

        Only a table's ``optional_columns`` may be absent (the data dictionary lists them);
        any other absent column is a file error in every mode, lenient included: a column
        of empty cells would read as "none" (no certificate valid, no amount), which is a
        value, not a missing one.
        """
        present = {col.id for col, _, _ in colmap.values()}
        unusable = False
        for col in self.table.columns:
            if col.id in present:
                continue
            if col.id in self.table.optional_columns:
                self.absent.append(col.id)
                continue
            unusable = True
            kind = "必填" if col.required else "不可缺的列"
            kind_en = "required" if col.required else "a column that may not be absent"
            self.file_problem(
                "missing_column",
                f"「{col.header}」（{kind}，本文件{n_data}行未载入）",
                f" {col.id} ({kind_en}; the file's {n_data} rows were not loaded)",
            )
        return unusable

    def _cells(self, colmap: dict, data_pos: np.ndarray):
        """Parse the data cells column by column; returns frame, raw cells, headers, problems."""
        parsed: dict[str, pd.Series] = {}
        raws: dict[str, pd.Series] = {}
        headers: dict[str, str] = {}
        problems: list[pd.DataFrame | None] = []
        units: dict[str, str | None] = {}
        for c, (col, header, unit) in colmap.items():
            raw = self.grid.column(c, data_pos, col)
            raws[col.id], headers[col.id] = raw, header
            too_long = _too_long(raw)
            if too_long.any():  # rejected as such, and not parsed (a 1 MB "number")
                problems.append(mask_problems(too_long, col.id, "cell_too_large"))
                raw = raw.where(~too_long, None)
            problems.append(self._formulas(c, col, data_pos))
            if col.type == MONEY:
                value, found = self._money(col, header, unit, raw, units)
            else:
                value, found = _typed_column(col, raw)
            problems += found
            parsed[col.id] = value
        frame = pd.DataFrame(parsed, index=pd.RangeIndex(len(data_pos)))
        for col in self.table.columns:
            if col.id not in frame:  # an absent optional column stays empty, never a value
                frame[col.id] = empty_column(col, len(frame))
            elif col.type == ENUM and col.empty_means:  # a blank cell that has a meaning
                frame[col.id] = frame[col.id].where(frame[col.id].notna(), col.empty_means)
        frame = frame[[c.id for c in self.table.columns]]
        frame["_row"] = data_pos + 1
        if self.field_counts is not None:
            ragged = self.field_counts != self.header_fields
            if ragged.any():
                problems.append(mask_problems(ragged, FIELDS, "ragged"))
                raws[FIELDS] = pd.Series(
                    [f"{n}/{self.header_fields}" for n in self.field_counts], dtype=object
                )
                headers[FIELDS] = "字段数/表头字段数 fields/header fields"
        return frame, raws, headers, problems, units

    def _money(self, col: Column, header: str, unit, raw: pd.Series, units: dict):
        """A money column in 万元, with its unit from the header, the cell or a 单位 note."""
        sheet_unit = self.sheet_units[0] if self.sheet_units else None
        unit = unit if unit in MONEY_UNITS else None
        if unit is None and sheet_unit:
            unit = sheet_unit
        if unit is None and self.src.kind == "parquet" and header == col.id:
            unit = "万元"  # Parquet with id headers is the package's own (loaded) form
        units[col.id] = unit
        value, bad, no_unit = parse_money(raw, unit)
        if no_unit.any():
            self.notes.append(
                f"{self.where}：列「{header}」没有金额单位（元/万元/亿元），不作猜测 / "
                f"column {header!r} has no money unit; not guessed"
            )
        value, outside = _in_range(col, value)
        return value, [
            mask_problems(bad, col.id, "number"),
            mask_problems(no_unit, col.id, "money_unit"),
            mask_problems(outside, col.id, "range"),
        ]

    def _formulas(self, c: int, col: Column, data_pos: np.ndarray) -> pd.DataFrame | None:
        """Formula cells without a cached value: a row error in a required column, else a note."""
        rows = [r for r, column in self.src.formulas if column == c]
        if not rows:
            return None
        hit = np.isin(data_pos, rows)
        if not hit.any():
            return None
        if col.required:
            return mask_problems(hit, col.id, "formula_no_value")
        cells = "、".join(f"{column_letters(c + 1)}{r + 1}" for r in data_pos[hit][:10])
        self.notes.append(
            f"{self.where}：单元格{cells}（列「{col.zh}」）是没有计算结果的公式，按空白读取 / "
            f"cells {cells} (column {col.id}) are formulas without a cached value, read as blank"
        )
        return None

    def _totals(self, body: _Body, colmap: dict, units: dict) -> list:
        """合计/总计 rows: the written figures, checked once the data rows are parsed."""
        totals = []
        for i in np.flatnonzero(body.is_total):
            cells = self.grid.row(int(body.pos[i]))
            for c, (col, _header, _) in colmap.items():
                if col.type not in (MONEY, INT):
                    continue
                text = cell_text(cells[c])
                if not text or text == body.first_text.iloc[i]:
                    continue
                money = col.type == MONEY
                written = written_number(text, units.get(col.id) if money else None, money)
                if written is not None:
                    totals.append((int(body.pos[i]) + 1, col.id, *written, text))
        return totals


@dataclass
class _Body:
    """The rows below the header: positions, first text, totals rows, data rows."""

    pos: np.ndarray
    first_text: pd.Series | None = None
    is_total: np.ndarray | None = None
    data_pos: np.ndarray | None = None


def written_number(
    text: str, column_unit: str | None, money: bool
) -> tuple[float, float, int] | None:
    """A totals cell as (number as written, factor to 万元, decimals written)."""
    clean = re.sub(r"[,，'\s]", "", nfkc(text))
    m = re.fullmatch(r"([+-]?\d+(?:\.(\d*))?)(千元|万元|亿元|元|万|亿)?", clean)
    if not m:
        return None
    unit = m.group(3) or column_unit
    if money and unit is None:
        return None
    factor = MONEY_UNITS[unit] if money else 1.0
    return float(m.group(1)), factor, len(m.group(2) or "")


def _too_long(raw: pd.Series) -> np.ndarray:
    """Cells longer than ``MAX_CELL_CHARS`` characters."""
    if isinstance(raw.dtype, pd.StringDtype):
        arr = pa.array(raw.array)
        # a cell of at most MAX_CELL_CHARS bytes has at most as many characters: the byte
        # lengths come from the offsets, so the characters are counted only when needed
        if (pc.max(pc.binary_length(arr)).as_py() or 0) <= MAX_CELL_CHARS:
            return np.zeros(len(raw), dtype=bool)
        lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
        return np.nan_to_num(lengths.astype(float), nan=0) > MAX_CELL_CHARS
    if raw.dtype != object:
        return np.zeros(len(raw), dtype=bool)
    limit = MAX_CELL_CHARS
    return np.fromiter(
        (isinstance(v, str) and len(v) > limit for v in raw.to_numpy()), dtype=bool, count=len(raw)
    )


def _in_range(col: Column, value: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``value`` with cells outside the column's declared range removed, and their mask."""
    bounds = col.value_range
    if bounds is None:
        return value, np.zeros(len(value), dtype=bool)
    lo, hi = bounds
    outside = ((value < lo) | (value > hi)).fillna(False).to_numpy(dtype=bool)
    return (value.mask(outside) if outside.any() else value), outside


def _typed_column(col: Column, raw: pd.Series) -> tuple[pd.Series, list]:
    """A non-money column parsed, with its problems (a count outside its range: ``range``)."""
    if col.type == INT:
        number, bad = parse_number(raw)
        fraction = (number.notna() & (number != number.round())).fillna(False)
        number, outside = _in_range(col, number.mask(fraction))
        value = number.round().astype("Int64")
        return value, [
            mask_problems(bad | fraction, col.id, "integer"),
            mask_problems(outside, col.id, "range"),
        ]
    value, bad = parse_column(col, raw)
    return value, [mask_problems(bad, col.id, _PARSE_RULE.get(col.type, "number"))]


def parse_column(col: Column, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """One non-money column's cells parsed by its type: (values, cells that could not be read)."""
    if col.type == INT:
        return parse_number(raw, integer=True)
    if col.type == YEAR:
        return parse_year(raw)
    if col.type == DATE:
        return parse_date(raw)
    if col.type == BOOL:
        return parse_bool(raw)
    if col.id == "uscc" or col.id.endswith("_uscc"):
        return normalize_uscc(raw), pd.Series(False, index=raw.index)
    if col.type == ENUM:
        text, _ = as_text(raw)
        return text, pd.Series(False, index=raw.index)
    if col.id == "industry_code":
        text, _ = as_text(raw)
        # Excel turns 07 typed as a number into 7
        return regex_replace(text, r"^(\d)$", r"0\1"), pd.Series(False, index=raw.index)
    return parse_text(raw, is_id=col.is_id)


def mask_problems(mask: pd.Series, column: str, rule: str) -> pd.DataFrame | None:
    """The rows flagged in ``mask`` as (index, column, rule) problems (None if none)."""
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(pos):
        return None
    return pd.DataFrame({"index": pos.astype("int64"), "column": column, "rule": rule})
