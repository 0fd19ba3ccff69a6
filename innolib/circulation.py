"""What may circulate: the one place that decides which confidential money figures are withheld.

Floor: above ``innolib.indicators`` (it reads per-enterprise contributions) and below
everything that circulates – ``narrative``, ``export``, ``analyses``' tables as charted,
the charts and the notebooks call it; the rules themselves are ``innolib.disclosure``'s
(pure, floor 1). docs/data.md "Confidentiality" states the contract:

* **The family.** A year's periods are published together – the year, its halves,
  quarters and year-to-date months – whatever one command runs, so a confidential flow
  (``contracts.amount``, ``contracts.tech_amount``, ``finance.resolved``,
  ``finance.requested``) is protected over the whole family at once
  (``disclosure.protect_family``): primary suppression per period, then complementary
  suppression so that no withheld period, and no run of months that fails the primary
  rules, can be worked out from the published ones; **never the full-year headline**.
  An annual indicator (``rd.expenditure``: the survey) has one cell a year.
* **Memoised** per package object and (indicator, year): a family is a pure function of
  the package's rows, computed once however many results, trends and tables ask
  (packages are not modified after loading; a new package object is a new cache).
* ``withheld(package, id, period)`` is the decision for one figure;
  ``circulated_result`` applies it to an ``IndicatorSet`` (a withheld previous year
  withholds the change), ``circulated_trend`` to a trend, and ``protect_categories`` to a
  breakdown table (by town, contract type, buyer region, financing product): its cells
  protected with ``disclosure.protect_table``, and every cell withheld when the
  period's district total is (its cells would add up to it).
"""

from __future__ import annotations

import copy
import dataclasses
import weakref
from collections.abc import Sequence
from typing import Any

import pandas as pd

from innolib.disclosure import (
    SECONDARY,
    SUPPRESSED,
    ProtectedTable,
    cell_is_safe,
    protect_family,
    protect_table,
)
from innolib.indicators import (
    UNASSIGNED,
    contributions,
    effective_period,
    monthly_contributions,
    trend,
)
from innolib.package import Package
from innolib.periods import Period, parse_period
from innolib.registry import indicator_def

_FAMILIES: dict[int, tuple[weakref.ref, dict]] = {}


def _cache(package: Package) -> dict:
    """The families computed for this package object (dropped with it)."""
    key = id(package)
    entry = _FAMILIES.get(key)
    if entry is None or entry[0]() is not package:
        entry = (weakref.ref(package, lambda _ref, k=key: _FAMILIES.pop(k, None)), {})
        _FAMILIES[key] = entry
    return entry[1]


def _family_periods(package: Package, year: int) -> list[Period]:
    """The year's periods (year, halves, quarters, year-to-date months) as the package has
    them: clipped by its cutoff, those starting after the cutoff left out."""
    labels = [f"{year}", f"{year}H1", f"{year}H2"]
    labels += [f"{year}Q{q}" for q in range(1, 5)] + [f"{year}M{m:02d}" for m in range(1, 13)]
    cutoff = package.district.cutoff
    return [
        effective_period(package, p)
        for p in map(parse_period, labels)
        if cutoff is None or p.start <= cutoff
    ]


def _run(period: Period) -> tuple[int, int] | None:
    """The months (first, last) a period covers, or None when it is not a run of whole
    months of one year (a clipped period ending mid-month covers its last month in part,
    which is that month's atom of the family too, when the cutoff is the package's)."""
    if period.start.day != 1 or period.start.year != period.end.year:
        return None
    return period.start.month, period.end.month


def family(package: Package, indicator_id: str, year: int):
    """The ``disclosure.ProtectedFamily`` of a confidential flow indicator in ``year`` (memoised).

    None when the indicator is not a flow or has no data in the year.
    """
    cache = _cache(package)
    key = (indicator_id, year)
    if key not in cache:
        cache[key] = _build_family(package, indicator_id, year)
    return cache[key]


def _build_family(package: Package, indicator_id: str, year: int):
    if indicator_def(indicator_id).kind != "flow":
        return None
    periods = _family_periods(package, year)
    if not periods:
        return None
    cells: dict[tuple[int, int], list[str]] = {}
    for p in periods:
        cells.setdefault(_run(p), []).append(p.label)
    year_cell = _run(periods[0])
    last = max(j for _, j in cells)
    months = monthly_contributions(package, indicator_id, year, last)
    return protect_family(months, cells, year_cell)


def withheld(package: Package, indicator_id: str, period: Period) -> str | None:
    """Why the district figure of ``indicator_id`` for ``period`` may not circulate, or None.

    ``"primary"`` (the period's own cell fails minimum frequency or (2, 85) dominance) or
    ``"secondary"`` (withheld so that another cell of the year's family cannot be worked
    out); None for a figure that may circulate, and for every indicator that is not
    confidential money (counts and rates are never withheld).
    """
    defn = indicator_def(indicator_id)
    if not (defn.confidential and defn.is_money):
        return None
    period = effective_period(package, period)
    run = _run(period)
    fam = family(package, indicator_id, period.year) if run is not None else None
    if fam is not None and run in fam.cells.index:
        status = fam.status(run)
        return None if status == "published" else status
    frame = contributions(package, indicator_id, period)
    return None if cell_is_safe(frame["value"])[0] else "primary"


def circulated_result(package: Package, result: Any) -> Any:
    """A copy of ``result`` (an ``IndicatorSet``) fit to circulate.

    Each confidential money figure that ``withheld`` stops becomes status ``suppressed``
    with null value, previous and change; when only the same period of last year is
    withheld, ``previous`` and ``change`` are (a change would give it away) and
    ``previous_status`` says ``suppressed``. Idempotent.
    """
    period = result.period
    new_values = dict(result.values)
    for iid, iv in result.values.items():
        if getattr(iv, "status", "ok") != "ok":
            continue
        if withheld(package, iid, period):
            new_values[iid] = _withheld(iv, value=True)
        elif getattr(iv, "previous", None) is not None and withheld(
            package, iid, period.previous_year()
        ):
            new_values[iid] = _withheld(iv, value=False)
    out = copy.copy(result)
    out.values = new_values
    return out


def _withheld(iv: Any, *, value: bool) -> Any:
    changes: dict[str, Any] = {
        "previous": None,
        "change": None,
        "change_unit": None,
        "previous_status": "suppressed",
    }
    if value:
        changes.update(value=None, status="suppressed")
    if dataclasses.is_dataclass(iv):
        return dataclasses.replace(iv, **changes)
    clone = copy.copy(iv)
    for k, v in changes.items():
        setattr(clone, k, v)
    return clone


def circulated_trend(
    package: Package, indicator_id: str, periods: Sequence[Period]
) -> pd.DataFrame:
    """``indicators.trend`` as it may circulate: a withheld period has status ``suppressed``
    and no value (charts mark it ``—`` and leave it out of titles)."""
    frame = trend(package, indicator_id, list(periods))
    out = frame.copy()
    for k, p in enumerate(periods):
        if out.at[k, "status"] == "ok" and withheld(package, indicator_id, p):
            out.at[k, "value"] = pd.NA
            out.at[k, "status"] = "suppressed"
    out.attrs = dict(frame.attrs)
    return out


def protect_categories(
    package: Package,
    indicator_id: str,
    period: Period,
    contribs: pd.DataFrame,
    by: str,
    categories: Sequence[str] | None = None,
) -> ProtectedTable:
    """A breakdown of a confidential money figure by ``by`` (town, contract type, buyer
    region, financing product) made safe to circulate.

    ``contribs``: per-enterprise parts of ``indicator_id`` in ``period`` (``uscc``, ``by``,
    ``value``), adding up to the district figure. The cells are protected with
    ``disclosure.protect_table`` (the total is published beside them); when ``withheld``
    stops the period's district figure, every cell is withheld too (published cells
    would add up to it).
    """
    table = protect_table(contribs, by, total=True, categories={by: list(categories or [])})
    if withheld(package, indicator_id, period):
        cells = table.cells
        hide = (cells["status"] == "published").to_numpy()
        cells.loc[hide, "status"] = "secondary"
        cells.loc[hide, "reason"] = SECONDARY
        cells.loc[hide, "reason_zh"] = "本期合计数已隐去，其分项不公布"
        cells.loc[hide, "reason_en"] = "the period's district total is withheld, so are its parts"
        cells.loc[hide, "display"] = SUPPRESSED
    return table


def protected_breakdown(
    package: Package, indicator_id: str, period: Period, by: str = "town"
) -> pd.DataFrame:
    """``indicators.breakdown`` as it may circulate: [by, value, enterprises, status].

    For a confidential money indicator the cells go through ``protect_categories`` (a
    withheld cell has status ``suppressed`` and no value); any other indicator is returned
    as computed, with status ``ok``.
    """
    from innolib.indicators import breakdown

    frame = breakdown(package, indicator_id, period, by=by)
    defn = indicator_def(indicator_id)
    out = frame.assign(status="ok" if frame.attrs.get("status") == "ok" else "no_data")
    out.attrs = dict(frame.attrs)
    if not (defn.confidential and defn.is_money) or frame.attrs.get("status") != "ok":
        return out
    contribs = contributions(package, indicator_id, period)
    contribs[by] = contribs[by].astype("object").where(contribs[by].notna(), UNASSIGNED)
    table = protect_categories(
        package, indicator_id, period, contribs, by, categories=list(frame[by])
    )
    status = table.cells.set_index(by)["status"]
    hidden = out[by].map(status).fillna("published") != "published"
    out["value"] = out["value"].mask(hidden.to_numpy())
    out.loc[hidden.to_numpy(), "status"] = "suppressed"
    return out


# --------------------------------------------------------------------------- analyses' money tables
def _category_parts(rows: pd.DataFrame, who: str, by: str, value: str) -> pd.DataFrame:
    """Per-respondent parts (``uscc``, ``by``, ``value``) of ``rows``; a row without an
    enterprise code is a respondent of its own (it cannot hide anyone)."""
    ids = rows[who].astype("object")
    anonymous = pd.Series([f"（无代码{k}）" for k in range(len(rows))], index=rows.index)
    return pd.DataFrame(
        {
            "uscc": ids.where(ids.notna() & (ids != ""), anonymous),
            by: rows[by].astype("object").fillna("未填"),
            "value": pd.to_numeric(rows[value], errors="coerce").fillna(0.0),
        }
    )


def _statuses(table: ProtectedTable, by: str) -> pd.Series:
    return table.cells.set_index(by)["status"]


def _circulating_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of an analysis frame with a ``status`` column (``ok``, or ``no_data`` on every
    row when the analysis had none), its attrs kept."""
    out = frame.copy()
    out["status"] = "ok" if frame.attrs.get("status") == "ok" else "no_data"
    out.attrs = dict(frame.attrs)
    return out


def circulated_contract_mix(package: Package, period: Period, mix: pd.DataFrame) -> pd.DataFrame:
    """``analyses.contract_mix`` as it may circulate: each panel (by type, by buyer region)
    protected as a table of ``contracts.amount``; a withheld cell has status
    ``suppressed`` and neither amount nor amount share (counts stay)."""
    from innolib.indicators import rows_in_period
    from innolib.registry import enterprise_column

    out = _circulating_copy(mix)
    if out.attrs.get("status") != "ok":
        return out
    p = effective_period(package, period)
    rows = rows_in_period(package["tech_contracts"], "registered", p)
    for by in ("type", "buyer_region"):
        here = (out["by"] == by).to_numpy()
        parts = _category_parts(rows, enterprise_column("tech_contracts"), by, "amount")
        cats = list(out.loc[here, "category"])
        table = protect_categories(package, "contracts.amount", p, parts, by, categories=cats)
        hidden = here & (out["category"].map(_statuses(table, by)) != "published").to_numpy()
        out.loc[hidden, ["amount", "amount_share"]] = float("nan")
        out.loc[hidden, "status"] = "suppressed"
    return out


def circulated_financing(package: Package, period: Period, summary: pd.DataFrame) -> pd.DataFrame:
    """``analyses.financing_summary`` as it may circulate: requested and resolved by product
    each protected (``finance.requested``, ``finance.resolved``); a row with either withheld
    has status ``suppressed`` and neither amount nor ratio (the ratio would give one from
    the other). The 合计 row follows the period's district figures."""
    from innolib.indicators import rows_in_period

    out = _circulating_copy(summary)
    if out.attrs.get("status") != "ok":
        return out
    p = effective_period(package, period)
    rows = rows_in_period(package["financing"], "date", p)
    cats = [c for c in out["product"] if c != "合计"]
    hidden = pd.Series(False, index=out.index)
    for iid, column in (("finance.requested", "requested"), ("finance.resolved", "resolved")):
        parts = _category_parts(rows, "uscc", "product", column)
        table = protect_categories(package, iid, p, parts, "product", categories=cats)
        status = _statuses(
            table, "product"
        )  # its margin is 合计, like the summary's (disclosure.TOTAL)
        hidden |= out["product"].map(status).fillna("published") != "published"
    out.loc[hidden, ["requested", "resolved", "ratio"]] = float("nan")
    out.loc[hidden, "status"] = "suppressed"
    return out
