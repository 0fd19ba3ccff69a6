"""The fill-in template and the data dictionary: structure, round trip, README in step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from innolib.load import PackageInvalid, load_package
from innolib.tables import ENUM, TABLES
from innolib.template import write_template

A, B = "91410106312345673C", "91410106323456782R"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INNOLIB_CACHE_DIR", str(tmp_path / "_cache"))


@pytest.fixture
def template(tmp_path) -> Path:
    return write_template(tmp_path / "模板.xlsx")


def test_one_sheet_per_table_with_chinese_headers(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["说明", "district", *(t.zh for t in TABLES.values())]
    for table in TABLES.values():
        ws = wb[table.zh]
        assert [c.value for c in ws[1]] == [c.header for c in table.columns]
    assert wb["技术合同登记"]["G1"].value == "成交金额（万元）"


def test_drop_downs_for_enums_and_text_format_for_ids(template):
    wb = openpyxl.load_workbook(template)
    for table in TABLES.values():
        ws = wb[table.zh]
        lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
        for i, col in enumerate(table.columns):
            letter = openpyxl.utils.get_column_letter(i + 1)
            if col.type == ENUM:
                assert lists[f"{letter}2"] == '"' + ",".join(col.values) + '"', (table.id, col.id)
            if col.is_id:  # openpyxl keeps one <col> range per run of equally formatted columns
                (dim,) = [d for d in ws.column_dimensions.values() if d.min <= i + 1 <= d.max]
                assert dim.number_format == "@", (table.id, col.id)


def test_notes_sheet_explains_every_column(template):
    ws = openpyxl.load_workbook(template)["说明"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[:4] == ["表", "表编号", "列（表头）", "列编号"])
    described = {(r[1], r[3]): r[8] for r in rows[start + 1 :] if r[1]}
    expected = {(t.id, c.id) for t in TABLES.values() for c in t.columns}
    assert set(described) == expected
    assert described[("tech_contracts", "tech_amount")] == "0≤技术交易额≤成交金额"


def test_untouched_template_names_missing_metadata(template):
    from innolib.errors import DataError

    with pytest.raises(DataError, match="行政区划代码"):
        load_package(template)


def _fill(template: Path, out: Path) -> Path:
    wb = openpyxl.load_workbook(template)
    meta = wb["district"]
    values = {
        "code": "410106",
        "name": "上街区",
        "city": "郑州市",
        "province": "河南省",
        "towns": "峡窝镇、济源路街道",
        "id": "shangjie_tpl",
    }
    for row in meta.iter_rows(min_row=2):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    wb["企业名录"].append(
        [
            A,
            "郑州甲新材料有限公司",
            "峡窝镇",
            "30",
            "先进材料",
            "规上工业",
            "民营",
            dt.datetime(2015, 6, 1),
        ]
    )
    wb["企业名录"].append(
        [
            B,
            "郑州乙装备有限公司",
            "济源路街道",
            "34",
            "装备制造",
            None,
            "国有",
            dt.datetime(2010, 1, 20),
        ]
    )
    wb["技术合同登记"].append(
        [
            "2025410106000123",
            dt.datetime(2025, 3, 1),
            A,
            "河南大学",
            "省内",
            "技术开发",
            120.5,
            80,
            "新材料",
        ]
    )
    wb["资质认定"].append(
        [
            A,
            "高新技术企业",
            "认定",
            dt.datetime(2025, 11, 20),
            "2025年第一批",
            "国家级",
            dt.datetime(2028, 11, 19),
        ]
    )
    wb["研发投入调查"].append([2024, B, "规上工业", "是", "否", None, 5000, 0])
    wb.save(out)
    return out


def test_round_trip_template_fill_load(template, tmp_path):
    package = load_package(_fill(template, tmp_path / "filled.xlsx"))
    assert package.report.ok
    assert package.district.id == "shangjie_tpl" and package.district.towns == (
        "峡窝镇",
        "济源路街道",
    )
    assert set(package.tables) == {"enterprises", "tech_contracts", "certifications", "rd_survey"}
    assert package["enterprises"]["above_scale"].tolist() == ["规上工业", "无"]
    tc = package["tech_contracts"]
    assert tc["contract_id"].tolist() == ["2025410106000123"]  # text, never a number
    assert tc["amount"].tolist() == [120.5] and tc["tech_amount"].tolist() == [80.0]
    assert package["certifications"]["valid_until"].tolist()[0].date() == dt.date(2028, 11, 19)
    assert package["rd_survey"]["has_rd"].tolist() == [False]
    # the sheets left empty are absent, not empty; the notes sheet is ignored and listed
    assert "financing" in package.report.absent and not package.has("financing")
    assert any("[说明]" in i for i in package.report.ignored)
    ent = package.report.table_account("enterprises")
    assert ent == {"read": 3, "accepted": 2, "rejected": 0, "non_data": 1}


def test_filled_template_with_a_bad_row_names_the_sheet(template, tmp_path):
    path = _fill(template, tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["技术合同登记"].append(
        ["HT2", dt.datetime(2025, 3, 2), B, "某公司", "省外", "技术服务", 10, 12, "装备"]
    )
    wb.save(path)
    with pytest.raises(PackageInvalid) as info:
        load_package(path)
    (problem,) = info.value.report.rejects
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.rule) == (
        "filled.xlsx",
        "技术合同登记",
        3,
        "技术交易额（万元）",
        "tech_amount_le_amount",
    )


def test_cli_template(tmp_path, capsys):
    from innolib.cli import main

    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").is_file()
    assert "t.xlsx" in capsys.readouterr().out


# ---------------------------------------------------------------- data dictionary


def test_data_readme_is_generated_from_the_declarations():
    from innolib.dictionary import data_dictionary

    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == data_dictionary(
        ROOT / "data"
    )


def test_dictionary_lists_every_column_and_name():
    from innolib.dictionary import data_dictionary

    text = data_dictionary(None)
    for table in TABLES.values():
        assert f"## {table.zh} · `{table.id}`" in text
        for name in table.accepted_names:
            assert name in text
        for col in table.columns:
            assert f"| `{col.id}` | {col.header} |" in text


def test_dictionary_appends_the_footer(tmp_path):
    from innolib.dictionary import data_dictionary

    (tmp_path / "README.footer.md").write_text(
        "## The sample package (data/shangjie)\n\nSynthetic.\n", encoding="utf-8"
    )
    text = data_dictionary(tmp_path)
    assert text.endswith("## The sample package (data/shangjie)\n\nSynthetic.\n")


SAMPLE = ROOT / "data" / "shangjie"


def test_sample_poured_into_the_template_loads_to_the_same_tables(template, tmp_path):
    import pandas as pd
    import yaml

    meta = yaml.safe_load((SAMPLE / "district.yaml").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(template)
    values = {
        "code": meta["code"],
        "name": meta["name"],
        "city": meta["city"],
        "province": meta["province"],
        "towns": "、".join(meta["towns"]),
        "id": "shangjie",
    }
    for row in wb["district"].iter_rows(min_row=2):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    for table in TABLES.values():
        frame = pd.read_csv(SAMPLE / f"{table.zh}.csv", dtype=str, keep_default_na=False)
        ws = wb[table.zh]
        for row in frame.itertuples(index=False):
            ws.append(list(row))
    wb.save(tmp_path / "sample.xlsx")
    from_csv, from_workbook = load_package(SAMPLE), load_package(tmp_path / "sample.xlsx")
    assert from_workbook.report.ok and from_workbook.district.id == "shangjie"
    assert list(from_workbook.tables) == list(from_csv.tables)
    for table_id in from_csv.tables:
        pd.testing.assert_frame_equal(from_csv[table_id], from_workbook[table_id])
