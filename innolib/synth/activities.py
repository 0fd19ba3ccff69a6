"""Ledgers 科技活动 and 活动参与企业 (activities, activity_participants): meetings, visits,
trainings and the enterprises that took part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    MONTH_WEIGHTS,
    concat_strings,
    make_ids,
    month_days,
    pick_strings,
    stack_frames,
    table_frame,
    weighted_sample,
)

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


_UNIVERSITIES = (
    "哈尔滨工业大学郑州研究院",
    "北京理工大学郑州研究院",
    "郑州大学",
    "河南工业大学",
    "郑州轻工业大学",
    "中原工学院",
    "河南科技大学",
)
BANKS = (  # the banks of bank-enterprise meetings and of loans (finance)
    "中国银行",
    "中国建设银行",
    "中国工商银行",
    "中国农业银行",
    "中原银行",
    "郑州银行",
    "邮储银行",
    "交通银行",
)
_TRAININGS = (
    "技术合同登记员专项培训",
    "高新技术企业认定申报培训",
    "研发费用加计扣除政策培训",
    "研发投入统计填报培训",
    "科技型企业评价培训",
)
_PROMOTIONS = ("科技惠企政策宣讲会", "科技创新政策进企业宣讲", "研发费用加计扣除政策宣讲")
#: the kinds of activity, in the order they are drawn each year
_KINDS = ("专家考察", "技术需求对接会", "银企对接", "政银企座谈会", "培训", "上门服务", "政策宣讲")


def activities(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each year, each kind: the activities (dated by the month weights) and who attended."""
    rng, ent = ctx.rng, ctx.ent
    acts, parts = [], []
    private_all = np.flatnonzero((ent.ownership == "民营") & np.isin(ent.group, ["ind", "tech"]))
    seq = 0
    for year in ctx.years:
        alive = ent.established_before(f"{year}-01-01")
        private = private_all[alive[private_all]]
        everyone = np.flatnonzero(alive)
        for kind in _KINDS:
            k = ctx.profile.count(f"act.{kind}", year)
            if k == 0:
                continue
            ids = make_ids(f"{ctx.spec.code}-{year}-HD", seq, k, 4)
            seq += k
            months = rng.choice(np.arange(1, 13), size=k, p=MONTH_WEIGHTS)
            dates = np.sort(month_days(rng, year, months))
            outcomes = np.zeros(k, dtype=np.int64)
            if kind == "技术需求对接会":
                att_act, att_firm, partners, titles = _matchmaking(
                    ctx, year, k, (private, everyone), outcomes
                )
            elif kind == "专家考察":
                att_act, att_firm, partners, titles = _expert_visits(ctx, year, k, everyone)
            else:
                att_act, att_firm, partners, titles = _meetings(ctx, year, kind, k, everyone)
            acts.append(
                table_frame(
                    {
                        "activity_id": ids,
                        "date": dates,
                        "type": kind,
                        "title": titles,
                        "partners": partners,
                        "outcomes": outcomes,
                    }
                )
            )
            pairs = pd.DataFrame(
                {"activity_id": ids[att_act], "uscc": ent.uscc[att_firm]}
            ).drop_duplicates()
            parts.append(pairs)
    activities = stack_frames(acts, "activities").sort_values(
        ["date", "activity_id"], kind="stable"
    )
    participants = stack_frames(parts, "activity_participants").sort_values(
        ["activity_id", "uscc"], kind="stable"
    )
    return activities.reset_index(drop=True), participants.reset_index(drop=True)


def _matchmaking(ctx: Context, year: int, k: int, firms_alive, outcomes: np.ndarray):
    """技术需求对接会 at universities: private firms attend (some twice), a state-owned firm
    sometimes joins; demands landed raise ``outcomes`` (in place). Returns the attendance
    (activity index, firm row), partners and titles."""
    rng, ent = ctx.rng, ctx.ent
    private, everyone = firms_alive
    m = ctx.profile.count("act.matchmaking_private", year)
    firms = weighted_sample(rng, private, 0.3 + ent.tech[private], m)
    # each private firm attends one meeting, some a second one (distinct count stays m)
    home = rng.integers(0, k, size=m)
    home[: min(k, m)] = np.arange(min(k, m))
    extra = np.flatnonzero(rng.random(m) < 0.2) if k > 1 else np.array([], dtype=np.int64)
    away = (home[extra] + 1 + rng.integers(0, k - 1, size=len(extra))) % k if k > 1 else home[extra]
    att_act = np.concatenate([home, away])
    att_firm = np.concatenate([firms, firms[extra]])
    # a state-owned firm sometimes joins too; it does not count among the private ones
    others = everyone[ent.ownership[everyone] == "国有"]
    if len(others):
        g = rng.choice(others, size=max(1, k // 2), replace=len(others) < max(1, k // 2))
        att_act = np.concatenate([att_act, rng.integers(0, k, size=len(g))])
        att_firm = np.concatenate([att_firm, g])
    landed = ctx.profile.count("act.demands_landed", year)
    np.add.at(outcomes, rng.integers(0, k, size=landed), 1)
    partners = pick_strings(rng, _UNIVERSITIES, k)
    if year == 2025 and ctx.spec.id == "shangjie":  # the two institutes the bulletin names
        partners[: min(k, 2)] = list(_UNIVERSITIES[:2])[: min(k, 2)]
    return att_act, att_firm, partners, concat_strings("赴", partners, "技术需求对接会")


def _expert_visits(ctx: Context, year: int, k: int, everyone: np.ndarray):
    """Academicians' and experts' visits, one enterprise each."""
    rng, ent = ctx.rng, ctx.ent
    att_act = np.arange(k)
    att_firm = weighted_sample(rng, everyone, (ent.size * (0.3 + ent.tech))[everyone], k)
    partners = pick_strings(rng, ("中国工程院", "中国科学院", "河南省科学院", "郑州大学"), k)
    if year == 2025 and ctx.spec.id == "shangjie":  # the visit the bulletin reports
        att_firm[0] = ctx.public("quanshui")
        partners[0] = "中国工程院;俄罗斯自然科学院"
    return (
        att_act,
        att_firm,
        partners,
        concat_strings("院士专家团队赴", ent.name[att_firm], "实地考察"),
    )


def _meetings(ctx: Context, year: int, kind: str, k: int, everyone: np.ndarray):
    """Bank meetings, trainings, one-to-one visits and policy talks: 3–12 firms each (one for
    a visit); bank meetings have two banks as partners."""
    rng, ent = ctx.rng, ctx.ent
    partners = np.full(k, None, dtype=object)
    sizes = rng.integers(3, 13, size=k) if kind != "上门服务" else np.ones(k, dtype=np.int64)
    att_act = np.repeat(np.arange(k), sizes)
    att_firm = (
        np.concatenate([weighted_sample(rng, everyone, 0.2 + ent.tech[everyone], s) for s in sizes])
        if k <= 200
        else rng.choice(everyone, int(sizes.sum()))
    )
    if kind == "上门服务" and year == 2025 and ctx.spec.id == "shangjie":
        att_firm[0] = ctx.public("chalco_ri")
    if kind in ("银企对接", "政银企座谈会"):
        first_bank = rng.integers(0, len(BANKS), size=k)
        second_bank = (first_bank + 1 + rng.integers(0, len(BANKS) - 1, size=k)) % len(BANKS)
        names = np.asarray(BANKS, dtype=object)
        partners = concat_strings(names[first_bank], ";", names[second_bank])
        title = "科技型企业银企对接会" if kind == "银企对接" else "政银企座谈会暨科技金融政策解读"
        titles = np.full(k, title, dtype=object)
    elif kind == "培训":
        titles = pick_strings(rng, _TRAININGS, k)
    elif kind == "上门服务":
        titles = concat_strings(ent.name[att_firm], "“一对一”上门服务")
    else:
        titles = pick_strings(rng, _PROMOTIONS, k)
    return att_act, att_firm, partners, titles
