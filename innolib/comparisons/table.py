"""The comparison table: the district's indicators against published statistics.

What to compare is declared in ``innolib/registry/comparisons.yaml`` (``load_comparison_spec``);
``compare`` gives one row per comparison × scope (city, province, nation) with the result
(a share in %, or a difference in percentage points), a status and a footnote naming both
sources; ``comparison_table`` is its display frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import yaml

from innolib.comparisons.common import num, spec_text
from innolib.comparisons.lookup import SCOPES, latest_growth, latest_level, scope_names
from innolib.errors import DataError, UsageError
from innolib.package import District, Package
from innolib.periods import Period
from innolib.reference import STATUS_ZH, load_reference, to_unit
from innolib.tables import TABLES


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


def load_comparison_spec() -> list[ComparisonDef]:
    """The declared comparisons, checked (kind, scopes, a reason for every not-comparable pair)."""
    doc = yaml.safe_load(spec_text("comparisons.yaml"))
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
            or not set(d.scopes) <= set(SCOPES)
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
            num(value), num(previous), None, None, "ok" if num(value) is not None else "no_data"
        )
    if isinstance(item, (int, float, np.number)):
        return _DistrictValue(float(item), None, None, None, "ok")
    status = getattr(item, "status", "ok")
    value = num(getattr(item, "value", None))
    return _DistrictValue(
        value if status == "ok" else None,
        num(getattr(item, "previous", None)),
        getattr(item, "unit", None),
        getattr(item, "kind", None),
        status if value is not None or status != "ok" else "no_data",
    )


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
    rows = []
    for c in spec:
        dv = _district_value(values, c.indicator)
        reg_unit, reg_kind, sources, _ = _indicator_meta(c.indicator)
        side = _DistrictSide(
            value=dv,
            unit=dv.unit or reg_unit,
            kind=dv.kind or reg_kind,
            source=f"本区：{_district_source(district, sources)}，{period.label}",
            label_en=c.label_en or _indicator_name_en(c.indicator),
        )
        for scope in c.scopes:
            rows.append(_compare_scope(c, side, district, period, scope, reference, statuses))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
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


COLUMNS = (
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
)
"""The columns of ``compare``'s table, in order."""


@dataclass(frozen=True)
class _DistrictSide:
    """The district's side of a comparison: its value, unit, kind, source text and English label."""

    value: _DistrictValue
    unit: str | None
    kind: str | None
    source: str
    label_en: str


def _compare_scope(
    c: ComparisonDef,
    side: _DistrictSide,
    district: District,
    period: Period,
    scope: str,
    reference: pd.DataFrame,
    statuses: Sequence[str],
) -> dict[str, Any]:
    """One row of ``compare``: comparison ``c`` of the district against one scope."""
    year = period.year
    scope_name, aliases = scope_names(district, scope)
    row = dict.fromkeys(COLUMNS)
    row.update(
        comparison=c.id,
        label=c.label_zh,
        kind=c.kind,
        scope=scope,
        scope_name=scope_name,
        district_value=side.value.value,
        district_unit=side.unit,
        reference_value=math.nan,
        reference_year=pd.NA,
        result=math.nan,
        status="ok",
        footnote="",
        label_en=side.label_en,
    )
    if c.kind == "growth":
        ref = latest_growth(reference, aliases, c.reference, year, statuses)
        row["district_value"], row["district_unit"] = _growth(side.value), "%"
    else:
        r = latest_level(reference, aliases, c.reference, year, statuses)
        ref = None if r is None else r.to_dict()
    if ref is None:
        row["status"] = "no_reference"
        row["footnote"] = f"{scope_name}无可用的“{c.reference}”公开数据（{year}年及以前）"
        return row
    ref_year = int(ref["year"])
    row.update(
        reference_year=ref_year,
        reference_status=ref["status"],
        reference_value=float(ref["value"]),
        reference_unit=ref["unit"],
    )
    parts = [
        side.source,
        f"{scope_name}：{ref['source']}（{ref_year}年，{_status_text(ref['status'], ref['note'])}）",
    ]
    if ref_year != year:
        parts.append(f"{scope_name}为{ref_year}年数据")
    part_year_flow = (not period.is_full_year or period.clipped) and side.kind in ("flow", "annual")
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
        row.update(_result(c, row, side.unit))
    if c.caveat:
        parts.append(c.caveat)
    row["footnote"] = "；".join(parts) + "。"
    return row


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
