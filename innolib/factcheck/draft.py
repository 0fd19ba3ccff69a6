"""A bulletin draft as read: plain text (UTF-8) or a Word file (.docx), with the size limit.

Staff edit drafts in Word; ``read_draft`` turns a .docx into text (its paragraphs in body
order, a table row as one line with its cells joined by ``|``) and keeps where each
paragraph starts, so that a claim's place can be given as paragraph and character, the way
a person finds it in Word. A plain-text draft has one paragraph per line.

Limits: an empty draft (nothing but whitespace) and a draft over ``MAX_DRAFT_BYTES`` are
usage errors (exit 2), with one bilingual line saying which and why.
"""

from __future__ import annotations

import bisect
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from innolib.errors import UsageError

#: the largest draft read (UTF-8 bytes of its text): a district bulletin is 10–50 KB; reading
#: is linear in the size (benchmarks/bench_factcheck.py), about 2–5 s per MB
MAX_DRAFT_BYTES = 2_000_000


@dataclass(frozen=True)
class Draft:
    """A draft's text and the offset where each of its paragraphs starts."""

    text: str
    name: str
    paragraph_starts: tuple[int, ...]

    @classmethod
    def from_text(cls, text: str, name: str = "-") -> Draft:
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        return cls(text, name, tuple(starts))

    def place(self, offset: int) -> tuple[int, int]:
        """(paragraph, character) of a text offset, both counted from 1."""
        k = bisect.bisect_right(self.paragraph_starts, offset) - 1
        return k + 1, offset - self.paragraph_starts[k] + 1


def check_size(text: str, name: str = "-") -> None:
    """Refuse an empty draft or one over MAX_DRAFT_BYTES (UsageError, exit 2)."""
    if not text.strip():
        raise UsageError(f"稿件为空：{name}", f"the draft is empty: {name}")
    check_not_too_large(text, name)


def check_not_too_large(text: str, name: str = "-") -> None:
    """Refuse a draft over MAX_DRAFT_BYTES (UsageError, exit 2)."""
    if len(text) * 4 <= MAX_DRAFT_BYTES:  # at most 4 bytes a character: surely small enough
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DRAFT_BYTES:
        raise UsageError(
            f"稿件过大：{name}（{size:,}字节，上限{MAX_DRAFT_BYTES:,}字节），请分篇核对",
            f"the draft is too large: {name} ({size:,} bytes, the limit is "
            f"{MAX_DRAFT_BYTES:,}); check it in parts",
        )


def read_draft(path: str) -> Draft:
    """The draft at ``path`` (``-`` for standard input), .docx or UTF-8 text, size-checked."""
    if path == "-":
        text = sys.stdin.read(MAX_DRAFT_BYTES + 1)
        check_size(text, "-")
        return Draft.from_text(text, "-")
    file = Path(path)
    size = file.stat().st_size
    if size > MAX_DRAFT_BYTES and file.suffix.lower() != ".docx":  # refused before it is read
        raise UsageError(
            f"稿件过大：{path}（{size:,}字节，上限{MAX_DRAFT_BYTES:,}字节），请分篇核对",
            f"the draft is too large: {path} ({size:,} bytes, the limit is "
            f"{MAX_DRAFT_BYTES:,}); check it in parts",
        )
    draft = _read_docx(file) if file.suffix.lower() == ".docx" else _read_text(file)
    check_size(draft.text, path)
    return draft


def _read_text(file: Path) -> Draft:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"稿件不是UTF-8文本：{file}（第{error.start}字节）",
            f"the draft is not UTF-8 text: {file} (byte {error.start})",
        ) from None
    return Draft.from_text(text, str(file))


def _read_docx(file: Path) -> Draft:
    """Paragraphs of the body in order; a table row is one paragraph, cells joined by |."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(file))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as error:
        raise UsageError(
            f"稿件不是可读的Word文件：{file}（{error}）",
            f"the draft is not a readable Word file: {file} ({error})",
        ) from None
    paragraphs: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells, seen = [], None
                for cell in row.cells:  # a merged cell comes once per grid column: keep one
                    if cell._tc is not seen:
                        cells.append(" ".join(p.text for p in cell.paragraphs).strip())
                    seen = cell._tc
                paragraphs.append("|".join(cells))
    starts, offset = [], 0
    for p in paragraphs:
        starts.append(offset)
        offset += len(p) + 1
    return Draft("\n".join(paragraphs), str(file), tuple(starts) or (0,))
