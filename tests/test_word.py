"""The Word 简报 (innolib.word): GB/T 9704 layout, 版头, 附表, 版记, metadata, reproducibility,
and the LibreOffice measurement of lines per page and characters per line.

Packages come from ``tests/conftest.py`` (``mini_package``: its 2025 figures are worked out
in test_narrative.py; ``rd.expenditure`` 44987万元, ``contracts.amount`` 47312万元).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import statistics
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import district, mini_package
from docx import Document
from docx.oxml.ns import qn

from innolib.errors import DataError
from innolib.export import DRAFT, write_report
from innolib.load.district import district_from_mapping
from innolib.package import Package
from innolib.periods import parse_period
from innolib.word import issue_moment, render
from innolib.word.appendix import column_widths, text_em

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shangjie"
ISSUED = dt.date(2026, 1, 15)
FACTS = {
    "bulletin_name": "科技创新简报",
    "bulletin_to": "区委、区政府领导\n市科技局",
    "bulletin_copy": "各镇（街道）\n区直各单位",
}
# 2025 targets of the mini district: R&D 44987 / 40000 = 112.5% (met, 112%); contracts
# 47312 / 50000 = 94.6% (missed: cut down to 94%, never rounded up)
TARGETS = pd.DataFrame(
    {
        "year": [2025, 2025, 2024],
        "indicator": ["rd.expenditure", "contracts.amount", "rd.expenditure"],
        "target": ["40000", "5亿", "1"],
    }
)


def _package(**facts: str) -> Package:
    pkg = mini_package(targets=TARGETS)
    return dataclasses.replace(pkg, district=dataclasses.replace(district(), facts=facts))


@pytest.fixture(scope="module")
def briefing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("word") / "2025"
    write_report(_package(**FACTS), parse_period("2025"), out, issue_number=7, issued=ISSUED)
    return out


@pytest.fixture(scope="module")
def title() -> str:
    """The narrative's title for the fixture package (innolib.narrative decides it)."""
    from innolib.indicators import compute_indicators
    from innolib.narrative import circulated, write_narrative

    pkg, period = _package(**FACTS), parse_period("2025")
    safe = circulated(pkg, compute_indicators(pkg, period))
    return write_narrative(pkg, period, "zh", indicators=safe, protect=False).title


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def _fonts(run) -> tuple[str, str]:
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:ascii")), fonts.get(qn("w:eastAsia"))


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


# --------------------------------------------------------------------------- page and type
def test_page_grid_and_fonts_follow_gbt9704(briefing, title):
    title_text = title
    doc = Document(briefing / "bulletin.docx")
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    margins = (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
    assert [round(x.mm) for x in margins] == [37, 35, 28, 26]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt in twentieths: 22 lines
    # (156 mm = 442.2 pt) / 28 = 15.79 pt: (15.79 - 16) * 4096 = -848
    assert grid.get(qn("w:charSpace")) == "-848"
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # 28 glyphs of 16 - 0.25 pt = 441 pt fit the 442.2 pt line, 29 (456.75 pt) do not
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    paragraphs = doc.paragraphs
    # the 版头 (name, 第N期, office and date), a blank line, then the title
    title = paragraphs[4]
    assert title.text == title_text
    assert title.alignment == 1 and _fonts(title.runs[0])[1] == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22 and title.paragraph_format.keep_with_next
    section = next(p for p in paragraphs if p.text.startswith("一、"))
    heading, topic, body = section.runs[0], section.runs[1], section.runs[2]
    assert heading.text == "一、加快打造创新型企业成长生态圈。"
    assert _fonts(heading) == ("黑体", "黑体")
    assert topic.text == "一是企业梯次培育。" and _fonts(topic)[1] == "楷体_GB2312"
    assert _fonts(body) == ("Times New Roman", "仿宋_GB2312") and body.font.size.pt == 16
    assert section.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert section.paragraph_format.first_line_indent.pt == pytest.approx(31.5)


# --------------------------------------------------------------------------- 版头 and 版记
def test_masthead_names_the_briefing_issue_office_and_date(briefing):
    texts = _texts(Document(briefing / "bulletin.docx"))
    assert texts[:3] == ["科技创新简报", "第7期", "上街区科技局\t2026年1月15日"]
    doc = Document(briefing / "bulletin.docx")
    line = doc.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000"  # the red separator line
    assert doc.paragraphs[0].runs[0].font.color.rgb == (0xFF, 0x00, 0x00)


def test_without_an_issue_number_the_masthead_leaves_room_and_names_the_default(tmp_path):
    write_report(mini_package(), parse_period("2025"), tmp_path, issued=ISSUED)
    texts = _texts(Document(tmp_path / "bulletin.docx"))
    # no bulletin_name declared: templates/briefing.yaml's default; the office from the
    # vocabulary default 区科技局 with the district's name in front
    assert texts[:3] == ["科技工作简报", "第  期", "上街区科技局\t2026年1月15日"]
    # no 送/发 declared: the 版记 is the 印发 line alone
    assert texts[-1] == "上街区科技局\t2026年1月15日印发"
    assert not any(t.startswith(("送：", "发：")) for t in texts)


def test_imprint_lists_the_receivers_between_lines(briefing):
    doc = Document(briefing / "bulletin.docx")
    texts = _texts(doc)
    assert texts[-3:] == [
        "送：区委、区政府领导、市科技局。",
        "发：各镇（街道）、区直各单位。",
        "上街区科技局\t2026年1月15日印发",
    ]
    last = [p for p in doc.paragraphs if p.text.strip()][-3:]

    def sides(p):
        bdr = p._p.pPr.find(qn("w:pBdr"))
        return {} if bdr is None else {el.tag.split("}")[1]: el.get(qn("w:sz")) for el in bdr}

    assert [sides(p) for p in last] == [{"top": "8"}, {}, {"top": "4", "bottom": "8"}]


def test_receivers_are_read_from_a_list_or_from_lines(tmp_path):
    base = {
        "code": "410106",
        "name": "上街区",
        "city": "郑州市",
        "province": "河南省",
        "towns": ["峡窝镇"],
    }
    listed = district_from_mapping(
        {**base, "bulletin_to": ["市科技局", "区委、区政府领导"], "bulletin_name": "简报"},
        "d",
        "district.yaml",
    )
    assert listed.facts["bulletin_to"] == "市科技局\n区委、区政府领导"
    assert listed.facts["bulletin_name"] == "简报"
    text = district_from_mapping({**base, "bulletin_copy": "各镇；区直各单位"}, "d", "x")
    assert text.facts["bulletin_copy"] == "各镇\n区直各单位"
    with pytest.raises(DataError, match="bulletin_to"):
        district_from_mapping({**base, "bulletin_to": {"a": 1}}, "d", "district.yaml")


# --------------------------------------------------------------------------- 附表
def test_appendix_follows_the_signature_with_targets_and_a_repeated_header(briefing):
    doc = Document(briefing / "bulletin.docx")
    body = doc.element.body
    children = [el.tag.split("}")[1] for el in body]
    signature = next(p for p in doc.paragraphs if p.text.endswith("（区科技局）"))
    label = next(p for p in doc.paragraphs if p.text == "附表")
    order = list(body)
    assert order.index(signature._p) < order.index(label._p) < order.index(doc.tables[0]._tbl)
    assert children.count("tbl") == 1 and label.paragraph_format.page_break_before
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["指标", "单位", "本期", "上年同期", "同比", "年度目标", "完成率"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["“四上”企业研发经费支出"][5:] == ["40,000.0", "112%"]
    assert rows["登记技术合同成交总金额"][5:] == ["50,000.0", "94%"]
    assert rows["有效期内高新技术企业"][5:] == ["", ""]  # no target declared
    trs = table._tbl.findall(qn("w:tr"))
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in trs[1:])
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(widths)) > 3 and widths[0] == max(widths)  # set by content, not equal
    assert sum(widths) == pytest.approx(442.2 * 20, abs=7)  # the full 156 mm
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout.get(qn("w:type")) == "fixed"


def test_column_widths_follow_the_longest_cell():
    from innolib.present.tables import Row
    from innolib.word.appendix import AppendixTable

    # 指标 "甲乙丙" 3 em, 单位 "家" 1 em but header 2 em, 本期 "1,234" = 4 × 0.5 + 0.25 =
    # 2.25 em; at 10 pt plus 14 pt padding: 44, 34, 36.5 pt = 114.5; 229 pt share 114.5 more
    table = AppendixTable(("指标", "单位", "本期"), [Row("x", ("甲乙丙", "家", "1,234"))])
    assert text_em("1,234") == 2.25
    assert column_widths(table, 10, 229) == pytest.approx([88, 68, 73])
    # too narrow: a 10-character name (114 pt) gives way to the others (34, 36.5 pt)
    longer = AppendixTable(table.header, [Row("x", ("甲乙丙丁戊己庚辛壬癸", "家", "1,234"))])
    assert column_widths(longer, 10, 150) == pytest.approx([79.5, 34, 36.5])
    # but keeps room for 6 characters (74 pt); the others share what is left (26 pt)
    assert column_widths(longer, 10, 100) == pytest.approx([74, 26 * 34 / 70.5, 26 * 36.5 / 70.5])


# --------------------------------------------------------------------------- page numbers
def test_page_numbers_sit_outside_and_nothing_else_is_in_the_footer(briefing):
    doc = Document(briefing / "bulletin.docx")
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align in ((sec.footer, 2), (sec.even_page_footer, 0)):  # right, left
        (p,) = footer.paragraphs
        assert p.alignment == align and p.text == "— 1 —"
        assert [el.text for el in p._p.iter(qn("w:instrText"))] == [" PAGE "]
    footers = "".join(t for n, t in _parts(briefing / "bulletin.docx").items() if "footer" in n)
    assert "数据来源" not in footers and "企业名录" not in footers


# --------------------------------------------------------------------------- metadata
def test_metadata_language_and_no_template_leftovers(briefing, title):
    path = briefing / "bulletin.docx"
    props = Document(path).core_properties
    assert props.author == "上街区科技局" and props.last_modified_by == "上街区科技局"
    assert props.title == title and title
    # 2026-01-15 00:00 in China is 2026-01-14 16:00 UTC
    assert props.created == props.modified == dt.datetime(2026, 1, 14, 16, 0, tzinfo=dt.UTC)
    assert props.language == "zh-CN" and props.comments == ""
    parts = _parts(path)
    everything = "".join(parts.values())
    for leftover in ("python-docx", "ja-JP", "2013-12-23", "Jpan", "ＭＳ", "Macintosh"):
        assert leftover not in everything, leftover
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(path).namelist()
    assert 'w:eastAsia="zh-CN"' in parts["word/settings.xml"]
    styles = Document(path).styles.element
    langs = list(styles.iter(qn("w:lang")))
    assert langs and all(el.get(qn("w:val")) == "zh-CN" for el in langs)
    assert all(el.get(qn("w:eastAsia")) == "zh-CN" for el in langs)
    fonts = parts["word/fontTable.xml"]
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:charset w:val="86"/>' in fonts  # GB2312


def test_reruns_with_source_date_epoch_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    pkg = _package(**FACTS)
    write_report(pkg, parse_period("2025"), tmp_path / "a", issue_number=3)
    write_report(pkg, parse_period("2025"), tmp_path / "b", issue_number=3)
    for name in ("bulletin.docx", DRAFT):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    doc = Document(tmp_path / "a" / "bulletin.docx")
    assert doc.core_properties.created == dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)
    assert _texts(doc)[2] == "上街区科技局\t2026年1月1日"  # 08:00 in China
    with zipfile.ZipFile(tmp_path / "a" / "bulletin.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_issue_moment_prefers_the_parameter_then_the_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert issue_moment("2026-02-03") == dt.datetime(2026, 2, 2, 16, 0, tzinfo=dt.UTC)
    assert issue_moment() == dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert abs(issue_moment() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


def test_the_draft_is_marked_on_every_page_and_highlights_placeholders(briefing):
    doc = Document(briefing / DRAFT)
    sec = doc.sections[0]
    for header in (sec.header, sec.even_page_header):
        assert header.paragraphs[0].text == "草稿（内部使用，不得印发）"
    highlighted = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color]
    assert highlighted and set(highlighted) == {"【请补充：工作举措】"}
    # and above the 版头 of its first page
    assert _texts(doc)[:3] == ["草稿（内部使用，不得印发）", "科技创新简报", "第7期"]
    circulated = "".join(_parts(briefing / "bulletin.docx").values())
    assert "草稿" not in circulated and "请补充" not in circulated


def test_english_briefing(tmp_path):
    write_report(mini_package(), parse_period("2025"), tmp_path, lang="en", issue_number=2)
    doc = Document(tmp_path / "bulletin.docx")
    texts = _texts(doc)
    assert texts[:2] == ["Science and Technology Briefing", "No. 2"]
    assert doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-US"


# --------------------------------------------------------------------------- the sample
@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    """The shangjie 2025 bulletin as ``innolib report`` writes it, 第12期 of 20 January."""
    from innolib.cli import main

    out = tmp_path_factory.mktemp("sample")
    argv = ["report", str(SAMPLE), "--period", "2025", "--out", str(out)]
    assert main([*argv, "--issue-number", "12", "--issued", "2026-01-20"]) == 0
    return out / "bulletin.docx"


def test_cli_issue_number_and_the_samples_receivers(sample_docx):
    texts = _texts(Document(sample_docx))
    assert texts[:3] == ["科技工作简报", "第12期", "上街区科技局\t2026年1月20日"]
    # data/shangjie/district.yaml: bulletin_to [市科技局, 区委、区人大、区政府、区政协领导],
    # bulletin_copy [峡窝镇, 各街道办事处, 区直各单位]
    assert texts[-3:] == [
        "送：市科技局、区委、区人大、区政府、区政协领导。",
        "发：峡窝镇、各街道办事处、区直各单位。",
        "上街区科技局\t2026年1月20日印发",
    ]


@pytest.mark.parametrize(
    "option", [["--issue-number", "0"], ["--issue-number", "七"], ["--issued", "2026-13-01"]]
)
def test_cli_bad_issue_options_are_usage_errors(option, tmp_path, capsys):
    from innolib.cli import main

    argv = ["report", str(SAMPLE), "--period", "2025", "--out", str(tmp_path), *option]
    assert main(argv) == 2
    assert not list(tmp_path.iterdir())  # refused before anything is written


# --------------------------------------------------------------------------- LibreOffice
@pytest.fixture(scope="module")
def rendered(sample_docx, tmp_path_factory) -> render.Measures:
    """The shangjie 2025 bulletin converted once by LibreOffice and measured."""
    missing = render.missing_tools()
    if missing:
        message = "LibreOffice/poppler not installed: " + ", ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI must run this test: .ci/run installs them)")
        pytest.skip(message)
    return render.measure(render.to_pdf(sample_docx, tmp_path_factory.mktemp("lo")))


def test_libreoffice_sets_22_lines_a_page(rendered):
    # page 1 carries the 版头 and the title; page 2 is body text from top to bottom
    assert rendered.body_lines[1] == 22
    assert max(rendered.body_lines) == 22


def test_libreoffice_sets_28_characters_a_line(rendered):
    assert len(rendered.full_lines) >= 10
    assert max(rendered.full_lines) == 28
    assert statistics.median(rendered.full_lines) == 28


def test_the_sample_briefing_fits_in_five_pages(rendered):
    assert rendered.pages <= 5
