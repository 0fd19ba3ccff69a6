"""Ledger 科技金融 (financing): loans and requests, most following a bank-enterprise meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.activities import BANKS
from innolib.synth.sampling import (
    cap_top_two,
    random_days,
    scale_to_total,
    stack_frames,
    table_frame,
)

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


# A little over 80 lines on purpose: one pass per year drawing, in a fixed order, firms,
# products, amounts scaled to the year's total and the meetings loans follow; the steps
# share the year's arrays, and that order keeps data/shangjie byte-identical.
def financing(
    ctx: Context, activities: pd.DataFrame, participants: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Loans and requests; most follow a bank-enterprise meeting, whose outcome count they raise."""
    rng, ent = ctx.rng, ctx.ent
    firms = np.flatnonzero(np.isin(ent.group, ["ind", "tech", "serv"]))
    w = np.sqrt(ent.size[firms]) * (0.3 + ent.tech[firms])
    # the district's own loan product first (郑科贷 in Zhengzhou; a district without one
    # gets 科技信贷 in its place, so the random draws stay the same)
    products = np.array([ctx.loan_product, "知识产权质押融资", "科技信贷", "其他"], dtype=object)
    banks = np.array(BANKS, dtype=object)
    meetings = activities[activities["type"].isin(["银企对接", "政银企座谈会"])]
    frames = []
    for year in ctx.years:
        k = ctx.profile.count("finance.rows", year)
        alive = ent.established_before(f"{year}-01-01")[firms]
        who = firms[alive][rng.choice(int(alive.sum()), size=k, p=w[alive] / w[alive].sum())]
        product = products[rng.choice(4, size=k, p=[0.35, 0.2, 0.35, 0.1])]
        resolved = np.exp(rng.normal(np.log(600), 0.9, size=k))
        unresolved = rng.random(k) < 0.15
        resolved[unresolved] = 0.0
        resolved = scale_to_total(
            resolved, np.ones(k, dtype=bool), ctx.profile.value("finance.resolved", year)
        )
        resolved = cap_top_two(resolved, np.ones(k, dtype=bool), 0.5)
        resolved = scale_to_total(
            resolved, np.ones(k, dtype=bool), ctx.profile.value("finance.resolved", year)
        )
        resolved = np.round(resolved, 2)
        product[(product == "郑科贷") & (resolved > 2000)] = (
            "科技信贷"  # 郑科贷 lends at most 2,000万
        )
        requested = np.where(
            unresolved,
            np.round(np.exp(rng.normal(np.log(500), 0.8, size=k)), 2),
            np.round(resolved * rng.uniform(1.0, 1.6, size=k), 2),
        )
        ms = meetings[meetings["date"].dt.year == year]
        linked = (rng.random(k) < 0.6) & (len(ms) > 0)
        act = np.full(k, None, dtype=object)
        dates = random_days(rng, k, f"{year}-01-05", f"{year}-12-28")
        if len(ms):
            pick = rng.integers(0, len(ms), size=k)
            act[linked] = ms["activity_id"].to_numpy()[pick[linked]]
            follow = ms["date"].to_numpy().astype("datetime64[D]")[pick] + rng.integers(
                10, 80, size=k
            ).astype("timedelta64[D]")
            dates = np.where(linked, np.minimum(follow, np.datetime64(f"{year}-12-30")), dates)
        frames.append(
            table_frame(
                {
                    "uscc": ent.uscc[who],
                    "product": product,
                    "bank": banks[rng.integers(0, 8, size=k)],
                    "activity_id": act,
                    "date": dates,
                    "requested": requested,
                    "resolved": resolved,
                }
            )
        )
    out = (
        stack_frames(frames, "financing")
        .sort_values(["date", "uscc"], kind="stable")
        .reset_index(drop=True)
    )
    year_of = pd.Series(out["date"].dt.year.astype(str).to_numpy(), dtype="object")
    seqno = out.groupby(year_of.to_numpy()).cumcount().add(1).astype(str).str.zfill(5)
    out["record_id"] = (ctx.spec.code + "-" + year_of + "-JR" + seqno.to_numpy()).to_numpy(
        dtype=object
    )
    activities, participants = _follow_meetings(out, activities, participants)
    return out, activities, participants


def _follow_meetings(
    loans: pd.DataFrame, activities: pd.DataFrame, participants: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A bank meeting's outcome count is the loans that followed it; the firms that took them
    attended it."""
    out = loans
    deals = out.loc[out["resolved"] > 0].groupby("activity_id").size()
    activities = activities.copy()
    is_meeting = activities["type"].isin(["银企对接", "政银企座谈会"])
    activities.loc[is_meeting, "outcomes"] = (
        activities.loc[is_meeting, "activity_id"].map(deals).fillna(0).astype(int)
    )
    # an enterprise whose loan followed a meeting attended it
    attended = out.loc[out["activity_id"].notna(), ["activity_id", "uscc"]]
    participants = pd.concat([participants, attended], ignore_index=True).drop_duplicates()
    participants = participants.sort_values(["activity_id", "uscc"], kind="stable").reset_index(
        drop=True
    )
    return activities, participants
