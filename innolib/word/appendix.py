"""The 简报's 附表: the headline table's cells, the year's targets beside them, and widths.

``appendix_table`` adds two columns, 年度目标 and 完成率, to the headline
``IndicatorTable`` when the package has targets for the period's year (only for the
indicators the table shows; the others' cells stay empty). The completion of a target
that was missed is cut down, as the prose does, so a miss never reads 100%; a suppressed
indicator's completion is the suppressed marker, since it would give the value back.
``column_widths`` sizes each column by its longest cell, so the units column is narrow and
the names get the room.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from innolib.present.markers import SUPPRESSED, marker
from innolib.present.numbers import rounded, table_number
from innolib.present.tables import Row  # one line of a table: indicator or section title
from innolib.word.words import briefing_words

#: cell margins (Table Grid: 5.4 pt left and right), borders and a little air, in points
CELL_PADDING_PT = 14.0
#: the narrowest the names column may be squeezed to, in characters
MIN_NAME_CHARS = 6


@dataclass
class AppendixTable:
    """The 附表 as text cells: header, rows (section titles with ``id`` None), notes."""

    header: tuple[str, ...]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)


def appendix_table(table: Any, targets: Any, period: Any, lang: str = "zh") -> AppendixTable:
    """``table`` (an ``IndicatorTable``) with the targets of ``targets`` (a frame of
    ``analyses.targets_vs_actual``; None or empty: no target columns)."""
    said = briefing_words(lang)
    header = tuple(table.header)
    rows = list(table.rows)
    notes = list(table.notes)
    shown = {r.id for r in rows if r.id}
    by_id = {}
    if targets is not None and len(targets):
        by_id = {str(t["indicator"]): t for _, t in targets.iterrows() if t["indicator"] in shown}
    if not by_id:
        return AppendixTable(header, rows, notes)
    header += (said["target"], said["completion"])
    extended = []
    for row in rows:
        if row.is_section:
            extended.append(Row(None, (*row.cells, "", "")))
            continue
        target = by_id.get(row.id)
        cells = ("", "") if target is None else _target_cells(target, lang)
        extended.append(Row(row.id, row.cells + cells))
    if not period.is_full_year or period.clipped:
        notes.append(said["progress_note"].format(when=period.wording(lang)))
    return AppendixTable(header, extended, notes)


def _target_cells(target: Any, lang: str) -> tuple[str, str]:
    """(target, completion) of one ``targets_vs_actual`` row as text."""
    unit = target["unit"] or ""
    goal = table_number(float(target["target"]), unit, lang)
    if target["status"] == SUPPRESSED:
        return goal, marker(SUPPRESSED, lang)
    completion = target["completion"]
    if target["status"] != "ok" or completion is None or math.isnan(completion):
        return goal, ""
    if target["actual"] < target["target"]:
        share = math.floor(completion)  # a miss is cut down: never 100%
    else:
        share = int(rounded(completion, 0))
    return goal, briefing_words(lang)["completion_cell"].format(n=share)


#: widths in ems of the Latin characters a cell holds (Times New Roman); others 0.55
_LATIN_EM = {**dict.fromkeys("0123456789", 0.5), ",": 0.25, ".": 0.25, "%": 0.83, " ": 0.25}


def text_em(text: str) -> float:
    """Width of ``text`` in ems: Chinese and full-width characters 1, digits 0.5, others less."""
    return sum(
        1.0 if unicodedata.east_asian_width(ch) in "WF" else _LATIN_EM.get(ch, 0.55) for ch in text
    )


def _header_em(text: str) -> float:
    """A header needs half its width (it wraps onto two lines) unless it is three characters
    or fewer (完成率 stays on one line)."""
    em = text_em(text)
    return em if len(text) <= 3 else math.ceil(em / 2)


def column_widths(table: AppendixTable, size_pt: float, total_pt: float) -> list[float]:
    """Column widths in points that add up to ``total_pt``: each column as wide as its
    longest cell (section titles left out: they span the row) plus padding, the spare
    width shared out in proportion; when the cells do not fit, the names column (the
    first) gives way and wraps."""
    n = len(table.header)
    lines = [r.cells for r in table.rows if not r.is_section]
    natural = [
        max([_header_em(table.header[j]), *(text_em(cells[j]) for cells in lines)]) * size_pt
        + CELL_PADDING_PT
        for j in range(n)
    ]
    spare = total_pt - sum(natural)
    if spare >= 0:
        return [w + spare * w / sum(natural) for w in natural]
    others = sum(natural[1:])
    first = max(total_pt - others, MIN_NAME_CHARS * size_pt + CELL_PADDING_PT)
    scale = (total_pt - first) / others
    return [first, *(w * scale for w in natural[1:])]
