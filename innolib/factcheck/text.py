"""The text as read and its working copy (full-width to half-width, layout whitespace and
thousands separators dropped), with every working character's offset in the original, so
that spans always point into the text as read; and which characters stand in quotes.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

# ----------------------------------------------------------------------------- normalising


@dataclass(frozen=True)
class Text:
    """The text as read and its working copy; ``origin[i]`` is the original offset of work[i]."""

    original: str
    work: str
    origin: tuple[int, ...]
    #: the original with the cells of a table written with spaces parted by ``|`` (the
    #: same length: offsets are the original's); what the layout readers read
    layout: str
    #: what readers of the layout work out once per text (layout.ordinals)
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def span(self, a: int, b: int) -> tuple[int, int]:
        return (self.origin[a], self.origin[b - 1] + 1)

    def written(self, a: int, b: int) -> str:
        """The original characters behind work[a:b], layout whitespace left out."""
        if b <= a:
            return ""
        start, end = self.span(a, b)
        return "".join(ch for ch in self.original[start:end] if not ch.isspace())


#: a line shorter than this (layout spaces left out) and not ending in punctuation is a
#: table cell written one per line, a heading or a title, never a wrapped line of prose
#: (prose wraps at 30 characters and more): the working copy parts it from the next line
#: with ``|`` as a table row parts its cells, so that a cell's words never run into the
#: next cell's figure (新认定高新技术企业数量 / 6家以上 / 入库科技型中小企业 / 50家)
CELL_LINE = 16
_LINE_END_PUNCT = set("。，,;；:：、!！?？")


def _is_cell_line(text: str, i: int) -> bool:
    """Whether the line ending at index ``i`` (a whitespace run holding a line break) is a
    cell written on its own line: short (CELL_LINE), and beside another such line (a lone
    short line is a heading or a wrapped line: 两批次申报高新技术企 / 业 40家。)."""
    start = text.rfind("\n", max(0, i - 4 * CELL_LINE), i) + 1
    if (start == 0 and i >= 4 * CELL_LINE) or not short_cell(text[start:i]):
        return False
    after = text.find("\n", i)
    nxt_start = after + 1
    while 0 < nxt_start < len(text) and text[nxt_start] == "\n":
        nxt_start += 1  # blank lines between
    nxt_end = text.find("\n", nxt_start, nxt_start + 4 * CELL_LINE)
    if after >= 0 and nxt_end > 0 and short_cell(text[nxt_start:nxt_end]):
        return True
    before_end = start - 1
    while before_end > 0 and text[before_end - 1] == "\n":
        before_end -= 1
    if before_end <= 0:
        return False
    before_start = text.rfind("\n", max(0, before_end - 4 * CELL_LINE), before_end) + 1
    return (before_start > 0 or before_end < 4 * CELL_LINE) and short_cell(
        text[before_start:before_end]
    )


def short_cell(raw_line: str) -> bool:
    """A line that can be a cell (here, and for the layout readers): short, no punctuation at its end, no ``|`` row, and not
    words running on into a figure on the next line (同比增长2 / 3.5%)."""
    line = "".join(raw_line.split())
    if not 0 < len(line) < CELL_LINE or line[-1] in _LINE_END_PUNCT or "|" in line:
        return False
    return not (line[-1].isdigit() and not _NUMBER_LINE.fullmatch(line))


#: a figure split by one layout space: a digit or two, a space, digits and a measure word
_SPLIT_FIGURE = re.compile(
    r"(?<![\d.])\d{1,2} \d{1,3}(?:\.\d+)?(?:件|家|个|项|人|次|万元|亿元|元|%)"
)


def _split_figure(text: str, i: int, j: int) -> bool:
    """Whether the single space at ``i`` splits one figure (``1 47件``) in a line of prose."""
    if not (text[i - 1 : i].isdigit() and text[j : j + 1].isdigit()):
        return False
    start = max(0, i - 2)
    m = _SPLIT_FIGURE.search(text, start, j + 8)
    return bool(m) and m.start() <= i < m.end() and not _table_line(text, i)


def _table_line(text: str, i: int) -> bool:
    """Whether the line ending at index ``i`` is a table row (cells parted by ``|``)."""
    return "|" in text[text.rfind("\n", 0, i) + 1 : i]


def _at_table_row(text: str, i: int, j: int) -> bool:
    """Whether the line ending at index ``i`` or the one beginning at ``j`` is a table row
    (cells parted by ``|``): a row's words never run on into the next line, nor a line's
    into the row after it."""
    if _table_line(text, i):
        return True
    end = text.find("\n", j)
    return "|" in text[j : len(text) if end < 0 else end]


def _prose_line(text: str, i: int) -> bool:
    """Whether the line ending at index ``i`` is prose (no table row, no number alone)."""
    line = text[text.rfind("\n", 0, i) + 1 : i]
    return "|" not in line and not _NUMBER_LINE.fullmatch("".join(line.split()))


_NUMBER_LINE = re.compile(r"[\d.,%/—–-]+")


#: a cell of a table written with spaces that holds a figure and nothing else
NUMBER_CELL = re.compile(r"[≥≤><＞＜]?\d+(?:\.\d+)?(?:%|[万亿]?元|次|家|个|项|分|人)?")
CELL_GAP = re.compile(r"[ \t\u3000\xa0]+")
#: punctuation of prose: a line holding it is no table row (余家，收集技术需求 56 项，…)
_PROSE_PUNCT = re.compile(r"[，,。；;、！？]")


def mark_space_tables(text: str) -> str:
    """The text with the cells of each table row written with spaces parted by ``|`` (the
    first character of each gap between cells; the length stays the same).

    A row is a line of three cells or more, two of them figures alone side by side
    (``年度资金总额: 25 25 25 10 100.00% 10.00``, ``开展县域结对交流活动 ≥3次 3 10 10``), and no
    punctuation of prose: prose never writes two figures with only spaces between them.
    """
    if " " not in text and "\t" not in text and "\u3000" not in text:
        return text
    out = list(text)
    pos = 0
    for line in text.split("\n"):
        cells = CELL_GAP.split(line.strip())
        figures = [bool(NUMBER_CELL.fullmatch(c)) for c in cells]
        if (
            len(cells) >= 3
            and any(a and b for a, b in pairwise(figures))
            and not _PROSE_PUNCT.search(line)
        ):
            lead = len(line) - len(line.lstrip())
            body_end = len(line.rstrip())
            for gap in CELL_GAP.finditer(line, lead, body_end):
                out[pos + gap.start()] = "|"
        pos += len(line) + 1
    return "".join(out)


_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")


def normalise(original: str) -> Text:
    text = mark_space_tables(original)
    drop = set()
    for m in _THOUSANDS.finditer(text):
        drop.update(m.start() + i for i, ch in enumerate(m.group()) if ch == ",")
    work: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            prev = work[-1] if work else ""
            nxt = text[j] if j < n else ""
            nxt = unicodedata.normalize("NFKC", nxt) if nxt else ""
            run = text[i:j]
            if "\n" in run and nxt and (_is_cell_line(text, i) or _at_table_row(text, i, j)):
                work.append("|")  # a cell or a heading, or a table row: its words end there
                origin.append(i + run.index("\n"))
            elif prev.isdigit() and nxt[:1].isdigit() and "\n" in run and _prose_line(text, i):
                pass  # a figure split across lines (a wrapped line of prose): join it
            elif run == " " and _split_figure(text, i, j):
                pass  # 申请量为1 47件: a figure a layout space split
            elif prev.isascii() and prev.isalnum() and nxt[:1].isascii() and nxt[:1].isalnum():
                work.append(" ")
                origin.append(i)
            i = j
            continue
        if i in drop:
            i += 1
            continue
        norm = unicodedata.normalize("NFKC", ch)
        work.append(norm if len(norm) == 1 else ch)
        origin.append(i)
        i += 1
    return Text(original, simplified("".join(work)), tuple(origin), text)


#: the share of Chinese characters a conversion to simplified must change for a text to be
#: read as written in traditional characters (a mirror site's 累計達到…億元); a text in
#: simplified characters changes by a few variant characters at most (0.2% in the corpus)
TRADITIONAL_SHARE = 0.05
_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.cache
def _to_simplified():
    import opencc  # only for a text in traditional characters

    return opencc.OpenCC("t2s")


def simplified(work: str) -> str:
    """The working copy in simplified characters when the text is written in traditional
    ones (units, qualifiers and the registry's phrases are read in simplified); the same
    length, so that every offset still points into the text as read. Phrases are still
    quoted from the text as read."""
    if work.isascii():
        return work
    converted = _to_simplified().convert(work)
    if converted == work:
        return work
    if len(converted) != len(work):  # a phrase of different length: character by character
        converted = "".join(c if len(c := _to_simplified().convert(ch)) == 1 else ch for ch in work)
    changed = sum(map(operator.ne, work, converted))
    cjk = len(work) - len(_CJK.sub("", work))
    return converted if cjk and changed >= TRADITIONAL_SHARE * cjk else work


_QUOTES = {
    "“": "”",
    "‘": "’",
    "《": "》",
    "〔": "〕",
    "[": "]",
    "【": "】",
    "「": "」",
    "『": "』",
    "〈": "〉",
}


def quoted_mask(work: str, start: int, end: int) -> list[bool]:
    """True where a character stands inside quotation or book-title marks (slogans, titles)."""
    masked = [False] * (end - start)
    stack: list[str] = []
    straight = False
    for i in range(start, end):
        ch = work[i]
        if ch in _QUOTES:
            stack.append(_QUOTES[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            continue
        elif ch == '"':
            straight = not straight
            continue
        masked[i - start] = bool(stack) or straight
    return masked
