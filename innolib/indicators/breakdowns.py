"""Breakdowns of an indicator by town or sector, and per-enterprise contributions
(the input of disclosure control).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from innolib.errors import UsageError
from innolib.indicators.columns import _Columns
from innolib.indicators.evaluate import _aggregate, _NoData, _select
from innolib.indicators.results import NO_DATA, OK, UNASSIGNED
from innolib.indicators.rules import effective_period, enterprise_attributes
from innolib.package import Package
from innolib.periods import Period, parse_period
from innolib.registry import indicator_def


def breakdown(
    package: Package, indicator_id: str, period: Period, by: str = "town"
) -> pd.DataFrame:
    """The indicator split by enterprise ``town`` (镇街) or ``sector``: DataFrame[by, value, enterprises].

    Every town of the district (or every sector in ``enterprises``) is listed, 0 where none;
    rows whose bearer is not a district enterprise, or has no town/sector, go to a last row
    ``（未归属）`` shown only when it has rows. For a rate, each group's own rate (NA over
    an empty group). ``enterprises`` counts the distinct enterprises behind each value.
    When the indicator has no data every value is NA and ``attrs["status"]`` is ``no_data``.
    """
    defn = indicator_def(indicator_id)
    if by not in ("town", "sector"):
        raise UsageError(
            f"分组只能是town或sector，而不是{by}", f"by must be town or sector, not {by}"
        )
    if by not in defn.breakdown_by:
        raise UsageError(
            f"指标{indicator_id}不能按{by}分组",
            f"indicator {indicator_id} has no breakdown by {by}",
        )
    period = effective_period(package, period)
    if by == "town":
        groups = list(package.district.towns)
    else:
        sectors = (
            package["enterprises"]["sector"].replace("", pd.NA).dropna()
            if package.has("enterprises")
            else []
        )
        groups = sorted(set(sectors))
    value_dtype = "Float64" if defn.is_rate or defn.is_money else "Int64"
    try:
        selection = _select(_Columns(package), defn, period)
    except _NoData:
        out = pd.DataFrame(
            {
                by: groups,
                "value": pd.array([pd.NA] * len(groups), dtype=value_dtype),
                "enterprises": pd.array([pd.NA] * len(groups), dtype="Int64"),
            }
        )
        out.attrs["status"] = NO_DATA
        out.attrs["district"] = package.district  # the charts name the indicator for it
        return out
    frame = selection.frame
    labels = frame["uscc"].map(enterprise_attributes(package)[by]).replace("", pd.NA)
    frame = frame.assign(group=labels.fillna(UNASSIGNED).to_numpy())
    present = frame["group"].unique().tolist()
    order = groups + ([UNASSIGNED] if UNASSIGNED in present and UNASSIGNED not in groups else [])
    order += [g for g in present if g not in order]  # a town not in district.yaml: still shown
    values, counts = [], []
    for group in order:  # a handful of groups: aggregation per group is vectorised inside
        in_group = (frame["group"] == group).to_numpy()
        part = selection.subset(in_group)
        values.append(_aggregate(part, defn))
        counts.append(part.distinct(part.who))
    out = pd.DataFrame(
        {
            by: order,
            "value": pd.array(values, dtype=value_dtype),
            "enterprises": pd.array(counts, dtype="Int64"),
        }
    )
    out.attrs["status"] = OK
    out.attrs["district"] = package.district
    return out


def contributions(package: Package, indicator_id: str, period: Period) -> pd.DataFrame:
    """Per-enterprise parts of a money indicator: DataFrame[uscc, town, sector, value], largest first.

    For disclosure control (minimum frequency, dominance). Only money indicators built
    from enterprise rows; ``attrs["status"]`` is ``no_data`` (and the frame empty) when
    the indicator has no data.
    """
    defn = _enterprise_money(indicator_id)
    period = effective_period(package, period)
    columns = ["uscc", "town", "sector", "value"]
    try:
        selection = _select(_Columns(package), defn, period)
    except _NoData:
        out = pd.DataFrame(
            {c: pd.Series(dtype="Float64" if c == "value" else "str") for c in columns}
        )
        out.attrs["status"] = NO_DATA
        return out
    frame = selection.frame.assign(
        x=pd.to_numeric(selection.frame["x"], errors="coerce").fillna(0.0)
    )
    frame = frame[frame["uscc"].notna().to_numpy()]
    per = frame.groupby("uscc", sort=False)["x"].sum().round(4)
    attrs = enterprise_attributes(package)
    out = pd.DataFrame(
        {
            "uscc": per.index.astype("str"),
            "town": per.index.map(attrs["town"]),
            "sector": per.index.map(attrs["sector"]),
            "value": per.to_numpy(),
        }
    )
    out["value"] = out["value"].astype("Float64")
    out = out.sort_values(["value", "uscc"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    out.attrs["status"] = OK
    return out


def monthly_contributions(
    package: Package, indicator_id: str, year: int, months: int
) -> pd.DataFrame:
    """``contributions`` of months 1..``months`` of ``year``, each month on its own, stacked:
    DataFrame[uscc, month, value], by month, then largest first (as ``contributions``).

    The input of a year's family of periods (``circulation.family``). A month is what
    ``contributions`` gives for the period from its first day to its end (clipped by the
    package's coverage end); a month without rows has none here. The indicator must be
    counted from dated rows (method ``rows``: every confidential flow is): its rows are
    selected once for the whole span and put in the month of their date, the same rows a
    month's own selection would give.
    """
    defn = _enterprise_money(indicator_id)
    rule = defn.compute
    if rule["method"] != "rows":
        raise UsageError(
            f"指标{indicator_id}不是按日期逐行统计的，不能按月拆分",
            f"indicator {indicator_id} is not counted from dated rows: no monthly parts",
        )
    columns = ["uscc", "month", "value"]
    span = effective_period(package, parse_period(f"{year}M{months:02d}"))
    cols = _Columns(package)
    try:
        selection = _select(cols, defn, span)
    except _NoData:
        empty = {c: pd.Series(dtype="Float64" if c == "value" else "str") for c in columns}
        empty["month"] = pd.Series(dtype="int64")
        return pd.DataFrame(empty)
    dates = cols.array(selection.table, rule["date"])[selection.positions]
    frame = pd.DataFrame(
        {
            "uscc": selection.uscc,
            "month": dates.astype("datetime64[M]").astype(np.int64) % 12 + 1,
            "x": pd.to_numeric(pd.Series(selection.x), errors="coerce").fillna(0.0).to_numpy(),
        }
    )
    frame = frame[frame["uscc"].notna().to_numpy()]
    per = frame.groupby(["month", "uscc"], sort=False)["x"].sum().round(4).reset_index()
    out = pd.DataFrame(
        {
            "uscc": per["uscc"].astype("str"),
            "month": per["month"].astype("int64"),
            "value": per["x"].astype("Float64"),
        }
    )
    return out.sort_values(
        ["month", "value", "uscc"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)


def _enterprise_money(indicator_id: str):
    """The definition of a money indicator built from enterprise rows (else a usage error)."""
    defn = indicator_def(indicator_id)
    if not defn.is_money or not defn.breakdown_by:
        raise UsageError(
            f"指标{indicator_id}不是按企业汇总的金额指标",
            f"indicator {indicator_id} is not a money indicator built from enterprise rows",
        )
    return defn
