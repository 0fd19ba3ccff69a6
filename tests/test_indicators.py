"""Indicators: every registry indicator on small hand-built packages, values worked by hand.

Each fixture is written out here; the expected numbers in each test are counted by hand
from the rows above them (the comments say which rows count and why).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import BULLETIN_2025

from innolib.errors import UsageError
from innolib.indicators import (
    IndicatorSet,
    breakdown,
    compute_indicator,
    compute_indicators,
    contributions,
    in_period,
    monthly_contributions,
    platforms_in_force,
    survey_rows,
    trend,
    valid_certificates,
)
from innolib.package import District, Package
from innolib.periods import parse_period, parse_periods
from innolib.registry import load_registry

TOWNS = ("甲镇", "乙街道", "丙街道")
D = dt.date


def _district(cutoff: dt.date | None = None) -> District:
    return District(
        id="testdist",
        code="410106",
        name="测试区",
        city="郑州市",
        province="河南省",
        towns=TOWNS,
        cutoff=cutoff,
    )


def _e(n: int) -> str:
    return f"9141010600000000{n:02d}"


# enterprises E1..E8: town, sector, class, ownership
_ENTERPRISES = [
    (1, "甲镇", "先进材料", "规上工业", "民营"),
    (2, "甲镇", "装备制造", "规上工业", "国有"),
    (3, "乙街道", "先进材料", "无", "民营"),
    (4, "乙街道", "装备制造", "规上工业", "民营"),
    (5, "乙街道", "现代服务", None, "民营"),
    (6, "乙街道", "先进材料", "规上工业", "外资"),
    (7, "甲镇", "装备制造", "规上服务业", "民营"),
    (8, "甲镇", "先进材料", "无", "民营"),
]


def _enterprises() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "uscc": _e(n),
                "name": f"企业{n}",
                "town": town,
                "industry_code": "32",
                "sector": sector,
                "above_scale": cls,
                "ownership": own,
                "established": "2010-01-01",
            }
            for n, town, sector, cls, own in _ENTERPRISES
        ]
    )


def _package(cutoff: dt.date | None = None, **frames: pd.DataFrame) -> Package:
    frames.setdefault("enterprises", _enterprises())
    return Package.from_frames(_district(cutoff), frames)


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split())


def _certs(rows: list[tuple]) -> pd.DataFrame:
    """rows: (enterprise n, tier, stage, date, valid_until, batch)."""
    return pd.DataFrame(
        [
            {
                "uscc": _e(n),
                "tier": tier,
                "stage": stage,
                "date": date,
                "valid_until": until,
                "batch": batch,
            }
            for n, tier, stage, date, until, batch in rows
        ]
    )


def value(package: Package, iid: str, label: str):
    return compute_indicator(package, iid, parse_period(label)).value


# --------------------------------------------------------------------------- section 1: pipeline flows


def test_tech_sme_recommended_counts_distinct_enterprises_on_both_quarter_bounds():
    pkg = _package(
        certifications=_certs(
            [
                (
                    1,
                    "科技型企业",
                    "推荐",
                    "2025-01-01",
                    None,
                    "2025年第一批",
                ),  # first day of Q1: counts
                (
                    1,
                    "科技型企业",
                    "推荐",
                    "2025-02-10",
                    None,
                    "2025年第二批",
                ),  # E1 again: counted once
                (
                    2,
                    "科技型企业",
                    "推荐",
                    "2025-03-31",
                    None,
                    "2025年第二批",
                ),  # last day of Q1: counts
                (3, "科技型企业", "推荐", "2024-12-31", None, None),  # day before Q1
                (4, "科技型企业", "推荐", "2025-04-01", None, None),  # day after Q1, in 2025
                (5, "科技型企业", "申报", "2025-02-01", None, None),  # other stage
                (6, "高新技术企业", "推荐", "2025-02-01", None, None),  # other tier
            ]
        )
    )
    assert value(pkg, "tech_sme.recommended", "2025Q1") == 2  # E1, E2
    assert value(pkg, "tech_sme.recommended", "2025") == 3  # E1, E2, E4
    v = compute_indicator(pkg, "tech_sme.recommended", parse_period("2025"))
    assert v.previous == 1  # 2024: E3
    assert v.change == pytest.approx(200.0) and v.change_unit == "%"


def test_hnte_applied_and_its_batches():
    pkg = _package(
        certifications=_certs(
            [
                (1, "高新技术企业", "申报", "2025-05-10", None, "2025年第一批"),
                (2, "高新技术企业", "申报", "2025-05-12", None, "2025年第一批"),
                (3, "高新技术企业", "申报", "2025-08-01", None, "2025年第二批"),
                (
                    1,
                    "高新技术企业",
                    "申报",
                    "2025-08-02",
                    None,
                    "2025年第二批",
                ),  # E1 twice: one enterprise
                (4, "高新技术企业", "申报", "2025-09-01", None, None),  # no batch written
                (
                    5,
                    "高新技术企业",
                    "认定",
                    "2025-11-01",
                    "2028-10-31",
                    "2025年第一批",
                ),  # other stage
            ]
        )
    )
    assert value(pkg, "hnte.applied", "2025") == 4  # E1, E2, E3, E4
    assert (
        value(pkg, "hnte.applied_batches", "2025") == 2
    )  # 第一批, 第二批 (empty batch not a batch)
    assert value(pkg, "hnte.applied", "2025H1") == 2  # E1, E2 in May
    assert value(pkg, "hnte.applied_batches", "2025H1") == 1


def test_recognised_flows_of_each_tier():
    pkg = _package(
        certifications=_certs(
            [
                (1, "科技型企业", "认定", "2025-06-01", None, None),
                (2, "高新技术企业", "认定", "2025-12-01", "2028-11-30", None),
                (3, "高新技术企业", "认定", "2025-12-01", "2028-11-30", None),
                (4, "瞪羚企业", "认定", "2025-07-01", "2027-06-30", None),
                (5, "创新龙头企业", "认定", "2024-07-01", "2027-06-30", None),
            ]
        )
    )
    assert value(pkg, "tech_sme.recognized", "2025") == 1
    assert value(pkg, "hnte.recognized", "2025") == 2
    assert value(pkg, "gazelle.recognized", "2025") == 1
    assert value(pkg, "leader.recognized", "2025") == 0


# --------------------------------------------------------------------------- section 1: stocks

_HNTE_ROWS = [
    (1, "高新技术企业", "认定", "2022-12-01", "2025-12-31", None),  # expires on the last day: valid
    (
        2,
        "高新技术企业",
        "认定",
        "2022-11-30",
        "2025-12-30",
        None,
    ),  # expired the day before: not valid
    (3, "高新技术企业", "认定", "2024-11-01", "2027-10-31", None),
    (3, "高新技术企业", "撤销", "2025-06-01", None, None),  # revoked mid-2025
    (4, "高新技术企业", "认定", "2023-01-01", "2026-01-01", None),
    (4, "高新技术企业", "撤销", "2023-06-01", None, None),  # revoked ...
    (
        4,
        "高新技术企业",
        "认定",
        "2024-12-01",
        "2027-11-30",
        None,
    ),  # ... then recognised anew: valid
    (5, "高新技术企业", "认定", "2026-01-05", "2029-01-04", None),  # after the period
    (6, "高新技术企业", "认定", "2022-01-01", "2025-01-01", None),
    (6, "高新技术企业", "认定", "2025-01-02", "2028-01-01", None),  # renewal: one enterprise
    (7, "高新技术企业", "认定", "2024-03-01", "2027-02-28", None),
    (7, "高新技术企业", "撤销", "2026-02-01", None, None),  # revoked after the period: still valid
    (8, "高新技术企业", "未通过", "2025-11-01", None, None),
    (8, "瞪羚企业", "认定", "2025-03-01", "2028-02-29", None),
]


def test_hnte_valid_stock_on_the_period_end():
    pkg = _package(certifications=_certs(_HNTE_ROWS))
    v = compute_indicator(pkg, "hnte.valid", parse_period("2025"))
    # 2025-12-31: E1 (expires that day), E4 (re-recognised), E6 (renewed), E7 (revoked only in 2026)
    assert v.value == 4 and v.status == "ok" and v.kind == "stock"
    # 2024-12-31: E1, E2, E3 (revoked only in 2025), E4 (2024-12-01), E6 (until 2025-01-01), E7
    assert v.previous == 6
    assert v.change == pytest.approx((4 - 6) / 6 * 100) and v.change_unit == "%"
    # 2025-06-30: E3 revoked on 2025-06-01; E1, E2, E4, E6, E7 valid
    assert value(pkg, "hnte.valid", "2025H1") == 5
    assert value(pkg, "hnte.valid", "2025Q4") == 4
    # the enterprise list is public for the analyses (renewal work list)
    held = valid_certificates(pkg, "高新技术企业", D(2025, 12, 31))
    assert sorted(held["uscc"]) == [_e(1), _e(4), _e(6), _e(7)]
    assert held.set_index("uscc").loc[_e(6), "date"] == pd.Timestamp(
        "2025-01-02"
    )  # latest certificate


def test_revocation_on_the_day_of_recognition_ends_it():
    pkg = _package(
        certifications=_certs(
            [
                (1, "高新技术企业", "认定", "2025-03-01", "2028-02-29", None),
                (1, "高新技术企业", "撤销", "2025-03-01", None, None),
            ]
        )
    )
    assert value(pkg, "hnte.valid", "2025") == 0


def test_gazelle_and_leader_stocks_are_kept_apart_from_hnte():
    pkg = _package(
        certifications=_certs(
            [
                (1, "瞪羚企业", "认定", "2024-05-01", "2027-04-30", None),
                (1, "高新技术企业", "撤销", "2025-05-01", None, None),  # revokes the 高企 tier only
                (2, "瞪羚企业", "认定", "2022-05-01", "2025-04-30", None),  # expired in 2025
                (
                    3,
                    "瞪羚企业",
                    "认定",
                    "2025-12-31",
                    "2028-12-30",
                    None,
                ),  # recognised on the last day: counts
                (4, "创新龙头企业", "认定", "2025-01-01", "2027-12-31", None),
                (5, "创新龙头企业", "认定", "2024-01-01", "2026-12-31", None),
                (5, "创新龙头企业", "撤销", "2025-10-01", None, None),
            ]
        )
    )
    assert value(pkg, "gazelle.valid", "2025") == 2  # E1, E3
    assert value(pkg, "leader.valid", "2025") == 1  # E4
    assert compute_indicator(pkg, "leader.valid", parse_period("2025")).previous == 1  # 2024: E5


def test_tech_sme_cumulative_counts_every_enterprise_ever_recognised():
    pkg = _package(
        certifications=_certs(
            [
                (1, "科技型企业", "认定", "2021-04-01", None, None),
                (2, "科技型企业", "认定", "2023-04-01", None, None),
                (
                    2,
                    "科技型企业",
                    "认定",
                    "2025-04-01",
                    None,
                    None,
                ),  # re-registered: still one enterprise
                (3, "科技型企业", "认定", "2026-01-01", None, None),  # after the period
                (4, "科技型企业", "推荐", "2025-04-01", None, None),  # recommended only
                (5, "科技型企业", "认定", "2025-12-31", None, None),  # last day: counts
                (
                    1,
                    "科技型企业",
                    "撤销",
                    "2024-01-01",
                    None,
                    None,
                ),  # cumulative ignores revocations
            ]
        )
    )
    v = compute_indicator(pkg, "tech_sme.cumulative", parse_period("2025"))
    assert (v.value, v.previous) == (3, 2)  # 2025: E1 E2 E5; 2024: E1 E2
    assert v.change == pytest.approx(50.0)
    assert value(pkg, "tech_sme.cumulative", "2021") == 1


# --------------------------------------------------------------------------- section 1: annual survey


def _survey() -> pd.DataFrame:
    # (year, enterprise, own class, reported, has_rd, rd_expenditure)
    rows = [
        (2025, 1, None, True, True, 1000.5),  # 规上工业 (from enterprises)
        (2025, 2, None, True, False, None),  # 规上工业, no R&D
        (2025, 3, "规上服务业", True, True, 200.0),  # 无 in enterprises, 四上 that year
        (2025, 4, "无", False, False, None),  # 规上工业 in enterprises, left 四上 that year
        (2025, 5, None, True, True, 999.0),  # class empty everywhere: 无, not counted
        (2025, 6, None, False, False, None),  # 规上工业, not reported
        (2024, 1, None, True, True, 800.0),
        (2024, 2, None, True, True, 100.0),
    ]
    return pd.DataFrame(
        [
            {
                "year": y,
                "uscc": _e(n),
                "above_scale": cls,
                "reported": rep,
                "has_rd": has,
                "rd_expenditure": rd,
                "revenue": 10000.0,
                "rd_staff": 5,
            }
            for y, n, cls, rep, has, rd in rows
        ]
    )


def test_annual_survey_indicators_for_the_year():
    pkg = _package(rd_survey=_survey())
    result = compute_indicators(
        pkg,
        parse_period("2025"),
        ids=[
            "rd.surveyed",
            "rd.expenditure",
            "rd.reported_rate",
            "rd.coverage_industrial",
            "rd.with_rd",
            "rd.industrial_surveyed",
            "rd.industrial_with_rd",
        ],
    )
    assert result["rd.surveyed"].value == 4  # E1 E2 E3 E6
    assert result["rd.expenditure"].value == pytest.approx(1200.5)  # E1 + E3 (E5 not 四上)
    assert result["rd.reported_rate"].value == pytest.approx(75.0)  # E1 E2 E3 of 4
    assert result["rd.with_rd"].value == 2  # E1 E3
    assert result["rd.industrial_surveyed"].value == 3  # E1 E2 E6 (E4 is 无 that year)
    assert result["rd.industrial_with_rd"].value == 1
    cov = result["rd.coverage_industrial"]
    assert cov.value == pytest.approx(100 / 3)
    assert cov.previous == pytest.approx(100.0)  # 2024: E1 E2 both with R&D
    assert cov.change == pytest.approx(100 / 3 - 100) and cov.change_unit == "pp"
    exp = result["rd.expenditure"]
    assert exp.previous == pytest.approx(900.0)
    assert exp.change == pytest.approx((1200.5 - 900) / 900 * 100) and exp.change_unit == "%"
    assert isinstance(result["rd.surveyed"].value, int)


def test_annual_survey_is_no_data_on_a_part_year_but_counts_for_q4_and_h2():
    pkg = _package(rd_survey=_survey())
    for label in ("2025H1", "2025Q3", "2025M09"):
        v = compute_indicator(pkg, "rd.expenditure", parse_period(label))
        assert (v.value, v.status, v.previous, v.change) == (None, "no_data", None, None)
    for label in ("2025Q4", "2025H2", "2025M12"):
        assert value(pkg, "rd.surveyed", label) == 4


def test_annual_survey_is_no_data_when_a_cutoff_clips_the_year():
    pkg = _package(cutoff=D(2025, 10, 31), rd_survey=_survey())
    assert compute_indicator(pkg, "rd.surveyed", parse_period("2025")).status == "no_data"
    assert (
        compute_indicator(pkg, "rd.surveyed", parse_period("2024")).value == 2
    )  # 2024 is not clipped


def test_survey_rows_resolve_the_class_per_row():
    rows = survey_rows(_package(rd_survey=_survey()), 2025, "all").set_index("uscc")["class"]
    assert (
        rows[_e(3)] == "规上服务业"
        and rows[_e(4)] == "无"
        and rows[_e(5)] == "无"
        and rows[_e(1)] == "规上工业"
    )


def test_coverage_over_no_industrial_rows_is_no_data_not_zero():
    survey = _survey()
    survey = survey[survey["uscc"].isin([_e(3), _e(5)])]
    v = compute_indicator(
        _package(rd_survey=survey), "rd.coverage_industrial", parse_period("2025")
    )
    assert v.status == "no_data" and v.value is None


# --------------------------------------------------------------------------- section 1: projects and awards


def _projects() -> pd.DataFrame:
    cols = "project_id uscc name title programme kind level stage date year"
    return _frame(
        cols,
        [
            (
                "P1",
                _e(1),
                None,
                "课题一",
                "河南省科技发展计划",
                "项目",
                "省级",
                "申报",
                "2024-12-01",
                2025,
            ),
            (
                "P1",
                _e(1),
                None,
                "课题一",
                "河南省科技发展计划",
                "项目",
                "省级",
                "立项",
                "2025-03-01",
                2025,
            ),
            (
                "P2",
                _e(2),
                None,
                "课题二",
                "河南省科技发展计划",
                "项目",
                "省级",
                "立项",
                "2025-12-31",
                2025,
            ),
            (
                "P3",
                _e(3),
                None,
                "课题三",
                "郑州市科技计划",
                "项目",
                "市级",
                "立项",
                "2025-05-01",
                2025,
            ),
            (
                "P4",
                _e(4),
                None,
                "课题四",
                "河南省科技发展计划",
                "项目",
                "省级",
                "立项",
                "2026-01-01",
                2025,
            ),
            (
                "P5",
                None,
                "某大学",
                "课题五",
                "河南省科技发展计划",
                "项目",
                "省级",
                "立项",
                "2025-05-01",
                2025,
            ),
            (
                "A1",
                _e(1),
                None,
                "奖一",
                "河南省技术发明奖",
                "奖励",
                "省级",
                "推荐",
                "2025-04-01",
                2025,
            ),
            (
                "A2",
                _e(2),
                None,
                "奖二",
                "河南省科学技术进步奖",
                "奖励",
                "省级",
                "推荐",
                "2025-04-02",
                2025,
            ),
            (
                "A2",
                _e(2),
                None,
                "奖二",
                "河南省科学技术进步奖",
                "奖励",
                "省级",
                "获奖",
                "2025-11-02",
                2025,
            ),
            (
                "A3",
                _e(3),
                None,
                "奖三",
                "郑州市科学技术进步奖",
                "奖励",
                "市级",
                "推荐",
                "2025-04-02",
                2025,
            ),
        ],
    )


def test_projects_and_award_nominations():
    pkg = _package(projects=_projects())
    # 立项 省级 项目 dated 2025: P1, P2 (last day), P5 (outside university); P4 is 2026 though programme year 2025
    assert value(pkg, "projects.provincial_approved", "2025") == 3
    assert (
        value(pkg, "awards.nominated", "2025") == 2
    )  # A1, A2 (A3 is 市级; A2 获奖 is another stage)
    assert value(pkg, "awards.nominated_invention", "2025") == 1
    assert value(pkg, "awards.nominated_progress", "2025") == 1
    assert value(pkg, "projects.provincial_approved", "2025Q1") == 1  # P1 only


# --------------------------------------------------------------------------- section 2


def _platforms() -> pd.DataFrame:
    cols = "platform_id name uscc type level approved revoked"
    return _frame(
        cols,
        [
            ("N1", "国家中心", _e(1), "工程技术研究中心", "国家级", "2010-01-01", None),
            ("N2", "国家分中心", _e(1), "国家企业技术分中心", "国家级", "2025-07-01", None),
            (
                "N3",
                "国家实验室",
                _e(2),
                "重点实验室",
                "国家级",
                "2015-01-01",
                "2025-12-31",
            ),  # revoked on the end
            ("S1", "省中心一", _e(2), "企业技术中心", "省级", "2020-01-01", None),
            ("S2", "省中心二", _e(3), "企业技术中心", "省级", "2025-01-01", None),
            ("S3", "省中心三", _e(4), "企业技术中心", "省级", "2025-12-31", None),
            ("S4", "省中心四", _e(4), "工程技术研究中心", "省级", "2018-01-01", "2026-03-01"),
            ("M1", "市中心", _e(6), "工程技术研究中心", "市级", "2019-01-01", "2024-05-01"),
        ],
    )


def test_platform_stocks_and_new_approvals():
    pkg = _package(platforms=_platforms())
    result = compute_indicators(pkg, parse_period("2025"))
    assert result["platforms.national"].value == 2  # N1, N2 (N3 revoked on 12-31)
    assert result["platforms.national"].previous == 2  # 2024: N1, N3
    assert result["platforms.national"].change == 0.0
    assert result["platforms.provincial"].value == 4  # S1 S2 S3 S4
    assert result["platforms.provincial"].previous == 2  # S1 S4
    assert result["platforms.provincial"].change == pytest.approx(100.0)
    municipal = result["platforms.municipal"]
    assert (municipal.value, municipal.previous, municipal.change, municipal.change_unit) == (
        0,
        0,
        None,
        None,
    )
    assert result["platforms.new_national"].value == 1  # N2
    assert result["platforms.new_provincial"].value == 2  # S2 (first day), S3 (last day)
    assert result["platforms.new_municipal"].value == 0
    assert result["platforms.total"].value == 6
    assert result["platforms.new"].value == 3
    assert len(platforms_in_force(pkg, D(2024, 1, 1), "市级")) == 1  # M1 before its revocation


def _activities() -> tuple[pd.DataFrame, pd.DataFrame]:
    acts = _frame(
        "activity_id date type title partners outcomes",
        [
            ("X1", "2025-04-01", "专家考察", "院士考察", "中国工程院", 0),
            ("X2", "2024-04-01", "专家考察", "专家考察", None, None),
            ("T1", "2025-06-01", "技术需求对接会", "对接会一", "哈工大郑州研究院", 1),
            ("T2", "2025-09-01", "技术需求对接会", "对接会二", "北理工郑州研究院", None),
            ("B1", "2025-02-01", "银企对接", "银企对接会", "某银行", 2),
            ("B2", "2025-11-01", "政银企座谈会", "座谈会", "某银行", None),
            ("C1", "2025-03-01", "培训", "合同登记员培训", None, None),
        ],
    )
    parts = pd.DataFrame(
        [
            {"activity_id": a, "uscc": _e(n)}
            for a, n in [("T1", 1), ("T1", 2), ("T1", 3), ("T2", 1), ("T2", 4), ("B1", 5)]
        ]
    )
    return acts, parts


def test_collaboration_activities():
    acts, parts = _activities()
    pkg = _package(activities=acts, activity_participants=parts)
    assert value(pkg, "collab.expert_visits", "2025") == 1
    # 民营 participants of 对接会: E1 (twice), E3, E4; E2 is 国有; E5 went to a 银企对接
    assert value(pkg, "collab.matchmaking_private", "2025") == 3
    assert value(pkg, "collab.demands_landed", "2025") == 1  # T1: 1, T2: empty
    assert value(pkg, "activities.matchmaking", "2025") == 2
    assert value(pkg, "finance.events", "2025") == 2  # B1, B2
    assert value(pkg, "finance.events", "2025Q1") == 1
    # without the participants table the private-enterprise count is unknown, the rest still known
    pkg2 = _package(activities=acts)
    assert (
        compute_indicator(pkg2, "collab.matchmaking_private", parse_period("2025")).status
        == "no_data"
    )
    assert value(pkg2, "collab.expert_visits", "2025") == 1


def test_talent():
    talent = _frame(
        "record_id uscc kind date headcount field",
        [
            ("R1", _e(1), "科技副总选聘", "2025-03-01", 2, "材料"),
            ("R2", _e(1), "科技副总选聘", "2025-09-01", 1, "材料"),
            ("R3", _e(2), "科技副总选聘", "2025-12-31", 1, "机械"),
            ("R4", _e(3), "人才需求", "2025-05-01", 3, "化工"),
            ("R5", _e(4), "人才需求", "2025-05-01", 1, "化工"),
            ("R6", _e(3), "人才需求", "2025-07-01", 2, "电子"),
            ("R7", _e(5), "人才需求", "2024-07-01", 2, "电子"),
        ],
    )
    pkg = _package(talent=talent)
    assert value(pkg, "talent.vp_enterprises", "2025") == 2
    assert value(pkg, "talent.vp_appointed", "2025") == 4
    assert value(pkg, "talent.demand_enterprises", "2025") == 2
    assert compute_indicator(pkg, "talent.demand_enterprises", parse_period("2025")).previous == 1


# --------------------------------------------------------------------------- section 3


def _contracts() -> pd.DataFrame:
    rows = [
        ("C1", "2025-01-01", 1, "技术开发", 100.5, 80.0),
        ("C2", "2025-12-31", 1, "技术服务", 200.0, None),
        ("C3", "2024-12-31", 2, "技术咨询", 50.0, 50.0),
        ("C4", "2025-06-30", 4, "技术转让", 10.25, 10.0),
    ]
    return pd.DataFrame(
        [
            {
                "contract_id": c,
                "registered": d,
                "uscc": _e(n),
                "seller_uscc": _e(n),
                "buyer": "买方",
                "buyer_region": "省内",
                "type": t,
                "amount": a,
                "tech_amount": ta,
                "field": "新材料",
            }
            for c, d, n, t, a, ta in rows
        ]
    )


def test_technology_contracts():
    pkg = _package(tech_contracts=_contracts())
    amount = compute_indicator(pkg, "contracts.amount", parse_period("2025"))
    assert amount.value == pytest.approx(310.75)  # C1 + C2 + C4
    assert amount.previous == pytest.approx(50.0)
    assert amount.change == pytest.approx((310.75 - 50) / 50 * 100)
    assert value(pkg, "contracts.count", "2025") == 3
    assert value(pkg, "contracts.tech_amount", "2025") == pytest.approx(
        90.0
    )  # C2's empty counts as 0
    assert value(pkg, "contracts.amount", "2025Q1") == pytest.approx(100.5)
    assert value(pkg, "contracts.amount", "2025Q4") == pytest.approx(200.0)


def test_achievements():
    ach = _frame(
        "record_id uscc kind title stage date amount",
        [
            ("R1", _e(1), "转移转化补助", "成果一", "申报", "2025-04-01", None),
            ("R1", _e(1), "转移转化补助", "成果一", "拨付", "2025-10-01", 20.0),
            ("R2", _e(1), "转移转化补助", "成果二", "申报", "2025-04-02", None),  # same enterprise
            ("R3", _e(2), "转移转化补助", "成果三", "申报", "2025-06-01", None),
            ("G1", _e(3), "绿色低碳先进技术", "技术一", "申报", "2025-05-01", None),
            ("G1", _e(3), "绿色低碳先进技术", "技术一", "认定", "2025-11-01", None),
            ("G2", _e(3), "绿色低碳先进技术", "技术二", "申报", "2025-05-01", None),
            ("G3", _e(4), "绿色低碳先进技术", "技术三", "申报", "2024-05-01", None),
        ],
    )
    pkg = _package(achievements=ach)
    assert value(pkg, "subsidy.applicants", "2025") == 2  # E1, E2
    assert value(pkg, "green_tech.submitted", "2025") == 2  # G1, G2 (rows, not enterprises)


def _financing() -> pd.DataFrame:
    return _frame(
        "record_id uscc product bank activity_id date requested resolved",
        [
            ("F1", _e(1), "郑科贷", "甲银行", "B1", "2025-03-01", 1000.0, 800.0),
            ("F2", _e(2), "科技信贷", "乙银行", None, "2025-08-01", 500.0, None),
            ("F3", _e(1), "知识产权质押融资", "甲银行", None, "2024-08-01", 100.0, 100.0),
            ("F4", _e(4), "其他", "乙银行", None, "2025-09-30", 300.0, 300.0),
        ],
    )


def test_financing():
    pkg = _package(financing=_financing())
    assert value(pkg, "finance.resolved", "2025") == pytest.approx(1100.0)  # F1 800 + F4 300
    assert value(pkg, "finance.requested", "2025") == pytest.approx(1800.0)
    assert value(pkg, "finance.enterprises", "2025") == 2  # E1, E4 (F2 unresolved)
    v = compute_indicator(pkg, "finance.resolved", parse_period("2025Q3"))  # F2 (empty), F4
    assert (v.value, v.previous) == (pytest.approx(300.0), pytest.approx(100.0))


# --------------------------------------------------------------------------- statuses, cutoff, documents


def test_a_missing_table_is_no_data_never_zero():
    pkg = _package()  # enterprises only
    result = compute_indicators(pkg, parse_period("2025"))
    for v in result:
        assert v.status == "no_data" and v.value is None and v.previous is None, v.id
    doc = result.to_document()
    assert doc["indicators"]["contracts.amount"]["value"] is None
    assert (
        json.loads(json.dumps(doc, ensure_ascii=False))["indicators"]["hnte.valid"]["status"]
        == "no_data"
    )


def test_cutoff_clips_flows_and_stocks_and_the_previous_year():
    contracts = _contracts()
    contracts.loc[len(contracts)] = {
        **contracts.iloc[0].to_dict(),
        "contract_id": "C9",
        "registered": "2025-11-05",
    }
    contracts.loc[len(contracts)] = {
        **contracts.iloc[0].to_dict(),
        "contract_id": "C8",
        "registered": "2024-11-05",
        "amount": 7.0,
    }
    certs = _certs(
        [
            (
                1,
                "高新技术企业",
                "认定",
                "2022-11-20",
                "2025-11-19",
                None,
            ),  # valid on 10-31, not 12-31
            (2, "高新技术企业", "认定", "2025-11-01", "2028-10-31", None),
        ]
    )  # after the cutoff
    pkg = _package(cutoff=D(2025, 10, 31), tech_contracts=contracts, certifications=certs)
    result = compute_indicators(pkg, parse_period("2025"))
    assert result.period.end == D(2025, 10, 31) and result.period.clipped
    # C9 (11-05) is after the cutoff; C2 (12-31) too: C1 + C4
    assert result["contracts.amount"].value == pytest.approx(110.75)
    # previous: 2024 up to 2024-10-31; the contract ledger begins with C8 on 2024-11-05,
    # so the clipped previous year lies before the records: no data, not 0
    assert result["contracts.amount"].previous is None
    assert result["contracts.amount"].change is None
    assert result["hnte.valid"].value == 1  # E1 on 2025-10-31
    doc = result.to_document()
    assert (doc["end"], doc["cutoff"], doc["start"]) == ("2025-10-31", "2025-10-31", "2025-01-01")
    # a period the cutoff does not reach is untouched
    assert compute_indicators(pkg, parse_period("2024")).period.end == D(2024, 12, 31)


# the indicators document's keys, in order (docs/interface.md, "The indicators document")
DOCUMENT_KEYS = [
    "district",
    "period",
    "start",
    "end",
    "cutoff",
    "coverage_end",
    "warnings",
    "indicators",
]


def test_indicators_document_has_exactly_the_interface_shape():
    pkg = _package(certifications=_certs(_HNTE_ROWS), rd_survey=_survey())
    doc = compute_indicators(pkg, parse_period("2025")).to_document()
    assert list(doc) == DOCUMENT_KEYS
    # enterprise 5's 认定 of 2026-01-05 is the last record: covered to 2026-12-31; the
    # survey's last year is 2025, before 2026: one warning naming it and its last day
    assert doc["coverage_end"] == "2026-12-31"
    assert len(doc["warnings"]) == 1
    assert doc["warnings"][0].startswith("研发投入调查的记录止于2025-12-31")
    assert doc["district"] == {"id": "testdist", "code": "410106", "name": "测试区"}
    assert (doc["period"], doc["start"], doc["end"], doc["cutoff"]) == (
        "2025",
        "2025-01-01",
        "2025-12-31",
        None,
    )
    assert set(doc["indicators"]) == set(load_registry())
    hnte = doc["indicators"]["hnte.valid"]
    assert hnte == {
        "value": 4,
        "unit": "家",
        "kind": "stock",
        "status": "ok",
        "previous": 6,
        "change": pytest.approx(-100 / 3),
        "change_unit": "%",
    }
    cov = doc["indicators"]["rd.coverage_industrial"]
    assert (
        cov["unit"] == "%"
        and cov["change_unit"] == "pp"
        and cov["value"] == pytest.approx(33.3333333)
    )
    json.dumps(doc, ensure_ascii=False)  # serialisable: plain ints, floats, None


def test_unknown_indicator_and_bad_breakdown_are_usage_errors():
    pkg = _package()
    with pytest.raises(UsageError):
        compute_indicator(pkg, "no.such", parse_period("2025"))
    with pytest.raises(UsageError):
        breakdown(
            pkg, "finance.events", parse_period("2025"), by="town"
        )  # activities have no enterprise
    with pytest.raises(UsageError):
        breakdown(pkg, "hnte.valid", parse_period("2025"), by="colour")
    with pytest.raises(UsageError):
        contributions(pkg, "hnte.valid", parse_period("2025"))


# --------------------------------------------------------------------------- breakdowns, contributions, trend


def test_breakdown_by_town_lists_every_town_with_zeros():
    pkg = _package(certifications=_certs(_HNTE_ROWS))
    out = breakdown(pkg, "hnte.valid", parse_period("2025"), by="town")
    # valid: E1 (甲镇), E4 (乙街道), E6 (乙街道), E7 (甲镇); 丙街道 none
    assert list(out["town"]) == list(TOWNS)
    assert list(out["value"]) == [2, 2, 0]
    assert list(out["enterprises"]) == [2, 2, 0]
    assert out["value"].sum() == value(pkg, "hnte.valid", "2025")


def test_breakdown_by_sector_of_money_and_rates():
    pkg = _package(tech_contracts=_contracts(), rd_survey=_survey())
    out = breakdown(pkg, "contracts.amount", parse_period("2025"), by="sector").set_index("sector")
    # E1 先进材料 300.5 (C1 + C2); E4 装备制造 10.25; 现代服务 none
    assert out.loc["先进材料", "value"] == pytest.approx(300.5)
    assert out.loc["装备制造", "value"] == pytest.approx(10.25)
    assert out.loc["现代服务", "value"] == 0
    assert out.loc["先进材料", "enterprises"] == 1
    cov = breakdown(pkg, "rd.coverage_industrial", parse_period("2025"), by="town").set_index(
        "town"
    )
    # 规上工业 rows: E1 (甲镇, R&D), E2 (甲镇, none), E6 (乙街道, none)
    assert cov.loc["甲镇", "value"] == pytest.approx(50.0)
    assert cov.loc["乙街道", "value"] == pytest.approx(0.0)
    assert pd.isna(cov.loc["丙街道", "value"])  # no 规上工业 there: no rate


def test_breakdown_puts_outside_bearers_in_an_unassigned_row():
    out = breakdown(
        _package(projects=_projects()),
        "projects.provincial_approved",
        parse_period("2025"),
        by="town",
    )
    assert list(out["town"]) == [*TOWNS, "（未归属）"]
    assert list(out["value"]) == [2, 0, 0, 1]  # P1 E1 甲镇, P2 E2 甲镇, P5 某大学


def test_breakdown_without_the_table_is_all_no_data():
    out = breakdown(_package(), "hnte.valid", parse_period("2025"), by="town")
    assert out.attrs["status"] == "no_data" and out["value"].isna().all() and len(out) == 3


def test_contributions_per_enterprise_largest_first():
    pkg = _package(tech_contracts=_contracts())
    out = contributions(pkg, "contracts.amount", parse_period("2025"))
    assert list(out.columns) == ["uscc", "town", "sector", "value"]
    assert list(out["uscc"]) == [_e(1), _e(4)]
    assert list(out["value"]) == [pytest.approx(300.5), pytest.approx(10.25)]
    assert list(out["town"]) == ["甲镇", "乙街道"]
    assert out["value"].sum() == pytest.approx(value(pkg, "contracts.amount", "2025"))
    survey = contributions(_package(rd_survey=_survey()), "rd.expenditure", parse_period("2025"))
    assert dict(zip(survey["uscc"], survey["value"])) == {
        _e(1): 1000.5,
        _e(3): 200.0,
        _e(2): 0.0,
        _e(6): 0.0,
    }
    assert (
        contributions(_package(), "finance.resolved", parse_period("2025")).attrs["status"]
        == "no_data"
    )


def test_monthly_contributions_put_each_row_in_its_month():
    """The input of a year's disclosure family: per enterprise and month, as contributions
    of that month alone would give (worked from _contracts by hand)."""
    pkg = _package(tech_contracts=_contracts())
    out = monthly_contributions(pkg, "contracts.amount", 2025, 12)
    assert list(out.columns) == ["uscc", "month", "value"]
    assert list(zip(out["month"], out["uscc"], out["value"])) == [
        (1, _e(1), 100.5),  # C1 on 1 January
        (6, _e(4), 10.25),  # C4 on 30 June
        (12, _e(1), 200.0),  # C2 on 31 December
    ]
    # a missing 技术交易额 is 0: the enterprise is still a respondent of its month
    tech = monthly_contributions(pkg, "contracts.tech_amount", 2025, 12)
    assert list(zip(tech["month"], tech["value"])) == [(1, 80.0), (6, 10.0), (12, 0.0)]
    assert list(monthly_contributions(pkg, "contracts.amount", 2025, 6)["month"]) == [1, 6]
    last_year = monthly_contributions(pkg, "contracts.amount", 2024, 12)
    assert list(zip(last_year["month"], last_year["uscc"])) == [(12, _e(2))]
    assert monthly_contributions(pkg, "contracts.amount", 2023, 12).empty  # before the records
    with pytest.raises(UsageError):  # the survey's money has one figure a year, no months
        monthly_contributions(_package(rd_survey=_survey()), "rd.expenditure", 2025, 12)
    for month in (1, 6, 12):  # each month as contributions of that month alone gives it
        whole = parse_period(f"2025M{month:02d}")  # year to date: January to the month
        alone = dataclasses.replace(whole, start=dt.date(2025, month, 1))
        alone = contributions(pkg, "contracts.amount", alone)
        assert list(alone["value"]) == list(out[out["month"] == month]["value"])


def test_trend_over_a_range():
    pkg = _package(tech_contracts=_contracts(), rd_survey=_survey())
    t = trend(pkg, "contracts.count", parse_periods("2023..2025"))
    assert list(t["period"]) == ["2023", "2024", "2025"]
    # the ledger begins with C3 on 2024-12-31: 2023 is before the records (no data, not 0)
    assert list(t["status"]) == ["no_data", "ok", "ok"]
    assert pd.isna(t["value"][0]) and list(t["value"][1:]) == [1, 3]
    t = trend(pkg, "rd.surveyed", [parse_period("2025H1"), parse_period("2025H2")])
    assert (
        t["status"].tolist() == ["no_data", "ok"] and pd.isna(t["value"][0]) and t["value"][1] == 4
    )


def test_a_period_before_a_ledgers_first_record_has_no_data():
    """Records of a table begin at its earliest date: before it, flows and stocks are unknown."""
    certs = _certs([(1, "高新技术企业", "认定", "2022-11-20", "2025-11-19", None)])
    pkg = _package(certifications=certs, tech_contracts=_contracts())
    assert (
        compute_indicator(pkg, "hnte.valid", parse_period("2022Q3")).status == "no_data"
    )  # ends 09-30 < 11-20
    assert (
        compute_indicator(pkg, "hnte.valid", parse_period("2022")).value == 1
    )  # ends 12-31, after the first record
    assert compute_indicator(pkg, "hnte.recognized", parse_period("2022")).value == 1
    first = compute_indicator(
        pkg, "contracts.count", parse_period("2024")
    )  # C3 on 2024-12-31, the ledger's first row
    assert (first.value, first.previous, first.change) == (1, None, None)


def test_in_period_includes_both_bounds_and_excludes_empty_dates():
    frame = pd.DataFrame(
        {
            "d": pd.to_datetime(["2025-07-01", "2025-09-30", "2025-06-30", None]).astype(
                "datetime64[s]"
            )
        }
    )
    assert in_period(frame, "d", parse_period("2025Q3")).tolist() == [True, True, False, False]


# --------------------------------------------------------------------------- every indicator, every period


def _full_package() -> Package:
    acts, parts = _activities()
    return _package(
        certifications=_certs(_HNTE_ROWS),
        rd_survey=_survey(),
        projects=_projects(),
        platforms=_platforms(),
        activities=acts,
        activity_participants=parts,
        tech_contracts=_contracts(),
        financing=_financing(),
        talent=_frame(
            "record_id uscc kind date headcount field",
            [("R1", _e(1), "科技副总选聘", "2025-03-01", 2, "材料")],
        ),
        achievements=_frame(
            "record_id uscc kind title stage date amount",
            [("G1", _e(3), "绿色低碳先进技术", "技术一", "申报", "2025-05-01", None)],
        ),
    )


def test_every_indicator_computes_for_every_kind_of_period():
    from innolib.periods import parse_periods

    pkg = _full_package()
    periods = [
        *parse_periods("2021..2025"),
        *parse_periods("2021H1..2025H2"),
        *parse_periods("2025Q1..2025Q4"),
        parse_period("2025M09"),
    ]
    for p in periods:
        result = compute_indicators(pkg, p)
        assert isinstance(result, IndicatorSet) and len(result) == len(load_registry())
        for v in result:
            annual_part_year = v.kind == "annual" and not p.ends_on_year_end
            if annual_part_year:
                assert v.status == "no_data", (p.label, v.id)
            elif p.end >= D(
                2025, 6, 30
            ):  # every ledger of the package has begun (the last, 2025-05-01)
                assert v.status == "ok", (p.label, v.id)
            else:  # before a ledger's first record: no data, never an error
                assert v.status in ("ok", "no_data"), (p.label, v.id)
            assert v.value is None or isinstance(v.value, (int, float))


def test_all_indicators_for_one_period_are_fast():
    pkg = _full_package()
    compute_indicators(pkg, parse_period("2025"))  # warm the registry cache
    start = time.perf_counter()
    compute_indicators(pkg, parse_period("2025"))
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- the sample package

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shangjie"


def _sample_package() -> Package:
    from innolib.load import load_package

    return load_package(SAMPLE)  # the shipped sample must be there: a missing one is a failure


def test_sample_package_gives_every_bulletin_value_for_2025():
    result = compute_indicators(_sample_package(), parse_period("2025"))
    wrong = {}
    for iid, expected in BULLETIN_2025.items():
        v = result[iid]
        if isinstance(expected, tuple):
            low, high = expected
            good = v.status == "ok" and low <= v.value < high
        else:
            good = v.status == "ok" and v.value == expected
        if not good:
            wrong[iid] = (v.value, expected)
    assert not wrong, f"indicator: (computed, bulletin) {wrong}"


def test_sample_package_computes_every_period_fast():
    from innolib.periods import parse_periods

    pkg = _sample_package()
    for p in [
        *parse_periods("2021..2025"),
        *parse_periods("2021H1..2025H2"),
        *parse_periods("2021Q1..2025Q4"),
    ]:
        compute_indicators(pkg, p)
    start = time.perf_counter()
    compute_indicators(pkg, parse_period("2025"))
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- the CLI handler


def test_cli_indicators_bad_period_is_a_usage_error(capsys):
    from innolib.cli import main

    assert main(["indicators", str(SAMPLE), "--period", "2025Q5"]) == 2
    assert "2025Q5" in capsys.readouterr().err


def test_cli_indicators_json_and_table_on_the_sample(capsys):
    from innolib.cli import main

    _sample_package()  # skips while the sample or the loader is missing
    assert main(["indicators", str(SAMPLE), "--period", "2025", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == DOCUMENT_KEYS
    # the sample's ledgers all have records in 2025 and none later: covered to year end
    assert (doc["coverage_end"], doc["warnings"]) == ("2025-12-31", [])
    assert doc["district"]["id"] == "shangjie" and doc["period"] == "2025"
    assert doc["indicators"]["hnte.valid"]["value"] == 106
    assert main(["indicators", str(SAMPLE), "--period", "2025H1"]) == 0
    text = capsys.readouterr().out
    assert "有效期内高新技术企业" in text and "无数据" in text  # annual survey on a half year


def test_sample_breakdowns_add_up_to_the_totals():
    """Each enterprise has one town and one sector, so the parts of a count or a sum add up."""
    pkg = _sample_package()
    result = compute_indicators(pkg, parse_period("2025"))
    for defn in load_registry().values():
        if defn.is_rate or result[defn.id].status != "ok":
            continue
        for by in defn.breakdown_by:
            parts = breakdown(pkg, defn.id, parse_period("2025"), by=by)
            assert parts["value"].sum() == pytest.approx(result[defn.id].value), (defn.id, by)
        if defn.is_money and defn.breakdown_by:
            assert contributions(pkg, defn.id, parse_period("2025"))[
                "value"
            ].sum() == pytest.approx(result[defn.id].value)
    towns = breakdown(pkg, "hnte.valid", parse_period("2025"), by="town")
    assert set(pkg.district.towns) <= set(towns["town"])


def test_selected_rows_are_the_rows_behind_the_value():
    from innolib.indicators import selected_rows

    pkg = _full_package()
    period = parse_period("2025")
    for iid in ("hnte.applied", "projects.provincial_approved", "talent.vp_enterprises"):
        rows = selected_rows(pkg, iid, period)
        counted = compute_indicator(pkg, iid, period).value
        assert rows["uscc"].nunique() == counted or len(rows) == counted, iid
    # no table, no rows (and no error): the indicator has no data
    assert selected_rows(_package(), "contracts.count", period).empty
