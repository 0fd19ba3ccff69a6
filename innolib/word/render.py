"""The 简报 as a reader sees it: converted by LibreOffice, measured from the PDF.

``to_pdf`` runs ``soffice --headless --convert-to pdf`` (LibreOffice); ``measure`` reads
the PDF's text boxes (``pdftotext -bbox-layout``, poppler) and reports what GB/T 9704
prescribes: lines of body text on each page and characters on each full line of Chinese
body text, plus the page count. ``to_png`` draws the pages (``pdftoppm``) for a look.
The tests (``tests/test_word.py``) and ``tools/docx_preview.py`` use them; nothing else.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from innolib.word import ooxml

TOOLS = {"soffice": "libreoffice-writer-nogui", "pdftotext": "poppler-utils"}
MM = 72 / 25.4
#: the type area on the page, in points from the top left (GB/T 9704 margins)
TOP = ooxml.MARGINS_MM["top"] * MM
BOTTOM = (ooxml.PAGE_MM[1] - ooxml.MARGINS_MM["bottom"]) * MM
LEFT = ooxml.MARGINS_MM["left"] * MM
RIGHT = (ooxml.PAGE_MM[0] - ooxml.MARGINS_MM["right"]) * MM
#: a line of 16 pt body text: its box is 1.3 em high in Noto CJK (20.8 pt); 14 pt
#: page numbers, 10.5 pt table cells and the 22 pt title fall outside
BODY_HEIGHT = (19.0, 22.5)


def missing_tools() -> list[str]:
    """The programs (with their Debian package) that are not on PATH."""
    return [f"{tool} ({package})" for tool, package in TOOLS.items() if not shutil.which(tool)]


def to_pdf(docx: Path | str, out_dir: Path | str) -> Path:
    """``docx`` converted by LibreOffice into ``out_dir``; the PDF's path.

    A private LibreOffice profile (in a temporary folder) keeps the run from touching
    or waiting on the user's own one.
    """
    docx, out_dir = Path(docx), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
            env={**os.environ, "HOME": profile},
        )
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


def to_png(pdf: Path | str, out_dir: Path | str, dpi: int = 60) -> list[Path]:
    """Every page of ``pdf`` as ``<stem>-N.png`` in ``out_dir`` (``pdftoppm``); the paths."""
    pdf, out_dir = Path(pdf), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    for old in out_dir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120
    )
    pages = out_dir.glob(f"{pdf.stem}-*.png")
    return sorted(pages, key=lambda p: int(re.findall(r"-(\d+)\.png$", p.name)[0]))


@dataclass(frozen=True)
class Line:
    """One line of text as pdftotext boxes it (points from the page's top left)."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Measures:
    """``pages``; ``body_lines``: lines of body text per page; ``full_lines``: characters
    on each full line (flush left and right) of Chinese-only body text, not counting a
    punctuation mark that hangs past the right margin (Word, WPS and LibreOffice all let
    a closing ，or 。 hang rather than start the next line with it)."""

    pages: int
    body_lines: list[int]
    full_lines: list[int]


def lines(pdf: Path | str) -> list[Line]:
    """Every text line of ``pdf`` (``pdftotext -bbox-layout``)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout.decode("utf-8")
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    found = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        for line in page.iterfind(".//h:line", ns):
            words = [w.text or "" for w in line.iterfind("h:word", ns)]
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            found.append(Line(number, "".join(words), *box))
    return found


def is_chinese(text: str) -> bool:
    """Only Chinese characters and full-width punctuation (no digits, no Latin)."""
    return bool(text) and all(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def measure(pdf: Path | str) -> Measures:
    """Lines per page and characters per full line of the body (see ``Measures``)."""
    found = lines(pdf)
    pages = max((line.page for line in found), default=0)
    body = [
        line
        for line in found
        if BODY_HEIGHT[0] <= line.height <= BODY_HEIGHT[1] and TOP - 2 <= line.y0 <= BOTTOM
    ]
    per_page = [sum(1 for line in body if line.page == n) for n in range(1, pages + 1)]
    full = [
        len(line.text) - (line.x1 > RIGHT + 3)  # punctuation hanging past the margin
        for line in body
        if is_chinese(line.text) and line.x0 <= LEFT + 2 and line.x1 >= RIGHT - 3
    ]
    return Measures(pages, per_page, full)
