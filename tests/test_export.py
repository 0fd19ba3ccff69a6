"""Exports: the four files, disclosure in every one of them, GB/T 9704 Word typography, the CLI.

Packages come from ``tests/conftest.py`` (``mini_package``: figures worked out in test_narrative.py).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import _e, frames, mini_package
from docx import Document
from docx.oxml.ns import qn

from innolib.disclosure import cell_is_safe, protect_table
from innolib.export import DRAFT, FILES, TODO, write_report
from innolib.indicators import compute_indicators, contributions
from innolib.package import Package
from innolib.periods import parse_period
from innolib.registry import load_registry
from innolib.tables import TABLES

EAST_ASIA = qn("w:eastAsia")


def _export_texts(folder: Path) -> dict[str, str]:
    """Every export as text (the .docx and .xlsx as their XML parts: text and cells)."""
    texts = {}
    for name in FILES:
        path = folder / name
        if name.endswith((".docx", ".xlsx")):
            with zipfile.ZipFile(path) as z:
                texts[name] = "".join(
                    z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")
                )
        else:
            texts[name] = path.read_text(encoding="utf-8-sig")
    return texts


@pytest.fixture(scope="module")
def report_2025(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rep") / "minidist" / "2025"
    written = write_report(mini_package(), parse_period("2025"), out)
    assert [str(p.relative_to(out)) for p in written] == [*FILES, DRAFT, TODO]
    return out


# --------------------------------------------------------------------------- the files


def test_json_is_the_indicators_document(report_2025):
    doc = json.loads((report_2025 / "indicators.json").read_text(encoding="utf-8"))
    expected = compute_indicators(mini_package(), parse_period("2025")).to_document()
    assert set(doc) == set(expected) and set(doc["indicators"]) == set(expected["indicators"])
    assert doc["period"] == "2025" and doc["district"]["id"] == "minidist"
    # the district totals pass the rules and stay published (see test_narrative for the sums)
    assert doc["indicators"]["rd.expenditure"] == {
        "value": 44987.0,
        "unit": "万元",
        "kind": "annual",
        "status": "ok",
        "previous": 31000.0,
        "change": pytest.approx(45.1193548),
        "change_unit": "%",
    }
    assert doc["indicators"]["contracts.amount"]["value"] == 47312.0
    assert doc["indicators"]["hnte.valid"]["value"] == 2


def test_csv_has_every_indicator_with_whole_counts(report_2025):
    frame = pd.read_csv(report_2025 / "indicators.csv", encoding="utf-8-sig", dtype=str)
    assert len(frame) == len(load_registry())
    row = frame.set_index("id").loc["tech_sme.cumulative"]
    assert (row["value"], row["unit"], row["status"]) == ("3", "家", "ok")
    assert frame.set_index("id").loc["finance.resolved", "value"] == "28450.0"


def test_markdown_has_the_narrative_table_and_notes(report_2025):
    text = (report_2025 / "bulletin.md").read_text(encoding="utf-8")
    assert "有效期高新技术企业2家" in text and "（区科技局）" in text
    # 2024-12-31: E1, E2 (to 30 Nov 2025), E5 (from 1 Dec 2024) -> 3; 2025: 2. Under 10 a
    # year earlier, a count changes by its difference: 2 - 3 = -1家 (never -33.3%)
    assert "| 有效期内高新技术企业 | 家 | 2 | 3 | -1家 |" in text
    assert "| **一、创新型企业成长生态圈** |  |  |  |  |" in text
    assert "数据来源：企业名录、资质认定、研发投入调查" in text
    assert "数据截至2025年12月31日。" in text
    assert "—" not in text.split("**主要指标**")[1]  # nothing suppressed in this district


def test_nothing_is_left_behind_and_a_rerun_replaces_the_files(tmp_path):
    out = tmp_path / "o" / "2025"
    write_report(mini_package(), parse_period("2025"), out)
    first = (out / "indicators.json").read_text(encoding="utf-8")
    write_report(mini_package(), parse_period("2025"), out)
    assert (out / "indicators.json").read_text(encoding="utf-8") == first
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, "internal"])
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["2025"]  # no staging folder left


def test_no_enterprise_code_and_no_work_list_in_any_export(report_2025):
    codes = [_e(n) for n in range(1, 7)]
    for name, text in _export_texts(report_2025).items():
        assert not any(code in text for code in codes), name
        assert "工作清单" not in text and "内部" not in text, name


# --------------------------------------------------------------------------- disclosure in exports


def _adversarial() -> Package:
    """A town with 2 R&D enterprises, a town with a dominant one, a cell recoverable from its total.

    2025 R&D by town: 峡窝镇 E1 15000 + E2 12000 (two enterprises); 济源路街道 E3 60000, E4 800
    (dominant); 中心路街道 E5 1000, E6 900, plus three more enterprises of 中心路 below. Without
    secondary suppression 峡窝镇 = total − the others. Financing has two enterprises only: its
    district total itself fails the minimum-frequency rule.
    """
    f = frames()
    ents = f["enterprises"]
    extra = pd.DataFrame(
        [
            {
                "uscc": _e(n),
                "name": f"企业{'七八九'[n - 7]}",
                "town": town,
                "industry_code": "32",
                "sector": "先进材料",
                "above_scale": "规上工业",
                "ownership": "民营",
                "established": "2010-01-01",
            }
            for n, town in ((7, "济源路街道"), (8, "中心路街道"), (9, "中心路街道"))
        ]
    )
    ents = pd.concat([ents.assign(above_scale="规上工业"), extra], ignore_index=True)
    spend = {
        1: 15000.0,
        2: 12000.0,
        3: 60000.0,
        4: 800.0,
        7: 700.0,
        5: 1000.0,
        6: 900.0,
        8: 800.0,
        9: 700.0,
    }
    survey = pd.DataFrame(
        [
            {
                "year": 2025,
                "uscc": _e(n),
                "above_scale": "规上工业",
                "reported": True,
                "has_rd": True,
                "rd_expenditure": x,
                "revenue": 1e5,
                "rd_staff": 5,
            }
            for n, x in spend.items()
        ]
    )
    financing = f["financing"][f["financing"]["record_id"].isin(["F1", "F2"])]
    return mini_package(enterprises=ents, rd_survey=survey, financing=financing)


def test_adversarial_package_yields_no_unsafe_cell_in_any_export(tmp_path):
    pkg = _adversarial()
    out = tmp_path / "adv"
    write_report(pkg, parse_period("2025"), out)
    doc = json.loads((out / "indicators.json").read_text(encoding="utf-8"))
    defs = load_registry()
    published_money = []
    for iid, entry in doc["indicators"].items():
        if not defs[iid].confidential:
            continue
        parts = contributions(pkg, iid, parse_period("2025"))
        safe, _ = cell_is_safe(parts["value"])
        if entry["status"] == "ok":
            assert safe, iid  # a published confidential total passes the primary rules
            published_money.append(iid)
        else:
            assert entry["status"] in ("suppressed", "no_data") and entry["value"] is None
    # rd.expenditure: 9 enterprises, top two 75000 / 91900 = 81.6%: the district total stays published
    assert "rd.expenditure" in published_money
    assert doc["indicators"]["rd.expenditure"]["value"] == 91900.0
    # financing: 2 enterprises -> suppressed everywhere, shown as — with the footnote
    assert doc["indicators"]["finance.resolved"] == {
        "value": None,
        "unit": "万元",
        "kind": "flow",
        "status": "suppressed",
        "previous": None,
        "change": None,
        "change_unit": None,
    }
    md = (out / "bulletin.md").read_text(encoding="utf-8")
    assert "| 协调解决融资需求 | 万元 | — | — | — |" in md
    assert "注：“—”表示依据《中华人民共和国统计法》" in md
    assert "融资需求" not in md.split("**主要指标**")[0]  # the prose leaves the claim out
    assert "19000" not in md and "1.9亿" not in md  # F1 + F2 resolved = 19000
    csv = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig", dtype=str).set_index("id")
    assert csv.loc["finance.resolved", "status"] == "suppressed" and pd.isna(
        csv.loc["finance.resolved", "value"]
    )
    docx_text = _export_texts(out)["bulletin.docx"]
    assert "—" in docx_text and "统计法" in docx_text
    # the town breakdown of R&D, if a chart shows it, hides 峡窝镇 and 济源路街道 and the total
    # cannot give either back
    table = protect_table(contributions(pkg, "rd.expenditure", parse_period("2025")), by="town")
    hidden = set(table.cells.loc[table.cells["status"] != "published", "town"])
    assert {"峡窝镇", "济源路街道"} <= hidden and "合计" not in hidden


# --------------------------------------------------------------------------- Word
# the 简报's layout, 版头, 附表, 版记 and metadata: tests/test_word.py


def test_english_report(tmp_path):
    write_report(mini_package(), parse_period("2025"), tmp_path / "en", lang="en")
    md = (tmp_path / "en" / "bulletin.md").read_text(encoding="utf-8")
    assert "about CNY 450 million" in md
    assert "| Indicator | Unit | Value | Year earlier | YoY |" in md
    assert "Data as of 31 December 2025." in md
    Document(tmp_path / "en" / "bulletin.docx")  # opens


# --------------------------------------------------------------------------- the command line


def _write_package(folder: Path) -> Path:
    """The mini district as the bureau would hand it in: CSV files with Chinese headers + district.yaml."""
    folder.mkdir(parents=True)
    for table_id, frame in frames().items():
        decl = TABLES[table_id]
        out = pd.DataFrame(
            {c.header: frame[c.id] if c.id in frame.columns else None for c in decl.columns}
        )
        out.to_csv(folder / f"{decl.zh}.csv", index=False, encoding="utf-8")
    meta = {
        "code": "410106",
        "name": "上街区",
        "name_en": "Shangjie District",
        "city": "郑州市",
        "province": "河南省",
        "towns": ["峡窝镇", "济源路街道", "中心路街道"],
        "currency_unit": "万元",
    }
    (folder / "district.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_cli_report_writes_the_exports(tmp_path, capsys):
    from innolib.cli import main

    data = _write_package(tmp_path / "minidist")
    out = tmp_path / "out"
    assert main(["report", str(data), "--period", "2025Q3", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    printed = captured.out.split()
    assert sorted(str(Path(p).relative_to(out)) for p in printed) == sorted([*FILES, DRAFT, TODO])
    # the run lists the points that have claims but no measures text (none in this package)
    assert "缺少工作举措 / no measures text: 2025Q3 1.创新型企业成长生态圈 pipeline" in captured.err
    md = (out / "bulletin.md").read_text(encoding="utf-8")
    assert "第三季度，推荐2家企业认定郑州市科技型企业" in md


def test_cli_report_bad_language_is_a_usage_error(tmp_path, capsys):
    from innolib.cli import main

    data = _write_package(tmp_path / "d")
    assert main(["report", str(data), "--period", "2025", "--lang", "fr"]) == 2


def test_cli_report_lenient_writes_rejects_and_says_so(tmp_path):
    from innolib.cli import main

    data = _write_package(tmp_path / "d")
    ents = pd.read_csv(data / "企业名录.csv", dtype=str)
    bad = ents.iloc[[0]].assign(
        **{"统一社会信用代码": "91410106MA0000BAD0", "企业名称": "坏代码企业"}
    )
    pd.concat([ents, bad]).to_csv(data / "企业名录.csv", index=False, encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(["report", str(data), "--period", "2025", "--out", str(out)]) == 1
    )  # strict: refused
    assert main(["report", str(data), "--period", "2025", "--out", str(out), "--lenient"]) == 0
    assert (out / "internal" / "rejects" / "enterprises.csv").exists()
    md = (out / "bulletin.md").read_text(encoding="utf-8")
    assert "宽松模式：1行未通过校验已剔除" in md
    doc = Document(out / "bulletin.docx")
    assert any("宽松模式" in p.text for p in doc.paragraphs)
