"""Ledger 年度目标 (targets): the bureau's yearly plan for a few headline indicators."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


def targets(ctx: Context) -> pd.DataFrame:
    """The bureau's yearly plan for a few headline indicators (round numbers near the outturn)."""
    rng = ctx.rng
    rows = []
    for year in ctx.years:
        plan = {
            "tech_sme.recommended": ctx.profile.value("tsme.recommended", year)
            * rng.uniform(1.0, 1.25),
            "hnte.applied": ctx.profile.value("hnte.applied", year) * rng.uniform(0.9, 1.1),
            "rd.expenditure": ctx.profile.value("rd.total", year) * rng.uniform(0.95, 1.05),
            "rd.coverage_industrial": 100
            * ctx.profile.value("survey.industrial_rd", year)
            / max(ctx.profile.value("survey.规上工业", year), 1)
            + rng.uniform(-2, 3),
            "contracts.amount": ctx.profile.value("contracts.amount", year)
            * rng.uniform(0.9, 1.05),
            "finance.resolved": ctx.profile.value("finance.resolved", year)
            * rng.uniform(0.85, 1.05),
        }
        for indicator, value in plan.items():
            if indicator == "rd.coverage_industrial":
                text = f"{int(round(value))}%"
            elif indicator in ("rd.expenditure", "contracts.amount", "finance.resolved"):
                text = (
                    str(int(round(value / 500.0) * 500)) if value > 2000 else str(int(round(value)))
                )
            else:
                text = str(max(1, int(round(value))))
            rows.append({"year": year, "indicator": indicator, "target": text})
    return pd.DataFrame(rows)
