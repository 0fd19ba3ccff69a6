"""A look inside an .xlsx/.xlsm before calamine reads it: used range, formulas, visibility.

calamine builds a dense grid of a sheet's whole used range, so one stray cell at
``XFD1048576`` in a 13 KB file asks for 17 billion cells (the process aborts) and one at
``XFD1`` makes a 7,000-row ledger 115 million cells (20 s, 3 GB). Before any sheet is
read, ``inspect_workbook`` scans each worksheet's XML (bytes, C-speed regular
expressions) for the extent of the cells that hold something; a sheet whose extent
exceeds ``MAX_CELLS`` is refused with the farthest cells named, so the clerk can delete
them. The same scan lists formula cells saved without a cached value (files written by
scripts and never opened in Excel): calamine reads them as blank, which the parser must
not take for a blank cell.
"""

from __future__ import annotations

import posixpath
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from innolib.errors import DataError

WORKBOOK_FORMATS = (".xlsx", ".xlsm", ".xls")  # what calamine reads for the loader
MAX_CELLS = 20_000_000  # rows × columns of a sheet's used range that calamine may build
MAX_COLUMNS = 1024  # columns of a used range (a table has a dozen; XFD is 16,384)
MAX_XML = 1 << 31  # uncompressed bytes of one worksheet part
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# a cell with a value (calamine skips cells without one: styled empty cells, formulas
# without a cached value): <c r="B12" ...>[<f>…</f>]<v>x or <is>
_VALUE = rb'"(?:[^>]*[^/>])?>\s*(?:<f[^>]*?(?:/>|>[^<]*</f>)\s*)?(?:<v>[^<]|<is[\s>])'
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})(\d+)' + _VALUE)
_ANY_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)' + _VALUE)
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
# a formula cell whose value is missing or empty
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>'
)


@dataclass
class SheetInfo:
    """What the XML says about one worksheet."""

    name: str
    visible: bool = True
    rows: int = 0  # extent of the cells with content (1-based last row/column)
    columns: int = 0
    far_cells: list[str] = field(default_factory=list)  # cells that stretch the extent
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)  # 0-based

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """1 → ``A``, 27 → ``AA`` (1-based)."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def inspect_workbook(path: Path, shown: str) -> dict[str, SheetInfo] | None:
    """Per sheet name, its extent, visibility and formula cells; None if not an OOXML zip."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None  # .xls (BIFF) or damaged: calamine reports it
    with book:
        try:
            parts = _sheet_parts(book)
        except (KeyError, ElementTree.ParseError):
            return None
        out = {}
        for name, (part, visible) in parts.items():
            info = SheetInfo(name, visible)
            if part in book.namelist():
                _scan(book, part, info, shown)
            out[name] = info
        return out


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """{sheet name: (worksheet part path, visible)} from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out[sheet.get("name", "")] = (
            posixpath.normpath(part),
            sheet.get("state", "visible") == "visible",
        )
    return out


def _scan(book: zipfile.ZipFile, part: str, info: SheetInfo, shown: str) -> None:
    """Fill ``info`` from the worksheet XML (refusing parts too large to hold in memory)."""
    size = book.getinfo(part).file_size
    if size > MAX_XML:
        raise DataError(
            f"{shown}[{info.name}]：工作表XML过大（{size:,}字节）",
            f"{shown}[{info.name}]: worksheet XML too large ({size:,} bytes)",
            file=shown,
            sheet=info.name,
            rule="sheet_too_large",
        )
    data = book.read(part)
    rows = [int(m) for m in _LAST_ROW.findall(data[-4096:])] or [
        int(m.group(1)) for m in _LAST_ROW.finditer(data)
    ]
    info.rows = max(rows, default=0)
    wide = _WIDE_CELL.search(data) is not None
    info.columns = 26 if info.rows else 0
    if wide or info.rows * 26 > MAX_CELLS:  # only then: every cell's address is read
        _exact_extent(data, info)
    if b"<f" in data:
        for letters, row in _FORMULA_NO_VALUE.findall(data):
            info.formulas_without_value.add((int(row) - 1, column_number(letters) - 1))


def _exact_extent(data: bytes, info: SheetInfo) -> None:
    """The extent of the cells with content, and the cells that set it (for the message)."""
    rows, columns, far_row, far_col = 0, 0, "", ""
    for letters, row in _ANY_CELL.findall(data):
        r, c = int(row), column_number(letters)
        if r > rows:
            rows, far_row = r, f"{letters.decode()}{r}"
        if c > columns:
            columns, far_col = c, f"{letters.decode()}{r}"
    info.rows, info.columns = rows, columns
    info.far_cells = list(dict.fromkeys(x for x in (far_col, far_row) if x))


def check_extent(info: SheetInfo, shown: str) -> None:
    """Refuse a sheet whose used range calamine would have to build cell by cell."""
    if info.cells <= MAX_CELLS and info.columns <= MAX_COLUMNS:
        return
    far = "、".join(info.far_cells) or "?"
    used = f"A1:{column_letters(info.columns)}{info.rows}"
    raise DataError(
        f"{shown}[{info.name}]：工作表已用范围 {used} 过大（{info.cells:,}个单元格、{info.columns:,}列，"
        f"上限{MAX_CELLS:,}个单元格、{MAX_COLUMNS:,}列）；最远的单元格：{far}。"
        "请删除数据区以外的单元格后再导入",
        f"{shown}[{info.name}]: the sheet's used range {used} is too large ({info.cells:,} cells, "
        f"{info.columns:,} columns; limits {MAX_CELLS:,} cells, {MAX_COLUMNS:,} columns); "
        f"farthest cells: {far}. Delete the cells outside the data and retry",
        file=shown,
        sheet=info.name,
        value=far,
        rule="sheet_too_large",
    )


@dataclass
class RawSheet:
    """One sheet's cells as calamine gives them (rows of Python values), before any pandas."""

    rows: list[list[object]] = field(default_factory=list)
    merged: list = field(default_factory=list)
    formulas: frozenset[tuple[int, int]] = frozenset()
    hidden: bool = False


def read_cells(path: Path, shown: str) -> dict[str, RawSheet]:
    """Every sheet of a workbook as raw rows, in order; a hidden sheet is not read.

    An .xlsx/.xlsm is looked into first (``inspect_workbook``): a sheet whose used range is
    absurd for its cells is refused before calamine would build it. Only the standard
    library and calamine are used (no pandas).
    """
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    infos = inspect_workbook(path, shown) or {}
    try:
        book = CalamineWorkbook.from_path(str(path))
        visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in book.sheets_metadata}
    except Exception as error:
        raise DataError(
            f"{shown}：无法读取Excel文件（{error}）",
            f"{shown}: cannot read the workbook ({error})",
            file=shown,
            rule="unreadable",
        ) from None
    sheets = {}
    for name in book.sheet_names:
        info = infos.get(name)
        if not visible.get(name, True) or (info is not None and not info.visible):
            sheets[name] = RawSheet(hidden=True)
            continue
        if info is not None:
            check_extent(info, shown)
        sheets[name] = _read_sheet(book, name, shown, info)
    return sheets


def _read_sheet(book, name: str, shown: str, info: SheetInfo | None) -> RawSheet:
    try:
        ws = book.get_sheet_by_name(name)
        rows = ws.to_python(skip_empty_area=False)
    except Exception as error:
        raise DataError(
            f"{shown}[{name}]：无法读取工作表（{error}）",
            f"{shown}[{name}]: cannot read the sheet ({error})",
            file=shown,
            sheet=name,
            rule="unreadable",
        ) from None
    try:
        merged = list(ws.merged_cell_ranges or [])
    except Exception:  # a workbook type without merged-cell information (.xls, .ods)
        merged = []
    formulas = frozenset(info.formulas_without_value) if info is not None else frozenset()
    return RawSheet(rows, merged, formulas)


class Prefetch:
    """The workbooks of a package read (``read_cells``) in a background thread.

    ``load_package`` starts it as soon as it knows the inputs and has missed its cache,
    before it imports pandas, pandera and the rest of the loader, and goes on with the
    metadata and the CSV files meanwhile: calamine releases the GIL while it parses a
    sheet's XML (the largest part of reading a 100k-row ledger), so on a machine with a
    free core the read and the imports overlap. ``cells`` hands each workbook over when it
    is needed, or raises what reading it raised (the same ``DataError``, with its file,
    sheet and rule), exactly as a read at that point would have. A daemon thread: a load
    that fails before it needs a workbook does not wait for it.
    """

    def __init__(self, files: dict[str, Path]):
        self._paths = {
            shown: path for shown, path in files.items() if path.suffix.lower() in WORKBOOK_FORMATS
        }
        self._done = {shown: threading.Event() for shown in self._paths}
        self._results: dict[str, tuple[dict | None, BaseException | None]] = {}
        if self._paths:
            todo = list(self._paths.items())
            threading.Thread(
                target=self._run, args=(todo,), name="innolib-workbooks", daemon=True
            ).start()

    def _run(self, todo: list[tuple[str, Path]]) -> None:
        for shown, path in todo:
            try:
                self._results[shown] = (read_cells(path, shown), None)
            except BaseException as error:  # handed to the thread that asks for this file
                self._results[shown] = (None, error)
            self._done[shown].set()

    def cells(self, path: Path, shown: str) -> dict[str, RawSheet] | None:
        """The sheets of ``path`` read in the background (None if it was not prefetched, or
        was handed over already)."""
        if self._paths.get(shown) != path:
            return None
        del self._paths[shown]
        self._done[shown].wait()
        sheets, error = self._results.pop(shown)
        if error is not None:
            raise error
        return sheets
