"""Ledger 技术合同登记 (tech_contracts): registered technology contracts, sellers and buyers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from innolib.synth.sampling import (
    CONTRACT_MONTHS,
    choose_by_key,
    concat_strings,
    month_days,
    pick_strings,
    scale_to_total,
    stack_frames,
    table_frame,
    weighted_sample,
)
from innolib.synth.words import BRAND_CHARS

if TYPE_CHECKING:  # pragma: no cover
    from innolib.synth.context import Context

from innolib.synth.words import BUYER_PLACES, BUYER_WORDS, FOREIGN_BUYERS


def buyer_names(
    rng: np.random.Generator, region: np.ndarray, district_names: np.ndarray
) -> np.ndarray:
    """Buyers by region: district firms inside the district, fictional firms elsewhere."""
    k = len(region)
    chars = np.array(list(BRAND_CHARS), dtype=object)
    brand = chars[rng.integers(0, len(chars), size=k)] + chars[rng.integers(0, len(chars), size=k)]
    word = pick_strings(rng, BUYER_WORDS, k)
    out = np.empty(k, dtype=object)
    for r, places in BUYER_PLACES.items():
        sel = region == r
        out[sel] = concat_strings(
            pick_strings(rng, places, int(sel.sum())), brand[sel], word[sel], "有限公司"
        )
    sel = region == "区内"
    out[sel] = district_names[rng.integers(0, len(district_names), size=int(sel.sum()))]
    sel = region == "境外"
    out[sel] = pick_strings(rng, FOREIGN_BUYERS, int(sel.sum()))
    return out


def tech_contracts(ctx: Context) -> pd.DataFrame:
    rng, ent = ctx.rng, ctx.ent
    sellers = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
    # a persistent Zipf-like propensity to register contracts
    pull = (
        (0.2 + ent.tech[sellers])
        * ent.size[sellers] ** 0.7
        * np.exp(rng.normal(0, 0.8, size=len(sellers)))
    )
    chalco = ctx.public("chalco_ri")
    # 技术领域 as the registration statistics classify them, by the seller's sector
    fields_by_sector = {
        "铝及新材料": ("新材料及其应用", "新材料及其应用", "环境保护与资源综合利用"),
        "装备制造": ("先进制造", "先进制造", "新能源与高效节能"),
        "通用航空": ("航空航天", "现代交通"),
        "电子信息": ("电子信息",),
        "生物医药": ("生物、医药和医疗器械",),
        "科技服务": (
            "先进制造",
            "新材料及其应用",
            "环境保护与资源综合利用",
            "城市建设与社会发展",
        ),
    }
    types = np.array(["技术服务", "技术开发", "技术咨询", "技术转让", "技术许可"], dtype=object)
    regions = np.array(["区内", "市内", "省内", "省外", "境外"], dtype=object)
    frames = []
    for year in ctx.years:
        k = ctx.profile.count("contracts.count", year)
        alive = np.flatnonzero(ent.established_before(f"{year}-01-01")[sellers])
        active = sellers[weighted_sample(rng, alive, pull[alive], max(1, int(len(alive) * 0.35)))]
        active_w = pull[np.searchsorted(sellers, active)]
        who = active[rng.choice(len(active), size=k, p=active_w / active_w.sum())]
        if chalco is not None and k > 5:
            who[: max(2, k // 25)] = chalco  # the institute registers contracts every year
        kind = types[rng.choice(5, size=k, p=[0.55, 0.30, 0.07, 0.05, 0.03])]
        amount = np.exp(rng.normal(np.log(40), 1.25, size=k)) * np.where(
            kind == "技术开发", 1.8, 1.0
        )
        amount = scale_to_total(
            amount, np.ones(k, dtype=bool), ctx.profile.value("contracts.amount", year)
        )
        by_seller = pd.Series(amount).groupby(who).sum().to_numpy()
        if by_seller.size >= 3 and np.sort(by_seller)[-2:].sum() > 0.6 * by_seller.sum():
            amount = np.sqrt(amount)
            amount = scale_to_total(
                amount, np.ones(k, dtype=bool), ctx.profile.value("contracts.amount", year)
            )
        amount = np.maximum(np.round(amount, 2), 0.5)
        share = np.select(
            [kind == "技术开发", kind == "技术服务"],
            [rng.uniform(0.6, 1.0, size=k), rng.uniform(0.75, 1.0, size=k)],
            1.0,
        )
        region = regions[rng.choice(5, size=k, p=[0.12, 0.28, 0.30, 0.28, 0.02])]
        months = rng.choice(np.arange(1, 13), size=k, p=CONTRACT_MONTHS)
        frames.append(
            table_frame(
                {
                    "registered": month_days(rng, year, months),
                    "seller_uscc": ent.uscc[who],
                    "buyer": buyer_names(rng, region, ent.name),
                    "buyer_region": region,
                    "type": kind,
                    "amount": amount,
                    "tech_amount": np.round(amount * share, 2),
                    "field": choose_by_key(rng, ent.sector[who], fields_by_sector, ("先进制造",)),
                }
            )
        )
    out = stack_frames(frames, "tech_contracts").sort_values(
        ["registered", "seller_uscc"], kind="stable"
    )
    out = out.reset_index(drop=True)
    year_of = pd.Series(out["registered"].dt.year.astype(str).to_numpy(), dtype="object")
    seqno = out.groupby(year_of.to_numpy()).cumcount().add(1).astype(str).str.zfill(6)
    # 登记号: year + the district's division code + a running number
    out["contract_id"] = (year_of + ctx.spec.code + seqno.to_numpy()).to_numpy(dtype=object)
    return out
