"""What a reader gets: after one batch over the sample (2025, every notebook), every file
outside ``internal/`` is scanned as a reader sees it (the visible text of the pages, the
bulletin's Markdown and Word text, the workbook's cells).

- no 统一社会信用代码 (neither the package's own nor anything shaped like one), no
  indicator id, no ``NaN``/``None``/``True``/``False``/``<NA>``, no number with four or
  more decimals;
- no work list: the internal pages hold them (checked too, so the scan cannot pass by
  reading nothing), the reader's pages and files never; an enterprise is named only where
  the bulletin's prose names it;
- the indexes link only reader files, all of which exist;
- the machine files (CSV, JSON) carry ids but no USCC.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from innolib import batch
from innolib.load import load_package
from innolib.registry import load_registry

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shangjie"
#: the shape of a 统一社会信用代码 (GB 32100-2015): 18 characters of its alphabet
USCC_SHAPE = re.compile(
    r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])"
)
DEBRIS = re.compile(r"\b(NaN|nan|NaT|None|True|False)\b|<NA>")
LONG_DECIMAL = re.compile(r"\d\.\d{4,}")


class _Visible(HTMLParser):
    """The text a browser shows: text nodes outside <style>/<script>, and link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith("data:"):
                self.links.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _html(path: Path) -> _Visible:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _text(path: Path) -> str:
    """What a reader reads in ``path``."""
    if path.suffix == ".html":
        return "\n".join(_html(path).text)
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return "\n".join(
            repr(c.value) if isinstance(c.value, float) else str(c.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        )
    raise AssertionError(f"unexpected reader file {path}")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("reader") / "outputs"
    summary = batch.run_batch(data=[SAMPLE], periods=["2025"], out=out, jobs=2, progress=False)
    assert summary.ok, [r.error for r in summary.failed]
    return out


@pytest.fixture(scope="module")
def package():
    return load_package(SAMPLE)


def _reader_files(out: Path) -> list[Path]:
    """Every file outside an ``internal/`` folder (figures are images: their titles are
    the charts' business)."""
    return sorted(
        p
        for p in out.rglob("*")
        if p.is_file() and "internal" not in p.relative_to(out).parts and p.suffix != ".png"
    )


def test_the_period_folder_holds_what_circulates_and_internal_the_rest(outputs):
    folder = outputs / "shangjie" / "2025"
    assert sorted(p.name for p in folder.iterdir()) == [
        "00_bulletin.html",
        "01_enterprise_ecosystem.html",
        "02_collaboration_chain.html",
        "03_transfer_services.html",
        "bulletin.docx",
        "bulletin.md",
        "figures",
        "indicators.csv",
        "indicators.json",
        "indicators.xlsx",
        "internal",
    ]
    internal = {p.name for p in (folder / "internal").iterdir()}
    assert {"01_enterprise_ecosystem.ipynb", "01_enterprise_ecosystem.html"} <= internal
    assert {"bulletin_draft.docx", "manifest.json", "run.html"} <= internal


def test_reader_files_show_no_identifier_id_debris_or_long_decimals(outputs, package):
    usccs = set(package["enterprises"]["uscc"])
    ids = [iid for iid in load_registry() if "." in iid]
    files = _reader_files(outputs)
    suffixes = {p.suffix for p in files}
    assert {".html", ".md", ".docx", ".xlsx"} <= suffixes  # the scan reads every kind
    for path in files:
        if path.suffix in (".csv", ".json"):
            continue  # machine files: below
        text = _text(path)
        assert len(text) > 200, path  # a page that reads as nothing would pass everything
        assert not USCC_SHAPE.search(text), (path, USCC_SHAPE.search(text).group())
        assert not [u for u in usccs if u in text], path
        assert not [iid for iid in ids if iid in text], path
        assert not DEBRIS.search(text), (path, DEBRIS.search(text))
        assert not LONG_DECIMAL.search(text), (path, LONG_DECIMAL.search(text))
        assert "内部工作清单" not in text and "不得外传" not in text, path


def test_the_work_lists_are_on_the_internal_pages_only(outputs, package):
    """The internal page of 01 shows the work lists with identifiers (so the scan above
    reads pages that could hold them); the reader's page of 01 lists no enterprise."""
    folder = outputs / "shangjie" / "2025"
    internal = _text(folder / "internal" / "01_enterprise_ecosystem.html")
    reader = _text(folder / "01_enterprise_ecosystem.html")
    usccs = set(package["enterprises"]["uscc"])
    names = set(package["enterprises"]["name"])
    assert "内部工作清单" in internal and "不得外传" in internal
    assert sum(u in internal for u in usccs) >= 5
    assert sum(n in internal for n in names) >= 5
    # the section page names an enterprise only where the bulletin's prose does (as the
    # model bulletin does), so it names only what bulletin.md names
    bulletin = (folder / "bulletin.md").read_text(encoding="utf-8")
    named = [n for n in names if n in reader]
    assert len(named) < 5 and [n for n in named if n not in bulletin] == []


def test_the_indexes_link_reader_files_only_and_every_link_resolves(outputs):
    for index in (outputs / "index.html", outputs / "shangjie" / "index.html"):
        links = _html(index).links
        assert links, index
        assert not [link for link in links if "internal" in link.split("/")]
        missing = [link for link in links if not (index.parent / link).exists()]
        assert missing == []
        text = "\n".join(_html(index).text)
        assert "上街区" in text and "shangjie" not in text and "UTC" not in text


def test_machine_files_keep_ids_but_no_identifier(outputs, package):
    folder = outputs / "shangjie" / "2025"
    usccs = set(package["enterprises"]["uscc"])
    for name in ("indicators.csv", "indicators.json"):
        text = (folder / name).read_text(encoding="utf-8-sig")
        assert "hnte.valid" in text  # for programs: ids stay
        assert not USCC_SHAPE.search(text) and not [u for u in usccs if u in text]
    document = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
    assert document["indicators"]["hnte.valid"]["value"] == 106  # the 2025 bulletin's figure
