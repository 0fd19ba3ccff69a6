"""The bulletin's exports for one (district, period): Markdown, Word, CSV and JSON.

``write_report(package, period, out_dir, lang)`` writes ``bulletin.md``,
``bulletin.docx``, ``indicators.csv`` and ``indicators.json`` (plus ``rejects/`` when a
lenient load left rows out). Everything written is meant for circulation, so:

* every figure goes through disclosure control first (``narrative.circulated``): a
  confidential money indicator (rd_survey, financing, tech_contracts) whose district
  total fails the minimum-frequency or (2, 85) dominance rule has status ``suppressed``
  and a null value in the JSON and CSV, the suppressed marker (``—``, with its legend)
  in the tables, and is left out of the prose; the district totals that pass stay published;
* no work list, no enterprise name beside a figure of its own, no USCC is ever written.

Files are first written into a temporary folder beside ``out_dir`` and then moved into
place one by one (``os.replace``, atomic on one file system), so a crash never leaves a
half-written file that looks finished.

The Word file follows the conventions of GB/T 9704-2012 for official documents, as
bureau staff expect of a 简报: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right
26 mm; title in 方正小标宋简体 二号 (22 pt) centred; body in 仿宋_GB2312 三号 (16 pt) with
the line pitch fixed at 28.95 pt and a document grid of 22 lines × 28 characters;
first-level headings in 黑体, second-level (一是……) in 楷体_GB2312; page numbers
``— 1 —`` at the foot. Font names are set for ASCII and East Asian text alike
(``w:rFonts w:ascii/w:hAnsi/w:eastAsia``) so that Word and WPS both apply them.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from innolib.narrative import Narrative, circulated, write_narrative
from innolib.periods import Period, require_period
from innolib.present.markup import markdown_text
from innolib.present.numbers import format_date
from innolib.present.tables import IndicatorTable, indicator_table
from innolib.present.vocabulary import words

# GB/T 9704 page and type
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT, TITLE_PT = "方正小标宋简体", 22  # 二号
BODY_FONT, BODY_PT = "仿宋_GB2312", 16  # 三号
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_PT = 14  # 四号
FOOTER_FONT, FOOTER_PT = "宋体", 14  # page numbers 四号 半角宋体
NOTE_PT = 10.5  # 五号, the running data note in the footer
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH_PT = 28.95  # 22 lines on the 225 mm type area: what GB/T 9704 templates use

_LABELS = {
    "zh": {
        "sources": "数据来源：{tables}。",
        "cutoff": "数据截至{date}。",
        "rejected": "{summary}。",
    },
    "en": {
        "sources": "Data sources: {tables}.",
        "cutoff": "Data as of {date}.",
        "rejected": "{summary}.",
    },
}

FILES = ("bulletin.md", "bulletin.docx", "indicators.csv", "indicators.json")
#: the analyst's draft (not circulated): placeholders where a point lacks the bureau's text
DRAFT = "internal/bulletin_draft.docx"
#: what the analyst still has to supply: points without the bureau's text, facts to declare
TODO = "internal/missing_measures.txt"


# --------------------------------------------------------------------------- the report
def write_report(
    package: Any,
    period: Period,
    out_dir: Path | str,
    lang: str = "zh",
    *,
    indicators: Any = None,
) -> list[Path]:
    """Write the circulated exports of ``package`` for ``period`` into ``out_dir``; the paths.

    ``indicators``: an IndicatorSet already computed for this period (computed when
    omitted). Disclosure control is always applied here.
    """
    require_period(period)
    if indicators is None:
        from innolib.indicators import compute_indicators

        indicators = compute_indicators(package, period)
    safe = circulated(package, indicators)
    story = write_narrative(package, period, lang, indicators=safe, protect=False)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir.parent))
    try:
        table = headline_table(safe, lang)
        notes = _notes(package, safe, lang)
        (staging / "bulletin.md").write_text(
            bulletin_markdown(story, table, notes), encoding="utf-8"
        )
        write_docx(story, table, notes, staging / "bulletin.docx", lang)
        draft = write_narrative(package, period, lang, indicators=safe, protect=False, draft=True)
        (staging / "internal").mkdir()
        write_docx(draft, table, notes, staging / DRAFT, lang, draft=True)
        (staging / TODO).write_text(
            "".join(line + "\n" for line in missing_lines(draft)), encoding="utf-8"
        )
        indicators_frame(safe).to_csv(staging / "indicators.csv", index=False, encoding="utf-8-sig")
        (staging / "indicators.json").write_text(
            json.dumps(_json_safe(safe.to_document()), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        extra: list[Path] = []
        report = getattr(package, "report", None)
        if report is not None and getattr(report, "rejected_rows", None) and report.rejected_rows():
            from innolib.load_report import write_rejects

            # rejected rows name enterprises (USCC): internal, never beside the circulated files
            extra = [p.relative_to(staging) for p in write_rejects(report, staging / "internal")]
        written = []
        for name in [*FILES, DRAFT, TODO, *map(str, extra)]:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def missing_lines(story: Narrative) -> list[str]:
    """One line per point that has claims but no measures text, then the run's warnings."""
    from innolib.measures import points, section_labels

    labels = {(p.section, p.id): p.zh for p in points()}
    sections = section_labels()
    out = [
        f"缺少工作举措 / no measures text: {story.period.label} {n}.{sections[n][0]} "
        f"{point}（{labels[(n, point)]}）"
        for n, point in story.missing
    ]
    return out + list(story.warnings)


def _json_safe(document: Any) -> Any:
    """NaN/NA → null, numpy scalars → Python numbers (JSON has no NaN)."""
    if isinstance(document, dict):
        return {k: _json_safe(v) for k, v in document.items()}
    if isinstance(document, (list, tuple)):
        return [_json_safe(v) for v in document]
    if document is None or document is pd.NA:
        return None
    if isinstance(document, float) and math.isnan(document):
        return None
    if hasattr(document, "item") and not isinstance(document, (str, bytes)):
        return _json_safe(document.item())
    return document


def indicators_frame(result: Any) -> pd.DataFrame:
    """Every indicator of ``result`` as the CSV rows: id, section, names, unit, kind, status, value, YoY.

    Counts are written as whole numbers (``106``, not ``106.0``); empty cells for null values.
    """
    frame = result.to_frame()
    counts = ~frame["unit"].isin(["万元", "%"])
    for column in ("value", "previous"):
        frame[column] = pd.Series(
            [
                None
                if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                else (int(v) if is_count else v)
                for v, is_count in zip(frame[column].astype(object), counts)
            ],
            index=frame.index,
            dtype=object,
        )
    return frame


# --------------------------------------------------------------------------- headline table
def headline_table(result: Any, lang: str = "zh") -> IndicatorTable:
    """The bulletin's table as circulated: the registry's headline indicators with data
    (``ok`` or ``suppressed``), rendered by ``innolib.present.tables`` like every table."""
    return indicator_table(
        result,
        headline=True,
        omit_no_data=True,
        title=words(lang)["headline_title"],
        cutoff_note=False,
        lang=lang,
    )


def _notes(package: Any, result: Any, lang: str) -> list[str]:
    """The notes printed after the text: data sources, cut-off date, rows left out."""
    from innolib.registry import load_registry
    from innolib.tables import TABLES

    labels = _LABELS[lang]
    defs = load_registry()
    used: list[str] = []
    for iid, iv in result.values.items():
        if iv.status != "no_data" and iid in defs:
            used.extend(t for t in defs[iid].sources if t not in used)
    order = [t for t in TABLES if t in used]
    names = [TABLES[t].zh if lang == "zh" else t for t in order]
    cutoff = getattr(package.district, "cutoff", None)
    day = min(cutoff, result.period.end) if cutoff else result.period.end
    notes = [
        labels["sources"].format(tables=("、" if lang == "zh" else ", ").join(names)),
        labels["cutoff"].format(date=format_date(day, lang)),
    ]
    report = getattr(package, "report", None)
    if report is not None and getattr(report, "rejected_rows", None) and report.rejected_rows():
        notes.append(labels["rejected"].format(summary=report.summary()))
    return notes


# --------------------------------------------------------------------------- Markdown
def bulletin_markdown(story: Narrative, table: IndicatorTable, notes: list[str]) -> str:
    """The bulletin as Markdown: the narrative, the headline table with its notes and
    legends, the notes; every piece of text escaped (``innolib.present.markup``)."""
    body = [story.markdown.rstrip(), "", table.markdown(), ""]
    return "\n".join([*body, *map(markdown_text, notes)]) + "\n"


# --------------------------------------------------------------------------- Word
def write_docx(
    story: Narrative,
    table: IndicatorTable,
    notes: list[str],
    path: Path | str,
    lang: str = "zh",
    *,
    draft: bool = False,
) -> Path:
    """The bulletin as a Word document in GB/T 9704 typography (see the module docstring).

    A synthetic package's stamp (``story.notice``) stands under the title. ``draft``: the
    analyst's internal draft, marked 草稿 at the top, its placeholders highlighted yellow.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    doc = Document()
    _set_defaults(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)  # page number about 7 mm below the type area
    _set_doc_grid(section)

    def paragraph(align=None, indent: bool = True):
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(BODY_PT * 2)
        if align is not None:
            p.alignment = align
        return p

    _title_block(story, paragraph, lang, draft)

    _run(paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY), story.lead, BODY_FONT, BODY_PT)
    for i, sec in enumerate(story.sections):
        p = paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY)
        _run(p, sec.heading + ("" if lang == "zh" else " "), HEADING_FONT, BODY_PT)
        rest = sec.paragraph
        for topic in sec.topics:
            at = rest.find(topic)
            if at < 0:
                continue
            if at:
                _run(p, rest[:at], BODY_FONT, BODY_PT)
            _run(p, topic, SUBHEADING_FONT, BODY_PT)
            rest = rest[at + len(topic) :]
        if rest:
            _body_runs(p, rest, story, BODY_FONT, BODY_PT)
        if i == len(story.sections) - 1:
            _run(p, ("" if lang == "zh" else " ") + story.signature, BODY_FONT, BODY_PT)

    _docx_table(doc, table, paragraph)
    for note in notes:
        _run(paragraph(indent=False), note, BODY_FONT, TABLE_PT)

    _footer(section, notes[:2])
    path = Path(path)
    doc.core_properties.title = story.title
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en"
    doc.save(path)
    return path


def _docx_table(doc: Any, table: IndicatorTable, paragraph: Any) -> None:
    """The headline table: the cells of ``innolib.present.tables``, section titles as merged rows."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = paragraph(WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _run(caption, table.title, HEADING_FONT, BODY_PT)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, name in enumerate(table.header):
        _cell(grid.cell(0, j), name, HEADING_FONT, WD_ALIGN_PARAGRAPH.CENTER)
    for i, row in enumerate(table.rows, start=1):
        if row.is_section:
            merged = grid.cell(i, 0).merge(grid.cell(i, len(table.header) - 1))
            _cell(merged, row.cells[0], HEADING_FONT, WD_ALIGN_PARAGRAPH.LEFT)
            continue
        for j, value in enumerate(row.cells):
            align = WD_ALIGN_PARAGRAPH.LEFT if j == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _cell(grid.cell(i, j), value, BODY_FONT, align)
    for note in table.notes:
        _run(paragraph(indent=False), note, BODY_FONT, TABLE_PT)


def _title_block(story: Narrative, paragraph: Any, lang: str, draft: bool) -> None:
    """草稿 (a draft), the title and a blank line, the synthetic stamp (when there is one)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from innolib.present.vocabulary import words

    if draft:
        _run(paragraph(indent=False), words(lang)["draft_mark"], HEADING_FONT, BODY_PT)
    title = paragraph(WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing = Pt(LINE_PITCH_PT * 1.2)
    _run(title, story.title, TITLE_FONT, TITLE_PT)
    paragraph(indent=False)  # one blank line under the title
    if story.notice:
        stamp = paragraph(WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _run(stamp, story.notice, HEADING_FONT, BODY_PT)


def _body_runs(p: Any, text: str, story: Narrative, font: str, size_pt: float) -> None:
    """``text`` as runs, each placeholder of ``story`` (style ``placeholder``) highlighted."""
    from docx.enum.text import WD_COLOR_INDEX

    holes = [story.text[s:e] for k, s, e in story.styles if k == "placeholder"]
    if not holes:
        _run(p, text, font, size_pt)
        return
    hole = holes[0]
    for i, piece in enumerate(text.split(hole)):
        if i:
            _run(p, hole, font, size_pt).font.highlight_color = WD_COLOR_INDEX.YELLOW
        if piece:
            _run(p, piece, font, size_pt)


def _set_fonts(rpr_owner: Any, font: str) -> None:
    """Set ascii, hAnsi, eastAsia and cs font names (Word/WPS pick the East Asian one for Chinese)."""
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), font)


def _run(paragraph: Any, text: str, font: str, size_pt: float) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size_pt)
    _set_fonts(run._element, font)
    return run


def _cell(cell: Any, text: str, font: str, align: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(TABLE_PT * 1.5)
    _run(p, text, font, TABLE_PT)


def _set_defaults(doc: Any) -> None:
    """Normal style and document defaults: 仿宋_GB2312 16 pt (the grid's character pitch is relative to it)."""
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, BODY_FONT)
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            for tag in ("w:sz", "w:szCs"):
                el = rpr.find(qn(tag))
                if el is None:
                    el = rpr.makeelement(qn(tag), {})
                    rpr.append(el)
                el.set(qn("w:val"), str(BODY_PT * 2))


def _set_doc_grid(section: Any) -> None:
    """22 lines × 28 characters: line pitch 28.95 pt, character pitch 156 mm / 28.

    ``w:charSpace`` is the extra character pitch over the default font size in 1/4096 pt:
    (442.2 pt / 28 − 16 pt) × 4096 ≈ −848 (GB/T 9704 templates in circulation use −849).
    """
    from docx.oxml.ns import qn

    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = sect.makeelement(qn("w:docGrid"), {})
        sect.append(grid)
    width_pt = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
    char_space = round((width_pt / CHARS_PER_LINE - BODY_PT) * 4096)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(char_space))


def _footer(section: Any, notes: list[str]) -> None:
    """Footer: the data note (sources, cut-off) in 五号, then the page number ``— N —``."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    footer = section.footer
    footer.is_linked_to_previous = False
    note = footer.paragraphs[0]
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(note, " ".join(notes), BODY_FONT, NOTE_PT)
    number = footer.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, "— ", FOOTER_FONT, FOOTER_PT)
    run = _run(number, "", FOOTER_FONT, FOOTER_PT)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        elif text == "1":
            el = run._element.makeelement(qn("w:t"), {})
            el.text = text
        else:
            el = run._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._element.append(el)
    _run(number, " —", FOOTER_FONT, FOOTER_PT)
