"""Results of the indicators: one value (``IndicatorValue``) and a period's set (``IndicatorSet``).

The set carries the (clipped) ``Period`` it was computed for, so that every helper downstream
takes the result it is given instead of recomputing it or re-parsing a label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from innolib.errors import UsageError
from innolib.package import District
from innolib.periods import Period
from innolib.registry import IndicatorDef, indicator_def

OK, NO_DATA, SUPPRESSED = "ok", "no_data", "suppressed"
UNASSIGNED = "（未归属）"
"""Breakdown label for rows whose bearer is not a district enterprise (or has no town/sector)."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator for one period: value (None unless status ``ok``), year-on-year.

    Counts are ``int``; money is ``float`` in 万元 (4 decimals); rates ``float`` percent,
    unrounded. ``change`` is percent (``change_unit`` ``%``) or percentage points (``pp``),
    None (with ``change_unit`` None) when either value is missing or the base is 0.
    ``previous_status`` says why ``previous`` is missing: ``no_data``, or ``suppressed``
    when disclosure control withheld last year's figure (tables show the matching marker).
    """

    id: str
    value: int | float | None
    unit: str
    kind: str
    status: str
    previous: int | float | None = None
    change: float | None = None
    change_unit: str | None = None
    previous_status: str = OK
    as_of: dt.date | None = None  # a stock of a period beyond the data: the day it is stated on

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def definition(self) -> IndicatorDef:
        return indicator_def(self.id)

    def to_dict(self) -> dict[str, Any]:
        """The per-indicator object of the indicators document (docs/interface.md)."""
        document = {
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "status": self.status,
            "previous": self.previous,
            "change": self.change,
            "change_unit": self.change_unit,
        }
        if self.as_of is not None:  # only a stock of a period beyond the data has one
            document["as_of"] = self.as_of.isoformat()
        return document


@dataclass
class IndicatorSet:
    """Indicators of one package for one period (already clipped by the cutoff).

    ``values`` keeps registry order. ``result["hnte.valid"].value``; ``result.value(id)``;
    ``result.section(1)``; ``result.to_document()`` is the JSON of docs/interface.md.
    """

    district: District
    period: Period
    values: dict[str, IndicatorValue]
    # what the run should tell the analyst about the data's coverage (innolib.coverage)
    warnings: list[str] = field(default_factory=list)
    coverage_end: dt.date | None = None

    def __getitem__(self, indicator_id: str) -> IndicatorValue:
        try:
            return self.values[indicator_id]
        except KeyError:
            indicator_def(indicator_id)  # unknown id: bilingual UsageError
            raise UsageError(
                f"本结果未计算指标{indicator_id}",
                f"indicator {indicator_id} was not computed in this result",
            ) from None

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.values

    def __iter__(self) -> Iterator[IndicatorValue]:
        return iter(self.values.values())

    def __len__(self) -> int:
        return len(self.values)

    def get(self, indicator_id: str) -> IndicatorValue | None:
        return self.values.get(indicator_id)

    def value(self, indicator_id: str) -> int | float | None:
        """The value of one indicator (None when not ``ok``)."""
        return self[indicator_id].value

    def definition(self, indicator_id: str) -> IndicatorDef:
        return indicator_def(indicator_id)

    def section(self, section: int) -> list[IndicatorValue]:
        """The values of one bulletin section (0 = the project's additions), registry order."""
        return [v for v in self if indicator_def(v.id).section == section]

    @property
    def cutoff(self) -> dt.date | None:
        return self.district.cutoff

    @property
    def beyond_data(self) -> bool:
        """Whether the period starts after the data's coverage end (``innolib.coverage``)."""
        return self.coverage_end is not None and self.period.start > self.coverage_end

    @property
    def previous_period(self) -> Period:
        """The year-on-year base every ``previous`` was computed for (上年同期)."""
        return self.period.previous_year()

    def to_document(self) -> dict[str, Any]:
        """The indicators document of docs/interface.md (``indicators --json``, ``indicators.json``)."""
        d = self.district
        return {
            "district": {"id": d.id, "code": d.code, "name": d.name},
            "period": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "cutoff": d.cutoff.isoformat() if d.cutoff else None,
            "coverage_end": self.coverage_end.isoformat() if self.coverage_end else None,
            "warnings": list(self.warnings),
            "indicators": {v.id: v.to_dict() for v in self},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: id, section, name_zh, unit, kind, status, value, previous, change."""
        from innolib.present.facts import district_facts

        facts_zh, _ = district_facts(self.district, "zh")
        facts_en, _ = district_facts(self.district, "en")
        rows = []
        for v in self:
            defn = indicator_def(v.id)
            rows.append(
                {
                    "id": v.id,
                    "section": defn.section,
                    "name_zh": defn.display_name("zh", facts_zh),
                    "name_en": defn.display_name("en", facts_en),
                    "unit": v.unit,
                    "kind": v.kind,
                    "status": v.status,
                    "value": v.value,
                    "previous": v.previous,
                    "change": v.change,
                    "change_unit": v.change_unit,
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "id",
                "section",
                "name_zh",
                "name_en",
                "unit",
                "kind",
                "status",
                "value",
                "previous",
                "change",
                "change_unit",
            ],
        )
