"""Shared test set-up: every test starts from the same state and leaves nothing behind.

- figures are closed after each test, the house theme is reset (matplotlib defaults, then
  ``set_theme`` where a test asks for it), and Python's and NumPy's global random state is
  seeded, so no test depends on the order the others ran in;
- ``mini_package()`` is a small hand-written district whose figures the tests count by hand
  (``tests/test_narrative.py`` and ``tests/test_export.py`` use it): import it from here,
  never from another test file.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from innolib.package import District, Package

ROOT = Path(__file__).resolve().parents[1]

#: The published 2025 bulletin the sample is calibrated to. It is not part of the project (the
#: project's own figures are in docs/indicators.md); it lies beside a checkout as
#: ``../shared/seed/``. Tests that read it skip without it on a developer's machine, and fail
#: under ``CI=true``, where its absence means the check silently stopped running.
SEED_BULLETIN = ROOT.parent / "shared" / "seed" / "000_2e67c4ba01b6f7e8.txt"


#: The figures of the published 2025 bulletin that the sample package must reproduce
#: (docs/indicator-values.md): exact counts, and [low, high) intervals for money (万元) and
#: rates (%) that the bulletin's rounded wording allows (约4.5亿元: 44,500 ≤ x < 45,500).
BULLETIN_2025 = {
    "tech_sme.recommended": 17,
    "hnte.applied": 40,
    "hnte.applied_batches": 2,
    "tech_sme.cumulative": 278,
    "hnte.valid": 106,
    "gazelle.valid": 5,
    "leader.valid": 1,
    "rd.surveyed": 144,
    "rd.expenditure": (44500, 45500),
    "rd.coverage_industrial": (58.5, 59.5),
    "projects.provincial_approved": 3,
    "awards.nominated": 2,
    "awards.nominated_invention": 1,
    "awards.nominated_progress": 1,
    "platforms.national": 2,
    "platforms.provincial": 40,
    "platforms.municipal": 62,
    "platforms.new_national": 1,
    "platforms.new_provincial": 2,
    "collab.expert_visits": 1,
    "collab.matchmaking_private": 11,
    "collab.demands_landed": 1,
    "talent.vp_enterprises": 3,
    "talent.demand_enterprises": 9,
    "contracts.amount": (47000, 48000),
    "subsidy.applicants": 2,
    "green_tech.submitted": 3,
    "finance.events": 7,
    "finance.resolved": (28000, 29000),
}


@pytest.fixture(scope="session")
def seed_bulletin() -> str:
    """The text of the published 2025 bulletin (see ``SEED_BULLETIN``)."""
    if not SEED_BULLETIN.exists():
        message = f"the published 2025 bulletin is not at {SEED_BULLETIN}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: this check must run)")
        pytest.skip(message)
    return SEED_BULLETIN.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _clean_state():
    """Seed randomness, reset matplotlib's settings; close every figure afterwards."""
    random.seed(20250101)
    np.random.seed(20250101)
    matplotlib.rcdefaults()
    matplotlib.use("Agg")
    yield
    plt.close("all")


TOWNS = ("峡窝镇", "济源路街道", "中心路街道")


def _e(n: int) -> str:
    """A valid USCC (both check characters) for enterprise n, so the loader accepts CSV copies."""
    from innolib.normalize import complete_uscc

    return complete_uscc(f"91410106MA{n:06d}")


# n, name, town, sector, class, ownership
ENTERPRISES = [
    (1, "甲材料", "峡窝镇", "先进材料", "规上工业", "国有"),
    (2, "乙装备", "峡窝镇", "装备制造", "规上工业", "民营"),
    (3, "丙科技", "济源路街道", "先进材料", "规上工业", "民营"),
    (4, "丁智能", "济源路街道", "装备制造", "规上服务业", "民营"),
    (5, "戊新材", "中心路街道", "先进材料", "规上工业", "民营"),
    (6, "己服务", "中心路街道", "现代服务", "无", "民营"),
]


def district(cutoff: dt.date | None = None) -> District:
    return District(
        id="minidist",
        code="410106",
        name="上街区",
        name_en="Shangjie District",
        city="郑州市",
        province="河南省",
        towns=TOWNS,
        cutoff=cutoff,
    )


def frames() -> dict[str, pd.DataFrame]:
    """Every table of the mini district (see the module docstring)."""
    f: dict[str, pd.DataFrame] = {}
    f["enterprises"] = pd.DataFrame(
        [
            {
                "uscc": _e(n),
                "name": name,
                "town": town,
                "industry_code": "32",
                "sector": sector,
                "above_scale": cls,
                "ownership": own,
                "established": "2010-01-01",
            }
            for n, name, town, sector, cls, own in ENTERPRISES
        ]
    )
    certs = [  # n, tier, stage, date, valid_until, batch
        (1, "科技型企业", "推荐", "2025-03-01", None, None),
        (2, "科技型企业", "推荐", "2025-08-15", None, None),
        (3, "科技型企业", "推荐", "2025-08-20", None, None),
        (1, "科技型企业", "认定", "2023-05-01", None, None),
        (2, "科技型企业", "认定", "2024-05-01", None, None),
        (4, "科技型企业", "认定", "2025-09-01", None, None),
        (1, "高新技术企业", "申报", "2025-04-01", None, "2025年第一批"),
        (2, "高新技术企业", "申报", "2025-04-01", None, "2025年第一批"),
        (3, "高新技术企业", "申报", "2025-07-10", None, "2025年第二批"),
        (1, "高新技术企业", "认定", "2023-11-01", "2026-10-31", None),
        (2, "高新技术企业", "认定", "2022-12-01", "2025-11-30", None),
        (5, "高新技术企业", "认定", "2024-12-01", "2027-11-30", None),
        (1, "瞪羚企业", "认定", "2024-06-01", "2027-06-01", None),
        (1, "创新龙头企业", "认定", "2025-02-01", "2028-01-31", None),
    ]
    f["certifications"] = pd.DataFrame(
        [
            {"uscc": _e(n), "tier": t, "stage": s, "date": d, "valid_until": v, "batch": b}
            for n, t, s, d, v, b in certs
        ]
    )
    survey = [  # year, n, class, reported, has_rd, rd_expenditure
        (2025, 1, "规上工业", True, True, 15000.0),
        (2025, 2, "规上工业", True, True, 12000.0),
        (2025, 3, "规上工业", True, True, 10000.0),
        (2025, 4, "规上服务业", True, True, 7987.0),
        (2025, 5, "规上工业", True, False, 0.0),
        (2024, 1, "规上工业", True, True, 14000.0),
        (2024, 2, "规上工业", True, True, 11000.0),
        (2024, 3, "规上工业", True, False, 0.0),
        (2024, 4, "规上服务业", True, True, 6000.0),
        (2024, 5, "规上工业", True, False, 0.0),
    ]
    f["rd_survey"] = pd.DataFrame(
        [
            {
                "year": y,
                "uscc": _e(n),
                "above_scale": c,
                "reported": r,
                "has_rd": h,
                "rd_expenditure": x,
                "revenue": 100000.0,
                "rd_staff": 10,
            }
            for y, n, c, r, h, x in survey
        ]
    )
    f["projects"] = pd.DataFrame(
        [
            {
                "project_id": "P1",
                "uscc": _e(1),
                "title": "高纯氧化铝制备技术研究",
                "programme": "河南省科技发展计划",
                "kind": "项目",
                "level": "省级",
                "stage": "立项",
                "date": "2025-06-01",
                "year": 2025,
            },
            {
                "project_id": "P2",
                "uscc": _e(2),
                "title": "智能装备关键部件研发",
                "programme": "河南省科技发展计划",
                "kind": "项目",
                "level": "省级",
                "stage": "申报",
                "date": "2025-02-01",
                "year": 2025,
            },
            {
                "project_id": "P2",
                "uscc": _e(2),
                "title": "智能装备关键部件研发",
                "programme": "河南省科技发展计划",
                "kind": "项目",
                "level": "省级",
                "stage": "立项",
                "date": "2025-06-01",
                "year": 2025,
            },
            {
                "project_id": "P3",
                "uscc": None,
                "name": "某工业大学",
                "title": "铝基材料应用",
                "programme": "河南省科技发展计划",
                "kind": "项目",
                "level": "省级",
                "stage": "立项",
                "date": "2025-08-01",
                "year": 2025,
            },
            {
                "project_id": "A1",
                "uscc": _e(1),
                "title": "高性能铝材",
                "programme": "河南省技术发明奖",
                "kind": "奖励",
                "level": "省级",
                "stage": "推荐",
                "date": "2025-05-01",
                "year": 2025,
            },
            {
                "project_id": "A2",
                "uscc": _e(3),
                "title": "先进陶瓷",
                "programme": "河南省科学技术进步奖",
                "kind": "奖励",
                "level": "省级",
                "stage": "推荐",
                "date": "2025-05-01",
                "year": 2025,
            },
        ]
    )
    f["platforms"] = pd.DataFrame(
        [
            {
                "platform_id": "PL1",
                "name": "国家企业技术分中心",
                "uscc": _e(1),
                "type": "国家企业技术分中心",
                "level": "国家级",
                "approved": "2025-04-01",
                "revoked": None,
            },
            {
                "platform_id": "PL2",
                "name": "省企业技术中心",
                "uscc": _e(2),
                "type": "企业技术中心",
                "level": "省级",
                "approved": "2025-07-01",
                "revoked": None,
            },
            {
                "platform_id": "PL3",
                "name": "省工程技术研究中心",
                "uscc": _e(3),
                "type": "工程技术研究中心",
                "level": "省级",
                "approved": "2020-01-01",
                "revoked": None,
            },
            {
                "platform_id": "PL4",
                "name": "市工程技术研究中心",
                "uscc": _e(4),
                "type": "工程技术研究中心",
                "level": "市级",
                "approved": "2019-01-01",
                "revoked": None,
            },
            {
                "platform_id": "PL5",
                "name": "市重点实验室",
                "uscc": _e(5),
                "type": "重点实验室",
                "level": "市级",
                "approved": "2021-01-01",
                "revoked": "2024-06-01",
            },
        ]
    )
    f["activities"] = pd.DataFrame(
        [
            {
                "activity_id": "AC1",
                "date": "2025-05-10",
                "type": "专家考察",
                "title": "院士专家考察",
                "outcomes": 0,
            },
            {
                "activity_id": "AC2",
                "date": "2025-06-15",
                "type": "技术需求对接会",
                "title": "技术需求对接会",
                "partners": "某工业大学郑州研究院",
                "outcomes": 1,
            },
            {
                "activity_id": "AC3",
                "date": "2025-03-01",
                "type": "银企对接",
                "title": "银企对接会",
                "outcomes": 0,
            },
            {
                "activity_id": "AC4",
                "date": "2025-08-01",
                "type": "政银企座谈会",
                "title": "政银企座谈会",
                "outcomes": 0,
            },
            {
                "activity_id": "AC5",
                "date": "2024-03-01",
                "type": "银企对接",
                "title": "银企对接会",
                "outcomes": 0,
            },
        ]
    )
    f["activity_participants"] = pd.DataFrame(
        [{"activity_id": "AC2", "uscc": _e(n)} for n in (1, 2, 3)]
    )
    f["talent"] = pd.DataFrame(
        [
            {
                "record_id": "T1",
                "uscc": _e(1),
                "kind": "科技副总选聘",
                "date": "2025-04-01",
                "headcount": 1,
            },
            {
                "record_id": "T2",
                "uscc": _e(2),
                "kind": "科技副总选聘",
                "date": "2025-05-01",
                "headcount": 1,
            },
            {
                "record_id": "T3",
                "uscc": _e(2),
                "kind": "人才需求",
                "date": "2025-05-01",
                "headcount": 2,
            },
            {
                "record_id": "T4",
                "uscc": _e(4),
                "kind": "人才需求",
                "date": "2025-06-01",
                "headcount": 1,
            },
            {
                "record_id": "T5",
                "uscc": _e(5),
                "kind": "人才需求",
                "date": "2025-06-02",
                "headcount": 3,
            },
        ]
    )
    f["tech_contracts"] = pd.DataFrame(
        [
            {
                "contract_id": "C1",
                "registered": "2025-03-05",
                "seller_uscc": _e(1),
                "buyer": "某公司",
                "buyer_region": "省内",
                "type": "技术开发",
                "amount": 20000.0,
                "tech_amount": 18000.0,
            },
            {
                "contract_id": "C2",
                "registered": "2025-08-01",
                "seller_uscc": _e(2),
                "buyer": "某公司",
                "buyer_region": "省外",
                "type": "技术服务",
                "amount": 15000.0,
                "tech_amount": 15000.0,
            },
            {
                "contract_id": "C3",
                "registered": "2025-11-20",
                "seller_uscc": _e(3),
                "buyer": "某公司",
                "buyer_region": "市内",
                "type": "技术转让",
                "amount": 12312.0,
                "tech_amount": 12000.0,
            },
            {
                "contract_id": "C4",
                "registered": "2024-05-01",
                "seller_uscc": _e(1),
                "buyer": "某公司",
                "buyer_region": "省内",
                "type": "技术开发",
                "amount": 30000.0,
                "tech_amount": 30000.0,
            },
            {
                "contract_id": "C5",
                "registered": "2024-06-01",
                "seller_uscc": _e(2),
                "buyer": "某公司",
                "buyer_region": "省内",
                "type": "技术服务",
                "amount": 10000.0,
                "tech_amount": 10000.0,
            },
            {
                "contract_id": "C6",
                "registered": "2024-07-01",
                "seller_uscc": _e(4),
                "buyer": "某公司",
                "buyer_region": "省内",
                "type": "技术咨询",
                "amount": 10000.0,
                "tech_amount": 10000.0,
            },
        ]
    )
    f["achievements"] = pd.DataFrame(
        [
            {
                "record_id": "R1",
                "uscc": _e(1),
                "kind": "转移转化补助",
                "title": "成果甲",
                "stage": "申报",
                "date": "2025-05-01",
            },
            {
                "record_id": "R2",
                "uscc": _e(3),
                "kind": "转移转化补助",
                "title": "成果乙",
                "stage": "申报",
                "date": "2025-05-02",
            },
            {
                "record_id": "R3",
                "uscc": _e(2),
                "kind": "绿色低碳先进技术",
                "title": "节能窑炉",
                "stage": "申报",
                "date": "2025-06-01",
            },
            {
                "record_id": "R4",
                "uscc": _e(5),
                "kind": "绿色低碳先进技术",
                "title": "余热回收",
                "stage": "申报",
                "date": "2025-06-01",
            },
        ]
    )
    f["financing"] = pd.DataFrame(
        [
            {
                "record_id": "F1",
                "uscc": _e(1),
                "product": "郑科贷",
                "bank": "某银行",
                "date": "2025-02-01",
                "requested": 12000.0,
                "resolved": 10000.0,
            },
            {
                "record_id": "F2",
                "uscc": _e(2),
                "product": "科技信贷",
                "bank": "某银行",
                "date": "2025-09-01",
                "requested": 10000.0,
                "resolved": 9000.0,
            },
            {
                "record_id": "F3",
                "uscc": _e(5),
                "product": "知识产权质押融资",
                "bank": "某银行",
                "date": "2025-10-01",
                "requested": 9450.0,
                "resolved": 9450.0,
            },
        ]
    )
    return f


def mini_package(
    drop: tuple[str, ...] = (), cutoff: dt.date | None = None, **replace: pd.DataFrame
) -> Package:
    f = frames()
    f.update(replace)
    return Package.from_frames(district(cutoff), {k: v for k, v in f.items() if k not in drop})


def recoverable_runs(published: list[tuple[int, int]], targets: list[tuple[int, int]]) -> list:
    """The runs of months among ``targets`` whose sum follows exactly from the ``published``
    runs (linear algebra over the months: a target is recoverable when its indicator vector
    lies in the row space of the published ones). Tests of disclosure control use it to prove
    that no withheld period of a year's family can be worked out by subtraction."""
    months = max([j for _, j in published + targets], default=1)

    def vector(run):
        v = np.zeros(months)
        v[run[0] - 1 : run[1]] = 1.0
        return v

    a = np.vstack([vector(r) for r in published]) if published else np.zeros((0, months))
    rank = np.linalg.matrix_rank(a) if len(a) else 0
    return [t for t in targets if np.linalg.matrix_rank(np.vstack([a, vector(t)])) == rank]
