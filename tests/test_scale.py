"""Scale work (issue 9): the DuckDB SQL of benchmarks/bench_scale.py and the indicators'
factorisation cache.

One hand-built package, values worked out by hand below, evaluated by innolib and by the
benchmark's DuckDB SQL over Parquet files written from it: both must give the hand
values, so the benchmark's equality check compares two correct implementations. Then
the check itself must fail on a wrong value, and an edit to a package column after an
evaluation must change the next evaluation (the cache keyed on Arrow arrays).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from innolib.indicators import compute_indicators
from innolib.package import District, Package
from innolib.periods import parse_period

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_scale

duckdb = pytest.importorskip("duckdb")

D = dt.date
H, G, T = "高新技术企业", "瞪羚企业", "科技型企业"


def _package() -> Package:
    district = District("t", "410106", "测试区", "郑州市", "河南省", ("甲镇",))
    enterprises = pd.DataFrame(
        {
            "uscc": ["E1", "E2", "E3", "E4", "E5"],
            "name": ["一", "二", "三", "四", "五"],
            "town": ["甲镇"] * 5,
            "above_scale": ["规上工业", "无", "规上服务业", "规上工业", None],
            "ownership": ["民营", "民营", "国有", "民营", "民营"],
        }
    )
    cert = pd.DataFrame(
        [
            # hnte.valid on 2025-12-31: E1 (renewed: once), E5 (认定 after its 撤销) = 2
            # on 2024-12-31: E1, E2 (expires 2025-11-30), E3 (revoked 2025-03-01), E5 = 4
            ("E1", H, "认定", D(2023, 11, 1), D(2026, 10, 31)),
            ("E1", H, "认定", D(2025, 11, 1), D(2028, 10, 31)),
            ("E2", H, "认定", D(2022, 12, 1), D(2025, 11, 30)),
            ("E3", H, "认定", D(2024, 6, 1), D(2027, 5, 31)),
            ("E3", H, "撤销", D(2025, 3, 1), None),
            ("E4", H, "认定", D(2025, 5, 5), D(2028, 5, 4)),
            ("E4", H, "撤销", D(2025, 5, 5), None),  # revoked the day it was recognised
            ("E5", H, "撤销", D(2023, 1, 1), None),
            ("E5", H, "认定", D(2024, 2, 1), D(2027, 1, 31)),
            # hnte.applied 2025: E1 (twice), E2 = 2; 2024: E3 = 1
            ("E1", H, "申报", D(2025, 3, 1), None),
            ("E1", H, "申报", D(2025, 7, 1), None),
            ("E2", H, "申报", D(2025, 4, 1), None),
            ("E3", H, "申报", D(2024, 4, 1), None),
            ("E4", H, "申报", D(2026, 1, 1), None),
            # gazelle.valid 2025: E1 (valid_until = the end), E2 (recognised on the end) = 2; 2024: E1 = 1
            ("E1", G, "认定", D(2024, 9, 1), D(2025, 12, 31)),
            ("E2", G, "认定", D(2025, 12, 31), D(2028, 12, 30)),
            # tech_sme.cumulative 2025: E1, E2, E3 = 3; 2024: E1, E3 = 2 (推荐 is not 认定)
            ("E1", T, "认定", D(2021, 5, 1), None),
            ("E1", T, "认定", D(2023, 5, 1), None),
            ("E2", T, "认定", D(2025, 6, 1), None),
            ("E3", T, "认定", D(2024, 12, 31), None),
            ("E4", T, "推荐", D(2025, 2, 1), None),
        ],
        columns=["uscc", "tier", "stage", "date", "valid_until"],
    )
    survey = pd.DataFrame(
        [
            # four_up 2025: E1 (class from enterprises), E2 (own 规上工业 overrides 无), E3 = 3 rows;
            # expenditure 100.5 + 0 + 50.25; 规上工业 2025: E1 yes, E2 no = 50 %
            (2025, "E1", None, True, 100.5),
            (2025, "E2", "规上工业", False, None),
            (2025, "E3", None, True, 50.25),
            (2025, "E5", None, True, 999.0),  # no class anywhere: 无
            (2025, "E4", "无", True, 7.0),
            # 2024: E1, E4 (规上工业 both; has_rd no / empty) = 2 rows, 100.0, 0 %
            (2024, "E1", None, False, 80.0),
            (2024, "E4", None, None, 20.0),
        ],
        columns=["year", "uscc", "above_scale", "has_rd", "rd_expenditure"],
    )
    contracts = pd.DataFrame(
        [
            ("C1", D(2025, 1, 1), "E1", 10.5, 5.0),
            ("C2", D(2025, 12, 31), "E2", 20.0, None),
            ("C3", D(2024, 12, 31), "E1", 7.0, 7.0),
            ("C4", D(2026, 1, 1), "E1", 1000.0, 1.0),
        ],
        columns=["contract_id", "registered", "seller_uscc", "amount", "tech_amount"],
    )
    financing = pd.DataFrame(
        [
            ("F1", "E1", D(2025, 6, 1), 12.5),
            ("F2", "E2", D(2025, 7, 1), None),
            ("F3", "E1", D(2024, 1, 1), 3.0),
        ],
        columns=["record_id", "uscc", "date", "resolved"],
    )
    platforms = pd.DataFrame(
        [
            # 省级 in force 2025-12-31: P1, P3 = 2 (P2 revoked on the end, P5 in January);
            # 2024-12-31: P1, P3, P5 = 3 (P2 not yet approved)
            ("P1", "E1", "省级", D(2020, 1, 1), None),
            ("P2", "E2", "省级", D(2025, 6, 1), D(2025, 12, 31)),
            ("P3", "E3", "省级", D(2023, 1, 1), D(2026, 1, 1)),
            ("P4", "E1", "国家级", D(2020, 1, 1), None),
            ("P5", "E4", "省级", D(2019, 1, 1), D(2025, 1, 10)),
        ],
        columns=["platform_id", "uscc", "level", "approved", "revoked"],
    )
    activities = pd.DataFrame(
        [
            ("A1", D(2025, 3, 1), "技术需求对接会"),
            ("A2", D(2024, 5, 1), "技术需求对接会"),
            ("A3", D(2025, 4, 1), "银企对接"),
        ],
        columns=["activity_id", "date", "type"],
    )
    participants = pd.DataFrame(
        [
            # 2025: E1 (twice), E2 = 2 (E3 is 国有, X9 is no enterprise, A3 is another type); 2024: E4 = 1
            ("A1", "E1"),
            ("A1", "E2"),
            ("A1", "E3"),
            ("A1", "E1"),
            ("A1", "X9"),
            ("A3", "E4"),
            ("A2", "E4"),
        ],
        columns=["activity_id", "uscc"],
    )
    return Package.from_frames(
        district,
        {
            "enterprises": enterprises,
            "certifications": cert,
            "rd_survey": survey,
            "tech_contracts": contracts,
            "financing": financing,
            "platforms": platforms,
            "activities": activities,
            "activity_participants": participants,
        },
    )


EXPECTED = {  # indicator: [2025, 2024], worked out by hand in _package's comments
    "hnte.applied": [2, 1],
    "tech_sme.cumulative": [3, 2],
    "hnte.valid": [2, 4],
    "gazelle.valid": [2, 1],
    "rd.surveyed": [3, 2],
    "rd.expenditure": [150.75, 100.0],
    "rd.coverage_industrial": [50.0, 0.0],
    "contracts.amount": [30.5, 7.0],
    "contracts.count": [2, 1],
    "contracts.tech_amount": [5.0, 7.0],
    "finance.resolved": [12.5, 3.0],
    "platforms.provincial": [2, 3],
    "collab.matchmaking_private": [2, 1],
}


def test_expected_covers_every_benchmarked_indicator():
    assert set(EXPECTED) == set(bench_scale.HEAVY) == set(bench_scale.SQL)


def test_innolib_gives_the_hand_values():
    result = compute_indicators(_package(), parse_period("2025"), ids=bench_scale.HEAVY)
    assert {i: [result[i].value, result[i].previous] for i in EXPECTED} == EXPECTED


@pytest.mark.parametrize("in_memory", [False, True])
def test_duckdb_sql_gives_the_hand_values(tmp_path, in_memory):
    for table_id, frame in _package().tables.items():
        frame.to_parquet(tmp_path / f"{table_id}.parquet", index=False)
    con = duckdb.connect()
    bench_scale._bind(con, tmp_path, in_memory)
    period = parse_period("2025")
    assert bench_scale.duckdb_values(con, period, period.previous_year()) == EXPECTED


def test_duckdb_sql_annual_indicators_have_no_data_for_a_part_year(tmp_path):
    for table_id, frame in _package().tables.items():
        frame.to_parquet(tmp_path / f"{table_id}.parquet", index=False)
    con = duckdb.connect()
    bench_scale._bind(con, tmp_path, False)
    period = parse_period("2025H1")
    values = bench_scale.duckdb_values(con, period, period.previous_year())
    assert values["rd.surveyed"] == [None, None]
    assert values["contracts.count"] == [1, 0]  # C1 in 2025H1; nothing in 2024H1


def test_the_equality_check_fails_on_a_wrong_value():
    assert bench_scale.differences(EXPECTED, EXPECTED) == []
    wrong = {**EXPECTED, "hnte.valid": [3, 4], "contracts.amount": [30.6, 7.0]}
    problems = bench_scale.differences(EXPECTED, wrong)
    assert (
        len(problems) == 2
        and "hnte.valid value" in problems[0]
        and "contracts.amount value" in problems[1]
    )
    assert bench_scale.differences(
        EXPECTED, {k: v for k, v in EXPECTED.items() if k != "rd.surveyed"}
    )
    assert not bench_scale.same(2, 2.0, False)  # a count must be an integer on both sides
    assert bench_scale.same(30.5, 30.5 + 1e-12, True) and not bench_scale.same(None, 0.0, True)


def test_an_edited_column_is_not_served_from_the_factorisation_cache():
    package = _package()
    assert (
        compute_indicators(package, parse_period("2025"), ids=["hnte.applied"])[
            "hnte.applied"
        ].value
        == 2
    )
    cert = package["certifications"]
    cert.loc[cert["stage"].eq("申报") & cert["uscc"].eq("E2"), "uscc"] = (
        "E1"  # E2's application becomes E1's
    )
    assert (
        compute_indicators(package, parse_period("2025"), ids=["hnte.applied"])[
            "hnte.applied"
        ].value
        == 1
    )
    package.tables["certifications"] = cert[cert["tier"].ne(H)].reset_index(drop=True)
    assert (
        compute_indicators(package, parse_period("2025"), ids=["hnte.applied"])[
            "hnte.applied"
        ].value
        == 0
    )
