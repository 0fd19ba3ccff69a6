"""The comparisons' paragraph in the bulletin's register: 占全市的…%, 高于全市…个百分点, 位居全区第….

``comparison_narrative`` turns comparable rows of ``compare``'s table and the composite
index into text through ``innolib/templates/comparisons.{zh,en}.j2``. Every number it
writes goes through the formatting helpers at the end of this module, which call the
presentation layer (``innolib.present``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
import pandas as pd

from innolib.comparisons.index import IndexResult
from innolib.errors import UsageError
from innolib.package import District
from innolib.periods import Period

_SCOPE_WORD = {"city": "全市", "province": "全省", "nation": "全国"}
_SCOPE_WORD_EN = {"city": "the city", "province": "the province", "nation": "the nation"}
_INDEX_SCOPE_EN = {"全区": "in the district", "全市": "in the city"}


def comparison_narrative(
    table: pd.DataFrame | None,
    index: IndexResult | None = None,
    *,
    district: District,
    period: Period,
    lang: str = "zh",
) -> str:
    """A paragraph in the bulletin's register: 占全市的…%, 高于全市…个百分点, 位居全区第….

    Only 可比 rows (status ``ok``: same year, same definition) are written, each sentence
    led by the year compared (``2024年技术合同成交额…``; English: ``in 2024, …``); rows of
    different years or of a similar or different definition never enter it. The index
    sentence names every unit with its rank and group for the last period.
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
    items = _items(table, en) if table is not None else []
    units = _index_units(index, en) if index is not None else []
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


def _items(table: pd.DataFrame, en: bool) -> list[dict[str, Any]]:
    """The template's items: one per comparison and year compared, each with its scopes.

    Only 可比 rows (status ``ok``: same year, same definition) are written; a comparison
    whose scopes were compared in different years gives one item per year, latest first.
    """
    items = []
    ok = table[table["status"] == "ok"]
    for cid in dict.fromkeys(ok["comparison"]):
        of_comparison = ok[ok["comparison"] == cid]
        for year in sorted(set(of_comparison["year"]), reverse=True):
            rows = of_comparison[of_comparison["year"] == year]
            items.append(_item(rows, int(year), en))
    # latest year first (stable: the declared order within a year); the year is said once
    items.sort(key=lambda it: -it["year"])
    for i, it in enumerate(items):
        it["new_year"] = i == 0 or items[i - 1]["year"] != it["year"]
    return items


def _item(rows: pd.DataFrame, year: int, en: bool) -> dict[str, Any]:
    """One template item: a comparison in one year against one or more scopes."""
    first = rows.iloc[0]
    value, unit = first["district_value"], first["district_unit"]
    lang = "en" if en else "zh"
    scopes = [
        {
            "word": (_SCOPE_WORD_EN if en else _SCOPE_WORD)[r["scope"]],
            "share": _share_text(r["result"], lang),
            "diff": _pp_text(abs(r["result"])),
            "higher": bool(r["result"] >= 0),
            "level": _pp_text(abs(r["result"])) == _pp_text(0.0),
            "ref_growth": _growth_rate_text(r["reference_value"], lang),
        }
        for _, r in rows.iterrows()
    ]
    if en:
        label = first.get("label_en") or first["label"]
        item = {
            "label": label,
            "count": unit not in ("万元", "%"),
            "value": _amount_text(value, unit, "en"),
            "growth": _growth_text(value, "en"),
            "measure": label,
        }
    else:
        item = {
            "label": first["label"],
            "value": _amount_text(value, unit),
            "growth": _growth_text(value),
            "measure": first["label"].removesuffix("增速"),
        }
    return {"kind": first["kind"], "year": year, "scopes": scopes, **item}


def _index_units(index: IndexResult, en: bool) -> list[dict[str, Any]]:
    """The template's units: every unit of the last period with its rank and group, best first."""
    units = []
    latest = index.latest().dropna(subset=["index"])
    shared = latest["rank"].duplicated(keep=False)
    names = {g["id"]: g.get("name_en", g["id"]) for g in index.spec.groups}
    for (_, r), tied in zip(latest.iterrows(), shared):
        rank = int(r["rank"])
        group = (names.get(r["group"], "") or "").lower() if en else (r["group_zh"] or "")
        units.append(
            {
                "unit": r["unit"],
                "rank": _rank_text(rank, en),
                "group": group,
                "index": _index_text(r["index"]),
                "tied": bool(tied),
            }
        )
    return units


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


# --------------------------------------------------------------------------- formatting
# Every number the paragraph writes is written by the presentation layer (innolib.present),
# as in the bulletin's prose: one rounding (half up), a trailing .0 dropped (25%, not 25.0%).

#: decimals of a share of a city's or province's total (a district's share is small: 0.16%)
SHARE_DECIMALS = 2


def _amount_text(value: float, unit: str | None, lang: str = "zh") -> str:
    """Money and rates as the bulletin writes them (English money in CNY million like the
    rest of the English output), counts with their measure word (zh)."""
    from innolib.present.numbers import format_count, format_money, format_rate

    if unit == "万元":
        return format_money(value, "exact", lang)
    if unit == "%":
        return format_rate(value, 1, lang)
    return format_count(value, unit or "", lang)


def _share_text(share: float, lang: str = "zh") -> str:
    """A share of the reference in percent, to 0.01 (0.16%, 0.2%)."""
    from innolib.present.numbers import format_rate

    return format_rate(share, SHARE_DECIMALS, lang)


def _pp_text(diff: float) -> str:
    """A difference in percentage points, to 0.1, without its sign (the words say which way)."""
    from innolib.present.numbers import RATE_DECIMALS, format_number

    return format_number(diff, RATE_DECIMALS)


def _growth_rate_text(rate: float, lang: str = "zh") -> str:
    """A reference's growth rate in brackets: 25%, 12.5%."""
    from innolib.present.numbers import format_rate

    return format_rate(rate, lang=lang)


def _growth_text(value: float, lang: str = "zh") -> str:
    """The district's growth: 同比增长…% / 同比下降…% / 与上年持平 (up/down …% year on year)."""
    from innolib.present.changes import PCT, format_change

    return format_change(value, PCT, lang)


def _index_text(value: float) -> str:
    """A composite index in [0, 1]: two decimals, always (0.70)."""
    from innolib.present.numbers import format_number

    return format_number(value, 2, fixed=True)


def _rank_text(rank: int, en: bool) -> str:
    """A rank: 第一 … 第十九 then digits (zh, after 第 in the template), 1st, 2nd (en)."""
    from innolib.present.numbers import rank_word

    return rank_word(rank, "en" if en else "zh")
