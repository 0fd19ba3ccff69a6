"""Comparisons with published statistics and the composite index, worked by hand."""

import math
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from innolib.comparisons import (
    ComparisonDef,
    compare,
    comparison_narrative,
    comparison_table,
    composite_index,
    index_sensitivity,
    load_comparison_spec,
    load_index_spec,
    scale_inputs,
    unit_denominators,
)
from innolib.errors import DataError
from innolib.package import District, Package
from innolib.periods import parse_period
from innolib.reference import load_reference, to_unit

HEADER = "scope,year,indicator,value,unit,status,note,source,source_kind\n"
ROWS = """\
甲市,2023,技术合同成交额,400,亿元,published,,甲市统计公报2023,official
甲市,2024,技术合同成交额,500,亿元,published,,甲市统计公报2024,official
乙省,2023,技术合同成交额,1900,亿元,published,,乙省公报2023,repost
乙省,2024,技术合同成交额,2000,亿元,published,,乙省公报2024,repost
乙省,2024,技术合同成交额增长率,10,%,published,,乙省公报2024,repost
甲市,2023,高新技术企业,800,家,published,,甲市科技局2023,press
甲市,2024,高新技术企业,999,家,forecast,将突破,甲市报道,press
甲市,2024,R&D投入强度,2.5,%,published,,甲市公报2024,official
甲市,2017,规上工业研发活动覆盖率,26.4,%,published,,甲市分析2017,weak
乙省,2023,企业R&D经费,100,亿元,published,,乙省公报2023,press
乙省,2024,企业R&D经费,110,亿元,preliminary,,乙省快报2024,press
"""


@pytest.fixture
def reference(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return load_reference(path)


DISTRICT = District(
    id="t", code="410100", name="丙区", city="甲市", province="乙省", towns=("东镇", "西街道")
)
SHARE = ComparisonDef(
    "c.share", "share", "contracts.amount", "技术合同成交额", "技术合同成交额", ("city", "province")
)
GROWTH = ComparisonDef(
    "c.growth",
    "growth",
    "contracts.amount",
    "技术合同成交额",
    "技术合同成交额增速",
    ("city", "province"),
)
HNTE = ComparisonDef("h.share", "share", "hnte.valid", "高新技术企业", "高新技术企业", ("city",))
NOT_COMP = ComparisonDef(
    "rd.int",
    "level",
    "rd.expenditure",
    "R&D投入强度",
    "研发投入强度",
    ("city",),
    definition="different",
    reason="口径不同，不可比",
)
SIMILAR = ComparisonDef(
    "rd.growth",
    "growth",
    "rd.expenditure",
    "企业R&D经费",
    "企业研发经费增速",
    ("province",),
    definition="similar",
    reason="“四上”企业对各类企业，口径相近",
)
COVERAGE = ComparisonDef(
    "cov", "level", "rd.coverage_industrial", "规上工业研发活动覆盖率", "覆盖率", ("city",)
)


def contracts(value, previous):
    return {
        "contracts.amount": NS(
            value=value, previous=previous, unit="万元", kind="flow", status="ok"
        )
    }


def test_shares_convert_yi_to_wan_and_growth_against_two_series(reference):
    # 2024: district 1亿元 (10000万元), previous 6250万元 → growth 60%
    t = compare(
        DISTRICT, parse_period("2024"), contracts(10000.0, 6250.0), reference, spec=[SHARE, GROWTH]
    )
    t = t.set_index(["comparison", "scope"])
    city, prov = t.loc[("c.share", "city")], t.loc[("c.share", "province")]
    # the reference stays as published (500亿元); the share converts it: 1亿 / 500亿
    assert city["reference_value"] == pytest.approx(500.0) and city["reference_unit"] == "亿元"
    assert city["result"] == pytest.approx(0.2) and city["result_unit"] == "%"  # 1 / 500
    assert prov["result"] == pytest.approx(0.05)  # 1 / 2000
    g_city, g_prov = t.loc[("c.growth", "city")], t.loc[("c.growth", "province")]
    assert g_city["district_value"] == pytest.approx(60.0)
    assert g_city["reference_value"] == pytest.approx(25.0)  # 500 / 400 − 1, computed from levels
    assert g_city["reference_status"] == "derived"
    assert g_city["result"] == pytest.approx(35.0) and g_city["result_unit"] == "pp"
    assert g_prov["reference_value"] == pytest.approx(
        10.0
    )  # the published growth row wins over 2000/1900
    assert g_prov["result"] == pytest.approx(50.0)
    assert (t["status"] == "ok").all()


def test_footnote_names_both_sources_and_the_reference_year_when_it_differs(reference):
    same = compare(
        DISTRICT, parse_period("2024"), contracts(10000.0, 6250.0), reference, spec=[SHARE]
    )
    foot = same.set_index("scope").loc["city", "footnote"]
    assert "丙区科技局技术合同登记" in foot and "甲市统计公报2024" in foot
    assert "甲市2024年正式数（统计部门官方发布）" in foot and "乙省" not in foot
    assert "按" not in foot  # the period's own year: nothing to explain
    prov = same.set_index("scope").loc["province", "footnote"]
    assert "乙省2024年正式数（官方公报转载）：乙省公报2024" in prov


def test_forecasts_are_skipped_unless_allowed(reference):
    vals = {"hnte.valid": NS(value=20, previous=18, unit="家", kind="stock", status="ok")}
    hist = {2023: {"hnte.valid": NS(value=18, previous=15, unit="家", kind="stock", status="ok")}}
    t = compare(DISTRICT, parse_period("2024"), vals, reference, history=hist, spec=[HNTE])
    t = t.iloc[0]
    # the city's 2024 is a forecast: both sides at 2023, 18 / 800
    assert (t["year"], t["district_value"], t["result"]) == (2023, 18, pytest.approx(2.25))
    t = compare(
        DISTRICT, parse_period("2024"), vals, reference, spec=[HNTE], allow_forecast=True
    ).iloc[0]
    assert t["reference_year"] == 2024 and "预计数" in t["footnote"]


def test_not_comparable_when_definitions_differ(reference):
    vals = {
        "rd.expenditure": NS(
            value=45000.0, previous=40000.0, unit="万元", kind="annual", status="ok"
        )
    }
    row = compare(DISTRICT, parse_period("2024"), vals, reference, spec=[NOT_COMP]).iloc[0]
    assert row["status"] == "different_definition" and math.isnan(row["result"])
    assert "口径不同" in row["footnote"] and "甲市公报2024" in row["footnote"]
    assert comparison_table(pd.DataFrame([row]))["状态"].item() == "口径不同"
    # the shipped declarations: district R&D of 四上 enterprises vs R&D intensity over GDP
    shipped = {c.id: c for c in load_comparison_spec()}
    assert shipped["rd.intensity"].definition == "different"
    assert shipped["rd.growth"].definition == "similar"
    t = compare(DISTRICT, parse_period("2024"), vals, reference, spec=[shipped["rd.intensity"]])
    assert t.set_index("scope").loc["city", "status"] == "different_definition"


def test_part_year_flow_is_not_compared_with_annual_figures(reference):
    t = compare(
        DISTRICT, parse_period("2024H1"), contracts(4000.0, 3000.0), reference, spec=[SHARE]
    )
    assert (t["status"] == "part_year").all() and "上半年" in t["footnote"].iloc[0]
    clipped = parse_period("2024").clip(
        __import__("datetime").date(2024, 10, 31)
    )  # a cutoff clips the year
    t = compare(DISTRICT, clipped, contracts(4000.0, 3000.0), reference, spec=[SHARE])
    assert (t["status"] == "part_year").all() and "截至10月31日" in t["footnote"].iloc[0]
    assert t["result"].isna().all()


def test_no_reference_and_no_data(reference):
    t = compare(DISTRICT, parse_period("2022"), contracts(1.0, 1.0), reference, spec=[SHARE])
    assert (t["status"] == "no_reference").all()  # nothing published before 2023
    t = compare(DISTRICT, parse_period("2024"), {}, reference, spec=[SHARE])
    assert (t["status"] == "no_data").all()


def test_reference_loader_reports_row_column_rule(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "甲市,2024,技术合同成交额,500,亿元,published,,x,press\n"
        "甲市,2024,高企,1,家,guess,,y,press\n"
        "甲市,24,高企2,一百,家,published,,z,rumour\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_reference(path)
    text = str(err.value)
    assert "bad.csv第3行，列“status”，值“guess”" in text and "row 3, column status" in text
    assert "第4行，列“year”" in text and "第4行，列“value”，值“一百”" in text
    assert "第4行，列“source_kind”，值“rumour”" in text


def test_every_shipped_reference_row_has_a_source_a_status_a_unit_and_a_kind_of_source():
    ref = load_reference()
    for column in ("source", "status", "unit", "source_kind"):
        assert (ref[column].str.strip() != "").all(), column
    assert set(ref["status"]) <= {"published", "preliminary", "derived", "forecast"}
    assert set(ref["source_kind"]) <= {"official", "repost", "press", "weak"}
    # the refreshed table: the 2021 national R&D is the final figure, no longer the preliminary
    nat = ref[(ref["scope"] == "全国") & (ref["year"] == 2021) & (ref["indicator"] == "R&D经费")]
    assert nat["value"].item() == pytest.approx(27956.3) and nat["status"].item() == "published"


def test_a_row_without_a_source_kind_is_refused(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text(HEADER + "甲市,2024,技术合同成交额,500,亿元,published,,x,\n", encoding="utf-8")
    with pytest.raises(DataError, match="source_kind"):
        load_reference(path)


# ----------------------------------------------------------------------------- honest years


def test_a_reference_of_a_different_year_is_shown_but_never_compared(reference):
    # the district's 2025 coverage (59%) against the city's only figure, 2017's 26.4%:
    # no common year, so no result, and nothing in the prose
    vals = {
        "rd.coverage_industrial": NS(
            value=59.0, previous=55.0, unit="%", kind="annual", status="ok"
        )
    }
    t = compare(DISTRICT, parse_period("2025"), vals, reference, spec=[COVERAGE])
    row = t.iloc[0]
    assert row["status"] == "different_year" and math.isnan(row["result"])
    assert pd.isna(row["year"]) and row["reference_year"] == 2017 and row["district_value"] == 59.0
    assert "参照年份不同（甲市为2017年）" in row["footnote"]
    assert "（弱来源，未经复核）：甲市分析2017" in row["footnote"]
    assert comparison_table(t)["状态"].item() == "参照年份不同（甲市为2017年）"
    shown = comparison_table(t)
    assert shown["比较年份"].item() == "" and shown["结果"].item() == ""
    assert (shown["本区"].item(), shown["参照值"].item()) == ("59.0", "26.4")
    text = comparison_narrative(t, None, district=DISTRICT, period=parse_period("2025"))
    assert text == ""


def test_latest_common_year_when_the_reference_lacks_the_period(reference):
    # 2025: the city and the province publish up to 2024, so the district's 2024 (8000万元)
    # is compared with their 2024: 8000 / 5,000,000 = 0.16%, 8000 / 20,000,000 = 0.04%
    hist = {2024: contracts(8000.0, 6400.0), 2023: contracts(6400.0, 5000.0)}
    t = compare(
        DISTRICT,
        parse_period("2025"),
        contracts(12000.0, 8000.0),
        reference,
        history=hist,
        spec=[SHARE, GROWTH],
    ).set_index(["comparison", "scope"])
    city = t.loc[("c.share", "city")]
    assert (city["year"], city["district_year"], city["reference_year"]) == (2024, 2024, 2024)
    assert city["district_value"] == 8000.0 and city["result"] == pytest.approx(0.16)
    assert city["status"] == "ok" and "按2024年比较（甲市无2025年数据）" in city["footnote"]
    assert "本区2024年：丙区科技局技术合同登记" in city["footnote"]
    assert t.loc[("c.share", "province"), "result"] == pytest.approx(0.04)
    # growth of the same years: the district's 2024 growth 8000/6400 − 1 = 25% against the
    # city's 2024 growth 500/400 − 1 = 25% (0 pp) and the province's published 10% (15 pp)
    g_city, g_prov = t.loc[("c.growth", "city")], t.loc[("c.growth", "province")]
    assert g_city["year"] == 2024 and g_city["district_value"] == pytest.approx(25.0)
    assert g_city["result"] == pytest.approx(0.0)
    assert g_prov["reference_value"] == pytest.approx(10.0) and g_prov["result"] == pytest.approx(
        15.0
    )
    assert "由2023年400亿元（正式数）、2024年500亿元（正式数）计算" in g_city["footnote"]
    text = comparison_narrative(
        t.reset_index(), None, district=DISTRICT, period=parse_period("2025")
    )
    # the bulletin's prose rule (innolib.present): one decimal, a trailing .0 dropped (25%, 15)
    assert text == (
        "丙区与上级公开统计数据比较（双方取同一年份）：2024年技术合同成交额8000万元，"
        "分别占全市、全省的0.16%、0.04%；技术合同成交额同比增长25%，"
        "增速与全市（25%）持平、高于全省（10%）15个百分点。"
    )


def test_growth_is_compared_only_with_growth_of_the_same_years(reference):
    # the city's growth exists for 2024 only (levels 2023 and 2024); the district has 2025
    # and no history: its 2025 growth is never set against the city's 2024 growth
    t = compare(
        DISTRICT, parse_period("2025"), contracts(12000.0, 8000.0), reference, spec=[GROWTH]
    )
    assert (t["status"] == "different_year").all() and t["result"].isna().all()
    assert t.set_index("scope").loc["city", "district_value"] == pytest.approx(50.0)


def test_a_similar_definition_is_shown_but_never_written_as_a_difference(reference):
    # district 四上 R&D 2024: 45000 on 40000 = +12.5%; the province's 企业R&D经费 2024:
    # 110 on 100 = +10% (from a preliminary 2024 figure): 2.5 pp, 口径相近
    vals = {
        "rd.expenditure": NS(
            value=45000.0, previous=40000.0, unit="万元", kind="annual", status="ok"
        )
    }
    t = compare(DISTRICT, parse_period("2024"), vals, reference, spec=[SIMILAR])
    row = t.iloc[0]
    assert row["status"] == "similar_definition" and row["year"] == 2024
    assert row["result"] == pytest.approx(2.5) and row["reference_status"] == "derived"
    assert "口径相近" in row["footnote"] and "初步数" in row["footnote"]
    assert comparison_table(t)["状态"].item() == "口径相近"
    assert comparison_narrative(t, None, district=DISTRICT, period=parse_period("2024")) == ""


def test_shipped_reference_and_declarations_load():
    ref = load_reference()
    assert len(ref) > 100 and set(ref["status"]) <= {
        "published",
        "preliminary",
        "derived",
        "forecast",
    }
    zz = ref[
        (ref["scope"] == "郑州") & (ref["indicator"] == "技术合同成交额") & (ref["year"] == 2024)
    ]
    assert zz["value"].item() == pytest.approx(803.66)
    assert to_unit(803.66, "亿元", "万元") == pytest.approx(8_036_600.0)
    spec = load_index_spec()
    assert spec.indicators and all(w >= 0 for _, w in spec.indicators)


# ----------------------------------------------------------------------------- index


def hand_inputs(order=None):
    """Three units, two indicators, two years (values already scaled)."""
    x = {
        ("2024", "A"): 0,
        ("2024", "B"): 20,
        ("2024", "C"): 40,
        ("2025", "A"): 100,
        ("2025", "B"): 60,
        ("2025", "C"): 20,
    }
    y = {
        ("2024", "A"): 5,
        ("2024", "B"): 5,
        ("2024", "C"): 5,
        ("2025", "A"): 1,
        ("2025", "B"): 9,
        ("2025", "C"): 7,
    }
    rows = [
        {"unit": u, "period": p, "indicator": ind, "value": float(v), "publishable": True}
        for ind, vals in (("x", x), ("y", y))
        for (p, u), v in vals.items()
    ]
    df = pd.DataFrame(rows)
    if order is not None:
        df = df.iloc[order].reset_index(drop=True)
    return df


def spec(weights=None):
    base = load_index_spec()
    from dataclasses import replace

    return replace(base, indicators=tuple((weights or {"x": 1.0, "y": 1.0}).items()))


def test_index_three_units_two_indicators_by_hand():
    r = composite_index(hand_inputs(), spec())
    s = r.scores.set_index(["period", "unit"])
    # x: min 0, max 100 over both years; y: min 1, max 9 (2024 all 5 → 0.5)
    assert s.loc[("2024", "A"), "index"] == pytest.approx((0 + 0.5) / 2)
    assert s.loc[("2024", "C"), "index"] == pytest.approx((0.4 + 0.5) / 2)
    assert s.loc[("2025", "A"), "index"] == pytest.approx((1 + 0) / 2)
    assert s.loc[("2025", "B"), "index"] == pytest.approx((0.6 + 1) / 2)
    assert s.loc[("2025", "C"), "index"] == pytest.approx((0.2 + 0.75) / 2)
    mean25 = (0.5 + 0.8 + 0.475) / 3
    assert s.loc[("2025", "B"), "relative"] == pytest.approx(100 * 0.8 / mean25)
    assert s.loc[("2025", "B"), "group"] == "leader"  # 135%
    assert s.loc[("2025", "A"), "group"] == "moderate"  # 84.5%
    assert s.loc[("2025", "C"), "group"] == "moderate"  # 80.3%
    # 2024: mean 0.35 → A 71.4% moderate, B exactly 100% strong, C 128.6% leader
    assert [s.loc[("2024", u), "group"] for u in "ABC"] == ["moderate", "strong", "leader"]
    assert r.latest()["unit"].tolist() == ["B", "A", "C"] and r.latest()["rank"].tolist() == [
        1,
        2,
        3,
    ]
    assert s.loc[("2024", "C"), "rank"] == 1


def test_index_weights_declared_change_the_mean():
    r = composite_index(hand_inputs(), spec({"x": 3.0, "y": 1.0}))
    s = r.latest().set_index("unit")
    assert s.loc["A", "index"] == pytest.approx(0.75) and s.loc["B", "index"] == pytest.approx(0.7)
    assert s.loc["C", "index"] == pytest.approx((0.6 + 0.75) / 4)
    assert [s.loc[u, "group"] for u in "ABC"] == [
        "leader",
        "strong",
        "emerging",
    ]  # 125.9%, 117.5%, 56.6%


def test_rank_table_does_not_depend_on_the_order_of_units():
    a = composite_index(hand_inputs(), spec()).scores
    shuffled = [11, 3, 7, 0, 9, 5, 1, 10, 2, 8, 4, 6]
    b = composite_index(hand_inputs(order=shuffled), spec()).scores
    pd.testing.assert_frame_equal(a, b)


def test_sensitivity_drop_one_indicator():
    sens = index_sensitivity(composite_index(hand_inputs(), spec())).set_index("unit")
    # base 2025: B 1, A 2, C 3; without x (y only): B, C, A; without y (x only): A, B, C
    assert sens.loc[["A", "B", "C"], "rank"].tolist() == [2, 1, 3]
    assert sens.loc[["A", "B", "C"], "x"].tolist() == [1, 0, -1]
    assert sens.loc[["A", "B", "C"], "y"].tolist() == [-1, 1, 0]
    assert sens["max_shift"].tolist() == [1, 1, 1]


def test_unpublishable_cell_is_left_out_of_the_circulated_index():
    inputs = hand_inputs()
    hidden = (inputs["unit"] == "A") & (inputs["period"] == "2025") & (inputs["indicator"] == "x")
    inputs.loc[hidden, "publishable"] = False
    r = composite_index(inputs, spec())
    s = r.scores.set_index(["period", "unit"])
    # x max is now 60 (B 2025): B 2025 = (1 + 1) / 2; A 2025 uses y only (0)
    assert s.loc[("2025", "B"), "index"] == pytest.approx(1.0)
    assert s.loc[("2025", "C"), "index"] == pytest.approx((20 / 60 + 0.75) / 2)
    assert (
        s.loc[("2025", "A"), "index"] == pytest.approx(0.0)
        and s.loc[("2025", "A"), "indicators_used"] == 1
    )
    assert r.notes
    internal = composite_index(inputs, spec(), circulated=False)
    assert internal.scores.set_index(["period", "unit"]).loc[
        ("2025", "A"), "index"
    ] == pytest.approx(0.5)
    assert internal.scores.attrs["internal"]


def denominator_package(population):
    ent = pd.DataFrame(
        {
            "uscc": ["E1", "E2", "E3", "E4", "E5"],
            "name": list("abcde"),
            "town": ["东镇", "东镇", "东镇", "西街道", "西街道"],
            "established": pd.to_datetime(
                ["2010-01-01", None, "2026-01-01", "2015-05-05", "2020-02-02"]
            ),
        }
    )
    d = District(
        id="t",
        code="410100",
        name="丙区",
        city="甲市",
        province="乙省",
        towns=("东镇", "西街道"),
        population=population,
    )
    return Package.from_frames(d, {"enterprises": ent})


def test_denominators_and_scaling_per_capita_else_per_100_enterprises():
    p = parse_period("2025")
    den = unit_denominators(denominator_package({"东镇": 20000, "西街道": 10000}), p).assign(
        period="2025"
    )
    assert den.set_index("unit")["enterprises"].tolist() == [
        2,
        2,
    ]  # E3 established after the period
    raw = pd.DataFrame(
        {
            "unit": ["东镇", "西街道", "东镇"],
            "period": "2025",
            "indicator": ["h", "h", "r"],
            "raw": [4.0, 1.0, 50.0],
            "unit_of_measure": ["家", "家", "%"],
        }
    )
    per_capita = scale_inputs(raw, den, load_index_spec())
    assert per_capita["value"].tolist() == pytest.approx(
        [2.0, 1.0, 50.0]
    )  # per 10,000 residents; rate kept
    assert per_capita["basis"].tolist() == ["每万常住人口", "每万常住人口", "比率"]
    den2 = unit_denominators(denominator_package({"东镇": 20000}), p).assign(period="2025")
    per_firms = scale_inputs(raw, den2, load_index_spec())
    assert per_firms["value"].tolist() == pytest.approx([200.0, 50.0, 50.0])  # per 100 enterprises
    assert per_firms["basis"].iloc[0] == "每百家企业"


def test_narrative_phrases_share_and_rank(reference):
    t = compare(
        DISTRICT, parse_period("2024"), contracts(10000.0, 6250.0), reference, spec=[SHARE, GROWTH]
    )
    r = composite_index(hand_inputs(), spec())
    text = comparison_narrative(t, r, district=DISTRICT, period=parse_period("2024"))
    # 10,000万元 exactly: 1亿元; 1亿 / 500亿 = 0.20% written 0.2% (trailing zero dropped),
    # 1亿 / 2000亿 = 0.05%
    assert "技术合同成交额1亿元，分别占全市、全省的0.2%、0.05%" in text
    # 10000 / 6250 - 1 = 60%; the city's 25%: 60 - 25 = 35 points
    assert "技术合同成交额同比增长60%，增速高于全市（25%）35个百分点" in text
    assert "B位居全区第一（创新领先型）" in text and "A位居第二" in text
    first, second = text.split("\n\n")
    assert first.endswith("。") and second.startswith("从综合创新指数看")


def index_package():
    towns = ("东镇", "西街道", "南街道")
    d = District(
        id="t",
        code="410100",
        name="丙区",
        city="甲市",
        province="乙省",
        towns=towns,
        population={"东镇": 10000, "西街道": 20000, "南街道": 30000},
    )
    ids = ["E1", "E2", "E3", "E4", "E6", "E7", "E8"]
    town = ["东镇", "东镇", "东镇", "西街道", "南街道", "南街道", "南街道"]
    ent = pd.DataFrame({"uscc": ids, "name": ids, "town": town, "sector": "先进材料"})
    certs = pd.DataFrame(
        {
            "uscc": ["E1", "E2", "E4"],
            "tier": "高新技术企业",
            "stage": "认定",
            "date": pd.to_datetime(["2024-11-01", "2023-12-01", "2022-11-01"]),
            "valid_until": pd.to_datetime(["2027-10-31", "2026-11-30", "2025-10-31"]),
        }
    )
    sellers = ["E1", "E2", "E3", "E4", "E6", "E7", "E8"]
    tc = pd.DataFrame(
        {
            "contract_id": [f"c{i}" for i in range(7)],
            "registered": pd.Timestamp("2025-06-01"),
            "uscc": sellers,
            "seller_uscc": sellers,
            "type": "技术服务",
            "amount": [100.0, 50.0, 30.0, 200.0, 100.0, 100.0, 100.0],
        }
    )
    return Package.from_frames(
        d, {"enterprises": ent, "certifications": certs, "tech_contracts": tc}
    )


def test_index_inputs_by_town_with_disclosure_control():
    from innolib.comparisons import index_inputs, index_inputs_table
    from innolib.periods import parse_periods

    inputs = index_inputs(index_package(), parse_periods("2024..2025"))
    get = inputs.set_index(["period", "unit", "indicator"])
    # 高企 in force: 2024-12-31 E1 E2 (东) and E4 (西); 2025-12-31 E4 has expired
    assert get.loc[("2024", "西街道", "hnte.valid"), "raw"] == 1
    assert get.loc[("2025", "东镇", "hnte.valid"), "value"] == pytest.approx(
        2.0
    )  # per 10,000 residents
    assert get.loc[("2025", "西街道", "hnte.valid"), "raw"] == 0
    assert get.loc[("2025", "南街道", "contracts.amount"), "value"] == pytest.approx(
        100.0
    )  # 300万元 / 3万人
    assert math.isnan(
        get.loc[("2025", "东镇", "rd.expenditure"), "raw"]
    )  # no survey: no data, not zero
    # 西街道's contracts come from one enterprise: not publishable; one more town hidden so that
    # it cannot be worked back from the district total
    contracts25 = get.xs(("2025", "contracts.amount"), level=("period", "indicator"))
    assert (
        not contracts25.loc["西街道", "publishable"]
        and contracts25.loc["西街道", "reason"] == "min_frequency"
    )
    assert (~contracts25["publishable"]).sum() == 2
    shown = index_inputs_table(inputs, "2025")
    assert shown.loc["登记技术合同成交总金额（每万常住人口）", "西街道"] == "—"
    result = composite_index(inputs)
    assert set(result.latest()["unit"]) == {"东镇", "西街道", "南街道"}
    assert any(
        "tech_sme.cumulative" in n for n in result.notes
    )  # 0 everywhere: carries no information


def test_narrative_says_tied_ranks():
    inputs = hand_inputs()
    inputs = inputs[inputs["unit"] != "C"]
    inputs.loc[inputs["unit"] == "B", "value"] = inputs.loc[
        inputs["unit"] == "A", "value"
    ].to_numpy()
    text = comparison_narrative(
        None, composite_index(inputs, spec()), district=DISTRICT, period=parse_period("2025")
    )
    assert text == "从综合创新指数看，A并列全区第一（创新强劲型），B并列第一（创新强劲型）。"


def test_index_periods_repeat_the_period_over_years():
    from innolib.comparisons import index_periods

    assert [p.label for p in index_periods(parse_period("2025Q3"), years=3)] == [
        "2023Q3",
        "2024Q3",
        "2025Q3",
    ]
    assert [p.label for p in index_periods(parse_period("2025"), years=2)] == ["2024", "2025"]


# ----------------------------------------------------------------------------- English narrative


def test_english_narrative_share_growth_and_rank(reference):
    # 2024: 1亿元 = CNY 100 million (the bulletin's English money, innolib.present); city 500亿 → 0.20%, province 2000亿 → 0.05%;
    # growth 10000/6250 − 1 = 60%: city 25% (from 400 → 500) → 35 pp above, province 10% (published) → 50;
    # written as the bulletin's prose: 0.20% → 0.2%, 60.0% → 60%, 35.0 → 35
    t = compare(
        DISTRICT, parse_period("2024"), contracts(10000.0, 6250.0), reference, spec=[SHARE, GROWTH]
    )
    r = composite_index(hand_inputs(), spec())
    text = comparison_narrative(t, r, district=DISTRICT, period=parse_period("2024"), lang="en")
    first, second = text.split("\n\n")
    assert first == (
        "丙区 against published statistics (the same year on both sides): in 2024, turnover of "
        "registered technology contracts of CNY 100 million, "
        "0.2% of the city's total and 0.05% of the province's; turnover of registered technology "
        "contracts up 60% year on year, 35 percentage points above the city (25%) and 50 "
        "percentage points above the province (10%)."
    )
    # 2025 scores by hand (test_index_three_units_two_indicators_by_hand): B 135% leader, A 84.5%, C 80.3%
    assert second == (
        "On the composite innovation index, B ranks 1st in the district (innovation leader), "
        "A 2nd (moderate innovator), C 3rd (moderate innovator)."
    )


def test_english_narrative_count_label_and_reference_year(reference):
    from dataclasses import replace

    # 2025: the city's 2024 count is a forecast (skipped), so both sides at 2023:
    # the district's 2023 stock 80 / the city's 800 = 10.00%, written 10%; 口径不同 rows stay out
    hnte = replace(HNTE, label_en="high-tech enterprises")
    values = {"hnte.valid": NS(value=100.0, previous=90.0, unit="家", kind="stock", status="ok")}
    hist = {
        2023: {"hnte.valid": NS(value=80.0, previous=70.0, unit="家", kind="stock", status="ok")}
    }
    district = replace(DISTRICT, name_en="Bing District")
    t = compare(
        district, parse_period("2025"), values, reference, history=hist, spec=[hnte, NOT_COMP]
    )
    text = comparison_narrative(t, None, district=district, period=parse_period("2025"), lang="en")
    assert text == (
        "Bing District against published statistics (the same year on both sides): in 2023, "
        "80 high-tech enterprises, 10% of the city's total."
    )


def test_english_narrative_tied_ranks_and_unknown_language():
    from innolib.errors import UsageError

    inputs = hand_inputs()
    inputs = inputs[inputs["unit"] != "C"]
    inputs.loc[inputs["unit"] == "B", "value"] = inputs.loc[
        inputs["unit"] == "A", "value"
    ].to_numpy()
    result = composite_index(inputs, spec())
    text = comparison_narrative(
        None, result, district=DISTRICT, period=parse_period("2025"), lang="en"
    )
    assert (
        text
        == "On the composite innovation index, A is tied 1st in the district (strong innovator), B tied 1st (strong innovator)."
    )
    with pytest.raises(UsageError):
        comparison_narrative(
            None, result, district=DISTRICT, period=parse_period("2025"), lang="fr"
        )


def test_english_ordinals():
    from innolib.present.numbers import rank_word

    assert [rank_word(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "112th",
    ]


def test_index_and_sensitivity_tables_speak_chinese():
    from innolib.comparisons import index_table, sensitivity_table

    r = composite_index(hand_inputs(), spec())
    shown = index_table(r)
    assert list(shown.columns) == [
        "排名",
        "单位",
        "综合指数",
        "相对平均水平（%）",
        "绩效分组",
        "纳入指标数",
    ]
    # 2025 by hand: B 0.8, mean (0.5 + 0.8 + 0.475) / 3 = 0.591667 → 0.8 / 0.591667 = 135.21%
    # → 135.2; table cells as text, every decimal written (0.8 → 0.800), like comparison_table
    assert shown.iloc[0].tolist() == [1, "B", "0.800", "135.2", "创新领先型", 2]
    sens = sensitivity_table(index_sensitivity(r))
    assert list(sens.columns) == ["B", "A", "C"]
    assert list(sens.index) == ["排名", "去掉x", "去掉y", "最大变动"]
    assert sens["A"].tolist() == [2, 1, -1, 1]  # see test_sensitivity_drop_one_indicator


def test_a_district_cell_withheld_as_a_complement_stays_withheld_in_the_index():
    """2025 contracts: enterprise 1 alone in Q1 (1000); enterprises 2, 3, 4 each 100 in
    April, July and October. Q1 fails the primary rules; Q1 = H1 − Q2, so the bulletin
    withholds Q2 too (circulation's year family). Q2 on its own passes (three sellers of
    100, top two 66.7% ≤ 85%): the index used to publish it, letting Q1 be worked back."""
    import dataclasses

    from innolib.comparisons.index import index_inputs
    from tests.conftest import _e, district, frames

    rows = [("C0", 1, "2025-02-10", 1000.0)]
    rows += [(f"C{m}{n}", n, f"2025-{m:02d}-05", 100.0) for m in (4, 7, 10) for n in (2, 3, 4)]
    contracts = pd.DataFrame(
        [
            {"contract_id": cid, "registered": day, "seller_uscc": _e(n), "buyer": "某公司",
             "buyer_region": "省内", "type": "技术开发", "amount": amount, "tech_amount": amount}
            for cid, n, day, amount in rows
        ]
    )  # fmt: skip
    f = frames()
    ours = Package.from_frames(district(), {**f, "tech_contracts": contracts})
    other = Package.from_frames(dataclasses.replace(district(), id="other", name="另一区"), f)
    inputs = index_inputs([ours, other], [parse_period("2025Q2")])
    cell = inputs[(inputs["unit"] == "上街区") & (inputs["indicator"] == "contracts.amount")]
    assert cell["raw"].tolist() == [300.0]  # computed, but not for circulation
    assert cell["publishable"].tolist() == [False]
    assert cell["reason"].tolist() == ["secondary"]
