"""Which files a package has, and each file or sheet read into a grid of raw cells.

A package is a folder (one file per table: CSV, XLSX or Parquet; several files for one
table are concatenated) or a single workbook (one sheet per table, plus a 说明/district
sheet). ``package_sources`` lists every table source with its grid; the district
metadata comes from ``district.py``. Reading a CSV decodes it (UTF-8 or GBK/GB18030) and
splits it into rows; reading a workbook goes through calamine (fast, no openpyxl).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from innolib.errors import DataError
from innolib.load.district import district_from_yaml, district_of_workbook
from innolib.load.grid import Sheet
from innolib.load.paths import (  # noqa: F401 - input_files and file_sha256 are named here too
    DISTRICT_FILES,
    TABLE_FORMATS,
    file_sha256,
    input_files,
)
from innolib.load.xlsx import Prefetch, read_cells
from innolib.measures import DOCUMENT_FORMATS, document_grid
from innolib.normalize import decode_csv, match_table_name
from innolib.package import District
from innolib.tables import MAX_CELL_CHARS


@dataclass
class Source:
    """One file or sheet holding (part of) a table."""

    table: str
    file: str
    sheet: str
    kind: str  # excel | csv | parquet
    grid: pd.DataFrame | None  # None for Parquet: read when the table is parsed (``path``)
    merged: list = field(default_factory=list)
    encoding: str = ""
    path: Path | None = None
    widths: np.ndarray | None = None  # CSV: fields per row (a ragged row is rejected)
    formulas: frozenset[tuple[int, int]] = frozenset()  # Excel: formula cells without value


def typed_grid(rows: list[list[object]], all_text: bool = False) -> pd.DataFrame:
    """Raw cells as a frame; all-text columns become Arrow strings (fast vectorised text ops).

    Built column by column (the rows transposed once), so that no row-wise object frame is
    made and then taken apart again: a 100k-row sheet's grid costs a fraction of its read.
    """
    width = max((len(r) for r in rows), default=0)
    if not rows or not width:
        return pd.DataFrame(index=pd.RangeIndex(len(rows)), dtype=object)
    rows = [r if len(r) == width else [*r, *([None] * (width - len(r)))] for r in rows]
    columns = {}
    for c, cells in enumerate(zip(*rows)):
        try:  # Arrow refuses a column with any non-text cell (numbers, dates): those stay object
            columns[c] = pd.array(
                pa.array(cells, type=pa.string(), from_pandas=True), dtype="string[pyarrow]"
            )
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            if all_text:  # (a CSV's cells are text: not reached)
                columns[c] = pd.Series(cells, dtype=object).astype("string[pyarrow]").array
                continue
            values = np.empty(len(cells), dtype=object)
            values[:] = cells
            columns[c] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def read_workbook(
    path: Path, shown: str | None = None, prefetch: Prefetch | None = None
) -> dict[str, Sheet]:
    """Every sheet of a workbook, in order (hidden ones with an empty grid and ``hidden``).

    An .xlsx/.xlsm is looked into first (``xlsx.inspect_workbook``): a sheet whose used
    range is absurd for its cells is refused before calamine would build it, and formula
    cells without a cached value are remembered for the parser. The cells come from
    ``xlsx.read_cells``, or from its run in the background (``prefetch``).
    """
    shown = shown or path.name
    cells = prefetch.cells(path, shown) if prefetch is not None else None
    if cells is None:
        cells = read_cells(path, shown)
    sheets = {}
    for name, raw in cells.items():
        if raw.hidden:
            sheets[name] = Sheet(pd.DataFrame(dtype=object), hidden=True)
        else:
            sheets[name] = Sheet(typed_grid(raw.rows), raw.merged, raw.formulas)
    return sheets


def read_csv(path: Path, shown: str | None = None) -> tuple[pd.DataFrame, str, np.ndarray]:
    """A CSV file's cells as text, its encoding, and each row's number of fields.

    Cells up to ``csv_field_limit`` characters are read (the csv module's default of
    131,072 would raise); a longer one is cut there and rejected later as too long.
    The field counts let the parser reject a ragged row instead of padding it.
    """
    shown = shown or path.name
    try:
        text, encoding = decode_csv(path.read_bytes())
    except UnicodeDecodeError:
        raise DataError(
            f"{shown}：无法识别文件编码（应为UTF-8或GBK/GB18030）",
            f"{shown}: unknown encoding (expected UTF-8 or GBK/GB18030)",
            file=shown,
            rule="encoding",
        ) from None
    if csv.field_size_limit() < MAX_CELL_CHARS + 1:
        csv.field_size_limit(MAX_CELL_CHARS + 1)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:  # a cell over the limit, a NUL byte…
        raise DataError(
            f"{shown}：CSV格式错误（{error}）",
            f"{shown}: malformed CSV ({error})",
            file=shown,
            rule="unreadable",
        ) from None
    widths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    return typed_grid(rows, all_text=True), encoding, widths


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as a grid of Python objects (row 0 = the column names), like a sheet.

    Only for a Parquet file the typed path (``_parse_parquet``) hands back: its header is not
    the first row, or it is not a table of typed columns at all.
    """
    try:
        frame = pd.read_parquet(path)
    except (pa.ArrowException, OSError, ValueError, TypeError) as error:
        raise DataError(
            f"{path.name}：无法读取Parquet文件（{error}）",
            f"{path.name}: unreadable Parquet ({error})",
            file=path.name,
            rule="unreadable",
        ) from None
    header = pd.DataFrame([list(frame.columns)], dtype=object)
    body = frame.astype(object)
    body.columns = range(len(frame.columns))
    return pd.concat([header, body], ignore_index=True)


def package_sources(
    path: Path, files: dict[str, Path], prefetch: Prefetch | None = None
) -> tuple[District, list[Source], list[str], list[str]]:
    """The district and every table source of the package; ignored inputs; notes.

    ``prefetch``: the package's workbooks already being read in the background.
    """
    sources: list[Source] = []
    ignored: list[str] = []
    notes: list[str] = []
    if path.is_dir():
        district = district_from_yaml(path, path.name)
        for rel, p in files.items():
            suffix = p.suffix.lower()
            if suffix in DOCUMENT_FORMATS:  # the measures table written as a Word/Markdown file
                sources.append(Source("measures", rel, "", "document", document_grid(p)))
                continue
            if suffix not in TABLE_FORMATS:
                continue
            table = match_table_name(p.stem)
            if suffix == ".csv":
                if table is None:
                    ignored.append(f"{rel}：文件名不对应任何表 / file name matches no table")
                    continue
                grid, encoding, widths = read_csv(p, rel)
                sources.append(
                    Source(table, rel, "", "csv", grid, encoding=encoding, widths=widths)
                )
            elif suffix in (".parquet", ".pq"):
                if table is None:
                    ignored.append(f"{rel}：文件名不对应任何表 / file name matches no table")
                    continue
                sources.append(Source(table, rel, "", "parquet", None, path=p))
            else:
                sheets = read_workbook(p, rel, prefetch)
                sources += workbook_sources(rel, sheets, table, ignored, meta_sheet=None)
    else:
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
            raise DataError(
                f"{path.name}：单个文件形式的数据包须为Excel工作簿（.xlsx）",
                f"{path.name}: a single-file package must be an .xlsx workbook",
            )
        sheets = read_workbook(path, None, prefetch)
        district, meta = district_of_workbook(path, sheets)
        sources += workbook_sources(path.name, sheets, None, ignored, meta_sheet=meta)
    return district, sources, ignored, notes


def workbook_sources(
    rel: str,
    sheets: dict[str, Sheet],
    file_table: str | None,
    ignored: list[str],
    meta_sheet: str | None,
) -> list[Source]:
    """Sheets named by a table; in a file named by a table, its first non-empty sheet too."""
    out = []
    by_name = {name: None if s.hidden else match_table_name(name) for name, s in sheets.items()}
    named = any(by_name.values())
    used_file_table = False
    for name, sheet in sheets.items():
        table = by_name[name]
        if name == meta_sheet:
            continue
        if sheet.hidden:
            ignored.append(f"{rel}[{name}]：隐藏的工作表，未读取 / hidden sheet, not read")
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
        out.append(
            Source(table, rel, name, "excel", sheet.grid, sheet.merged, formulas=sheet.formulas)
        )
    return out
