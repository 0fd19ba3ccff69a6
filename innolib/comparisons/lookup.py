"""Finding the comparator in the published statistics: the row of a scope, indicator and year.

The reference table (``innolib.reference.load_reference``) holds figures as published, one
row per (scope, year, indicator). A comparison asks for every year a scope has a figure
for (a level, or a growth rate: the published ``<indicator>增长率`` row, else one computed
from two consecutive years' levels, status ``derived``) and picks the year itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from innolib.package import District
from innolib.present.numbers import format_number
from innolib.reference import SOURCE_KINDS, STATUS_ZH

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


def levels_by_year(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> dict[int, dict[str, Any]]:
    """Every year's row of ``indicator`` for a scope up to ``year``: {year: row as a dict}."""
    rows = reference_rows(reference, aliases, indicator, year, statuses)
    return {int(r["year"]): r for r in rows.to_dict("records")}


def growth_by_year(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> dict[int, dict[str, Any]]:
    """Every year's growth rate of a reference indicator up to ``year``: published, else from two levels.

    A published ``<indicator>增长率`` row wins for its year; otherwise the growth of a year
    is computed from the levels of that year and the one before (status ``derived``, its
    source kind the weaker of the two). Growth is never taken across a gap of years.
    """
    levels = levels_by_year(reference, aliases, indicator, year, statuses)
    out: dict[int, dict[str, Any]] = {}
    for y, row in levels.items():
        prev = levels.get(y - 1)
        if prev is None or not prev["value"]:
            continue
        sources = list(dict.fromkeys([prev["source"], row["source"]]))
        kinds = [prev["source_kind"], row["source_kind"]]
        out[y] = {
            "value": 100.0 * (row["value"] / prev["value"] - 1),
            "year": y,
            "unit": "%",
            "status": "derived",
            "source": " 、".join(sources),
            "source_kind": max(kinds, key=SOURCE_KINDS.index),
            "note": f"由{y - 1}年{_published(prev['value'])}{prev['unit']}（{STATUS_ZH[prev['status']]}）、"
            f"{y}年{_published(row['value'])}{row['unit']}（{STATUS_ZH[row['status']]}）计算",
        }
    published = levels_by_year(reference, aliases, indicator + "增长率", year, statuses)
    out.update(published)
    return dict(sorted(out.items()))


def _published(value: float) -> str:
    """A reference figure as its source published it (up to four decimals: 803.66)."""
    return format_number(value, 4)
