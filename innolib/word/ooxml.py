"""What python-docx does not write itself: the WordprocessingML the 简报 needs, set with oxml.

The page (A4, GB/T 9704 margins, a document grid of 22 lines × 28 characters), fonts
declared for ASCII and East Asian text with the substitutes a machine without the
Windows fonts should use, zh-CN as the language of the styles and the theme, repeated
table headers and unsplittable rows, paragraph borders (the red line of the 版头, the
lines of the 版记), a ``PAGE`` field, clean core properties, and a save whose bytes depend
only on the content (fixed zip timestamps), so that reruns are byte-identical.

Nothing here knows what a 简报 says; ``innolib.word.briefing`` composes it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# GB/T 9704-2012: A4, the type area 156 mm × 225 mm
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT = 16  # 三号
#: 22 lines on the 225 mm type area (637.8 pt / 22 = 28.99; the templates in circulation use 28.95)
LINE_PITCH_PT = 28.95
TEXT_WIDTH_PT = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
#: the character pitch of the grid: 442.2 pt / 28 = 15.79 pt, a little under the 16 pt
#: glyph; the runs are tightened by the same amount (``CHAR_SPACING_TWIPS``) so that a
#: layout engine that does not squeeze glyphs into the grid (LibreOffice) still sets 28
CHAR_PITCH_PT = TEXT_WIDTH_PT / CHARS_PER_LINE
CHAR_SPACING_TWIPS = -5  # −0.25 pt a character: 28 × 15.75 pt = 441 pt ≤ 442.2 pt

# The fonts GB/T 9704 names, and what a machine without them should use. ``altName`` is the
# name WPS and newer Windows give the same face; LibreOffice falls back through fontconfig
# by the charset (GB2312), family and pitch, where fonts-noto-cjk gives Noto Serif/Sans CJK
# SC: every Chinese character is one em wide in all of them, so the grid holds either way.
FONTS = {
    "仿宋_GB2312": ("仿宋", "roman", "02010609030101010101"),
    "楷体_GB2312": ("楷体", "roman", "02010609030101010101"),
    "黑体": ("SimHei", "modern", "02010609060101010101"),
    "方正小标宋简体": ("宋体", "roman", "02000000000000000000"),
    "宋体": ("SimSun", "roman", "02010600030101010101"),
    "Times New Roman": ("", "roman", "02020603050405020304"),
}
#: each font as the East Asian text gets it, and the face Latin letters and digits get
LATIN = {"黑体": "黑体", "方正小标宋简体": "方正小标宋简体"}
LATIN_DEFAULT = "Times New Roman"

# the parts of python-docx's default template that are leftovers in a bulletin: the
# python-docx thumbnail, Word 2010's effects copy of the styles, an empty customXml item
_DROPPED_RELS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
)
_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
_FONT_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
_APP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"


# --------------------------------------------------------------------------- runs and fonts
def set_fonts(rpr_owner: Any, east_asian: str) -> None:
    """Name ``east_asian`` for Chinese text and its Latin partner for letters and digits.

    ``w:rFonts`` gets ascii/hAnsi (Latin), eastAsia (Chinese) and cs, with the ``hint``
    that Word and WPS use to put shared punctuation (“” 、) in the Chinese face.
    """
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith("Theme"):
            del fonts.attrib[key]
    latin = LATIN.get(east_asian, LATIN_DEFAULT)
    for key, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(key), name)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def add_run(paragraph: Any, text: str, font: str, size_pt: float, **style: Any) -> Any:
    """A run of ``text`` in ``font`` at ``size_pt``; ``bold``, ``color`` (hex) and
    ``spacing`` (twentieths of a point between characters) when given."""
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(size_pt)
    set_fonts(run._element, font)
    if style.get("bold"):
        run.font.bold = True
    if style.get("color"):
        run.font.color.rgb = RGBColor.from_string(style["color"])
    if style.get("spacing") is not None:
        character_spacing(run._element.get_or_add_rPr(), style["spacing"])
    return run


#: what follows ``w:spacing`` and ``w:lang`` in a ``w:rPr`` (CT_RPr's sequence)
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def character_spacing(rpr: Any, twips: int) -> None:
    """``w:spacing`` of a run's properties: ``twips`` twentieths of a point between characters."""
    el = rpr.find(qn("w:spacing"))
    if el is None:
        el = parse_xml(f'<w:spacing {nsdecls("w")} w:val="0"/>')
        rpr.insert_element_before(el, *_AFTER_SPACING)
    el.set(qn("w:val"), str(int(twips)))


def _child(parent: Any, tag: str, before: tuple[str, ...] = ()) -> Any:
    """``parent``'s child ``tag``, created (before the first of ``before`` present) if absent."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    el = parent.makeelement(qn(tag), {})
    for name in before:
        anchor = parent.find(qn(name))
        if anchor is not None:
            anchor.addprevious(el)
            return el
    parent.append(el)
    return el


# --------------------------------------------------------------------------- paragraphs
def border(paragraph: Any, side: str, size_eighths: int, color: str = "000000") -> None:
    """A line on ``side`` (top/bottom) of ``paragraph``, ``size_eighths`` eighths of a point."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = ppr.makeelement(qn("w:pBdr"), {})
        ppr.insert_element_before(bdr, *_AFTER_PBDR)
    line = bdr.makeelement(
        qn(f"w:{side}"),
        {
            qn("w:val"): "single",
            qn("w:sz"): str(size_eighths),
            qn("w:space"): "1",
            qn("w:color"): color,
        },
    )
    bdr.append(line)


_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", *_AFTER_SNAP,
)  # fmt: skip


def no_grid(paragraph: Any) -> None:
    """Take ``paragraph`` off the document grid (``w:snapToGrid w:val=0``): table cells,
    footers and the 版头 set their own sizes."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:snapToGrid")) is None:
        ppr.insert_element_before(
            parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'), *_AFTER_SNAP
        )


def page_field(paragraph: Any, font: str, size_pt: float) -> None:
    """A ``PAGE`` field (Word, WPS and LibreOffice fill in the page number)."""
    run = add_run(paragraph, "", font, size_pt)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("1", "1")):
        if kind == "1":
            el = run._element.makeelement(qn("w:t"), {})
            el.text = text
        elif kind:
            el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._element.append(el)
    run._element.append(run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))


# --------------------------------------------------------------------------- tables
def table_widths(table: Any, widths_pt: list[float]) -> None:
    """Fixed layout with the given column widths (``w:tblGrid`` and every ``w:tcW``)."""
    from docx.shared import Pt

    tbl = table._tbl
    tbl_pr = tbl.tblPr
    width = tbl_pr.makeelement(
        qn("w:tblW"), {qn("w:w"): str(round(sum(widths_pt) * 20)), qn("w:type"): "dxa"}
    )
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.remove(old)
    tbl_pr.append(width)
    layout = tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tbl_pr.append(layout)
    table.autofit = False
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_pt):
        col.set(qn("w:w"), str(round(w * 20)))
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            if j < len(widths_pt) and cell._tc.grid_span == 1:
                cell.width = Pt(widths_pt[j])
    _sort_tbl_pr(tbl_pr)


_TBL_PR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)


def _sort_tbl_pr(tbl_pr: Any) -> None:
    """Children of ``w:tblPr`` in the schema's order (Word refuses a file otherwise)."""
    rank = {qn(t): i for i, t in enumerate(_TBL_PR_ORDER)}
    children = sorted(tbl_pr, key=lambda el: rank.get(el.tag, len(rank)))
    for el in children:
        tbl_pr.append(el)


def row_flags(row: Any, *, header: bool = False) -> None:
    """``w:cantSplit`` (the row stays on one page) and, for ``header``, ``w:tblHeader``
    (repeated at the top of every page the table runs onto)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
    if header:
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))


# --------------------------------------------------------------------------- the document
def setup_page(doc: Any) -> Any:
    """A4 portrait, GB/T 9704 margins, the document grid of 22 lines; the section.

    The grid is ``lines`` (line pitch 28.95 pt) with ``charSpace`` recorded, not
    ``linesAndChars``: under a character grid LibreOffice puts a 16 pt glyph into two
    15.79 pt cells (14 characters a line) and ignores the runs' character spacing, while
    Word squeezes it into one. The 28 characters come from the runs instead: 16 pt glyphs
    tightened by 0.25 pt (``CHAR_SPACING_TWIPS``, also in the Normal style), which every
    engine honours alike (28 × 15.75 pt = 441 pt in the 442.2 pt line; 29 would not fit).
    """
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 7)  # a 14 pt line 7 mm below
    grid = _child(section._sectPr, "w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(char_space()))
    return section


def char_space() -> int:
    """``w:charSpace``: the grid's character pitch over the default 16 pt, in 1/4096 pt.

    (442.2 pt / 28 − 16 pt) × 4096 ≈ −848 (GB/T 9704 templates in circulation use −849).
    """
    return round((CHAR_PITCH_PT - BODY_PT) * 4096)


def setup_styles(doc: Any, font: str, lang: str) -> None:
    """Document defaults and Normal: ``font`` at 16 pt, language zh-CN (en-US for English
    text with Chinese as the East Asian language), no theme fonts."""
    from docx.shared import Pt

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    latin = LATIN.get(font, LATIN_DEFAULT)
    rpr.insert(
        0,
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{latin}" w:hAnsi="{latin}" '
            f'w:eastAsia="{font}" w:cs="{latin}" w:hint="eastAsia"/>'
        ),
    )
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag).set(qn("w:val"), str(BODY_PT * 2))
    for el in styles.iter(qn("w:lang")):
        set_language(el, lang)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, font)
    normal_rpr = normal.element.get_or_add_rPr()
    character_spacing(normal_rpr, CHAR_SPACING_TWIPS)
    lang_el = normal_rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = normal_rpr.makeelement(qn("w:lang"), {})
        normal_rpr.insert_element_before(lang_el, *_AFTER_LANG)
    set_language(lang_el, lang)


def set_language(el: Any, lang: str) -> None:
    """A ``w:lang``: zh-CN for text and East Asian text (en-US text for ``lang == "en"``)."""
    el.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    el.set(qn("w:eastAsia"), "zh-CN")
    el.set(qn("w:bidi"), "ar-SA")


def clean_template(doc: Any, lang: str) -> None:
    """Strip the default template's leftovers: the Japanese theme language and fonts,
    the thumbnail, stylesWithEffects, customXml; declare our fonts; odd/even footers."""
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype in _DROPPED_RELS:
            del package_rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in _DROPPED_RELS:
            doc.part.drop_rel(rid)
        elif rel.reltype == _THEME:
            rel.target_part._blob = _zh_theme(rel.target_part.blob)
        elif rel.reltype == _FONT_TABLE:
            rel.target_part._blob = font_table().encode("utf-8")
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        set_language(theme_lang, lang)
        del theme_lang.attrib[qn("w:bidi")]
    proof = settings.find(qn("w:proofState"))
    if proof is not None:
        settings.remove(proof)
    doc.settings.odd_and_even_pages_header_footer = True


def _zh_theme(blob: bytes) -> bytes:
    """The theme with 宋体 as its East Asian font and without the Japanese script fonts."""
    text = blob.decode("utf-8")
    text = re.sub(r'\s*<a:font script="Jpan" typeface="[^"]*"/>', "", text)
    text = text.replace('<a:ea typeface=""/>', '<a:ea typeface="宋体"/>')
    return text.encode("utf-8")


def font_table() -> str:
    """``word/fontTable.xml``: every font the 简报 names, with its substitute (``altName``),
    charset (86: GB2312), family and pitch, so that a machine without it picks a like face."""
    entries = []
    for name, (alt, family, panose) in FONTS.items():
        charset = "00" if name == LATIN_DEFAULT else "86"
        entries.append(
            f'<w:font w:name="{name}">'
            + (f'<w:altName w:val="{alt}"/>' if alt else "")
            + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:fonts {nsdecls('w')}>" + "".join(entries) + "</w:fonts>"
    )


def set_properties(doc: Any, *, title: str, author: str, moment: dt.datetime, lang: str) -> None:
    """Core properties: the bureau as author, the title, created = modified = ``moment``,
    no python-docx creator or description, the language."""
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = moment.replace(tzinfo=None, microsecond=0)
    props.language = "zh-CN" if lang == "zh" else "en-US"


def _app_xml() -> str:
    """``docProps/app.xml`` without the template's "Microsoft Macintosh Word" and Normal.dotm."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><Application>innolib</Application><DocSecurity>0</DocSecurity>'
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    )


def save(doc: Any, path: Path | str, moment: dt.datetime) -> Path:
    """Save ``doc`` with every zip entry stamped ``moment`` (not the clock), the app
    properties rewritten: the same document gives the same bytes."""
    for rel in doc.part.package.rels.values():
        if rel.reltype == _APP:
            rel.target_part._blob = _app_xml().encode("utf-8")
    buffer = io.BytesIO()
    doc.save(buffer)
    stamp = max(moment.replace(tzinfo=None), dt.datetime(1980, 1, 1)).timetuple()[:6]
    path = Path(path)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return path
