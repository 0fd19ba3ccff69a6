"""Ledger 人才工作 (talent): 科技副总 placements and talent demands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    make_ids,
    pick_strings,
    random_days,
    stack_frames,
    table_frame,
    weighted_sample,
)

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


def talent(ctx: Context) -> pd.DataFrame:
    rng, ent = ctx.rng, ctx.ent
    frames = []
    fields = (
        "材料科学与工程",
        "冶金工程",
        "机械工程",
        "自动化",
        "航空工程",
        "计算机科学与技术",
        "化学工程",
        "电气工程",
        "无机非金属材料",
        "工业设计",
    )
    firms = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
    w = np.sqrt(ent.size[firms]) * (0.3 + ent.tech[firms])
    seq = 0
    for year in ctx.years:
        alive = ent.established_before(f"{year}-01-01")[firms]
        for kind, ent_key, extra_key in (
            ("科技副总选聘", "talent.vp_enterprises", "talent.vp_extra_rows"),
            ("人才需求", "talent.demand_enterprises", "talent.demand_extra_rows"),
        ):
            k = ctx.profile.count(ent_key, year)
            if k == 0:
                continue
            who = weighted_sample(rng, firms[alive], w[alive], k)
            if kind == "科技副总选聘" and year == 2025 and ctx.spec.id == "shangjie":
                who = ctx.with_forced(
                    who, [ctx.public(b) for b in ("tianma", "longfeng", "xueshan")], k
                )
            extra = min(ctx.profile.count(extra_key, year), k)
            rows = np.concatenate([who, who[rng.permutation(k)[:extra]]])
            r = len(rows)
            frames.append(
                table_frame(
                    {
                        "record_id": make_ids(f"{ctx.spec.code}-{year}-RC", seq, r, 4),
                        "uscc": ent.uscc[rows],
                        "kind": kind,
                        "date": np.sort(random_days(rng, r, f"{year}-03-01", f"{year}-11-30")),
                        # a 科技副总 placement is usually one expert; a demand lists 1–9 posts
                        "headcount": (
                            np.where(rng.random(r) < 0.85, 1, 2)
                            if kind == "科技副总选聘"
                            else rng.integers(1, 10, size=r)
                        ),
                        "field": pick_strings(rng, fields, r),
                    }
                )
            )
            seq += r
    return (
        stack_frames(frames, "talent")
        .sort_values(["date", "record_id"], kind="stable")
        .reset_index(drop=True)
    )
