"""Comparisons with published statistics, and a composite innovation index over units.

A bulletin says how much; leaders ask "is that good?". Two answers live here:

1. ``compare`` / ``comparisons``: the district's figures against the city's, province's
   and nation's published statistics (``data/reference/``, see ``innolib.reference``):
   shares (占全市的…%), levels of the same rate (percentage points) and growth rates.
   What to compare is declared in ``innolib/registry/comparisons.yaml``. Every row names
   both sources in its footnote; when the reference lacks the period's year, the latest
   earlier year is used and the footnote says so (``郑州市为2024年数据``); pairs whose
   definitions differ are shown as "not comparable", never computed.
2. ``composite_index``: an index over the towns (镇街) of one district, or the districts
   of several packages, by the European Innovation Scoreboard's method (inputs scaled per
   capita or per 100 enterprises, min–max normalised over all units and years, weighted
   mean, performance groups relative to the average), with ``index_sensitivity`` (drop
   one indicator at a time) and disclosure control of the money inputs.

Guide for ``notebooks/04_comparisons.ipynb`` (one call per cell; ``data`` may be a list)::

    from innolib import comparisons as cmp
    packages = [il.load_package(d, lenient=lenient) for d in (data if isinstance(data, list) else [data])]
    p = il.parse_period(period)
    reference = cmp.load_reference()                            # validated published statistics
    table = cmp.comparisons(packages[0], p, reference)          # one row per comparison × scope
    cmp.comparison_table(table)                                 # display: Chinese headers, footnotes
    inputs = cmp.index_inputs(packages, cmp.index_periods(p, years=5))  # same period, 5 years
    result = cmp.composite_index(inputs)                        # circulated: unsafe cells left out
    result.latest()                                             # index, group, rank per unit
    cmp.index_inputs_table(inputs)                              # inputs, suppressed cells as —
    cmp.index_sensitivity(result)                               # rank shift when one indicator is dropped
    cmp.comparison_narrative(table, result, district=packages[0].district, period=p)

Disclosure decision (index): a money input from a confidential table (``rd_survey``,
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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
import yaml

from innolib.errors import DataError, UsageError
from innolib.package import District, Package
from innolib.periods import Period, parse_period
from innolib.reference import STATUS_ZH, load_reference, to_unit
from innolib.tables import TABLES

__all__ = [
    "IndexResult",
    "IndexSpec",
    "compare",
    "comparison_narrative",
    "comparison_table",
    "comparisons",
    "composite_index",
    "index_inputs",
    "index_inputs_table",
    "index_periods",
    "index_sensitivity",
    "load_comparison_spec",
    "load_index_spec",
    "load_reference",
    "scale_inputs",
    "unit_denominators",
]

NATION = "全国"
_SCOPE_ZH = {"city": "市", "province": "省", "nation": "全国"}
_CN_DIGITS = "零一二三四五六七八九十"
_SCOPE_WORD = {"city": "全市", "province": "全省", "nation": "全国"}


# =========================================================================== comparisons


@dataclass(frozen=True)
class ComparisonDef:
    """One declared comparison (an entry of ``comparisons.yaml``)."""

    id: str
    kind: str
    indicator: str
    reference: str
    label_zh: str
    scopes: tuple[str, ...]
    caveat: str = ""
    reason: str = ""
    label_en: str = ""  # English label (narrative); default: the indicator's English name


_KINDS = ("share", "level", "growth", "not_comparable")


@cache
def _spec_text(name: str) -> str:
    return resources.files("innolib").joinpath(f"registry/{name}").read_text(encoding="utf-8")


def load_comparison_spec() -> list[ComparisonDef]:
    """The declared comparisons, checked (kind, scopes, a reason for every not-comparable pair)."""
    doc = yaml.safe_load(_spec_text("comparisons.yaml"))
    out = []
    for entry in doc.get("comparisons", []):
        d = ComparisonDef(
            id=entry["id"],
            kind=entry["kind"],
            indicator=entry["indicator"],
            reference=entry["reference"],
            label_zh=entry.get("label_zh", entry["reference"]),
            scopes=tuple(entry.get("scopes", ())),
            caveat=entry.get("caveat", ""),
            reason=entry.get("reason", ""),
            label_en=entry.get("label_en", ""),
        )
        if (
            d.kind not in _KINDS
            or not set(d.scopes) <= set(_SCOPE_ZH)
            or (d.kind == "not_comparable" and not d.reason)
        ):
            raise UsageError(
                f"comparisons.yaml中的比较{d.id}定义有误",
                f"comparison {d.id} in comparisons.yaml is malformed",
            )
        out.append(d)
    return out


@dataclass(frozen=True)
class _DistrictValue:
    value: float | None
    previous: float | None
    unit: str | None
    kind: str | None
    status: str


def _district_value(values: Any, indicator_id: str) -> _DistrictValue:
    """One indicator out of an ``IndicatorSet``, a mapping of ``IndicatorValue``-likes, numbers or (value, previous)."""
    mapping = getattr(values, "values", values)
    if callable(mapping):  # a plain dict's .values method
        mapping = values
    item = mapping.get(indicator_id) if hasattr(mapping, "get") else None
    if item is None:
        return _DistrictValue(None, None, None, None, "no_data")
    if isinstance(item, tuple):
        value, previous = item
        return _DistrictValue(
            _num(value), _num(previous), None, None, "ok" if _num(value) is not None else "no_data"
        )
    if isinstance(item, (int, float, np.number)):
        return _DistrictValue(float(item), None, None, None, "ok")
    status = getattr(item, "status", "ok")
    value = _num(getattr(item, "value", None))
    return _DistrictValue(
        value if status == "ok" else None,
        _num(getattr(item, "previous", None)),
        getattr(item, "unit", None),
        getattr(item, "kind", None),
        status if value is not None or status != "ok" else "no_data",
    )


def _num(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _indicator_meta(indicator_id: str) -> tuple[str | None, str | None, tuple[str, ...], str]:
    """(unit, kind, source tables, Chinese name) from the indicator registry, when it knows the id."""
    try:
        from innolib.registry import indicator_def

        d = indicator_def(indicator_id)
    except (ImportError, UsageError):
        return None, None, (), indicator_id
    return d.unit, d.kind, tuple(d.sources), d.name_zh


def _indicator_name_en(indicator_id: str) -> str:
    """The registry's English name of an indicator, first letter lower-cased (it goes mid-sentence)."""
    try:
        from innolib.registry import indicator_def

        name = indicator_def(indicator_id).name_en
    except (ImportError, UsageError):
        return indicator_id
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _scope(district: District, scope: str) -> tuple[str, set[str]]:
    """The display name of a scope and the spellings the reference may use for it."""
    if scope == "nation":
        return NATION, {NATION, "中国"}
    name = district.city if scope == "city" else district.province
    return name, {name, name.removesuffix("市").removesuffix("省")}


def _ref_rows(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> pd.DataFrame:
    mask = (
        reference["scope"].isin(aliases)
        & (reference["indicator"] == indicator)
        & (reference["year"] <= year)
        & reference["status"].isin(statuses)
    )
    return reference[mask].sort_values("year")


def _latest(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> pd.Series | None:
    rows = _ref_rows(reference, aliases, indicator, year, statuses)
    return None if rows.empty else rows.iloc[-1]


def _reference_growth(
    reference: pd.DataFrame, aliases: set[str], indicator: str, year: int, statuses: Sequence[str]
) -> dict[str, Any] | None:
    """The latest growth rate of a reference indicator up to ``year``: published, else from two levels.

    A published ``<indicator>增长率`` row wins for its year; otherwise the growth is
    computed from the levels of two consecutive years (status ``derived``).
    """
    published = _ref_rows(reference, aliases, indicator + "增长率", year, statuses)
    levels = _ref_rows(reference, aliases, indicator, year, statuses).set_index("year")
    candidates: dict[int, dict[str, Any]] = {}
    for y, row in levels.iterrows():
        if y - 1 in levels.index and levels.loc[y - 1, "value"]:
            prev = levels.loc[y - 1]
            sources = list(dict.fromkeys([prev["source"], row["source"]]))
            candidates[int(y)] = {
                "value": 100.0 * (row["value"] / prev["value"] - 1),
                "year": int(y),
                "unit": "%",
                "status": "derived",
                "source": "；".join(sources),
                "note": f"由{y - 1}年{prev['value']:g}{prev['unit']}、{y}年{row['value']:g}{row['unit']}计算",
            }
    for _, row in published.iterrows():
        candidates[int(row["year"])] = {
            "value": float(row["value"]),
            "year": int(row["year"]),
            "unit": "%",
            "status": row["status"],
            "source": row["source"],
            "note": row["note"],
        }
    if not candidates:
        return None
    return candidates[max(candidates)]


def _district_source(district: District, sources: tuple[str, ...]) -> str:
    names = "、".join(TABLES[t].zh for t in sources if t in TABLES) or "台账"
    return f"{district.name}科技局{names}"


def _status_text(status: str, note: str) -> str:
    text = STATUS_ZH.get(status, status)
    return f"{text}：{note}" if note and status != "published" else text


def _growth(v: _DistrictValue) -> float | None:
    if v.value is None or not v.previous:
        return None
    return 100.0 * (v.value / v.previous - 1)


def compare(
    district: District,
    period: Period,
    values: Any,
    reference: pd.DataFrame | None = None,
    *,
    spec: Sequence[ComparisonDef] | None = None,
    allow_forecast: bool = False,
) -> pd.DataFrame:
    """The district's indicators against published statistics: one row per comparison × scope.

    ``values``: the district's ``IndicatorSet`` for ``period`` (or a mapping id →
    ``IndicatorValue``-like / number / (value, previous)). ``reference`` defaults to
    ``load_reference()``. Forecasts are skipped unless ``allow_forecast``.

    Columns: ``comparison``, ``label``, ``kind``, ``scope`` (city/province/nation),
    ``scope_name`` (郑州市), ``district_value`` and ``district_unit`` (for ``growth``:
    the district's growth in %), ``reference_value`` and ``reference_unit`` (converted to
    the district's unit where the kinds match: 亿元 → 万元), ``reference_year``,
    ``reference_status``, ``result`` and ``result_unit`` (``%`` for a share, ``pp`` for a
    level or growth difference), ``label_en`` (for the English narrative), ``status`` (``ok``, ``not_comparable``,
    ``no_reference``, ``no_data``) and ``footnote`` (both sources; the reference's year
    when it is not the period's; the reason when not comparable).
    """
    reference = load_reference() if reference is None else reference
    spec = load_comparison_spec() if spec is None else spec
    statuses = ("published", "preliminary", "derived") + (("forecast",) if allow_forecast else ())
    year = period.year
    rows = []
    for c in spec:
        dv = _district_value(values, c.indicator)
        reg_unit, reg_kind, sources, _ = _indicator_meta(c.indicator)
        label_en = c.label_en or _indicator_name_en(c.indicator)
        unit, kind = dv.unit or reg_unit, dv.kind or reg_kind
        district_text = f"本区：{_district_source(district, sources)}，{period.label}"
        for scope in c.scopes:
            scope_name, aliases = _scope(district, scope)
            row = {
                "comparison": c.id,
                "label": c.label_zh,
                "kind": c.kind,
                "scope": scope,
                "scope_name": scope_name,
                "district_value": dv.value,
                "district_unit": unit,
                "reference_value": math.nan,
                "reference_unit": None,
                "reference_year": pd.NA,
                "reference_status": None,
                "result": math.nan,
                "result_unit": None,
                "status": "ok",
                "footnote": "",
                "label_en": label_en,
            }
            if c.kind == "growth":
                ref = _reference_growth(reference, aliases, c.reference, year, statuses)
                row["district_value"], row["district_unit"] = _growth(dv), "%"
            else:
                r = _latest(reference, aliases, c.reference, year, statuses)
                ref = None if r is None else r.to_dict()
            if ref is None:
                row["status"] = "no_reference"
                row["footnote"] = f"{scope_name}无可用的“{c.reference}”公开数据（{year}年及以前）"
                rows.append(row)
                continue
            ref_year = int(ref["year"])
            row.update(
                reference_year=ref_year,
                reference_status=ref["status"],
                reference_value=float(ref["value"]),
                reference_unit=ref["unit"],
            )
            parts = [
                district_text,
                f"{scope_name}：{ref['source']}（{ref_year}年，{_status_text(ref['status'], ref['note'])}）",
            ]
            if ref_year != year:
                parts.append(f"{scope_name}为{ref_year}年数据")
            part_year_flow = (not period.is_full_year or period.clipped) and kind in (
                "flow",
                "annual",
            )
            if c.kind == "not_comparable" or (part_year_flow and c.kind in ("share", "growth")):
                row["status"] = "not_comparable"
                parts.append(
                    c.reason
                    if c.kind == "not_comparable"
                    else f"本区为{period.wording()}数据，参照为全年数据，不可比"
                )
            elif row["district_value"] is None:
                row["status"] = "no_data"
                parts.append("本区无数据")
            else:
                row.update(_result(c, row, unit))
            if c.caveat:
                parts.append(c.caveat)
            row["footnote"] = "；".join(parts) + "。"
            rows.append(row)
    cols = [
        "comparison",
        "label",
        "kind",
        "scope",
        "scope_name",
        "district_value",
        "district_unit",
        "reference_value",
        "reference_unit",
        "reference_year",
        "reference_status",
        "result",
        "result_unit",
        "status",
        "footnote",
        "label_en",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["reference_year"] = df["reference_year"].astype("Int64")
    df["district_value"] = df["district_value"].astype(float)
    df.attrs.update(
        {
            "title": f"{district.name}{period.label}主要指标与上级比较",
            "district": district.name,
            "period": period.label,
            "internal": False,
        }
    )
    return df


def _result(c: ComparisonDef, row: dict[str, Any], unit: str | None) -> dict[str, Any]:
    """The share (%) or difference (pp) of one comparison row, the reference converted to the district's unit."""
    if c.kind == "growth":
        return {"result": row["district_value"] - row["reference_value"], "result_unit": "pp"}
    try:
        ref_value = to_unit(
            row["reference_value"], row["reference_unit"], unit or row["reference_unit"]
        )
    except ValueError:
        raise DataError(
            f"参照指标“{c.reference}”的单位{row['reference_unit']}无法换算为本区指标{c.indicator}的单位{unit}",
            f"reference indicator '{c.reference}' in {row['reference_unit']} cannot be converted to the unit "
            f"{unit} of {c.indicator}",
        ) from None
    out = {"reference_value": ref_value, "reference_unit": unit or row["reference_unit"]}
    if c.kind == "share":
        out.update(
            result=100.0 * row["district_value"] / ref_value if ref_value else math.nan,
            result_unit="%",
        )
    else:  # level: same rate
        out.update(result=row["district_value"] - ref_value, result_unit="pp")
    return out


def comparisons(
    package: Package, period: Period, reference: pd.DataFrame | None = None, **kwargs: Any
) -> pd.DataFrame:
    """``compare`` for a package: computes the indicators the comparisons need, then compares."""
    from innolib.indicators import compute_indicators

    ids = sorted({c.indicator for c in load_comparison_spec()})
    values = compute_indicators(package, period, ids=ids)
    return compare(package.district, values.period, values, reference, **kwargs)


def comparison_table(table: pd.DataFrame) -> pd.DataFrame:
    """A display frame of ``compare``'s result: Chinese headers, rounded numbers, status in words."""
    status_zh = {
        "ok": "可比",
        "not_comparable": "不可比",
        "no_reference": "无参照数据",
        "no_data": "本区无数据",
    }
    result = [
        f"{r:.2f}{'%' if u == '%' else '个百分点'}"
        if isinstance(r, float) and not math.isnan(r)
        else "—"
        for r, u in zip(table["result"], table["result_unit"])
    ]
    return pd.DataFrame(
        {
            "比较项": table["label"],
            "参照范围": table["scope_name"],
            "本区": table["district_value"].round(2),
            "本区单位": table["district_unit"],
            "参照值": table["reference_value"].round(2),
            "参照单位": table["reference_unit"],
            "参照年份": table["reference_year"],
            "结果": result,
            "状态": table["status"].map(status_zh),
            "注": table["footnote"],
        }
    )


# =========================================================================== composite index


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
    text = Path(path).read_text(encoding="utf-8") if path else _spec_text("index.yaml")
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
    return [parse_period(f"{period.year - k}{period.label[4:]}") for k in range(years - 1, -1, -1)]


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
    from innolib import disclosure
    from innolib.indicators import breakdown, compute_indicator, contributions
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
                cells: dict[str, dict[str, Any]] = {}
                if towns_mode:
                    b = breakdown(pkg, ind, period, by="town")
                    for _, r in b[b["town"].isin(pkg.district.towns)].iterrows():
                        cells[r["town"]] = {
                            "raw": _num(r["value"]),
                            "enterprises": _num(r["enterprises"]),
                        }
                    if money_conf and b.attrs.get("status") == "ok":
                        contrib = contributions(pkg, ind, period)
                        table = disclosure.protect_table(
                            contrib,
                            by="town",
                            total=True,
                            categories={"town": list(pkg.district.towns)},
                        )
                        verdict = table.cells.set_index("town")
                        for town, cell in cells.items():
                            ok = (
                                town in verdict.index and verdict.loc[town, "status"] == "published"
                            )
                            cell.update(
                                publishable=ok,
                                reason=verdict.loc[town, "reason"] if town in verdict.index else "",
                            )
                else:
                    v = compute_indicator(pkg, ind, period)
                    cell = {"raw": _num(v.value) if v.status == "ok" else None, "enterprises": None}
                    if money_conf and cell["raw"] is not None:
                        contrib = contributions(pkg, ind, period)
                        ok, reason = disclosure.cell_is_safe(contrib["value"])
                        cell.update(publishable=ok, reason=reason, enterprises=len(contrib))
                    cells[pkg.district.name] = cell
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
    raw = pd.DataFrame(
        rows,
        columns=[
            "unit",
            "period",
            "indicator",
            "raw",
            "unit_of_measure",
            "enterprises",
            "publishable",
            "reason",
        ],
    )
    out = scale_inputs(raw, pd.concat(dens, ignore_index=True), spec)
    out.attrs["units"] = "towns" if towns_mode else "districts"
    out.attrs["scope_zh"] = "全区" if towns_mode else "全市"
    return out


def index_inputs_table(
    inputs: pd.DataFrame, period: str | None = None, *, circulated: bool = True
) -> pd.DataFrame:
    """The inputs as they may be shown: unit × indicator (scaled values), unsafe cells as ``—``."""
    from innolib.disclosure import SUPPRESSED

    period = period or inputs["period"].iloc[-1]
    part = inputs[inputs["period"] == period]
    shown = [
        SUPPRESSED if circulated and not ok else (f"{v:.2f}" if not math.isnan(v) else "无数据")
        for v, ok in zip(part["value"], part["publishable"])
    ]
    wide = part.assign(shown=shown).pivot(index="unit", columns="indicator", values="shown")
    order = list(dict.fromkeys(part["indicator"]))
    wide = wide[order]
    wide.attrs["internal"] = not circulated
    return wide


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
    return out.reset_index().sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)


# =========================================================================== narrative


def _ordinal(n: int) -> str:
    if 1 <= n <= 10:
        return _CN_DIGITS[n]
    if 11 <= n <= 19:
        return "十" + _CN_DIGITS[n - 10]
    return str(n)


def _amount_text(value: float, unit: str | None) -> str:
    """Money and rates as the bulletin writes them (the narrative's formatters, one definition)."""
    from innolib.narrative import format_money, format_rate

    if unit == "万元":
        return format_money(value, "exact")
    if unit == "%":
        return format_rate(value, 1)
    return f"{value:g}{unit or ''}"


@cache
def _template(name: str) -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("innolib", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name)


def comparison_narrative(
    table: pd.DataFrame | None,
    index: IndexResult | None = None,
    *,
    district: District,
    period: Period,
    lang: str = "zh",
) -> str:
    """A paragraph in the bulletin's register: 占全市的…%, 高于全市…个百分点, 位居全区第….

    Only comparable rows (status ``ok``) are written; a reference from an earlier year
    says so in brackets (``郑州市为2024年数据``; English: ``city figure from 2024``). The
    index sentence names every unit with its rank and group for the last period.
    ``lang``: ``zh`` (``comparisons.zh.j2``) or ``en`` (``comparisons.en.j2``: labels from
    ``label_en`` in ``comparisons.yaml`` or the indicator's English name, the district's
    ``name_en``, money in CNY million/billion); anything else raises ``UsageError``.
    """
    if lang not in ("zh", "en"):
        raise UsageError(
            f"比较分析段落只有中文、英文模板（lang={lang}）",
            f"the comparison paragraph exists in Chinese and English only (lang={lang})",
        )
    en = lang == "en"
    items = []
    if table is not None:
        ok = table[table["status"] == "ok"]
        for cid in dict.fromkeys(ok["comparison"]):
            rows = ok[ok["comparison"] == cid]
            first = rows.iloc[0]
            value, unit = first["district_value"], first["district_unit"]
            late = [r for _, r in rows.iterrows() if int(r["reference_year"]) != period.year]
            if en:
                notes = [
                    f"{_SCOPE_NOTE_EN[r['scope']]} figure from {int(r['reference_year'])}"
                    for r in late
                ]
                label = first.get("label_en") or first["label"]
                items.append(
                    {
                        "kind": first["kind"],
                        "label": label,
                        "count": unit not in ("万元", "%"),
                        "value": _amount_text_en(value, unit),
                        "growth": f"{'up' if value >= 0 else 'down'} {abs(value):.1f}% year on year",
                        "measure": label,
                        "note": f" ({', '.join(notes)})" if notes else "",
                        "scopes": [
                            {
                                "word": _SCOPE_WORD_EN[r["scope"]],
                                "share": f"{r['result']:.2f}%",
                                "diff": f"{abs(r['result']):.1f}",
                                "higher": bool(r["result"] >= 0),
                                "ref_growth": f"{r['reference_value']:.1f}%",
                            }
                            for _, r in rows.iterrows()
                        ],
                    }
                )
                continue
            notes = [f"{r['scope_name']}为{int(r['reference_year'])}年数据" for r in late]
            items.append(
                {
                    "kind": first["kind"],
                    "label": first["label"],
                    "value": _amount_text(value, unit),
                    "growth": (f"同比增长{value:.1f}%" if value >= 0 else f"同比下降{-value:.1f}%"),
                    "measure": first["label"].removesuffix("增速"),
                    "note": f"（{'，'.join(notes)}）" if notes else "",
                    "scopes": [
                        {
                            "word": _SCOPE_WORD[r["scope"]],
                            "share": f"{r['result']:.2f}%",
                            "diff": f"{abs(r['result']):.1f}",
                            "higher": bool(r["result"] >= 0),
                            "ref_growth": f"{r['reference_value']:.1f}%",
                        }
                        for _, r in rows.iterrows()
                    ],
                }
            )
    units = []
    if index is not None:
        latest = index.latest().dropna(subset=["index"])
        shared = latest["rank"].duplicated(keep=False)
        names = {g["id"]: g.get("name_en", g["id"]) for g in index.spec.groups}
        for (_, r), tied in zip(latest.iterrows(), shared):
            rank = int(r["rank"])
            group = (names.get(r["group"], "") or "").lower() if en else (r["group_zh"] or "")
            units.append(
                {
                    "unit": r["unit"],
                    "rank": _ordinal_en(rank) if en else _ordinal(rank),
                    "group": group,
                    "index": f"{r['index']:.2f}",
                    "tied": bool(tied),
                }
            )
    if en:
        scope = _INDEX_SCOPE_EN.get(index.scope_zh, "") if index is not None else ""
        index_name = (
            index.spec.name_en[:1].lower() + index.spec.name_en[1:] if index is not None else ""
        )
        text = _template("comparisons.en.j2").render(
            district=district.name_en or district.name,
            year=period.year,
            wording=period.wording("en"),
            items=items,
            units=units,
            scope=scope,
            index_name=index_name,
        )
    else:
        text = _template("comparisons.zh.j2").render(
            district=district.name,
            period=period.label,
            wording=period.wording(),
            items=items,
            units=units,
            scope=index.scope_zh if index is not None else "全区",
            index_name=index.spec.name_zh if index is not None else "",
        )
    # the template writes one paragraph per block, separated by a line holding ¶; its line
    # breaks are removed (Chinese) or are word spaces (English)
    joiner = " " if en else ""
    paragraphs = (
        joiner.join(line.strip() for line in part.splitlines() if line.strip())
        for part in text.split("¶")
    )
    return "\n\n".join(p for p in paragraphs if p)


_SCOPE_WORD_EN = {"city": "the city", "province": "the province", "nation": "the nation"}
_SCOPE_NOTE_EN = {"city": "city", "province": "provincial", "nation": "national"}
_INDEX_SCOPE_EN = {"全区": "in the district", "全市": "in the city"}


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _amount_text_en(value: float, unit: str | None) -> str:
    """English amounts: 万元 as CNY million (CNY billion from 1 billion), rates with one decimal, counts as they are."""
    if unit == "万元":
        return (
            f"CNY {value / 100000:.2f} billion"
            if value >= 100000
            else f"CNY {value / 100:.1f} million"
        )
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:g}"
