"""The text as read and its working copy (full-width to half-width, layout whitespace and
thousands separators dropped), with every working character's offset in the original, so
that spans always point into the text as read; and which characters stand in quotes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# ----------------------------------------------------------------------------- normalising


@dataclass(frozen=True)
class Text:
    """The text as read and its working copy; ``origin[i]`` is the original offset of work[i]."""

    original: str
    work: str
    origin: tuple[int, ...]
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
    if (start == 0 and i >= 4 * CELL_LINE) or not _short_cell(text[start:i]):
        return False
    after = text.find("\n", i)
    nxt_start = after + 1
    while 0 < nxt_start < len(text) and text[nxt_start] == "\n":
        nxt_start += 1  # blank lines between
    nxt_end = text.find("\n", nxt_start, nxt_start + 4 * CELL_LINE)
    if after >= 0 and nxt_end > 0 and _short_cell(text[nxt_start:nxt_end]):
        return True
    before_end = start - 1
    while before_end > 0 and text[before_end - 1] == "\n":
        before_end -= 1
    if before_end <= 0:
        return False
    before_start = text.rfind("\n", max(0, before_end - 4 * CELL_LINE), before_end) + 1
    return (before_start > 0 or before_end < 4 * CELL_LINE) and _short_cell(
        text[before_start:before_end]
    )


def _short_cell(raw_line: str) -> bool:
    """A line that can be a cell: short, no punctuation at its end, no ``|`` row, and not
    words running on into a figure on the next line (同比增长2 / 3.5%)."""
    line = "".join(raw_line.split())
    if not 0 < len(line) < CELL_LINE or line[-1] in _LINE_END_PUNCT or "|" in line:
        return False
    return not (line[-1].isdigit() and not _NUMBER_LINE.fullmatch(line))


def _prose_line(text: str, i: int) -> bool:
    """Whether the line ending at index ``i`` is prose (no table row, no number alone)."""
    line = text[text.rfind("\n", 0, i) + 1 : i]
    return "|" not in line and not _NUMBER_LINE.fullmatch("".join(line.split()))


_NUMBER_LINE = re.compile(r"[\d.,%]+")


_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")


def normalise(text: str) -> Text:
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
            if "\n" in run and _is_cell_line(text, i) and nxt:
                work.append("|")  # a short line is a cell or a heading: its words end there
                origin.append(i + run.index("\n"))
            elif prev.isdigit() and nxt[:1].isdigit() and "\n" in run and _prose_line(text, i):
                pass  # a figure split across lines (a wrapped line of prose): join it
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
    return Text(text, "".join(work), tuple(origin))


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
