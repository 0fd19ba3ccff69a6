"""The profile: how many of each thing happen in each year, for a district at a scale.

The numbers are data (``profiles.yaml`` beside this module: the districts of 郑州市 and the
calibrated series of 上街区); this module reads them and derives other districts and scales.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from innolib.errors import UsageError

PROFILES_FILE = Path(__file__).with_name("profiles.yaml")

#: enterprise groups, in the order of a district's ``mix``
GROUPS = ("ind", "tech", "trade", "cons", "serv", "re")
#: the 四上 class (R&D census) each group's larger firms belong to
GROUP_CLASS = {
    "ind": "规上工业",
    "tech": "规上服务业",
    "trade": "限上批零住餐",
    "cons": "资质内建筑业",
    "serv": "规上服务业",
    "re": "房地产开发",
}


CITY, PROVINCE = "郑州市", "河南省"
"""Where the generator's districts lie (their district.yaml ``city`` and ``province``)."""


@dataclass(frozen=True)
class DistrictSpec:
    """What the generator needs to know about a district besides the profile. Every
    district the generator knows lies in ``CITY`` of ``PROVINCE`` (district.yaml)."""

    id: str
    code: str
    name: str
    name_en: str
    towns: tuple[str, ...]
    town_weights: tuple[float, ...]
    population: tuple[int, ...]
    size: float  # population size relative to shangjie
    # enterprise mix by GROUPS: industrial, tech services, trade, construction, other services, real estate
    mix: tuple[float, ...]


@cache
def _profiles() -> dict:
    """``profiles.yaml``, read once."""
    return yaml.safe_load(PROFILES_FILE.read_text(encoding="utf-8"))


@cache
def districts() -> dict[str, DistrictSpec]:
    """The districts the generator knows, by id (``profiles.yaml`` ``districts``)."""
    return {
        key: DistrictSpec(
            key,
            str(entry["code"]),
            entry["name"],
            entry["name_en"],
            tuple(entry["towns"]),
            tuple(float(t["weight"]) for t in entry["towns"].values()),
            tuple(int(t["population"]) for t in entry["towns"].values()),
            float(entry["size"]),
            tuple(float(m) for m in entry["mix"]),
        )
        for key, entry in _profiles()["districts"].items()
    }


def calibrated_series() -> dict[str, dict[int, float]]:
    """The calibrated yearly series of 上街区 (``profiles.yaml`` ``profile``), key → year → value."""
    return _profiles()["profile"]


def district_spec(text: str) -> DistrictSpec:
    """The district for ``--district NAME[:CODE]`` (an id like ``jinshui`` or a name like 金水区)."""
    name, _, code = text.partition(":")
    name, code = name.strip(), code.strip()
    known_districts = districts()
    key = {d.name: d.id for d in known_districts.values()}.get(name, name.lower())
    if key in known_districts:
        spec = known_districts[key]
        if code and code != spec.code:
            raise UsageError(
                f"{spec.name}的行政区划代码是{spec.code}，不是{code}",
                f"{spec.id} has division code {spec.code}, not {code}",
            )
        return spec
    if not (code.isdigit() and len(code) == 6):
        known = ", ".join(known_districts)
        raise UsageError(
            f"未知区县“{name}”：请写成 名称:6位代码（已知：{known}）",
            f"unknown district {name!r}: give NAME:CODE with a 6-digit division code (known: {known})",
        )
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    n_towns = 4 + digest % 4
    district_id = name if name.isascii() else f"d{code}"
    zh = name if not name.isascii() else f"{name}区"
    generic = _profiles()["generic"]
    return DistrictSpec(
        district_id,
        code,
        zh,
        f"{name.title()} District" if name.isascii() else "",
        tuple(generic["towns"][:n_towns]),
        tuple([1.0 / n_towns] * n_towns),
        tuple([int(generic["town_population"])] * n_towns),
        0.6 + (digest % 150) / 100,
        tuple(float(m) for m in generic["mix"]),
    )


def default_seed(district_id: str) -> int:
    """The seed a district gets when none is given (so the default call is reproducible)."""
    return int(hashlib.sha256(f"innolib-synth:{district_id}".encode()).hexdigest()[:8], 16)


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


class Profile:
    """Counts and totals per year for one district at one scale.

    shangjie at scale 1 returns the calibrated series exactly; other scales multiply its
    populations. Another district multiplies them by its size, by its sector mix (the
    survey's classes), and by a per-series level, trend and year-to-year noise of its
    own, so that districts differ in shape and growth, not only in size. Years outside
    a series are extrapolated from its nearest year at 7% a year.
    """

    def __init__(self, spec: DistrictSpec, scale: float, rng: np.random.Generator) -> None:
        self.factor = scale * spec.size
        self.calibrated = spec.id == "shangjie"
        self._mult: dict[str, dict[int, float]] = {}
        self._class: dict[str, float] = {}
        if self.calibrated:
            return
        years = np.arange(1990, 2041)
        for key in sorted(calibrated_series()):  # fixed order: deterministic for a seed
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
        base_mix = dict(zip(GROUPS, districts()["shangjie"].mix))
        mix = dict(zip(GROUPS, spec.mix))
        for cls in ("规上工业", "资质内建筑业", "限上批零住餐", "规上服务业", "房地产开发"):
            groups = [g for g, c in GROUP_CLASS.items() if c == cls]
            self._class[f"survey.{cls}"] = sum(mix[g] for g in groups) / sum(
                base_mix[g] for g in groups
            )
        self._class["survey.industrial_rd"] = self._class["survey.规上工业"]

    def value(self, key: str, year: int) -> float:
        series = calibrated_series()[key]
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
        base = calibrated_series()[key].get(year, 1)
        n = int(np.floor(raw + 0.5))
        return max(n, 1) if base > 0 and raw > 0.3 else n

    def rate(self, key: str, year: int) -> float:
        return float(self.value(key, year))

    def years(self, key: str) -> list[int]:
        return sorted(calibrated_series()[key])
