"""The text as read and its working copy (full-width to half-width, layout whitespace and
thousands separators dropped), with every working character's offset in the original, so
that spans always point into the text as read; and which characters stand in quotes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ----------------------------------------------------------------------------- normalising


@dataclass(frozen=True)
class Text:
    """The text as read and its working copy; ``origin[i]`` is the original offset of work[i]."""

    original: str
    work: str
    origin: tuple[int, ...]

    def span(self, a: int, b: int) -> tuple[int, int]:
        return (self.origin[a], self.origin[b - 1] + 1)

    def written(self, a: int, b: int) -> str:
        """The original characters behind work[a:b], layout whitespace left out."""
        if b <= a:
            return ""
        start, end = self.span(a, b)
        return "".join(ch for ch in self.original[start:end] if not ch.isspace())


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
            if prev.isdigit() and nxt[:1].isdigit() and "\n" in run:
                pass  # a figure split across lines: join it
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
