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


# Long on purpose: one pass over the years, drawing from the seeded stream in a fixed
# order (programme projects, joint projects, awards, per year); its parts share a dozen per-year arrays, and the order of the draws is
# what keeps data/shangjie byte-identical, so it reads best top to bottom.
def projects(ctx: Context, rd: pd.DataFrame) -> pd.DataFrame:
    rng, ent = ctx.rng, ctx.ent
    frames = []
    area = ctx.spec.name
    rd_firms = np.flatnonzero(pd.Series(ent.uscc).isin(rd.loc[rd["has_rd"], "uscc"]).to_numpy())
    techlike = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
    bearers = np.union1d(rd_firms, techlike)
    bearer_w = ent.size[bearers] ** 0.5 * (0.3 + ent.tech[bearers])
    outside = (
        "郑州大学",
        "河南工业大学",
        "郑州轻工业大学",
        "河南科技大学",
        "哈尔滨工业大学郑州研究院",
        "北京理工大学郑州研究院",
        "中国科学院过程工程研究所",
    )
    seq = 0
    last = ctx.years[-1]
    public_titles = {
        "chalco_ri": "氧化铝基纳米纤维/气凝胶复合材料的制备与应用研究",
        "tianma": "第三代半导体封装用高纯氧化铝的开发及产业化",
    }

    def ids(year: int, kind: str, k: int) -> np.ndarray:
        nonlocal seq
        out = make_ids(f"{ctx.spec.code}-{year}-{kind}", seq, k, 4)
        seq += k
        return out

    for year in ctx.years:
        alive = ent.established_before(f"{year}-01-01")[bearers]
        year_bearers, year_w = bearers[alive], bearer_w[alive]
        # 省级 projects: 申报 (Mar-Apr) -> 推荐 (Apr-May) -> 立项 or 未通过 (Sep-Nov)
        for level, programme, prefix, applied_key, rec_key, ok_key, funding in (
            (
                "国家级",
                "国家重点研发计划",
                "GJ",
                "projects.national_applied",
                None,
                None,
                (300, 1500),
            ),
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
            (
                "区级",
                f"{area}科技计划项目",
                "QJ",
                "projects.district_approved",
                None,
                None,
                (5, 30),
            ),
        ):
            k = ctx.profile.count(applied_key, year)
            if k == 0:
                continue
            who = weighted_sample(rng, year_bearers, year_w, k)
            if level == "省级" and year == 2025 and ctx.spec.id == "shangjie":
                who = ctx.with_forced(who, [ctx.public("chalco_ri"), ctx.public("tianma")], k)
            title = make_titles(rng, ent.sector[who])
            if level == "省级" and year == 2025 and ctx.spec.id == "shangjie":
                for j, body in enumerate(("chalco_ri", "tianma")[:k]):
                    title[j] = public_titles[body]
            pid = ids(year, prefix, k)
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
                frames.append(
                    table_frame(
                        {
                            **base,
                            "stage": "立项",
                            "date": random_days(rng, k, f"{year}-06-01", f"{year}-07-15"),
                            "funding": grant_amounts(rng, k, *funding),
                        }
                    )
                )
                continue
            recommended = (
                np.arange(k)
                if rec_key is None
                else np.arange(min(ctx.profile.count(rec_key, year), k))
            )
            rec_date = apply + rng.integers(20, 40, size=k).astype("timedelta64[D]")
            if rec_key is not None:
                frames.append(
                    table_frame(
                        {
                            **{
                                c: (v[recommended] if isinstance(v, np.ndarray) else v)
                                for c, v in base.items()
                            },
                            "stage": "推荐",
                            "date": rec_date[recommended],
                        }
                    )
                )
            n_ok = 0 if ok_key is None else min(ctx.profile.count(ok_key, year), len(recommended))
            if level == "国家级" and year < last:
                n_ok = int(rng.random() < 0.4)
            result = np.where(np.arange(len(recommended)) < n_ok, "立项", "未通过")
            decided = random_days(rng, len(recommended), f"{year}-09-01", f"{year}-11-28")
            frames.append(
                table_frame(
                    {
                        **{
                            c: (v[recommended] if isinstance(v, np.ndarray) else v)
                            for c, v in base.items()
                        },
                        "stage": result,
                        "date": decided,
                        "funding": np.where(
                            result == "立项", grant_amounts(rng, len(recommended), *funding), np.nan
                        ),
                    }
                )
            )
        # joint projects led by universities outside the district: no uscc, name required
        k = ctx.profile.count("projects.outside", year)
        if k:
            pid = ids(year, "HZ", k)
            base = {
                "project_id": pid,
                "uscc": None,
                "name": pick_strings(rng, outside, k),
                "title": make_titles(rng, pick_strings(rng, tuple(TITLE_OBJECTS), k)),
                "programme": "郑州市科技协同创新专项",
                "kind": "项目",
                "level": "市级",
                "year": year,
            }
            frames.append(
                table_frame(
                    {
                        **base,
                        "stage": "申报",
                        "date": random_days(rng, k, f"{year}-03-01", f"{year}-04-20"),
                    }
                )
            )
            frames.append(
                table_frame(
                    {
                        **base,
                        "stage": "立项",
                        "date": random_days(rng, k, f"{year}-09-01", f"{year}-11-28"),
                        "funding": grant_amounts(rng, k, 50, 200),
                    }
                )
            )
        # awards: provincial nominations in May, results the following spring; municipal in-year
        for programme, key in (
            ("河南省技术发明奖", "awards.invention"),
            ("河南省科学技术进步奖（技术开发类）", "awards.progress"),
        ):
            k = ctx.profile.count(key, year)
            if not k:
                continue
            who = weighted_sample(rng, year_bearers, year_w**2, k)
            pid = ids(year, "JL", k)
            base = {
                "project_id": pid,
                "uscc": ent.uscc[who],
                "name": ent.name[who],
                "title": make_titles(rng, ent.sector[who]),
                "programme": programme,
                "kind": "奖励",
                "level": "省级",
                "year": year,
            }
            frames.append(
                table_frame(
                    {
                        **base,
                        "stage": "推荐",
                        "date": random_days(rng, k, f"{year}-04-15", f"{year}-05-31"),
                    }
                )
            )
            if year < last:
                frames.append(
                    table_frame(
                        {
                            **base,
                            "stage": np.where(rng.random(k) < 0.5, "获奖", "未通过"),
                            "date": random_days(rng, k, f"{year + 1}-04-10", f"{year + 1}-05-20"),
                        }
                    )
                )
        k = ctx.profile.count("awards.municipal", year)
        if k:
            who = weighted_sample(rng, year_bearers, year_w, k)
            pid = ids(year, "JL", k)
            base = {
                "project_id": pid,
                "uscc": ent.uscc[who],
                "name": ent.name[who],
                "title": make_titles(rng, ent.sector[who]),
                "programme": "郑州市科学技术进步奖",
                "kind": "奖励",
                "level": "市级",
                "year": year,
            }
            frames.append(
                table_frame(
                    {
                        **base,
                        "stage": "推荐",
                        "date": random_days(rng, k, f"{year}-06-01", f"{year}-06-30"),
                    }
                )
            )
            frames.append(
                table_frame(
                    {
                        **base,
                        "stage": np.where(rng.random(k) < 0.7, "获奖", "未通过"),
                        "date": random_days(rng, k, f"{year}-11-20", f"{year}-12-20"),
                    }
                )
            )
    out = stack_frames(frames, "projects")
    return out.sort_values(["date", "project_id", "stage"], kind="stable").reset_index(drop=True)
