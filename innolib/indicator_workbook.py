"""``indicators.xlsx``: every indicator of a period as a worksheet for people.

The CSV and JSON exports are for programs (ids, full precision); this workbook is the
same indicators as a reader wants them in Excel, drawn from the one table renderer
(``innolib.present.tables.indicator_table``):

- one sheet, its first row the title with the district, the period and the units
  (``上街区 2025年全年（2025-01-01至2025-12-31）主要指标（金额单位：万元；比率单位：%）``),
  the Chinese header below it, frozen; section titles as bold rows;
- figures as numbers rounded as the bulletin rounds them, with number formats (counts
  ``#,##0``, money ``#,##0.0`` in 万元 — ``#,##0.00`` CNY million in English —, rates
  ``0.0``), so a reader can compute with them; a cell without a figure holds the marker
  (``无数据`` or ``—``) and the notes under the table give each marker's legend;
- the year-on-year change as the tables write it (``+5.3%``, ``+1家``, ``持平``);
- column widths from the content; every text cell passes the formula guard, since
  names come from data: a text starting with ``= + - @`` (``fileio.FORMULA_PREFIXES``)
  is stored as a string cell with Excel's quote prefix (the cell style a typed leading
  ``'`` gives), never as a formula; unlike in a CSV (``fileio.excel_safe``) the text
  itself is unchanged, so ``+5.3%`` reads ``+5.3%``, not ``'+5.3%``.

Pass the circulated result (``narrative.circulated``): disclosure control decides what
the workbook may show, as it does for every other circulated file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

from innolib.fileio import FORMULA_PREFIXES, atomic_write_bytes
from innolib.present.markers import NO_DATA, SUPPRESSED, marker
from innolib.present.numbers import MONEY_DECIMALS, RATE_DECIMALS, WAN_PER_MILLION, rounded
from innolib.present.tables import display_width, indicator_table

FILE = "indicators.xlsx"
_UNITS_NOTE = {"zh": "（金额单位：万元；比率单位：%）", "en": " (money in CNY million; rates in %)"}
_SHEET = {"zh": "主要指标", "en": "Indicators"}


def write_indicators_xlsx(result: Any, path: Path | str, lang: str = "zh") -> Path:
    """Writes the workbook of ``result`` (a circulated ``IndicatorSet``) to ``path`` atomically."""
    buffer = io.BytesIO()
    indicators_workbook(result, lang).save(buffer)
    return atomic_write_bytes(Path(path), buffer.getvalue())


def indicators_workbook(result: Any, lang: str = "zh") -> Any:
    """The ``openpyxl`` workbook of ``result``: title row, frozen header, one row per indicator."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    table = indicator_table(result, lang=lang)
    book = Workbook()
    sheet = book.active
    sheet.title = _SHEET[lang]
    width = len(table.header)
    sheet.append([table.title + _UNITS_NOTE[lang]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append(list(table.header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F5F9")
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A3"
    markers = {marker(NO_DATA, lang), marker(SUPPRESSED, lang)}
    for row in table.rows:
        if row.is_section:
            sheet.append([row.cells[0]])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            continue
        iv = result[row.id]
        name, unit, value, previous, change = row.cells
        sheet.append(
            [
                name,
                unit,
                _figure(value, iv.value, iv.unit, lang, markers),
                _figure(previous, iv.previous, iv.unit, lang, markers),
                change,
            ]
        )
        number_format = _format(iv.unit, lang)[0]
        for column in (3, 4, 5):
            cell = sheet.cell(sheet.max_row, column)
            cell.alignment = Alignment(horizontal="right")
            if column < 5 and not isinstance(cell.value, str):
                cell.number_format = number_format
    sheet.append([])
    for note in table.notes:
        sheet.append([note])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[sheet.max_row].height = 32
    _guard(sheet)
    _widths(sheet, table)
    _properties(book, result)
    return book


def _guard(sheet: Any) -> None:
    """No text cell is a formula: ``= + - @`` texts become string cells with a quote prefix."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"  # openpyxl reads "=…" as a formula: text it is
                cell.quotePrefix = True


def _figure(text: str, value: Any, unit: str, lang: str, markers: set[str]) -> Any:
    """A figure as the cell holds it: the marker text, or the number rounded as ``text`` shows it."""
    if text in markers or value is None:
        return text
    decimals = _format(unit, lang)[1]
    amount = float(value) / (WAN_PER_MILLION if unit == "万元" and lang == "en" else 1)
    number = rounded(amount, decimals)
    return int(number) if decimals == 0 else float(number)


def _format(unit: str, lang: str) -> tuple[str, int]:
    """(Excel number format, decimals) of a unit, as ``present.table_number`` rounds it:
    money ``#,##0.0`` (万元; English ``#,##0.00`` CNY million), rates ``0.0``, counts ``#,##0``."""
    if unit == "万元":
        decimals = MONEY_DECIMALS[lang]
        return "#,##0." + "0" * decimals, decimals
    if unit == "%":
        return "0." + "0" * RATE_DECIMALS, RATE_DECIMALS
    return "#,##0", 0


def _widths(sheet: Any, table: Any) -> None:
    """Column widths from the widest cell (Chinese characters count two), within bounds."""
    from openpyxl.utils import get_column_letter

    body = [r.cells for r in table.rows if not r.is_section]
    for i, header in enumerate(table.header):
        widest = max([display_width(header), *(display_width(c[i]) for c in body)])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(widest + 3, 8), 48)


def _properties(book: Any, result: Any) -> None:
    """Real metadata: the district as author, the title; the time from ``SOURCE_DATE_EPOCH``
    when set (reproducible reruns), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    stamp = moment.replace(tzinfo=None, microsecond=0)
    name = getattr(result.district, "name", "") or ""
    props = book.properties
    props.creator = props.lastModifiedBy = name
    props.title = f"{name} {result.period.label} 主要指标"
    props.created = props.modified = stamp
    props.language = "zh-CN"
