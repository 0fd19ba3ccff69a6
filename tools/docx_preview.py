"""Look at a Word 简报 as LibreOffice renders it: PDF, page PNGs and the GB/T 9704 measures.

    .venv/bin/python tools/docx_preview.py outputs/shangjie/2025/bulletin.docx [--out DIR] [--dpi 60]
    .venv/bin/python tools/docx_preview.py --data data/shangjie --period 2025 [--out DIR]

The second form writes the bulletin first (``innolib report``, into ``DIR/report``).
Prints the PNG paths, the page count, the body lines on each page and the characters on
the full lines of Chinese body text. Needs ``soffice`` (libreoffice-writer-nogui) and
``pdftotext``/``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from innolib.word import render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", help="a .docx (or give --data and --period)")
    parser.add_argument("--data", help="a package: write its bulletin first")
    parser.add_argument("--period", default="2025")
    parser.add_argument("--out", default="outputs/preview", help="folder for the PDF and PNGs")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    if missing := render.missing_tools():
        print("docx_preview: missing " + ", ".join(missing), file=sys.stderr)
        return 2
    out = Path(args.out)
    if args.data:
        from innolib import load_package, write_report

        written = write_report(load_package(args.data), args.period, out / "report")
        docx = next(p for p in written if p.name == "bulletin.docx")
    elif args.docx:
        docx = Path(args.docx)
    else:
        parser.error("give a .docx or --data")
    pdf = render.to_pdf(docx, out)
    for png in render.to_png(pdf, out, args.dpi):
        print(png)
    m = render.measure(pdf)
    print(f"pages: {m.pages}")
    print(f"body lines per page: {m.body_lines}")
    counts = dict(sorted(collections.Counter(m.full_lines).items()))
    print(f"characters on full Chinese lines (characters: lines): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
