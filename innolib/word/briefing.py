"""The 简报 as a Word document, laid out as district 简报 are under GB/T 9704-2012.

From the top of the first page:

* **版头**: the 简报's name in red 方正小标宋简体 (``bulletin_name`` in ``district.yaml``,
  else the default of ``templates/briefing.yaml``), 第N期 (the ``issue_number``
  parameter; without it ``第  期`` for the analyst to fill in), the issuing office on the
  left and the date on the right, and a red line;
* the title (方正小标宋简体 二号, centred), the synthetic-data stamp when there is one, the
  lead and the sections in 仿宋_GB2312 三号 with run-in headings in 黑体 (一、) and 楷体_GB2312
  (一是), the signature at the end of the last paragraph;
* **附表** on a page of its own: the headline indicators with the year's targets and their
  completion where the package has targets, column widths set by the cells, the header
  row repeated on every page, rows never split, then the notes (units, markers, sources);
* **版记**: 送 and 发 (``bulletin_to`` / ``bulletin_copy``) and the office and date of
  印发, between lines (thick outside, thin inside).

Page numbers ``— 1 —`` in 宋体 四号 sit outside: odd pages right, even pages left, one
character in. The body holds 22 lines of 28 characters (``innolib.word.ooxml``). Dates
(版头, 印发, the file's metadata) are the ``issued`` parameter, else ``SOURCE_DATE_EPOCH``,
else today, in China's time; with the same inputs and date the file is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from innolib.present.numbers import format_date
from innolib.present.vocabulary import words
from innolib.word import ooxml
from innolib.word.appendix import AppendixTable, appendix_table, column_widths
from innolib.word.words import briefing_words

TITLE_FONT, TITLE_PT = "方正小标宋简体", 22  # 二号
BODY_FONT, BODY_PT = "仿宋_GB2312", ooxml.BODY_PT  # 三号
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
NAME_PT = 36  # 小初: the 简报's name in the 版头
TABLE_PT = 10.5  # 五号: the 附表's cells and notes
TABLE_PITCH_PT = 15  # exact line height in the 附表
PAGE_FONT, PAGE_PT = "宋体", 14  # page numbers 四号
IMPRINT_PT = 14  # 四号: the 版记
RED = "FF0000"
CHINA = ZoneInfo("Asia/Shanghai")


# --------------------------------------------------------------------------- the 版头's facts
@dataclass(frozen=True)
class Masthead:
    """What the 版头 and 版记 print: name, 第N期, office, district, date, the lists, and
    ``moment`` (the time written into the file's metadata and zip entries)."""

    name: str
    issue: str
    office: str
    district: str
    date: dt.date
    sent_to: tuple[str, ...]
    sent_copy: tuple[str, ...]
    moment: dt.datetime


def issue_moment(issued: dt.date | dt.datetime | str | None = None) -> dt.datetime:
    """When the 简报 is issued (UTC): ``issued`` (a date is midnight in China), else
    ``SOURCE_DATE_EPOCH`` (seconds, for reproducible reruns), else now."""
    if isinstance(issued, str):
        issued = dt.date.fromisoformat(issued)
    if isinstance(issued, dt.datetime):
        aware = issued if issued.tzinfo else issued.replace(tzinfo=CHINA)
        return aware.astimezone(dt.UTC)
    if isinstance(issued, dt.date):
        return dt.datetime.combine(issued, dt.time(), CHINA).astimezone(dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def masthead(
    district: Any,
    *,
    issue_number: int | None = None,
    issued: dt.date | dt.datetime | str | None = None,
    lang: str = "zh",
) -> Masthead:
    """The 版头/版记 facts of ``district`` (a ``District``): its declared ``bulletin_name``,
    ``office``, ``bulletin_to`` and ``bulletin_copy`` (``district_facts`` defaults)."""
    from innolib.wording import district_facts

    said = briefing_words(lang)
    facts, _warnings = district_facts(district, lang)
    declared = dict(getattr(district, "facts", {}) or {})
    name = declared.get("bulletin_name") or said["bulletin_name"]
    if issue_number is not None and (isinstance(issue_number, bool) or int(issue_number) < 1):
        raise ValueError(f"issue_number must be a positive whole number, not {issue_number!r}")
    issue = said["issue_blank"] if issue_number is None else said["issue"].format(n=issue_number)
    moment = issue_moment(issued)
    return Masthead(
        name=name,
        issue=issue,
        office=full_office(district, facts, lang),
        district=str(getattr(district, "name", "") if lang == "zh" else _name_en(district)),
        date=moment.astimezone(CHINA).date(),
        sent_to=_items(declared.get("bulletin_to", "")),
        sent_copy=_items(declared.get("bulletin_copy", "")),
        moment=moment,
    )


def _name_en(district: Any) -> str:
    return str(getattr(district, "name_en", "") or getattr(district, "id", ""))


def _items(text: str) -> tuple[str, ...]:
    """The receivers of a 送/发 list, stored by the loader one per line."""
    return tuple(t for t in (s.strip() for s in str(text).split("\n")) if t)


def full_office(district: Any, facts: dict[str, str], lang: str) -> str:
    """The office as the 版头 names it: ``区科技局`` of 上街区 is ``上街区科技局``."""
    office = facts["office"]
    name = str(getattr(district, "name", "") or "")
    word = facts.get("district_word", "")
    if lang == "zh" and word and office.startswith(word) and not office.startswith(name):
        return name + office[len(word) :]
    return office


# --------------------------------------------------------------------------- the writer
def write_docx(
    story: Any,
    table: Any,
    notes: list[str],
    path: Path | str,
    lang: str = "zh",
    *,
    head: Masthead,
    targets: Any = None,
    draft: bool = False,
) -> Path:
    """Write the 简报 of ``story`` (a ``Narrative``) to ``path``; the path.

    ``table``: the headline ``IndicatorTable`` (the 附表's cells); ``notes``: sources,
    cut-off and the lenient-mode line, printed under the 附表; ``head``: ``masthead()``;
    ``targets``: ``analyses.targets_vs_actual`` of the period (None: no target columns);
    ``draft``: the analyst's internal draft, 草稿 on every page, placeholders highlighted.
    """
    from docx import Document

    doc = Document()
    ooxml.clean_template(doc, lang)
    ooxml.setup_styles(doc, BODY_FONT, lang)
    section = ooxml.setup_page(doc)
    page = _Page(doc, lang)
    if draft:
        _draft_marks(section, words(lang)["draft_mark"])
        mark = page.paragraph(indent=False)
        ooxml.add_run(mark, words(lang)["draft_mark"], HEADING_FONT, BODY_PT, color=RED)
    _masthead(page, head)
    _body(page, story, draft)
    appendix = appendix_table(table, targets, story.period, lang)
    _appendix(page, appendix, head, story.period, notes, lang)
    _imprint(page, head, lang)
    _page_numbers(section, briefing_words(lang)["page"])
    ooxml.set_properties(doc, title=story.title, author=head.office, moment=head.moment, lang=lang)
    return ooxml.save(doc, path, head.moment)


class _Page:
    """Paragraph factory of one document: body paragraphs on the 28.95 pt line pitch."""

    def __init__(self, doc: Any, lang: str):
        self.doc = doc
        self.lang = lang

    def paragraph(
        self, align: str | None = None, *, indent: bool = True, pitch: float | None = None
    ) -> Any:
        """A paragraph with exact line spacing (``pitch``, default the body's), no space
        before or after, the first line indented two characters unless ``indent`` is False."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(pitch or ooxml.LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        if indent:
            fmt.first_line_indent = Pt(2 * (BODY_PT + ooxml.CHAR_SPACING_TWIPS / 20))
        if align:
            p.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
        return p


def _masthead(page: _Page, head: Masthead) -> None:
    """版头: the name in red, 第N期, office left and date right above a red line."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    name = page.paragraph("center", indent=False, pitch=NAME_PT * 1.5)
    ooxml.no_grid(name)
    ooxml.add_run(name, head.name, TITLE_FONT, NAME_PT, color=RED, spacing=0)
    issue = page.paragraph("center", indent=False)
    ooxml.add_run(issue, head.issue, BODY_FONT, BODY_PT)
    line = page.paragraph(indent=False)
    line.paragraph_format.tab_stops.add_tab_stop(
        Pt(ooxml.TEXT_WIDTH_PT - BODY_PT), WD_TAB_ALIGNMENT.RIGHT
    )
    line.paragraph_format.left_indent = Pt(BODY_PT)
    date = format_date(head.date, page.lang)
    ooxml.add_run(line, f"{head.office}\t{date}", SUBHEADING_FONT, BODY_PT)
    ooxml.border(line, "bottom", 18, RED)  # 2.25 pt red line
    line.paragraph_format.keep_with_next = True
    page.paragraph(indent=False)  # a blank line between the 版头 and the title


def _body(page: _Page, story: Any, draft: bool) -> None:
    """Title, stamp, lead, the sections with run-in headings, the signature."""
    title = page.paragraph("center", indent=False, pitch=ooxml.LINE_PITCH_PT * 1.2)
    title.paragraph_format.keep_with_next = True
    ooxml.add_run(title, story.title, TITLE_FONT, TITLE_PT, spacing=0)
    blank = page.paragraph(indent=False)  # one blank line under the title
    blank.paragraph_format.keep_with_next = True
    if story.notice:
        stamp = page.paragraph("center", indent=False)
        ooxml.add_run(stamp, story.notice, HEADING_FONT, BODY_PT)
    lead = page.paragraph("justify")
    _text_runs(lead, story.lead, story, BODY_FONT)
    gap = "" if page.lang == "zh" else " "
    for i, sec in enumerate(story.sections):
        p = page.paragraph("justify")
        ooxml.add_run(p, sec.heading + gap, HEADING_FONT, BODY_PT)
        rest = sec.paragraph
        for topic in sec.topics:
            at = rest.find(topic)
            if at < 0:
                continue
            if at:
                _text_runs(p, rest[:at], story, BODY_FONT)
            ooxml.add_run(p, topic, SUBHEADING_FONT, BODY_PT)
            rest = rest[at + len(topic) :]
        if rest:
            _text_runs(p, rest, story, BODY_FONT)
        if i == len(story.sections) - 1:
            ooxml.add_run(p, gap + story.signature, BODY_FONT, BODY_PT)


def _text_runs(p: Any, text: str, story: Any, font: str) -> None:
    """``text`` as runs, each placeholder of ``story`` (style ``placeholder``) highlighted."""
    from docx.enum.text import WD_COLOR_INDEX

    holes = sorted({story.text[s:e] for k, s, e in story.styles if k == "placeholder"})
    pieces = [text]
    for hole in holes:
        pieces = [part for piece in pieces for part in _split_keep(piece, hole)]
    for piece in pieces:
        if not piece:
            continue
        run = ooxml.add_run(p, piece, font, BODY_PT)
        if piece in holes:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _split_keep(text: str, sep: str) -> list[str]:
    parts = text.split(sep)
    out = [parts[0]]
    for part in parts[1:]:
        out += [sep, part]
    return out


def _appendix(
    page: _Page, appendix: AppendixTable, head: Masthead, period: Any, notes: list[str], lang: str
) -> None:
    """附表 on a new page: its label, title, the table and the notes under it."""
    from docx.shared import Pt

    said = briefing_words(lang)
    label = page.paragraph(indent=False)
    label.paragraph_format.page_break_before = True
    label.paragraph_format.keep_with_next = True
    ooxml.add_run(label, said["appendix"], HEADING_FONT, BODY_PT)
    title = page.paragraph("center", indent=False)
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_after = Pt(6)
    when = "" if period.kind == "year" and not period.clipped else period.wording(lang)
    text = said["appendix_title"].format(district=head.district, year=period.year, when=when)
    ooxml.add_run(title, text, HEADING_FONT, BODY_PT, spacing=0)
    _grid(page, appendix)
    for note in [*appendix.notes, *notes]:
        p = page.paragraph("justify", indent=False, pitch=TABLE_PITCH_PT)
        ooxml.no_grid(p)
        ooxml.add_run(p, note, BODY_FONT, TABLE_PT, spacing=0)


def _grid(page: _Page, appendix: AppendixTable) -> None:
    """The table: header repeated on every page, rows unsplit, widths from the cells."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    n = len(appendix.header)
    grid = page.doc.add_table(rows=1 + len(appendix.rows), cols=n)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    # a row's cells are looked up once per row: python-docx's ``table.cell(i, j)`` walks
    # the whole grid on every call (432 calls took 3.7 s of a 6.8 s report)
    rows = grid.rows
    ooxml.row_flags(rows[0], header=True)
    for cell, name in zip(rows[0].cells, appendix.header):
        _cell(cell, name, HEADING_FONT, "center")
    last = len(appendix.rows)
    for i, row in enumerate(appendix.rows, start=1):
        ooxml.row_flags(rows[i])
        cells = rows[i].cells
        if row.is_section:
            merged = cells[0].merge(cells[n - 1])
            _cell(merged, row.cells[0], HEADING_FONT, "left", keep=i < last)
            continue
        for j, (cell, value) in enumerate(zip(cells, row.cells)):
            _cell(cell, value, BODY_FONT, "left" if j == 0 else "center")
    ooxml.table_widths(grid, column_widths(appendix, TABLE_PT, ooxml.TEXT_WIDTH_PT))


def _cell(cell: Any, text: str, font: str, align: str, keep: bool = False) -> None:
    """One cell's text in ``font`` 小四, off the grid, kept with the next row when ``keep``."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    p = cell.paragraphs[0]
    p.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(TABLE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.keep_with_next = keep
    ooxml.no_grid(p)
    ooxml.add_run(p, text, font, TABLE_PT, spacing=0)


def _imprint(page: _Page, head: Masthead, lang: str) -> None:
    """版记: 送/发 and the 印发 line, between lines (thick outside, thin inside)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    said = briefing_words(lang)
    lines = []
    for label, items in ((said["sent_to"], head.sent_to), (said["sent_copy"], head.sent_copy)):
        if items:
            lines.append(label + said["list_separator"].join(items) + said["list_end"])
    space = page.paragraph(indent=False)  # a blank line between the 附表's notes and the 版记
    space.paragraph_format.keep_with_next = True
    rows = []
    for text in lines:
        p = page.paragraph("left", indent=False)
        p.paragraph_format.left_indent = Pt(IMPRINT_PT)
        p.paragraph_format.right_indent = Pt(IMPRINT_PT)
        p.paragraph_format.keep_with_next = True
        ooxml.add_run(p, text, BODY_FONT, IMPRINT_PT, spacing=0)
        rows.append(p)
    printed = page.paragraph(indent=False)
    fmt = printed.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(IMPRINT_PT)
    fmt.tab_stops.add_tab_stop(Pt(ooxml.TEXT_WIDTH_PT - 2 * IMPRINT_PT), WD_TAB_ALIGNMENT.RIGHT)
    date = said["printed"].format(date=format_date(head.date, lang))
    ooxml.add_run(printed, f"{head.office}\t{date}", BODY_FONT, IMPRINT_PT, spacing=0)
    first = rows[0] if rows else printed
    ooxml.border(first, "top", 8)  # 1 pt: the 版记's first line
    if rows:
        ooxml.border(printed, "top", 4)  # 0.5 pt between the lists and the 印发 line
    ooxml.border(printed, "bottom", 8)


def _page_numbers(section: Any, pattern: str) -> None:
    """``— N —`` in 宋体 四号, one character in from the outside edge: right on odd pages,
    left on even pages (``w:evenAndOddHeaders`` set by ``clean_template``)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    before, after = pattern.split("{page}")
    for footer, align in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = getattr(WD_ALIGN_PARAGRAPH, align)
        ooxml.no_grid(p)
        if align == "RIGHT":
            p.paragraph_format.right_indent = Pt(PAGE_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_PT)
        ooxml.add_run(p, before, PAGE_FONT, PAGE_PT, spacing=0)
        ooxml.page_field(p, PAGE_FONT, PAGE_PT)
        ooxml.add_run(p, after, PAGE_FONT, PAGE_PT, spacing=0)


def _draft_marks(section: Any, mark: str) -> None:
    """草稿 in the header of every page (odd and even) of the analyst's draft."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ooxml.no_grid(p)
        ooxml.add_run(p, mark, HEADING_FONT, 12, color=RED, spacing=0)
