"""Ledger 成果转化 (achievements): transfer subsidies, green low-carbon technologies, others."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    grant_amounts,
    make_ids,
    random_days,
    stack_frames,
    table_frame,
    weighted_sample,
)
from innolib.synth.words import make_titles

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


def achievements(ctx: Context) -> pd.DataFrame:
    rng, ent = ctx.rng, ctx.ent
    firms = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
    w = ent.size[firms] * (0.3 + ent.tech[firms])
    frames = []
    seq = 0
    for year in ctx.years:
        alive = ent.established_before(f"{year}-01-01")[firms]
        for kind, key, chain in (
            (
                "转移转化补助",
                "ach.subsidy",
                (
                    ("申报", "04-10", "05-20"),
                    ("推荐", "06-01", "06-30"),
                    ("拨付", "11-15", "12-25"),
                ),
            ),
            (
                "绿色低碳先进技术",
                "ach.green",
                (
                    ("申报", "06-10", "07-20"),
                    ("推荐", "08-01", "08-31"),
                    ("认定", "11-01", "12-15"),
                ),
            ),
            ("其他", "ach.other", (("申报", "03-01", "09-30"), ("认定", "10-01", "12-20"))),
        ):
            k = ctx.profile.count(key, year)
            if k == 0:
                continue
            who = weighted_sample(rng, firms[alive], w[alive], k)
            if kind == "转移转化补助" and year == 2025 and ctx.spec.id == "shangjie":
                who = ctx.with_forced(who, [ctx.public("chalco_ri"), ctx.public("huahui")], k)
            ids = make_ids(f"{ctx.spec.code}-{year}-CG", seq, k, 4)
            seq += k
            titles = make_titles(rng, ent.sector[who])
            requested = (
                grant_amounts(rng, k, 20, 100) if kind == "转移转化补助" else np.full(k, np.nan)
            )
            going = np.ones(k, dtype=bool)
            for step, (stage, lo, hi) in enumerate(chain):
                final = step == len(chain) - 1
                if final and kind == "转移转化补助" and year == ctx.years[-1]:
                    break  # this year's subsidies are not paid yet when the year's data close
                idx = np.flatnonzero(going)
                dates = random_days(rng, len(idx), f"{year}-{lo}", f"{year}-{hi}")
                stages = np.full(len(idx), stage, dtype=object)
                amount = requested[idx]
                if final:
                    fail = rng.random(len(idx)) < 0.25
                    stages[fail] = "未通过"
                    amount = np.where(
                        fail, np.nan, np.round(amount * rng.uniform(0.6, 1.0, size=len(idx)), 2)
                    )
                elif stage == "推荐":
                    amount = np.full(len(idx), np.nan)
                frames.append(
                    table_frame(
                        {
                            "record_id": ids[idx],
                            "uscc": ent.uscc[who[idx]],
                            "kind": kind,
                            "title": titles[idx],
                            "stage": stages,
                            "date": dates,
                            "amount": amount,
                        }
                    )
                )
    out = stack_frames(frames, "achievements")
    return out.sort_values(["date", "record_id"], kind="stable").reset_index(drop=True)
