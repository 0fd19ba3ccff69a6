"""The district's own words: programme names, the office, the signature (district facts).

``district.yaml`` may declare ``district_word`` (区/县/市), ``office``, ``tier_programme``,
``province_prefix``, ``loan_product`` and ``signature``; what it does not declare comes
from the vocabulary's ``district_defaults`` (the Zhengzhou names only for a district of
郑州市, generic names elsewhere, with a warning). The bulletin's templates, the indicator
names of tables and exports (``indicator_name``) and the charts all take these words from
here, so no other module names a city's programmes.
"""

from __future__ import annotations

from typing import Any

from innolib.present.vocabulary import words


def district_facts(district: Any, lang: str = "zh") -> tuple[dict[str, str], list[str]]:
    """The district's words for the templates, and warnings naming keys to set.

    ``district.yaml`` may declare ``district_word`` (区/县/市), ``office``, ``tier_programme``,
    ``province_prefix``, ``loan_product`` and ``signature`` (``District.facts``). What it does
    not declare comes from the vocabulary's ``district_defaults``: the block named by the
    district's city (e.g. the Zhengzhou programme names) when there is one, else the
    generic block, with a warning naming the keys to set.
    """
    voc = words(lang)
    declared = dict(getattr(district, "facts", {}) or {})
    name = str(getattr(district, "name", "") or "")
    city = str(getattr(district, "city", "") or "")
    province = str(getattr(district, "province", "") or "")
    defaults = voc["district_defaults"]
    block = defaults.get(city)
    fallback = dict(defaults["generic"])
    if block:
        fallback.update(block)
    word = declared.get("district_word") or (name[-1] if name[-1:] in ("区", "县", "市") else "区")
    out: dict[str, str] = {"district_word": word}
    warnings: list[str] = []
    missing: list[str] = []
    for key in ("office", "tier_programme", "province_prefix", "signature", "loan_product"):
        if declared.get(key):
            out[key] = str(declared[key])
            continue
        if not block and key in ("tier_programme", "province_prefix", "loan_product"):
            missing.append(key)
        out[key] = str(fallback.get(key, "")).format(
            word=word, city=city, province=province, name=name
        )
    out["area"] = voc["area"].format(word=word)
    if missing:
        warnings.append(
            f"district.yaml 未声明 {', '.join(missing)}，使用通用名称 / district.yaml does not "
            f"declare {', '.join(missing)}: generic names are used (set them for {city or name})"
        )
    return out, warnings


def indicator_name(indicator: Any, district: Any, lang: str = "zh") -> str:
    """The name of ``indicator`` (an id or an ``IndicatorDef``) for ``district``: the
    registry's name with the district's programme words filled in (``{tier_programme}``,
    ``{province_prefix}``): 推荐认定郑州市科技型企业 in a Zhengzhou district, 推荐认定科技型中小企业
    where the city has no declared programme."""
    from innolib.registry import indicator_def

    defn = indicator_def(indicator) if isinstance(indicator, str) else indicator
    facts, _warnings = district_facts(district, lang)
    return defn.display_name(lang, facts)
