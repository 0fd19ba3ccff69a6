"""The measures table (工作举措): reading it from sheets and documents, its rules, the
generator's texts, and how the narrative weaves it into the points."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import frames, mini_package

from innolib.errors import DataError
from innolib.load import PackageInvalid, load_package
from innolib.measures import document_rows, measures_of, point_of, points, section_of
from innolib.narrative import write_narrative
from innolib.periods import parse_period
from innolib.synth.measures import synthetic_measures
from innolib.tables import TABLES


def narrative_of(package, label: str, lang: str = "zh", **kwargs):
    """The narrative of ``package`` for the period ``label`` (parsed here, at the edge)."""
    return write_narrative(package, parse_period(label), lang, **kwargs)


MD = """# 工作举措
# 2025年
## 标题
稳步推进 各项工作
## 一、创新型企业成长生态圈
### 企业梯次培育
建立培育名单，
逐家辅导。
### rd
开展研发调查。
## 3
### 科技金融
组织银企对接。
"""


def _package_folder(folder: Path, measures: pd.DataFrame | None = None, md: str = "") -> Path:
    """The mini district as CSV files with Chinese headers, plus measures as CSV or Markdown."""
    folder.mkdir(parents=True)
    for table_id, frame in frames().items():
        decl = TABLES[table_id]
        out = pd.DataFrame(
            {c.header: frame[c.id] if c.id in frame.columns else None for c in decl.columns}
        )
        out.to_csv(folder / f"{decl.zh}.csv", index=False, encoding="utf-8")
    if measures is not None:
        measures.to_csv(folder / "工作举措.csv", index=False, encoding="utf-8")
    if md:
        (folder / "工作举措.md").write_text(md, encoding="utf-8")
    meta = {
        "code": "410106",
        "name": "上街区",
        "city": "郑州市",
        "province": "河南省",
        "towns": ["峡窝镇", "济源路街道", "中心路街道"],
    }
    (folder / "district.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    return folder


def test_points_are_fixed_in_the_registry():
    assert [(p.section, p.id) for p in points()] == [
        (1, "pipeline"),
        (1, "rd"),
        (1, "projects"),
        (2, "platforms"),
        (2, "cooperation"),
        (2, "talent"),
        (3, "contracts"),
        (3, "transfer"),
        (3, "finance"),
    ]
    assert section_of("一、创新型企业成长生态圈") == 1 and section_of("3") == 3
    assert section_of("第二部分") == 2 and section_of("4") is None
    assert point_of(1, "企业梯次培育") == "pipeline" and point_of(1, "finance") is None


def test_markdown_document_becomes_rows_at_their_heading_lines(tmp_path):
    path = tmp_path / "工作举措.md"
    path.write_text(MD, encoding="utf-8")
    rows = document_rows(path)
    assert [(r["period"], r["section"], r["point"], r["text"], r["line"]) for r in rows] == [
        ("2025", "", "title", "稳步推进 各项工作", 3),
        ("2025", "1", "pipeline", "建立培育名单，逐家辅导。", 6),
        ("2025", "1", "rd", "开展研发调查。", 9),
        ("2025", "3", "finance", "组织银企对接。", 12),
    ]


def test_word_document_with_heading_styles(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_heading("2025", level=1)
    doc.add_heading("二、产学研用协同创新生态链", level=2)
    doc.add_heading("产学研合作", level=3)
    doc.add_paragraph("组织企业与院所对接。")
    path = tmp_path / "工作举措.docx"
    doc.save(path)
    rows = document_rows(path)
    assert [(r["period"], r["section"], r["point"], r["text"]) for r in rows] == [
        ("2025", "2", "cooperation", "组织企业与院所对接。")
    ]
    # paragraphs count from 1; python-docx's default document starts empty
    assert rows[0]["line"] == 3


def test_a_heading_that_names_nothing_is_an_error_naming_file_line_and_value(tmp_path):
    path = tmp_path / "工作举措.md"
    path.write_text("# 2025\n## 一、创新型企业成长生态圈\n### 人才引进\n内容\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        document_rows(path)
    zh, en = error.value.zh, error.value.en
    assert "工作举措.md 第3行" in zh and "人才引进" in zh
    assert "line 3" in en and "人才引进" in en


def test_text_before_any_heading_is_an_error(tmp_path):
    path = tmp_path / "工作举措.md"
    path.write_text("# 2025\n正文没有要点标题\n", encoding="utf-8")
    with pytest.raises(DataError, match="第2行"):
        document_rows(path)


def test_a_markdown_package_loads_the_same_table_as_a_csv(tmp_path):
    md_pkg = load_package(_package_folder(tmp_path / "a", md=MD))
    csv = pd.DataFrame(
        {
            "期间": ["2025", "2025", "2025", "2025"],
            "部分": [None, "一", "1", "3"],
            "要点": ["标题", "企业梯次培育", "rd", "科技金融"],
            "内容": [
                "稳步推进 各项工作",
                "建立培育名单，逐家辅导。",
                "开展研发调查。",
                "组织银企对接。",
            ],
        }
    )
    csv_pkg = load_package(_package_folder(tmp_path / "b", measures=csv))
    for pkg in (md_pkg, csv_pkg):
        got = measures_of(pkg, parse_period("2025"))
        assert got == {
            ("", "title"): "稳步推进 各项工作",
            ("1", "pipeline"): "建立培育名单，逐家辅导。",
            ("1", "rd"): "开展研发调查。",
            ("3", "finance"): "组织银企对接。",
        }


def test_bad_rows_are_rejected_with_the_rule_that_broke(tmp_path):
    # the mini package's rows run from 2010 (enterprises established) to 2025
    csv = pd.DataFrame(
        {
            "期间": ["2025", "2031", "2025", "2025", "2025", "二〇二五"],
            "部分": ["1", "1", "4", "2", "1", "1"],
            "要点": ["pipeline", "rd", "rd", "pipeline", "projects", "rd"],
            "内容": ["好", "好", "好", "好", "长" * 601, "好"],
        }
    )
    folder = _package_folder(tmp_path / "p", measures=csv)
    with pytest.raises(PackageInvalid):
        load_package(folder)
    pkg = load_package(folder, lenient=True)
    assert len(pkg["measures"]) == 1  # only the first row is good
    rules = sorted((p.row, p.rule) for p in pkg.report.rejects if p.table == "measures")
    assert rules == [
        (3, "measures_period"),  # 2031 is outside the package's years
        (4, "measures_section"),  # there is no section 4
        (5, "measures_point"),  # pipeline is a point of section 1, not 2
        (6, "measures_length"),  # 601 characters
        (7, "measures_period"),  # not a period code
    ]


def test_generic_measures_name_no_place_and_cover_every_point():
    frame = synthetic_measures("huiji", [2024, 2025], seed=7)
    assert len(frame) == 2 * len(points())
    assert frame.equals(synthetic_measures("huiji", [2024, 2025], seed=7))  # seeded
    text = "".join(frame["text"])
    for word in ("上街", "郑州", "河南", "郑科贷", "新质生产力"):
        assert word not in text
    assert not re.search(r"\d", text)


def test_the_sample_package_carries_measures_for_every_year_and_is_synthetic():
    from conftest import ROOT

    pkg = load_package(ROOT / "data" / "shangjie")
    assert pkg.district.synthetic is True
    years = sorted(pkg["measures"]["period"].unique())
    assert years == ["2021", "2022", "2023", "2024", "2025"]
    per_year = pkg["measures"].groupby("period").size()
    assert (per_year == len(points()) + 2).all()  # nine points, a title and a lead


# --------------------------------------------------------------------------- the narrative


def _with_measures(rows: list[tuple[str, str | None, str, str]]):
    frame = pd.DataFrame(rows, columns=["period", "section", "point", "text"])
    return mini_package(measures=frame)


def test_each_point_is_its_measures_text_then_the_claims():
    pkg = _with_measures([("2025", "1", "rd", "会同统计部门开展调查"), ("2024", "1", "rd", "旧的")])
    n = narrative_of(pkg, "2025")
    # the measures text of its own period, ended with a stop, then the claims
    assert "二是研发投入。会同统计部门开展调查。对5家“四上”企业开展研发活动调查" in n.text
    assert "旧的" not in n.text
    assert ("1", "rd") not in n.missing and (1, "rd") not in n.missing
    assert (1, "pipeline") in n.missing  # claims, no measures text


def test_measures_without_data_keep_their_point_and_a_point_with_neither_is_left_out():
    pkg = _with_measures([("2025", "3", "contracts", "开展合同登记辅导")])
    n = narrative_of(
        mini_package(drop=("tech_contracts",), measures=pkg["measures"].reset_index(drop=True)),
        "2025",
    )
    third = n.sections[2]
    assert third.topics[0] == "一是技术合同登记。"
    assert "一是技术合同登记。开展合同登记辅导。二是成果转化。" in third.paragraph
    # without measures and without contracts data the point is left out entirely
    n2 = narrative_of(mini_package(drop=("tech_contracts",)), "2025")
    assert "技术合同登记" not in n2.text


def test_circulated_text_never_holds_a_placeholder_the_draft_does():
    n = narrative_of(mini_package(), "2025")
    assert "【请补充" not in n.text
    draft = narrative_of(mini_package(), "2025", draft=True)
    assert draft.text.count("【请补充：工作举措】") == len(draft.missing) == 9
    holes = [draft.text[s:e] for k, s, e in draft.styles if k == "placeholder"]
    assert holes == ["【请补充：工作举措】"] * 9


def test_title_and_lead_from_measures_and_their_numbers_traced():
    pkg = _with_measures(
        [("2025", None, "title", "稳中求进"), ("2025", None, "lead", "2025年，区科技局办好3件事")]
    )
    n = narrative_of(pkg, "2025")
    assert n.title == "稳中求进"
    assert n.lead == "2025年，区科技局办好3件事。"
    spans = [(s.indicator, s.text) for s in n.trace if s.field == "measures"]
    assert spans == [("measures", "2025"), ("measures", "3")]


def test_a_synthetic_package_is_stamped_in_every_circulated_output(tmp_path):
    import dataclasses
    import zipfile

    from innolib.export import write_report

    pkg = mini_package()
    pkg.district = dataclasses.replace(pkg.district, synthetic=True)
    write_report(pkg, parse_period("2025"), tmp_path)
    stamp = "示例数据（合成，非真实统计）"
    assert stamp in (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "bulletin.docx") as z:
        assert stamp in z.read("word/document.xml").decode("utf-8")
    with zipfile.ZipFile(tmp_path / "internal" / "bulletin_draft.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "草稿" in xml and "【请补充：工作举措】" in xml and 'w:highlight w:val="yellow"' in xml
    todo = (tmp_path / "internal" / "missing_measures.txt").read_text(encoding="utf-8")
    assert "2025 1.创新型企业成长生态圈 pipeline（企业梯次培育）" in todo
