"""Analyses beyond the bulletin, on small hand-built packages with hand-worked values."""

import datetime as dt
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from innolib.analyses import (
    contract_mix,
    expiring_hnte,
    financing_summary,
    industrial_without_rd,
    is_internal,
    parse_target,
    pipeline_conversion,
    pipeline_funnel,
    rd_intensity,
    targets_vs_actual,
)
from innolib.errors import DataError
from innolib.package import District, Package
from innolib.periods import parse_period

TOWNS = ("甲镇", "乙街道")


def district(cutoff=None):
    return District(
        id="t",
        code="410106",
        name="测试区",
        city="郑州市",
        province="河南省",
        towns=TOWNS,
        cutoff=cutoff,
    )


def enterprises(ids, town="甲镇", above="规上工业"):
    return pd.DataFrame(
        {
            "uscc": ids,
            "name": [f"企业{i}" for i in ids],
            "town": town,
            "sector": "先进材料",
            "above_scale": above,
        }
    )


def cert(uscc, tier, stage, date, valid_until=None):
    return {
        "uscc": uscc,
        "tier": tier,
        "stage": stage,
        "date": pd.Timestamp(date),
        "valid_until": pd.Timestamp(valid_until) if valid_until else pd.NaT,
    }


SME, HNTE, GAZ, LEAD = "科技型企业", "高新技术企业", "瞪羚企业", "创新龙头企业"


def pipeline_package(cutoff=None):
    rows = [
        cert("A", SME, "认定", "2020-05-01"),
        cert("A", HNTE, "认定", "2022-11-01", "2025-12-31"),
        cert("A", GAZ, "认定", "2025-06-01", "2028-05-31"),
        cert("B", SME, "认定", "2021-03-01"),
        cert("B", HNTE, "认定", "2024-06-01", "2027-05-31"),
        cert("C", SME, "认定", "2022-06-01"),
        cert("D", SME, "认定", "2023-01-05"),
        cert("D", HNTE, "认定", "2023-12-01", "2026-11-30"),
        cert("D", HNTE, "申报", "2025-09-01"),
        cert("E", HNTE, "认定", "2019-12-01", "2022-11-30"),
        cert("E", SME, "认定", "2020-03-01"),
        cert("E", HNTE, "认定", "2022-12-01", "2025-11-30"),
        cert("E", HNTE, "认定", "2025-11-20", "2028-11-19"),
        cert("F", SME, "认定", "2019-01-01"),
        cert("F", SME, "认定", "2021-01-01"),
        cert("F", HNTE, "申报", "2020-05-01"),
        cert("F", SME, "撤销", "2024-01-01"),
        cert("G", HNTE, "认定", "2023-01-10", "2026-01-09"),
        cert("G", HNTE, "认定", "2025-12-01", "2028-11-30"),
        cert("H", HNTE, "认定", "2023-03-01", "2026-02-28"),
        cert("H", HNTE, "撤销", "2025-06-01"),
        cert("J", HNTE, "认定", "2024-01-01", "2026-12-31"),
        cert("K", HNTE, "认定", "2024-01-02", "2027-01-01"),
    ]
    ids = list("ABCDEFGHJK")
    return Package.from_frames(
        district(cutoff), {"enterprises": enterprises(ids), "certifications": pd.DataFrame(rows)}
    )


def test_pipeline_conversion_counts_cohorts_within_three_years():
    df = pipeline_conversion(pipeline_package(), parse_period("2025"), within_years=3)
    # cohort: first 科技型企业 认定 by 2022-12-31 (A, B, C, F; E was a 高企 first)
    step1 = df.iloc[0]
    assert (step1["from_tier"], step1["to_tier"]) == (SME, HNTE)
    assert (step1["cohort"], step1["converted"], step1["already_higher"]) == (
        4,
        1,
        1,
    )  # only A, in 2 years
    assert step1["rate"] == pytest.approx(25.0)
    step2 = df.iloc[1]  # 高企 by 2022-12-31: A (→瞪羚 2025-06, within 3 years) and E
    assert (step2["cohort"], step2["converted"], step2["rate"]) == (2, 1, pytest.approx(50.0))
    step3 = df.iloc[2]
    assert step3["cohort"] == 0 and math.isnan(step3["rate"])
    assert df.attrs["status"] == "ok" and not is_internal(df)


def test_pipeline_conversion_shorter_window_changes_cohort():
    # N=1: cohort = first 科技型 by 2024-12-31 → A, B, C, D, F; converted within 1 year: D (2023-01-05 → 2023-12-01)
    df = pipeline_conversion(pipeline_package(), parse_period("2025"), within_years=1)
    assert (df.iloc[0]["cohort"], df.iloc[0]["converted"]) == (5, 1)


def test_funnel_counts_certificates_in_force_at_period_end():
    f = pipeline_funnel(pipeline_package(), parse_period("2025"))
    # 科技型: A B C D E (F revoked 2024); 高企: A (expires on the last day) B D E G J K, not H (revoked)
    assert f["enterprises"].tolist() == [5, 7, 1, 0]
    assert f["share_of_previous"].iloc[1] == pytest.approx(140.0)
    assert f["share_of_previous"].iloc[2] == pytest.approx(100 / 7)


def test_expiring_hnte_work_list_is_internal_and_sorted():
    df = expiring_hnte(pipeline_package(), parse_period("2025"))
    assert (
        is_internal(df)
        and "不得对外公开" in df.attrs["title"]
        and df.attrs["title"].startswith("内部工作清单：")
    )
    # A expires 2025-12-31 (0 days), D 2026-11-30 (334 days, renewal applied 2025-09-01), J 2026-12-31 (365)
    assert df["uscc"].tolist() == ["A", "D", "J"]
    assert df["days_left"].tolist() == [0, 334, 365]
    assert df["renewal_applied"].tolist() == [False, True, False]
    assert df["name"].tolist() == ["企业A", "企业D", "企业J"]
    assert list(df.columns[:5]) == ["uscc", "name", "town", "recognised", "valid_until"]


def test_expiring_hnte_respects_cutoff():
    # cutoff 2025-10-31: G's and E's re-recognitions are not yet on record; window to 2026-10-31
    df = expiring_hnte(pipeline_package(cutoff=dt.date(2025, 10, 31)), parse_period("2025"))
    assert df["uscc"].tolist() == ["E", "A", "G"]
    assert df["days_left"].tolist() == [30, 61, 70]


def test_no_certifications_is_no_data_not_empty():
    pkg = Package.from_frames(district(), {"enterprises": enterprises(["A"])})
    df = expiring_hnte(pkg, parse_period("2025"))
    assert df.attrs["status"] == "no_data" and is_internal(df) and "资质认定" in df.attrs["note"]
    assert pipeline_conversion(pkg, parse_period("2025")).attrs["status"] == "no_data"


def survey(rows):
    cols = ["year", "uscc", "above_scale", "reported", "has_rd", "rd_expenditure", "revenue"]
    return pd.DataFrame(rows, columns=cols)


def test_industrial_without_rd_uses_the_class_of_the_year():
    ent = pd.concat(
        [enterprises(["R1", "R3", "R6"], town="乙街道"), enterprises(["R2", "R4", "R5"])]
    )
    rows = survey(
        [
            (2025, "R1", "规上工业", True, False, None, 3000.0),
            (2025, "R2", None, False, False, None, None),  # class from enterprises: 规上工业
            (2025, "R3", "规上工业", True, True, 50.0, 8000.0),
            (2025, "R4", "规上服务业", True, False, None, 4000.0),  # that year not 规上工业
            (2024, "R5", "规上工业", True, False, None, 2500.0),  # another year
            (2025, "R6", "规上工业", True, False, 0.0, 20000.0),
        ]
    )
    pkg = Package.from_frames(district(), {"enterprises": ent, "rd_survey": rows})
    df = industrial_without_rd(pkg, parse_period("2025"))
    assert is_internal(df)
    assert df["uscc"].tolist() == ["R2", "R1", "R6"]  # 甲镇 first, then 乙街道 by name
    assert df["revenue_band"].tolist() == ["未填报", "2000万—5000万元", "2亿元以上"]
    assert df["reported"].tolist() == [False, True, True]
    assert "revenue" not in df.columns and "rd_expenditure" not in df.columns


def intensity_package():
    ent = pd.concat(
        [
            enterprises(["e1", "e2", "e3", "e6", "e7", "e8", "e9"]),
            enterprises(["e4", "e5"], town="乙街道"),
        ]
    )
    rows = survey(
        [
            (2025, "e1", "规上工业", True, False, None, 1000.0),
            (2025, "e2", "规上工业", True, True, 5.0, 1000.0),
            (2025, "e3", "规上工业", True, True, 10.0, 1000.0),
            (2025, "e4", "规上服务业", True, True, 30.0, 1000.0),
            (2025, "e5", "规上工业", True, True, 45.0, 1000.0),
            (2025, "e6", "规上工业", True, True, 80.0, 1000.0),
            (2025, "e7", "规上工业", False, False, None, 1000.0),
            (2025, "e8", "规上工业", True, True, 5.0, 0.0),
            (2025, "e9", "无", True, True, 5.0, 100.0),
        ]
    )
    return Package.from_frames(district(), {"enterprises": ent, "rd_survey": rows})


def test_rd_intensity_bins_median_and_towns():
    r = rd_intensity(intensity_package(), parse_period("2025"))
    # intensities 0, 0.5, 1, 3, 4.5, 8 (%); e7 not reported and e8 without revenue excluded; e9 not 四上
    assert r.status == "ok" and (r.enterprises, r.excluded) == (6, 2)
    assert r.bins["enterprises"].tolist() == [1, 2, 1, 1, 1]
    assert r.bins["share"].iloc[1] == pytest.approx(100 * 2 / 6)
    assert r.median == pytest.approx(2.0)
    town = r.by_town.set_index("town")
    assert town.loc["甲镇", ["0", "(0,1%]", ">5%", "enterprises"]].tolist() == [1, 2, 1, 4]
    assert town.loc["甲镇", "median"] == pytest.approx(0.75)
    assert math.isnan(town.loc["乙街道", "median"])  # two firms: their median would reveal them


def test_rd_intensity_part_year_is_no_data():
    r = rd_intensity(intensity_package(), parse_period("2025H1"))
    assert r.status == "no_data" and math.isnan(r.median)


def contracts_package():
    rows = [
        ("c1", "2025-03-01", "A", "区内", "技术开发", 100.0),
        ("c2", "2025-04-01", "B", "省外", "技术开发", 200.0),
        ("c3", "2025-05-01", "C", "区内", "技术服务", 300.0),
        ("c4", "2025-12-31", "A", "市内", "技术服务", 400.0),
        ("c5", "2024-12-31", "D", "区内", "技术开发", 500.0),
        ("c6", "2025-01-01", "E", "区内", "技术开发", 50.0),
        ("c7", "2025-06-01", "F", "省外", "技术开发", 300.0),
    ]
    tc = pd.DataFrame(
        rows, columns=["contract_id", "registered", "seller_uscc", "buyer_region", "type", "amount"]
    )
    # the declaration's id for the seller (docs/data.md: seller_uscc)
    tc["uscc"] = tc["seller_uscc"]
    tc["registered"] = pd.to_datetime(tc["registered"])
    return Package.from_frames(
        district(), {"enterprises": enterprises(list("ABCDEF")), "tech_contracts": tc}
    )


def test_contract_mix_by_type_and_region():
    df = contract_mix(contracts_package(), parse_period("2025"))
    t = df[df["by"] == "type"].set_index("category")
    assert list(t.index) == ["技术开发", "技术转让", "技术许可", "技术咨询", "技术服务"]
    assert (t.loc["技术开发", "contracts"], t.loc["技术开发", "amount"]) == (4, 650.0)
    assert t.loc["技术开发", "amount_share"] == pytest.approx(100 * 650 / 1350)
    assert t.loc["技术服务", "count_share"] == pytest.approx(100 * 2 / 6)
    assert t.loc["技术开发", "top2_share"] == pytest.approx(500 / 650)
    assert not t.loc["技术开发", "sensitive"]  # 4 sellers, top two 76.9%
    assert t.loc["技术服务", "sensitive"]  # 2 sellers
    assert t.loc["技术转让", "contracts"] == 0 and not t.loc["技术转让", "sensitive"]
    r = df[df["by"] == "buyer_region"].set_index("category")
    assert r.loc["区内", ["contracts", "amount", "enterprises"]].tolist() == [3, 450.0, 3]
    assert r.loc["区内", "sensitive"]  # top two 400 of 450 = 88.9% > 85%
    assert r["amount"].sum() == pytest.approx(1350.0)


def test_financing_summary_ratio_and_total():
    rows = [
        ("f1", "A", "郑科贷", "2025-02-01", 100.0, 80.0),
        ("f2", "B", "郑科贷", "2025-03-01", 200.0, 0.0),
        ("f3", "C", "郑科贷", "2025-04-01", 100.0, 100.0),
        ("f4", "A", "知识产权质押融资", "2025-05-01", 50.0, 50.0),
        ("f5", "B", "科技信贷", "2024-05-01", 60.0, 30.0),
        ("f6", "D", "其他", "2025-12-31", 100.0, 100.0),
    ]
    fin = pd.DataFrame(
        rows, columns=["record_id", "uscc", "product", "date", "requested", "resolved"]
    )
    fin["date"] = pd.to_datetime(fin["date"])
    pkg = Package.from_frames(
        district(), {"enterprises": enterprises(list("ABCD")), "financing": fin}
    )
    df = financing_summary(pkg, parse_period("2025")).set_index("product")
    assert df.loc["郑科贷", ["records", "enterprises", "requested", "resolved"]].tolist() == [
        3,
        3,
        400.0,
        180.0,
    ]
    assert df.loc["郑科贷", "ratio"] == pytest.approx(45.0)
    assert df.loc["郑科贷", "sensitive"]  # resolved from only two enterprises
    assert math.isnan(df.loc["科技信贷", "ratio"]) and df.loc["科技信贷", "records"] == 0
    assert df.loc["合计", ["records", "enterprises", "requested", "resolved"]].tolist() == [
        5,
        4,
        550.0,
        330.0,
    ]
    assert df.loc["合计", "ratio"] == pytest.approx(60.0)
    assert not df.loc["合计", "sensitive"]


@pytest.mark.parametrize(
    "text, unit, value, noted",
    [
        ("59%", "%", 59.0, False),
        ("59", "%", 59.0, False),
        ("0.59", "%", 59.0, True),
        (0.59, "%", 59.0, True),
        ("１,２３４", "家", 1234.0, False),
        ("4.5亿", "万元", 45000.0, True),
        ("45000", "万元", 45000.0, False),
    ],
)
def test_parse_target(text, unit, value, noted):
    v, note = parse_target(text, unit)
    assert v == pytest.approx(value) and bool(note) == noted


@pytest.mark.parametrize("text, unit", [("约五十", "家"), ("59%", "家"), ("4.5亿", "家")])
def test_parse_target_rejects(text, unit):
    with pytest.raises(ValueError):
        parse_target(text, unit)


def targets_package(extra=()):
    t = pd.DataFrame(
        [
            (2025, "hnte.valid", "100"),
            (2025, "rd.coverage_industrial", "0.59"),
            (2025, "contracts.amount", "4.5亿"),
            (2025, "tech_sme.recommended", "20"),
            (2024, "hnte.valid", "90"),
            *extra,
        ],
        columns=["year", "indicator", "target"],
    )
    return Package.from_frames(district(), {"enterprises": enterprises(["A"]), "targets": t})


def test_targets_vs_actual():
    values = {
        "hnte.valid": SimpleNamespace(value=106, unit="家", status="ok"),
        "rd.coverage_industrial": SimpleNamespace(value=58.97, unit="%", status="ok"),
        "contracts.amount": SimpleNamespace(value=47250.0, unit="万元", status="ok"),
    }
    df = targets_vs_actual(targets_package(), parse_period("2025"), values).set_index("indicator")
    assert len(df) == 4
    assert df.loc["hnte.valid", ["target", "actual", "completion"]].tolist() == [
        100.0,
        106.0,
        pytest.approx(106.0),
    ]
    assert df.loc["rd.coverage_industrial", "target"] == pytest.approx(59.0)
    assert df.loc["rd.coverage_industrial", "completion"] == pytest.approx(100 * 58.97 / 59)
    assert "按比例" in df.loc["rd.coverage_industrial", "note"]
    assert df.loc["contracts.amount", "completion"] == pytest.approx(105.0)
    assert df.loc["tech_sme.recommended", "status"] == "no_data"
    assert math.isnan(df.loc["tech_sme.recommended", "completion"])
    # 106 > 100 and 4.725亿 > 4.5亿: above; 58.97% < 59% (both print as 59%): below
    assert df["assessment"].to_dict() == {
        "hnte.valid": "超额完成",
        "rd.coverage_industrial": "未完成",
        "contracts.amount": "超额完成",
        "tech_sme.recommended": "",
    }


def test_targets_exactly_met_and_part_year_progress():
    values = {"hnte.valid": SimpleNamespace(value=100, unit="家", status="ok")}
    year = targets_vs_actual(targets_package(), parse_period("2025"), values)
    assert year.set_index("indicator").loc["hnte.valid", "assessment"] == "完成"  # 100 of 100
    # a half year is progress towards the year's target, without a verdict
    half = targets_vs_actual(targets_package(), parse_period("2025H1"), values)
    row = half.set_index("indicator").loc["hnte.valid"]
    assert (row["assessment"], row["completion"]) == ("", pytest.approx(100.0))
    assert "上半年进度" in row["note"]


def test_targets_bad_value_names_row_and_column():
    pkg = targets_package(extra=[(2025, "gazelle.valid", "约五十")])
    with pytest.raises(DataError) as err:
        targets_vs_actual(
            pkg, parse_period("2025"), {"gazelle.valid": SimpleNamespace(value=5, unit="家")}
        )
    assert "targets" in str(err.value) and "约五十" in str(err.value) and "第6条" in str(err.value)
