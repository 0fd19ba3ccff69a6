"""load_package: accepted forms, row accounting, one failing fixture per rule, cache.

Every fixture is written here, in tmp_path; every expected figure is worked out by hand
in the comments next to it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from innolib.errors import DataError
from innolib.load import PackageInvalid, load_package, write_rejects
from innolib.periods import parse_period
from innolib.tables import TABLES

# three valid 统一社会信用代码 (check characters worked out with GB 32100 / GB 11714)
A, B, C = "91410106312345673C", "91410106323456782R", "914101063345678917"
OUTSIDER = "914101063456789096"  # valid, but not in the fixture's enterprises

DISTRICT = """\
code: "410106"
name: 上街区
name_en: Shangjie District
city: 郑州市
province: 河南省
towns: [峡窝镇, 济源路街道, 中心路街道]
"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INNOLIB_CACHE_DIR", str(tmp_path / "_cache"))


def headers(table_id: str) -> list[str]:
    return [c.header for c in TABLES[table_id].columns]


BASE: dict[str, list[list[object]]] = {
    "enterprises": [
        [
            A,
            "郑州甲新材料有限公司",
            "峡窝镇",
            "30",
            "先进材料",
            "规上工业",
            "民营",
            "2015-06-01",
            "",
        ],
        [B, "郑州乙装备有限公司", "济源路街道", "34", "装备制造", "", "国有", "2010-01-20", ""],
        [
            C,
            "郑州丙信息技术有限公司",
            "中心路街道",
            "65",
            "电子信息",
            "规上服务业",
            "民营",
            "2019-09-09",
            "",
        ],
    ],
    "activities": [
        ["HD001", "2025-03-10", "银企对接", "银企对接会", "中原银行", "2"],
        ["HD002", "2025-04-01", "培训", "政策培训", "", "0"],
    ],
    "activity_participants": [["HD001", A]],
    "certifications": [
        [A, "高新技术企业", "认定", "2025-11-20", "2025年第一批", "国家级", "2028-11-19"]
    ],
    "rd_survey": [["2024", A, "规上工业", "是", "是", "120.5", "8000", "12"]],
    "projects": [
        [
            "XM001",
            A,
            "",
            "高性能材料研发",
            "河南省科技发展计划",
            "项目",
            "省级",
            "立项",
            "2025-06-01",
            "2025",
            "50",
        ]
    ],
    "platforms": [
        ["PT001", "材料工程技术研究中心", A, "工程技术研究中心", "市级", "2020-01-01", ""]
    ],
    "talent": [["RC001", A, "科技副总选聘", "2025-05-01", "1", "材料"]],
    "tech_contracts": [
        ["HT001", "2025-03-01", A, "河南大学", "省内", "技术开发", "100", "80", "新材料"]
    ],
    "achievements": [["CG001", A, "转移转化补助", "成果甲", "认定", "2025-07-01", "30"]],
    "financing": [["JR001", A, "郑科贷", "中原银行", "HD001", "2025-03-20", "500", "300"]],
}


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def make_package(
    root: Path,
    tables: dict[str, list[list[object]]] | None = None,
    name: str = "testdistrict",
    only: tuple[str, ...] | None = None,
) -> Path:
    """A package folder: district.yaml + one CSV per table named by its Chinese name."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "district.yaml").write_text(DISTRICT, encoding="utf-8")
    data = {**BASE, **(tables or {})}
    for table_id, rows in data.items():
        if only is not None and table_id not in only:
            continue
        write_csv(folder / f"{TABLES[table_id].zh}.csv", [headers(table_id), *rows])
    return folder


# ====================================================================== accepted forms


def test_clean_package_loads_every_table(tmp_path):
    package = load_package(make_package(tmp_path))
    assert set(package.tables) == set(BASE)
    assert package.district.id == "testdistrict" and package.district.code == "410106"
    assert package.report.ok
    ent = package["enterprises"]
    assert ent["above_scale"].tolist() == ["规上工业", "无", "规上服务业"]  # empty means 无
    assert str(ent["established"].dtype) == "datetime64[s]"
    assert package["tech_contracts"]["seller_uscc"].tolist() == [A]
    assert package["rd_survey"]["rd_expenditure"].tolist() == [120.5]
    assert package["rd_survey"]["has_rd"].tolist() == [True]
    assert package["activities"]["outcomes"].dtype == "Int64"
    assert "targets" not in package.tables and "targets" in package.report.absent
    # every input file hashed, by relative path
    assert set(package.files) == {"district.yaml", *(f"{TABLES[t].zh}.csv" for t in BASE)}
    assert all(len(h) == 64 for h in package.files.values())


def test_gbk_csv_with_title_blank_line_totals_and_notes(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    rows = [
        ["2025年技术合同登记台账"],
        [
            "合同编号",
            "登记日期",
            "卖方代码",
            "买方名称",
            "买方地域",
            "合同类型",
            "成交金额（元）",
            "技术交易额（元）",
            "技术领域",
        ],
        [
            "HT-2025-001",
            "2025-03-01",
            A,
            "河南大学",
            "省内",
            "技术开发",
            "1,200,000",
            "800000",
            "新材料",
        ],
        [],
        [
            "HT-2025-002",
            "2025/4/15",
            B,
            "某公司",
            "省外",
            "技术服务",
            "350000",
            "350000",
            "装备制造",
        ],
        [
            "HT-2025-003",
            "2025年5月20日",
            C,
            "某研究院",
            "市内",
            "技术咨询",
            "50,000",
            "0",
            "信息技术",
        ],
        ["合计", "", "", "", "", "", "1,600,000", "1150000", ""],
        ["填表人：张三"],
    ]
    write_csv(folder / "2025年技术合同登记.csv", rows, encoding="gbk")
    package = load_package(folder)
    tc = package["tech_contracts"]
    # 1,200,000元 = 120万元; 350,000元 = 35万元; 50,000元 = 5万元
    assert tc["amount"].tolist() == [120.0, 35.0, 5.0]
    assert tc["tech_amount"].tolist() == [80.0, 35.0, 0.0]
    assert tc["registered"].tolist() == [
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-04-15"),
        pd.Timestamp("2025-05-20"),
    ]
    (account,) = [a for a in package.report.accounts if a.table == "tech_contracts"]
    assert account.encoding == "GB18030"
    # 8 rows: title, header, 3 data, blank, totals, note
    assert (account.read, account.accepted, account.rejected) == (8, 3, 0)
    assert account.non_data == {"title": 1, "header": 1, "blank": 1, "total": 1, "note": 1}
    assert package.report.ok


def _contracts_workbook(path: Path, two_level: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "2025年技术合同登记台账"
    ws.merge_cells("A1:I1")
    if two_level:
        names = [
            "合同编号",
            "登记日期",
            "卖方代码",
            "买方名称",
            "买方地域",
            "合同类型",
            None,
            None,
            "技术领域",
        ]
        for i, name in enumerate(names, start=1):
            if name:
                ws.cell(2, i, name)
                ws.merge_cells(start_row=2, start_column=i, end_row=3, end_column=i)
        ws["G2"] = "金额（元）"
        ws.merge_cells("G2:H2")
        ws["G3"], ws["H3"] = "成交金额", "技术交易额"
        first = 4
    else:
        header = [
            "合同编号",
            "登记日期",
            "卖方代码",
            "买方名称",
            "买方地域",
            "合同类型",
            "成交金额（元）",
            "技术交易额\n（元）",
            "技术领域",
        ]
        for i, name in enumerate(header, start=1):
            ws.cell(2, i, name)
        first = 3
    data = [
        [
            "HT1",
            dt.datetime(2025, 1, 15),
            A,
            "河南大学",
            "省内",
            "技术开发",
            1234567,
            1000000,
            "新材料",
        ],
        ["HT2", "2025/2/3", B, "某公司", "省外", "技术服务", "2.5万元", "20,000", "装备"],
        ["HT3", 45717, C, "某院", "市内", "技术咨询", "1,000,000", 500000, "信息"],
        ["HT4", "20250410", A, "某厂", "区内", "技术转让", "0.1亿", "0", "材料"],
        # 1,234,567 + 25,000 + 1,000,000 + 10,000,000 = 12,259,567 元
        ["合计", None, None, None, None, None, "12,259,567", 1520000, None],
    ]
    for r, row in enumerate(data, start=first):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    wb.save(path)
    return path


def test_xlsx_merged_title_yuan_amounts_mixed_dates(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    _contracts_workbook(folder / "2025年技术合同登记.xlsx")
    package = load_package(folder)
    tc = package["tech_contracts"]
    # 1,234,567元 = 123.4567万元; 2.5万元; 1,000,000元 = 100万元; 0.1亿元 = 1000万元
    assert tc["amount"].tolist() == [123.4567, 2.5, 100.0, 1000.0]
    assert tc["tech_amount"].tolist() == [100.0, 2.0, 50.0, 0.0]
    # a date cell, 2025/2/3, Excel serial 45717 (= 2025-03-01), 20250410
    assert [d.date() for d in tc["registered"]] == [
        dt.date(2025, 1, 15),
        dt.date(2025, 2, 3),
        dt.date(2025, 3, 1),
        dt.date(2025, 4, 10),
    ]
    (account,) = [a for a in package.report.accounts if a.table == "tech_contracts"]
    assert (account.sheet, account.read, account.accepted, account.rejected) == ("Sheet1", 7, 4, 0)
    assert account.non_data == {"title": 1, "header": 1, "total": 1}


def test_xlsx_two_level_merged_header(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    _contracts_workbook(folder / "技术合同登记.xlsx", two_level=True)
    package = load_package(folder)
    # the unit comes from the merged group header 金额（元）
    assert package["tech_contracts"]["amount"].tolist() == [123.4567, 2.5, 100.0, 1000.0]
    (account,) = [a for a in package.report.accounts if a.table == "tech_contracts"]
    assert (account.read, account.accepted) == (8, 4)
    assert account.non_data == {"title": 1, "header": 2, "total": 1}


def test_unit_note_above_header_declares_money_unit(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    write_csv(
        folder / "研发投入调查.csv",
        [
            ["单位：元"],
            [
                "年度",
                "统一社会信用代码",
                "是否填报",
                "是否有研发活动",
                "研发经费支出",
                "营业收入",
                "研发人员",
            ],
            ["2024", A, "Y", "√", "1,205,000", "80,000,000", "12"],
            ["2024", B, "N", "×", "", "", "0"],
        ],
    )
    package = load_package(folder)
    rd = package["rd_survey"]
    assert rd["rd_expenditure"].tolist()[0] == 120.5  # 1,205,000元
    assert rd["revenue"].tolist()[0] == 8000.0
    assert rd["reported"].tolist() == [True, False]
    assert rd["above_scale"].isna().all() or "above_scale" in TABLES["rd_survey"].optional_columns
    (account,) = [a for a in package.report.accounts if a.table == "rd_survey"]
    assert account.non_data == {"note": 1, "header": 1}


def test_english_headers_with_units_and_unknown_column(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    write_csv(
        folder / "tech_contracts.csv",
        [
            [
                "contract_id",
                "registered",
                "seller_uscc",
                "buyer",
                "buyer_region",
                "type",
                "amount (元)",
                "tech_amount/元",
                "field",
                "备注",
            ],
            [
                "HT9",
                "2025-06-30",
                A.lower(),
                "甲",
                "省内",
                "技术开发",
                "30000",
                "30000",
                "材料",
                "加急",
            ],
        ],
    )
    package = load_package(folder)
    tc = package["tech_contracts"]
    assert tc["seller_uscc"].tolist() == [A]  # lower case upper-cased
    assert tc["amount"].tolist() == [3.0]
    assert any("备注" in n for n in package.report.notes)


def test_repeated_header_subtotal_and_note_rows(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    head = headers("tech_contracts")
    write_csv(
        folder / "技术合同登记.csv",
        [
            head,
            ["HT1", "2025-03-01", A, "甲", "省内", "技术开发", "10", "5", "材料"],
            ["小计", "", "", "", "", "", "999", "", ""],  # 小计 rows are not checked
            head,
            ["HT2", "2025-03-02", B, "乙", "省内", "技术开发", "20", "5", "材料"],
            ["总计：", "", "", "", "", "", "30", "10", ""],
            ["注：金额单位为万元"],
        ],
    )
    package = load_package(folder)
    assert package["tech_contracts"]["amount"].tolist() == [10.0, 20.0]
    (account,) = [a for a in package.report.accounts if a.table == "tech_contracts"]
    assert (account.read, account.accepted) == (7, 2)
    assert account.non_data == {"header": 2, "subtotal": 1, "total": 1, "note": 1}


def test_parquet_with_id_headers(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    frame = pd.DataFrame(
        {
            "contract_id": ["P1"],
            "registered": [pd.Timestamp("2025-02-01")],
            "seller_uscc": [A],
            "buyer": ["甲"],
            "buyer_region": ["省内"],
            "type": ["技术开发"],
            "amount": [12.5],
            "tech_amount": [10.0],
            "field": ["材料"],
        }
    )
    frame.to_parquet(folder / "tech_contracts.parquet")
    package = load_package(folder)
    assert package["tech_contracts"]["amount"].tolist() == [12.5]  # Parquet id headers: 万元
    assert package["tech_contracts"]["registered"].tolist() == [pd.Timestamp("2025-02-01")]


# ====================================================================== package shape


def test_missing_enterprises_is_a_data_error(tmp_path):
    folder = make_package(tmp_path, only=("activities",))
    with pytest.raises(DataError) as info:
        load_package(folder)
    assert not isinstance(info.value, PackageInvalid)
    assert "企业名录" in str(info.value) and "enterprises" in str(info.value)


def test_optional_tables_absent_not_empty(tmp_path):
    package = load_package(make_package(tmp_path, only=("enterprises",)))
    assert list(package.tables) == ["enterprises"]
    assert not package.has("tech_contracts")
    assert set(package.report.absent) == set(TABLES) - {"enterprises"}


def test_missing_district_yaml(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    (folder / "district.yaml").unlink()
    with pytest.raises(DataError, match=r"district\.yaml"):
        load_package(folder)


def test_several_files_for_one_table_are_concatenated(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    head = headers("tech_contracts")
    write_csv(
        folder / "2024年技术合同登记.csv",
        [head, ["HT1", "2024-05-01", A, "甲", "省内", "技术开发", "10", "5", "x"]],
    )
    write_csv(
        folder / "2025年技术合同登记.csv",
        [head, ["HT2", "2025-05-01", B, "乙", "省内", "技术开发", "20", "5", "x"]],
    )
    package = load_package(folder)
    assert package["tech_contracts"]["contract_id"].tolist() == ["HT1", "HT2"]
    assert package.report.table_account("tech_contracts") == {
        "read": 4,
        "accepted": 2,
        "rejected": 0,
        "non_data": 2,
    }


def test_duplicate_key_across_files_is_an_error(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    head = headers("tech_contracts")
    write_csv(
        folder / "2024年技术合同登记.csv",
        [head, ["HT1", "2024-05-01", A, "甲", "省内", "技术开发", "10", "5", "x"]],
    )
    write_csv(
        folder / "2025年技术合同登记.csv",
        [head, ["HT1", "2025-05-01", B, "乙", "省内", "技术开发", "20", "5", "x"]],
    )
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    problems = info.value.report.rejects
    assert {(p.file, p.row, p.rule) for p in problems} == {
        ("2024年技术合同登记.csv", 2, "unique"),
        ("2025年技术合同登记.csv", 2, "unique"),
    }
    assert all(p.column == "合同编号" for p in problems)


def _single_workbook(path: Path, with_id: bool = True) -> Path:
    wb = openpyxl.Workbook()
    meta = wb.active
    meta.title = "说明"
    rows = [
        ("字段", "值"),
        ("行政区划代码", "410106"),
        ("名称", "上街区"),
        ("所属市", "郑州市"),
        ("所属省", "河南省"),
        ("镇街", "峡窝镇、济源路街道、中心路街道"),
    ]
    if with_id:
        rows.append(("id", "sj2025"))
    for row in rows:
        meta.append(row)
    ws = wb.create_sheet("企业名录")
    ws.append(headers("enterprises"))
    for row in BASE["enterprises"]:
        ws.append(row)
    ws = wb.create_sheet("透视表")
    ws.append(["镇街", "企业数"])
    ws = wb.create_sheet(" Tech_Contracts ")
    ws.append(headers("tech_contracts"))
    ws.append(["HT1", "2025-03-01", A, "甲", "省内", "技术开发", 10, 5, "x"])
    wb.save(path)
    return path


def test_single_workbook_with_metadata_sheet(tmp_path):
    path = _single_workbook(tmp_path / "上街区数据.xlsx")
    package = load_package(path)
    assert package.district.id == "sj2025"
    assert package.district.towns == ("峡窝镇", "济源路街道", "中心路街道")
    assert set(package.tables) == {"enterprises", "tech_contracts"}
    assert package["tech_contracts"]["amount"].tolist() == [10.0]
    assert any("透视表" in i for i in package.report.ignored)
    assert list(package.files) == ["上街区数据.xlsx"]


def test_single_workbook_id_defaults_to_stem(tmp_path):
    package = load_package(_single_workbook(tmp_path / "shangjie.xlsx", with_id=False))
    assert package.district.id == "shangjie"


# ====================================================================== one failing fixture per rule


def _replace(
    table_id: str, column_id: str, value: object, row: int = 0
) -> dict[str, list[list[object]]]:
    rows = [list(r) for r in BASE[table_id]]
    idx = [c.id for c in TABLES[table_id].columns].index(column_id)
    rows[row][idx] = value
    return {table_id: rows}


def _multi(table_id: str, changes: dict[str, object]) -> dict[str, list[list[object]]]:
    rows = [list(r) for r in BASE[table_id]]
    ids = [c.id for c in TABLES[table_id].columns]
    for column_id, value in changes.items():
        rows[0][ids.index(column_id)] = value
    return {table_id: rows}


RULE_CASES = {
    # rule: (tables, table id, excel row, column header as written, value shown)
    "required": (_replace("enterprises", "name", ""), "enterprises", 2, "企业名称", ""),
    "uscc": (
        _replace("enterprises", "uscc", C[:-1] + "X", 2),
        "enterprises",
        4,
        "统一社会信用代码",
        C[:-1] + "X",
    ),
    "town": (_replace("enterprises", "town", "外星镇", 1), "enterprises", 3, "所属镇街", "外星镇"),
    "future": (
        _replace("enterprises", "established", "2099-01-01", 2),
        "enterprises",
        4,
        "成立日期",
        "2099-01-01",
    ),
    "industry_code": (
        _replace("enterprises", "industry_code", "3A"),
        "enterprises",
        2,
        "行业代码",
        "3A",
    ),
    "enum": (_replace("enterprises", "ownership", "私营"), "enterprises", 2, "企业性质", "私营"),
    "date": (_replace("talent", "date", "2025-13-01"), "talent", 2, "日期", "2025-13-01"),
    "bool": (_replace("rd_survey", "reported", "也许"), "rd_survey", 2, "是否填报", "也许"),
    "integer": (_replace("rd_survey", "rd_staff", "12.5"), "rd_survey", 2, "研发人员", "12.5"),
    "number": (_replace("projects", "funding", "五十"), "projects", 2, "资助金额（万元）", "五十"),
    "year": (_replace("projects", "year", "二〇二五"), "projects", 2, "计划年度", "二〇二五"),
    "min": (_replace("talent", "headcount", "0"), "talent", 2, "人数", "0"),
    "ref_enterprises": (
        _replace("talent", "uscc", OUTSIDER),
        "talent",
        2,
        "统一社会信用代码",
        OUTSIDER,
    ),
    "ref_activities": (
        _replace("activity_participants", "activity_id", "HD999"),
        "activity_participants",
        2,
        "活动编号",
        "HD999",
    ),
    "financing_activity_type": (
        _replace("financing", "activity_id", "HD002"),
        "financing",
        2,
        "对接活动编号",
        "HD002",
    ),
    "tech_amount_le_amount": (
        _replace("tech_contracts", "tech_amount", "120"),
        "tech_contracts",
        2,
        "技术交易额（万元）",
        "120",
    ),
    "resolved_le_requested": (
        _replace("financing", "resolved", "600"),
        "financing",
        2,
        "解决金额（万元）",
        "600",
    ),
    "revoked_after_approved": (
        _replace("platforms", "revoked", "2019-01-01"),
        "platforms",
        2,
        "撤销日期",
        "2019-01-01",
    ),
    "no_rd_no_expenditure": (
        _replace("rd_survey", "has_rd", "否"),
        "rd_survey",
        2,
        "研发经费支出（万元）",
        "120.5",
    ),
    "not_reported_no_rd": (
        _multi("rd_survey", {"reported": "否", "rd_expenditure": "0"}),
        "rd_survey",
        2,
        "是否有研发活动",
        "是",
    ),
    "valid_until_required": (
        _replace("certifications", "valid_until", ""),
        "certifications",
        2,
        "有效期至",
        "",
    ),
    "name_required": (_replace("projects", "uscc", ""), "projects", 2, "承担单位", ""),
}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_each_rule_rejects_the_row_and_says_where(tmp_path, rule):
    tables, table_id, row, column, value = RULE_CASES[rule]
    folder = make_package(tmp_path, tables)
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    report = info.value.report
    assert [(p.table, p.row, p.column, p.value, p.rule) for p in report.rejects] == [
        (table_id, row, column, value, rule)
    ]
    problem = report.rejects[0]
    assert problem.file == f"{TABLES[table_id].zh}.csv" and problem.sheet == ""
    line = problem.line()
    assert problem.file in line and f"第{row}行" in line and f"row {row}" in line and column in line
    assert problem.zh in line and problem.en in line
    assert report.rejected_rows() == 1
    text = report.format()
    assert line in text and "校验未通过" in text


def test_project_outside_bearer_with_name_is_accepted(tmp_path):
    tables = _multi("projects", {"uscc": "", "name": "郑州大学"})
    package = load_package(make_package(tmp_path, tables))
    assert package["projects"]["name"].tolist() == ["郑州大学"]
    assert package["projects"]["uscc"].isna().all()


def test_money_without_unit_is_rejected(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    write_csv(
        folder / "研发投入调查.csv",
        [
            [
                "年度",
                "统一社会信用代码",
                "是否填报",
                "是否有研发活动",
                "研发经费支出",
                "营业收入",
                "研发人员",
            ],
            ["2024", A, "是", "是", "1205000", "8000万元", "12"],
        ],
    )
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    (problem,) = info.value.report.rejects
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        2,
        "研发经费支出",
        "1205000",
        "money_unit",
    )


def test_duplicate_enterprise_rejects_both_rows(tmp_path):
    tables = {"enterprises": [*BASE["enterprises"], BASE["enterprises"][0]]}
    with pytest.raises(PackageInvalid) as info:
        load_package(
            make_package(
                tmp_path,
                tables,
            )
        )
    report = info.value.report
    assert sorted((p.row, p.rule) for p in report.rejects if p.table == "enterprises") == [
        (2, "unique"),
        (5, "unique"),
    ]


def test_totals_row_that_disagrees_fails_strict_and_is_reported_lenient(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    write_csv(
        folder / "技术合同登记.csv",
        [
            headers("tech_contracts"),
            ["HT1", "2025-03-01", A, "甲", "省内", "技术开发", "10.5", "5", "x"],
            ["HT2", "2025-03-02", B, "乙", "省内", "技术开发", "20.25", "5", "x"],
            [
                "合计",
                "",
                "",
                "",
                "",
                "",
                "30.8",
                "10",
                "",
            ],  # the rows sum to 30.75, written to 1 decimal: 30.8 ok
            [
                "合计",
                "",
                "",
                "",
                "",
                "",
                "31",
                "",
                "",
            ],  # written to 0 decimals: 30.75 rounds to 31, ok
            ["合计", "", "", "", "", "", "30.7", "", ""],  # wrong
        ],
    )
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    report = info.value.report
    assert not report.rejects
    (error,) = report.errors
    assert (error.file, error.row, error.column, error.value, error.rule) == (
        "技术合同登记.csv",
        6,
        "成交金额（万元）",
        "30.7",
        "totals",
    )
    assert "30.8" in error.zh  # the sum, to the written precision
    package = load_package(folder, lenient=True)
    assert package["tech_contracts"]["amount"].tolist() == [10.5, 20.25]
    assert package.report.errors == report.errors


def test_totals_include_rejected_rows(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    write_csv(
        folder / "技术合同登记.csv",
        [
            headers("tech_contracts"),
            ["HT1", "2025-03-01", A, "甲", "省内", "技术开发", "10", "5", "x"],
            [
                "HT2",
                "2025-03-02",
                OUTSIDER,
                "乙",
                "省内",
                "技术开发",
                "20",
                "5",
                "x",
            ],  # rejected: not in enterprises
            ["合计", "", "", "", "", "", "30", "10", ""],
        ],
    )
    package = load_package(folder, lenient=True)
    assert not package.report.errors  # 10 + 20 = 30 over accepted and rejected rows
    assert package["tech_contracts"]["contract_id"].tolist() == ["HT1"]
    assert package.report.table_account("tech_contracts") == {
        "read": 4,
        "accepted": 1,
        "rejected": 1,
        "non_data": 2,
    }


def test_missing_required_column(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    head = headers("tech_contracts")
    keep = [i for i, h in enumerate(head) if h != "成交金额（万元）"]
    write_csv(
        folder / "技术合同登记.csv",
        [
            [head[i] for i in keep],
            [["HT1", "2025-03-01", A, "甲", "省内", "技术开发", "10", "5", "x"][i] for i in keep],
        ],
    )
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    (error,) = info.value.report.errors
    assert error.rule == "missing_column" and "成交金额" in error.zh
    assert info.value.report.table_account("tech_contracts") == {
        "read": 2,
        "accepted": 0,
        "rejected": 1,
        "non_data": 1,
    }


# ====================================================================== no silent defaults

SURVEY_NO_CLASS = [  # rd_survey without its optional 四上类别 column
    [
        "年度",
        "统一社会信用代码",
        "是否填报",
        "是否有研发活动",
        "研发经费支出（万元）",
        "营业收入（万元）",
        "研发人员",
    ],
    ["2024", A, "是", "是", "120.5", "8000", "12"],  # A: 规上工业 in enterprises
    ["2024", B, "是", "否", "", "100", "0"],  # B: blank class in enterprises = 无
    ["2024", C, "是", "否", "0", "500", "0"],  # C: 规上服务业
]


def test_survey_without_its_class_column_falls_back_to_enterprises(tmp_path):
    """An absent 四上类别 stays missing (never 无) and rd.surveyed counts A and C (by hand: 2)."""
    from innolib.indicators import compute_indicator

    folder = make_package(tmp_path, only=("enterprises",))
    write_csv(folder / "研发投入调查.csv", SURVEY_NO_CLASS)
    package = load_package(folder)
    assert package["rd_survey"]["above_scale"].isna().all()
    (absent,) = package.report.absent_columns
    assert (absent["table"], absent["file"], absent["column"]) == (
        "rd_survey",
        "研发投入调查.csv",
        "above_scale",
    )
    assert "企业名录" in absent["fallback_zh"] and "enterprises" in absent["fallback_en"]
    assert "四上类别" in package.report.format() and "enterprises" in package.report.format()
    assert compute_indicator(package, "rd.surveyed", parse_period("2024")).value == 2


def test_blank_survey_class_falls_back_like_an_absent_column(tmp_path):
    """A blank 四上类别 cell in the survey is not 无: A (规上工业 in enterprises) is counted."""
    from innolib.indicators import compute_indicator

    tables = {"rd_survey": [["2024", A, "", "是", "是", "120.5", "8000", "12"]]}
    package = load_package(make_package(tmp_path, tables, only=("enterprises", "rd_survey")))
    assert package["rd_survey"]["above_scale"].isna().all()
    assert package.report.absent_columns == []
    assert compute_indicator(package, "rd.surveyed", parse_period("2024")).value == 1


def test_blank_rd_expenditure_with_rd_activity_is_a_row_error(tmp_path):
    tables = {
        "rd_survey": [
            ["2024", A, "规上工业", "是", "是", "", "8000", "12"],  # has R&D, no amount: error
            ["2024", C, "规上服务业", "是", "否", "", "500", "0"],  # no R&D, blank: fine
        ]
    }
    folder = make_package(tmp_path, tables, only=("enterprises", "rd_survey"))
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    (problem,) = info.value.report.rejects
    assert (problem.row, problem.column, problem.value, problem.rule) == (
        2,
        "研发经费支出（万元）",
        "",
        "rd_expenditure_required",
    )


@pytest.mark.parametrize("lenient", [False, True])
def test_a_missing_column_that_may_not_be_absent_fails_in_every_mode(tmp_path, lenient):
    """有效期至 is not required in every row, but the column may not be absent: never hnte.valid 0."""
    folder = make_package(tmp_path, only=("enterprises",))
    head = headers("certifications")
    row = BASE["certifications"][0]
    keep = [i for i, h in enumerate(head) if h != "有效期至"]
    write_csv(folder / "资质认定.csv", [[head[i] for i in keep], [row[i] for i in keep]])
    with pytest.raises(PackageInvalid) as info:
        load_package(folder, lenient=lenient)
    (error,) = info.value.report.errors
    assert error.rule == "missing_column" and "有效期至" in error.zh and "valid_until" in error.en
    assert info.value.report.table_account("certifications")["accepted"] == 0


def _sample_copy(root: Path) -> Path:
    folder = root / "shangjie"
    shutil.copytree(SAMPLE, folder)
    return folder


def _fallback_values(table_id: str, column_id: str, frame: pd.DataFrame) -> pd.Series:
    """Each row's fallback for an optional column, read from the sample's referenced table."""
    table = TABLES[table_id]
    ref_table, ref_column = table.column(column_id).fallback
    if ref_table == table_id:  # the same row's other column (企业简称 → 企业名称)
        return frame[table.column(ref_column).header]
    (key, _, ref_key) = next(r for r in table.references if r[1] == ref_table)
    ref_file = SAMPLE / f"{TABLES[ref_table].zh}.csv"
    ref = pd.read_csv(ref_file, dtype=str, keep_default_na=False)
    by_key = dict(
        zip(
            ref[TABLES[ref_table].column(ref_key).header],
            ref[TABLES[ref_table].column(ref_column).header],
        )
    )
    return frame[table.column(key).header].map(by_key)


@pytest.mark.parametrize(
    "table_id,column_id",
    [(t.id, c) for t in TABLES.values() for c in t.optional_columns],
)
def test_dropping_an_optional_column_equals_filling_it_with_its_fallback(
    tmp_path, table_id, column_id
):
    """Property: for every optional column, the sample without it gives the indicators of the
    sample with it present and filled with the fallback's values (2021–2025)."""
    from innolib.indicators import compute_indicators

    table = TABLES[table_id]
    header = table.column(column_id).header
    dropped, filled = _sample_copy(tmp_path / "dropped"), _sample_copy(tmp_path / "filled")
    path = f"{table.zh}.csv"
    frame = pd.read_csv(SAMPLE / path, dtype=str, keep_default_na=False)
    frame.drop(columns=[header]).to_csv(dropped / path, index=False)
    frame.assign(**{header: _fallback_values(table_id, column_id, frame)}).to_csv(
        filled / path, index=False
    )
    a, b = load_package(dropped), load_package(filled)
    assert [x["column"] for x in a.report.absent_columns] == [column_id]
    assert b.report.absent_columns == []
    for year in ("2021", "2022", "2023", "2024", "2025"):
        left = compute_indicators(a, parse_period(year)).to_document()
        right = compute_indicators(b, parse_period(year)).to_document()
        assert left["indicators"] == right["indicators"], year


# ====================================================================== lenient mode, accounting, report


def test_lenient_keeps_good_rows_and_writes_rejects(tmp_path):
    tables = _replace("enterprises", "town", "外星镇", 1)
    tables["talent"] = [BASE["talent"][0], ["RC002", B, "人才需求", "2025-06-01", "2", "信息"]]
    package = load_package(make_package(tmp_path, tables), lenient=True)
    assert package["enterprises"]["uscc"].tolist() == [A, C]
    # RC002's enterprise B was rejected, so RC002 no longer refers to a loaded enterprise
    assert package["talent"]["record_id"].tolist() == ["RC001"]
    assert package.report.rejected_rows() == 2
    assert "2" in package.report.summary()
    written = write_rejects(package.report, tmp_path / "out")
    assert sorted(p.name for p in written) == ["enterprises.csv", "talent.csv"]
    rejects = pd.read_csv(
        tmp_path / "out" / "rejects" / "enterprises.csv", encoding="utf-8-sig", dtype=str
    )
    assert rejects[["file", "row", "column", "value", "rule"]].values.tolist() == [
        ["企业名录.csv", "3", "所属镇街", "外星镇", "town"]
    ]


def test_row_accounting_balances_everywhere(tmp_path):
    tables = _replace("enterprises", "town", "外星镇", 1)
    package = load_package(make_package(tmp_path, tables), lenient=True)
    for account in package.report.accounts:
        assert account.balanced, account
    assert package.report.table_account("enterprises") == {
        "read": 4,
        "accepted": 2,
        "rejected": 1,
        "non_data": 1,
    }
    text = package.report.format()
    assert "读入" in text and "read" in text and "rejected" in text


def test_rejects_frame(tmp_path):
    with pytest.raises(PackageInvalid) as info:
        load_package(make_package(tmp_path, _replace("enterprises", "ownership", "私营")))
    frame = info.value.report.rejects_frame()
    assert frame[["table", "row", "column", "value", "rule"]].values.tolist() == [
        ["enterprises", 2, "企业性质", "私营", "enum"]
    ]
    assert "国有/民营/外资/其他" in frame["rule_zh"].iloc[0]


def test_targets_percentages_and_fraction_note(tmp_path):
    tables = {
        "targets": [
            ["2025", "rd.coverage_industrial", "59%"],
            ["2026", "rd.coverage_industrial", "0.6"],
            ["2025", "contracts.count", "120"],
        ]
    }
    package = load_package(make_package(tmp_path, tables))
    assert package["targets"]["target"].tolist() == ["59", "60", "120"]
    assert any("0.6" in n and "60" in n for n in package.report.notes)


def test_unknown_indicator_in_targets(tmp_path):
    tables = {"targets": [["2025", "no.such.indicator", "5"]]}
    with pytest.raises(PackageInvalid) as info:
        load_package(make_package(tmp_path, tables))
    assert [p.rule for p in info.value.report.rejects] == ["indicator"]


# ====================================================================== cache


def test_cache_hit_and_invalidation(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("INNOLIB_CACHE_DIR", str(cache))
    folder = make_package(tmp_path, only=("enterprises", "tech_contracts"))
    first = load_package(folder)
    assert not first.report.from_cache
    second = load_package(folder)
    assert second.report.from_cache
    for table_id in first.tables:
        pd.testing.assert_frame_equal(first[table_id], second[table_id])
    assert second.files == first.files and second.district == first.district
    # change one input file: the cache entry no longer applies
    write_csv(
        folder / "技术合同登记.csv",
        [
            headers("tech_contracts"),
            ["HT001", "2025-03-01", A, "河南大学", "省内", "技术开发", "200", "80", "x"],
        ],
    )
    third = load_package(folder)
    assert not third.report.from_cache
    assert third["tech_contracts"]["amount"].tolist() == [200.0]
    assert third.files["技术合同登记.csv"] != first.files["技术合同登记.csv"]


def test_a_held_package_is_recalled_as_a_copy_and_never_when_a_file_changed(tmp_path, monkeypatch):
    """What a batch's zygote holds (``innolib.load.memory``): the same tables at every load,
    each load its own copy, and a changed input file is a miss, not a stale package."""
    from innolib.load import memory

    monkeypatch.setenv("INNOLIB_CACHE", "0")  # only the memory can answer
    folder = make_package(tmp_path, only=("enterprises", "tech_contracts"))
    fresh = load_package(folder)
    try:
        assert memory.hold(folder) and not memory.hold(tmp_path / "no-such-package")
        first, second = load_package(folder), load_package(folder)
        for table_id in fresh.tables:
            pd.testing.assert_frame_equal(first[table_id], fresh[table_id])
        assert first.files == fresh.files and first.district == fresh.district
        first["tech_contracts"].loc[0, "amount"] = 999.0  # a notebook edits its copy …
        assert second["tech_contracts"]["amount"].tolist() == [100.0]  # … and only its copy
        assert load_package(folder)["tech_contracts"]["amount"].tolist() == [100.0]
        write_csv(
            folder / "技术合同登记.csv",
            [
                headers("tech_contracts"),
                ["HT001", "2025-03-01", A, "河南大学", "省内", "技术开发", "200", "80", "x"],
            ],
        )
        assert load_package(folder)["tech_contracts"]["amount"].tolist() == [200.0]
    finally:
        memory.forget()


def test_cache_is_not_used_for_a_failing_package_and_can_be_disabled(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("INNOLIB_CACHE_DIR", str(cache))
    folder = make_package(tmp_path, _replace("enterprises", "ownership", "私营"))
    for _ in range(2):
        with pytest.raises(PackageInvalid):
            load_package(folder)
    lenient = load_package(folder, lenient=True)  # lenient results are cached separately
    assert not lenient.report.from_cache and load_package(folder, lenient=True).report.from_cache
    monkeypatch.setenv("INNOLIB_CACHE", "0")
    shutil.rmtree(cache)
    assert not load_package(folder, lenient=True).report.from_cache
    assert not cache.exists()


# ====================================================================== CLI


def test_cli_validate_strict_and_lenient(tmp_path, monkeypatch, capsys):
    from innolib.cli import main

    folder = make_package(tmp_path, _replace("enterprises", "ownership", "私营"))
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "企业名录.csv 第2行/row 2 列/column「企业性质」 值/value「私营」" in out
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(folder), "--lenient"]) == 0
    out = capsys.readouterr().out
    assert "1" in out and "left out" in out
    assert (tmp_path / "outputs" / "testdistrict" / "rejects" / "enterprises.csv").is_file()
    clean = make_package(tmp_path / "clean")
    assert main(["validate", str(clean)]) == 0
    assert "校验通过 / valid" in capsys.readouterr().out


def test_default_cache_is_the_user_cache_dir_never_the_checkout(tmp_path, monkeypatch):
    """Without INNOLIB_CACHE_DIR the cache is the platform's user cache folder (XDG on Linux)."""
    import innolib
    from innolib.load.cache import cache_dir

    monkeypatch.delenv("INNOLIB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    where = cache_dir()
    assert where == tmp_path / "xdg" / "innolib" / "load"
    package_root = Path(innolib.__file__).resolve().parents[1]
    assert not where.resolve().is_relative_to(package_root)
    folder = make_package(tmp_path / "pkg", only=("enterprises",))
    load_package(folder)
    assert load_package(folder).report.from_cache
    assert any(where.iterdir())
    monkeypatch.setenv("INNOLIB_CACHE", "off")
    assert cache_dir() is None


def test_env_cache_dir_isolated_per_test():
    assert os.environ["INNOLIB_CACHE_DIR"].endswith("_cache")


def test_ragged_csv_rows_are_rejected_with_their_row_numbers(tmp_path):
    """A short row is not padded with blanks and a long row's extra cell is not dropped."""
    folder = make_package(tmp_path, only=("enterprises",))
    good = ["HT1", "2025-03-01", A, "甲", "省内", "技术开发", "10", "5", "x"]
    write_csv(
        folder / "技术合同登记.csv",
        [
            headers("tech_contracts"),  # 9 fields
            ["HT0", "2025-03-01", A],  # row 2: 3 fields
            good,  # row 3: fine
            ["HT2", *good[1:], "多出的单元格"],  # row 4: 10 fields
        ],
    )
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    ragged = {(p.row, p.value) for p in info.value.report.rejects if p.rule == "ragged"}
    assert ragged == {(2, "3/9"), (4, "10/9")}
    # the short row is also missing its required cells (reported, never padded silently)
    assert {(p.row, p.rule) for p in info.value.report.rejects} == {
        (2, "ragged"),
        (2, "required"),
        (4, "ragged"),
    }
    assert info.value.report.table_account("tech_contracts") == {
        "read": 4,
        "accepted": 1,
        "rejected": 2,
        "non_data": 1,
    }


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shangjie"


def test_sample_package_is_clean():
    package = load_package(SAMPLE)
    assert package.report.ok, package.report.format()
    assert package.district.id == "shangjie"
    assert set(package.tables) == set(TABLES)
    for account in package.report.accounts:
        assert account.balanced and account.non_data == {"header": 1}


def test_district_id_is_the_folder_name_even_for_dot(tmp_path, monkeypatch):
    folder = make_package(tmp_path, only=("enterprises",), name="xinqu")
    monkeypatch.chdir(folder)
    assert load_package(".").district.id == "xinqu"


# ====================================================================== typed Parquet path (issue 9)
# A Parquet file keeps its typed columns (numbers, dates, flags, Arrow strings) and is
# parsed and validated without going through Python objects and text. It must give the
# same package and the same report as the same rows written as CSV.

from innolib.tables import BOOL, DATE, INT, MONEY, YEAR  # noqa: E402


def _typed_frame(
    table_id: str, rows: list[list[object]], header=lambda c: c.header
) -> pd.DataFrame:
    """``rows`` (as written in the CSV fixtures) as typed columns, as a Parquet writer holds them.

    Money as float (in the header's unit), dates as timestamps, 是/否 as booleans, counts and
    years as Int64, everything else as text; an empty cell is missing.
    """
    out = {}
    for i, col in enumerate(TABLES[table_id].columns):
        cells = [r[i] if i < len(r) else "" for r in rows]
        if col.type == MONEY:
            out[header(col)] = pd.array(
                [float(v) if v != "" else None for v in cells], dtype="Float64"
            )
        elif col.type in (INT, YEAR):
            out[header(col)] = pd.array([int(v) if v != "" else None for v in cells], dtype="Int64")
        elif col.type == DATE:
            out[header(col)] = pd.to_datetime(pd.Series([v if v != "" else None for v in cells]))
        elif col.type == BOOL:
            out[header(col)] = pd.array(
                [{"是": True, "否": False}[v] if v != "" else None for v in cells], dtype="boolean"
            )
        else:
            out[header(col)] = pd.array([v if v != "" else None for v in cells], dtype="string")
    return pd.DataFrame(out)


def _as_parquet(csv_folder: Path, root: Path, tables: dict[str, list[list[object]]]) -> Path:
    """The package of ``csv_folder`` with ``tables`` rewritten as typed Parquet files (same headers)."""
    folder = root / csv_folder.name
    folder.mkdir(parents=True)
    shutil.copy(csv_folder / "district.yaml", folder / "district.yaml")
    for p in csv_folder.glob("*.csv"):
        table_id = next(t for t in TABLES if TABLES[t].zh == p.stem)
        if table_id not in tables:
            shutil.copy(p, folder / p.name)
    for table_id, rows in tables.items():
        _typed_frame(table_id, rows).to_parquet(
            folder / f"{TABLES[table_id].zh}.parquet", index=False
        )
    return folder


def _report_rows(report) -> tuple[list, list, list]:
    """Problems and accounts without the file name (the one thing that differs between formats)."""
    problems = [
        (p.table, p.sheet, p.row, p.column, p.value, p.rule, p.zh, p.en)
        for p in report.rejects + report.errors
    ]
    accounts = [(a.table, a.read, a.accepted, a.rejected, a.non_data) for a in report.accounts]
    return problems, accounts, [report.absent, report.notes, report.ok]


def test_parquet_and_csv_load_to_identical_frames_and_report(tmp_path):
    contracts = [
        *BASE["tech_contracts"],
        ["HT002", "2025-04-02", B, "郑州大学", "省内", "技术服务", "20.25", "", "装备"],
        ["合计", "", "", "", "", "", "120.25", "80", ""],
    ]
    rd = [*BASE["rd_survey"], ["2024", B, "", "否", "否", "", "3000", ""]]
    tables = {
        "enterprises": BASE["enterprises"],
        "tech_contracts": contracts,
        "rd_survey": rd,
        "certifications": BASE["certifications"],
        "projects": BASE["projects"],
    }
    csv_folder = make_package(tmp_path / "csv", tables)
    pq_folder = _as_parquet(csv_folder, tmp_path / "parquet", tables)
    from_csv, from_parquet = load_package(csv_folder), load_package(pq_folder)
    assert sorted(p.name for p in pq_folder.glob("*.parquet")) == sorted(
        f"{TABLES[t].zh}.parquet" for t in tables
    )
    assert list(from_parquet.tables) == list(from_csv.tables)
    for table_id, frame in from_csv.tables.items():
        pd.testing.assert_frame_equal(from_parquet[table_id], frame, check_exact=True)
    assert _report_rows(from_parquet.report) == _report_rows(from_csv.report)
    # worked out by hand: two contracts, the 合计 row (120.25 and 80 agree) is non-data
    (account,) = [a for a in from_parquet.report.accounts if a.table == "tech_contracts"]
    assert (account.read, account.accepted, account.rejected, account.non_data) == (
        4,
        2,
        0,
        {"header": 1, "total": 1},
    )
    assert from_parquet["tech_contracts"]["amount"].tolist() == [100.0, 20.25]
    assert from_parquet["rd_survey"]["has_rd"].tolist() == [True, False]
    assert from_parquet["rd_survey"]["rd_staff"].isna().tolist() == [False, True]
    assert str(from_parquet["enterprises"]["established"].dtype) == "datetime64[s]"


def test_parquet_totals_row_that_disagrees_is_reported_like_csv(tmp_path):
    contracts = [*BASE["tech_contracts"], ["合计", "", "", "", "", "", "99", "80", ""]]
    tables = {"tech_contracts": contracts}
    csv_folder = make_package(tmp_path / "csv", tables)
    pq_folder = _as_parquet(csv_folder, tmp_path / "parquet", tables)
    from_csv = load_package(csv_folder, lenient=True)
    from_parquet = load_package(pq_folder, lenient=True)
    assert [(p.row, p.column, p.value, p.rule) for p in from_parquet.report.errors] == [
        (3, "成交金额（万元）", "99", "totals")
    ]
    assert _report_rows(from_parquet.report) == _report_rows(from_csv.report)


def test_parquet_bad_rows_give_the_same_problems_as_csv(tmp_path):
    bad_code = C[:-1] + "X"
    enterprises = [list(r) for r in BASE["enterprises"]]
    enterprises[1][6] = "私营"  # 企业性质 outside the list
    enterprises[2][0] = bad_code  # check character wrong
    contracts = [
        *BASE["tech_contracts"],
        [
            "HT002",
            "2025-04-02",
            A,
            "郑州大学",
            "省内",
            "技术服务",
            "-5",
            "",
            "装备",
        ],  # negative money
        ["HT003", "2025-05-01", A, "甲", "省内", "技术开发", "20", "10", "材料"],
        ["HT003", "2025-05-02", A, "乙", "省外", "技术转让", "30", "5", "材料"],
    ]  # duplicate key
    tables = {"enterprises": enterprises, "tech_contracts": contracts}
    csv_folder = make_package(tmp_path / "csv", tables)
    pq_folder = _as_parquet(csv_folder, tmp_path / "parquet", tables)
    expected = [  # (table, row, column as written, value, rule), worked out from the rows above
        ("enterprises", 3, "企业性质", "私营", "enum"),
        ("enterprises", 4, "统一社会信用代码", bad_code, "uscc"),
        ("tech_contracts", 3, "成交金额（万元）", "-5", "min"),
        ("tech_contracts", 4, "合同编号", "HT003", "unique"),
        ("tech_contracts", 5, "合同编号", "HT003", "unique"),
    ]
    for folder in (csv_folder, pq_folder):
        with pytest.raises(PackageInvalid) as info:
            load_package(folder)
        assert [
            (p.table, p.row, p.column, p.value, p.rule) for p in info.value.report.rejects
        ] == expected
    from_csv = load_package(csv_folder, lenient=True)
    from_parquet = load_package(pq_folder, lenient=True)
    assert [p.file for p in from_parquet.report.rejects] == ["企业名录.parquet"] * 2 + [
        "技术合同登记.parquet"
    ] * 3
    assert _report_rows(from_parquet.report) == _report_rows(from_csv.report)
    for table_id, frame in from_csv.tables.items():
        pd.testing.assert_frame_equal(from_parquet[table_id], frame, check_exact=True)
    assert from_parquet["tech_contracts"]["contract_id"].tolist() == ["HT001"]
    assert from_parquet["enterprises"]["uscc"].tolist() == [A]


def test_parquet_typed_cells_the_text_path_would_reject(tmp_path):
    """Typed cells are checked as strictly as text: an infinite amount, an integer with a
    fraction, a year out of range; a timestamp with a time of day is its day (as in Excel)."""
    folder = make_package(tmp_path, only=("enterprises",))
    pd.DataFrame(
        {
            "contract_id": ["P1", "P2"],
            "registered": pd.to_datetime(["2025-02-01 15:30", "2025-02-02 00:00"]),
            "seller_uscc": [A, A],
            "buyer": ["甲", "乙"],
            "buyer_region": ["省内", "省内"],
            "type": ["技术开发", "技术开发"],
            "amount": [12.5, float("inf")],
            "tech_amount": [10.0, None],
            "field": ["材料", "材料"],
        }
    ).to_parquet(folder / "tech_contracts.parquet")
    pd.DataFrame(
        {
            "year": [2024, 1800],
            "uscc": [A, A],
            "above_scale": ["规上工业", ""],
            "reported": [True, True],
            "has_rd": [True, False],
            "rd_expenditure": [1.5, 0.0],
            "revenue": [100.0, 50.0],
            "rd_staff": [2.5, 3.0],
        }
    ).to_parquet(folder / "rd_survey.parquet")
    package = load_package(folder, lenient=True)
    assert [(p.table, p.row, p.column, p.value, p.rule) for p in package.report.rejects] == [
        ("rd_survey", 2, "rd_staff", "2.5", "integer"),
        ("rd_survey", 3, "year", "1800", "year"),
        ("tech_contracts", 3, "amount", "inf", "number"),
    ]
    assert package["tech_contracts"]["registered"].tolist() == [pd.Timestamp("2025-02-01")]
    assert package["tech_contracts"]["amount"].tolist() == [12.5]
    assert package.report.rejected_rows() == 3


def test_parquet_with_a_title_row_is_read_like_a_sheet(tmp_path):
    """A Parquet file whose first row is not the header (an export of a sheet) still loads."""
    folder = make_package(tmp_path, only=("enterprises",))
    rows = [["2025年技术合同登记表", *[""] * 8], headers("tech_contracts"), *BASE["tech_contracts"]]
    pd.DataFrame(rows, columns=[f"c{i}" for i in range(9)]).to_parquet(
        folder / "tech_contracts.parquet"
    )
    package = load_package(folder)
    (account,) = [a for a in package.report.accounts if a.table == "tech_contracts"]
    # rows: the column names c0…c8 and the title above the header are both title rows
    assert (account.read, account.accepted, account.non_data) == (4, 1, {"header": 1, "title": 2})
    assert package["tech_contracts"]["amount"].tolist() == [100.0]


def test_typed_parquet_is_not_turned_into_objects(tmp_path, monkeypatch):
    """The typed path is taken for a typed Parquet file (no object grid), and only the
    file with a title row falls back to reading the Parquet file as a sheet."""
    import innolib.load.parse as load_module

    read_as_sheet = []
    original = load_module.read_parquet
    monkeypatch.setattr(
        load_module, "read_parquet", lambda p: read_as_sheet.append(p.name) or original(p)
    )
    csv_folder = make_package(tmp_path / "csv", only=("enterprises", "tech_contracts"))
    folder = _as_parquet(
        csv_folder, tmp_path / "parquet", {"tech_contracts": BASE["tech_contracts"]}
    )
    load_package(folder)
    assert read_as_sheet == []
    rows = [["2025年技术合同登记表", *[""] * 8], headers("tech_contracts"), *BASE["tech_contracts"]]
    (folder / "技术合同登记.parquet").unlink()
    pd.DataFrame(rows, columns=[f"c{i}" for i in range(9)]).to_parquet(
        folder / "技术合同登记.parquet"
    )
    load_package(folder)
    assert read_as_sheet == ["技术合同登记.parquet"]


def test_typed_parsers_agree_with_the_object_path():
    """The parsers' typed branches give what the cell-by-cell path gives for the same values."""
    from innolib.normalize import (
        parse_bool,
        parse_date,
        parse_money,
        parse_number,
        parse_year,
        uscc_valid,
    )

    money = pd.Series([12.5, None, -5.0, float("inf"), 1e-5, 3.0])
    for unit in ("万元", "元", None):
        typed, objects = parse_money(money, unit), parse_money(money.astype(object), unit)
        for a, b in zip(typed, objects):
            pd.testing.assert_series_equal(a, b)
    assert parse_money(pd.Series([12600.0, -50000.0]), "元")[0].tolist() == [1.26, -5.0]
    assert parse_money(money, "万元")[1].tolist() == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]  # inf
    counts = pd.Series([2.0, 2.5, None])
    pd.testing.assert_series_equal(
        parse_number(counts, integer=True)[1], pd.Series([False, True, False])
    )
    years = pd.Series([2025, 1899, 2100], dtype="Int64")
    assert parse_year(years)[0].tolist() == [2025, pd.NA, 2100]
    assert (
        parse_year(years)[1].tolist()
        == parse_year(years.astype(object))[1].tolist()
        == [False, True, False]
    )
    stamps = pd.Series(pd.to_datetime(["2025-03-04 13:45", None, "1999-12-31 00:00"])).astype(
        "datetime64[ms]"
    )
    typed, objects = parse_date(stamps), parse_date(stamps.astype(object))
    pd.testing.assert_series_equal(typed[0], objects[0])
    assert typed[0].tolist()[0] == pd.Timestamp("2025-03-04") and not typed[1].any()
    flags = pd.Series([True, None, False], dtype="boolean")
    pd.testing.assert_series_equal(parse_bool(flags)[0], parse_bool(flags.astype(object))[0])
    codes = pd.Series(
        [A, None, C[:-1] + "X", "914101063345678917 ", B] * 2000, dtype="string[pyarrow]"
    ).iloc[3:]
    # from row 3 on (an Arrow array with an offset): "C " (a space: not normalised), B, then A,
    # empty, a wrong check character, "C ", B again and again
    assert uscc_valid(codes).tolist() == [False, True] + [True, False, False, False, True] * 1999


# ====================================================================== hostile input (issue 17)


def _district_error(tmp_path, text: str) -> DataError:
    folder = make_package(tmp_path, only=("enterprises",))
    (folder / "district.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_package(folder)
    assert not isinstance(info.value, PackageInvalid)
    assert "district.yaml" in info.value.zh and "district.yaml" in info.value.en
    return info.value


@pytest.mark.parametrize(
    "text,field",
    [
        ("- 410106\n- 上街区\n", ""),  # a list, not a mapping
        ("上街区\n", ""),  # a scalar
        (DISTRICT.replace("towns: [峡窝镇, 济源路街道, 中心路街道]", "towns: 5"), "towns"),
        (DISTRICT + "population:\n  峡窝镇: 约2.7万\n", "population.峡窝镇"),
        (DISTRICT + "population:\n  峡窝镇: 27000.5\n", "population.峡窝镇"),
        (DISTRICT + "population:\n  峡窝镇: null\n", "population.峡窝镇"),
        (DISTRICT + "population: [1, 2]\n", "population"),
        (DISTRICT + "cutoff: 2025-13-45\n", "cutoff"),
        (DISTRICT.replace('code: "410106"', "code: [4, 1]"), "code"),
        (DISTRICT.replace("name: 上街区", "name: {a: 1}"), "name"),
        (DISTRICT + "colour: red\n", "colour"),
    ],
)
def test_district_yaml_shape_and_values_are_checked(tmp_path, text, field):
    error = _district_error(tmp_path, text)
    assert error.column == field and error.rule == "district"


def test_district_yaml_cutoff_and_population_accepted_forms(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    text = DISTRICT + 'cutoff: 2025-12-31\npopulation:\n  峡窝镇: 27000\n  济源路街道: "42,000"\n'
    (folder / "district.yaml").write_text(text, encoding="utf-8")
    district = load_package(folder).district
    assert district.cutoff == dt.date(2025, 12, 31)
    assert district.population == {"峡窝镇": 27000, "济源路街道": 42000}


def test_yaml_alias_bomb_fails_fast(tmp_path):
    import time

    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)}]\n"
        for i in range(8)
    )
    assert len(bomb.encode()) < 500  # 9^9 ≈ 387 million strings once expanded
    start = time.perf_counter()
    error = _district_error(tmp_path, bomb)
    assert time.perf_counter() - start < 2
    assert error.rule == "yaml" and "alias" in error.en


@pytest.mark.parametrize(
    "cell,rule",
    [
        (str(2**63), "range"),  # an Int64 overflow before: now a row error
        ("1000000001", "range"),  # counts 0..10^9
        ("12.5", "integer"),
    ],
)
def test_counts_outside_their_range_are_row_errors(tmp_path, cell, rule):
    tables = {"rd_survey": [["2024", A, "规上工业", "是", "是", "120.5", "8000", cell]]}
    with pytest.raises(PackageInvalid) as info:
        load_package(make_package(tmp_path, tables, only=("enterprises", "rd_survey")))
    (problem,) = info.value.report.rejects
    assert (problem.row, problem.column, problem.value, problem.rule) == (2, "研发人员", cell, rule)


def test_money_outside_plus_minus_10_to_the_12_wan_is_a_row_error(tmp_path):
    # 10^12 万元 is allowed; 1.5×10^12 万元 and 10^17 元 (= 10^13 万元) are not
    rows = [
        ["HT1", "2025-03-01", A, "甲", "省内", "技术开发", "1000000000000", "0", "x"],
        ["HT2", "2025-03-01", A, "甲", "省内", "技术开发", "1500000000000", "0", "x"],
        ["HT3", "2025-03-01", A, "甲", "省内", "技术开发", "100000000000000000元", "0", "x"],
    ]
    folder = make_package(
        tmp_path, {"tech_contracts": rows}, only=("enterprises", "tech_contracts")
    )
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    assert {(p.row, p.rule) for p in info.value.report.rejects} == {(3, "range"), (4, "range")}
    assert "10^12" in info.value.report.rejects[0].zh or "1e+12" in info.value.report.rejects[0].zh


def test_long_csv_cells_load_and_a_cell_over_1mb_is_a_row_error(tmp_path):
    long_name = "甲" * 200_000  # over the csv module's default limit of 131,072
    huge_field = "x" * 1_000_001
    tables = {
        "enterprises": [
            [A, long_name, "峡窝镇", "30", "先进材料", "规上工业", "民营", "2015-06-01", ""],
            [B, "乙", "峡窝镇", "30", huge_field, "规上工业", "民营", "2015-06-01", ""],
        ]
    }
    folder = make_package(tmp_path, tables, only=("enterprises",))
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    (problem,) = info.value.report.rejects
    assert (problem.row, problem.column, problem.rule) == (3, "主导产业", "cell_too_large")
    assert len(problem.value) < 300 and "1,000,001" in problem.value
    package = load_package(folder, lenient=True)
    assert package["enterprises"]["name"].tolist() == [long_name]


def _stray_cell_workbook(path: Path, stray: str, rows: int = 3) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(headers("enterprises"))
    for row in BASE["enterprises"][:rows]:
        ws.append(row)
    ws[stray] = "x"
    wb.save(path)
    return path


@pytest.mark.parametrize("stray", ["XFD1048576", "XFD1"])
def test_a_stray_far_cell_is_refused_clearly_and_fast(tmp_path, stray):
    """calamine would build the whole used range: 17 billion cells (abort) or 16,384 columns."""
    import subprocess
    import sys
    import time

    folder = make_package(tmp_path, only=())
    (folder / "企业名录.csv").unlink(missing_ok=True)
    _stray_cell_workbook(folder / "企业名录.xlsx", stray)
    assert (folder / "企业名录.xlsx").stat().st_size < 20_000
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "innolib.cli", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "INNOLIB_CACHE": "0"},
    )
    assert time.perf_counter() - start < 20
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "企业名录.xlsx[企业名录]" in run.stderr and stray in run.stderr
    assert "used range" in run.stderr


@pytest.mark.parametrize("kind", ["directory", "dangling", "fifo", "device", "loop"])
def test_a_table_file_that_cannot_be_read_is_named_never_absent(tmp_path, kind):
    folder = make_package(tmp_path, only=("enterprises",))
    target = folder / "技术合同登记.csv"
    if kind == "directory":
        target.mkdir()
    elif kind == "dangling":
        target.symlink_to(folder / "nowhere.csv")
    elif kind == "fifo":
        os.mkfifo(target)  # opening it would block: it must never be opened
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to(folder / "技术合同登记.csv")
    with pytest.raises(DataError) as info:
        load_package(folder)
    assert info.value.file == "技术合同登记.csv" and info.value.rule == "unreadable"
    assert "技术合同登记.csv" in info.value.zh and "技术合同登记.csv" in info.value.en


def test_a_file_name_that_is_not_utf8_is_a_clear_error(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    bad = os.fsencode(str(folder)) + b"/\xff\xfe.csv"
    with open(bad, "wb") as f:
        f.write(b"a,b\n")
    with pytest.raises(DataError) as info:
        load_package(folder)
    assert info.value.rule == "file_name" and "UTF-8" in info.value.en
    assert "\\xff\\xfe" in info.value.en


def test_a_hidden_sheet_is_never_preferred_to_a_visible_one(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    wb = openpyxl.Workbook()
    stale = wb.active
    stale.title = "旧数据"
    stale.append(headers("talent"))
    stale.append(["RC-OLD", A, "科技副总选聘", "2020-05-01", "9", "旧"])
    stale.sheet_state = "hidden"
    fresh = wb.create_sheet("Sheet2")
    fresh.append(headers("talent"))
    fresh.append(["RC001", A, "科技副总选聘", "2025-05-01", "1", "材料"])
    wb.save(folder / "科技人才.xlsx")
    package = load_package(folder)
    assert package["talent"]["record_id"].tolist() == ["RC001"]
    assert any("旧数据" in i and "hidden" in i for i in package.report.ignored)


def _formula_workbook(path: Path, column: str) -> Path:
    """A contracts sheet whose row 2 has a formula without a cached value (openpyxl writes none)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "技术合同登记"
    ws.append(headers("tech_contracts"))
    row = ["HT1", "2025-03-01", A, "甲", "省内", "技术开发", 100, 80, "x"]
    index = {"amount": 6, "tech_amount": 7}[column]
    row[index] = "=50+50"
    ws.append(row)
    ws.append(["HT2", "2025-03-02", A, "甲", "省内", "技术开发", 10, 5, "x"])
    wb.save(path)
    return path


def test_formula_without_value_in_a_required_column_is_a_row_error(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    _formula_workbook(folder / "技术合同登记.xlsx", "amount")
    with pytest.raises(PackageInvalid) as info:
        load_package(folder)
    (problem,) = info.value.report.rejects
    assert (problem.row, problem.column, problem.rule) == (
        2,
        "成交金额（万元）",
        "formula_no_value",
    )


def test_formula_without_value_in_an_optional_column_is_a_warning_naming_the_cell(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",))
    _formula_workbook(folder / "技术合同登记.xlsx", "tech_amount")
    package = load_package(folder)
    assert package["tech_contracts"]["tech_amount"].isna().tolist() == [True, False]
    assert any("H2" in n and "formula" in n for n in package.report.notes)


def test_rejects_csv_guards_formulas_and_keeps_numbers(tmp_path):
    tables = _replace("enterprises", "town", '=HYPERLINK("http://x","点我")', 1)
    package = load_package(make_package(tmp_path, tables), lenient=True)
    (path,) = [
        p for p in write_rejects(package.report, tmp_path / "out") if p.stem == "enterprises"
    ]
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert ",3,所属镇街," in text  # the row number stays a number


def test_excel_safe_prefixes_text_only():
    from innolib.fileio import excel_safe

    frame = pd.DataFrame({"a": ["=1+1", "+86", "-x", "@sum", "ok", None], "n": [-1, 2, 3, 4, 5, 6]})
    safe = excel_safe(frame)
    assert safe["a"].tolist()[:5] == ["'=1+1", "'+86", "'-x", "'@sum", "ok"]
    assert pd.isna(safe["a"].iloc[5])
    assert safe["n"].tolist() == [-1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("bad_id", ["../../evil", "/abs", ".hidden", "a\nb", "x/..", "..", "a\\b"])
def test_package_id_must_be_a_safe_folder_name(tmp_path, bad_id):
    path = _single_workbook(tmp_path / "pkg.xlsx", with_id=False)
    wb = openpyxl.load_workbook(path)
    wb["说明"].append(("id", bad_id))
    wb.save(path)
    with pytest.raises(DataError) as info:
        load_package(path)
    assert info.value.rule == "safe_name"


def test_chinese_package_ids_are_safe(tmp_path):
    folder = make_package(tmp_path, only=("enterprises",), name="上街区")
    assert load_package(folder).district.id == "上街区"


def test_the_loan_product_is_the_districts_own(tmp_path):
    """financing.product accepts the listed products and the district's own loan product:
    郑科贷 in a district of 郑州市 (BASE's one financing row), the loan_product that
    district.yaml declares elsewhere, and nothing else (docs/data.md, financing)."""
    assert load_package(make_package(tmp_path / "zz"))["financing"]["product"].tolist() == [
        "郑科贷"
    ]
    hefei = DISTRICT.replace("city: 郑州市", "city: 合肥市").replace(
        "province: 河南省", "province: 安徽省"
    )
    row = ["JR001", A, "徽科贷", "徽商银行", "HD001", "2025-03-20", "500", "300"]
    own = make_package(tmp_path / "hf", {"financing": [row]})
    (own / "district.yaml").write_text(hefei + "loan_product: 徽科贷\n", encoding="utf-8")
    assert load_package(own)["financing"]["product"].tolist() == ["徽科贷"]
    # Zhengzhou's product in a district of 合肥市 is not one of the allowed values
    other = make_package(tmp_path / "hf2")
    (other / "district.yaml").write_text(hefei + "loan_product: 徽科贷\n", encoding="utf-8")
    with pytest.raises(PackageInvalid) as info:
        load_package(other)
    (problem,) = info.value.report.rejects
    assert (problem.column, problem.value, problem.rule) == ("金融产品", "郑科贷", "enum")


# ---------------------------------------------------------------- workbooks read in the background


def test_a_prefetched_workbook_gives_the_same_sheets_and_the_same_error(tmp_path):
    """``xlsx.Prefetch`` reads in a thread; what it hands over (cells, or the DataError with
    its file, sheet and rule) is what reading the workbook at that point gives."""
    from innolib.load.xlsx import Prefetch, read_cells

    good = tmp_path / "技术合同登记.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "合同"
    wb.active.append(["合同编号", "成交金额（万元）"])
    wb.active.append(["C1", 12.5])
    wb.save(good)
    bad = _stray_cell_workbook(tmp_path / "企业名录.xlsx", "XFD1")
    prefetch = Prefetch({good.name: good, bad.name: bad, "企业名录.csv": tmp_path / "x.csv"})
    sheets = prefetch.cells(good, good.name)
    assert sheets["合同"].rows == [["合同编号", "成交金额（万元）"], ["C1", 12.5]]
    assert sheets["合同"].rows == read_cells(good, good.name)["合同"].rows
    with pytest.raises(DataError) as background:
        prefetch.cells(bad, bad.name)
    with pytest.raises(DataError) as direct:
        read_cells(bad, bad.name)
    fields = ("file", "sheet", "rule", "value")
    assert [getattr(background.value, f) for f in fields] == [
        getattr(direct.value, f) for f in fields
    ]
    assert background.value.rule == "sheet_too_large" and background.value.file == bad.name
    assert str(background.value) == str(direct.value)
    # a CSV is never prefetched, and a workbook is handed over once
    assert prefetch.cells(tmp_path / "x.csv", "企业名录.csv") is None
    assert prefetch.cells(good, good.name) is None


def test_importing_the_loader_does_not_import_pandas():
    """``load_package`` starts reading workbooks before pandas, pandera and the parsers are
    imported; that only helps while ``import innolib.load`` stays light."""
    import subprocess
    import sys

    code = (
        "import sys, innolib.load; from innolib.load import load_package; "
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'pandera') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "[]", run.stderr


def test_a_parquet_file_read_ahead_fails_where_and_as_a_read_in_turn_would(tmp_path):
    """The next table's Parquet files are read in the background (``parse.ReadAhead``); a
    damaged one is still reported when its table's turn comes: a DataError naming the file
    (rule ``unreadable``), not an error from another thread, and nothing before it changes."""
    from innolib.load.parse import ReadAhead

    folder = make_package(tmp_path, only=("enterprises",))
    (folder / "tech_contracts.parquet").write_bytes(b"PAR1 not really a parquet file PAR1")
    with pytest.raises(DataError) as read_ahead:
        load_package(folder)
    assert read_ahead.value.file == "tech_contracts.parquet"
    assert read_ahead.value.rule == "unreadable"
    ahead = ReadAhead()
    broken = folder / "tech_contracts.parquet"
    from innolib.load.files import Source

    ahead.start([Source("tech_contracts", broken.name, "", "parquet", None, path=broken)])
    with pytest.raises(Exception) as background:
        ahead.table(broken)
    with pytest.raises(Exception) as direct:
        ReadAhead().table(broken)
    assert type(background.value) is type(direct.value)
    assert str(background.value) == str(direct.value)
