"""Ledger 资质认定 (certifications): the four cultivation tiers, 科技型企业 → 高企 → 瞪羚 → 创新龙头.

高企, 瞪羚 and 创新龙头 hold three-year certificates (``_tier``); 科技型企业 registration never
expires. Who applies, who passes and who is revoked follow the profile's counts exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    BATCH_NAMES,
    month_days,
    random_days,
    stack_frames,
    table_frame,
    weighted_sample,
)

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


def certifications(ctx: Context) -> pd.DataFrame:
    """The four tiers' event rows: 推荐/申报 → 认定 or 未通过, and 撤销.

    高企 come first (who holds a certificate in which year), then 瞪羚 and 创新龙头 among
    the holders, then 科技型企业: registered by firms not yet 高企, mostly by those
    that will become 高企 within a few years, so that the pipeline runs upwards.
    """
    ent = ctx.ent
    n = len(ent)
    frames = []
    last = ctx.years[-1]
    techlike = np.isin(ent.group, ["ind", "tech"])

    # 高新技术企业: batches, recognition in Nov-Dec, three-year certificates, renewals, revocations
    hnte_first = min(ctx.profile.years("hnte.applied")[0], ctx.years[0] - 3)
    hnte_held, first_hnte, hnte_frames = _tier(
        ctx,
        "高新技术企业",
        "hnte",
        "申报",
        "国家级",
        hnte_first,
        last,
        eligible=lambda y: techlike & ent.established_before(f"{y - 1}-01-01"),
        weight=lambda y: (0.2 + ent.tech) * np.sqrt(ent.size),
        windows=lambda b: [("05-06", "06-20"), ("07-15", "08-25"), ("09-01", "09-25")][b],
        decisions=lambda b: [("11-05", "11-28"), ("12-03", "12-20"), ("12-16", "12-28")][b],
    )
    frames += hnte_frames
    nobody = np.zeros(n, dtype=bool)

    def holds_hnte(y: int) -> np.ndarray:
        return hnte_held.get(y, nobody)

    _, _, gazelle_frames = _tier(
        ctx,
        "瞪羚企业",
        "gazelle",
        "推荐",
        "省级",
        ctx.profile.years("gazelle.recommended")[0],
        last,
        eligible=holds_hnte,
        weight=lambda y: ent.size * (0.5 + ent.tech),
        windows=lambda b: ("06-10", "07-10"),
        decisions=lambda b: ("09-20", "10-20"),
    )
    frames += gazelle_frames
    _, _, leader_frames = _tier(
        ctx,
        "创新龙头企业",
        "leader",
        "推荐",
        "省级",
        ctx.profile.years("leader.recommended")[0],
        last,
        eligible=lambda y: holds_hnte(y) & (ent.group == "ind"),
        weight=lambda y: ent.size**2 * (0.5 + ent.tech),
        windows=lambda b: ("04-20", "05-20"),
        decisions=lambda b: ("08-10", "08-30"),
    )
    frames += leader_frames

    frames += _tech_sme(ctx, first_hnte, techlike)
    out = stack_frames(frames, "certifications")
    return out.sort_values(["date", "tier", "stage", "uscc"], kind="stable").reset_index(drop=True)


def _tech_sme(ctx: Context, first_hnte: np.ndarray, techlike: np.ndarray) -> list[pd.DataFrame]:
    """科技型企业: municipal registration (from 2017), never expires; three batches a year.

    Drawn among firms not yet 高企 (``first_hnte``: each firm's first 高企 year), weighted six
    to one towards those that become 高企 within four years, so the pipeline runs upwards.
    """
    rng, ent = ctx.rng, ctx.ent
    n = len(ent)
    last = ctx.years[-1]
    frames = []
    registered = np.zeros(n, dtype=bool)
    failed_in = np.full(n, -9999)
    for year in range(2017, last + 1):
        k = ctx.profile.count("tsme.recommended", year)
        ok = min(ctx.profile.count("tsme.recognised", year), k)
        pool = np.flatnonzero(
            ~registered
            & (failed_in < year - 1)
            & (first_hnte > year)
            & ent.established_before(f"{year - 1}-01-01")
            & (techlike | (rng.random(n) < 0.05))
        )
        soon = first_hnte[pool] <= year + 4  # on its way to 高企
        chosen = weighted_sample(rng, pool, (0.3 + ent.tech[pool]) * np.where(soon, 6.0, 1.0), k)
        n_batches = 3 if len(chosen) >= 6 else 1
        batch = rng.integers(0, n_batches, size=len(chosen))
        batch[: min(n_batches, len(chosen))] = np.arange(min(n_batches, len(chosen)))
        rec_month = np.array([3, 6, 9])[batch] + rng.integers(0, 2, size=len(chosen))
        rec_date = month_days(rng, year, rec_month)
        decision = np.array(
            [f"{year}-{m:02d}-{d:02d}" for m, d in zip((5, 8, 11), rng.integers(8, 28, size=3))],
            dtype="datetime64[D]",
        )[batch]
        passed = np.zeros(len(chosen), dtype=bool)
        passed[weighted_sample(rng, np.arange(len(chosen)), 0.5 + ent.tech[chosen], ok)] = True
        labels = np.array(
            [f"{year}年第{BATCH_NAMES[b]}批" for b in range(n_batches)], dtype=object
        )[batch]
        frames.append(
            table_frame(
                {
                    "uscc": ent.uscc[chosen],
                    "tier": "科技型企业",
                    "stage": "推荐",
                    "date": rec_date,
                    "batch": labels,
                    "level": "市级",
                }
            )
        )
        frames.append(
            table_frame(
                {
                    "uscc": ent.uscc[chosen],
                    "tier": "科技型企业",
                    "stage": np.where(passed, "认定", "未通过"),
                    "date": decision,
                    "batch": labels,
                    "level": "市级",
                }
            )
        )
        registered[chosen[passed]] = True
        failed_in[chosen[~passed]] = year
    return frames


def _tier(
    ctx: Context,
    tier: str,
    key: str,
    apply_stage: str,
    level: str,
    first: int,
    last: int,
    *,
    eligible,
    weight,
    windows,
    decisions,
) -> tuple[dict[int, np.ndarray], np.ndarray, list[pd.DataFrame]]:
    """One certified tier with three-year certificates.

    Each year: holders whose certificate expires this year (cohort y-3) reapply at the
    tier's renewal rate if still eligible; the rest of the applicants are new (eligible,
    not holding a valid certificate, not revoked in the last five years); ``recognised``
    of them pass, one decision date per batch; revocations hit the previous year's
    cohort. Returns, per year, who held a valid certificate during it; each firm's
    first recognition year (9999 for never); and the rows.
    """
    n = len(ctx.ent)
    state = {
        "cohort": np.full(n, -9999),  # year of the latest certificate
        "revoked_in": np.full(n, -9999),
    }
    first_year = np.full(n, 9999)
    held: dict[int, np.ndarray] = {}
    frames: list[pd.DataFrame] = []
    describe = (tier, key, apply_stage, level, eligible, weight, windows, decisions)
    for year in range(first, last + 1):
        # revocations first (dated in spring–autumn): they hit last year's cohort
        frames += _revocations(
            ctx, year, tier, level, ctx.profile.count(f"{key}.revoked", year), state
        )
        cohort = state["cohort"]
        held[year] = (cohort >= year - 3) & (cohort <= year - 1)  # valid this year
        rows, passed = _round(ctx, year, describe, state)
        frames += rows
        cohort[passed] = year
        first_year[passed] = np.minimum(first_year[passed], year)
    return held, first_year, frames


def _revocations(
    ctx: Context, year: int, tier: str, level: str, k: int, state
) -> list[pd.DataFrame]:
    """``k`` certificates of last year's cohort revoked (dated March–October)."""
    if not k:
        return []
    rng, ent = ctx.rng, ctx.ent
    pool = np.flatnonzero(state["cohort"] == year - 1)
    gone = weighted_sample(rng, pool, np.ones(len(pool)), k)
    frame = table_frame(
        {
            "uscc": ent.uscc[gone],
            "tier": tier,
            "stage": "撤销",
            "date": random_days(rng, len(gone), f"{year}-03-01", f"{year}-10-31"),
            "batch": None,
            "level": level,
        }
    )
    state["cohort"][gone] = -9999
    state["revoked_in"][gone] = year
    return [frame]


def _round(ctx: Context, year: int, describe, state) -> tuple[list[pd.DataFrame], np.ndarray]:
    """One year's applications and decisions; returns the rows and the firms that passed."""
    rng, ent = ctx.rng, ctx.ent
    tier, key, apply_stage, level, eligible, weight, windows, decisions = describe
    applied = ctx.profile.count(f"{key}.applied" if key == "hnte" else f"{key}.recommended", year)
    if applied == 0:
        return [], np.array([], dtype=np.int64)
    recognised = min(ctx.profile.count(f"{key}.recognised", year), applied)
    renew_rate = ctx.profile.rate(f"{key}.renew_rate", year)
    n_batches = max(1, ctx.profile.count(f"{key}.batches", year)) if key == "hnte" else 1
    cohort, revoked_in = state["cohort"], state["revoked_in"]
    can = eligible(year)
    expiring = cohort == year - 3
    due = np.flatnonzero(expiring & can)
    n_renew = min(int(np.floor(renew_rate * int(expiring.sum()) + 0.5)), applied, len(due))
    renew = weighted_sample(rng, due, weight(year)[due] + 1e-9, n_renew)
    new_pool = np.flatnonzero(can & (cohort < year - 3) & (revoked_in < year - 5) & ~expiring)
    new = weighted_sample(rng, new_pool, weight(year)[new_pool], applied - len(renew))
    chosen = np.concatenate([renew, new])
    is_renewal = np.arange(len(chosen)) < len(renew)
    batch = rng.integers(0, n_batches, size=len(chosen))
    batch[: min(n_batches, len(chosen))] = np.arange(min(n_batches, len(chosen)))
    apply_date = np.empty(len(chosen), dtype="datetime64[D]")
    decision = np.empty(len(chosen), dtype="datetime64[D]")
    for b in range(n_batches):
        sel = batch == b
        lo, hi = windows(b)
        apply_date[sel] = random_days(rng, int(sel.sum()), f"{year}-{lo}", f"{year}-{hi}")
        dlo, dhi = decisions(b)
        decision[sel] = random_days(rng, 1, f"{year}-{dlo}", f"{year}-{dhi}")[0]
    passed = np.zeros(len(chosen), dtype=bool)
    pass_weight = np.where(is_renewal, 3.0, 1.0) * (0.3 + ent.tech[chosen])
    passed[weighted_sample(rng, np.arange(len(chosen)), pass_weight, recognised)] = True
    if key == "hnte":
        names = [f"{year}年第{BATCH_NAMES[b]}批" for b in range(n_batches)]
        labels = np.array(names, dtype=object)[batch]
    else:
        labels = np.full(len(chosen), f"{year}年", dtype=object)
    # certificates run three years to the day before the anniversary of the decision
    valid_until = (
        pd.DatetimeIndex(decision) + pd.DateOffset(years=3) - pd.Timedelta(days=1)
    ).to_numpy(dtype="datetime64[D]")
    common = {"uscc": ent.uscc[chosen], "tier": tier, "batch": labels, "level": level}
    applications = table_frame({**common, "stage": apply_stage, "date": apply_date})
    outcome = np.where(passed, "认定", "未通过")
    valid = np.where(passed, valid_until, np.datetime64("NaT"))
    results = table_frame({**common, "stage": outcome, "date": decision, "valid_until": valid})
    return [applications, results], chosen[passed]
