"""Which files a package has, and each file or sheet read into a grid of raw cells.

A package is a folder (one file per table: CSV, XLSX or Parquet; several files for one
table are concatenated) or a single workbook (one sheet per table, plus a 说明/district
sheet). ``package_sources`` lists every table source with its grid; the district
metadata comes from ``district.py``. Reading a CSV decodes it (UTF-8 or GBK/GB18030) and
splits it into rows; reading a workbook goes through calamine (fast, no openpyxl).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from innolib.errors import DataError
from innolib.load.district import district_from_yaml, district_of_workbook
from innolib.load.grid import Sheet
from innolib.normalize import decode_csv, match_table_name
from innolib.package import District

TABLE_FORMATS = (".csv", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq")  # .xls: calamine reads it too
DISTRICT_FILES = ("district.yaml", "district.yml")


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


def input_files(path: Path) -> dict[str, Path]:
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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def typed_grid(rows: list[list[object]], all_text: bool = False) -> pd.DataFrame:
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


def read_workbook(path: Path) -> dict[str, Sheet]:
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
            sheets[name] = Sheet(typed_grid(rows), merged)
        return sheets
    except Exception as error:
        raise DataError(
            f"{path.name}：无法读取Excel文件（{error}）",
            f"{path.name}: cannot read the workbook ({error})",
        ) from error


def read_csv(path: Path) -> tuple[pd.DataFrame, str]:
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
    return typed_grid(rows, all_text=True), encoding


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as a grid of Python objects (row 0 = the column names), like a sheet.

    Only for a Parquet file the typed path (``_parse_parquet``) hands back: its header is not
    the first row, or it is not a table of typed columns at all.
    """
    frame = pd.read_parquet(path)
    header = pd.DataFrame([list(frame.columns)], dtype=object)
    body = frame.astype(object)
    body.columns = range(len(frame.columns))
    return pd.concat([header, body], ignore_index=True)


def package_sources(
    path: Path, files: dict[str, Path]
) -> tuple[District, list[Source], list[str], list[str]]:
    """The district and every table source of the package; ignored inputs; notes."""
    sources: list[Source] = []
    ignored: list[str] = []
    notes: list[str] = []
    if path.is_dir():
        district = district_from_yaml(path, path.name)
        for rel, p in files.items():
            suffix = p.suffix.lower()
            if suffix not in TABLE_FORMATS:
                continue
            table = match_table_name(p.stem)
            if suffix == ".csv":
                if table is None:
                    ignored.append(f"{rel}：文件名不对应任何表 / file name matches no table")
                    continue
                grid, encoding = read_csv(p)
                sources.append(Source(table, rel, "", "csv", grid, encoding=encoding))
            elif suffix in (".parquet", ".pq"):
                if table is None:
                    ignored.append(f"{rel}：文件名不对应任何表 / file name matches no table")
                    continue
                sources.append(Source(table, rel, "", "parquet", None, path=p))
            else:
                sheets = read_workbook(p)
                sources += workbook_sources(rel, sheets, table, ignored, meta_sheet=None)
    else:
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
            raise DataError(
                f"{path.name}：单个文件形式的数据包须为Excel工作簿（.xlsx）",
                f"{path.name}: a single-file package must be an .xlsx workbook",
            )
        sheets = read_workbook(path)
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
        out.append(Source(table, rel, name, "excel", sheet.grid, sheet.merged))
    return out
