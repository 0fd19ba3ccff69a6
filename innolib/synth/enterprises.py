"""The enterprise register: who the enterprises are (names, towns, sectors, sizes, USCCs).

The public bodies the bulletin names for its public facts (``PUBLIC_BODIES``) keep their
names; every other enterprise is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from innolib.normalize import USCC_CHARS, complete_usccs
from innolib.synth.profile import GROUPS, DistrictSpec, Profile
from innolib.synth.sampling import choose_by_key, concat_strings, pick_strings
from innolib.synth.words import BRAND_BLOCKLIST, BRAND_CHARS, INDUSTRIES


@dataclass(frozen=True)
class PublicBody:
    """A body the bulletin names for a public fact; it keeps its name for those facts."""

    key: str
    name: str
    group: str
    sector: str
    industry_code: str
    ownership: str
    town: str
    established: str
    size: float  # relative economic size (1 = typical)


PUBLIC_BODIES = (
    PublicBody(
        "chalco_ri",
        "中铝郑州研究院",
        "tech",
        "铝及新材料",
        "73",
        "国有",
        "工业路街道",
        "1965-06-01",
        10.0,
    ),
    PublicBody(
        "tianma", "天马新材", "ind", "铝及新材料", "30", "民营", "峡窝镇", "2000-03-15", 12.0
    ),
    PublicBody(
        "zmj_green", "郑煤机格林", "ind", "装备制造", "35", "国有", "峡窝镇", "2012-09-20", 8.0
    ),
    PublicBody(
        "ward",
        "郑州沃德超硬材料",
        "ind",
        "铝及新材料",
        "30",
        "民营",
        "济源路街道",
        "2011-04-08",
        5.0,
    ),
    PublicBody(
        "huahui", "华慧工程", "tech", "科技服务", "74", "民营", "中心路街道", "2006-11-02", 4.0
    ),
    PublicBody(
        "longfeng", "龙丰机械", "ind", "装备制造", "34", "民营", "新安路街道", "2004-07-16", 3.0
    ),
    PublicBody(
        "xueshan", "雪山实业", "ind", "铝及新材料", "33", "民营", "矿山街道", "1998-05-26", 3.0
    ),
    PublicBody(
        "quanshui",
        "河南泉水之源科技有限公司",
        "tech",
        "科技服务",
        "75",
        "民营",
        "峡窝镇",
        "2019-08-12",
        1.0,
    ),
)


@dataclass
class Enterprises:
    """The enterprise register as arrays, plus attributes the generator uses internally."""

    uscc: np.ndarray
    name: np.ndarray
    town: np.ndarray
    industry_code: np.ndarray
    sector: np.ndarray
    ownership: np.ndarray
    established: np.ndarray  # datetime64[D]
    group: np.ndarray
    size: np.ndarray  # persistent economic size, heavy-tailed
    tech: np.ndarray  # persistent innovation propensity
    public: dict[str, int]  # public body key -> row index

    def __len__(self) -> int:
        return len(self.uscc)

    def established_before(self, day: str) -> np.ndarray:
        return self.established < np.datetime64(day)


def company_names(
    rng: np.random.Generator,
    words: np.ndarray,
    prefixes: tuple[str, ...],
    prefix_p: tuple[float, ...],
    taken: set[str],
) -> np.ndarray:
    """Unique fictional company names ``<prefix><brand><words><suffix>``, brands of random characters."""
    n = len(words)
    chars = np.array(list(BRAND_CHARS), dtype=object)
    names = np.empty(n, dtype=object)
    todo = np.arange(n)
    length = 2
    attempts = 0
    while len(todo):
        m = len(todo)
        a = rng.integers(0, len(chars), size=(m, length))
        brand = chars[a[:, 0]]
        for j in range(1, length):
            brand = brand + chars[a[:, j]]
        bad = np.isin(brand, list(BRAND_BLOCKLIST)) | (a[:, 0] == a[:, 1])
        prefix = pick_strings(rng, prefixes, m, np.asarray(prefix_p))
        suffix = pick_strings(
            rng, ("有限公司", "股份有限公司", "有限责任公司"), m, np.array([0.86, 0.08, 0.06])
        )
        cand = concat_strings(prefix, brand, words[todo], suffix)
        names[todo] = cand
        frame = pd.Series(names)
        dup = frame.duplicated(keep="first").to_numpy() | frame.isin(taken).to_numpy()
        dup[todo[bad]] = True
        todo = np.flatnonzero(dup)
        attempts += 1
        if attempts % 4 == 0:
            length = min(length + 1, 4)
    return names


def make_usccs(rng: np.random.Generator, region: str, established: np.ndarray) -> np.ndarray:
    """Unique valid USCCs ``91<region><org code><check>`` for enterprises.

    Firms registered since the 2015 reform get organisation codes ``MA…`` (as issued by
    the market regulator); older ones keep an eight-digit code of the old system. Both
    check characters come from ``normalize.complete_usccs`` (the one implementation).
    """
    n = len(established)
    recent = established >= np.datetime64("2016-01-01")
    out = np.empty(n, dtype="<U18")
    todo = np.arange(n)
    letters = np.array(list(USCC_CHARS), dtype="<U1")
    digits = letters[:10]
    while len(todo):
        m = len(todo)
        body = digits[rng.integers(0, 10, size=(m, 8))]
        tail = letters[rng.integers(0, 31, size=(m, 6))]
        is_new = recent[todo]
        body[is_new, 0] = "M"
        body[is_new, 1] = "A"
        body[is_new, 2:] = tail[is_new]
        # "91" + region (6) + organisation code body (8) = the 16 characters before the checks
        bodies = np.char.add("91" + region, np.ascontiguousarray(body).view("<U8").ravel())
        out[todo] = complete_usccs(bodies)
        _, first = np.unique(out, return_index=True)
        keep = np.zeros(n, dtype=bool)
        keep[first] = True
        todo = np.flatnonzero(~keep)
    return out


def build_enterprises(
    rng: np.random.Generator, spec: DistrictSpec, profile: Profile, last_year: int
) -> Enterprises:
    n = max(profile.count("enterprises", 2025), 60)
    public = PUBLIC_BODIES if spec.id == "shangjie" else ()
    m = n - len(public)
    group = np.asarray(GROUPS, dtype=object)[
        rng.choice(len(GROUPS), size=m, p=np.asarray(spec.mix) / sum(spec.mix))
    ]
    industry = np.empty(m, dtype=np.int64)
    for g in GROUPS:
        rows = [i for i, ind in enumerate(INDUSTRIES) if ind[0] == g]
        w = np.array([INDUSTRIES[i][4] for i in rows])
        mask = group == g
        industry[mask] = np.asarray(rows)[
            rng.choice(len(rows), size=int(mask.sum()), p=w / w.sum())
        ]
    sector = np.array([ind[1] for ind in INDUSTRIES], dtype=object)[industry]
    code = np.array([ind[2] for ind in INDUSTRIES], dtype=object)[industry]
    # one name word per enterprise, from its industry's list
    words = choose_by_key(
        rng, industry.astype(str), {str(i): ind[3] for i, ind in enumerate(INDUSTRIES)}, ("科技",)
    )
    # established over decades: a few from the aluminium-base era, most since 2005
    era = rng.choice(3, size=m, p=[0.07, 0.23, 0.70])
    era[(era == 0) & np.isin(group, ["tech", "serv", "re"])] = (
        1  # services and developers came later
    )
    lo = np.array(["1958-01-01", "1990-01-01", "2005-01-01"], dtype="datetime64[D]")[era]
    hi = np.array(["1989-12-31", "2004-12-31", f"{last_year}-06-30"], dtype="datetime64[D]")[era]
    established = lo + (rng.random(m) * (hi - lo).astype(int)).astype(int).astype("timedelta64[D]")
    ownership = pick_strings(
        rng, ("国有", "民营", "外资", "其他"), m, np.array([0.06, 0.84, 0.03, 0.07])
    )
    old = established < np.datetime64("1995-01-01")
    ownership[old & (rng.random(m) < 0.5)] = "国有"
    town = pick_strings(rng, spec.towns, m, np.asarray(spec.town_weights) / sum(spec.town_weights))
    taken = {b.name for b in public}
    city_prefix = ("郑州", "河南", f"郑州{spec.name.removesuffix('区').removesuffix('回族')}")
    names = company_names(rng, words, city_prefix, (0.58, 0.32, 0.10), taken)
    size = np.exp(rng.normal(0.0, 1.0, size=m))
    size *= np.where(np.isin(group, ["ind", "re", "cons"]), 1.6, 1.0)
    size *= np.where(ownership == "国有", 2.0, 1.0)
    tech = rng.random(m) * np.select([group == "ind", group == "tech"], [1.0, 1.2], 0.25)

    if public:
        pub_est = np.array([b.established for b in public], dtype="datetime64[D]")
        group = np.concatenate([np.array([b.group for b in public], dtype=object), group])
        sector = np.concatenate([np.array([b.sector for b in public], dtype=object), sector])
        code = np.concatenate([np.array([b.industry_code for b in public], dtype=object), code])
        names = np.concatenate([np.array([b.name for b in public], dtype=object), names])
        established = np.concatenate([pub_est, established])
        ownership = np.concatenate(
            [np.array([b.ownership for b in public], dtype=object), ownership]
        )
        town = np.concatenate([np.array([b.town for b in public], dtype=object), town])
        size = np.concatenate([np.array([b.size for b in public]), size])
        tech = np.concatenate([np.full(len(public), 1.5), tech])
    uscc = make_usccs(rng, spec.code, established)
    return Enterprises(
        uscc,
        names,
        town,
        code,
        sector,
        ownership,
        established,
        group,
        size,
        tech,
        {b.key: i for i, b in enumerate(public)},
    )
