"""Finding the comparator in the published statistics: the row of a scope, indicator and year.

The reference table (``innolib.reference.load_reference``) holds figures as published, one
row per (scope, year, indicator). A comparison asks for the latest figure of a scope up to
a year, or for a growth rate: the published ``<indicator>增长率`` row, else one computed
from two consecutive years' levels (status ``derived``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from innolib.package import District

NATION = "全国"
SCOPES = ("city", "province", "nation")


def scope_names(district: District, scope: str) -> tuple[str, set[str]]:
    """The display name of a scope and the spellings the reference may use for it."""
    if scope == "nation":
        return NATION, {NATION, "中国"}
    name = district.city if scope == "city" else district.province
    return name, {name, name.removesuffix("市").removesuffix("省")}


def reference_rows(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> pd.DataFrame:
    """The rows of ``indicator`` for a scope up to ``year`` with an accepted status, oldest first."""
    mask = (
        reference["scope"].isin(aliases)
        & (reference["indicator"] == indicator)
        & (reference["year"] <= year)
        & reference["status"].isin(statuses)
    )
    return reference[mask].sort_values("year")


def latest_level(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> pd.Series | None:
    """The latest row of ``indicator`` up to ``year``, or None."""
    rows = reference_rows(reference, aliases, indicator, year, statuses)
    return None if rows.empty else rows.iloc[-1]


def latest_growth(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> dict[str, Any] | None:
    """The latest growth rate of a reference indicator up to ``year``: published, else from two levels.

    A published ``<indicator>增长率`` row wins for its year; otherwise the growth is
    computed from the levels of two consecutive years (status ``derived``).
    """
    published = reference_rows(reference, aliases, indicator + "增长率", year, statuses)
    levels = reference_rows(reference, aliases, indicator, year, statuses).set_index("year")
    candidates: dict[int, dict[str, Any]] = {}
    for y, row in levels.iterrows():
        if y - 1 in levels.index and levels.loc[y - 1, "value"]:
            prev = levels.loc[y - 1]
            sources = list(dict.fromkeys([prev["source"], row["source"]]))
            candidates[int(y)] = {
                "value": 100.0 * (row["value"] / prev["value"] - 1),
                "year": int(y),
                "unit": "%",
                "status": "derived",
                "source": "；".join(sources),
                "note": f"由{y - 1}年{prev['value']:g}{prev['unit']}、{y}年{row['value']:g}{row['unit']}计算",
            }
    for _, row in published.iterrows():
        candidates[int(row["year"])] = {
            "value": float(row["value"]),
            "year": int(row["year"]),
            "unit": "%",
            "status": row["status"],
            "source": row["source"],
            "note": row["note"],
        }
    if not candidates:
        return None
    return candidates[max(candidates)]
