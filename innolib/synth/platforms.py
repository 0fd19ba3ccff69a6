"""Ledger 研发平台 (platforms): approvals since the late 1990s, new approvals and revocations each year."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    choose_by_key,
    concat_strings,
    make_ids,
    pick_strings,
    random_days,
    stack_frames,
    table_frame,
    weighted_sample,
)

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context


def platform_fields(rng: np.random.Generator, sectors: np.ndarray) -> np.ndarray:
    fields = {
        "铝及新材料": ("铝基新材料", "高纯氧化铝", "超硬材料", "铝合金精深加工", "耐火材料"),
        "装备制造": ("智能装备", "矿山装备", "液压传动", "精密制造"),
        "通用航空": ("通用航空装备", "航空复合材料"),
        "电子信息": ("工业软件", "智能感知"),
        "生物医药": ("生物制剂",),
        "科技服务": ("检验检测", "工程设计", "节能环保"),
    }
    return choose_by_key(rng, sectors, fields, ("先进制造",))


def platforms(ctx: Context) -> pd.DataFrame:
    """Platforms approved since the late 1990s; new approvals and revocations every year.

    The history runs from the profile's first year (2021) or the window's, whichever is
    earlier, to the window's end, so that a shorter or longer window keeps the same
    stocks. The stock before it is approved over earlier years (by hosts that existed
    by then); each year revokes some platforms at least two years old (evaluation
    failed) and approves new ones.
    """
    rng, ent = ctx.rng, ctx.ent
    hosts = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
    host_w = ent.size[hosts] * (0.3 + ent.tech[hosts])
    anchor = ctx.profile.years("platforms.national_new")[
        0
    ]  # the stock0 series is the end of anchor-1
    first = min(ctx.years[0], anchor)
    parts = []
    for level, key in (("国家级", "national"), ("省级", "provincial"), ("市级", "municipal")):
        who_all, names_all, kinds_all = [], [], []
        approved_all: list[np.ndarray] = []
        revoked = np.array([], dtype="datetime64[D]")
        history = range(first, ctx.years[-1] + 1)
        # the stock before the history, so that the stock at the end of anchor-1 is the profile's
        net = sum(
            ctx.profile.count(f"platforms.{key}_new", y)
            - ctx.profile.count(f"platforms.{key}_revoked", y)
            for y in range(first, anchor)
        )
        stock0 = max(ctx.profile.count(f"platforms.{key}_stock0", anchor - 1) - net, 0)
        steps = [(first - 1, stock0)] + [
            (y, ctx.profile.count(f"platforms.{key}_new", y)) for y in history
        ]
        for year, k in steps:
            backlog = year < first
            approved = (
                np.concatenate(approved_all)
                if approved_all
                else np.array([], dtype="datetime64[D]")
            )
            if not backlog:
                n_rev = ctx.profile.count(f"platforms.{key}_revoked", year)
                old = np.flatnonzero(
                    np.isnat(revoked) & (approved < np.datetime64(f"{year - 2}-01-01"))
                )
                gone = rng.choice(old, size=min(n_rev, len(old)), replace=False)
                revoked[gone] = random_days(rng, len(gone), f"{year}-03-01", f"{year}-11-30")
            if k == 0:
                continue
            who, names, kinds, when = _approvals(ctx, level, year, k, backlog, (hosts, host_w))
            who_all.append(who)
            names_all.append(names)
            kinds_all.append(kinds)
            approved_all.append(when.astype("datetime64[D]"))
            revoked = np.concatenate(
                [revoked, np.full(k, np.datetime64("NaT"), dtype="datetime64[D]")]
            )
        if not who_all:
            continue
        who = np.concatenate(who_all)
        parts.append(
            table_frame(
                {
                    "uscc": ent.uscc[who],
                    "name": np.concatenate(names_all),
                    "type": np.concatenate(kinds_all),
                    "level": level,
                    "approved": np.concatenate(approved_all),
                    "revoked": revoked,
                }
            )
        )
    out = stack_frames(parts, "platforms")
    out = out.sort_values(["approved", "level", "name"], kind="stable").reset_index(drop=True)
    out["platform_id"] = make_ids(f"{ctx.spec.code}-PT", 0, len(out), 5)
    return out


_TYPES = {
    "国家级": ("工程技术研究中心",),
    "省级": ("工程技术研究中心", "企业技术中心", "重点实验室", "新型研发机构"),
    "市级": ("工程技术研究中心", "企业技术中心", "重点实验室", "新型研发机构"),
}
_PREFIX = {"国家级": "国家", "省级": "河南省", "市级": "郑州市"}


def _approvals(ctx: Context, level: str, year: int, k: int, backlog: bool, hosting):
    """``k`` platforms of ``level`` approved in ``year`` (or, for the ``backlog``, over the
    years before the history): hosts, names, types and approval dates."""
    rng, ent = ctx.rng, ctx.ent
    hosts, host_w = hosting
    types, prefix = _TYPES, _PREFIX
    cutoff = f"{year - 3}-01-01" if backlog else f"{year - 1}-01-01"
    ok = ent.established_before(cutoff)[hosts]
    who = weighted_sample(rng, hosts[ok], host_w[ok], k)
    if len(who) < k:  # tiny districts: a host may carry two platforms
        who = np.concatenate([who, rng.choice(hosts[ok], size=k - len(who))])
    kinds = pick_strings(rng, types[level], k)
    if backlog:
        # earlier approvals, more of them recent, never before the host was two years old
        start = np.maximum(
            np.datetime64("1998-01-01" if level == "国家级" else "2003-01-01"),
            ent.established[who] + np.timedelta64(730, "D"),
        )
        span = (np.datetime64(f"{year}-12-20") - start).astype(int)
        when = start + (np.sqrt(rng.random(k)) * span).astype(int).astype("timedelta64[D]")
    else:
        when = random_days(rng, k, f"{year}-06-01", f"{year}-12-20")
    names = concat_strings(prefix[level], platform_fields(rng, ent.sector[who]), kinds)
    centre = kinds == "企业技术中心"
    names[centre] = concat_strings(f"{prefix[level]}企业技术中心（", ent.name[who[centre]], "）")
    if ctx.spec.id == "shangjie":  # the bulletin's public facts
        chalco = ctx.public("chalco_ri")
        if level == "国家级" and backlog:
            who[0], names[0], kinds[0] = (
                chalco,
                "国家铝冶炼工程技术研究中心",
                "工程技术研究中心",
            )
            when[0] = np.datetime64("2000-12-18")
        if level == "国家级" and year == 2025:
            who[0], names[0], kinds[0] = (
                chalco,
                "国家企业技术中心（中铝郑州研究院分中心）",
                "国家企业技术分中心",
            )
        if level == "省级" and year == 2025:
            for j, body in enumerate(("zmj_green", "ward")[:k]):
                who[j], kinds[j] = ctx.public(body), "企业技术中心"
                names[j] = f"河南省企业技术中心（{ent.name[who[j]]}）"
    return who, names, kinds, when
