"""Tests of the synthetic generator (innolib.synth) and of the shipped sample data/shangjie.

The 2025 figures are checked by an independent checker written here with plain pandas,
straight from the counting rules of docs/indicators.md, so that these tests do not depend on
innolib.indicators; where that module exists, its values are compared too.
"""

from __future__ import annotations

import filecmp
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import BULLETIN_2025

from innolib.normalize import uscc_valid
from innolib.synth import generate
from innolib.synth.enterprises import make_usccs
from innolib.tables import BOOL, DATE, INT, MONEY, TABLES, YEAR

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "shangjie"
YEARS = (2021, 2022, 2023, 2024, 2025)


# --------------------------------------------------------------------------------------
# Reading a CSV package back (plain pandas, headers from the table declarations)
# --------------------------------------------------------------------------------------


def read_csv_package(folder: Path) -> dict[str, pd.DataFrame]:
    """Each table of a CSV package as a frame with id columns and plain Python types."""
    frames = {}
    for tid, decl in TABLES.items():
        path = folder / f"{decl.zh}.csv"
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        assert list(raw.columns) == [c.header for c in decl.columns], tid
        df = pd.DataFrame()
        for col in decl.columns:
            s = raw[col.header].replace("", np.nan)
            if col.type == DATE:
                s = pd.to_datetime(s, format="%Y-%m-%d")
            elif col.type == MONEY:
                s = s.astype(float)
            elif col.type in (INT, YEAR):
                s = s.astype(float).astype("Int64")
            elif col.type == BOOL:
                assert set(s.dropna()) <= {"是", "否"}, (tid, col.id)
                s = s.map({"是": True, "否": False})
            df[col.id] = s
        frames[tid] = df
    return frames


# --------------------------------------------------------------------------------------
# The independent checker: docs/indicators.md's rules, written out for a calendar year
# --------------------------------------------------------------------------------------


def _in_year(dates: pd.Series, year: int) -> pd.Series:
    return (dates >= pd.Timestamp(year, 1, 1)) & (dates <= pd.Timestamp(year, 12, 31))


def _valid_at(cert: pd.DataFrame, tier: str, end: pd.Timestamp) -> int:
    """Distinct enterprises with a 认定 of ``tier`` on or before ``end``, valid_until ≥ end,
    and no 撤销 of that tier dated after the 认定 and on or before ``end``."""
    rows = cert[cert["tier"] == tier]
    recog = rows[(rows["stage"] == "认定") & (rows["date"] <= end) & (rows["valid_until"] >= end)]
    revoked = rows[(rows["stage"] == "撤销") & (rows["date"] <= end)]
    merged = recog.merge(
        revoked[["uscc", "date"]], on="uscc", how="left", suffixes=("", "_revoked")
    )
    cancelled = merged["date_revoked"].notna() & (merged["date_revoked"] >= merged["date"])
    alive = set(merged["uscc"]) - set(merged.loc[cancelled, "uscc"])
    # a later 认定 after a revocation starts a new certificate
    later = merged.loc[cancelled & (merged["date"] > merged["date_revoked"]), "uscc"]
    return len(alive | set(later))


def checker(t: dict[str, pd.DataFrame], year: int) -> dict[str, float]:
    """Every bulletin figure of ``year``, computed from the raw frames by the written rules."""
    end = pd.Timestamp(year, 12, 31)
    cert, rd, proj = t["certifications"], t["rd_survey"], t["projects"]
    ent = t["enterprises"].set_index("uscc")
    out: dict[str, float] = {}
    in_year = _in_year(cert["date"], year)
    out["tech_sme.recommended"] = cert.loc[
        in_year & (cert["tier"] == "科技型企业") & (cert["stage"] == "推荐"), "uscc"
    ].nunique()
    applied = cert[in_year & (cert["tier"] == "高新技术企业") & (cert["stage"] == "申报")]
    out["hnte.applied"] = applied["uscc"].nunique()
    out["hnte.applied_batches"] = applied["batch"].nunique()
    out["tech_sme.cumulative"] = cert.loc[
        (cert["tier"] == "科技型企业") & (cert["stage"] == "认定") & (cert["date"] <= end), "uscc"
    ].nunique()
    out["hnte.valid"] = _valid_at(cert, "高新技术企业", end)
    out["gazelle.valid"] = _valid_at(cert, "瞪羚企业", end)
    out["leader.valid"] = _valid_at(cert, "创新龙头企业", end)
    survey = rd[(rd["year"] == year) & (rd["above_scale"].fillna("无") != "无")]
    out["rd.surveyed"] = survey["uscc"].nunique()
    out["rd.expenditure"] = survey["rd_expenditure"].fillna(0).sum()
    industrial = rd[(rd["year"] == year) & (rd["above_scale"] == "规上工业")]
    out["rd.coverage_industrial"] = 100 * industrial["has_rd"].sum() / len(industrial)
    p = proj[_in_year(proj["date"], year)]
    out["projects.provincial_approved"] = len(
        p[(p["kind"] == "项目") & (p["level"] == "省级") & (p["stage"] == "立项")]
    )
    awards = p[(p["kind"] == "奖励") & (p["level"] == "省级") & (p["stage"] == "推荐")]
    out["awards.nominated"] = len(awards)
    out["awards.nominated_invention"] = int(awards["programme"].str.contains("技术发明奖").sum())
    out["awards.nominated_progress"] = int(awards["programme"].str.contains("科学技术进步奖").sum())
    plat = t["platforms"]
    standing = (plat["approved"] <= end) & ~(plat["revoked"] <= end)
    new = _in_year(plat["approved"], year)
    for level, key in (("国家级", "national"), ("省级", "provincial"), ("市级", "municipal")):
        out[f"platforms.{key}"] = int((standing & (plat["level"] == level)).sum())
        out[f"platforms.new_{key}"] = int((new & (plat["level"] == level)).sum())
    act = t["activities"][_in_year(t["activities"]["date"], year)]
    out["collab.expert_visits"] = int((act["type"] == "专家考察").sum())
    meetings = act[act["type"] == "技术需求对接会"]
    part = t["activity_participants"]
    firms = part.loc[part["activity_id"].isin(meetings["activity_id"]), "uscc"].unique()
    out["collab.matchmaking_private"] = int((ent.loc[firms, "ownership"] == "民营").sum())
    out["collab.demands_landed"] = int(meetings["outcomes"].sum())
    tal = t["talent"][_in_year(t["talent"]["date"], year)]
    out["talent.vp_enterprises"] = tal.loc[tal["kind"] == "科技副总选聘", "uscc"].nunique()
    out["talent.demand_enterprises"] = tal.loc[tal["kind"] == "人才需求", "uscc"].nunique()
    con = t["tech_contracts"][_in_year(t["tech_contracts"]["registered"], year)]
    out["contracts.amount"] = con["amount"].sum()
    ach = t["achievements"][_in_year(t["achievements"]["date"], year)]
    out["subsidy.applicants"] = ach.loc[
        (ach["kind"] == "转移转化补助") & (ach["stage"] == "申报"), "uscc"
    ].nunique()
    out["green_tech.submitted"] = int(
        ((ach["kind"] == "绿色低碳先进技术") & (ach["stage"] == "申报")).sum()
    )
    out["finance.events"] = int(act["type"].isin(["银企对接", "政银企座谈会"]).sum())
    fin = t["financing"][_in_year(t["financing"]["date"], year)]
    out["finance.resolved"] = fin["resolved"].fillna(0).sum()
    return out


def assert_bulletin(values: dict[str, float]) -> None:
    for key, expected in BULLETIN_2025.items():
        got = values[key]
        if isinstance(expected, tuple):
            assert expected[0] <= got < expected[1], (key, got, expected)
        else:
            assert got == expected, (key, got, expected)


def top_two_share(amounts: pd.Series, by: pd.Series) -> float:
    per = amounts.fillna(0).groupby(by).sum().sort_values(ascending=False)
    return float(per.iloc[:2].sum() / per.sum())


# --------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """data/shangjie regenerated with the default arguments."""
    return generate(tmp_path_factory.mktemp("shangjie") / "shangjie")


@pytest.fixture(scope="module")
def tables(fresh) -> dict[str, pd.DataFrame]:
    return read_csv_package(fresh)


# --------------------------------------------------------------------------------------
# The checker itself, on a hand-built fixture
# --------------------------------------------------------------------------------------


def test_checker_stock_rule_on_a_hand_built_case():
    """The stock rule as written: valid_until on or after the end, revocation ends it, re-recognition restarts."""
    d = pd.Timestamp
    cert = pd.DataFrame(
        [
            # A: recognised 2022-12-10, valid until 2025-12-09 -> not valid on 2025-12-31
            ("A", "高新技术企业", "认定", d(2022, 12, 10), d(2025, 12, 9)),
            # B: recognised 2023, revoked 2024 -> not valid
            ("B", "高新技术企业", "认定", d(2023, 11, 20), d(2026, 11, 19)),
            ("B", "高新技术企业", "撤销", d(2024, 6, 1), pd.NaT),
            # C: revoked 2021, re-recognised 2024 -> valid
            ("C", "高新技术企业", "认定", d(2019, 11, 20), d(2022, 11, 19)),
            ("C", "高新技术企业", "撤销", d(2021, 6, 1), pd.NaT),
            ("C", "高新技术企业", "认定", d(2024, 12, 1), d(2027, 11, 30)),
            # D: valid exactly to the end of the year
            ("D", "高新技术企业", "认定", d(2022, 12, 31), d(2025, 12, 31)),
            # E: recognised after the period
            ("E", "高新技术企业", "认定", d(2026, 1, 5), d(2029, 1, 4)),
        ],
        columns=["uscc", "tier", "stage", "date", "valid_until"],
    )
    assert _valid_at(cert, "高新技术企业", d(2025, 12, 31)) == 2  # C and D
    assert _valid_at(cert, "高新技术企业", d(2023, 12, 31)) == 3  # A, B, D


# --------------------------------------------------------------------------------------
# Calibration, history, disclosure, identifiers
# --------------------------------------------------------------------------------------


def test_2025_figures_are_the_bulletin(tables):
    assert_bulletin(checker(tables, 2025))


def test_calibration_does_not_depend_on_the_seed(tmp_path):
    """The figures are built from the counting rules, so any seed reproduces them."""
    assert_bulletin(checker(read_csv_package(generate(tmp_path / "other", seed=7)), 2025))


@pytest.mark.parametrize("years", [[2019, 2020, 2021, 2022, 2023, 2024, 2025], [2023, 2024, 2025]])
def test_other_windows_keep_the_2025_figures(tmp_path, years):
    """Stocks and cumulative counts carry their history, whatever years the annual tables cover."""
    t = read_csv_package(generate(tmp_path / "w", years=years))
    assert_bulletin(checker(t, 2025))
    assert set(t["rd_survey"]["year"]) == set(years)
    assert t["tech_contracts"]["registered"].dt.year.min() == years[0]


def test_history_grows_believably(tables):
    history = {y: checker(tables, y) for y in YEARS}
    valid = [history[y]["hnte.valid"] for y in YEARS]
    cumulative = [history[y]["tech_sme.cumulative"] for y in YEARS]
    contracts = [history[y]["contracts.amount"] for y in YEARS]
    assert valid[0] < valid[-1] and min(valid) >= 60
    assert cumulative == sorted(cumulative) and cumulative[0] < cumulative[-1]
    assert contracts == sorted(contracts) and contracts[0] < 0.6 * contracts[-1]
    # amounts vary from year to year (not a fixed growth factor)
    growth = np.diff(np.log(contracts))
    assert growth.std() > 0.01
    coverage = [history[y]["rd.coverage_industrial"] for y in YEARS]
    assert coverage == sorted(coverage) and coverage[0] < 50


def test_hnte_certificates_run_three_years_and_are_recognised_in_batches_late_in_the_year(tables):
    cert = tables["certifications"]
    hnte = cert[(cert["tier"] == "高新技术企业") & (cert["stage"] == "认定")]
    assert hnte["date"].dt.month.isin([11, 12]).all()
    expected = hnte["date"].apply(lambda d: d + pd.DateOffset(years=3) - pd.Timedelta(days=1))
    assert (hnte["valid_until"] == expected).all()
    per_year = hnte.groupby(hnte["date"].dt.year)["uscc"].count()
    assert (per_year.loc[list(YEARS)] >= 20).all()
    # some are re-recognised three years on, some revoked
    firms = hnte.groupby("uscc")["date"].count()
    assert (firms >= 2).sum() >= 20
    assert ((cert["tier"] == "高新技术企业") & (cert["stage"] == "撤销")).sum() >= 2
    # 科技型企业 promoted to 高企: most first-time 高企 were 科技型企业 before
    tsme = (
        cert[(cert["tier"] == "科技型企业") & (cert["stage"] == "认定")]
        .groupby("uscc")["date"]
        .min()
    )
    first_hnte = hnte[hnte["date"].dt.year >= 2021].groupby("uscc")["date"].min()
    promoted = first_hnte.index.isin(tsme.index)
    assert promoted.mean() > 0.5
    # the pipeline runs upwards: no firm registers as 科技型企业 after becoming 高企
    first_any_hnte = hnte.groupby("uscc")["date"].min()
    both = tsme.index.intersection(first_any_hnte.index)
    assert (tsme[both] <= first_any_hnte[both]).all()
    # 瞪羚 and 创新龙头 are recognised among firms holding a valid 高企 certificate at the time
    upper = cert[cert["tier"].isin(["瞪羚企业", "创新龙头企业"]) & (cert["stage"] == "认定")]
    held = upper.merge(hnte[["uscc", "date", "valid_until"]], on="uscc", suffixes=("", "_hnte"))
    held = held[(held["date_hnte"] <= held["date"]) & (held["valid_until_hnte"] >= held["date"])]
    assert set(held.index.map(lambda i: (held.at[i, "uscc"], held.at[i, "date"]))) == set(
        zip(upper["uscc"], upper["date"])
    )


def test_every_table_has_rows_in_every_year(tables):
    date_column = {
        "enterprises": "established",
        "certifications": "date",
        "projects": "date",
        "platforms": "approved",
        "activities": "date",
        "talent": "date",
        "tech_contracts": "registered",
        "achievements": "date",
        "financing": "date",
    }
    for tid, col in date_column.items():
        years = set(tables[tid][col].dt.year)
        assert set(YEARS) <= years, (tid, set(YEARS) - years)
    assert set(YEARS) <= set(tables["rd_survey"]["year"])
    assert set(YEARS) <= set(tables["targets"]["year"])
    part = tables["activity_participants"].merge(tables["activities"], on="activity_id")
    assert set(YEARS) <= set(part["date"].dt.year)
    # events spread over the year
    assert tables["tech_contracts"]["registered"].dt.month.nunique() == 12
    assert tables["activities"]["date"].dt.month.nunique() >= 10


def test_firms_enter_and_leave_four_up(tables):
    rd = tables["rd_survey"]
    members = {
        y: set(rd.loc[(rd["year"] == y) & (rd["above_scale"] != "无"), "uscc"]) for y in YEARS
    }
    for a, b in itertools.pairwise(YEARS):
        assert members[a] - members[b], f"nobody left 四上 in {b}"
        assert members[b] - members[a], f"nobody entered 四上 in {b}"
    # a census: every member has exactly one row a year
    assert not rd.duplicated(["year", "uscc"]).any()


def test_published_totals_pass_dominance_and_towns_mostly_publishable(tables):
    ent = tables["enterprises"].set_index("uscc")
    rd = tables["rd_survey"]
    con = tables["tech_contracts"]
    fin = tables["financing"]
    town_cells = []
    for year in YEARS:
        survey = rd[(rd["year"] == year) & (rd["above_scale"] != "无")]
        c = con[con["registered"].dt.year == year]
        f = fin[fin["date"].dt.year == year]
        cells = [
            (survey["rd_expenditure"], survey["uscc"]),
            (c["amount"], c["seller_uscc"]),
            (f["resolved"], f["uscc"]),
        ]
        for amounts, who in cells:
            assert top_two_share(amounts, who) < 0.85
        for amounts, who in cells[:2]:
            # a heavy tail all the same: the largest firm carries far more than an average one
            per = amounts.fillna(0).groupby(who).sum()
            assert per.max() > 5 * per[per > 0].mean()
        for amounts, who in cells[:2]:
            town = who.map(ent["town"])
            for _, group in pd.DataFrame({"a": amounts.fillna(0), "u": who, "t": town}).groupby(
                "t"
            ):
                contributors = group.loc[group["a"] > 0, "u"].nunique()
                ok = contributors >= 3 and top_two_share(group["a"], group["u"]) <= 0.85
                town_cells.append((year, ok))
    # town cells: mostly publishable (minimum frequency 3 and (2, 85) dominance)
    assert np.mean([ok for _, ok in town_cells]) >= 0.7
    assert (
        sum(ok for year, ok in town_cells if year == 2025) >= 8
    )  # of 12 (6 towns × R&D, contracts)


def test_usccs_are_valid_unique_and_of_the_district(tables):
    usccs = tables["enterprises"]["uscc"]
    assert usccs.is_unique
    assert usccs.str.slice(2, 8).eq("410106").all()
    assert uscc_valid(usccs).all()  # the loader's validator
    known = set(usccs)
    for tid, col in (
        ("certifications", "uscc"),
        ("rd_survey", "uscc"),
        ("platforms", "uscc"),
        ("activity_participants", "uscc"),
        ("talent", "uscc"),
        ("tech_contracts", "seller_uscc"),
        ("achievements", "uscc"),
        ("financing", "uscc"),
    ):
        assert set(tables[tid][col]) <= known, tid
    proj = tables["projects"]
    assert set(proj["uscc"].dropna()) <= known
    assert proj.loc[proj["uscc"].isna(), "name"].notna().all() and proj["uscc"].isna().any()


def test_uscc_check_digits_against_worked_examples():
    codes = make_usccs(
        np.random.default_rng(1),
        "410106",
        np.array(["1990-01-01", "2020-05-05"] * 50, dtype="datetime64[D]"),
    )
    assert len(set(codes)) == 100
    assert uscc_valid(pd.Series(codes)).all()
    for code in codes:  # both check characters worked out from the standards' tables
        assert code[16] == _org_check_char(code[8:16]) and code[17] == _uscc_check_char(code[:17])
    assert all(c[8:10] == "MA" for c in codes[1::2]) and all(c[8:16].isdigit() for c in codes[::2])
    # GB 11714 check of org code 12345678: sum(3,14,27,40,25,48,28,16) = 201, 201 mod 11 = 3, 11 - 3 = 8
    assert _org_check_char("12345678") == "8"
    # the specimen code printed in GB 32100-2015
    assert _org_check_char("M000100Y") == "4" and _uscc_check_char("91350100M000100Y4") == "3"


def _org_check_char(body: str) -> str:
    value = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}}
    c = 11 - sum(value[ch] * w for ch, w in zip(body, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def _uscc_check_char(first17: str) -> str:
    """The GB 32100 check character worked out directly from the standard's table."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(charset.index(c) * w for c, w in zip(first17, weights))
    return charset[(31 - total % 31) % 31]


def test_public_bodies_keep_their_names_for_the_public_facts(tables):
    ent = tables["enterprises"].set_index("uscc")
    name = ent["name"]
    plat = tables["platforms"]
    new_2025 = plat[plat["approved"].dt.year == 2025]
    national = new_2025[new_2025["level"] == "国家级"]
    assert list(national["uscc"].map(name)) == ["中铝郑州研究院"]
    provincial = set(new_2025.loc[new_2025["level"] == "省级", "uscc"].map(name))
    assert provincial == {"郑煤机格林", "郑州沃德超硬材料"}
    tal = tables["talent"]
    vp = tal[(tal["kind"] == "科技副总选聘") & (tal["date"].dt.year == 2025)]
    assert set(vp["uscc"].map(name)) == {"天马新材", "龙丰机械", "雪山实业"}
    ach = tables["achievements"]
    sub = ach[
        (ach["kind"] == "转移转化补助") & (ach["stage"] == "申报") & (ach["date"].dt.year == 2025)
    ]
    assert set(sub["uscc"].map(name)) == {"中铝郑州研究院", "华慧工程"}
    proj = tables["projects"]
    approved = proj[
        (proj["stage"] == "立项") & (proj["level"] == "省级") & (proj["date"].dt.year == 2025)
    ]
    assert {"中铝郑州研究院", "天马新材"} <= set(approved["uscc"].map(name))
    # everyone else has a company-like name
    others = name[
        ~name.isin(
            [
                "中铝郑州研究院",
                "天马新材",
                "郑煤机格林",
                "郑州沃德超硬材料",
                "华慧工程",
                "龙丰机械",
                "雪山实业",
            ]
        )
    ]
    assert others.str.endswith("公司").all() and others.is_unique


def test_dates_are_consistent(tables):
    ent = tables["enterprises"].set_index("uscc")
    assert (ent["established"] <= pd.Timestamp.today()).all()
    assert ent["established"].dt.year.min() < 1970 and ent["established"].dt.year.nunique() > 30
    for tid, who, when in (
        ("certifications", "uscc", "date"),
        ("tech_contracts", "seller_uscc", "registered"),
        ("financing", "uscc", "date"),
        ("platforms", "uscc", "approved"),
    ):
        df = tables[tid]
        assert (df[when] > df[who].map(ent["established"])).all(), tid
    plat = tables["platforms"]
    assert (plat["revoked"].dropna() > plat.loc[plat["revoked"].notna(), "approved"]).all()
    fin = tables["financing"]
    assert (fin["resolved"] <= fin["requested"]).all()
    con = tables["tech_contracts"]
    assert (
        (con["tech_amount"] >= 0) & (con["tech_amount"] <= con["amount"]) & (con["amount"] > 0)
    ).all()
    rd = tables["rd_survey"]
    assert (rd.loc[~rd["has_rd"], "rd_expenditure"].fillna(0) == 0).all()
    assert rd.loc[~rd["reported"], "rd_expenditure"].isna().all()


def test_projects_go_through_their_stages(tables):
    proj = tables["projects"]
    assert not proj.duplicated(["project_id", "stage"]).any()
    provincial = proj[(proj["kind"] == "项目") & (proj["level"] == "省级")]
    stages = provincial.groupby("project_id")["stage"].apply(set)
    assert all("申报" in s for s in stages)
    assert any({"申报", "推荐", "立项"} <= s for s in stages) and any("未通过" in s for s in stages)
    ach = tables["achievements"]
    assert set(ach["stage"]) >= {"申报", "推荐", "认定", "拨付", "未通过"}


# --------------------------------------------------------------------------------------
# Reproducibility, the shipped sample, other districts and scales
# --------------------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_different(tmp_path):
    a = generate(tmp_path / "a", seed=11)
    b = generate(tmp_path / "b", seed=11)
    c = generate(tmp_path / "c", seed=12)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert len(names) == len(TABLES) + 1
    _match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert not mismatch and not errors
    differ = [n for n in names if (a / n).read_bytes() != (c / n).read_bytes()]
    assert "企业名录.csv" in differ and "技术合同登记.csv" in differ


def test_shipped_sample_is_the_generators_output(fresh):
    shipped = sorted(p.name for p in SAMPLE.iterdir() if p.suffix in (".csv", ".yaml"))
    regenerated = sorted(p.name for p in fresh.iterdir())
    assert shipped == regenerated
    _match, mismatch, errors = filecmp.cmpfiles(SAMPLE, fresh, shipped, shallow=False)
    assert not mismatch and not errors
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 2_000_000


def test_files_and_headers(fresh):
    meta = yaml.safe_load((fresh / "district.yaml").read_text(encoding="utf-8"))
    assert meta["code"] == "410106" and meta["name"] == "上街区"
    assert meta["towns"] == [
        "峡窝镇",
        "济源路街道",
        "中心路街道",
        "新安路街道",
        "工业路街道",
        "矿山街道",
    ]
    text = (fresh / "研发投入调查.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(c.header for c in TABLES["rd_survey"].columns)
    assert "研发经费支出（万元）" in text.splitlines()[0]
    ent = read_csv_package(fresh)["enterprises"]
    assert 400 <= len(ent) <= 1000
    assert set(ent["town"]) == set(meta["towns"])


def test_scale_multiplies_populations(tmp_path):
    out = generate(tmp_path / "x3", scale=3, fmt="csv")
    t = read_csv_package(out)
    base = checker(read_csv_package(generate(tmp_path / "x1", seed=5)), 2025)
    got = checker(t, 2025)
    assert 1300 <= len(t["enterprises"]) <= 1600
    for key in ("hnte.applied", "rd.surveyed", "tech_sme.cumulative", "platforms.municipal"):
        assert 2.5 * base[key] <= got[key] <= 3.5 * base[key], key
    assert 2.9 * 47000 <= got["contracts.amount"] <= 3.1 * 48000
    assert len(t["tech_contracts"]) > 2.8 * 3600


def test_tiny_scales_still_write_every_table(tmp_path):
    """A scale so small that some tables are left without rows still writes them, with headers."""
    t = read_csv_package(generate(tmp_path / "tiny", scale=0.01))
    assert set(t) == set(TABLES) and 40 <= len(t["enterprises"]) <= 100
    assert any(len(df) == 0 for df in t.values())


def test_parquet_format_uses_table_ids(tmp_path):
    out = generate(tmp_path / "pq", scale=0.5, fmt="parquet", years=[2024, 2025])
    files = sorted(p.name for p in out.glob("*.parquet"))
    assert files == sorted(f"{tid}.parquet" for tid in TABLES)
    contracts = pd.read_parquet(out / "tech_contracts.parquet")
    assert list(contracts.columns) == [c.id for c in TABLES["tech_contracts"].columns]
    assert set(contracts["registered"].dt.year) == {2024, 2025}


def test_another_district(tmp_path):
    out = generate(tmp_path / "jinshui", district="金水区")
    meta = yaml.safe_load((out / "district.yaml").read_text(encoding="utf-8"))
    assert meta["code"] == "410105" and "花园路街道" in meta["towns"]
    t = read_csv_package(out)
    ent = t["enterprises"]
    assert ent["uscc"].str.slice(2, 8).eq("410105").all() and uscc_valid(ent["uscc"]).all()
    assert set(ent["town"]) <= set(meta["towns"])
    assert "中铝郑州研究院" not in set(ent["name"])
    shangjie = read_csv_package(generate(tmp_path / "sj", seed=3))
    assert len(ent) > 2 * len(shangjie["enterprises"])
    values = checker(t, 2025)
    assert values["hnte.valid"] > 100 and values["contracts.amount"] > 0
    # a district not in the table needs its code
    custom = generate(tmp_path / "custom", district="新区:410199", years=[2025])
    assert (
        yaml.safe_load((custom / "district.yaml").read_text(encoding="utf-8"))["code"] == "410199"
    )


def test_usage_errors():
    from innolib.errors import UsageError

    with pytest.raises(UsageError):
        generate("/tmp/never", district="nowhere")
    with pytest.raises(UsageError):
        generate("/tmp/never", scale=0)
    with pytest.raises(UsageError):
        generate("/tmp/never", district="金水区:410106")


def test_cli_synth(tmp_path):
    out = tmp_path / "cli"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "innolib.cli",
            "synth",
            str(out),
            "--years",
            "2024..2025",
            "--district",
            "huiji",
            "--seed",
            "4",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == out and (out / "企业名录.csv").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "innolib.cli", "synth", str(out), "--scale", "0"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# --------------------------------------------------------------------------------------
# Through the project's own loader and indicators, once they exist
# --------------------------------------------------------------------------------------


def test_sample_loads_strictly():
    from innolib.load import load_package

    package = load_package(SAMPLE)
    for tid in TABLES:
        assert package.has(tid), tid


def test_indicators_module_agrees_with_the_bulletin(fresh):
    from innolib.indicators import compute_indicators
    from innolib.load import load_package
    from innolib.periods import parse_period

    result = compute_indicators(load_package(fresh), parse_period("2025"))
    values = {key: result[key].value for key in BULLETIN_2025}
    assert_bulletin(values)
