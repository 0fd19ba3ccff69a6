"""The span a package's data covers, and what a period beyond it gets (docs/data.md, "Coverage").

A package covers the days up to its **coverage end**: the ``cutoff`` of district.yaml
when one is declared, else 31 December of the last year in which any ledger has a
record. A record is dated by its table's ``record_date`` column (a certification's
date, a contract's registration, the survey's year …; ``innolib/tables.py``); the
enterprise directory, targets and the bureau's measures date nothing that happened.

A period that starts after the coverage end has no data: its flows, rates and survey
figures are ``no_data`` (never zeros), its stocks are stated as of the coverage end,
with that date (``IndicatorValue.as_of``), and a warning says so. A ledger whose own
records stop before the year of the coverage end gets a warning naming it and its last
date; it does not shorten the span (a quiet ledger may simply have had nothing to record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from innolib.package import Package
from innolib.tables import TABLES


@dataclass(frozen=True)
class Coverage:
    """``end``: the coverage end (None for a package without a single dated record);
    ``declared``: whether it is the district's ``cutoff``; ``last``: each ledger's last
    record date (None for an empty ledger)."""

    end: dt.date | None
    declared: bool
    last: dict[str, dt.date | None] = field(default_factory=dict)

    def covers(self, start: dt.date) -> bool:
        """Whether a period starting on ``start`` begins inside the covered span."""
        return self.end is None or start <= self.end

    def stale_tables(self) -> dict[str, dt.date]:
        """Ledgers with records whose last record falls before the coverage end's year."""
        if self.end is None:
            return {}
        first_day = dt.date(self.end.year, 1, 1)
        return {t: d for t, d in self.last.items() if d is not None and d < first_day}


def _last_record(frame: pd.DataFrame, column: str, is_year: bool) -> dt.date | None:
    values = frame[column].dropna() if column in frame.columns else frame.iloc[0:0, 0:0]
    if len(values) == 0:
        return None
    if is_year:
        return dt.date(int(values.max()), 12, 31)
    return pd.Timestamp(values.max()).date()


def coverage(package: Package) -> Coverage:
    """The package's coverage (see the module docstring); computed once per package and
    kept on it (again if its tables or district are replaced)."""
    key = (id(package.district), *(id(frame) for frame in package.tables.values()))
    cached = package.__dict__.get("_coverage")
    if cached is not None and cached[0] == key:
        return cached[1]
    cover = _coverage(package)
    package.__dict__["_coverage"] = (key, cover)
    return cover


def _coverage(package: Package) -> Coverage:
    last: dict[str, dt.date | None] = {}
    for table_id, decl in TABLES.items():
        if decl.record_date is None or not package.has(table_id):
            continue
        column = decl.column(decl.record_date)
        last[table_id] = _last_record(package[table_id], column.id, column.type == "year")
    cutoff = package.district.cutoff
    if cutoff is not None:
        return Coverage(cutoff, True, last)
    dated = [d for d in last.values() if d is not None]
    end = dt.date(max(dated).year, 12, 31) if dated else None
    return Coverage(end, False, last)


def coverage_warnings(cover: Coverage, start: dt.date | None = None) -> list[str]:
    """What a run should tell the analyst, one bilingual line each: the period (starting on
    ``start``) lies beyond the data, and the ledgers whose records stop early."""
    lines = []
    if start is not None and not cover.covers(start) and cover.end is not None:
        basis = "数据截止日期" if cover.declared else "最后一年有记录的年末"
        basis_en = (
            "the declared cutoff" if cover.declared else "the end of the last year with records"
        )
        lines.append(
            f"报告期晚于数据覆盖范围：数据截至{cover.end.isoformat()}（{basis}），"
            f"本期流量指标为无数据，存量指标按{cover.end.isoformat()}的数陈述 / "
            f"the period lies beyond the data, which ends on {cover.end.isoformat()} "
            f"({basis_en}): flows have no data, stocks are stated as of that date"
        )
    for table_id, day in cover.stale_tables().items():
        lines.append(
            f"{TABLES[table_id].zh}的记录止于{day.isoformat()}，早于数据覆盖截止年份 / "
            f"the records of {table_id} end on {day.isoformat()}, "
            f"before the last covered year"
        )
    return lines
