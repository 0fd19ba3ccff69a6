"""Ledger 科技项目与奖励 (projects): national, provincial, municipal and district projects, joint
projects led from outside the district, and science and technology awards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    grant_amounts,
    make_ids,
    pick_strings,
    random_days,
    stack_frames,
    table_frame,
    weighted_sample,
)
from innolib.synth.words import make_titles

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context

from innolib.synth.words import TITLE_OBJECTS

#: universities and institutes outside the district that lead joint projects
_OUTSIDE = (
    "郑州大学",
    "河南工业大学",
    "郑州轻工业大学",
    "河南科技大学",
    "哈尔滨工业大学郑州研究院",
    "北京理工大学郑州研究院",
    "中国科学院过程工程研究所",
)
#: the titles of the two provincial projects the 2025 bulletin names (shangjie only)
_PUBLIC_TITLES = {
    "chalco_ri": "氧化铝基纳米纤维/气凝胶复合材料的制备与应用研究",
    "tianma": "第三代半导体封装用高纯氧化铝的开发及产业化",
}
#: (level, programme, id prefix, applied key, recommended key, approved key, funding range 万元);
#: ``{area}`` is the district's name
_PROGRAMMES = (
    ("国家级", "国家重点研发计划", "GJ", "projects.national_applied", None, None, (300, 1500)),
    (
        "省级",
        "河南省科技发展计划",
        "SJ",
        "projects.provincial_applied",
        "projects.provincial_recommended",
        "projects.provincial_approved",
        (50, 300),
    ),
    (
        "市级",
        "郑州市重大科技创新专项",
        "CS",
        "projects.municipal_applied",
        None,
        "projects.municipal_approved",
        (20, 120),
    ),
    ("区级", "{area}科技计划项目", "QJ", "projects.district_approved", None, None, (5, 30)),
)
_PROVINCIAL_AWARDS = (
    ("河南省技术发明奖", "awards.invention"),
    ("河南省科学技术进步奖（技术开发类）", "awards.progress"),
)


class _Ids:
    """Project ids ``<code>-<year>-<kind><n>``, numbered on across years and kinds."""

    def __init__(self, code: str) -> None:
        self.code, self.seq = code, 0

    def take(self, year: int, kind: str, k: int) -> np.ndarray:
        out = make_ids(f"{self.code}-{year}-{kind}", self.seq, k, 4)
        self.seq += k
        return out


def projects(ctx: Context, rd: pd.DataFrame) -> pd.DataFrame:
    """Every year: programme projects by level, joint projects led from outside, provincial
    and municipal awards, in that order (the order of the draws from the seeded stream)."""
    ent = ctx.ent
    rd_firms = np.flatnonzero(pd.Series(ent.uscc).isin(rd.loc[rd["has_rd"], "uscc"]).to_numpy())
    techlike = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
    bearers = np.union1d(rd_firms, techlike)
    bearer_w = ent.size[bearers] ** 0.5 * (0.3 + ent.tech[bearers])
    ids = _Ids(ctx.spec.code)
    frames: list[pd.DataFrame] = []
    for year in ctx.years:
        alive = ent.established_before(f"{year}-01-01")[bearers]
        pool = (bearers[alive], bearer_w[alive])
        for programme in _PROGRAMMES:
            frames += _programme_round(ctx, year, programme, pool, ids)
        frames += _outside_projects(ctx, year, ids)
        frames += _provincial_awards(ctx, year, pool, ids)
        frames += _municipal_awards(ctx, year, pool, ids)
    out = stack_frames(frames, "projects")
    return out.sort_values(["date", "project_id", "stage"], kind="stable").reset_index(drop=True)


def _programme_round(ctx: Context, year: int, programme_row, pool, ids: _Ids) -> list[pd.DataFrame]:
    """One programme's round: 申报 (Mar–Apr) → 推荐 (Apr–May) → 立项 or 未通过 (Sep–Nov);
    the district's own programme approves in the same round (Jun–Jul)."""
    rng, ent = ctx.rng, ctx.ent
    level, programme, prefix, applied_key, rec_key, ok_key, funding = programme_row
    programme = programme.format(area=ctx.spec.name)
    year_bearers, year_w = pool
    k = ctx.profile.count(applied_key, year)
    if k == 0:
        return []
    frames = []
    public = level == "省级" and year == 2025 and ctx.spec.id == "shangjie"
    who = weighted_sample(rng, year_bearers, year_w, k)
    if public:
        who = ctx.with_forced(who, [ctx.public("chalco_ri"), ctx.public("tianma")], k)
    title = make_titles(rng, ent.sector[who])
    if public:
        for j, body in enumerate(("chalco_ri", "tianma")[:k]):
            title[j] = _PUBLIC_TITLES[body]
    pid = ids.take(year, prefix, k)
    apply = random_days(rng, k, f"{year}-03-01", f"{year}-04-20")
    base = {
        "project_id": pid,
        "uscc": ent.uscc[who],
        "name": ent.name[who],
        "title": title,
        "programme": programme,
        "kind": "项目",
        "level": level,
        "year": year,
    }
    frames.append(table_frame({**base, "stage": "申报", "date": apply}))
    if level == "区级":  # the district's own programme: approved in the same round
        approved = random_days(rng, k, f"{year}-06-01", f"{year}-07-15")
        funds = grant_amounts(rng, k, *funding)
        frames.append(table_frame({**base, "stage": "立项", "date": approved, "funding": funds}))
        return frames
    recommended = (
        np.arange(k) if rec_key is None else np.arange(min(ctx.profile.count(rec_key, year), k))
    )
    rec_date = apply + rng.integers(20, 40, size=k).astype("timedelta64[D]")
    chosen = {c: (v[recommended] if isinstance(v, np.ndarray) else v) for c, v in base.items()}
    if rec_key is not None:
        frames.append(table_frame({**chosen, "stage": "推荐", "date": rec_date[recommended]}))
    n_ok = 0 if ok_key is None else min(ctx.profile.count(ok_key, year), len(recommended))
    if level == "国家级" and year < ctx.years[-1]:
        n_ok = int(rng.random() < 0.4)
    result = np.where(np.arange(len(recommended)) < n_ok, "立项", "未通过")
    decided = random_days(rng, len(recommended), f"{year}-09-01", f"{year}-11-28")
    funds = np.where(result == "立项", grant_amounts(rng, len(recommended), *funding), np.nan)
    frames.append(table_frame({**chosen, "stage": result, "date": decided, "funding": funds}))
    return frames


def _outside_projects(ctx: Context, year: int, ids: _Ids) -> list[pd.DataFrame]:
    """Joint projects led by universities outside the district: no uscc, the name given."""
    rng = ctx.rng
    k = ctx.profile.count("projects.outside", year)
    if not k:
        return []
    pid = ids.take(year, "HZ", k)
    base = {
        "project_id": pid,
        "uscc": None,
        "name": pick_strings(rng, _OUTSIDE, k),
        "title": make_titles(rng, pick_strings(rng, tuple(TITLE_OBJECTS), k)),
        "programme": "郑州市科技协同创新专项",
        "kind": "项目",
        "level": "市级",
        "year": year,
    }
    applied = random_days(rng, k, f"{year}-03-01", f"{year}-04-20")
    first = table_frame({**base, "stage": "申报", "date": applied})
    approved = random_days(rng, k, f"{year}-09-01", f"{year}-11-28")
    funds = grant_amounts(rng, k, 50, 200)
    return [first, table_frame({**base, "stage": "立项", "date": approved, "funding": funds})]


def _award_base(ctx: Context, year: int, who: np.ndarray, pid, programme: str, level: str) -> dict:
    ent = ctx.ent
    return {
        "project_id": pid,
        "uscc": ent.uscc[who],
        "name": ent.name[who],
        "title": make_titles(ctx.rng, ent.sector[who]),
        "programme": programme,
        "kind": "奖励",
        "level": level,
        "year": year,
    }


def _provincial_awards(ctx: Context, year: int, pool, ids: _Ids) -> list[pd.DataFrame]:
    """Provincial awards: nominated in May, decided the following spring (none yet for the last year)."""
    rng = ctx.rng
    year_bearers, year_w = pool
    frames = []
    for programme, key in _PROVINCIAL_AWARDS:
        k = ctx.profile.count(key, year)
        if not k:
            continue
        who = weighted_sample(rng, year_bearers, year_w**2, k)
        pid = ids.take(year, "JL", k)
        base = _award_base(ctx, year, who, pid, programme, "省级")
        nominated = random_days(rng, k, f"{year}-04-15", f"{year}-05-31")
        frames.append(table_frame({**base, "stage": "推荐", "date": nominated}))
        if year < ctx.years[-1]:
            stage = np.where(rng.random(k) < 0.5, "获奖", "未通过")
            decided = random_days(rng, k, f"{year + 1}-04-10", f"{year + 1}-05-20")
            frames.append(table_frame({**base, "stage": stage, "date": decided}))
    return frames


def _municipal_awards(ctx: Context, year: int, pool, ids: _Ids) -> list[pd.DataFrame]:
    """The municipal award: nominated in June, decided in November–December of the same year."""
    rng = ctx.rng
    year_bearers, year_w = pool
    k = ctx.profile.count("awards.municipal", year)
    if not k:
        return []
    who = weighted_sample(rng, year_bearers, year_w, k)
    pid = ids.take(year, "JL", k)
    base = _award_base(ctx, year, who, pid, "郑州市科学技术进步奖", "市级")
    nominated = random_days(rng, k, f"{year}-06-01", f"{year}-06-30")
    first = table_frame({**base, "stage": "推荐", "date": nominated})
    stage = np.where(rng.random(k) < 0.7, "获奖", "未通过")
    decided = random_days(rng, k, f"{year}-11-20", f"{year}-12-20")
    return [first, table_frame({**base, "stage": stage, "date": decided})]
