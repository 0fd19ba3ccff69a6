"""Seeded synthetic district packages: the shangjie sample and benchmark-sized variants.

``generate(out_dir)`` writes a complete package (all twelve tables of ``tables.TABLES``
plus ``district.yaml``) whose 2025 figures are those of the model bulletin for 上街区
(INDICATORS.md), with a believable 2021–2024 history behind them. The figures come out
of the counting rules because the data are *constructed* to meet them: the generator
decides how many enterprises are recommended, recognised, revoked, surveyed … in each
year (``_SHANGJIE``), and every stock follows from those flows (a 高企 certificate is
valid three years, so the 2025 stock is the 2023–2025 cohorts less revocations).

Everything else is drawn from a seeded ``numpy.random.Generator``: who the enterprises
are, which of them reach which tier, amounts (heavy-tailed, then scaled to the year's
total), dates. The same seed gives byte-identical files; the default seed is derived
from the district id. ``scale`` multiplies every population (enterprises, contracts,
survey rows, events) for benchmarks; the work is vectorised (numpy/pandas, loops only
over years, tiers and tables), so ``scale=1000`` (~480k enterprises, ~900k contracts a
year) runs in minutes. Another district of the same city (``district="jinshui"`` or
``"中原区"``, or ``"NAME:CODE"``) gets its own seed, size, towns and sector mix; only
shangjie at scale 1 is calibrated to the bulletin.

The enterprises are fictional (names composed from random character pairs; any
resemblance to a real firm is coincidental) except the public bodies the bulletin
itself names for its public facts (``_PUBLIC_BODIES``), which keep those names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from innolib.errors import UsageError
from innolib.tables import BOOL, DATE, INT, MONEY, TABLES, YEAR

DEFAULT_YEARS = (2021, 2022, 2023, 2024, 2025)

# --------------------------------------------------------------------------------------
# Identifiers: USCC (GB 32100-2015) with its embedded organisation code (GB 11714)
# --------------------------------------------------------------------------------------
# innolib.normalize validates codes (``uscc_valid``) and completes one code at a time
# (``complete_uscc``); generating hundreds of thousands needs the check characters as
# array operations, hence these few lines (the tests check every code with normalize).

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters, no I O Z S V
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def _org_char_value(chars: np.ndarray) -> np.ndarray:
    """GB 11714 character values: digits 0-9, letters A=10 … Z=35."""
    codes = np.ascontiguousarray(chars).view(np.int32)
    return np.where(codes <= ord("9"), codes - ord("0"), codes - ord("A") + 10)


def _org_check_digit(body: np.ndarray) -> np.ndarray:
    """GB 11714 check character for organisation-code bodies, an (n, 8) array of '<U1'."""
    total = (_org_char_value(body) * _ORG_WEIGHTS).sum(axis=1)
    check = (11 - total % 11) % 11  # 11 -> 0
    return np.where(check == 10, "X", check.astype(str)).astype("<U1")


def _uscc_check_digit(first17: np.ndarray) -> np.ndarray:
    """GB 32100-2015 check character for an (n, 17) array of '<U1' from the 31-character set."""
    lookup = np.full(128, -1)
    lookup[[ord(c) for c in _USCC_CHARSET]] = np.arange(31)
    values = lookup[np.ascontiguousarray(first17).view(np.int32)]
    check = (31 - (values * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return np.array(list(_USCC_CHARSET))[check]


def _make_usccs(rng: np.random.Generator, region: str, established: np.ndarray) -> np.ndarray:
    """Unique valid USCCs ``91<region><org code><check>`` for enterprises.

    Firms registered since the 2015 reform get organisation codes ``MA…`` (as issued by
    the market regulator); older ones keep an eight-digit code of the old system.
    """
    n = len(established)
    recent = established >= np.datetime64("2016-01-01")
    out = np.empty(n, dtype="<U18")
    todo = np.arange(n)
    letters = np.array(list(_USCC_CHARSET), dtype="<U1")
    digits = letters[:10]
    while len(todo):
        m = len(todo)
        body = digits[rng.integers(0, 10, size=(m, 8))]
        tail = letters[rng.integers(0, 31, size=(m, 6))]
        is_new = recent[todo]
        body[is_new, 0] = "M"
        body[is_new, 1] = "A"
        body[is_new, 2:] = tail[is_new]
        head = np.array(list("91" + region), dtype="<U1")
        # "91" + region (8) + organisation code body (8) + its check character (1) = 17
        first17 = np.concatenate(
            [np.broadcast_to(head, (m, 8)), body, _org_check_digit(body)[:, None]], axis=1
        )
        full = np.concatenate([first17, _uscc_check_digit(first17)[:, None]], axis=1)
        out[todo] = np.ascontiguousarray(full).view("<U18").ravel()
        _, first = np.unique(out, return_index=True)
        keep = np.zeros(n, dtype=bool)
        keep[first] = True
        todo = np.flatnonzero(~keep)
    return out


# --------------------------------------------------------------------------------------
# Districts
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DistrictSpec:
    """What the generator needs to know about a district besides the profile."""

    id: str
    code: str
    name: str
    name_en: str
    towns: tuple[str, ...]
    town_weights: tuple[float, ...]
    population: tuple[int, ...]
    size: float  # population size relative to shangjie
    # enterprise mix: industrial, tech services, trade, construction, other services, real estate
    mix: tuple[float, ...] = (0.50, 0.24, 0.11, 0.05, 0.07, 0.03)


_DISTRICTS: dict[str, _DistrictSpec] = {
    d.id: d
    for d in (
        _DistrictSpec(
            "shangjie",
            "410106",
            "上街区",
            "Shangjie District",
            ("峡窝镇", "济源路街道", "中心路街道", "新安路街道", "工业路街道", "矿山街道"),
            (0.27, 0.17, 0.13, 0.14, 0.19, 0.10),
            (27000, 42000, 38000, 36000, 33000, 21000),
            1.0,
        ),
        _DistrictSpec(
            "zhongyuan",
            "410102",
            "中原区",
            "Zhongyuan District",
            (
                "林山寨街道",
                "建设路街道",
                "棉纺路街道",
                "秦岭路街道",
                "桐柏路街道",
                "三官庙街道",
                "绿东村街道",
                "汝河路街道",
                "须水街道",
                "莲湖街道",
            ),
            (0.08, 0.12, 0.09, 0.10, 0.11, 0.08, 0.07, 0.10, 0.15, 0.10),
            (78000, 96000, 82000, 74000, 88000, 61000, 52000, 70000, 120000, 65000),
            2.3,
            (0.36, 0.30, 0.16, 0.06, 0.09, 0.03),
        ),
        _DistrictSpec(
            "erqi",
            "410103",
            "二七区",
            "Erqi District",
            (
                "淮河路街道",
                "解放路街道",
                "铭功路街道",
                "一马路街道",
                "蜜蜂张街道",
                "五里堡街道",
                "大学路街道",
                "建中街街道",
                "福华街街道",
                "德化街街道",
                "嵩山路街道",
                "京广路街道",
                "长江路街道",
                "侯寨街道",
            ),
            (0.07, 0.05, 0.05, 0.06, 0.07, 0.08, 0.09, 0.06, 0.06, 0.05, 0.08, 0.09, 0.10, 0.09),
            (
                62000,
                41000,
                38000,
                45000,
                58000,
                66000,
                72000,
                49000,
                47000,
                36000,
                64000,
                70000,
                83000,
                75000,
            ),
            1.9,
            (0.28, 0.30, 0.22, 0.06, 0.11, 0.03),
        ),
        _DistrictSpec(
            "guancheng",
            "410104",
            "管城回族区",
            "Guancheng Hui District",
            (
                "北下街街道",
                "西大街街道",
                "南关街道",
                "城东路街道",
                "东大街街道",
                "二里岗街道",
                "陇海马路街道",
                "紫荆山南路街道",
                "航海东路街道",
                "十八里河街道",
                "南曹街道",
            ),
            (0.06, 0.06, 0.07, 0.08, 0.07, 0.09, 0.08, 0.10, 0.13, 0.13, 0.13),
            (38000, 35000, 52000, 61000, 47000, 69000, 58000, 74000, 110000, 96000, 88000),
            1.5,
            (0.34, 0.24, 0.22, 0.07, 0.10, 0.03),
        ),
        _DistrictSpec(
            "jinshui",
            "410105",
            "金水区",
            "Jinshui District",
            (
                "经八路街道",
                "花园路街道",
                "人民路街道",
                "杜岭街道",
                "大石桥街道",
                "南阳路街道",
                "南阳新村街道",
                "文化路街道",
                "丰产路街道",
                "东风路街道",
                "北林路街道",
                "未来路街道",
                "凤凰台街道",
                "兴达路街道",
                "国基路街道",
                "杨金路街道",
                "丰庆路街道",
            ),
            (
                0.05,
                0.07,
                0.05,
                0.04,
                0.05,
                0.06,
                0.05,
                0.07,
                0.06,
                0.07,
                0.06,
                0.07,
                0.05,
                0.06,
                0.07,
                0.07,
                0.05,
            ),
            (
                56000,
                88000,
                47000,
                39000,
                52000,
                68000,
                61000,
                92000,
                74000,
                86000,
                71000,
                83000,
                54000,
                66000,
                79000,
                72000,
                58000,
            ),
            3.4,
            (0.16, 0.44, 0.20, 0.06, 0.11, 0.03),
        ),
        _DistrictSpec(
            "huiji",
            "410108",
            "惠济区",
            "Huiji District",
            (
                "长兴路街道",
                "迎宾路街道",
                "新城街道",
                "刘寨街道",
                "老鸦陈街道",
                "大河路街道",
                "古荥镇",
                "花园口镇",
            ),
            (0.14, 0.13, 0.15, 0.12, 0.13, 0.10, 0.13, 0.10),
            (52000, 48000, 61000, 44000, 50000, 38000, 47000, 36000),
            1.1,
            (0.38, 0.26, 0.16, 0.06, 0.10, 0.04),
        ),
    )
}
_ZH_TO_ID = {d.name: d.id for d in _DISTRICTS.values()}
_GENERIC_TOWNS = ("城关街道", "东城街道", "西城街道", "南城街道", "北城街道", "新城街道", "城郊镇")


def _district_spec(text: str) -> _DistrictSpec:
    """The district for ``--district NAME[:CODE]`` (an id like ``jinshui`` or a name like 金水区)."""
    name, _, code = text.partition(":")
    name, code = name.strip(), code.strip()
    key = _ZH_TO_ID.get(name, name.lower())
    if key in _DISTRICTS:
        spec = _DISTRICTS[key]
        if code and code != spec.code:
            raise UsageError(
                f"{spec.name}的行政区划代码是{spec.code}，不是{code}",
                f"{spec.id} has division code {spec.code}, not {code}",
            )
        return spec
    if not (code.isdigit() and len(code) == 6):
        known = ", ".join(_DISTRICTS)
        raise UsageError(
            f"未知区县“{name}”：请写成 名称:6位代码（已知：{known}）",
            f"unknown district {name!r}: give NAME:CODE with a 6-digit division code (known: {known})",
        )
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    n_towns = 4 + digest % 4
    district_id = name if name.isascii() else f"d{code}"
    zh = name if not name.isascii() else f"{name}区"
    return _DistrictSpec(
        district_id,
        code,
        zh,
        f"{name.title()} District" if name.isascii() else "",
        _GENERIC_TOWNS[:n_towns],
        tuple([1.0 / n_towns] * n_towns),
        tuple([40000] * n_towns),
        0.6 + (digest % 150) / 100,
    )


def _default_seed(district_id: str) -> int:
    return int(hashlib.sha256(f"innolib-synth:{district_id}".encode()).hexdigest()[:8], 16)


# --------------------------------------------------------------------------------------
# The profile: how many of each thing happen in each year
# --------------------------------------------------------------------------------------


def _series(first: int, values: list[float]) -> dict[int, float]:
    return {first + i: v for i, v in enumerate(values)}


# 上街区. 2025 is the bulletin (INDICATORS.md); earlier years are the believable history
# that leads to it. Certification and platform series start before 2021 because stocks
# and cumulative counts in 2021 need the certificates recognised earlier.
_SHANGJIE: dict[str, dict[int, float]] = {
    "enterprises": {2025: 480},
    # 科技型企业 (municipal registration, from 2017): 推荐 and 认定 per year; cumulative 认定 = 278 by 2025
    "tsme.recommended": _series(2017, [27, 37, 50, 56, 36, 33, 27, 22, 17]),
    "tsme.recognised": _series(2017, [24, 34, 46, 52, 33, 30, 24, 20, 15]),
    # 高新技术企业: 申报 and 认定 per year, batches, revocations (of the previous year's cohort).
    # Valid 3 years: stock(2025) = 35 + 41 + 32 - 2 revoked = 106.
    "hnte.applied": _series(2018, [25, 28, 31, 35, 33, 43, 50, 40]),
    "hnte.recognised": _series(2018, [20, 23, 25, 28, 26, 35, 41, 32]),
    "hnte.batches": _series(2018, [2, 2, 2, 3, 2, 2, 3, 2]),
    "hnte.revoked": _series(2018, [0, 0, 0, 1, 0, 0, 1, 1]),
    "hnte.renew_rate": {2018: 0.7},
    # 瞪羚 (provincial, 3-year validity): stock(2025) = 2 + 1 + 2 = 5
    "gazelle.recommended": _series(2019, [1, 2, 2, 3, 3, 2, 3]),
    "gazelle.recognised": _series(2019, [1, 1, 1, 2, 2, 1, 2]),
    "gazelle.revoked": {2019: 0},
    "gazelle.renew_rate": {2019: 0.5},
    # 创新龙头: one firm, recognised 2021 and re-recognised 2024 (stock 1 every year)
    "leader.recommended": _series(2021, [1, 0, 0, 1, 0]),
    "leader.recognised": _series(2021, [1, 0, 0, 1, 0]),
    "leader.revoked": {2021: 0},
    "leader.renew_rate": {2021: 1.0},
    # R&D census: rows per 四上 class; 规上工业 with R&D activity (coverage 46/78 = 58.97%)
    "survey.规上工业": _series(2021, [70, 72, 74, 76, 78]),
    "survey.资质内建筑业": _series(2021, [10, 10, 11, 12, 12]),
    "survey.限上批零住餐": _series(2021, [24, 25, 26, 27, 28]),
    "survey.规上服务业": _series(2021, [17, 18, 19, 18, 20]),
    "survey.房地产开发": _series(2021, [7, 8, 7, 7, 6]),
    "survey.industrial_rd": _series(2021, [30, 35, 39, 42, 46]),
    "survey.reported_rate": _series(2021, [0.90, 0.93, 0.95, 0.97, 0.98]),
    "rd.total": _series(2021, [33620.0, 36480.0, 39850.0, 41930.0, 45027.0]),  # 万元; 约4.5亿元
    # projects and awards
    "projects.national_applied": _series(2021, [0, 1, 0, 1, 1]),
    "projects.provincial_applied": _series(2021, [6, 7, 8, 8, 9]),
    "projects.provincial_recommended": _series(2021, [5, 6, 6, 7, 7]),
    "projects.provincial_approved": _series(2021, [2, 2, 3, 2, 3]),
    "projects.municipal_applied": _series(2021, [12, 13, 15, 14, 16]),
    "projects.municipal_approved": _series(2021, [6, 7, 8, 7, 9]),
    "projects.district_approved": _series(2021, [5, 6, 6, 7, 8]),
    "projects.outside": _series(2021, [1, 1, 1, 1, 1]),
    "awards.invention": _series(2021, [0, 1, 0, 1, 1]),
    "awards.progress": _series(2021, [1, 1, 1, 1, 1]),
    "awards.municipal": _series(2021, [2, 2, 3, 3, 3]),
    # platforms: stock at the end of the year before the window, new and revoked per year
    "platforms.national_stock0": {2020: 1},
    "platforms.provincial_stock0": {2020: 30},
    "platforms.municipal_stock0": {2020: 36},
    "platforms.national_new": _series(2021, [0, 0, 0, 0, 1]),
    "platforms.provincial_new": _series(2021, [3, 3, 2, 3, 2]),
    "platforms.municipal_new": _series(2021, [6, 6, 7, 7, 6]),
    "platforms.national_revoked": _series(2021, [0, 0, 0, 0, 0]),
    "platforms.provincial_revoked": _series(2021, [1, 0, 1, 1, 0]),
    "platforms.municipal_revoked": _series(2021, [1, 1, 2, 1, 1]),
    # activities
    "act.专家考察": _series(2021, [1, 2, 1, 2, 1]),
    "act.技术需求对接会": _series(2021, [1, 2, 2, 2, 2]),
    "act.matchmaking_private": _series(2021, [6, 9, 10, 12, 11]),
    "act.demands_landed": _series(2021, [1, 1, 2, 1, 1]),
    "act.银企对接": _series(2021, [3, 4, 4, 5, 5]),
    "act.政银企座谈会": _series(2021, [1, 1, 2, 1, 2]),
    "act.培训": _series(2021, [3, 4, 4, 5, 4]),
    "act.上门服务": _series(2021, [4, 5, 6, 6, 8]),
    "act.政策宣讲": _series(2021, [3, 3, 4, 4, 5]),
    # talent: 科技副总 started with the 2024 provincial programme
    "talent.vp_enterprises": _series(2021, [0, 0, 0, 2, 3]),
    "talent.vp_extra_rows": _series(2021, [0, 0, 0, 0, 1]),
    "talent.demand_enterprises": _series(2021, [6, 7, 8, 8, 9]),
    "talent.demand_extra_rows": _series(2021, [1, 1, 0, 2, 2]),
    # technology contracts: count and total 成交金额 (万元; 4.7亿余元 in 2025)
    "contracts.count": _series(2021, [560, 640, 720, 810, 900]),
    "contracts.amount": _series(2021, [21830.0, 27360.0, 33940.0, 41620.0, 47386.0]),
    # achievements
    "ach.subsidy": _series(2021, [1, 2, 1, 2, 2]),
    "ach.green": _series(2021, [0, 0, 2, 2, 3]),
    "ach.other": _series(2021, [3, 4, 4, 5, 5]),
    # financing: rows and total resolved (万元; 2.8亿余元 in 2025)
    "finance.rows": _series(2021, [18, 22, 26, 28, 32]),
    "finance.resolved": _series(2021, [15640.0, 19230.0, 22410.0, 25380.0, 28466.0]),
}

# keys whose value is a rate or a count that must not grow with the population
_RATES = {
    "survey.reported_rate",
    "hnte.renew_rate",
    "gazelle.renew_rate",
    "leader.renew_rate",
    "hnte.batches",
}
_GROWTH = 1.07  # yearly growth used to extrapolate beyond the profile's years


# series that move with another one (a pass count with its application count)
_LINKED = {
    "tsme.recognised": "tsme.recommended",
    "hnte.recognised": "hnte.applied",
    "gazelle.recognised": "gazelle.recommended",
    "leader.recognised": "leader.recommended",
    "projects.provincial_recommended": "projects.provincial_applied",
    "projects.provincial_approved": "projects.provincial_applied",
    "projects.municipal_approved": "projects.municipal_applied",
}


class _Profile:
    """Counts and totals per year for one district at one scale.

    shangjie at scale 1 returns the calibrated series exactly; other scales multiply its
    populations. Another district multiplies them by its size, by its sector mix (the
    survey's classes), and by a per-series level, trend and year-to-year noise of its
    own, so that districts differ in shape and growth, not only in size. Years outside
    a series are extrapolated from its nearest year at 7% a year.
    """

    def __init__(self, spec: _DistrictSpec, scale: float, rng: np.random.Generator) -> None:
        self.factor = scale * spec.size
        self.calibrated = spec.id == "shangjie"
        self._mult: dict[str, dict[int, float]] = {}
        self._class: dict[str, float] = {}
        if self.calibrated:
            return
        years = np.arange(1990, 2041)
        for key in sorted(_SHANGJIE):  # fixed order: deterministic for a seed
            level = np.exp(rng.normal(0.0, 0.18))
            trend = rng.normal(0.0, 0.03)
            noise = np.exp(rng.normal(0.0, 0.06, size=len(years)))
            self._mult[key] = dict(
                zip(years.tolist(), level * np.exp(trend * (years - 2025)) * noise)
            )
        for child, parent in _LINKED.items():
            self._mult[child] = self._mult[parent]
        extra = np.exp(rng.normal(0.0, 0.12))
        self._mult["survey.industrial_rd"] = {
            y: m * extra for y, m in self._mult["survey.规上工业"].items()
        }
        base_mix = dict(zip(_GROUPS, _DISTRICTS["shangjie"].mix))
        mix = dict(zip(_GROUPS, spec.mix))
        for cls in ("规上工业", "资质内建筑业", "限上批零住餐", "规上服务业", "房地产开发"):
            groups = [g for g, c in _GROUP_CLASS.items() if c == cls]
            self._class[f"survey.{cls}"] = sum(mix[g] for g in groups) / sum(
                base_mix[g] for g in groups
            )
        self._class["survey.industrial_rd"] = self._class["survey.规上工业"]

    def value(self, key: str, year: int) -> float:
        series = _SHANGJIE[key]
        if year in series:
            base = series[year]
        else:
            nearest = min(series, key=lambda y: (abs(y - year), y))
            base = series[nearest] * (_GROWTH ** (year - nearest) if key not in _RATES else 1.0)
        if key in _RATES:
            return base
        value = (
            base * self.factor * self._mult.get(key, {}).get(year, 1.0) * self._class.get(key, 1.0)
        )
        if key == "survey.industrial_rd" and not self.calibrated:
            value = min(value, 0.92 * self.value("survey.规上工业", year))
        return value

    def count(self, key: str, year: int) -> int:
        raw = self.value(key, year)
        if key in _RATES:
            return int(round(raw))
        base = _SHANGJIE[key].get(year, 1)
        n = int(np.floor(raw + 0.5))
        return max(n, 1) if base > 0 and raw > 0.3 else n

    def rate(self, key: str, year: int) -> float:
        return float(self.value(key, year))

    def years(self, key: str) -> list[int]:
        return sorted(_SHANGJIE[key])


# --------------------------------------------------------------------------------------
# Enterprises
# --------------------------------------------------------------------------------------

_GROUPS = ("ind", "tech", "trade", "cons", "serv", "re")
_GROUP_CLASS = {
    "ind": "规上工业",
    "tech": "规上服务业",
    "trade": "限上批零住餐",
    "cons": "资质内建筑业",
    "serv": "规上服务业",
    "re": "房地产开发",
}
# (group, sector, GB/T 4754 division, name words, weight within the group)
_INDUSTRIES = (
    ("ind", "铝及新材料", "32", ("铝业", "铝材", "有色金属", "铝合金材料", "铝箔"), 0.22),
    ("ind", "铝及新材料", "30", ("新材料", "耐火材料", "磨料磨具", "超硬材料", "陶瓷材料"), 0.14),
    ("ind", "铝及新材料", "33", ("金属制品", "铝型材", "精密结构件"), 0.07),
    ("ind", "铝及新材料", "26", ("化工", "新材料科技", "精细化工"), 0.04),
    ("ind", "装备制造", "34", ("机械", "重工机械", "通用机械", "液压设备", "阀门"), 0.16),
    ("ind", "装备制造", "35", ("专用设备", "智能装备", "矿山机械", "环保设备"), 0.13),
    ("ind", "装备制造", "38", ("电气", "电力设备", "电缆"), 0.07),
    ("ind", "装备制造", "40", ("仪器仪表", "智能仪器", "检测设备"), 0.05),
    ("ind", "通用航空", "37", ("航空科技", "航空装备", "航空零部件"), 0.06),
    ("ind", "电子信息", "39", ("电子科技", "光电科技"), 0.04),
    ("ind", "生物医药", "27", ("药业", "生物科技"), 0.02),
    ("tech", "科技服务", "73", ("技术研究院", "新材料研究院", "工程技术研究"), 0.18),
    ("tech", "科技服务", "74", ("检测技术", "工程技术", "工程设计", "环境科技"), 0.30),
    ("tech", "科技服务", "75", ("科技服务", "技术转移", "科技"), 0.17),
    ("tech", "电子信息", "65", ("软件科技", "信息技术", "网络科技", "数据科技"), 0.27),
    ("tech", "通用航空", "74", ("航空技术服务", "飞行技术"), 0.08),
    ("trade", "商贸服务", "51", ("商贸", "贸易", "物资", "供应链"), 0.55),
    ("trade", "商贸服务", "52", ("超市", "商业连锁"), 0.25),
    ("trade", "商贸服务", "62", ("餐饮管理", "餐饮服务"), 0.12),
    ("trade", "商贸服务", "61", ("酒店管理",), 0.08),
    ("cons", "建筑业", "47", ("建设工程", "建筑工程"), 0.5),
    ("cons", "建筑业", "48", ("路桥工程", "市政工程"), 0.3),
    ("cons", "建筑业", "50", ("装饰工程", "安装工程"), 0.2),
    ("serv", "现代物流", "59", ("物流", "仓储服务"), 0.4),
    ("serv", "现代物流", "58", ("供应链管理", "国际货运代理"), 0.25),
    ("serv", "通用航空", "56", ("通用航空",), 0.15),
    ("serv", "商务服务", "72", ("企业管理咨询", "人力资源服务"), 0.2),
    ("re", "房地产", "70", ("置业", "房地产开发"), 1.0),
)
_BRAND_CHARS = (
    "华恒瑞丰盛鑫宏泰远达通嘉德正信诚合力源新金银博创宇辰昊晟航腾凯永昌隆兴安康明光耀峰海润"
    "奥星汇联众佳益惠伟立志宝森林元方圆鼎坤乾瀚禾豫邦致睿卓越驰诺泽铭誉晨曦岳川贝凌"
)
# brand pairs that name well-known firms, or the public bodies of the bulletin
_BRAND_BLOCKLIST = {
    "华为",
    "宇通",
    "中信",
    "联想",
    "万达",
    "天马",
    "龙丰",
    "雪山",
    "华慧",
    "格林",
    "恒大",
    "万科",
    "明泰",
    "神火",
    "中原",
    "豫光",
    "安图",
    "瑞茂",
    "新开",
    "宏达",
    "海尔",
    "中联",
    "华丰",
    "永安",
    "方圆",
    "中金",
    "金博",
    "泰康",
    "中创",
    "创源",
    "鑫源",
    "林海",
    "金源",
    "泽源",
}


@dataclass(frozen=True)
class _PublicBody:
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


_PUBLIC_BODIES = (
    _PublicBody(
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
    _PublicBody(
        "tianma", "天马新材", "ind", "铝及新材料", "30", "民营", "峡窝镇", "2000-03-15", 12.0
    ),
    _PublicBody(
        "zmj_green", "郑煤机格林", "ind", "装备制造", "35", "国有", "峡窝镇", "2012-09-20", 8.0
    ),
    _PublicBody(
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
    _PublicBody(
        "huahui", "华慧工程", "tech", "科技服务", "74", "民营", "中心路街道", "2006-11-02", 4.0
    ),
    _PublicBody(
        "longfeng", "龙丰机械", "ind", "装备制造", "34", "民营", "新安路街道", "2004-07-16", 3.0
    ),
    _PublicBody(
        "xueshan", "雪山实业", "ind", "铝及新材料", "33", "民营", "矿山街道", "1998-05-26", 3.0
    ),
    _PublicBody(
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
class _Enterprises:
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


def _weighted_sample(
    rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, k: int
) -> np.ndarray:
    """``k`` distinct members of ``pool`` drawn with probability ∝ ``weights`` (Efraimidis–Spirakis).

    Vectorised (one sort), so it stays fast for pools of hundreds of thousands.
    """
    k = int(min(k, len(pool)))
    if k <= 0:
        return pool[:0]
    keys = np.log(rng.random(len(pool))) / np.maximum(weights, 1e-12)
    top = np.argpartition(-keys, k - 1)[:k] if k < len(pool) else np.arange(len(pool))
    top = top[np.argsort(-keys[top], kind="stable")]
    return pool[top]


def _pick_strings(
    rng: np.random.Generator,
    options: tuple[str, ...] | list[str],
    n: int,
    p: np.ndarray | None = None,
) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def _concat(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise string concatenation of object arrays (and scalars)."""
    out = None
    for part in parts:
        s = pd.Series(part, dtype="object") if not isinstance(part, str) else part
        out = s if out is None else out + s
    return np.array(out, dtype=object)  # a writable copy


def _company_names(
    rng: np.random.Generator,
    words: np.ndarray,
    prefixes: tuple[str, ...],
    prefix_p: tuple[float, ...],
    taken: set[str],
) -> np.ndarray:
    """Unique fictional company names ``<prefix><brand><words><suffix>``, brands of random characters."""
    n = len(words)
    chars = np.array(list(_BRAND_CHARS), dtype=object)
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
        bad = np.isin(brand, list(_BRAND_BLOCKLIST)) | (a[:, 0] == a[:, 1])
        prefix = _pick_strings(rng, prefixes, m, np.asarray(prefix_p))
        suffix = _pick_strings(
            rng, ("有限公司", "股份有限公司", "有限责任公司"), m, np.array([0.86, 0.08, 0.06])
        )
        cand = _concat(prefix, brand, words[todo], suffix)
        names[todo] = cand
        frame = pd.Series(names)
        dup = frame.duplicated(keep="first").to_numpy() | frame.isin(taken).to_numpy()
        dup[todo[bad]] = True
        todo = np.flatnonzero(dup)
        attempts += 1
        if attempts % 4 == 0:
            length = min(length + 1, 4)
    return names


def _random_days(
    rng: np.random.Generator,
    n: int,
    start: str | np.datetime64,
    end: str | np.datetime64,
    workdays: bool = True,
) -> np.ndarray:
    """``n`` dates uniform in [start, end], moved off weekends (offices log on workdays)."""
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    span = max(int((hi - lo).astype(int)), 0)
    days = lo + rng.integers(0, span + 1, size=n).astype("timedelta64[D]")
    if workdays:
        weekday = (days.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
        days = (
            days
            - np.where(weekday == 5, 1, 0).astype("timedelta64[D]")
            + np.where(weekday == 6, 1, 0).astype("timedelta64[D]")
        )
        days = np.clip(days, lo, hi)
    return days


def _month_days(rng: np.random.Generator, year: int, months: np.ndarray) -> np.ndarray:
    """A random workday inside each given month of ``year``."""
    first = (np.datetime64(f"{year}-01", "M") + (months - 1).astype("timedelta64[M]")).astype(
        "datetime64[D]"
    )
    last = (np.datetime64(f"{year}-01", "M") + months.astype("timedelta64[M]")).astype(
        "datetime64[D]"
    ) - 1
    span = (last - first).astype(int)
    days = first + (rng.random(len(months)) * (span + 1)).astype(int).astype("timedelta64[D]")
    weekday = (days.astype(np.int64) + 3) % 7
    days = (
        days
        + np.where(weekday == 5, 2, 0).astype("timedelta64[D]")
        + np.where(weekday == 6, 1, 0).astype("timedelta64[D]")
    )
    return np.minimum(days, last)


def _build_enterprises(
    rng: np.random.Generator, spec: _DistrictSpec, profile: _Profile, last_year: int
) -> _Enterprises:
    n = max(profile.count("enterprises", 2025), 60)
    public = _PUBLIC_BODIES if spec.id == "shangjie" else ()
    m = n - len(public)
    group = np.asarray(_GROUPS, dtype=object)[
        rng.choice(len(_GROUPS), size=m, p=np.asarray(spec.mix) / sum(spec.mix))
    ]
    industry = np.empty(m, dtype=np.int64)
    for g in _GROUPS:
        rows = [i for i, ind in enumerate(_INDUSTRIES) if ind[0] == g]
        w = np.array([_INDUSTRIES[i][4] for i in rows])
        mask = group == g
        industry[mask] = np.asarray(rows)[
            rng.choice(len(rows), size=int(mask.sum()), p=w / w.sum())
        ]
    sector = np.array([ind[1] for ind in _INDUSTRIES], dtype=object)[industry]
    code = np.array([ind[2] for ind in _INDUSTRIES], dtype=object)[industry]
    # one name word per enterprise, from its industry's list
    words = _choose_by_key(
        rng, industry.astype(str), {str(i): ind[3] for i, ind in enumerate(_INDUSTRIES)}, ("科技",)
    )
    # established over decades: a few from the aluminium-base era, most since 2005
    era = rng.choice(3, size=m, p=[0.07, 0.23, 0.70])
    era[(era == 0) & np.isin(group, ["tech", "serv", "re"])] = (
        1  # services and developers came later
    )
    lo = np.array(["1958-01-01", "1990-01-01", "2005-01-01"], dtype="datetime64[D]")[era]
    hi = np.array(["1989-12-31", "2004-12-31", f"{last_year}-06-30"], dtype="datetime64[D]")[era]
    established = lo + (rng.random(m) * (hi - lo).astype(int)).astype(int).astype("timedelta64[D]")
    ownership = _pick_strings(
        rng, ("国有", "民营", "外资", "其他"), m, np.array([0.06, 0.84, 0.03, 0.07])
    )
    old = established < np.datetime64("1995-01-01")
    ownership[old & (rng.random(m) < 0.5)] = "国有"
    town = _pick_strings(rng, spec.towns, m, np.asarray(spec.town_weights) / sum(spec.town_weights))
    taken = {b.name for b in public}
    city_prefix = ("郑州", "河南", f"郑州{spec.name.removesuffix('区').removesuffix('回族')}")
    names = _company_names(rng, words, city_prefix, (0.58, 0.32, 0.10), taken)
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
    uscc = _make_usccs(rng, spec.code, established)
    return _Enterprises(
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


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------

_BATCH_NAMES = "一二三四五六七八九十"


def _stack(frames: list[pd.DataFrame], table_id: str) -> pd.DataFrame:
    """The frames one under the other; an empty table with its columns when there are none
    (a very small ``scale`` can leave a table without rows)."""
    if not frames:
        dtypes = {
            DATE: "datetime64[s]",
            MONEY: "float64",
            INT: "Int64",
            YEAR: "Int64",
            BOOL: "boolean",
        }
        return pd.DataFrame(
            {c.id: pd.Series(dtype=dtypes.get(c.type, "object")) for c in TABLES[table_id].columns}
        )
    return pd.concat(frames, ignore_index=True)


def _frame(columns: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(
        {k: (np.asarray(v) if not np.isscalar(v) else v) for k, v in columns.items()}
    )


class _Generator:
    """Builds the twelve tables for one district, scale and seed."""

    def __init__(self, spec: _DistrictSpec, years: list[int], scale: float, seed: int) -> None:
        self.spec = spec
        self.years = sorted(years)
        self.rng = np.random.default_rng(seed)
        self.profile = _Profile(spec, scale, self.rng)
        self.ent = _build_enterprises(self.rng, spec, self.profile, self.years[-1])
        self.tables: dict[str, pd.DataFrame] = {}

    # ---- helpers -----------------------------------------------------------------------

    def _public(self, key: str) -> int | None:
        return self.ent.public.get(key)

    def _with_forced(self, chosen: np.ndarray, forced: list[int], k: int) -> np.ndarray:
        """``chosen`` with the ``forced`` members first, still ``k`` long and distinct."""
        forced = [f for f in forced if f is not None]
        rest = chosen[~np.isin(chosen, forced)]
        return np.concatenate([np.asarray(forced, dtype=np.int64), rest])[:k]

    # ---- 四上 membership ------------------------------------------------------------

    def above_scale(self) -> dict[int, np.ndarray]:
        """The 四上 class of every enterprise in every window year ('无' when none).

        Each class keeps its members from year to year; about 5% leave and newcomers
        (larger firms first) fill the class up to the year's count.
        """
        rng, ent = self.rng, self.ent
        n = len(ent)
        classes = {y: np.full(n, "无", dtype=object) for y in self.years}
        forced = np.zeros(n, dtype=bool)
        # the bulletin's larger public bodies are 四上 throughout
        forced[[i for b, i in zip(_PUBLIC_BODIES, ent.public.values()) if b.size >= 3]] = True
        for cls in ("规上工业", "资质内建筑业", "限上批零住餐", "规上服务业", "房地产开发"):
            groups = [g for g, c in _GROUP_CLASS.items() if c == cls]
            members = np.zeros(n, dtype=bool)
            for t, year in enumerate(self.years):
                target = self.profile.count(f"survey.{cls}", year)
                eligible = np.isin(ent.group, groups) & ent.established_before(f"{year}-01-01")
                if t > 0:
                    leavers = members & ~forced
                    k_exit = int(rng.binomial(int(leavers.sum()), 0.05))
                    out = _weighted_sample(
                        rng, np.flatnonzero(leavers), 1.0 / ent.size[leavers], k_exit
                    )
                    members[out] = False
                keep_forced = forced & eligible & ~members
                members |= keep_forced
                need = target - int(members.sum())
                if need > 0:
                    pool = np.flatnonzero(eligible & ~members)
                    members[_weighted_sample(rng, pool, ent.size[pool], need)] = True
                elif need < 0:
                    pool = np.flatnonzero(members & ~forced)
                    members[_weighted_sample(rng, pool, 1.0 / ent.size[pool], -need)] = False
                classes[year][members] = cls
        return classes

    # ---- certifications ------------------------------------------------------------------

    def certifications(self) -> pd.DataFrame:
        """The four tiers' event rows: 推荐/申报 → 认定 or 未通过, and 撤销.

        高企 come first (who holds a certificate in which year), then 瞪羚 and 创新龙头 among
        the holders, then 科技型企业: registered by firms not yet 高企, mostly by those
        that will become 高企 within a few years, so that the pipeline runs upwards.
        """
        rng, ent = self.rng, self.ent
        n = len(ent)
        frames = []
        last = self.years[-1]
        techlike = np.isin(ent.group, ["ind", "tech"])

        # 高新技术企业: batches, recognition in Nov-Dec, three-year certificates, renewals, revocations
        hnte_first = min(self.profile.years("hnte.applied")[0], self.years[0] - 3)
        hnte_held, first_hnte, hnte_frames = self._tier(
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

        _, _, gazelle_frames = self._tier(
            "瞪羚企业",
            "gazelle",
            "推荐",
            "省级",
            self.profile.years("gazelle.recommended")[0],
            last,
            eligible=holds_hnte,
            weight=lambda y: ent.size * (0.5 + ent.tech),
            windows=lambda b: ("06-10", "07-10"),
            decisions=lambda b: ("09-20", "10-20"),
        )
        frames += gazelle_frames
        _, _, leader_frames = self._tier(
            "创新龙头企业",
            "leader",
            "推荐",
            "省级",
            self.profile.years("leader.recommended")[0],
            last,
            eligible=lambda y: holds_hnte(y) & (ent.group == "ind"),
            weight=lambda y: ent.size**2 * (0.5 + ent.tech),
            windows=lambda b: ("04-20", "05-20"),
            decisions=lambda b: ("08-10", "08-30"),
        )
        frames += leader_frames

        # 科技型企业: municipal registration (from 2017), never expires; three batches a year
        registered = np.zeros(n, dtype=bool)
        failed_in = np.full(n, -9999)
        for year in range(2017, last + 1):
            k = self.profile.count("tsme.recommended", year)
            ok = min(self.profile.count("tsme.recognised", year), k)
            pool = np.flatnonzero(
                ~registered
                & (failed_in < year - 1)
                & (first_hnte > year)
                & ent.established_before(f"{year - 1}-01-01")
                & (techlike | (rng.random(n) < 0.05))
            )
            soon = first_hnte[pool] <= year + 4  # on its way to 高企
            chosen = _weighted_sample(
                rng, pool, (0.3 + ent.tech[pool]) * np.where(soon, 6.0, 1.0), k
            )
            n_batches = 3 if len(chosen) >= 6 else 1
            batch = rng.integers(0, n_batches, size=len(chosen))
            batch[: min(n_batches, len(chosen))] = np.arange(min(n_batches, len(chosen)))
            rec_month = np.array([3, 6, 9])[batch] + rng.integers(0, 2, size=len(chosen))
            rec_date = _month_days(rng, year, rec_month)
            decision = np.array(
                [
                    f"{year}-{m:02d}-{d:02d}"
                    for m, d in zip((5, 8, 11), rng.integers(8, 28, size=3))
                ],
                dtype="datetime64[D]",
            )[batch]
            passed = np.zeros(len(chosen), dtype=bool)
            passed[_weighted_sample(rng, np.arange(len(chosen)), 0.5 + ent.tech[chosen], ok)] = True
            labels = np.array(
                [f"{year}年第{_BATCH_NAMES[b]}批" for b in range(n_batches)], dtype=object
            )[batch]
            frames.append(
                _frame(
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
                _frame(
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
        out = _stack(frames, "certifications")
        return out.sort_values(["date", "tier", "stage", "uscc"], kind="stable").reset_index(
            drop=True
        )

    def _tier(
        self,
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
        rng, ent = self.rng, self.ent
        n = len(ent)
        cohort = np.full(n, -9999)  # year of the latest certificate
        first_year = np.full(n, 9999)
        revoked_in = np.full(n, -9999)
        held: dict[int, np.ndarray] = {}
        frames: list[pd.DataFrame] = []
        for year in range(first, last + 1):
            applied = self.profile.count(
                f"{key}.applied" if key == "hnte" else f"{key}.recommended", year
            )
            recognised = min(self.profile.count(f"{key}.recognised", year), applied)
            renew_rate = self.profile.rate(f"{key}.renew_rate", year)
            n_batches = max(1, self.profile.count(f"{key}.batches", year)) if key == "hnte" else 1
            # revocations first (dated in spring–autumn): they hit last year's cohort
            n_revoked = self.profile.count(f"{key}.revoked", year)
            if n_revoked:
                pool = np.flatnonzero(cohort == year - 1)
                gone = _weighted_sample(rng, pool, np.ones(len(pool)), n_revoked)
                frames.append(
                    _frame(
                        {
                            "uscc": ent.uscc[gone],
                            "tier": tier,
                            "stage": "撤销",
                            "date": _random_days(rng, len(gone), f"{year}-03-01", f"{year}-10-31"),
                            "batch": None,
                            "level": level,
                        }
                    )
                )
                cohort[gone] = -9999
                revoked_in[gone] = year
            held[year] = (cohort >= year - 3) & (
                cohort <= year - 1
            )  # valid this year, after revocations
            if applied == 0:
                continue
            can = eligible(year)
            expiring = cohort == year - 3
            due = np.flatnonzero(expiring & can)
            n_renew = min(int(np.floor(renew_rate * int(expiring.sum()) + 0.5)), applied, len(due))
            renew = _weighted_sample(rng, due, weight(year)[due] + 1e-9, n_renew)
            new_pool = np.flatnonzero(
                can & (cohort < year - 3) & (revoked_in < year - 5) & ~expiring
            )
            new = _weighted_sample(rng, new_pool, weight(year)[new_pool], applied - len(renew))
            chosen = np.concatenate([renew, new])
            is_renewal = np.arange(len(chosen)) < len(renew)
            batch = rng.integers(0, n_batches, size=len(chosen))
            batch[: min(n_batches, len(chosen))] = np.arange(min(n_batches, len(chosen)))
            apply_date = np.empty(len(chosen), dtype="datetime64[D]")
            decision = np.empty(len(chosen), dtype="datetime64[D]")
            for b in range(n_batches):
                sel = batch == b
                lo, hi = windows(b)
                apply_date[sel] = _random_days(rng, int(sel.sum()), f"{year}-{lo}", f"{year}-{hi}")
                dlo, dhi = decisions(b)
                decision[sel] = _random_days(rng, 1, f"{year}-{dlo}", f"{year}-{dhi}")[0]
            passed = np.zeros(len(chosen), dtype=bool)
            pass_weight = np.where(is_renewal, 3.0, 1.0) * (0.3 + ent.tech[chosen])
            passed[_weighted_sample(rng, np.arange(len(chosen)), pass_weight, recognised)] = True
            labels = (
                np.array(
                    [f"{year}年第{_BATCH_NAMES[b]}批" for b in range(n_batches)], dtype=object
                )[batch]
                if key == "hnte"
                else np.full(len(chosen), f"{year}年", dtype=object)
            )
            # certificates run three years to the day before the anniversary of the decision
            valid_until = (
                pd.DatetimeIndex(decision) + pd.DateOffset(years=3) - pd.Timedelta(days=1)
            ).to_numpy(dtype="datetime64[D]")
            frames.append(
                _frame(
                    {
                        "uscc": ent.uscc[chosen],
                        "tier": tier,
                        "stage": apply_stage,
                        "date": apply_date,
                        "batch": labels,
                        "level": level,
                    }
                )
            )
            frames.append(
                _frame(
                    {
                        "uscc": ent.uscc[chosen],
                        "tier": tier,
                        "stage": np.where(passed, "认定", "未通过"),
                        "date": decision,
                        "batch": labels,
                        "level": level,
                        "valid_until": np.where(passed, valid_until, np.datetime64("NaT")),
                    }
                )
            )
            cohort[chosen[passed]] = year
            first_year[chosen[passed]] = np.minimum(first_year[chosen[passed]], year)
        return held, first_year, frames

    # ---- R&D census -----------------------------------------------------------------------

    def rd_survey(self, classes: dict[int, np.ndarray]) -> pd.DataFrame:
        """One row per 四上 enterprise per year (plus firms that dropped out that year, class 无)."""
        rng, ent = self.rng, self.ent
        frames = []
        growth = {y: 1.06 ** (y - self.years[0]) for y in self.years}
        intensity = np.clip(np.exp(rng.normal(np.log(0.022), 0.6, size=len(ent))), 0.003, 0.25)
        chalco = self._public("chalco_ri")
        if chalco is not None:
            intensity[chalco] = 0.22  # a research institute spends much of its revenue on R&D
        thresholds = {
            "规上工业": 2000.0,
            "资质内建筑业": 1000.0,
            "限上批零住餐": 500.0,
            "规上服务业": 1000.0,
            "房地产开发": 3000.0,
            "无": 0.0,
        }
        for t, year in enumerate(self.years):
            cls = classes[year]
            members = np.flatnonzero(cls != "无")
            dropped = np.array([], dtype=np.int64)
            if t > 0:
                was = classes[self.years[t - 1]] != "无"
                left = np.flatnonzero(was & (cls == "无"))
                dropped = left[rng.random(len(left)) < 0.5]
            rows = np.concatenate([members, dropped])
            row_cls = cls[rows]
            m = len(rows)
            # R&D activity: a persistent propensity plus noise decides who has it
            score = ent.tech[rows] + 0.15 * np.log(ent.size[rows]) + rng.normal(0, 0.12, size=m)
            has_rd = np.zeros(m, dtype=bool)
            for c, share in (
                ("规上工业", None),
                ("规上服务业", 0.45),
                ("资质内建筑业", 0.25),
                ("限上批零住餐", 0.08),
                ("房地产开发", 0.0),
                ("无", 0.2),
            ):
                idx = np.flatnonzero(row_cls == c)
                k = (
                    self.profile.count("survey.industrial_rd", year)
                    if share is None
                    else int(np.floor(share * len(idx) + 0.5))
                )
                has_rd[idx[np.argsort(-score[idx], kind="stable")[:k]]] = True
            has_rd[rows == chalco] = True
            reported = np.ones(m, dtype=bool)
            n_missing = int(
                np.floor((1 - self.profile.rate("survey.reported_rate", year)) * m + 0.5)
            )
            candidates = np.flatnonzero(~has_rd)
            reported[_weighted_sample(rng, candidates, np.ones(len(candidates)), n_missing)] = False
            # amounts: revenue from size, R&D = revenue × intensity, scaled to the year's total
            revenue = 3000.0 * ent.size[rows] * growth[year] * np.exp(rng.normal(0, 0.12, size=m))
            floor = pd.Series(row_cls).map(thresholds).to_numpy(dtype=float)
            revenue = np.maximum(revenue, floor * (1 + rng.random(m)))
            rd = np.where(
                has_rd, revenue * intensity[rows] * np.exp(rng.normal(0, 0.15, size=m)), 0.0
            )
            surveyed = row_cls != "无"
            total = self.profile.value("rd.total", year)
            rd = _scale_to_total(rd, surveyed, total)
            rd = _cap_top_two(rd, surveyed, 0.6)
            rd = _scale_to_total(rd, surveyed, total)
            revenue = np.maximum(
                revenue, rd * 4
            )  # no firm spends more than a quarter of revenue on R&D
            staff = np.where(has_rd, np.maximum(1, np.floor(rd / rng.uniform(15, 35, size=m))), 0)
            frames.append(
                _frame(
                    {
                        "year": year,
                        "uscc": ent.uscc[rows],
                        "above_scale": row_cls,
                        "reported": reported,
                        "has_rd": has_rd & reported,
                        "rd_expenditure": np.where(reported, np.round(rd, 2), np.nan),
                        "revenue": np.where(reported, np.round(revenue, 2), np.nan),
                        "rd_staff": np.where(reported, staff, np.nan),
                    }
                )
            )
        out = _stack(frames, "rd_survey")
        return out.sort_values(["year", "uscc"], kind="stable").reset_index(drop=True)

    # ---- projects and awards ---------------------------------------------------------------

    def projects(self, rd: pd.DataFrame) -> pd.DataFrame:
        rng, ent = self.rng, self.ent
        frames = []
        area = self.spec.name
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
        last = self.years[-1]
        public_titles = {
            "chalco_ri": "氧化铝基纳米纤维/气凝胶复合材料的制备与应用研究",
            "tianma": "第三代半导体封装用高纯氧化铝的开发及产业化",
        }

        def ids(year: int, kind: str, k: int) -> np.ndarray:
            nonlocal seq
            out = _ids(f"{self.spec.code}-{year}-{kind}", seq, k, 4)
            seq += k
            return out

        for year in self.years:
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
                k = self.profile.count(applied_key, year)
                if k == 0:
                    continue
                who = _weighted_sample(rng, year_bearers, year_w, k)
                if level == "省级" and year == 2025 and self.spec.id == "shangjie":
                    who = self._with_forced(
                        who, [self._public("chalco_ri"), self._public("tianma")], k
                    )
                title = _titles(rng, ent.sector[who])
                if level == "省级" and year == 2025 and self.spec.id == "shangjie":
                    for j, body in enumerate(("chalco_ri", "tianma")[:k]):
                        title[j] = public_titles[body]
                pid = ids(year, prefix, k)
                apply = _random_days(rng, k, f"{year}-03-01", f"{year}-04-20")
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
                frames.append(_frame({**base, "stage": "申报", "date": apply}))
                if level == "区级":  # the district's own programme: approved in the same round
                    frames.append(
                        _frame(
                            {
                                **base,
                                "stage": "立项",
                                "date": _random_days(rng, k, f"{year}-06-01", f"{year}-07-15"),
                                "funding": _amounts(rng, k, *funding),
                            }
                        )
                    )
                    continue
                recommended = (
                    np.arange(k)
                    if rec_key is None
                    else np.arange(min(self.profile.count(rec_key, year), k))
                )
                rec_date = apply + rng.integers(20, 40, size=k).astype("timedelta64[D]")
                if rec_key is not None:
                    frames.append(
                        _frame(
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
                n_ok = (
                    0 if ok_key is None else min(self.profile.count(ok_key, year), len(recommended))
                )
                if level == "国家级" and year < last:
                    n_ok = int(rng.random() < 0.4)
                result = np.where(np.arange(len(recommended)) < n_ok, "立项", "未通过")
                decided = _random_days(rng, len(recommended), f"{year}-09-01", f"{year}-11-28")
                frames.append(
                    _frame(
                        {
                            **{
                                c: (v[recommended] if isinstance(v, np.ndarray) else v)
                                for c, v in base.items()
                            },
                            "stage": result,
                            "date": decided,
                            "funding": np.where(
                                result == "立项", _amounts(rng, len(recommended), *funding), np.nan
                            ),
                        }
                    )
                )
            # joint projects led by universities outside the district: no uscc, name required
            k = self.profile.count("projects.outside", year)
            if k:
                pid = ids(year, "HZ", k)
                base = {
                    "project_id": pid,
                    "uscc": None,
                    "name": _pick_strings(rng, outside, k),
                    "title": _titles(rng, _pick_strings(rng, tuple(_TITLE_OBJECTS), k)),
                    "programme": "郑州市科技协同创新专项",
                    "kind": "项目",
                    "level": "市级",
                    "year": year,
                }
                frames.append(
                    _frame(
                        {
                            **base,
                            "stage": "申报",
                            "date": _random_days(rng, k, f"{year}-03-01", f"{year}-04-20"),
                        }
                    )
                )
                frames.append(
                    _frame(
                        {
                            **base,
                            "stage": "立项",
                            "date": _random_days(rng, k, f"{year}-09-01", f"{year}-11-28"),
                            "funding": _amounts(rng, k, 50, 200),
                        }
                    )
                )
            # awards: provincial nominations in May, results the following spring; municipal in-year
            for programme, key in (
                ("河南省技术发明奖", "awards.invention"),
                ("河南省科学技术进步奖（技术开发类）", "awards.progress"),
            ):
                k = self.profile.count(key, year)
                if not k:
                    continue
                who = _weighted_sample(rng, year_bearers, year_w**2, k)
                pid = ids(year, "JL", k)
                base = {
                    "project_id": pid,
                    "uscc": ent.uscc[who],
                    "name": ent.name[who],
                    "title": _titles(rng, ent.sector[who]),
                    "programme": programme,
                    "kind": "奖励",
                    "level": "省级",
                    "year": year,
                }
                frames.append(
                    _frame(
                        {
                            **base,
                            "stage": "推荐",
                            "date": _random_days(rng, k, f"{year}-04-15", f"{year}-05-31"),
                        }
                    )
                )
                if year < last:
                    frames.append(
                        _frame(
                            {
                                **base,
                                "stage": np.where(rng.random(k) < 0.5, "获奖", "未通过"),
                                "date": _random_days(
                                    rng, k, f"{year + 1}-04-10", f"{year + 1}-05-20"
                                ),
                            }
                        )
                    )
            k = self.profile.count("awards.municipal", year)
            if k:
                who = _weighted_sample(rng, year_bearers, year_w, k)
                pid = ids(year, "JL", k)
                base = {
                    "project_id": pid,
                    "uscc": ent.uscc[who],
                    "name": ent.name[who],
                    "title": _titles(rng, ent.sector[who]),
                    "programme": "郑州市科学技术进步奖",
                    "kind": "奖励",
                    "level": "市级",
                    "year": year,
                }
                frames.append(
                    _frame(
                        {
                            **base,
                            "stage": "推荐",
                            "date": _random_days(rng, k, f"{year}-06-01", f"{year}-06-30"),
                        }
                    )
                )
                frames.append(
                    _frame(
                        {
                            **base,
                            "stage": np.where(rng.random(k) < 0.7, "获奖", "未通过"),
                            "date": _random_days(rng, k, f"{year}-11-20", f"{year}-12-20"),
                        }
                    )
                )
        out = _stack(frames, "projects")
        return out.sort_values(["date", "project_id", "stage"], kind="stable").reset_index(
            drop=True
        )

    # ---- platforms ----------------------------------------------------------------------------

    def platforms(self) -> pd.DataFrame:
        """Platforms approved since the late 1990s; new approvals and revocations every year.

        The history runs from the profile's first year (2021) or the window's, whichever is
        earlier, to the window's end, so that a shorter or longer window keeps the same
        stocks. The stock before it is approved over earlier years (by hosts that existed
        by then); each year revokes some platforms at least two years old (evaluation
        failed) and approves new ones.
        """
        rng, ent = self.rng, self.ent
        hosts = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
        host_w = ent.size[hosts] * (0.3 + ent.tech[hosts])
        types = {
            "国家级": ("工程技术研究中心",),
            "省级": ("工程技术研究中心", "企业技术中心", "重点实验室", "新型研发机构"),
            "市级": ("工程技术研究中心", "企业技术中心", "重点实验室", "新型研发机构"),
        }
        prefix = {"国家级": "国家", "省级": "河南省", "市级": "郑州市"}
        anchor = self.profile.years("platforms.national_new")[
            0
        ]  # the stock0 series is the end of anchor-1
        first = min(self.years[0], anchor)
        parts = []
        for level, key in (("国家级", "national"), ("省级", "provincial"), ("市级", "municipal")):
            who_all, names_all, kinds_all = [], [], []
            approved_all: list[np.ndarray] = []
            revoked = np.array([], dtype="datetime64[D]")
            history = range(first, self.years[-1] + 1)
            # the stock before the history, so that the stock at the end of anchor-1 is the profile's
            net = sum(
                self.profile.count(f"platforms.{key}_new", y)
                - self.profile.count(f"platforms.{key}_revoked", y)
                for y in range(first, anchor)
            )
            stock0 = max(self.profile.count(f"platforms.{key}_stock0", anchor - 1) - net, 0)
            steps = [(first - 1, stock0)] + [
                (y, self.profile.count(f"platforms.{key}_new", y)) for y in history
            ]
            for year, k in steps:
                backlog = year < first
                approved = (
                    np.concatenate(approved_all)
                    if approved_all
                    else np.array([], dtype="datetime64[D]")
                )
                if not backlog:
                    n_rev = self.profile.count(f"platforms.{key}_revoked", year)
                    old = np.flatnonzero(
                        np.isnat(revoked) & (approved < np.datetime64(f"{year - 2}-01-01"))
                    )
                    gone = rng.choice(old, size=min(n_rev, len(old)), replace=False)
                    revoked[gone] = _random_days(rng, len(gone), f"{year}-03-01", f"{year}-11-30")
                if k == 0:
                    continue
                cutoff = f"{year - 3}-01-01" if backlog else f"{year - 1}-01-01"
                ok = ent.established_before(cutoff)[hosts]
                who = _weighted_sample(rng, hosts[ok], host_w[ok], k)
                if len(who) < k:  # tiny districts: a host may carry two platforms
                    who = np.concatenate([who, rng.choice(hosts[ok], size=k - len(who))])
                kinds = _pick_strings(rng, types[level], k)
                if backlog:
                    # earlier approvals, more of them recent, never before the host was two years old
                    start = np.maximum(
                        np.datetime64("1998-01-01" if level == "国家级" else "2003-01-01"),
                        ent.established[who] + np.timedelta64(730, "D"),
                    )
                    span = (np.datetime64(f"{year}-12-20") - start).astype(int)
                    when = start + (np.sqrt(rng.random(k)) * span).astype(int).astype(
                        "timedelta64[D]"
                    )
                else:
                    when = _random_days(rng, k, f"{year}-06-01", f"{year}-12-20")
                names = _concat(prefix[level], _platform_fields(rng, ent.sector[who]), kinds)
                centre = kinds == "企业技术中心"
                names[centre] = _concat(
                    f"{prefix[level]}企业技术中心（", ent.name[who[centre]], "）"
                )
                if self.spec.id == "shangjie":  # the bulletin's public facts
                    chalco = self._public("chalco_ri")
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
                            who[j], kinds[j] = self._public(body), "企业技术中心"
                            names[j] = f"河南省企业技术中心（{ent.name[who[j]]}）"
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
                _frame(
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
        out = _stack(parts, "platforms")
        out = out.sort_values(["approved", "level", "name"], kind="stable").reset_index(drop=True)
        out["platform_id"] = _ids(f"{self.spec.code}-PT", 0, len(out), 5)
        return out

    # ---- activities, participants, talent ---------------------------------------------------

    def activities(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, ent = self.rng, self.ent
        acts, parts = [], []
        private_all = np.flatnonzero(
            (ent.ownership == "民营") & np.isin(ent.group, ["ind", "tech"])
        )
        universities = (
            "哈尔滨工业大学郑州研究院",
            "北京理工大学郑州研究院",
            "郑州大学",
            "河南工业大学",
            "郑州轻工业大学",
            "中原工学院",
            "河南科技大学",
        )
        banks = (
            "中国银行",
            "中国建设银行",
            "中国工商银行",
            "中国农业银行",
            "中原银行",
            "郑州银行",
            "邮储银行",
            "交通银行",
        )
        trainings = (
            "技术合同登记员专项培训",
            "高新技术企业认定申报培训",
            "研发费用加计扣除政策培训",
            "研发投入统计填报培训",
            "科技型企业评价培训",
        )
        seq = 0
        for year in self.years:
            alive = ent.established_before(f"{year}-01-01")
            private = private_all[alive[private_all]]
            everyone = np.flatnonzero(alive)
            for kind in (
                "专家考察",
                "技术需求对接会",
                "银企对接",
                "政银企座谈会",
                "培训",
                "上门服务",
                "政策宣讲",
            ):
                k = self.profile.count(f"act.{kind}", year)
                if k == 0:
                    continue
                ids = _ids(f"{self.spec.code}-{year}-HD", seq, k, 4)
                seq += k
                months = rng.choice(np.arange(1, 13), size=k, p=_MONTH_WEIGHTS)
                dates = np.sort(_month_days(rng, year, months))
                outcomes = np.zeros(k, dtype=np.int64)
                partners = np.full(k, None, dtype=object)
                if kind == "技术需求对接会":
                    m = self.profile.count("act.matchmaking_private", year)
                    firms = _weighted_sample(rng, private, 0.3 + ent.tech[private], m)
                    # each private firm attends one meeting, some a second one (distinct count stays m)
                    home = rng.integers(0, k, size=m)
                    home[: min(k, m)] = np.arange(min(k, m))
                    extra = (
                        np.flatnonzero(rng.random(m) < 0.2)
                        if k > 1
                        else np.array([], dtype=np.int64)
                    )
                    away = (
                        (home[extra] + 1 + rng.integers(0, k - 1, size=len(extra))) % k
                        if k > 1
                        else home[extra]
                    )
                    att_act = np.concatenate([home, away])
                    att_firm = np.concatenate([firms, firms[extra]])
                    # a state-owned firm sometimes joins too; it does not count among the private ones
                    others = everyone[ent.ownership[everyone] == "国有"]
                    if len(others):
                        g = rng.choice(
                            others, size=max(1, k // 2), replace=len(others) < max(1, k // 2)
                        )
                        att_act = np.concatenate([att_act, rng.integers(0, k, size=len(g))])
                        att_firm = np.concatenate([att_firm, g])
                    landed = self.profile.count("act.demands_landed", year)
                    np.add.at(outcomes, rng.integers(0, k, size=landed), 1)
                    partners = _pick_strings(rng, universities, k)
                    if (
                        year == 2025 and self.spec.id == "shangjie"
                    ):  # the two institutes the bulletin names
                        partners[: min(k, 2)] = list(universities[:2])[: min(k, 2)]
                    titles = _concat("赴", partners, "技术需求对接会")
                elif kind == "专家考察":
                    att_act = np.arange(k)
                    att_firm = _weighted_sample(
                        rng, everyone, (ent.size * (0.3 + ent.tech))[everyone], k
                    )
                    partners = _pick_strings(
                        rng, ("中国工程院", "中国科学院", "河南省科学院", "郑州大学"), k
                    )
                    if (
                        year == 2025 and self.spec.id == "shangjie"
                    ):  # the visit the bulletin reports
                        att_firm[0] = self._public("quanshui")
                        partners[0] = "中国工程院;俄罗斯自然科学院"
                    titles = _concat("院士专家团队赴", ent.name[att_firm], "实地考察")
                else:
                    sizes = (
                        rng.integers(3, 13, size=k)
                        if kind != "上门服务"
                        else np.ones(k, dtype=np.int64)
                    )
                    att_act = np.repeat(np.arange(k), sizes)
                    att_firm = (
                        np.concatenate(
                            [
                                _weighted_sample(rng, everyone, 0.2 + ent.tech[everyone], s)
                                for s in sizes
                            ]
                        )
                        if k <= 200
                        else rng.choice(everyone, int(sizes.sum()))
                    )
                    if kind == "上门服务" and year == 2025 and self.spec.id == "shangjie":
                        att_firm[0] = self._public("chalco_ri")
                    if kind in ("银企对接", "政银企座谈会"):
                        first_bank = rng.integers(0, len(banks), size=k)
                        second_bank = (
                            first_bank + 1 + rng.integers(0, len(banks) - 1, size=k)
                        ) % len(banks)
                        names = np.asarray(banks, dtype=object)
                        partners = _concat(names[first_bank], ";", names[second_bank])
                        title = (
                            "科技型企业银企对接会"
                            if kind == "银企对接"
                            else "政银企座谈会暨科技金融政策解读"
                        )
                        titles = np.full(k, title, dtype=object)
                    elif kind == "培训":
                        titles = _pick_strings(rng, trainings, k)
                    elif kind == "上门服务":
                        titles = _concat(ent.name[att_firm], "“一对一”上门服务")
                    else:
                        titles = _pick_strings(
                            rng,
                            (
                                "科技惠企政策宣讲会",
                                "科技创新政策进企业宣讲",
                                "研发费用加计扣除政策宣讲",
                            ),
                            k,
                        )
                acts.append(
                    _frame(
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
        activities = _stack(acts, "activities").sort_values(["date", "activity_id"], kind="stable")
        participants = _stack(parts, "activity_participants").sort_values(
            ["activity_id", "uscc"], kind="stable"
        )
        return activities.reset_index(drop=True), participants.reset_index(drop=True)

    def talent(self) -> pd.DataFrame:
        rng, ent = self.rng, self.ent
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
        for year in self.years:
            alive = ent.established_before(f"{year}-01-01")[firms]
            for kind, ent_key, extra_key in (
                ("科技副总选聘", "talent.vp_enterprises", "talent.vp_extra_rows"),
                ("人才需求", "talent.demand_enterprises", "talent.demand_extra_rows"),
            ):
                k = self.profile.count(ent_key, year)
                if k == 0:
                    continue
                who = _weighted_sample(rng, firms[alive], w[alive], k)
                if kind == "科技副总选聘" and year == 2025 and self.spec.id == "shangjie":
                    who = self._with_forced(
                        who, [self._public(b) for b in ("tianma", "longfeng", "xueshan")], k
                    )
                extra = min(self.profile.count(extra_key, year), k)
                rows = np.concatenate([who, who[rng.permutation(k)[:extra]]])
                r = len(rows)
                frames.append(
                    _frame(
                        {
                            "record_id": _ids(f"{self.spec.code}-{year}-RC", seq, r, 4),
                            "uscc": ent.uscc[rows],
                            "kind": kind,
                            "date": np.sort(_random_days(rng, r, f"{year}-03-01", f"{year}-11-30")),
                            # a 科技副总 placement is usually one expert; a demand lists 1–9 posts
                            "headcount": (
                                np.where(rng.random(r) < 0.85, 1, 2)
                                if kind == "科技副总选聘"
                                else rng.integers(1, 10, size=r)
                            ),
                            "field": _pick_strings(rng, fields, r),
                        }
                    )
                )
                seq += r
        return (
            _stack(frames, "talent")
            .sort_values(["date", "record_id"], kind="stable")
            .reset_index(drop=True)
        )

    # ---- technology contracts ------------------------------------------------------------------

    def tech_contracts(self) -> pd.DataFrame:
        rng, ent = self.rng, self.ent
        sellers = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
        # a persistent Zipf-like propensity to register contracts
        pull = (
            (0.2 + ent.tech[sellers])
            * ent.size[sellers] ** 0.7
            * np.exp(rng.normal(0, 0.8, size=len(sellers)))
        )
        chalco = self._public("chalco_ri")
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
        for year in self.years:
            k = self.profile.count("contracts.count", year)
            alive = np.flatnonzero(ent.established_before(f"{year}-01-01")[sellers])
            active = sellers[
                _weighted_sample(rng, alive, pull[alive], max(1, int(len(alive) * 0.35)))
            ]
            active_w = pull[np.searchsorted(sellers, active)]
            who = active[rng.choice(len(active), size=k, p=active_w / active_w.sum())]
            if chalco is not None and k > 5:
                who[: max(2, k // 25)] = chalco  # the institute registers contracts every year
            kind = types[rng.choice(5, size=k, p=[0.55, 0.30, 0.07, 0.05, 0.03])]
            amount = np.exp(rng.normal(np.log(40), 1.25, size=k)) * np.where(
                kind == "技术开发", 1.8, 1.0
            )
            amount = _scale_to_total(
                amount, np.ones(k, dtype=bool), self.profile.value("contracts.amount", year)
            )
            by_seller = pd.Series(amount).groupby(who).sum().to_numpy()
            if by_seller.size >= 3 and np.sort(by_seller)[-2:].sum() > 0.6 * by_seller.sum():
                amount = np.sqrt(amount)
                amount = _scale_to_total(
                    amount, np.ones(k, dtype=bool), self.profile.value("contracts.amount", year)
                )
            amount = np.maximum(np.round(amount, 2), 0.5)
            share = np.select(
                [kind == "技术开发", kind == "技术服务"],
                [rng.uniform(0.6, 1.0, size=k), rng.uniform(0.75, 1.0, size=k)],
                1.0,
            )
            region = regions[rng.choice(5, size=k, p=[0.12, 0.28, 0.30, 0.28, 0.02])]
            months = rng.choice(np.arange(1, 13), size=k, p=_CONTRACT_MONTHS)
            frames.append(
                _frame(
                    {
                        "registered": _month_days(rng, year, months),
                        "seller_uscc": ent.uscc[who],
                        "buyer": _buyer_names(rng, region, ent.name),
                        "buyer_region": region,
                        "type": kind,
                        "amount": amount,
                        "tech_amount": np.round(amount * share, 2),
                        "field": _choose_by_key(
                            rng, ent.sector[who], fields_by_sector, ("先进制造",)
                        ),
                    }
                )
            )
        out = _stack(frames, "tech_contracts").sort_values(
            ["registered", "seller_uscc"], kind="stable"
        )
        out = out.reset_index(drop=True)
        year_of = pd.Series(out["registered"].dt.year.astype(str).to_numpy(), dtype="object")
        seqno = out.groupby(year_of.to_numpy()).cumcount().add(1).astype(str).str.zfill(6)
        # 登记号: year + the district's division code + a running number
        out["contract_id"] = (year_of + self.spec.code + seqno.to_numpy()).to_numpy(dtype=object)
        return out

    # ---- achievements ----------------------------------------------------------------------------

    def achievements(self) -> pd.DataFrame:
        rng, ent = self.rng, self.ent
        firms = np.flatnonzero(np.isin(ent.group, ["ind", "tech"]))
        w = ent.size[firms] * (0.3 + ent.tech[firms])
        frames = []
        seq = 0
        for year in self.years:
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
                k = self.profile.count(key, year)
                if k == 0:
                    continue
                who = _weighted_sample(rng, firms[alive], w[alive], k)
                if kind == "转移转化补助" and year == 2025 and self.spec.id == "shangjie":
                    who = self._with_forced(
                        who, [self._public("chalco_ri"), self._public("huahui")], k
                    )
                ids = _ids(f"{self.spec.code}-{year}-CG", seq, k, 4)
                seq += k
                titles = _titles(rng, ent.sector[who])
                requested = (
                    _amounts(rng, k, 20, 100) if kind == "转移转化补助" else np.full(k, np.nan)
                )
                going = np.ones(k, dtype=bool)
                for step, (stage, lo, hi) in enumerate(chain):
                    final = step == len(chain) - 1
                    if final and kind == "转移转化补助" and year == self.years[-1]:
                        break  # this year's subsidies are not paid yet when the year's data close
                    idx = np.flatnonzero(going)
                    dates = _random_days(rng, len(idx), f"{year}-{lo}", f"{year}-{hi}")
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
                        _frame(
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
        out = _stack(frames, "achievements")
        return out.sort_values(["date", "record_id"], kind="stable").reset_index(drop=True)

    # ---- financing -------------------------------------------------------------------------------

    def financing(
        self, activities: pd.DataFrame, participants: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Loans and requests; most follow a bank-enterprise meeting, whose outcome count they raise."""
        rng, ent = self.rng, self.ent
        firms = np.flatnonzero(np.isin(ent.group, ["ind", "tech", "serv"]))
        w = np.sqrt(ent.size[firms]) * (0.3 + ent.tech[firms])
        products = np.array(["郑科贷", "知识产权质押融资", "科技信贷", "其他"], dtype=object)
        banks = np.array(
            [
                "中国银行",
                "中国建设银行",
                "中国工商银行",
                "中国农业银行",
                "中原银行",
                "郑州银行",
                "邮储银行",
                "交通银行",
            ],
            dtype=object,
        )
        meetings = activities[activities["type"].isin(["银企对接", "政银企座谈会"])]
        frames = []
        for year in self.years:
            k = self.profile.count("finance.rows", year)
            alive = ent.established_before(f"{year}-01-01")[firms]
            who = firms[alive][rng.choice(int(alive.sum()), size=k, p=w[alive] / w[alive].sum())]
            product = products[rng.choice(4, size=k, p=[0.35, 0.2, 0.35, 0.1])]
            resolved = np.exp(rng.normal(np.log(600), 0.9, size=k))
            unresolved = rng.random(k) < 0.15
            resolved[unresolved] = 0.0
            resolved = _scale_to_total(
                resolved, np.ones(k, dtype=bool), self.profile.value("finance.resolved", year)
            )
            resolved = _cap_top_two(resolved, np.ones(k, dtype=bool), 0.5)
            resolved = _scale_to_total(
                resolved, np.ones(k, dtype=bool), self.profile.value("finance.resolved", year)
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
            dates = _random_days(rng, k, f"{year}-01-05", f"{year}-12-28")
            if len(ms):
                pick = rng.integers(0, len(ms), size=k)
                act[linked] = ms["activity_id"].to_numpy()[pick[linked]]
                follow = ms["date"].to_numpy().astype("datetime64[D]")[pick] + rng.integers(
                    10, 80, size=k
                ).astype("timedelta64[D]")
                dates = np.where(linked, np.minimum(follow, np.datetime64(f"{year}-12-30")), dates)
            frames.append(
                _frame(
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
            _stack(frames, "financing")
            .sort_values(["date", "uscc"], kind="stable")
            .reset_index(drop=True)
        )
        year_of = pd.Series(out["date"].dt.year.astype(str).to_numpy(), dtype="object")
        seqno = out.groupby(year_of.to_numpy()).cumcount().add(1).astype(str).str.zfill(5)
        out["record_id"] = (self.spec.code + "-" + year_of + "-JR" + seqno.to_numpy()).to_numpy(
            dtype=object
        )
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
        return out, activities, participants

    # ---- targets ------------------------------------------------------------------------------------

    def targets(self) -> pd.DataFrame:
        """The bureau's yearly plan for a few headline indicators (round numbers near the outturn)."""
        rng = self.rng
        rows = []
        for year in self.years:
            plan = {
                "tech_sme.recommended": self.profile.value("tsme.recommended", year)
                * rng.uniform(1.0, 1.25),
                "hnte.applied": self.profile.value("hnte.applied", year) * rng.uniform(0.9, 1.1),
                "rd.expenditure": self.profile.value("rd.total", year) * rng.uniform(0.95, 1.05),
                "rd.coverage_industrial": 100
                * self.profile.value("survey.industrial_rd", year)
                / max(self.profile.value("survey.规上工业", year), 1)
                + rng.uniform(-2, 3),
                "contracts.amount": self.profile.value("contracts.amount", year)
                * rng.uniform(0.9, 1.05),
                "finance.resolved": self.profile.value("finance.resolved", year)
                * rng.uniform(0.85, 1.05),
            }
            for indicator, value in plan.items():
                if indicator == "rd.coverage_industrial":
                    text = f"{int(round(value))}%"
                elif indicator in ("rd.expenditure", "contracts.amount", "finance.resolved"):
                    text = (
                        str(int(round(value / 500.0) * 500))
                        if value > 2000
                        else str(int(round(value)))
                    )
                else:
                    text = str(max(1, int(round(value))))
                rows.append({"year": year, "indicator": indicator, "target": text})
        return pd.DataFrame(rows)

    # ---- all together ------------------------------------------------------------------------------

    def build(self) -> dict[str, pd.DataFrame]:
        classes = self.above_scale()
        ent = self.ent
        last_class = classes[self.years[-1]]
        self.tables["enterprises"] = _frame(
            {
                "uscc": ent.uscc,
                "name": ent.name,
                "town": ent.town,
                "industry_code": ent.industry_code,
                "sector": ent.sector,
                "above_scale": last_class,
                "ownership": ent.ownership,
                "established": ent.established,
            }
        )
        self.tables["certifications"] = self.certifications()
        self.tables["rd_survey"] = self.rd_survey(classes)
        self.tables["projects"] = self.projects(self.tables["rd_survey"])
        self.tables["platforms"] = self.platforms()
        activities, participants = self.activities()
        self.tables["talent"] = self.talent()
        self.tables["tech_contracts"] = self.tech_contracts()
        self.tables["achievements"] = self.achievements()
        financing, activities, participants = self.financing(activities, participants)
        self.tables["activities"] = activities
        self.tables["activity_participants"] = participants
        self.tables["financing"] = financing
        self.tables["targets"] = self.targets()
        return {tid: _conform(tid, self.tables[tid]) for tid in TABLES}


_MONTH_WEIGHTS = np.array([0.04, 0.05, 0.10, 0.10, 0.10, 0.10, 0.08, 0.07, 0.10, 0.09, 0.09, 0.08])
_CONTRACT_MONTHS = np.array(
    [0.04, 0.04, 0.07, 0.07, 0.08, 0.10, 0.07, 0.07, 0.09, 0.09, 0.11, 0.17]
)


def _scale_to_total(values: np.ndarray, mask: np.ndarray, total: float) -> np.ndarray:
    """``values`` multiplied so that those under ``mask`` sum to ``total`` (others unchanged)."""
    current = values[mask].sum()
    if current <= 0:
        return values
    out = values.astype(float).copy()
    out[mask] *= total / current
    return out


def _cap_top_two(values: np.ndarray, mask: np.ndarray, limit: float) -> np.ndarray:
    """Flatten the top of a heavy tail until the two largest make up at most ``limit`` of the total.

    Keeps the ranking (a power transform), so that a district's published totals pass the
    (2, 85) dominance rule with room to spare while the largest firms still dominate.
    """
    out = values.astype(float).copy()
    sub = out[mask]
    for _ in range(20):
        if sub.size < 3 or sub.sum() <= 0 or np.sort(sub)[-2:].sum() <= limit * sub.sum():
            break
        sub = np.where(sub > 0, sub**0.85, 0.0)
    out[mask] = sub
    return out


def _choose_by_key(
    rng: np.random.Generator,
    keys: np.ndarray,
    options: dict[str, tuple[str, ...]],
    default: tuple[str, ...],
) -> np.ndarray:
    """For each key, one of ``options[key]`` (``default`` for unknown keys), drawn uniformly; vectorised."""
    labels = list(options)
    lists = [options[k] for k in labels] + [default]
    flat = np.array([w for ws in lists for w in ws], dtype=object)
    lens = np.array([len(ws) for ws in lists])
    offsets = np.concatenate([[0], np.cumsum(lens)[:-1]])
    idx = (
        pd.Series(keys, dtype="object")
        .map({k: i for i, k in enumerate(labels)})
        .fillna(len(labels))
    )
    idx = idx.to_numpy(dtype=np.int64)
    return flat[offsets[idx] + rng.integers(0, 1 << 30, size=len(keys)) % lens[idx]]


def _ids(prefix: str, start: int, k: int, width: int) -> np.ndarray:
    """Sequential identifiers ``<prefix><start+1 … start+k, zero-padded>``."""
    numbers = pd.Series(np.arange(start + 1, start + k + 1)).astype(str).str.zfill(width)
    return np.array(prefix + numbers, dtype=object)


def _amounts(rng: np.random.Generator, k: int, lo: float, hi: float) -> np.ndarray:
    """Amounts in 万元 between ``lo`` and ``hi``, rounded to whole 万元 as grants are."""
    return np.round(np.exp(rng.uniform(np.log(lo), np.log(hi), size=k)))


_TITLE_OBJECTS = {
    "铝及新材料": (
        "高性能铝合金板带材",
        "高纯氧化铝",
        "铝基复合材料",
        "电解铝节能槽",
        "赤泥综合利用",
        "超硬材料刀具",
        "铝灰资源化",
        "再生铝保级利用",
        "高强耐蚀铝合金型材",
        "陶瓷基复合材料",
    ),
    "装备制造": (
        "矿用液压支架",
        "智能输送装备",
        "大型减速机",
        "高端数控机床主轴",
        "工业机器人关节",
        "环保除尘装备",
        "智能巡检机器人",
        "精密测量仪器",
    ),
    "通用航空": (
        "通用航空器复合材料构件",
        "无人机飞控系统",
        "航空发动机叶片修复",
        "机场运行保障系统",
    ),
    "电子信息": ("工业互联网平台", "智能制造执行系统", "功率半导体器件", "机器视觉检测系统"),
    "生物医药": ("缓释制剂", "体外诊断试剂", "生物酶制剂"),
}
_TITLE_VERBS = (
    "关键技术研究",
    "研发及产业化",
    "制备技术开发与应用",
    "工艺优化与示范应用",
    "关键技术攻关",
    "智能化升级研究",
)


def _titles(rng: np.random.Generator, sectors: np.ndarray) -> np.ndarray:
    """Project and achievement titles that read like real ones, from the bearer's sector."""
    picks = _choose_by_key(
        rng, sectors, _TITLE_OBJECTS, ("工业固废资源化利用", "节能降碳", "智能检测", "新材料应用")
    )
    return _concat(picks, _pick_strings(rng, _TITLE_VERBS, len(sectors)))


def _platform_fields(rng: np.random.Generator, sectors: np.ndarray) -> np.ndarray:
    fields = {
        "铝及新材料": ("铝基新材料", "高纯氧化铝", "超硬材料", "铝合金精深加工", "耐火材料"),
        "装备制造": ("智能装备", "矿山装备", "液压传动", "精密制造"),
        "通用航空": ("通用航空装备", "航空复合材料"),
        "电子信息": ("工业软件", "智能感知"),
        "生物医药": ("生物制剂",),
        "科技服务": ("检验检测", "工程设计", "节能环保"),
    }
    return _choose_by_key(rng, sectors, fields, ("先进制造",))


_BUYER_PLACES = {
    "市内": ("郑州", "郑州", "巩义", "荥阳", "新郑", "登封"),
    "省内": ("洛阳", "新乡", "焦作", "许昌", "平顶山", "安阳", "南阳", "三门峡", "开封", "济源"),
    "省外": (
        "北京",
        "上海",
        "江苏",
        "山东",
        "广东",
        "山西",
        "陕西",
        "湖北",
        "内蒙古",
        "广西",
        "贵州",
        "天津",
    ),
}
_BUYER_WORDS = (
    "铝业",
    "新材料",
    "重工",
    "电力",
    "机械",
    "冶金",
    "化工",
    "能源",
    "建设",
    "科技",
    "矿业",
    "电气",
)
_FOREIGN_BUYERS = (
    "PT Borneo Alumina Prima",
    "Vietnam Aluminium Industry JSC",
    "Kazakhstan Metals LLP",
    "Guinea Bauxite Resources SA",
    "Emirates Alloy Trading LLC",
)


def _buyer_names(
    rng: np.random.Generator, region: np.ndarray, district_names: np.ndarray
) -> np.ndarray:
    """Buyers by region: district firms inside the district, fictional firms elsewhere."""
    k = len(region)
    chars = np.array(list(_BRAND_CHARS), dtype=object)
    brand = chars[rng.integers(0, len(chars), size=k)] + chars[rng.integers(0, len(chars), size=k)]
    word = _pick_strings(rng, _BUYER_WORDS, k)
    out = np.empty(k, dtype=object)
    for r, places in _BUYER_PLACES.items():
        sel = region == r
        out[sel] = _concat(
            _pick_strings(rng, places, int(sel.sum())), brand[sel], word[sel], "有限公司"
        )
    sel = region == "区内"
    out[sel] = district_names[rng.integers(0, len(district_names), size=int(sel.sum()))]
    sel = region == "境外"
    out[sel] = _pick_strings(rng, _FOREIGN_BUYERS, int(sel.sum()))
    return out


def _conform(table_id: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with exactly the declared columns of the table, in order, with plain dtypes."""
    decl = TABLES[table_id]
    out = {}
    for col in decl.columns:
        s = (
            df[col.id]
            if col.id in df.columns
            else pd.Series([None] * len(df), index=df.index, dtype="object")
        )
        if col.type == DATE:
            s = pd.to_datetime(s).astype("datetime64[s]")
        elif col.type == MONEY:
            s = pd.to_numeric(s).astype("float64").round(4)
        elif col.type in (INT, YEAR):
            s = pd.to_numeric(s).astype("Int64")
        elif col.type == BOOL:
            s = s.astype("boolean")
        else:
            s = s.astype("object").where(s.notna(), None).astype("str")
        out[col.id] = s
    return pd.DataFrame(out).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Writing the package
# --------------------------------------------------------------------------------------


def _csv_frame(table_id: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as a clerk's CSV shows it: Chinese headers, ISO dates, 是/否."""
    decl = TABLES[table_id]
    out = {}
    for col in decl.columns:
        s = df[col.id]
        if col.type == DATE:
            s = s.dt.strftime("%Y-%m-%d")
        elif col.type == BOOL:
            s = s.map({True: "是", False: "否"}).astype("object")
        out[col.header] = s
    return pd.DataFrame(out)


def _district_yaml(spec: _DistrictSpec) -> dict:
    return {
        "code": spec.code,
        "name": spec.name,
        "name_en": spec.name_en,
        "city": "郑州市",
        "province": "河南省",
        "towns": list(spec.towns),
        "currency_unit": "万元",
        "population": dict(zip(spec.towns, spec.population)),
    }


def generate(
    out_dir: str | Path,
    district: str = "shangjie",
    years: list[int] | tuple[int, ...] = DEFAULT_YEARS,
    scale: float = 1.0,
    seed: int | None = None,
    fmt: str | None = None,
) -> Path:
    """Write a synthetic package into ``out_dir`` and return that folder.

    ``district``: ``shangjie`` (the calibrated sample) or another district of 郑州市 as
    ``NAME[:CODE]``. ``years``: the years whose annual tables get rows (certificates and
    platforms also get the earlier history their stocks need). ``scale`` multiplies
    every population. ``seed``: default derived from the district, so that the default
    call reproduces ``data/shangjie`` byte for byte. ``fmt``: ``csv`` (files named by the
    tables' Chinese names, Chinese headers) or ``parquet`` (files named by table id, id
    headers); default csv up to scale 10, parquet above.
    """
    spec = _district_spec(district)
    years = sorted({int(y) for y in years})
    if not years:
        raise UsageError("至少需要一个年份", "at least one year is needed")
    if scale <= 0:
        raise UsageError("--scale 须为正数", "--scale must be positive")
    fmt = fmt or ("parquet" if scale > 10 else "csv")
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"不支持的格式：{fmt}", f"unsupported format: {fmt} (csv or parquet)")
    seed = _default_seed(spec.id) if seed is None else int(seed)
    tables = _Generator(spec, years, scale, seed).build()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for table_id, df in tables.items():
        decl = TABLES[table_id]
        for stale in (out / f"{decl.zh}.csv", out / f"{table_id}.parquet"):
            stale.unlink(missing_ok=True)
        if fmt == "csv":
            _csv_frame(table_id, df).to_csv(
                out / f"{decl.zh}.csv", index=False, encoding="utf-8", lineterminator="\n"
            )
        else:
            df.to_parquet(out / f"{table_id}.parquet", index=False)
    header = (
        f"# Synthetic package generated by `innolib synth` (district {spec.id}, seed {seed}, "
        f"scale {scale:g}, years {years[0]}–{years[-1]}). Not real data.\n"
    )
    text = yaml.safe_dump(_district_yaml(spec), allow_unicode=True, sort_keys=False, width=120)
    (out / "district.yaml").write_text(header + text, encoding="utf-8")
    return out
