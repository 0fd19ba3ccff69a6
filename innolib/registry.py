"""The indicator registry: every published number's definition, read from one YAML file.

``innolib/registry/indicators.yaml`` declares each indicator once (id, section, names,
unit (and ``unit_en``, how English tables write it), kind, definition, source tables, the Chinese phrasings bulletins use around the
number, measure words, confidentiality, and how ``innolib.indicators`` computes it);
``innolib/registry/schema.yaml`` is its JSON Schema (checked by ``tests/test_registry.py``).
The narrative writes ``phrases[0]``; the fact-checker matches claims by ``phrases`` and
``unit``/``measure_words`` (a phrase may belong to two indicators of different units,
e.g. 选聘“科技副总” 家 vs 人: the unit decides); charts label with ``name_zh``/``name_en``.

Loading checks what a schema cannot say: ids are unique, source tables exist, and every
column a ``compute`` rule names is a declared column of its table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from innolib.errors import InnolibError, UsageError
from innolib.tables import TABLES

COUNT_UNITS = ("家", "项", "批", "次", "人")
MONEY_UNIT = "万元"
RATE_UNIT = "%"
KINDS = ("flow", "stock", "cumulative", "annual")


class RegistryError(InnolibError):
    """The registry file breaks its own rules (a defect of the package, not of the data)."""


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator's definition, as declared in ``indicators.yaml``.

    ``section``: 1-3 the bulletin's sections, 0 added by the project. ``compute`` is the
    rule ``innolib.indicators`` evaluates (see the header of ``indicators.yaml``).
    """

    id: str
    section: int
    name_zh: str
    name_en: str
    unit: str
    unit_en: str
    kind: str
    definition: str
    sources: tuple[str, ...]
    phrases: tuple[str, ...]
    phrases_en: tuple[str, ...]
    measure_words: tuple[str, ...]
    confidential: bool
    headline: bool
    # the title and lead of a bulletin written from the data may cite it (``lead: true``)
    lead: bool = False
    breakdown_by: tuple[str, ...] = ()
    compute: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_rate(self) -> bool:
        return self.unit == RATE_UNIT

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY_UNIT

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS

    @property
    def change_unit(self) -> str:
        """``pp`` (percentage points) for rates, ``%`` (relative change) for counts and money."""
        return "pp" if self.is_rate else "%"

    @property
    def phrase(self) -> str:
        """The wording the narrative uses (``phrases[0]``)."""
        return self.phrases[0]

    def display_name(self, lang: str = "zh", facts: dict[str, str] | None = None) -> str:
        """The name in ``lang`` with a district's programme words filled in: ``name_zh``
        may hold ``{tier_programme}`` and ``{province_prefix}`` (郑州市科技型企业 is
        Zhengzhou's programme, not every city's). ``facts``: ``present.district_facts``;
        use ``present.indicator_name`` where a district is at hand."""
        template = self.name_zh if lang == "zh" else self.name_en
        return template.format_map(facts or {}) if "{" in template else template


@functools.cache
def enterprise_column(table_id: str) -> str | None:
    """The column of ``table_id`` that names an enterprise (``uscc`` or ``seller_uscc``), if any.

    Read from the table's declared references to ``enterprises.uscc`` (falling back to a
    declared ``uscc`` column), so that a rename in ``tables.py`` follows automatically.
    """
    declared = {c.id for c in TABLES[table_id].columns}
    for column, target, _ in TABLES[table_id].references:
        if target == "enterprises" and column in declared:
            return column
    return "uscc" if "uscc" in declared and table_id != "enterprises" else None


def _registry_text() -> str:
    return (
        resources.files("innolib").joinpath("registry/indicators.yaml").read_text(encoding="utf-8")
    )


#: libyaml's parser when PyYAML was built with it (30x faster than the pure-Python one)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=1)
def _registry_document_cached() -> dict[str, Any]:
    return yaml.load(_registry_text(), Loader=_YAML_LOADER)


def registry_document() -> dict[str, Any]:
    """The raw registry document (as parsed from YAML), for schema validation.

    A deep copy of a cached parse, so callers may modify it.
    """
    import copy

    return copy.deepcopy(_registry_document_cached())


def schema_document() -> dict[str, Any]:
    """The registry's JSON Schema (``innolib/registry/schema.yaml``) as a dict."""
    text = resources.files("innolib").joinpath("registry/schema.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_YAML_LOADER)


def _columns(table_id: str) -> set[str]:
    return {c.id for c in TABLES[table_id].columns}


def _check(entry: dict[str, Any], seen: set[str]) -> None:
    """Cross-checks a JSON Schema cannot express; raises RegistryError naming the indicator."""
    iid = entry.get("id", "?")

    def fail(zh: str, en: str) -> None:
        raise RegistryError(
            f"指标登记表错误（{iid}）：{zh}", f"indicator registry error ({iid}): {en}"
        )

    if iid in seen:
        fail("指标编号重复", "duplicate id")
    for source in entry.get("sources", ()):
        if source not in TABLES:
            fail(f"未知的来源表{source}", f"unknown source table {source}")
    rule = entry.get("compute") or {}
    method = rule.get("method")
    if entry.get("unit") == RATE_UNIT and not str(rule.get("measure", "")).startswith("share:"):
        fail("比率指标须以share:计算", "a rate must be computed as share:<column>")
    if method == "rows":
        table = rule.get("table")
        if table not in entry.get("sources", ()):
            fail(f"计算表{table}不在来源表中", f"compute table {table} is not among the sources")
        named = [
            rule.get("date"),
            enterprise_column(table) if entry.get("breakdown_by") else None,
            rule.get("positive"),
            *(rule.get("where") or {}),
            *(rule.get("contains") or {}),
        ]
        measure = rule.get("measure", "")
        if ":" in measure:
            named.append(measure.split(":", 1)[1])
        for column in filter(None, named):
            if column not in _columns(table):
                fail(f"表{table}没有列{column}", f"table {table} has no column {column}")
    elif method == "survey":
        measure = rule.get("measure", "")
        if ":" in measure and measure.split(":", 1)[1] not in _columns("rd_survey"):
            fail(f"研发调查表没有列{measure}", f"rd_survey has no column for {measure}")
    elif method == "participants":
        for column in rule.get("where") or {}:
            if column not in _columns("activities"):
                fail(f"服务活动表没有列{column}", f"activities has no column {column}")
        for column in rule.get("enterprise_where") or {}:
            if column not in _columns("enterprises"):
                fail(f"企业名录没有列{column}", f"enterprises has no column {column}")


def _build(entry: dict[str, Any]) -> IndicatorDef:
    return IndicatorDef(
        id=entry["id"],
        section=int(entry["section"]),
        name_zh=entry["name_zh"],
        name_en=entry["name_en"],
        unit=entry["unit"],
        unit_en=entry["unit_en"],
        kind=entry["kind"],
        definition=" ".join(str(entry["definition"]).split()),
        sources=tuple(entry["sources"]),
        phrases=tuple(entry["phrases"]),
        phrases_en=tuple(entry["phrases_en"]),
        measure_words=tuple(entry["measure_words"]),
        confidential=bool(entry["confidential"]),
        headline=bool(entry["headline"]),
        lead=bool(entry.get("lead", False)),
        breakdown_by=tuple(entry.get("breakdown_by") or ()),
        compute=dict(entry["compute"]),
    )


@functools.cache
def _load() -> dict[str, IndicatorDef]:
    defs: dict[str, IndicatorDef] = {}
    for entry in registry_document()["indicators"]:
        _check(entry, set(defs))
        definition = _build(entry)
        defs[definition.id] = definition
    return defs


def load_registry() -> dict[str, IndicatorDef]:
    """Every indicator definition by id, in registry order (sections 1, 2, 3, then 0)."""
    return dict(_load())


def indicator_def(indicator_id: str) -> IndicatorDef:
    """The definition of one indicator; ``UsageError`` (bilingual) for an unknown id."""
    try:
        return _load()[indicator_id]
    except KeyError:
        raise UsageError(
            f"未知的指标编号：{indicator_id}", f"unknown indicator id: {indicator_id}"
        ) from None


def indicators_in_section(section: int) -> list[IndicatorDef]:
    """The indicators of one bulletin section (0 = added by the project), registry order."""
    return [d for d in _load().values() if d.section == section]


def phrase_index() -> list[tuple[str, str]]:
    """``(phrase, indicator id)`` pairs, longest phrase first (for greedy claim matching).

    A phrase shared by two indicators appears twice; their units tell them apart.
    """
    pairs = [(p, d.id) for d in _load().values() for p in d.phrases]
    return sorted(pairs, key=lambda pair: -len(pair[0]))
