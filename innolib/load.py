"""Files → typed, validated tables: ``load_package`` and its row accounting.

A package is a folder (one file per table, CSV, XLSX or Parquet; several files for one
table are concatenated) or a single workbook (one sheet per table). For each file or
sheet the loader finds the header row below any title rows (merged cells included),
matches headers to the declared columns of ``tables.py``, sorts every other row into
data and non-data (blank, note, totals, subtotal, repeated header), parses the data
cells with ``normalize`` (units → 万元, dates, booleans, codes), and validates the
table with its pandera schema (``schemas``), referential integrity included. Nothing is
dropped silently: the ``LoadReport`` accounts for every row read.

A Parquet file keeps its typed columns (``_TypedView``): numbers, dates and flags that
already have the declared type are converted directly and text stays in Arrow, so a
national-size package is not turned into Python objects and text first; the rules, the
package and the report are those of the same rows written as CSV. Tables are parsed one at
a time, just before they are validated.

Strict mode (the default) raises ``PackageInvalid`` when any row is rejected or a
totals row disagrees with its rows; lenient mode keeps the good rows and reports the
rest. Parsed-and-validated packages are cached as Parquet, keyed by the input files'
hashes and the loader's version (``INNOLIB_CACHE_DIR`` moves the cache,
``INNOLIB_CACHE=0`` turns it off).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from innolib.errors import DataError
from innolib.load_report import (
    NON_DATA_KINDS,
    LoadReport,
    PackageInvalid,
    Problem,
    SourceAccount,
    write_rejects,
)
from innolib.normalize import (
    MONEY_UNITS,
    as_text,
    decode_csv,
    empty_mask,
    match_header,
    match_table_name,
    nfkc,
    normalize_uscc,
    parse_bool,
    parse_date,
    parse_money,
    parse_number,
    parse_percent,
    parse_text,
    parse_year,
    regex_match,
    regex_replace,
    unit_note,
)
from innolib.package import District, Package, coerce_types
from innolib.tables import (
    BOOL,
    DATE,
    DISTRICT_FIELDS,
    ENUM,
    INT,
    MONEY,
    TABLES,
    YEAR,
    Column,
    Table,
)

__all__ = [
    "LoadReport",
    "PackageInvalid",
    "Problem",
    "load_package",
    "read_district",
    "write_rejects",
]

TABLE_FORMATS = (".csv", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq")  # .xls: calamine reads it too
_META_SHEETS = ("district", "说明")
_HEADER_SEARCH_ROWS = 30
# processing order: referenced tables first
_ORDER = (
    "enterprises",
    "activities",
    *[t for t in TABLES if t not in ("enterprises", "activities")],
)

# first non-empty cell of a row (spaces removed), RE2 patterns
_TOTAL = r"^(?:合计|总计)[:：]?$"
_SUBTOTAL = r"^小计[:：]?$"
_NOTE = (
    r"^(?:(?:注|备注|说明|填表人|填报人|审核人|负责人|制表人?|填报单位|填表单位|填报日期|填表日期|制表日期|"
    r"数据来源|资料来源|单位)\d*[:：.、]|注$)"
)


# ====================================================================================
# public API


def load_package(path: str | Path, *, lenient: bool = False) -> Package:
    """Load and validate a district data package (a folder or a single workbook).

    Returns a ``Package`` whose tables hold only accepted rows, typed as ``package.py``
    describes, with ``report`` (a ``LoadReport``) and ``files`` ({relative path: sha256}).
    Strict (default): raises ``PackageInvalid`` (a ``DataError`` carrying ``.report``)
    if any row is rejected or a 合计 row disagrees. ``lenient=True``: rejected rows are
    left out and listed in the report (``write_rejects`` writes them to CSV).
    A missing ``enterprises`` table or unreadable metadata is a ``DataError`` in both modes.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"找不到数据包：{path}", f"no such data package: {path}")
    if path.is_dir() and path.name in ("", ".", ".."):  # the folder's own name is the district id
        path = path.resolve()
    files = _input_files(path)
    hashes = {rel: _sha256(p) for rel, p in files.items()}
    cache = _cache_dir()
    key = _cache_key(path, hashes, lenient) if cache else ""
    if cache:
        cached = _read_cache(cache / key, path)
        if cached is not None:
            return cached
    package = _load(path, files, hashes, lenient)
    if not package.report.ok and not lenient:
        raise PackageInvalid(package.report)
    if cache:
        _write_cache(cache / key, package)
    return package


def read_district(path: str | Path) -> District:
    """Only the district metadata of a package (folder or workbook)."""
    path = Path(path)
    if path.is_dir():
        return _district_from_yaml(path, path.resolve().name)
    return _district_of_workbook(path, _read_workbook(path))[0]


# ====================================================================================
# inputs and hashes


def _input_files(path: Path) -> dict[str, Path]:
    """Files a package may read, by path relative to the package (or the workbook's folder)."""
    if path.is_dir():
        out = {}
        for p in sorted(path.iterdir()):
            if (
                p.is_file()
                and not p.name.startswith((".", "~$"))
                and (
                    p.suffix.lower() in TABLE_FORMATS or p.name in ("district.yaml", "district.yml")
                )
            ):
                out[p.name] = p
        return out
    out = {path.name: path}
    for name in ("district.yaml", "district.yml"):
        if (path.parent / name).is_file():
            out[name] = path.parent / name
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ====================================================================================
# district metadata


def _district_from_mapping(data: dict, district_id: str, where: str) -> District:
    missing = [f.id for f in DISTRICT_FIELDS if f.required and not data.get(f.id)]
    if missing:
        zh = "、".join(f"{f.zh}({f.id})" for f in DISTRICT_FIELDS if f.id in missing)
        raise DataError(
            f"{where}：缺少区县信息字段 {zh}",
            f"{where}: district metadata lacks {', '.join(missing)}",
        )
    code = str(data["code"]).strip()
    if code.endswith(".0"):
        code = code[:-2]
    if not re.fullmatch(r"\d{6}", code):
        raise DataError(
            f"{where}：行政区划代码须为6位数字，现为「{code}」",
            f"{where}: code must be a 6-digit division code, got {code!r}",
        )
    towns = data["towns"]
    if isinstance(towns, str):
        towns = [t for t in re.split(r"[、,，;；\s]+", towns) if t]
    population = data.get("population") or {}
    if isinstance(population, str):
        population = {
            k: v for k, v in re.findall(r"([^\s:：、,，;；]+)\s*[:：]\s*([\d,]+)", population)
        }
    population = {str(k): int(str(v).replace(",", "")) for k, v in population.items()}
    cutoff = data.get("cutoff")
    if cutoff not in (None, ""):
        parsed, bad = parse_date(pd.Series([cutoff], dtype=object))
        if bad.iloc[0]:
            raise DataError(
                f"{where}：数据截止日期无法识别「{cutoff}」",
                f"{where}: unreadable cutoff {cutoff!r}",
            )
        cutoff = parsed.iloc[0].date()
    else:
        cutoff = None
    unit = str(data.get("currency_unit") or "万元")
    if unit != "万元":
        raise DataError(
            f"{where}：currency_unit 只能是万元", f"{where}: currency_unit must be 万元"
        )
    return District(
        id=str(data.get("id") or district_id),
        code=code,
        name=str(data["name"]),
        city=str(data["city"]),
        province=str(data["province"]),
        towns=tuple(str(t).strip() for t in towns),
        name_en=str(data.get("name_en") or ""),
        currency_unit=unit,
        cutoff=cutoff,
        population=population,
    )


def _district_from_yaml(folder: Path, district_id: str) -> District:
    for name in ("district.yaml", "district.yml"):
        p = folder / name
        if p.is_file():
            try:
                data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as error:
                raise DataError(
                    f"{p}：无法读取（{error}）", f"{p}: unreadable ({error})"
                ) from error
            data.pop("id", None)  # a folder's id is its name
            return _district_from_mapping(data, district_id, str(p))
    raise DataError(
        f"{folder}：缺少 district.yaml（区县信息）",
        f"{folder}: district.yaml (district metadata) is missing",
    )


_FIELD_BY_KEY = {k: f.id for f in DISTRICT_FIELDS for k in (f.id, f.zh)}


def _metadata_from_grid(grid: pd.DataFrame) -> dict:
    """Key–value rows of a 说明/district sheet: key (field id or 中文名) then its value."""
    data: dict = {}
    rows = [
        [
            "" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
            for v in row
        ]
        for row in grid.itertuples(index=False)
    ]  # a handful of rows
    value_column = None
    for r, cells in enumerate(rows[:5]):  # a header row naming the value column (the template's)
        labels = [nfkc(str(c)).strip().lower() for c in cells]
        if "值" in labels or "value" in labels:
            value_column = labels.index("值") if "值" in labels else labels.index("value")
            rows = rows[r + 1 :]
            break
    for cells in rows:
        if value_column is not None:
            key = next(
                (
                    _FIELD_BY_KEY.get(nfkc(str(c)).strip())
                    for c in cells[:value_column]
                    if _FIELD_BY_KEY.get(nfkc(str(c)).strip())
                ),
                None,
            )
            value = cells[value_column] if value_column < len(cells) else ""
            if key and str(value).strip() != "":
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                data[key] = value.strip() if isinstance(value, str) else value
            continue
        last_key = None
        for i, cell in enumerate(cells[:3]):
            key = _FIELD_BY_KEY.get(nfkc(str(cell)).strip())
            if key is None:
                break
            last_key = (i, key)
        if last_key is None:
            continue
        i, key = last_key
        values = [v for v in cells[i + 1 :] if str(v).strip() != ""]
        if values:
            value = values[0]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            data[key] = value if not isinstance(value, str) else value.strip()
    return data


def _is_metadata_sheet(grid: pd.DataFrame) -> bool:
    data = _metadata_from_grid(grid)
    return "code" in data and "name" in data


def _district_of_workbook(path: Path, sheets: dict[str, _Sheet]) -> tuple[District, str | None]:
    for wanted in _META_SHEETS:
        for name, sheet in sheets.items():
            # a sheet named district is the metadata (missing fields are reported); a 说明
            # sheet only when it holds key–value rows (a template's 说明 is its notes)
            if name.strip().lower() == wanted and (
                wanted == "district" or _is_metadata_sheet(sheet.grid)
            ):
                data = _metadata_from_grid(sheet.grid)
                return _district_from_mapping(
                    data, str(data.get("id") or path.stem), f"{path.name}[{name}]"
                ), name
    if any((path.parent / n).is_file() for n in ("district.yaml", "district.yml")):
        return _district_from_yaml(path.parent, path.stem), None
    raise DataError(
        f"{path.name}：没有“说明”或“district”区县信息表，旁边也没有 district.yaml",
        f"{path.name}: no 说明/district metadata sheet and no district.yaml beside it",
    )


# ====================================================================================
# reading files into grids


def _typed_grid(rows: list[list[object]], all_text: bool = False) -> pd.DataFrame:
    """Raw cells as a frame; all-text columns become Arrow strings (fast vectorised text ops)."""
    width = max((len(r) for r in rows), default=0)
    rows = [r if len(r) == width else [*r, *([None] * (width - len(r)))] for r in rows]
    grid = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    if all_text:
        return grid.astype("string[pyarrow]") if width else grid
    for c in grid.columns:
        try:  # Arrow refuses a column with any non-text cell (numbers, dates): those stay object
            arr = pa.array(grid[c].to_numpy(), type=pa.string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            continue
        grid[c] = pd.Series(pd.array(arr, dtype="string[pyarrow]"), index=grid.index)
    return grid


@dataclass
class _Sheet:
    grid: pd.DataFrame  # raw cells, object, row 0 = Excel row 1
    merged: list = field(default_factory=list)


@dataclass
class _Source:
    table: str
    file: str
    sheet: str
    kind: str  # excel | csv | parquet
    grid: pd.DataFrame | None  # None for Parquet: read when the table is parsed (``path``)
    merged: list = field(default_factory=list)
    encoding: str = ""
    path: Path | None = None


def _read_workbook(path: Path) -> dict[str, _Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {}
        for name in book.sheet_names:
            ws = book.get_sheet_by_name(name)
            rows = ws.to_python(skip_empty_area=False)
            try:
                merged = list(ws.merged_cell_ranges or [])
            except Exception:
                merged = []
            sheets[name] = _Sheet(_typed_grid(rows), merged)
        return sheets
    except Exception as error:
        raise DataError(
            f"{path.name}：无法读取Excel文件（{error}）",
            f"{path.name}: cannot read the workbook ({error})",
        ) from error


def _read_csv(path: Path) -> tuple[pd.DataFrame, str]:
    import csv
    import io

    try:
        text, encoding = decode_csv(path.read_bytes())
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path.name}：无法识别文件编码（应为UTF-8或GBK/GB18030）",
            f"{path.name}: unknown encoding (expected UTF-8 or GBK/GB18030)",
        ) from error
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return _typed_grid(rows, all_text=True), encoding


def _read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as a grid of Python objects (row 0 = the column names), like a sheet.

    Only for a Parquet file the typed path (``_parse_parquet``) hands back: its header is not
    the first row, or it is not a table of typed columns at all.
    """
    frame = pd.read_parquet(path)
    header = pd.DataFrame([list(frame.columns)], dtype=object)
    body = frame.astype(object)
    body.columns = range(len(frame.columns))
    return pd.concat([header, body], ignore_index=True)


def _sources(
    path: Path, files: dict[str, Path]
) -> tuple[District, list[_Source], list[str], list[str]]:
    """The district and every table source of the package; ignored inputs; notes."""
    sources: list[_Source] = []
    ignored: list[str] = []
    notes: list[str] = []
    if path.is_dir():
        district = _district_from_yaml(path, path.name)
        for rel, p in files.items():
            suffix = p.suffix.lower()
            if suffix not in TABLE_FORMATS:
                continue
            table = match_table_name(p.stem)
            if suffix == ".csv":
                if table is None:
                    ignored.append(f"{rel}：文件名不对应任何表 / file name matches no table")
                    continue
                grid, encoding = _read_csv(p)
                sources.append(_Source(table, rel, "", "csv", grid, encoding=encoding))
            elif suffix in (".parquet", ".pq"):
                if table is None:
                    ignored.append(f"{rel}：文件名不对应任何表 / file name matches no table")
                    continue
                sources.append(_Source(table, rel, "", "parquet", None, path=p))
            else:
                sheets = _read_workbook(p)
                sources += _workbook_sources(rel, sheets, table, ignored, meta_sheet=None)
    else:
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
            raise DataError(
                f"{path.name}：单个文件形式的数据包须为Excel工作簿（.xlsx）",
                f"{path.name}: a single-file package must be an .xlsx workbook",
            )
        sheets = _read_workbook(path)
        district, meta = _district_of_workbook(path, sheets)
        sources += _workbook_sources(path.name, sheets, None, ignored, meta_sheet=meta)
    return district, sources, ignored, notes


def _workbook_sources(
    rel: str,
    sheets: dict[str, _Sheet],
    file_table: str | None,
    ignored: list[str],
    meta_sheet: str | None,
) -> list[_Source]:
    """Sheets named by a table; in a file named by a table, its first non-empty sheet too."""
    out = []
    by_name = {name: match_table_name(name) for name in sheets}
    named = any(by_name.values())
    used_file_table = False
    for name, sheet in sheets.items():
        table = by_name[name]
        if name == meta_sheet:
            continue
        if (
            table is None
            and file_table
            and not named
            and not used_file_table
            and not sheet.grid.empty
        ):
            table, used_file_table = file_table, True
        if table is None:
            if not sheet.grid.empty:
                ignored.append(f"{rel}[{name}]：工作表名不对应任何表 / sheet name matches no table")
            continue
        out.append(_Source(table, rel, name, "excel", sheet.grid, sheet.merged))
    return out


# ====================================================================================
# one source: header, row classes, parsed cells


@dataclass
class _Parsed:
    source: _Source
    account: SourceAccount
    frame: pd.DataFrame  # parsed data rows (columns by id) + _row
    raw: pd.DataFrame  # the same rows' raw cells, columns by id
    headers: dict[str, str]  # column id → header as written
    problems: pd.DataFrame  # local index, column, rule (cells that could not be parsed)
    file_problems: list[Problem]
    totals: list[
        tuple[int, str, float, float, int, str]
    ]  # row, column, written number, factor, decimals, text
    notes: list[str]
    unusable: bool = False


def _cell_text(value: object) -> str:
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


def _filled_top(grid: pd.DataFrame, merged: list) -> list[list[object]]:
    """The first rows of a sheet with each merged range's value copied into all its cells."""
    top = grid.iloc[:_HEADER_SEARCH_ROWS].values.tolist()
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(top):
            continue
        value = top[r0][c0] if c0 < len(top[r0]) else None
        for r in range(r0, min(r1 + 1, len(top))):
            for c in range(c0, min(c1 + 1, len(top[r]))):
                top[r][c] = value
    return top


def _find_header(table: Table, top: list[list[object]]) -> tuple[int, int]:
    best, best_score = -1, 0
    for r, row in enumerate(top):
        found = {
            col.id
            for col, _ in (match_header(table, v) for v in row if _cell_text(v))
            if col is not None
        }
        if len(found) > best_score:
            best, best_score = r, len(found)
    return best, best_score


class _GridView:
    """The cells of a sheet or CSV file as the parser reads them (row 0 = the file's first row).

    Columns are raw cells: Python objects, or Arrow strings for all-text columns.
    """

    def __init__(self, grid: pd.DataFrame):
        self.grid = grid
        self.shape = grid.shape
        self._values: np.ndarray | None = None

    def _all(self) -> np.ndarray:
        if self._values is None:
            self._values = self.grid.to_numpy(dtype=object)
        return self._values

    def nonempty(self, c: int) -> np.ndarray:
        return ~empty_mask(self.grid[c]).to_numpy()

    def top(self, merged: list) -> list[list[object]]:
        return _filled_top(self.grid, merged)

    def row(self, r: int) -> list[object]:
        return list(self._all()[r])

    def first_text(self, start: int, first_col: np.ndarray, nonempty: np.ndarray) -> pd.Series:
        """The first non-empty cell of each row from ``start`` on, spaces removed ("" if none)."""
        values = self._all()[start:]
        first = pd.Series(values[np.arange(len(values)), first_col], dtype=object)
        return regex_replace(as_text(first)[0], r"\s+", "").fillna("")

    def equals(self, c: int, start: int, text: str) -> np.ndarray:
        return self.grid[c].iloc[start:].eq(text).fillna(False).to_numpy(dtype=bool)

    def column(self, c: int, rows: np.ndarray, col: Column) -> pd.Series:
        return self.grid[c].iloc[rows].reset_index(drop=True)


class _TypedView:
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
        head = np.array([_cell_text(self.names[c]) != ""])
        if self.kinds[c] == "text":
            blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(self._strings(c)), ""), True)
            body = ~blank.to_numpy(zero_copy_only=False)
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
            self.data.column(c).slice(0, _HEADER_SEARCH_ROWS - 1).to_pylist()
            for c in range(self.shape[1])
        ]
        return [list(self.names), *(list(r) for r in zip(*body))]

    def row(self, r: int) -> list[object]:
        if r == 0:
            return list(self.names)
        return [self.data.column(c)[r - 1].as_py() for c in range(self.shape[1])]

    def first_text(self, start: int, first_col: np.ndarray, nonempty: np.ndarray) -> pd.Series:
        """As ``_GridView.first_text``, read only where it can matter: non-ASCII text cells.

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


def _parse_source(src: _Source) -> _Parsed:
    if src.kind == "parquet":
        import pyarrow.parquet as pq

        try:
            data = pq.read_table(src.path)
        except (pa.ArrowException, OSError) as error:
            raise DataError(
                f"{src.file}：无法读取Parquet文件（{error}）",
                f"{src.file}: unreadable Parquet ({error})",
            ) from error
        view = _TypedView(data)
        if view.typed:
            header_row, _ = _find_header(TABLES[src.table], view.top([]))
            if header_row == 0:
                return _parse_view(src, view)
        del view, data  # header below the first row, or unusual types: read it as a sheet
        src.grid = _read_parquet(src.path)
    return _parse_view(src, _GridView(src.grid))


def _parse_view(src: _Source, grid: _GridView | _TypedView) -> _Parsed:
    table = TABLES[src.table]
    n, width = grid.shape
    account = SourceAccount(table.id, src.file, src.sheet, read=n, encoding=src.encoding)
    non_data = dict.fromkeys(NON_DATA_KINDS, 0)
    where = f"{src.file}" + (f"[{src.sheet}]" if src.sheet else "")
    notes: list[str] = []
    file_problems: list[Problem] = []

    def file_problem(
        rule: str, zh: str, en: str, row: int | None = None, column: str = "", value: str = ""
    ):
        from innolib.schemas import RULES

        rz, re_ = RULES[rule]
        file_problems.append(
            Problem(
                table.id, src.file, src.sheet, row, column, value, rule, f"{rz}{zh}", f"{re_}{en}"
            )
        )

    nonempty = (
        np.column_stack([grid.nonempty(c) for c in range(width)])
        if width
        else np.zeros((n, 0), dtype=bool)
    )
    blank = ~nonempty.any(axis=1) if width else np.ones(n, dtype=bool)
    top = grid.top(src.merged)
    header_row, score = _find_header(table, top) if n else (-1, 0)
    if score == 0:
        empty_frame = coerce_types(table.id, pd.DataFrame())
        file_problem("no_header", "", "")
        non_data["blank"] = int(blank.sum())
        account.rejected = n - non_data["blank"]
        account.non_data = {k: v for k, v in non_data.items() if v}
        return _Parsed(
            src,
            account,
            empty_frame.assign(_row=pd.Series(dtype="int64")),
            pd.DataFrame(),
            {},
            _no_problems(),
            file_problems,
            [],
            notes,
            unusable=True,
        )

    # a group header row above (merged cells spanning into the header, or ≥ 2 labels)
    header_rows = [header_row]
    upper = None
    if header_row > 0:
        vertical = any(r0 < header_row <= r1 for (r0, _), (r1, _) in src.merged)
        labels = int(nonempty[header_row - 1].sum())
        if vertical or labels >= 2:
            upper = top[header_row - 1]
            header_rows.insert(0, header_row - 1)

    # header cells → columns
    colmap: dict[int, tuple[Column, str, str | None]] = {}
    for c in range(width):
        text = top[header_row][c]
        if not _cell_text(text) and upper is not None:
            text = upper[c]
        if not _cell_text(text):
            continue
        col, unit = match_header(table, text)
        if col is None:
            notes.append(
                f"{where}：未识别的列「{_cell_text(text)}」已忽略 / unknown column ignored"
            )
            continue
        if unit is None and upper is not None and upper[c] is not text:
            _, unit = match_header(table, upper[c])
            if unit is None:
                unit = unit_note(upper[c])
        if any(other.id == col.id for other, _, _ in colmap.values()):
            file_problem(
                "duplicate_column", f"：{col.zh}", f": {col.id}", header_row + 1, _cell_text(text)
            )
            continue
        colmap[c] = (col, _cell_text(text), unit)

    # rows above the header: titles, notes, blank; a 单位：元 note anywhere declares the unit
    sheet_units = []
    for r in range(header_row):
        if r in [h for h in header_rows]:
            continue
        cells = [v for v in top[r] if _cell_text(v)]
        if not cells:
            non_data["blank"] += 1
            continue
        units = [u for u in (unit_note(v) for v in cells) if u]
        sheet_units += units
        first = re.sub(r"\s+", "", nfkc(_cell_text(cells[0])))
        non_data["note" if re.match(_NOTE, first) else "title"] += 1
    non_data["header"] += len(header_rows)

    # rows below the header
    body_pos = np.arange(header_row + 1, n)
    body_nonempty = nonempty[header_row + 1 :]
    body_blank = blank[header_row + 1 :]
    first_col = body_nonempty.argmax(axis=1) if width else np.zeros(len(body_pos), dtype=int)
    first_text = grid.first_text(header_row + 1, first_col, body_nonempty)
    is_total = regex_match(first_text, _TOTAL) & ~body_blank
    is_subtotal = regex_match(first_text, _SUBTOTAL) & ~body_blank
    is_note = regex_match(first_text, _NOTE) & ~body_blank & ~is_total & ~is_subtotal
    repeat = np.zeros(len(body_pos), dtype=bool)
    if (
        len(colmap) >= 2
    ):  # a header row repeated below (pasted ledgers): every mapped cell = its header
        c0, (_, header0, _) = next(iter(colmap.items()))
        candidates = np.flatnonzero(grid.equals(c0, header_row + 1, header0))
        for i in candidates:
            cells = grid.row(header_row + 1 + i)
            repeat[i] = all(_cell_text(cells[c]) == header for c, (_, header, _) in colmap.items())
    for i in np.flatnonzero(is_note):
        sheet_units += [u for u in (unit_note(v) for v in grid.row(header_row + 1 + i)) if u]
    non_data["blank"] += int(body_blank.sum())
    non_data["total"] += int(is_total.sum())
    non_data["subtotal"] += int(is_subtotal.sum())
    non_data["note"] += int(is_note.sum())
    non_data["header"] += int((repeat & ~is_note & ~is_total & ~is_subtotal & ~body_blank).sum())
    data_mask = ~(body_blank | is_total | is_subtotal | is_note | repeat)
    data_pos = body_pos[data_mask]
    sheet_unit = sheet_units[0] if sheet_units else None
    if len(set(sheet_units)) > 1:
        notes.append(
            f"{where}：多个“单位”说明（{'、'.join(dict.fromkeys(sheet_units))}），采用第一个 / "
            f"several 单位 notes, the first is used"
        )

    # missing columns
    present = {col.id for col, _, _ in colmap.values()}
    unusable = False
    for col in table.columns:
        if col.id in present or col.id in table.optional_columns:
            continue
        if col.required:
            unusable = True
            file_problem(
                "missing_column",
                f"「{col.header}」（必填，本文件{len(data_pos)}行未载入）",
                f" {col.id} (required; the file's {len(data_pos)} rows were not loaded)",
            )
        else:
            file_problem("missing_column", f"「{col.header}」", f" {col.id}")
    if unusable:
        empty_frame = coerce_types(table.id, pd.DataFrame())
        account.rejected = len(data_pos)
        account.non_data = {k: v for k, v in non_data.items() if v}
        return _Parsed(
            src,
            account,
            empty_frame.assign(_row=pd.Series(dtype="int64")),
            pd.DataFrame(),
            {},
            _no_problems(),
            file_problems,
            [],
            notes,
            unusable=True,
        )

    # parse the data cells, column by column (vectorised)
    parsed: dict[str, pd.Series] = {}
    raws: dict[str, pd.Series] = {}
    headers: dict[str, str] = {}
    problems = []
    units: dict[str, str | None] = {}
    for c, (col, header, unit) in colmap.items():
        raw = grid.column(c, data_pos, col)
        raws[col.id] = raw
        headers[col.id] = header
        if col.type == MONEY:
            unit = unit if unit in MONEY_UNITS else None
            if unit is None and sheet_unit:
                unit = sheet_unit
            if unit is None and src.kind == "parquet" and header == col.id:
                unit = "万元"  # Parquet with id headers is the package's own (loaded) form
            units[col.id] = unit
            value, bad, no_unit = parse_money(raw, unit)
            problems += [
                _mask_problems(bad, col.id, "number"),
                _mask_problems(no_unit, col.id, "money_unit"),
            ]
            if no_unit.any():
                notes.append(
                    f"{where}：列「{header}」没有金额单位（元/万元/亿元），不作猜测 / "
                    f"column {header!r} has no money unit; not guessed"
                )
        else:
            value, bad = _parse_column(table, col, raw)
            rule = {INT: "integer", YEAR: "year", DATE: "date", BOOL: "bool"}.get(
                col.type, "number"
            )
            problems.append(_mask_problems(bad, col.id, rule))
        parsed[col.id] = value
    frame = pd.DataFrame(parsed, index=pd.RangeIndex(len(data_pos)))
    for col in table.columns:
        if col.id not in frame:
            frame[col.id] = _empty_column(col, len(frame))
        if col.type == ENUM and col.empty_means:
            frame[col.id] = frame[col.id].where(frame[col.id].notna(), col.empty_means)
    frame = frame[[c.id for c in table.columns]]
    frame["_row"] = data_pos + 1

    # 合计/总计 rows: the written figures, checked once the data rows are parsed
    totals = []
    for i in np.flatnonzero(is_total):
        cells = grid.row(int(body_pos[i]))
        for c, (col, _header, _) in colmap.items():
            if col.type not in (MONEY, INT):
                continue
            text = _cell_text(cells[c])
            if not text or text == first_text.iloc[i]:
                continue
            written = _written_number(
                text, units.get(col.id) if col.type == MONEY else None, col.type == MONEY
            )
            if written is None:
                continue
            totals.append((int(body_pos[i]) + 1, col.id, *written, text))

    account.non_data = {k: v for k, v in non_data.items() if v}
    return _Parsed(
        src,
        account,
        frame,
        pd.DataFrame(raws, index=frame.index),
        headers,
        pd.concat(problems, ignore_index=True)
        if any(x is not None for x in problems)
        else _no_problems(),
        file_problems,
        totals,
        notes,
    )


_EMPTY_DTYPES = {
    MONEY: "Float64",
    INT: "Int64",
    YEAR: "Int64",
    DATE: "datetime64[s]",
    BOOL: "boolean",
}


def _empty_column(col: Column, n: int) -> pd.Series:
    """An all-empty column of the parsed dtype (for an optional column the file lacks)."""
    return pd.Series([None] * n, dtype=_EMPTY_DTYPES.get(col.type, object))


def _written_number(
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


def _parse_column(table: Table, col: Column, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
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


def _mask_problems(mask: pd.Series, column: str, rule: str) -> pd.DataFrame | None:
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(pos):
        return None
    return pd.DataFrame({"index": pos.astype("int64"), "column": column, "rule": rule})


def _no_problems() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "index": pd.Series(dtype="int64"),
            "column": pd.Series(dtype=object),
            "rule": pd.Series(dtype=object),
        }
    )


# ====================================================================================
# the whole package


def _load(path: Path, files: dict[str, Path], hashes: dict[str, str], lenient: bool) -> Package:
    from innolib import schemas

    district, sources, ignored, notes = _sources(path, files)
    report = LoadReport(
        source=str(path), district=district.id, lenient=lenient, ignored=ignored, notes=notes
    )
    if not any(s.table == "enterprises" for s in sources):
        raise DataError(
            f"{path}：缺少必需的企业名录（enterprises / 企业名录）",
            f"{path}: the required table enterprises (企业名录) is missing",
        )
    sources_by_table: dict[str, list[_Source]] = {}
    for src in sources:
        sources_by_table.setdefault(src.table, []).append(src)

    ctx = schemas.Context(
        towns=district.towns, indicators=_indicator_ids() if "targets" in sources_by_table else None
    )
    tables: dict[str, pd.DataFrame] = {}
    for table_id in _ORDER:
        # one table at a time, its raw cells dropped once it is validated: a national-size
        # package never holds every table's raw and parsed forms at once
        parts = [_parse_released(src) for src in sources_by_table.pop(table_id, [])]
        if not parts:
            report.absent.append(table_id)
            continue
        if all(p.account.read - p.account.non_data_total == 0 for p in parts) and not any(
            p.file_problems for p in parts
        ):
            # only headers (an untouched template sheet): not provided, which is not the same as zero
            report.accounts.extend(p.account for p in parts)
            if table_id == "enterprises":
                raise DataError(
                    f"{path}：企业名录没有数据行", f"{path}: enterprises has no data rows"
                )
            report.absent.append(table_id)
            report.notes.append(
                f"{TABLES[table_id].zh}：只有表头，视为未提供 / {table_id}: header only, "
                f"treated as absent"
            )
            continue
        accepted, read = _validate_table(TABLES[table_id], parts, ctx, report)
        del parts
        tables[table_id] = accepted
        # strict: a reference to a row that was read (even if rejected) is not reported again;
        # lenient: rows naming a rejected enterprise/activity are left out too, saying why
        if table_id in ("enterprises", "activities"):
            key = TABLES[table_id].key[0]
            ok_keys = _key_set(accepted[key])
            read_keys = _key_set(read[key])
            if lenient:
                ctx.rejected_keys[table_id] = read_keys - ok_keys
                chosen = accepted
            else:
                chosen = read
            if table_id == "enterprises":
                ctx.enterprises = ok_keys if lenient else read_keys
            else:
                ctx.activities = chosen[["activity_id", "type"]].dropna(subset=["activity_id"])
    report.absent = [t for t in TABLES if t in report.absent]
    if "targets" in tables:
        tables["targets"] = _targets(tables["targets"], report)
    ordered = {t: tables[t] for t in TABLES if t in tables}
    return Package(district, ordered, report=report, files=hashes, source=str(path))


def _key_set(keys: pd.Series) -> frozenset:
    """The non-empty keys of a column (read through Arrow: no pandas scalar per row)."""
    arr = pa.array(keys, from_pandas=True)
    return frozenset(pc.drop_null(arr).to_pylist())


def _parse_released(src: _Source) -> _Parsed:
    """``_parse_source``, then let go of a Parquet file's cells (the parsed frame keeps what is needed)."""
    parsed = _parse_source(src)
    if src.kind == "parquet":
        src.grid = None
    return parsed


def _validate_table(
    table: Table, parts: list[_Parsed], ctx, report: LoadReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate one table's parsed sources together; record accounting and problems.

    Returns (accepted rows typed, every parsed row).
    """
    from innolib.schemas import failures, rule_text

    usable = [p for p in parts if not p.unusable]
    frames, offsets, offset = [], [], 0
    for p in usable:
        frames.append(p.frame)
        offsets.append(offset)
        offset += len(p.frame)
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else coerce_types(table.id, pd.DataFrame()).assign(_row=pd.Series(dtype="int64"))
    )
    part_of = (
        np.repeat(np.arange(len(usable)), [len(p.frame) for p in usable])
        if usable
        else np.array([], int)
    )
    parse_problems = pd.concat(
        [p.problems.assign(index=p.problems["index"] + off) for p, off in zip(usable, offsets)]
        or [_no_problems()],
        ignore_index=True,
    )
    rule_failures = failures(table, frame[[c.id for c in table.columns]], ctx)
    # a cell that could not be parsed is reported as such, not again as empty
    known = set(zip(parse_problems["index"], parse_problems["column"]))
    if len(rule_failures) and known:
        keep = [
            (i, c) not in known for i, c in zip(rule_failures["index"], rule_failures["column"])
        ]
        rule_failures = rule_failures[keep]
    all_problems = pd.concat([parse_problems, rule_failures], ignore_index=True).sort_values(
        ["index", "column"], kind="stable"
    )
    rejected = np.zeros(len(frame), dtype=bool)
    rejected[all_problems["index"].to_numpy(dtype="int64")] = True

    # messages, for the rejected cells only
    key_cols = list(table.key)
    for index, column, rule in all_problems.itertuples(index=False):
        p = usable[part_of[index]]
        local = index - offsets[part_of[index]]
        col = table.column(column) if column in {c.id for c in table.columns} else None
        header = p.headers.get(column, col.zh if col else column)
        if rule == "unique":
            value = "，".join(_cell_text(frame.at[index, k]) for k in key_cols)
        elif column in p.raw.columns:
            value = _cell_text(p.raw.at[local, column])
        else:
            value = ""
        zh, en = rule_text(rule, col)
        report.rejects.append(
            Problem(
                table.id,
                p.source.file,
                p.source.sheet,
                int(frame.at[index, "_row"]),
                header,
                value,
                rule,
                zh,
                en,
            )
        )

    # accounting and file-level problems
    for p in parts:
        report.errors.extend(p.file_problems)
        report.notes.extend(p.notes)
        if not p.unusable:
            i = usable.index(p)
            mine = rejected[offsets[i] : offsets[i] + len(p.frame)]
            p.account.rejected = int(mine.sum())
            p.account.accepted = len(p.frame) - p.account.rejected
            _check_totals(table, p, report)
        report.accounts.append(p.account)
    accepted = (
        frame.loc[~rejected, [c.id for c in table.columns]].reset_index(drop=True)
        if rejected.any()
        else frame[[c.id for c in table.columns]]
    )
    return coerce_types(table.id, accepted), frame


def _check_totals(table: Table, p: _Parsed, report: LoadReport) -> None:
    from innolib.schemas import RULES

    for row, column, number, factor, decimals, text in p.totals:
        total = p.frame[column].astype("Float64").sum(skipna=True)
        in_written_unit = float(total) / factor
        if abs(round(in_written_unit, decimals) - number) < 0.5 * 10 ** (-decimals):
            continue
        zh, en = RULES["totals"]
        expected = f"{round(in_written_unit, decimals):,.{decimals}f}"
        report.errors.append(
            Problem(
                table.id,
                p.source.file,
                p.source.sheet,
                row,
                p.headers.get(column, column),
                text,
                "totals",
                f"{zh}：数据行之和为{expected}",
                f"{en}: the rows sum to {expected}",
            )
        )


@functools.lru_cache(maxsize=1)
def _indicator_units() -> dict[str, str] | None:
    """{indicator id: unit} from the indicator registry (None when it cannot be read)."""
    try:
        from innolib.registry import registry_document

        return {str(e["id"]): str(e.get("unit", "")) for e in registry_document()["indicators"]}
    except Exception:
        return None


def _indicator_ids() -> frozenset[str] | None:
    units = _indicator_units()
    return None if units is None else frozenset(units)


def _targets(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    """Target values as plain numbers in the indicator's unit (59% → 59; 0.59 of a rate → 59)."""
    units = _indicator_units() or {}
    rate = frame["indicator"].astype(object).map(units).eq("%")
    value, bad, fraction = parse_percent(frame["target"], rate)
    for i in np.flatnonzero(fraction.to_numpy()):
        report.notes.append(
            f"年度目标 {frame.at[i, 'year']} {frame.at[i, 'indicator']}：「{frame.at[i, 'target']}」按比例读作"
            f"{value.iloc[i]:g}% / targets: {frame.at[i, 'target']!r} read as fraction = {value.iloc[i]:g}%"
        )
    text = value.map(lambda v: f"{v:.10g}", na_action="ignore")
    frame = frame.copy()
    frame["target"] = text.where(~bad, frame["target"]).astype("str")
    return frame


# ====================================================================================
# cache


def _cache_dir() -> Path | None:
    if os.environ.get("INNOLIB_CACHE", "1").strip().lower() in ("0", "false", "no", "off"):
        return None
    if os.environ.get("INNOLIB_CACHE_DIR"):
        return Path(os.environ["INNOLIB_CACHE_DIR"])
    return Path(__file__).resolve().parents[1] / ".innolib-cache"


def _code_version() -> str:
    """innolib's version plus a hash of the loader's own sources (a code change invalidates the cache)."""
    from innolib import __version__

    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for name in (
        "load.py",
        "load_report.py",
        "normalize.py",
        "schemas.py",
        "tables.py",
        "package.py",
    ):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _cache_key(path: Path, hashes: dict[str, str], lenient: bool) -> str:
    payload = json.dumps(
        {
            "v": _code_version(),
            "files": hashes,
            "lenient": lenient,
            "name": path.name if path.is_dir() else path.stem,
            "today": dt.date.today().isoformat(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _read_cache(entry: Path, path: Path) -> Package | None:
    meta_path = entry / "meta.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        d = meta["district"]
        cutoff = dt.date.fromisoformat(d["cutoff"]) if d.get("cutoff") else None
        district = District(
            d["id"],
            d["code"],
            d["name"],
            d["city"],
            d["province"],
            tuple(d["towns"]),
            d.get("name_en", ""),
            d.get("currency_unit", "万元"),
            cutoff,
            d.get("population", {}),
        )
        tables = {
            t: coerce_types(t, pd.read_parquet(entry / f"{t}.parquet")) for t in meta["tables"]
        }
        report = LoadReport.from_dict(meta["report"])
    except Exception:
        return None
    report.from_cache = True
    report.source = str(path)
    return Package(district, tables, report=report, files=meta["files"], source=str(path))


def _write_cache(entry: Path, package: Package) -> None:
    """Write atomically (temporary folder, then rename): parallel runs may share the cache."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        for table_id, frame in package.tables.items():
            frame.to_parquet(tmp / f"{table_id}.parquet", index=False)
        meta = {
            "district": package.district.to_dict(),
            "tables": list(package.tables),
            "report": package.report.to_dict(),
            "files": package.files,
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        try:
            tmp.rename(entry)
        except OSError:  # another process wrote the same entry first
            shutil.rmtree(tmp, ignore_errors=True)
        _prune_cache(entry.parent)
    except OSError:
        pass  # the cache is an optimisation: a read-only location just means no cache


def _prune_cache(folder: Path, keep: int = 64) -> None:
    entries = sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)
