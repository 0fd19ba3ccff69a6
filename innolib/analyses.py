"""Analyses beyond the bulletin: pipeline conversion, work lists, distributions, targets.

Every function takes a ``Package`` and a ``Period`` (clipped here by the package's
``cutoff``, like every indicator) and returns a pandas DataFrame (``rd_intensity``
returns a small result object of DataFrames). Conventions shared by all of them:

- ``df.attrs["status"]`` is ``"ok"`` or ``"no_data"``: a table the analysis needs is
  absent from the package (or an annual survey is asked for a part-year period). An
  empty frame with status ``ok`` means "none"; with ``no_data`` it means "unknown".
  ``df.attrs["note"]`` says why, in Chinese.
- Work lists name enterprises and are **internal** (docs/data.md "Confidentiality"): they
  carry ``df.attrs["internal"] = True`` and a title ``内部工作清单：…（不得对外公开）``;
  exports meant for circulation must refuse them (``is_internal``).
- Money tables built from confidential tables (``tech_contracts``, ``financing``,
  ``rd_survey``) carry, per cell, the number of enterprises behind it and a ``sensitive``
  flag from the primary rules (fewer than 3 enterprises, or the two largest contributors
  over 85% of the cell): the flag is informative; suppression for circulation, including
  secondary suppression, is the job of ``innolib.disclosure``.

Certificate validity (who is a 高企 on a date) is the indicators core's definition
(``innolib.indicators.valid_certificates``), and the sensitivity flags are
``innolib.disclosure``'s primary rules, so that the funnel and the
renewal list agree with ``hnte.valid``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from innolib.disclosure import MIN_ENTERPRISES, cell_is_safe
from innolib.errors import DataError, UsageError
from innolib.indicators import (
    effective_period,
    ever_certified,
    rows_in_period,
    survey_rows,
    valid_certificates,
)
from innolib.package import Package
from innolib.periods import Period
from innolib.present.numbers import format_number
from innolib.registry import indicator_def
from innolib.tables import BUYER_REGIONS, CONTRACT_TYPES, TABLES, TIERS

__all__ = [
    "RDIntensity",
    "contract_mix",
    "expiring_hnte",
    "financing_summary",
    "industrial_without_rd",
    "is_internal",
    "parse_target",
    "pipeline_conversion",
    "pipeline_funnel",
    "rd_intensity",
    "targets_vs_actual",
]

INTERNAL_TITLE = "内部工作清单：{}（不得对外公开）"
INTENSITY_BINS = ("0", "(0,1%]", "(1%,3%]", "(3%,5%]", ">5%")
REVENUE_BANDS = ("2000万元以下", "2000万—5000万元", "5000万—2亿元", "2亿元以上", "未填报")


# --------------------------------------------------------------------------- helpers


def is_internal(df: pd.DataFrame) -> bool:
    """Whether a frame is an internal work list (names enterprises; never circulated)."""
    return bool(getattr(df, "attrs", {}).get("internal", False))


def _mark_internal(df: pd.DataFrame, what: str, note: str = "", status: str = "ok") -> pd.DataFrame:
    df.attrs.update(
        {"internal": True, "title": INTERNAL_TITLE.format(what), "status": status, "note": note}
    )
    return df


def _mark(df: pd.DataFrame, title: str, note: str = "", status: str = "ok") -> pd.DataFrame:
    df.attrs.update({"internal": False, "title": title, "status": status, "note": note})
    return df


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _first_recognitions(package: Package, on: dt.date) -> pd.DataFrame:
    """Each enterprise's first 认定 date per tier up to ``on`` (``indicators.ever_certified``): uscc × tier."""
    firsts = {tier: ever_certified(package, tier, on).set_index("uscc")["date"] for tier in TIERS}
    return pd.DataFrame(firsts).astype("datetime64[s]")


def _survey_rows(package: Package, year: int) -> pd.DataFrame:
    """The year's rd_survey rows (class that year in ``class_of_year``) with name, town, sector."""
    rows = survey_rows(package, year, classes="all").rename(columns={"class": "class_of_year"})
    ent = package["enterprises"][["uscc", "name", "town", "sector"]]
    return rows.merge(ent, on="uscc", how="left")


def _cell_stats(frame: pd.DataFrame, by: str, value: str, who: str) -> pd.DataFrame:
    """Per category of ``by``: distinct contributors, top-two share and ``sensitive``.

    ``sensitive`` is ``innolib.disclosure.cell_is_safe`` failing on the per-enterprise
    sums of ``value`` (every enterprise with a row in the cell is a respondent of it).
    """
    parts = frame.groupby([by, who], observed=True)[value].sum().reset_index()
    rows = []
    for cat, cell in parts.groupby(by, observed=True, sort=False):
        vals = cell[value].astype(float).sort_values(ascending=False)
        total = float(vals.sum())
        rows.append(
            {
                by: cat,
                "contributors": len(vals),
                "top2_share": float(vals.head(2).sum()) / total if total else math.nan,
                "sensitive": not cell_is_safe(vals)[0],
            }
        )
    return pd.DataFrame(rows, columns=[by, "contributors", "top2_share", "sensitive"]).set_index(by)


def _no_data(columns: list[str], title: str, note: str, internal: bool = False) -> pd.DataFrame:
    df = pd.DataFrame(columns=columns)
    if internal:
        return _mark_internal(df, title, note, status="no_data")
    return _mark(df, title, note, status="no_data")


def _missing(package: Package, *table_ids: str) -> str:
    """A note naming the tables the package lacks, or '' when all are present."""
    absent = [f"{TABLES[t].zh}（{t}）" for t in table_ids if not package.has(t)]
    return "数据包缺少" + "、".join(absent) + "，无数据" if absent else ""


def _beyond(package: Package, period: Period) -> str:
    """A note when ``period`` starts after the data's coverage end (docs/data.md,
    "Coverage"): an analysis of it has no data, never zeros; else ''."""
    from innolib.coverage import coverage

    cover = coverage(package)
    if cover.covers(period.start):
        return ""
    return f"报告期晚于数据覆盖范围（数据截至{cover.end.isoformat()}），无数据"


# --------------------------------------------------------------------------- pipeline


def pipeline_conversion(package: Package, period: Period, within_years: int = 3) -> pd.DataFrame:
    """Conversion along the four-tier pipeline: who reached the next tier within N years.

    For each step (科技型企业→高新技术企业→瞪羚企业→创新龙头企业) the cohort is the
    enterprises whose *first* 认定 in the lower tier is at least ``within_years`` before
    the period's end (so that each had the full window to move up); ``converted`` are
    those whose first 认定 in the upper tier falls on or after that date and within
    ``within_years`` of it. Enterprises already recognised in the upper tier before the
    lower one did not convert *along* the pipeline: they are left out of the cohort and
    counted in ``already_higher``. Rate in percent, NaN for an empty cohort.

    ``df.attrs["funnel"]`` holds the funnel (see ``pipeline_funnel``).
    """
    cols = [
        "from_tier",
        "to_tier",
        "cohort",
        "converted",
        "rate",
        "already_higher",
        "cohort_recognised_by",
    ]
    if not package.has("certifications"):
        return _no_data(cols, "梯次培育转化率", _missing(package, "certifications"))
    if _beyond(package, period):
        df = _no_data(cols, "梯次培育转化率", _beyond(package, period))
        df.attrs["funnel"] = pipeline_funnel(package, period)  # no data either
        return df
    p = effective_period(package, period)
    first = _first_recognitions(package, p.end)
    horizon = pd.DateOffset(years=within_years)
    cohort_by = _ts(p.end) - horizon
    rows = []
    for lower, upper in itertools.pairwise(TIERS):
        lo, up = first[lower], first[upper]
        entered = lo.notna() & (lo <= cohort_by)
        already = entered & up.notna() & (up < lo)
        cohort = entered & ~already
        converted = cohort & up.notna() & (up >= lo) & (up <= lo + horizon)
        n, k = int(cohort.sum()), int(converted.sum())
        rows.append(
            {
                "from_tier": lower,
                "to_tier": upper,
                "cohort": n,
                "converted": k,
                "rate": 100.0 * k / n if n else math.nan,
                "already_higher": int(already.sum()),
                "cohort_recognised_by": cohort_by.date(),
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    _mark(
        df,
        f"梯次培育转化率（{within_years}年内晋级）",
        f"队列：截至{cohort_by.date().isoformat()}首次认定于下一层级的企业；晋级：其后{within_years}年内首次认定于上一层级",
    )
    df.attrs["funnel"] = pipeline_funnel(package, period)
    return df


def pipeline_funnel(package: Package, period: Period) -> pd.DataFrame:
    """Enterprises holding each tier on the period's end (distinct), with share of the tier below.

    Holding a tier: a certificate in force on the end date (``innolib.indicators.valid_certificates``);
    a 科技型企业 registration has no end date, so it holds until revoked.
    """
    cols = ["tier", "enterprises", "share_of_previous"]
    if not package.has("certifications"):
        return _no_data(cols, "梯次培育漏斗", _missing(package, "certifications"))
    if _beyond(package, period):
        return _no_data(cols, "梯次培育漏斗", _beyond(package, period))
    p = effective_period(package, period)
    counts = [int(valid_certificates(package, tier, p.end)["uscc"].nunique()) for tier in TIERS]
    prev = [math.nan, *counts[:-1]]
    share = [100.0 * c / b if b else math.nan for c, b in zip(counts, prev)]
    df = pd.DataFrame(
        {"tier": list(TIERS), "enterprises": counts, "share_of_previous": share}, columns=cols
    )
    return _mark(df, f"梯次培育漏斗（截至{p.end.isoformat()}）")


# --------------------------------------------------------------------------- work lists


def expiring_hnte(package: Package, period: Period, months: int = 12) -> pd.DataFrame:
    """WORK LIST (internal): 高企 whose certificate expires within ``months`` of the period's end.

    An enterprise is listed when its 高新技术企业 certificate in force on the end date
    (the latest-expiring one, if several) expires on or before end + ``months`` and no
    later 认定 (re-recognition) is on record by the end date. ``renewal_applied`` says
    whether a 申报 for 高新技术企业 dated after the certificate's recognition is on
    record (the renewal is under way). Sorted by ``valid_until``, then ``uscc``.
    """
    cols = ["uscc", "name", "town", "recognised", "valid_until", "days_left", "renewal_applied"]
    what = f"高新技术企业证书{months}个月内到期"
    if not package.has("certifications"):
        return _no_data(cols, what, _missing(package, "certifications"), internal=True)
    p = effective_period(package, period)
    end = _ts(p.end)
    valid = valid_certificates(package, "高新技术企业", p.end)
    latest = valid.sort_values(["valid_until", "date"]).groupby("uscc").tail(1)
    due = latest[
        latest["valid_until"].notna()
        & (latest["valid_until"] <= end + pd.DateOffset(months=months))
    ]
    certs = package["certifications"]
    hnte = certs[(certs["tier"] == "高新技术企业") & (certs["date"] <= end)]
    applied = hnte[hnte["stage"] == "申报"][["uscc", "date"]].rename(columns={"date": "applied"})
    pairs = due[["uscc", "date"]].merge(applied, on="uscc")
    renewing = set(pairs.loc[pairs["applied"] > pairs["date"], "uscc"])
    ent = package["enterprises"][["uscc", "name", "town"]]
    out = due.merge(ent, on="uscc", how="left").rename(columns={"date": "recognised"})
    out["days_left"] = (out["valid_until"] - end).dt.days.astype("Int64")
    out["renewal_applied"] = out["uscc"].isin(renewing)
    out = out.sort_values(["valid_until", "uscc"]).reset_index(drop=True)[cols]
    return _mark_internal(
        out, what, f"截至{p.end.isoformat()}有效、{months}个月内到期且尚未重新认定的高新技术企业"
    )


def _town_order(package: Package, towns: pd.Series) -> list[str]:
    """Towns in the order of district.yaml, then any others (unknown towns) alphabetically."""
    known = list(package.district.towns)
    return known + sorted(set(towns.dropna()) - set(known))


def _revenue_band(revenue: pd.Series) -> pd.Series:
    band = pd.cut(
        revenue.astype(float),
        [-np.inf, 2000, 5000, 20000, np.inf],
        right=False,
        labels=list(REVENUE_BANDS[:-1]),
    )
    return band.astype("str").where(revenue.notna(), REVENUE_BANDS[-1])


def industrial_without_rd(package: Package, period: Period) -> pd.DataFrame:
    """WORK LIST (internal): 规上工业 enterprises of the year's R&D survey without R&D activity.

    Rows of ``rd_survey`` for the period's year whose class that year is 规上工业 and
    ``has_rd`` is false, with the enterprise's name and town, a revenue band (not the
    amount) and whether it reported: the guidance list behind ``rd.coverage_industrial``.
    Sorted by town, then name.
    """
    cols = ["uscc", "name", "town", "sector", "revenue_band", "reported"]
    what = "无研发活动的规上工业企业"
    missing = _missing(package, "rd_survey")
    if missing:
        return _no_data(cols, what, missing, internal=True)
    p = effective_period(package, period)
    rows = _survey_rows(package, p.year)
    if rows.empty:
        return _no_data(cols, what, f"研发投入调查无{p.year}年数据", internal=True)
    rows = rows[(rows["class_of_year"] == "规上工业") & ~rows["has_rd"].fillna(False).astype(bool)]
    rows = rows.assign(
        revenue_band=_revenue_band(rows["revenue"]), reported=rows["reported"].fillna(False)
    )
    rows = rows.assign(
        _town=pd.Categorical(
            rows["town"], categories=_town_order(package, rows["town"]), ordered=True
        )
    )
    out = rows.sort_values(["_town", "name", "uscc"]).reset_index(drop=True)[cols]
    return _mark_internal(
        out, what, f"{p.year}年研发投入调查中无研发活动的规上工业企业（营业收入仅列档次）"
    )


# --------------------------------------------------------------------------- R&D intensity


@dataclass
class RDIntensity:
    """R&D intensity (rd_expenditure ÷ revenue, percent) of the year's surveyed enterprises.

    ``bins``: [bin, enterprises, share] over ``INTENSITY_BINS``; ``median`` in percent;
    ``by_town`` / ``by_sector``: one row per unit, a count column per bin, ``enterprises``
    and ``median`` (NaN where fewer than 3 enterprises: a median of one or two firms is
    their own ratio). Counts only: no per-enterprise amount leaves this object.
    """

    year: int
    bins: pd.DataFrame
    median: float
    by_town: pd.DataFrame
    by_sector: pd.DataFrame
    enterprises: int
    excluded: int
    status: str = "ok"
    note: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


def _intensity_table(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    counts = pd.crosstab(rows[by], rows["bin"]).reindex(columns=list(INTENSITY_BINS), fill_value=0)
    counts.columns = list(INTENSITY_BINS)
    n = rows.groupby(by)["intensity"].size()
    med = rows.groupby(by)["intensity"].median()
    counts["enterprises"] = n
    counts["median"] = med.where(n >= MIN_ENTERPRISES)
    counts.index.name = by
    return counts.reset_index()


def rd_intensity(package: Package, period: Period) -> RDIntensity:
    """Distribution of enterprise R&D intensity for the period's year (an annual analysis).

    Rows: the year's survey rows of “四上” enterprises (class not 无) that reported and
    have revenue > 0; a firm without R&D activity has intensity 0. Rows not reported or
    without revenue are counted in ``excluded``. A part-year period gets ``no_data``
    (docs/indicators.md: annual values only for periods ending on 31 December).
    """
    p = effective_period(package, period)
    empty = pd.DataFrame(columns=["bin", "enterprises", "share"])

    def nodata(note: str) -> RDIntensity:
        return RDIntensity(
            p.year, empty, math.nan, pd.DataFrame(), pd.DataFrame(), 0, 0, "no_data", note
        )

    if not package.has("rd_survey"):
        return nodata(_missing(package, "rd_survey"))
    if not p.ends_on_year_end:
        return nodata(f"研发投入调查为年度数据，{p.label}非全年报告期")
    rows = _survey_rows(package, p.year)
    rows = rows[rows["class_of_year"] != "无"]
    if rows.empty:
        return nodata(f"研发投入调查无{p.year}年数据")
    usable = rows["reported"].fillna(False).astype(bool) & (rows["revenue"].fillna(0) > 0)
    rows, excluded = rows[usable].copy(), int((~usable).sum())
    rd = rows["rd_expenditure"].fillna(0).where(rows["has_rd"].fillna(False).astype(bool), 0)
    rows["intensity"] = (100.0 * rd / rows["revenue"]).astype(float)
    rows["bin"] = pd.cut(
        rows["intensity"], [-np.inf, 0, 1, 3, 5, np.inf], labels=list(INTENSITY_BINS)
    ).astype(str)
    counts = rows["bin"].value_counts().reindex(list(INTENSITY_BINS), fill_value=0)
    total = int(counts.sum())
    bins = pd.DataFrame(
        {
            "bin": list(INTENSITY_BINS),
            "enterprises": counts.to_numpy(dtype=int),
            "share": 100.0 * counts.to_numpy() / total if total else math.nan,
        }
    )
    rows["town"] = rows["town"].fillna("（未知镇街）")
    rows["sector"] = rows["sector"].fillna("（未填产业）")
    median = float(rows["intensity"].median()) if total >= MIN_ENTERPRISES else math.nan
    return RDIntensity(
        p.year,
        bins,
        median,
        _intensity_table(rows, "town"),
        _intensity_table(rows, "sector"),
        total,
        excluded,
        "ok",
        f"{p.year}年“四上”企业研发经费占营业收入比重分布（已填报且营业收入大于0）",
    )


# --------------------------------------------------------------------------- contracts, financing


def _seller_column(contracts: pd.DataFrame) -> str:
    """The seller's code column of tech_contracts (``seller_uscc`` in docs/data.md, ``uscc`` in older declarations)."""
    return "seller_uscc" if "seller_uscc" in contracts.columns else "uscc"


def contract_mix(package: Package, period: Period) -> pd.DataFrame:
    """Technology contracts registered in the period by type and by buyer region.

    One row per (``by``, ``category``) with ``by`` in {type, buyer_region}, every enum
    member listed (zero rows included): ``contracts``, ``amount`` (万元), ``amount_share``
    and ``count_share`` (percent of the period's total), ``enterprises`` (distinct
    sellers), ``top2_share`` and ``sensitive`` (primary disclosure rules on ``amount``).
    A contract without a buyer region is counted under ``未填``.
    """
    cols = [
        "by",
        "category",
        "contracts",
        "amount",
        "amount_share",
        "count_share",
        "enterprises",
        "top2_share",
        "sensitive",
    ]
    if not package.has("tech_contracts"):
        return _no_data(cols, "技术合同构成", _missing(package, "tech_contracts"))
    if _beyond(package, period):
        return _no_data(cols, "技术合同构成", _beyond(package, period))
    p = effective_period(package, period)
    tc = package["tech_contracts"]
    tc = rows_in_period(tc, "registered", p).copy()
    seller = _seller_column(tc)
    tc["buyer_region"] = tc["buyer_region"].fillna("未填")
    tc["amount"] = tc["amount"].fillna(0).astype(float)
    total_amount, total_n = float(tc["amount"].sum()), len(tc)
    parts = []
    for by, members in (("type", CONTRACT_TYPES), ("buyer_region", BUYER_REGIONS)):
        cats = list(members) + (["未填"] if (tc[by] == "未填").any() else [])
        g = tc.groupby(by)
        cell = pd.DataFrame(
            {"contracts": g.size(), "amount": g["amount"].sum(), "enterprises": g[seller].nunique()}
        ).reindex(cats)
        cell = cell.join(_cell_stats(tc, by, "amount", seller)[["top2_share", "sensitive"]])
        cell[["contracts", "enterprises"]] = (
            cell[["contracts", "enterprises"]].fillna(0).astype(int)
        )
        cell["amount"] = cell["amount"].fillna(0.0)
        cell["sensitive"] = cell["sensitive"].fillna(False).astype(bool)
        cell["amount_share"] = 100.0 * cell["amount"] / total_amount if total_amount else math.nan
        cell["count_share"] = 100.0 * cell["contracts"] / total_n if total_n else math.nan
        cell.index.name = "category"
        parts.append(cell.reset_index().assign(by=by))
    df = pd.concat(parts, ignore_index=True)[cols]
    return _mark(
        df,
        f"{p.year}年{p.wording()}技术合同构成（按合同类型、买方地域）",
        "金额单位：万元；sensitive为主规则（少于3家或前两家占比超过85%）判定，对外发布前须经披露控制",
    )


def financing_summary(package: Package, period: Period) -> pd.DataFrame:
    """Financing requested and resolved in the period, by product, with a 合计 row.

    Rows of ``financing`` dated in the period. Per product: ``records``, ``enterprises``
    (distinct), ``requested`` and ``resolved`` (万元), ``ratio`` = resolved / requested in
    percent, and ``sensitive`` when either amount fails a primary disclosure rule.
    A record without a product is counted under ``未填``.
    """
    cols = ["product", "records", "enterprises", "requested", "resolved", "ratio", "sensitive"]
    if not package.has("financing"):
        return _no_data(cols, "科技金融需求解决情况", _missing(package, "financing"))
    if _beyond(package, period):
        return _no_data(cols, "科技金融需求解决情况", _beyond(package, period))
    p = effective_period(package, period)
    fin = package["financing"]
    fin = rows_in_period(fin, "date", p).copy()
    fin["product"] = fin["product"].fillna("未填")
    for col in ("requested", "resolved"):
        fin[col] = fin[col].fillna(0).astype(float)
    fin["_all"] = "合计"
    from innolib.present.facts import district_facts

    own = district_facts(package.district)[0].get("loan_product", "")  # 郑科贷 in Zhengzhou
    products = [own] * bool(own) + list(TABLES["financing"].column("product").values)
    products += ["未填"] if (fin["product"] == "未填").any() else []
    parts = []
    for by, cats in (("product", products), ("_all", ["合计"])):
        g = fin.groupby(by)
        cell = pd.DataFrame(
            {
                "records": g.size(),
                "enterprises": g["uscc"].nunique(),
                "requested": g["requested"].sum(),
                "resolved": g["resolved"].sum(),
            }
        ).reindex(cats)
        cell[["records", "enterprises"]] = cell[["records", "enterprises"]].fillna(0).astype(int)
        cell[["requested", "resolved"]] = cell[["requested", "resolved"]].fillna(0.0)
        flags = [
            _cell_stats(fin, by, col, "uscc")["sensitive"].reindex(cats)
            for col in ("requested", "resolved")
        ]
        cell["sensitive"] = flags[0].fillna(False).astype(bool) | flags[1].fillna(False).astype(
            bool
        )
        cell["ratio"] = (100.0 * cell["resolved"] / cell["requested"]).where(cell["requested"] > 0)
        cell.index.name = "product"
        parts.append(cell.reset_index())
    df = pd.concat(parts, ignore_index=True)[cols]
    return _mark(
        df,
        f"{p.year}年{p.wording()}科技金融需求与解决情况（按金融产品）",
        "金额单位：万元；ratio为解决金额占需求金额的百分比；sensitive为披露控制主规则判定",
    )


# --------------------------------------------------------------------------- targets

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_TARGET = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(%|亿元|亿|万元|万|元)?$")
_TO_WAN = {"亿元": 10000.0, "亿": 10000.0, "万元": 1.0, "万": 1.0, "元": 1e-4}


def parse_target(text: Any, unit: str | None) -> tuple[float, str]:
    """A target cell read in its indicator's unit: ``(value, note)``; ValueError if unreadable.

    Rates (unit ``%``): ``59%`` and ``59`` are 59; a bare value below 1.5 (``0.59``) is
    read as a fraction (59) and the note says so. Money (万元): ``4.5亿`` is 45000;
    ``元`` and ``万元`` are converted. Thousands separators, full-width digits and
    spaces are accepted.
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        raw = repr(float(text))
    else:
        raw = unicodedata.normalize("NFKC", str(text)).translate(_FULLWIDTH)
    raw = raw.replace(",", "").replace(" ", "").strip()
    match = _TARGET.match(raw)
    if not match:
        raise ValueError(text)
    value, suffix = float(match.group(1)), match.group(2)
    if unit == "%":
        if suffix not in (None, "%"):
            raise ValueError(text)
        if suffix is None and abs(value) < 1.5:
            return value * 100.0, f"目标值{raw}按比例读作{format_number(value * 100, 4)}%"
        return value, ""
    if suffix == "%":
        raise ValueError(text)
    if suffix in _TO_WAN:
        if unit != "万元":
            raise ValueError(text)
        return value * _TO_WAN[suffix], (
            f"目标值{raw}换算为{format_number(value * _TO_WAN[suffix], 4)}万元"
            if suffix not in ("万元",)
            else ""
        )
    return value, ""


def _assessment(actual: float, target: float) -> str:
    """完成情况 of a year against its target, from unrounded values."""
    if actual > target:
        return "超额完成"
    return "完成" if actual == target else "未完成"


def _indicator_meta(indicator_id: str, value: Any, district: Any) -> tuple[str, str | None]:
    """(Chinese name, unit) of an indicator: the registry's, else the id and the value's own unit."""
    try:
        d = indicator_def(indicator_id)
    except UsageError:  # not a registry id: keep what the value says
        return indicator_id, getattr(value, "unit", None)
    from innolib.present.facts import indicator_name

    return indicator_name(d, district), d.unit


def _actual(value: Any) -> tuple[float, str]:
    """(number, status) of an indicator result: IndicatorValue-like, number or None."""
    if value is None:
        return math.nan, "no_data"
    status = getattr(value, "status", "ok")
    v = getattr(value, "value", value)
    if v is None or (isinstance(v, float) and math.isnan(v)) or status != "ok":
        return math.nan, status if status != "ok" else "no_data"
    return float(v), "ok"


def _values_mapping(indicator_values: Any) -> Mapping[str, Any]:
    """The id → result mapping of an IndicatorSet (``.values``) or of a plain mapping."""
    values = getattr(indicator_values, "values", indicator_values)
    if callable(values):  # a plain dict: .values is the method
        values = indicator_values
    return values


def targets_vs_actual(package: Package, period: Period, indicator_values: Any) -> pd.DataFrame:
    """The year's targets against the indicators' values: target, actual, completion %.

    ``indicator_values``: an ``IndicatorSet`` from ``compute_indicators`` or a mapping
    id → value (a number, an ``IndicatorValue`` or None). One row per ``targets`` row of
    the period's year: ``indicator``, ``name``, ``unit``, ``target`` (in the indicator's
    unit, see ``parse_target``), ``actual``, ``completion`` = actual ÷ target × 100,
    ``status`` (``ok``, ``no_data`` — no value for the indicator —, or the value's own
    status) and ``note``. For a part-year period the completion is progress towards the
    annual target. ``assessment`` says how the year went, from the unrounded values
    (58.97% against a 59% target is 未完成, though both print as 59%): 超额完成 (above
    the target), 完成 (exactly on it), 未完成 (below); empty for a part-year period (a
    half year is progress, not a verdict) and for a value without data. A target that
    cannot be read raises ``DataError`` naming the row.
    """
    cols = [
        "indicator",
        "name",
        "unit",
        "target",
        "actual",
        "completion",
        "assessment",
        "status",
        "note",
    ]
    if not package.has("targets"):
        return _no_data(cols, "年度目标完成情况", _missing(package, "targets"))
    p = effective_period(package, period)
    targets = package["targets"]
    values = _values_mapping(indicator_values)
    rows = []
    for pos, row in targets[targets["year"] == p.year].iterrows():
        ind = str(row["indicator"]).strip()
        result = values.get(ind) if hasattr(values, "get") else None
        name, unit = _indicator_meta(ind, result, package.district)
        try:
            target, note = parse_target(row["target"], unit)
        except ValueError:
            raise DataError(
                f"年度目标（targets）第{pos + 1}条数据行，列“目标值”（target）的值“{row['target']}”无法读作"
                f"指标{ind}的单位{unit or '（未知）'}下的数值（比率可写59%或59）",
                f"targets, data row {pos + 1}, column target: value '{row['target']}' is not a number in the unit "
                f"{unit or '(unknown)'} of indicator {ind} (rates as 59% or 59)",
            ) from None
        actual, status = _actual(result)
        completion = 100.0 * actual / target if status == "ok" and target else math.nan
        part_year = not p.is_full_year or p.clipped
        if part_year and status == "ok":
            note = "；".join(x for x in (note, f"{p.wording()}进度") if x)
        rows.append(
            {
                "indicator": ind,
                "name": name,
                "unit": unit,
                "target": target,
                "actual": actual,
                "completion": completion,
                "assessment": _assessment(actual, target)
                if status == "ok" and not part_year
                else "",
                "status": status,
                "note": note,
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    note = "" if rows else f"年度目标无{p.year}年数据"
    return _mark(df, f"{p.year}年目标任务完成情况", note)
