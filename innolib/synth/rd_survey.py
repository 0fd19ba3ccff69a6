"""Ledger 研发投入统计调查 (rd_survey): who is 四上 in which year, and their R&D census rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    cap_top_two,
    scale_to_total,
    stack_frames,
    table_frame,
    weighted_sample,
)

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context

from innolib.synth.enterprises import PUBLIC_BODIES
from innolib.synth.profile import GROUP_CLASS


def above_scale(ctx: Context) -> dict[int, np.ndarray]:
    """The 四上 class of every enterprise in every window year ('无' when none).

    Each class keeps its members from year to year; about 5% leave and newcomers
    (larger firms first) fill the class up to the year's count.
    """
    rng, ent = ctx.rng, ctx.ent
    n = len(ent)
    classes = {y: np.full(n, "无", dtype=object) for y in ctx.years}
    forced = np.zeros(n, dtype=bool)
    # the bulletin's larger public bodies are 四上 throughout
    forced[[i for b, i in zip(PUBLIC_BODIES, ent.public.values()) if b.size >= 3]] = True
    for cls in ("规上工业", "资质内建筑业", "限上批零住餐", "规上服务业", "房地产开发"):
        groups = [g for g, c in GROUP_CLASS.items() if c == cls]
        members = np.zeros(n, dtype=bool)
        for t, year in enumerate(ctx.years):
            target = ctx.profile.count(f"survey.{cls}", year)
            eligible = np.isin(ent.group, groups) & ent.established_before(f"{year}-01-01")
            if t > 0:
                leavers = members & ~forced
                k_exit = int(rng.binomial(int(leavers.sum()), 0.05))
                out = weighted_sample(rng, np.flatnonzero(leavers), 1.0 / ent.size[leavers], k_exit)
                members[out] = False
            keep_forced = forced & eligible & ~members
            members |= keep_forced
            need = target - int(members.sum())
            if need > 0:
                pool = np.flatnonzero(eligible & ~members)
                members[weighted_sample(rng, pool, ent.size[pool], need)] = True
            elif need < 0:
                pool = np.flatnonzero(members & ~forced)
                members[weighted_sample(rng, pool, 1.0 / ent.size[pool], -need)] = False
            classes[year][members] = cls
    return classes


# A little over 80 lines on purpose: one pass per year drawing, in a fixed order, who has
# R&D, who reported, revenue and R&D amounts from the seeded stream; the steps share the
# year's arrays, and that order keeps data/shangjie byte-identical.
def rd_survey(ctx: Context, classes: dict[int, np.ndarray]) -> pd.DataFrame:
    """One row per 四上 enterprise per year (plus firms that dropped out that year, class 无)."""
    rng, ent = ctx.rng, ctx.ent
    frames = []
    growth = {y: 1.06 ** (y - ctx.years[0]) for y in ctx.years}
    intensity = np.clip(np.exp(rng.normal(np.log(0.022), 0.6, size=len(ent))), 0.003, 0.25)
    chalco = ctx.public("chalco_ri")
    if chalco is not None:
        intensity[chalco] = 0.22  # a research institute spends much of its revenue on R&D
    thresholds = {
        "规上工业": 2000.0,
        "资质内建筑业": 1000.0,
        "限上批零住餐": 500.0,
        "规上服务业": 1000.0,
        "房地产开发": 3000.0,
        "无": 0.0,
    }
    for t, year in enumerate(ctx.years):
        cls = classes[year]
        members = np.flatnonzero(cls != "无")
        dropped = np.array([], dtype=np.int64)
        if t > 0:
            was = classes[ctx.years[t - 1]] != "无"
            left = np.flatnonzero(was & (cls == "无"))
            dropped = left[rng.random(len(left)) < 0.5]
        rows = np.concatenate([members, dropped])
        row_cls = cls[rows]
        m = len(rows)
        # R&D activity: a persistent propensity plus noise decides who has it
        score = ent.tech[rows] + 0.15 * np.log(ent.size[rows]) + rng.normal(0, 0.12, size=m)
        has_rd = np.zeros(m, dtype=bool)
        for c, share in (
            ("规上工业", None),
            ("规上服务业", 0.45),
            ("资质内建筑业", 0.25),
            ("限上批零住餐", 0.08),
            ("房地产开发", 0.0),
            ("无", 0.2),
        ):
            idx = np.flatnonzero(row_cls == c)
            k = (
                ctx.profile.count("survey.industrial_rd", year)
                if share is None
                else int(np.floor(share * len(idx) + 0.5))
            )
            has_rd[idx[np.argsort(-score[idx], kind="stable")[:k]]] = True
        has_rd[rows == chalco] = True
        reported = np.ones(m, dtype=bool)
        n_missing = int(np.floor((1 - ctx.profile.rate("survey.reported_rate", year)) * m + 0.5))
        candidates = np.flatnonzero(~has_rd)
        reported[weighted_sample(rng, candidates, np.ones(len(candidates)), n_missing)] = False
        # amounts: revenue from size, R&D = revenue × intensity, scaled to the year's total
        revenue = 3000.0 * ent.size[rows] * growth[year] * np.exp(rng.normal(0, 0.12, size=m))
        floor = pd.Series(row_cls).map(thresholds).to_numpy(dtype=float)
        revenue = np.maximum(revenue, floor * (1 + rng.random(m)))
        rd = np.where(has_rd, revenue * intensity[rows] * np.exp(rng.normal(0, 0.15, size=m)), 0.0)
        surveyed = row_cls != "无"
        total = ctx.profile.value("rd.total", year)
        rd = scale_to_total(rd, surveyed, total)
        rd = cap_top_two(rd, surveyed, 0.6)
        rd = scale_to_total(rd, surveyed, total)
        revenue = np.maximum(
            revenue, rd * 4
        )  # no firm spends more than a quarter of revenue on R&D
        staff = np.where(has_rd, np.maximum(1, np.floor(rd / rng.uniform(15, 35, size=m))), 0)
        frames.append(
            table_frame(
                {
                    "year": year,
                    "uscc": ent.uscc[rows],
                    "above_scale": row_cls,
                    "reported": reported,
                    "has_rd": has_rd & reported,
                    "rd_expenditure": np.where(reported, np.round(rd, 2), np.nan),
                    "revenue": np.where(reported, np.round(revenue, 2), np.nan),
                    "rd_staff": np.where(reported, staff, np.nan),
                }
            )
        )
    out = stack_frames(frames, "rd_survey")
    return out.sort_values(["year", "uscc"], kind="stable").reset_index(drop=True)
