"""The comparison table: the district's indicators against published statistics.

What to compare is declared in ``innolib/registry/comparisons.yaml`` (``load_comparison_spec``);
``compare`` gives one row per comparison × scope (city, province, nation) with the result
(a share in %, or a difference in percentage points), a status and a footnote naming both
sources; ``comparison_table`` is its display frame.

Honesty rules (issue 16): a result is computed only for the **same year** on both sides —
the period's year, else the latest year that both the district and the reference have
(the district's 2024 with the city's 2024), and the row says which year. A pair with no
common year is shown as "参照年份不同（郑州市为2017年）" with no result. Only the **same
definition** is 可比: a similar one (口径相近) keeps its result in the table but is never
written as a difference in the prose; a different one (口径不同) has no result. Growth is
compared only with growth of the same two years. A part-year or clipped period is not an
annual figure: its own year never pairs with a reference year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import yaml

from innolib.comparisons.common import num, spec_text
from innolib.comparisons.lookup import SCOPES, growth_by_year, levels_by_year, scope_names
from innolib.errors import DataError, UsageError
from innolib.package import District, Package
from innolib.periods import Period, parse_period
from innolib.present.facts import indicator_name
from innolib.reference import SOURCE_KIND_ZH, STATUS_ZH, load_reference, to_unit
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
    definition: str = "same"  # same | similar (口径相近) | different (口径不同)
    caveat: str = ""
    reason: str = ""
    label_en: str = ""  # English label (narrative); default: the indicator's English name


_KINDS = ("share", "level", "growth")
_DEFINITIONS = ("same", "similar", "different")


def load_comparison_spec() -> list[ComparisonDef]:
    """The declared comparisons, checked (kind, definition, scopes, a reason for every pair not the same)."""
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
            definition=entry.get("definition", "same"),
            caveat=entry.get("caveat", ""),
            reason=entry.get("reason", ""),
            label_en=entry.get("label_en", ""),
        )
        if (
            d.kind not in _KINDS
            or d.definition not in _DEFINITIONS
            or not set(d.scopes) <= set(SCOPES)
            or (d.definition != "same" and not d.reason)
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
    return d.unit, d.kind, tuple(d.sources), indicator_name(d, None)


def _indicator_name_en(indicator_id: str) -> str:
    """The registry's English name of an indicator, first letter lower-cased (it goes mid-sentence)."""
    try:
        from innolib.registry import indicator_def

        name = indicator_name(indicator_def(indicator_id), None, "en")
    except (ImportError, UsageError):
        return indicator_id
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _district_source(district: District, sources: tuple[str, ...]) -> str:
    names = "、".join(TABLES[t].zh for t in sources if t in TABLES) or "台账"
    return f"{district.name}科技局{names}"


def _reference_text(scope_name: str, ref: Mapping[str, Any]) -> str:
    """The reference's part of a footnote: year, status (how a figure was derived), kind of source, source."""
    status = STATUS_ZH.get(ref["status"], ref["status"])
    if ref.get("note") and ref["status"] != "published":
        status += f"，{ref['note']}"
    kind = SOURCE_KIND_ZH.get(ref.get("source_kind", ""), "来源类型不明")
    return f"{scope_name}{int(ref['year'])}年{status}（{kind}）：{ref['source']}"


def _growth(v: _DistrictValue) -> float | None:
    if v.value is None or not v.previous:
        return None
    return 100.0 * (v.value / v.previous - 1)


def _complete_year(period: Period) -> bool:
    """Whether the period is a whole calendar year with data to its end (the references' span)."""
    return period.is_full_year and not period.clipped


def _district_years(
    c: ComparisonDef, period: Period, current: _DistrictValue, history: Mapping[int, Any]
) -> dict[int, float]:
    """The district's comparable figures by year: the period's own when it is a complete year,
    then every complete earlier year of ``history`` (a growth rate for growth comparisons)."""
    measure = _growth if c.kind == "growth" else (lambda v: v.value)
    out: dict[int, float] = {}
    for year, values in history.items():
        value = measure(_district_value(values, c.indicator))
        if value is not None and int(year) != period.year:
            out[int(year)] = value
    if _complete_year(period) and measure(current) is not None:
        out[period.year] = measure(current)
    return out


def compare(
    district: District,
    period: Period,
    values: Any,
    reference: pd.DataFrame | None = None,
    *,
    history: Mapping[int, Any] | None = None,
    spec: Sequence[ComparisonDef] | None = None,
    allow_forecast: bool = False,
) -> pd.DataFrame:
    """The district's indicators against published statistics: one row per comparison × scope.

    ``values``: the district's ``IndicatorSet`` for ``period`` (or a mapping id →
    ``IndicatorValue``-like / number / (value, previous)); ``history``: the same for
    earlier whole years, {year: values}, used when the reference lacks the period's year
    (the latest year both sides have is compared). ``reference`` defaults to
    ``load_reference()``. Forecasts are skipped unless ``allow_forecast``.

    Columns: ``comparison``, ``label``, ``kind``, ``definition``, ``scope``
    (city/province/nation), ``scope_name`` (郑州市), ``year`` (the year compared; NA when
    none), ``district_year``, ``district_value`` and ``district_unit`` (for ``growth``: the
    district's growth in %), ``reference_value`` and ``reference_unit`` (as published: 亿元 is
    converted to 万元 only inside the arithmetic of a share), ``reference_year``,
    ``reference_status``, ``reference_source_kind``, ``result`` and ``result_unit`` (``%``
    for a share, ``pp`` for a level or growth difference), ``status`` (``ok`` = 可比,
    ``similar_definition``, ``different_definition``, ``different_year``, ``part_year``,
    ``no_reference``, ``no_data``), ``footnote`` (both sources with year, status and kind of
    source; the year compared and why; the reason when not comparable) and ``label_en``.
    """
    reference = load_reference() if reference is None else reference
    spec = load_comparison_spec() if spec is None else spec
    statuses = ("published", "preliminary", "derived") + (("forecast",) if allow_forecast else ())
    rows = []
    for c in spec:
        current = _district_value(values, c.indicator)
        reg_unit, _, sources, _ = _indicator_meta(c.indicator)
        side = _DistrictSide(
            current=_growth(current) if c.kind == "growth" else current.value,
            by_year=_district_years(c, period, current, history or {}),
            unit="%" if c.kind == "growth" else current.unit or reg_unit,
            source=_district_source(district, sources),
            label_en=c.label_en or _indicator_name_en(c.indicator),
        )
        for scope in c.scopes:
            rows.append(_compare_scope(c, side, district, period, scope, reference, statuses))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("year", "district_year", "reference_year"):
        df[col] = df[col].astype("Int64")
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
    "definition",
    "scope",
    "scope_name",
    "year",
    "district_year",
    "district_value",
    "district_unit",
    "reference_value",
    "reference_unit",
    "reference_year",
    "reference_status",
    "reference_source_kind",
    "result",
    "result_unit",
    "status",
    "footnote",
    "label_en",
)
"""The columns of ``compare``'s table, in order."""


@dataclass(frozen=True)
class _DistrictSide:
    """The district's side of a comparison: the period's figure, the comparable figures by
    year, the unit, the source text and the English label."""

    current: float | None
    by_year: dict[int, float]
    unit: str | None
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
    """One row of ``compare``: comparison ``c`` of the district against one scope.

    The year: the period's when both sides have it, else the latest both have; none when
    they share no year (the row then shows the period's figure and the reference's latest).
    """
    scope_name, aliases = scope_names(district, scope)
    by_year = growth_by_year if c.kind == "growth" else levels_by_year
    ref_years = by_year(reference, aliases, c.reference, period.year, statuses)
    row = dict.fromkeys(COLUMNS)
    row.update(
        comparison=c.id,
        label=c.label_zh,
        kind=c.kind,
        definition=c.definition,
        scope=scope,
        scope_name=scope_name,
        district_year=period.year,
        district_value=side.current,
        district_unit=side.unit,
        reference_value=math.nan,
        result=math.nan,
        label_en=side.label_en,
    )
    if not ref_years:
        row["status"] = "no_reference"
        row["footnote"] = f"{scope_name}无可用的“{c.reference}”公开数据（{period.year}年及以前）。"
        return row
    common = set(ref_years) & set(side.by_year)
    year = period.year if period.year in common else max(common, default=None)
    ref = ref_years[year if year is not None else max(ref_years)]
    if year is not None:
        row.update(district_year=year, district_value=side.by_year[year])
    row.update(
        year=year,
        reference_year=int(ref["year"]),
        reference_status=ref["status"],
        reference_source_kind=ref.get("source_kind"),
        reference_value=float(ref["value"]),
        reference_unit=ref["unit"],
    )
    when = f"{row['district_year']}年"
    if year is None and not _complete_year(period):
        when += period.wording()
    parts = [f"本区{when}：{side.source}", _reference_text(scope_name, ref)]
    row["status"], note = _verdict(c, side, period, year, ref_years, scope_name)
    parts += [note] if note else []
    if row["status"] in ("ok", "similar_definition"):
        row.update(_result(c, row, side.unit))
    if c.caveat:
        parts.append(c.caveat)
    row["footnote"] = "；".join(parts) + "。"
    return row


def _verdict(
    c: ComparisonDef,
    side: _DistrictSide,
    period: Period,
    year: int | None,
    ref_years: Mapping[int, Any],
    scope_name: str,
) -> tuple[str, str]:
    """(status, footnote sentence) of a comparison row: definition first, then the years."""
    if c.definition == "different":
        return "different_definition", c.reason
    if side.current is None and not side.by_year:
        return "no_data", "本区无数据"
    if year is None:
        ref_year = max(ref_years)
        if ref_year == period.year:
            return "part_year", f"本区为{period.wording()}数据，参照为全年数据，不可比"
        return "different_year", f"参照年份不同（{scope_name}为{ref_year}年），不作比较"
    notes = []
    if year != period.year:
        why = (
            f"{scope_name}无{period.year}年数据"
            if period.year not in ref_years
            else f"本区{period.year}年为{period.wording()}数据"
        )
        notes.append(f"按{year}年比较（{why}）")
    if c.definition == "similar":
        notes.append(c.reason)
        return "similar_definition", "；".join(notes)
    return "ok", "；".join(notes)


def _result(c: ComparisonDef, row: dict[str, Any], unit: str | None) -> dict[str, Any]:
    """The share (%) or difference (pp) of one comparison row, the reference converted to the
    district's unit for the arithmetic only (the row keeps the figure as published)."""
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
    out: dict[str, Any] = {}
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
    """``compare`` for a package: computes the indicators the comparisons need for the period
    and for every earlier year the reference has a figure for (the fallback years), then compares."""
    from innolib.circulation import circulated_result
    from innolib.indicators import compute_indicators

    reference = load_reference() if reference is None else reference
    spec = kwargs.pop("spec", None) or load_comparison_spec()
    ids = sorted({c.indicator for c in spec})
    values = circulated_result(package, compute_indicators(package, period, ids=ids))
    names = {c.reference for c in spec} | {c.reference + "增长率" for c in spec}
    years = sorted(
        int(y)
        for y in set(reference.loc[reference["indicator"].isin(names), "year"])
        if y < values.period.year
    )
    history = {
        y: circulated_result(package, compute_indicators(package, parse_period(str(y)), ids=ids))
        for y in years
    }  # circulated: a withheld figure is no base for a share or a growth rate
    return compare(
        package.district, values.period, values, reference, history=history, spec=spec, **kwargs
    )


STATUS_TEXT = {
    "ok": "可比",
    "similar_definition": "口径相近",
    "different_definition": "口径不同",
    "part_year": "期间不同",
    "no_reference": "无参照数据",
    "no_data": "本区无数据",
}
"""The 状态 column's words; ``different_year`` names the reference's year (see ``status_text``)."""


def status_text(row: Mapping[str, Any]) -> str:
    """The 状态 of one row of ``compare``'s table: 可比, 口径相近, 参照年份不同（郑州市为2017年）…"""
    if row["status"] == "different_year":
        return f"参照年份不同（{row['scope_name']}为{int(row['reference_year'])}年）"
    return STATUS_TEXT[row["status"]]


def comparison_table(table: pd.DataFrame) -> pd.DataFrame:
    """A display frame of ``compare``'s result: Chinese headers, figures as text, status in words.

    ``比较年份`` is the year both sides are taken from (blank when they share none);
    ``本区`` is the district's figure of that year (of the period when none), as the
    bulletin's tables print it; ``参照值`` is the reference as published, in its own unit;
    a cell without a figure is left blank (the 状态 column says why).
    """
    from innolib.present.markers import NO_DATA, marker
    from innolib.present.numbers import format_number, table_number
    from innolib.present.vocabulary import words

    def blank_if_na(values: pd.Series) -> list[str]:
        return ["" if pd.isna(v) else str(v) for v in values]

    district = [
        marker(NO_DATA) if pd.isna(v) else table_number(v, u)
        for v, u in zip(table["district_value"], table["district_unit"])
    ]
    # as published; a derived growth rate to 0.01 (it is computed, not published)
    reference = ["" if pd.isna(v) else format_number(v, 2) for v in table["reference_value"]]
    voc = words("zh")
    result = [
        ""
        if pd.isna(r)
        else voc["rate" if u == "%" else "pp"].format(n=format_number(r, 2, fixed=True))
        for r, u in zip(table["result"], table["result_unit"])
    ]
    return pd.DataFrame(
        {
            "比较项": table["label"],
            "参照范围": table["scope_name"],
            "比较年份": blank_if_na(table["year"]),
            "本区": district,
            "本区单位": table["district_unit"],
            "参照值": reference,
            "参照单位": blank_if_na(table["reference_unit"]),
            "参照年份": blank_if_na(table["reference_year"]),
            "结果": result,
            "状态": [status_text(r) for r in table.to_dict("records")],
            "注": table["footnote"],
        }
    )
