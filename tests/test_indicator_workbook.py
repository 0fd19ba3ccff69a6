"""indicators.xlsx: the indicator table for people, worked out by hand from a small result."""

from __future__ import annotations

from openpyxl import load_workbook

from innolib.indicator_workbook import write_indicators_xlsx
from innolib.indicators.results import IndicatorSet, IndicatorValue
from innolib.package import District
from innolib.periods import parse_period


def _result(name: str = "某区") -> IndicatorSet:
    district = District("x", "410106", name, "郑州市", "河南省", ("峡窝镇",))
    values = [
        IndicatorValue("hnte.valid", 106, "家", "stock", "ok", previous=101),
        IndicatorValue("rd.expenditure", 45027.04, "万元", "annual", "ok", previous=41929.93),
        IndicatorValue("rd.coverage_industrial", 58.97, "%", "annual", "ok", previous=55.26),
        IndicatorValue("contracts.amount", None, "万元", "flow", "suppressed"),
        IndicatorValue("finance.resolved", None, "万元", "flow", "no_data"),
    ]
    return IndicatorSet(district, parse_period("2025"), {v.id: v for v in values})


def _rows(path):
    sheet = load_workbook(path).active
    return sheet, {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}


def test_numbers_are_rounded_as_the_bulletin_with_formats_and_markers(tmp_path):
    sheet, rows = _rows(write_indicators_xlsx(_result(), tmp_path / "indicators.xlsx"))
    title = sheet["A1"].value
    assert title.startswith("某区 2025年全年（2025-01-01至2025-12-31）主要指标")
    assert title.endswith("（金额单位：万元；比率单位：%）")
    assert [c.value for c in sheet[2]] == ["指标", "单位", "本期", "上年同期", "同比"]
    assert sheet.freeze_panes == "A3"
    hnte = rows["有效期内高新技术企业"]
    # 106 after 101: +4.95% → +5.0%; counts whole, no decimals
    assert [c.value for c in hnte] == ["有效期内高新技术企业", "家", 106, 101, "+5.0%"]
    assert hnte[2].number_format == "#,##0"
    assert hnte[4].data_type == "s" and hnte[4].quotePrefix  # "+5.0%" text, never a formula
    rd = rows["“四上”企业研发经费支出"]
    # 45027.04 → 45,027.0 万元; 41929.93 → 41,929.9; 45027.04/41929.93 − 1 = 7.39% → +7.4%
    assert [c.value for c in rd[1:]] == ["万元", 45027.0, 41929.9, "+7.4%"]
    assert rd[2].number_format == "#,##0.0"
    coverage = rows["规上工业企业研发活动覆盖率"]
    # 58.97 → 59.0, 55.26 → 55.3, 58.97 − 55.26 = 3.71 points → +3.7个百分点
    assert [c.value for c in coverage[2:]] == [59.0, 55.3, "+3.7个百分点"]
    assert coverage[2].number_format == "0.0"
    assert [c.value for c in rows["登记技术合同成交总金额"][2:]] == ["—", "—", "—"]
    assert [c.value for c in rows["协调解决融资需求"][2:]] == ["无数据", "无数据", "无数据"]
    notes = [r[0].value for r in sheet.iter_rows(min_row=3) if str(r[0].value).startswith("注：")]
    assert any("“无数据”表示" in n for n in notes) and any("“—”表示" in n for n in notes)
    widest = sheet.column_dimensions["A"].width
    assert widest >= 2 * len("规上工业企业研发活动覆盖率")  # Chinese counted double width


def test_english_money_is_cny_million_and_text_from_data_never_runs(tmp_path):
    zh = load_workbook(write_indicators_xlsx(_result("=1+1区"), tmp_path / "zh.xlsx")).active
    assert zh["A1"].value.startswith("=1+1区 2025年")  # the name unchanged, as text
    assert zh["A1"].data_type == "s" and zh["A1"].quotePrefix
    path = write_indicators_xlsx(_result(), tmp_path / "en.xlsx", lang="en")
    sheet = load_workbook(path).active
    assert sheet["A1"].value.endswith("(money in CNY million; rates in %)")
    money = next(r for r in sheet.iter_rows(min_row=3) if r[2].value == 450.27)
    # 45027.04 万元 = 450.2704 CNY million → 450.27
    assert money[2].number_format == "#,##0.00" and money[3].value == 419.3
