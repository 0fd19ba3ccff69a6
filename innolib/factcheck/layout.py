"""The layout of the text as read: heading lines and table rows (cells parted by ``|``).

The working copy drops line breaks, so what only the layout says is read here from the
original text: which figures stand under a heading or in a table that names them targets
(``(一)部门年度总体目标``, a row ``整体绩效目标 | 1、培育高新技术企业15家…``), the cell before a
figure alone in its cell (``新认定高新技术企业数量 | 6家以上``), and the unit a table states
in a header (``年度预算申请 (万元)``) for the bare numbers in its cells.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from innolib.factcheck.text import CELL_GAP, CELL_LINE, NUMBER_CELL, Text, short_cell

#: a heading line: a heading number (一、 (一) 1.) and a short title without a full stop
HEADING = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}[、.](?!\d))[^。\n]{0,30}$"
)
_TARGET_WORD = re.compile(r"目标")
#: a head inside a paragraph that names what follows as targets (主要预期目标:)
_INLINE_TARGET = re.compile(r"(?:主要|年度|预期|总体|发展|工作)+目标[:：]")
_WORDS = re.compile(r"[\u4e00-\u9fff]")
#: a unit a table states in a header cell: (万元), （单位：万元）
_HEADER_UNIT = re.compile(r"[(（]\s*(?:单位[:：]\s*)?(万元|亿元|元|家|个|项|人|%)\s*[)）]")
#: how many lines above a cell the header stating its unit may stand
_HEADER_LINES = 4


@dataclass(frozen=True)
class Line:
    start: int  # offsets in the original
    end: int
    text: str


def lines(text: Text) -> list[Line]:
    out, pos = [], 0
    for raw in text.layout.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _cells(line: Line) -> list[tuple[int, int, str]]:
    """A table row's cells: (start, end) in the original and their stripped text."""
    out, pos = [], line.start
    for part in line.text.split("|"):
        out.append((pos, pos + len(part), part.strip()))
        pos += len(part) + 1
    return out


def _work(text: Text, orig: int) -> int:
    """The first working-copy index at or after an original offset."""
    return bisect_left(text.origin, orig)


def target_sections(text: Text) -> list[tuple[int, int, tuple[int, int]]]:
    """Stretches of the working copy that state targets, each with the span of its 目标.

    Under a heading line that names a 目标, to the next heading line; in a table (lines with
    ``|``), from a row whose first cell names a 目标 and that has other cells filled (a title
    row alone is no header) to the end of the table.
    """
    out = []
    rows = lines(text)
    heading: tuple[int, tuple[int, int]] | None = None  # where the section begins, its 目标
    table: tuple[int, tuple[int, int]] | None = None
    for line in rows:
        if "|" in line.text:
            cells = _cells(line)
            word = _TARGET_WORD.search(cells[0][2]) if cells else None
            if table is None and word and sum(1 for c in cells if c[2]) >= 2:
                w = text.layout.index("目标", cells[0][0])
                table = (line.start, (_work(text, w), _work(text, w + 2)))
            continue
        if table is not None:
            out.append((_work(text, table[0]), _work(text, line.start), table[1]))
            table = None
        inline = _INLINE_TARGET.search(line.text)
        if inline and not HEADING.match(line.text):  # 主要预期目标:力争…;…: to the line's end
            w = line.start + inline.end() - 3
            out.append(
                (
                    _work(text, line.start + inline.end()),
                    _work(text, line.end),
                    (_work(text, w), _work(text, w + 2)),
                )
            )
        if HEADING.match(line.text):
            if heading is not None:
                out.append((_work(text, heading[0]), _work(text, line.start), heading[1]))
                heading = None
            word = _TARGET_WORD.search(line.text)
            if word:
                w = line.start + word.start()
                heading = (line.end, (_work(text, w), _work(text, w + 2)))
    end = len(text.work)
    if table is not None:
        out.append((_work(text, table[0]), end, table[1]))
    if heading is not None:
        out.append((_work(text, heading[0]), end, heading[1]))
    return out


#: the longest line read as a table row: the look for a row's ends stays bounded, so a
#: draft without line breaks is still read in time linear in its length
MAX_ROW = 2000


def _cell_of(text: Text, a: int) -> tuple[Line, int] | None:
    """The table row a working-copy index stands in, and the number of its cell."""
    o, orig = text.layout, text.origin[a]
    lo = max(0, orig - MAX_ROW)
    line_start = o.rfind("\n", lo, orig) + 1
    if line_start == 0 and lo > 0:
        return None  # no line break near: no table row
    line_end = o.find("\n", orig, orig + MAX_ROW)
    if line_end < 0:
        if orig + MAX_ROW < len(o):
            return None
        line_end = len(o)
    line = Line(line_start, line_end, o[line_start:line_end])
    if "|" not in line.text:
        return None
    return line, o.count("|", line.start, orig)


def _line_of(text: Text, a: int) -> Line | None:
    """The line of the original that working-copy index ``a`` stands in, when it is a cell
    written on its own line (shorter than text.CELL_LINE), else None."""
    o, orig = text.layout, text.origin[a]
    start = o.rfind("\n", max(0, orig - CELL_LINE * 4), orig) + 1
    end = o.find("\n", orig, orig + CELL_LINE * 4)
    end = len(o) if end < 0 and orig + CELL_LINE * 4 >= len(o) else end
    if end < 0 or (start == 0 and orig >= CELL_LINE * 4):
        return None
    line = Line(start, end, o[start:end])
    return line if len("".join(line.text.split())) < CELL_LINE else None


#: how many cells of figures a row written one cell per line may hold before a figure
_ROW_FIGURES = 6
#: how far around a line (in cell lengths) the look for its neighbour cells goes
_CELL_WINDOW = 8


def in_cell_run(text: Text, a: int) -> bool:
    """Whether index ``a`` stands in a table written one cell per line: its line and the
    non-blank lines on both sides of it are short cells (a lone number under ``目 录`` is a
    page's furniture, a number among cells is a value)."""
    line = _line_of(text, a)
    if line is None:
        return False
    o = text.layout
    window = _CELL_WINDOW * CELL_LINE  # a bounded look: linear reading of any text
    head = o[max(0, line.start - window) : line.start].rstrip("\n \t\u3000")
    before = head.rsplit("\n", 1)[-1]
    rest = o[line.end : line.end + window].lstrip("\n \t\u3000")
    after = rest.split("\n", 1)[0] if rest else ""
    if short_cell(before) and short_cell(after):
        return True
    # the last cells of a table: figures of its last row above it (10 / 9 / end)
    above = head.rsplit("\n", 2)
    return (
        len(above) >= 2
        and NUMBER_CELL.fullmatch(before.strip()) is not None
        and short_cell(above[-2])
    )


def _cells_one_per_line(text: Text, a: int) -> tuple[int, int] | None:
    """A figure opening a cell written on its own line (``新认定高新技术企业数量`` / ``6家以上``):
    the working-copy span of the nearest cell of words above it, over the cells of figures
    of its row (``开展交流活动`` / ``3次`` / ``3`` / ``10``)."""
    line = _line_of(text, a)
    if line is None or text.layout[line.start : text.origin[a]].strip():
        return None
    o = text.layout
    end = line.start - 1
    for _ in range(_ROW_FIGURES):
        while end > 0 and not o[o.rfind("\n", 0, end) + 1 : end].strip():
            end = o.rfind("\n", 0, end)  # blank lines between
        if end <= 0:
            return None
        start = o.rfind("\n", 0, end) + 1
        prev = _line_of(text, _work(text, start))
        if prev is None or "|" in prev.text or not prev.text.strip():
            return None
        if not NUMBER_CELL.fullmatch(prev.text.strip()):
            break
        end = start - 1  # a figure of the same row: look above it
    else:
        return None
    if not _WORDS.search(prev.text):
        return None
    lead = len(prev.text) - len(prev.text.lstrip())
    content = prev.text.strip()
    s = prev.start + lead
    return _work(text, s), _work(text, s + len(content))


def cell_before(text: Text, a: int) -> tuple[int, int] | None:
    """The working-copy span of the last filled cell before the cell of index ``a`` in its
    table row (``新认定高新技术企业数量 | 6家以上``: the indicator the figure gives), or of the
    cell on the line before when the table is written one cell per line."""
    found = _cell_of(text, a)
    if found is None:
        return _cells_one_per_line(text, a)
    line, k = found
    words = [
        (start, end, content)
        for start, end, content in _cells(line)[:k]
        if _WORDS.search(content) and not NUMBER_CELL.fullmatch(content)  # not a figure (≥3次)
    ]
    if not words:
        return None
    names = [c for c in words if not _NOT_A_NAME.search(c[2])]
    # the row's name: its longest naming cell (开展县域结对交流活动 over 数量指标 and 达成预期指标),
    # else its first cell of words (时效指标 | 2022年底之前 | 达成预期指标 | 10)
    start, end, content = max(names, key=lambda c: len(c[2])) if names else words[0]
    s = start + (len(text.layout[start:end]) - len(text.layout[start:end].lstrip()))
    lead = _BREAKDOWN.match(content)  # 其中:本年财政拨款: the row, not the word
    if lead:
        s, content = s + lead.end(), content[lead.end() :]
    return _work(text, s), _work(text, s + len(content))


#: cells of a row that do not name it: a category of indicators (产出指标, 数量指标), what
#: was reached (达成预期指标, 完成, 优), a date (2022年底之前)
_NOT_A_NAME = re.compile(
    r"指标(?:\(\d+分\))?$|^(?:已|基本|全面)?(?:达成|达到|完成|实现)(?:预期)?(?:指标|目标)?$"
    r"|^(?:是|否|优|良|中|差|合格|满意|较好|良好|好|高|有效)$|\d{4}年"
)


_BREAKDOWN = re.compile(r"其中[:：]?")


def header_unit(text: Text, a: int) -> str:
    """The unit a table header states above the cell of index ``a`` ('' if none): in the
    rows above a ``|`` row, or in the cells above a cell written on its own line."""
    found = _cell_of(text, a)
    if found is None:
        return _unit_of_cells_above(text, a)
    line, k = found
    pos = line.start
    for _ in range(_HEADER_LINES):
        if pos <= 0:
            break
        prev_start = text.layout.rfind("\n", 0, pos - 1) + 1
        above = text.layout[prev_start : pos - 1]
        m = _HEADER_UNIT.search(above)
        if m:
            header = _header_cells(above)
            if len(header) == len(_cells(line)) and _UNITLESS_COLUMN.search(header[k]):
                return ""  # 分值, 得分, 执行率: a score or a rate, not in the stated unit
            return m.group(1)
        if "|" not in above:
            break  # a header without | (项目资金 (万元) 年初预算数 …) is read, then no further
        pos = prev_start
    return ""


#: a column whose name says it holds a score or a rate, never an amount in the header's unit
_UNITLESS_COLUMN = re.compile(r"分值|得分|分数|权重|率|比例|比重|序号")


def _header_cells(row: str) -> list[str]:
    """A header row's cells (parted by ``|`` or by spaces), a cell that only states a unit
    (``项目资金 (万元)``) joined to the cell before it."""
    parts = [c.strip() for c in (row.split("|") if "|" in row else CELL_GAP.split(row.strip()))]
    cells: list[str] = []
    for part in parts:
        if cells and _HEADER_UNIT.fullmatch(part):
            cells[-1] += part
        else:
            cells.append(part)
    return cells


def in_table_row(text: Text, a: int) -> bool:
    """Whether working-copy index ``a`` stands in a ``|`` table row."""
    return _cell_of(text, a) is not None


def row_end(text: Text, a: int) -> int | None:
    """The working-copy end of the table row index ``a`` stands in (None outside a table):
    a cell's words never run on into the next row."""
    found = _cell_of(text, a)
    return None if found is None else _work(text, found[0].end)


#: how many cells written one per line above a bare number its header may stand
_HEADER_CELLS = 12


def _unit_of_cells_above(text: Text, a: int) -> str:
    """The unit stated by a header among the cells written one per line above index ``a``
    (``金额(万元)`` … ``120.5``), looking no further than a line that is no cell."""
    line = _line_of(text, a)
    o = text.layout
    for _ in range(_HEADER_CELLS):
        if line is None or line.start == 0:
            return ""
        start = o.rfind("\n", 0, line.start - 1) + 1
        above = o[start : line.start - 1]
        if len("".join(above.split())) >= CELL_LINE:
            return ""
        m = _HEADER_UNIT.search(above)
        if m:
            return m.group(1)
        line = Line(start, line.start - 1, above)
    return ""


def ordinals(text: Text) -> frozenset[int]:
    """(Computed once per text.)"""
    if "ordinals" not in text.cache:
        text.cache["ordinals"] = _ordinals(text)
    return text.cache["ordinals"]


def _ordinals(text: Text) -> frozenset[int]:
    """Original offsets of the bare whole numbers that number a table's rows: alone in the
    first filled cell of a ``|`` row, or alone on their line and in a run 1, 2, 3 … (the
    序号 of a table written one cell per line; a value among them breaks no run)."""
    o = text.layout
    found: list[tuple[int, int]] = []
    firsts = set()
    for m in _ALONE_WHOLE.finditer(o):
        found.append((m.start("n"), int(m.group("n"))))
        pos = m.start("n")
        line_start, line_end = o.rfind("\n", 0, pos) + 1, o.find("\n", pos)
        row = o[line_start : len(o) if line_end < 0 else line_end]
        if "|" in row and not o[line_start:pos].strip(" \t\u3000|"):
            firsts.add(pos)
    out, last = set(firsts), 0
    values = [v for _, v in found]
    for k, (pos, value) in enumerate(found):
        if (value == 1 and 2 in values[k + 1 :]) or (value > 1 and value == last + 1):
            out.add(pos)
            last = value
    return frozenset(out)


#: a whole number alone on its line or in its table cell
_ALONE_WHOLE = re.compile(
    r"(?:^|(?<=[\n|]))[ \t\u3000]*(?P<n>\d{1,3})[ \t\u3000]*(?=$|[\n|])", re.M
)
