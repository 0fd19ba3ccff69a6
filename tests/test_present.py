"""The presentation layer: numbers, the change rule, markers and the table renderer.

Every expected text is worked out by hand from the rule it pins (comments give the
arithmetic); none is copied from the code's output.
"""

from __future__ import annotations

import datetime as dt

import pytest

from innolib.disclosure import FOOTNOTE, SUPPRESSED
from innolib.indicators import IndicatorSet, IndicatorValue
from innolib.package import District
from innolib.periods import parse_period
from innolib.present import (
    change_cell,
    change_of,
    change_phrase,
    format_change,
    format_count,
    format_money,
    format_number,
    format_rate,
    format_value,
    indicator_table,
    legend,
    marker,
    money_scale,
    rate_cell,
    scaled_money_cell,
    table_number,
)
from innolib.present.tables import display_width

# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    "value, style, expected",
    [
        (44987, "about", "约4.5亿元"),  # 4.4987亿 rounds to 4.5
        (47312, "floor", "4.7亿余元"),  # 4.7312亿 cut to 4.7, something cut: 余
        (28450, "floor", "2.8亿余元"),
        (28999.9, "floor", "2.8亿余元"),
        (47000, "floor", "4.7亿元"),  # nothing cut: no 余
        (836, "exact", "836万元"),
        (836, "about", "约840万元"),  # two significant figures below 1亿
        (836, "floor", "830余万元"),
        (47312, "exact", "4.73亿元"),
        (9999.6, "about", "约1亿元"),
        (120000, "exact", "12亿元"),
    ],
)
def test_money_is_written_as_the_bulletin_writes_it(value, style, expected):
    assert format_money(value, style) == expected


def test_money_in_english_is_written_in_millions():
    assert format_money(44987, "about", "en") == "about CNY 450 million"
    assert format_money(47312, "floor", "en") == "over CNY 470 million"
    assert format_money(836, "exact", "en") == "CNY 8.36 million"


def test_counts_rates_and_changes():
    assert format_count(17, "家") == "17家"
    assert format_count(2, "批", numerals=True) == "两批"
    assert format_count(1, "项", numerals=True) == "一项"
    assert format_count(12, "家", numerals=True) == "12家"  # only 1-10 in words
    assert format_rate(58.97, 0) == "59%"
    assert format_rate(58.5, 0) == "59%"  # half up, as docs/indicators.md's 58.5 ≤ x < 59.5
    assert format_rate(58.44, 1) == "58.4%"
    assert format_change(12.34, "pct") == "同比增长12.3%"
    assert format_change(-4.06, "pct") == "同比下降4.1%"
    assert format_change(3.2, "pp") == "较上年提高3.2个百分点"
    assert format_change(-0.04, "pct") == "与上年持平"
    assert format_change(3.87, "pp", "en") == "up 3.9 percentage points"


def test_rates_in_prose_round_to_a_tenth_and_drop_a_trailing_zero():
    assert format_rate(58.97) == "59%"  # 58.97 -> 59.0 -> 59
    assert format_rate(58.94) == "58.9%"
    assert format_rate(58.95) == "59%"  # half up on the decimal value, not on the binary float


@pytest.mark.parametrize(
    "value, unit, lang, expected",
    [
        (58.97, "%", "zh", "59.0"),  # the same 0.1 step as the prose
        (58.95, "%", "zh", "59.0"),  # half up
        (0.04, "%", "zh", "0.0"),
        (45026.97, "万元", "zh", "45,027.0"),  # 0.1万元
        (45026.97, "万元", "en", "450.27"),  # CNY million: 45,026.97 / 100, two decimals
        (9.995, "万元", "en", "0.10"),  # 0.09995 million -> 0.10
        (1234, "家", "zh", "1,234"),
        (17, "家", "en", "17"),
    ],
)
def test_table_cells_use_one_step_per_kind(value, unit, lang, expected):
    assert table_number(value, unit, lang) == expected


# --------------------------------------------------------------------------- the change rule


@pytest.mark.parametrize(
    "unit, value, previous, kind, amount, zh, en",
    [
        # a rate: points. 58.97 - 55.26 = 3.71 -> 3.7
        ("%", 58.97, 55.26, "pp", 3.71, "+3.7个百分点", "+3.7 pp"),
        # a count under 10 a year earlier: the difference (2 - 1 = +1), never +100%
        ("家", 2, 1, "abs", 1, "+1家", "+1"),
        ("次", 1, 2, "abs", -1, "-1次", "-1"),
        ("项", 0, 9, "abs", -9, "-9项", "-9"),
        # from 10 up, the percent: (11 - 12) / 12 = -8.33%
        ("家", 11, 12, "pct", -100 / 12, "-8.3%", "-8.3%"),
        ("家", 10, 10, "pct", 0.0, "持平", "unchanged"),
        ("家", 5, 5, "abs", 0, "持平", "unchanged"),
        # money: the percent, (47,386.39 - 41,620.03) / 41,620.03 = 13.855%
        ("万元", 47386.39, 41620.03, "pct", 5766.36 / 41620.03 * 100, "+13.9%", "+13.9%"),
        # money after nothing: the difference (500万元 = CNY 5.00 million)
        ("万元", 500, 0, "abs", 500, "+500.0万元", "+5.00"),
    ],
)
def test_the_change_rule_by_kind(unit, value, previous, kind, amount, zh, en):
    change = change_of(unit, value, previous)
    assert change.kind == kind and change.amount == pytest.approx(amount)
    assert change_cell(change, "zh") == zh
    assert change_cell(change, "en") == en


def test_no_change_without_both_values():
    assert change_of("家", 5, None) is None
    assert change_of("万元", None, 3.0) is None
    assert change_cell(None) is None


def test_changes_in_prose():
    assert format_change(12.34, "pct") == "同比增长12.3%"
    assert format_change(-4.06, "pct") == "同比下降4.1%"
    assert format_change(3.2, "pp") == "较上年提高3.2个百分点"
    assert format_change(-0.04, "pct") == "与上年持平"
    assert format_change(3.87, "pp", "en") == "up 3.9 percentage points"


@pytest.mark.parametrize(
    "unit, value, previous, zh, en",
    [
        # a count 10 or more a year earlier: the percent, (106 - 98) / 98 = 8.16% -> 8.2%
        ("家", 106, 98, "同比增长8.2%", "up 8.2% year on year"),
        # (95 - 98) / 98 = -3.06% -> 3.1%
        ("家", 95, 98, "同比下降3.1%", "down 3.1% year on year"),
        # under 10 a year earlier: the difference, 7 - 5 = 2; 3 - 9 = -6
        ("家", 7, 5, "较上年增加2家", "2 more than a year earlier"),
        ("项", 3, 9, "较上年减少6项", "6 fewer than a year earlier"),
        ("家", 5, 5, "与上年持平", "unchanged year on year"),
        # 10 after 10: the percent, 0 -> 持平
        ("项", 10, 10, "与上年持平", "unchanged year on year"),
        # money after nothing: the difference, 500万元 (CNY 5 million)
        ("万元", 500.0, 0.0, "较上年增加500万元", "CNY 5 million more than a year earlier"),
        # money: (836 - 1000) / 1000 = -16.4%
        ("万元", 836.0, 1000.0, "同比下降16.4%", "down 16.4% year on year"),
        # a rate: points, 50.0 - 52.3 = -2.3
        ("%", 50.0, 52.3, "较上年下降2.3个百分点", "down 2.3 percentage points"),
    ],
)
def test_every_change_in_prose_by_the_rule(unit, value, previous, zh, en):
    change = change_of(unit, value, previous)
    assert change_phrase(change) == zh
    assert change_phrase(change, "en") == en


def test_no_change_phrase_without_a_change():
    assert change_phrase(change_of("家", 10, None)) is None


def test_values_for_titles_and_labels_beside_bars():
    # a title writes prose: 47350万元 -> 4.735亿 -> 4.74亿元; 10000万元 is 1亿元 exactly
    assert format_value(47350.0, "万元") == "4.74亿元"
    assert format_value(10000.0, "万元") == "1亿元"
    assert format_value(15000.0, "万元") == "1.5亿元"
    assert format_value(58.97, "%") == "59%"
    assert format_value(106, "家") == "106家"
    assert format_value(1234, "家", "en", "enterprises") == "1,234 enterprises"
    # a label beside a bar keeps the table's decimal: 20 -> 20.0%, 38.129 -> 38.1%
    assert rate_cell(20) == "20.0%" and rate_cell(100 * 106 / 278) == "38.1%"
    # a sum already in the axis unit: two decimals below 100, whole with separators above
    assert scaled_money_cell(4.735) == "4.74" and scaled_money_cell(2860) == "2,860"
    assert format_number(0.7, 2, fixed=True) == "0.70" and format_number(0.5, 2) == "0.5"
    assert format_number(3.0, 2) == "3"


def test_ranks_in_chinese_numerals_to_nineteen_then_digits():
    from innolib.present import rank_word

    assert [rank_word(n) for n in (1, 2, 10, 11, 19, 20)] == [
        "一",
        "二",
        "十",
        "十一",
        "十九",
        "20",
    ]
    assert rank_word(2, "en") == "2nd" and rank_word(111, "en") == "111th"


def test_a_money_axis_is_in_yi_from_one_yi_up_and_in_cny_million_in_english():
    assert money_scale([900.0, 9999.0]) == (1.0, "万元")
    assert money_scale([900.0, float("nan"), 10000.0]) == (10000.0, "亿元")
    assert money_scale([], "zh") == (1.0, "万元")
    assert money_scale([47350.0], "en") == (100.0, "CNY million")


# --------------------------------------------------------------------------- markers


def test_one_marker_each_with_its_legend():
    assert marker("no_data") == "无数据" and marker("no_data", "en") == "n/a"
    assert marker("suppressed") == marker("suppressed", "en") == "—"
    assert marker("suppressed") == SUPPRESSED  # disclosure control shows the same marker
    assert legend("suppressed") == FOOTNOTE[0] and "少于3家" in FOOTNOTE[0]
    assert "85%" in FOOTNOTE[1] and "Statistics Law" in FOOTNOTE[1]
    assert "不是零" in legend("no_data") and "not zero" in legend("no_data", "en")
    with pytest.raises(ValueError):
        marker("zero")


# --------------------------------------------------------------------------- the table renderer


def _result(cutoff: dt.date | None = None) -> IndicatorSet:
    district = District(
        id="demo",
        code="410106",
        name="示范区",
        city="郑州市",
        province="河南省",
        towns=("甲镇",),
        cutoff=cutoff,
    )
    period = parse_period("2025").clip(cutoff)
    values = [
        IndicatorValue("hnte.valid", 106, "家", "stock", "ok", 98, 8.163265, "%"),
        IndicatorValue("rd.expenditure", 45027.04, "万元", "annual", "ok", 41930.0, 7.386, "%"),
        IndicatorValue("rd.coverage_industrial", 58.974, "%", "annual", "ok", 55.263, 3.711, "pp"),
        IndicatorValue("platforms.national", 2, "家", "stock", "ok", 1, 100.0, "%"),
        IndicatorValue("contracts.amount", None, "万元", "flow", "no_data"),
        IndicatorValue("finance.resolved", None, "万元", "flow", "suppressed"),
    ]
    return IndicatorSet(district=district, period=period, values={v.id: v for v in values})


def test_table_cells_markers_and_sections():
    table = indicator_table(_result())
    cells = {r.id: r.cells for r in table.rows if not r.is_section}
    # 106 after 98 (>= 10): (106 - 98) / 98 = 8.16% -> +8.2%
    assert cells["hnte.valid"] == ("有效期内高新技术企业", "家", "106", "98", "+8.2%")
    assert cells["rd.expenditure"][2:] == ("45,027.0", "41,930.0", "+7.4%")
    # 58.974 -> 59.0; 55.263 -> 55.3; 3.711 points -> 3.7
    assert cells["rd.coverage_industrial"][2:] == ("59.0", "55.3", "+3.7个百分点")
    assert cells["platforms.national"][2:] == ("2", "1", "+1家")  # 1 a year earlier: +1
    assert cells["contracts.amount"][2:] == ("无数据", "无数据", "无数据")
    assert cells["finance.resolved"][2:] == ("—", "—", "—")
    sections = [r.cells[0] for r in table.rows if r.is_section]
    assert sections == [
        "一、创新型企业成长生态圈",
        "二、产学研用协同创新生态链",
        "三、科技成果转移转化服务体系",
    ]
    assert table.header == ("指标", "单位", "本期", "上年同期", "同比")
    assert table.title == "示范区 2025年全年（2025-01-01至2025-12-31）主要指标"
    # the units note, then the legend of each marker the table shows
    assert table.notes[1:] == [legend("no_data"), legend("suppressed")]


def test_a_table_prints_only_the_legends_of_the_markers_it_shows():
    table = indicator_table(_result(), ids=["hnte.valid", "rd.expenditure"])
    assert len(table.notes) == 1 and "万元" in table.notes[0]
    table = indicator_table(_result(), section=2)
    assert [r.id for r in table.rows] == [None, "platforms.national"]


def test_headline_and_circulated_selection():
    table = indicator_table(_result(), headline=True, omit_no_data=True)
    ids = [r.id for r in table.rows if not r.is_section]
    # contracts.amount has no data; rd.coverage_industrial, finance.resolved are headline
    assert "contracts.amount" not in ids and "finance.resolved" in ids and "hnte.valid" in ids


def test_text_renderer_lines_up_and_indents_indicators():
    text = indicator_table(_result()).text()
    lines = text.splitlines()
    assert lines[0] == "示范区 2025年全年（2025-01-01至2025-12-31）主要指标"
    grid = [line for line in lines[1:] if not line.startswith(("注", "一", "二", "三"))]
    # header, rule and indicator rows end at one display column (numbers right-aligned)
    assert len({display_width(line) for line in grid}) == 1
    row = next(line for line in lines if "有效期内高新技术企业" in line)
    assert row.startswith("  有效期内高新技术企业") and row.endswith("+8.2%")
    assert "一、创新型企业成长生态圈" in lines


def test_markdown_renderer():
    md = indicator_table(_result(), title="主要指标").markdown()
    assert md.startswith("**主要指标**\n\n| 指标 | 单位 | 本期 | 上年同期 | 同比 |\n")
    assert "| 有效期内高新技术企业 | 家 | 106 | 98 | +8.2% |" in md
    assert "| **一、创新型企业成长生态圈** |  |  |  |  |" in md
    assert md.endswith(legend("suppressed"))


def test_frame_is_indexed_by_id_without_section_rows():
    frame = indicator_table(_result(), section=1).frame()
    assert frame.index.tolist() == ["hnte.valid", "rd.expenditure", "rd.coverage_industrial"]
    assert frame.loc["rd.coverage_industrial", "本期"] == "59.0"


def test_english_table_writes_money_in_cny_million():
    table = indicator_table(_result(), lang="en")
    cells = {r.id: r.cells for r in table.rows if not r.is_section}
    assert table.header == ("Indicator", "Unit", "Value", "Year earlier", "YoY")
    # 45,027.04万元 = CNY 450.2704 million -> 450.27
    assert cells["rd.expenditure"][1:] == ("CNY million", "450.27", "419.30", "+7.4%")
    assert cells["hnte.valid"][1] == "enterprises" and cells["contracts.amount"][2] == "n/a"


def test_a_clipped_period_says_so_under_the_table():
    table = indicator_table(_result(cutoff=dt.date(2025, 10, 31)))
    assert table.notes[-1] == "注：数据截止日期2025年10月31日，本期按截止日期计算。"
    assert "2025-10-31" in table.title
    assert not any("截止" in n for n in indicator_table(_result(), cutoff_note=False).notes)


def test_a_withheld_last_year_shows_the_suppressed_marker_not_no_data():
    result = _result()
    # this year's total passes disclosure control, last year's did not: previous withheld
    result.values["contracts.amount"] = IndicatorValue(
        "contracts.amount", 47386.39, "万元", "flow", "ok", previous_status="suppressed"
    )
    table = indicator_table(result, ids=["contracts.amount"])
    assert table.rows[1].cells[2:] == ("47,386.4", "—", "—")
    assert table.notes[1:] == [legend("suppressed")]


def test_a_part_year_change_is_against_the_same_period_of_last_year():
    # docs/prose.md: a full year compares with 上年, a half/quarter/months with 上年同期
    assert format_change(3.2, "pp", same_period=True) == "较上年同期提高3.2个百分点"
    assert format_change(0.01, "pp", same_period=True) == "与上年同期持平"
    assert format_change(12.34, "pct", same_period=True) == "同比增长12.3%"  # 同比 says it
    two_more = change_of("家", 7, 5)  # 5 < 10 a year earlier: the difference, 2
    assert change_phrase(two_more, same_period=True) == "较上年同期增加2家"
    assert change_phrase(two_more) == "较上年增加2家"
    assert change_phrase(two_more, "en", same_period=True) == (
        "2 more than the same period a year earlier"
    )
