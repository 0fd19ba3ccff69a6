"""The composite innovation index over units, by the European Innovation Scoreboard's method.

Units are the towns (镇街) of one district, or the districts of several packages. Inputs
are scaled per capita or per 100 enterprises (``scale_inputs``), min–max normalised over
all units and years, averaged with the weights of ``innolib/registry/index.yaml``, and
grouped relative to the average (``composite_index``); ``index_sensitivity`` drops one
indicator at a time.

Disclosure decision: a money input from a confidential table (``rd_survey``,
``tech_contracts``, ``financing``) is a cell of a per-unit table whose total (the
district's figure) is published in the bulletin. Each such cell goes through
``innolib.disclosure`` (minimum frequency, (2, 85) dominance, and — for towns, whose
cells add up to the published district total — secondary suppression). A cell that may
not be published is shown as ``—`` in the inputs table, and it is **not used by the
circulated index either**: the index and the other (published) inputs would let a reader
work the hidden value back (the index is a known linear function of the normalised
inputs). Such a unit's index is the mean over its remaining indicators (EIS practice for
missing data), and the min–max bounds are taken over publishable cells only. The full
index (``circulated=False``) uses every cell and is marked internal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from innolib.comparisons.common import num, spec_text
from innolib.errors import UsageError
from innolib.package import Package
from innolib.periods import Period
from innolib.present.facts import indicator_name as present_name


@dataclass(frozen=True)
class IndexSpec:
    """The index's indicator list and weights, scaling and performance groups (``index.yaml``)."""

    indicators: tuple[tuple[str, float], ...]
    groups: tuple[dict[str, Any], ...]
    per_capita: float = 10000.0
    per_enterprises: float = 100.0
    name_zh: str = "综合创新指数"
    name_en: str = "Composite innovation index"

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.indicators)


def load_index_spec(path: str | Path | None = None) -> IndexSpec:
    """The index declaration (``innolib/registry/index.yaml`` unless ``path``), checked."""
    text = Path(path).read_text(encoding="utf-8") if path else spec_text("index.yaml")
    doc = yaml.safe_load(text)
    where = str(path or "innolib/registry/index.yaml")
    inds = []
    for entry in doc.get("indicators", []):
        w = entry.get("weight", 1)
        if not isinstance(w, (int, float)) or w < 0:
            raise UsageError(
                f"{where}：指标{entry.get('id')}的权重须为非负数",
                f"{where}: weight of {entry.get('id')} must be >= 0",
            )
        inds.append((str(entry["id"]), float(w)))
    if not inds or not any(w > 0 for _, w in inds):
        raise UsageError(
            f"{where}：至少需要一个权重大于0的指标", f"{where}: needs an indicator with weight > 0"
        )
    return IndexSpec(
        tuple(inds),
        tuple(doc["groups"]),
        float(doc.get("per_capita", 10000)),
        float(doc.get("per_enterprises", 100)),
        doc.get("name_zh", "综合创新指数"),
        doc.get("name_en", "Composite innovation index"),
    )


def unit_denominators(packages: Package | Sequence[Package], period: Period) -> pd.DataFrame:
    """Size of each unit on the period's end: DataFrame[unit, population, enterprises].

    One package: its towns (``district.yaml`` population per town, NaN where not given;
    enterprises of the town established by the period's end, or undated). Several
    packages: one row per district (population the sum over its towns when every town
    has one).
    """
    pkgs = [packages] if isinstance(packages, Package) else list(packages)
    rows = []
    for pkg in pkgs:
        ent = pkg["enterprises"]
        end = pd.Timestamp(period.clip(pkg.district.cutoff).end)
        alive = ent[(ent["established"].isna() | (ent["established"] <= end)).to_numpy()]
        if len(pkgs) == 1:
            counts = alive.groupby("town").size()
            for town in pkg.district.towns:
                pop = pkg.district.population.get(town)
                rows.append(
                    {
                        "unit": town,
                        "population": float(pop) if pop else math.nan,
                        "enterprises": int(counts.get(town, 0)),
                    }
                )
        else:
            pops = [pkg.district.population.get(t) for t in pkg.district.towns]
            total = float(sum(pops)) if pops and all(pops) else math.nan
            rows.append({"unit": pkg.district.name, "population": total, "enterprises": len(alive)})
    return pd.DataFrame(rows, columns=["unit", "population", "enterprises"])


def scale_inputs(
    raw: pd.DataFrame, denominators: pd.DataFrame, spec: IndexSpec | None = None
) -> pd.DataFrame:
    """``raw`` inputs scaled by unit size: adds ``value`` and ``basis``.

    ``raw``: [unit, period, indicator, raw, unit_of_measure, …]; ``denominators``:
    [unit, period, population, enterprises]. Rates (``%``) are kept as they are; counts and
    money are per ``spec.per_capita`` residents when every unit has a population, else per
    ``spec.per_enterprises`` enterprises (a unit without enterprises gets NaN).
    """
    spec = spec or load_index_spec()
    den = denominators.drop_duplicates(["unit", "period"])[
        ["unit", "period", "population", "enterprises"]
    ]
    den = den.rename(columns={"population": "_population", "enterprises": "_firms"})
    per_capita = bool(den["_population"].notna().all() and (den["_population"] > 0).all())
    out = raw.merge(den, on=["unit", "period"], how="left")
    rate = out["unit_of_measure"] == "%"
    if per_capita:
        size, basis = (
            out["_population"] / spec.per_capita,
            f"每{_count_zh(spec.per_capita)}常住人口",
        )
    else:
        size, basis = (
            out["_firms"].where(out["_firms"] > 0) / spec.per_enterprises,
            f"每{_count_zh(spec.per_enterprises)}家企业",
        )
    out["value"] = np.where(
        rate, out["raw"].astype(float), out["raw"].astype(float) / size.astype(float)
    )
    out["basis"] = np.where(rate, "比率", basis)
    return out.drop(columns=["_population", "_firms"])


def _count_zh(n: float) -> str:
    n = int(n)
    return {100: "百", 1000: "千", 10000: "万", 100000: "十万"}.get(n, str(n))


def index_periods(period: Period, years: int = 5) -> list[Period]:
    """The same period over the last ``years`` years, oldest first (``2025Q3`` → 2021Q3 … 2025Q3).

    The index normalises over all of them, so a unit's trend is on one scale.
    """
    return period.recent(years)


def index_inputs(
    packages: Package | Sequence[Package], periods: Iterable[Period], spec: IndexSpec | None = None
) -> pd.DataFrame:
    """The index's inputs for every unit and period: one row per (unit, period, indicator).

    Units: the towns of one package, or the districts of several. Columns: ``unit``,
    ``period``, ``indicator``, ``raw`` (the indicator for the unit, in its unit),
    ``unit_of_measure``, ``value`` (scaled, see ``scale_inputs``), ``basis``,
    ``enterprises`` (behind a money value), ``publishable`` and ``reason`` (disclosure
    control of money cells from confidential tables; counts and rates are always
    publishable). Uses ``innolib.indicators`` (breakdown by town, contributions).
    """
    from innolib.registry import indicator_def

    spec = spec or load_index_spec()
    pkgs = [packages] if isinstance(packages, Package) else list(packages)
    towns_mode = len(pkgs) == 1
    rows, dens = [], []
    for period in periods:
        den = unit_denominators(pkgs, period)
        dens.append(den.assign(period=period.label))
        for ind, _ in spec.indicators:
            d = indicator_def(ind)
            money_conf = d.is_money and d.confidential
            for pkg in pkgs:
                if towns_mode:
                    cells = _town_cells(pkg, ind, period, money_conf)
                else:
                    cells = {pkg.district.name: _district_cell(pkg, ind, period, money_conf)}
                for unit, cell in cells.items():
                    rows.append(
                        {
                            "unit": unit,
                            "period": period.label,
                            "indicator": ind,
                            "raw": cell["raw"] if cell["raw"] is not None else math.nan,
                            "unit_of_measure": d.unit,
                            "enterprises": cell.get("enterprises"),
                            "publishable": cell.get("publishable", True),
                            "reason": cell.get("reason", ""),
                        }
                    )
    raw = pd.DataFrame(rows, columns=list(_INPUT_COLUMNS))
    out = scale_inputs(raw, pd.concat(dens, ignore_index=True), spec)
    out.attrs["units"] = "towns" if towns_mode else "districts"
    out.attrs["scope_zh"] = "全区" if towns_mode else "全市"
    # the indicators are named for the districts' city (one city: its programmes)
    cities = {p.district.city for p in pkgs}
    out.attrs["district"] = pkgs[0].district if len(cities) == 1 else None
    return out


_INPUT_COLUMNS = (
    "unit",
    "period",
    "indicator",
    "raw",
    "unit_of_measure",
    "enterprises",
    "publishable",
    "reason",
)


def _town_cells(
    pkg: Package, ind: str, period: Period, money_conf: bool
) -> dict[str, dict[str, Any]]:
    """Indicator ``ind`` per town of one package; confidential money cells through disclosure control."""
    from innolib import disclosure
    from innolib.indicators import breakdown, contributions

    cells: dict[str, dict[str, Any]] = {}
    b = breakdown(pkg, ind, period, by="town")
    for _, r in b[b["town"].isin(pkg.district.towns)].iterrows():
        cells[r["town"]] = {"raw": num(r["value"]), "enterprises": num(r["enterprises"])}
    if money_conf and b.attrs.get("status") == "ok":
        contrib = contributions(pkg, ind, period)
        table = disclosure.protect_table(
            contrib, by="town", total=True, categories={"town": list(pkg.district.towns)}
        )
        verdict = table.cells.set_index("town")
        for town, cell in cells.items():
            known = town in verdict.index
            cell.update(
                publishable=known and verdict.loc[town, "status"] == "published",
                reason=verdict.loc[town, "reason"] if known else "",
            )
    return cells


def _district_cell(pkg: Package, ind: str, period: Period, money_conf: bool) -> dict[str, Any]:
    """Indicator ``ind`` for a whole district; a confidential money cell is published only
    when the bulletin may publish it (``circulation.withheld``: its own primary rules, and
    the year's family, so a part-year cell withheld as a complement stays withheld here)."""
    from innolib import disclosure
    from innolib.circulation import withheld
    from innolib.indicators import compute_indicator, contributions

    v = compute_indicator(pkg, ind, period)
    cell = {"raw": num(v.value) if v.status == "ok" else None, "enterprises": None}
    if money_conf and cell["raw"] is not None:
        contrib = contributions(pkg, ind, period)
        ok, reason = disclosure.cell_is_safe(contrib["value"])
        if ok and withheld(pkg, ind, period) is not None:
            ok, reason = False, disclosure.SECONDARY
        cell.update(publishable=ok, reason=reason, enterprises=len(contrib))
    return cell


def index_inputs_table(
    inputs: pd.DataFrame, period: str | None = None, *, circulated: bool = True
) -> pd.DataFrame:
    """The inputs as they may be shown: one row per indicator (its Chinese name and scaling
    basis), one column per unit, scaled values, unsafe cells as ``—``."""
    from innolib.present.markers import NO_DATA, SUPPRESSED, marker
    from innolib.present.numbers import format_number

    period = period or inputs["period"].iloc[-1]
    part = inputs[inputs["period"] == period]
    shown = [
        marker(SUPPRESSED)
        if circulated and not ok
        else (format_number(v, 2, fixed=True) if not math.isnan(v) else marker(NO_DATA))
        for v, ok in zip(part["value"], part["publishable"])
    ]
    wide = part.assign(shown=shown).pivot(index="unit", columns="indicator", values="shown")
    order = list(dict.fromkeys(part["indicator"]))
    basis = dict(zip(part["indicator"], part["basis"]))
    district = inputs.attrs.get("district")
    wide = wide[order].rename(columns=lambda i: f"{indicator_name(i, district)}（{basis[i]}）")
    # indicators down, units across: the long indicator names stay on one line
    tall = wide.T.rename_axis(index="指标（计算基础）", columns=None)
    tall.attrs["internal"] = not circulated
    return tall


def indicator_name(indicator_id: str, district: Any = None) -> str:
    """The registry's Chinese name of an indicator for ``district`` (its city's programme
    names; generic without one); the id itself when the registry lacks it."""
    from innolib.registry import indicator_def

    try:
        return present_name(indicator_def(indicator_id), district)
    except UsageError:
        return indicator_id


def index_table(result: IndexResult, period: str | None = None) -> pd.DataFrame:
    """The scores of one period (default: the last) as shown: 排名, 单位, 综合指数 (0–1, to
    0.001), 相对平均水平 (% of the units' mean, to 0.1), 绩效分组, 纳入指标数. The two figures
    are table cells written by the presentation layer (one rounding, half up, every decimal
    written so that the column lines up; 无数据 without one)."""
    from innolib.present.markers import NO_DATA, marker
    from innolib.present.numbers import format_number

    def shown(values: pd.Series, decimals: int) -> list[str]:
        return [
            marker(NO_DATA) if pd.isna(v) else format_number(v, decimals, fixed=True)
            for v in values
        ]

    period = period or result.periods[-1]
    s = result.scores[result.scores["period"] == period]
    return pd.DataFrame(
        {
            "排名": s["rank"].to_numpy(),
            "单位": s["unit"].to_numpy(),
            "综合指数": shown(s["index"], 3),
            "相对平均水平（%）": shown(s["relative"], 1),
            "绩效分组": s["group_zh"].to_numpy(),
            "纳入指标数": s["indicators_used"].to_numpy(),
        }
    )


def sensitivity_table(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """``index_sensitivity``'s frame as shown: one column per unit; rows 排名, one row per
    dropped indicator (去掉…: the rank shift, + falls back) and 最大变动."""
    district = sensitivity.attrs.get("district")
    names = {c: f"去掉{indicator_name(c, district)}" for c in sensitivity.columns}
    names.update({"rank": "排名", "max_shift": "最大变动"})
    # units across, the dropped indicators down: the long names stay on one line
    tall = sensitivity.set_index("unit").rename(columns=names).T
    return tall.rename_axis(index=None, columns=None)


@dataclass
class IndexResult:
    """The composite index: ``scores`` [period, unit, index, relative, group, group_zh, rank,
    indicators_used] sorted by period, rank, unit; ``normalised`` [unit, period, indicator,
    value, normalised, used]; ``bounds`` [indicator, min, max]; ``notes`` for footnotes."""

    scores: pd.DataFrame
    normalised: pd.DataFrame
    bounds: pd.DataFrame
    spec: IndexSpec
    circulated: bool
    periods: list[str]
    notes: list[str] = field(default_factory=list)
    scope_zh: str = "全区"
    weights: dict[str, float] = field(default_factory=dict)
    district: Any = None  # whose programme names the indicators carry (index_inputs)

    def latest(self) -> pd.DataFrame:
        """The scores of the last period."""
        return self.scores[self.scores["period"] == self.periods[-1]].reset_index(drop=True)


def _group(relative: float, groups: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    if relative is None or math.isnan(relative):
        return None
    r = round(relative, 9)  # 100.0000000001 from float sums is 100
    for g in groups:
        above = g.get("above")
        if above is None or r > above or (g.get("inclusive") and r == above):
            return g
    return None


def _scores(
    norm: pd.DataFrame,
    weights: Mapping[str, float],
    groups: Sequence[dict[str, Any]],
    periods: Sequence[str],
) -> pd.DataFrame:
    """Weighted mean of the usable normalised scores per (unit, period), relative, group, rank."""
    use = norm[norm["used"] & norm["indicator"].map(lambda i: weights.get(i, 0) > 0)].copy()
    use["w"] = use["indicator"].map(weights).astype(float)
    use["wx"] = use["w"] * use["normalised"]
    g = use.groupby(["period", "unit"], sort=False)
    out = pd.DataFrame(
        {"wx": g["wx"].sum(), "w": g["w"].sum(), "indicators_used": g.size()}
    ).reset_index()
    all_units = norm[["period", "unit"]].drop_duplicates()
    out = all_units.merge(out, on=["period", "unit"], how="left")
    out["index"] = out["wx"] / out["w"]
    out["indicators_used"] = out["indicators_used"].fillna(0).astype(int)
    mean = out.groupby("period")["index"].transform("mean")
    out["relative"] = 100.0 * out["index"] / mean.where(mean > 0)
    chosen = [_group(r, groups) for r in out["relative"]]
    out["group"] = [c["id"] if c else None for c in chosen]
    out["group_zh"] = [c["name_zh"] if c else None for c in chosen]
    out["rank"] = out.groupby("period")["index"].rank(ascending=False, method="min").astype("Int64")
    out["_p"] = out["period"].map({p: i for i, p in enumerate(periods)})
    out = out.sort_values(["_p", "rank", "unit"], kind="stable", na_position="last").reset_index(
        drop=True
    )
    return out[
        ["period", "unit", "index", "relative", "group", "group_zh", "rank", "indicators_used"]
    ]


def composite_index(
    inputs: pd.DataFrame,
    spec: IndexSpec | None = None,
    *,
    circulated: bool = True,
    weights: Mapping[str, float] | None = None,
) -> IndexResult:
    """The composite innovation index of every unit and period (EIS method).

    ``inputs``: [unit, period, indicator, value, publishable] (``index_inputs``, or a
    hand-built frame). Each indicator is min–max normalised over all units and periods
    — over publishable cells only when ``circulated`` — to [0, 1]; an indicator with the
    same value everywhere carries no information and is left out (noted). A unit's index
    is the weighted mean of its usable normalised scores (``weights`` overrides the
    spec's); ``relative`` = index ÷ the mean index of the units in that period × 100;
    group: leaders > 125%, strong 100–125%, moderate 70–100%, emerging < 70% (thresholds
    from ``index.yaml``); rank 1 = highest, ties share the better rank.
    """
    spec = spec or load_index_spec()
    weights = dict(weights) if weights is not None else spec.weights
    periods = sorted(set(inputs["period"]))  # labels of one kind sort in time order
    data = inputs[inputs["indicator"].isin(weights)].copy()
    publishable = data["publishable"].fillna(True).astype(bool) if "publishable" in data else True
    data["used"] = data["value"].notna() & (publishable if circulated else True)
    usable = data[data["used"]]
    bounds = usable.groupby("indicator")["value"].agg(["min", "max"]).reindex(list(weights))
    notes = []
    constant = bounds.index[(bounds["max"] - bounds["min"]).fillna(0) <= 0].tolist()
    for ind in constant:
        notes.append(f"指标{ind}在各单位、各年份取值相同或无数据，未纳入指数")
    data = data.merge(bounds, left_on="indicator", right_index=True, how="left")
    span = (data["max"] - data["min"]).where(~data["indicator"].isin(constant))
    data["normalised"] = ((data["value"] - data["min"]) / span).where(data["used"])
    data["used"] = data["used"] & data["normalised"].notna()
    if circulated and not bool(np.all(publishable)):
        notes.append("涉及保密的金额指标中不宜公布的单元格未纳入指数，相关单位按其余指标计算")
    norm = data[["unit", "period", "indicator", "value", "normalised", "used"]].reset_index(
        drop=True
    )
    scores = _scores(norm, weights, spec.groups, periods)
    result = IndexResult(
        scores,
        norm,
        bounds.rename_axis("indicator").reset_index(),
        spec,
        circulated,
        periods,
        notes,
        inputs.attrs.get("scope_zh", "全区"),
        weights,
        inputs.attrs.get("district"),
    )
    scores.attrs["internal"] = not circulated
    return result


def index_sensitivity(result: IndexResult, period: str | None = None) -> pd.DataFrame:
    """How far each unit's rank moves when one indicator is dropped (weights of the rest kept).

    One row per unit of ``period`` (default: the last): ``rank`` with every indicator, a
    column per indicator with the rank shift when it is dropped (positive = falls back),
    and ``max_shift`` (largest absolute shift). Normalisation is not redone: dropping an
    indicator changes only the mean.
    """
    period = period or result.periods[-1]
    norm_all = result.normalised
    present = set(
        norm_all.loc[norm_all["used"], "indicator"]
    )  # constant or empty indicators carry nothing
    weights = {
        k: v for k, v in (result.weights or result.spec.weights).items() if v > 0 and k in present
    }
    norm = result.normalised[result.normalised["period"] == period]
    base = _scores(norm, weights, result.spec.groups, [period]).set_index("unit")["rank"]
    out = pd.DataFrame({"unit": base.index, "rank": base.to_numpy()}).set_index("unit")
    for ind in weights:
        rest = {k: v for k, v in weights.items() if k != ind}
        if not rest:
            continue
        ranks = _scores(norm, rest, result.spec.groups, [period]).set_index("unit")["rank"]
        out[ind] = (ranks.reindex(out.index) - out["rank"]).astype("Int64")
    shifts = out.drop(columns="rank")
    out["max_shift"] = shifts.abs().max(axis=1).astype("Int64") if not shifts.empty else 0
    out = out.reset_index().sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)
    out.attrs["district"] = result.district
    return out
