"""The registry's phrasings in matching form: canonical text (quotes and years dropped,
synonyms unified) with offsets back into the text, and whether a claim's unit fits an
indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# ----------------------------------------------------------------------------- registry words

_SYNONYMS = [
    (re.compile(r"规模以上"), "规上"),
    (re.compile(r"国家高新技术企业"), "高新技术企业"),
    (re.compile(r"(?<![提升最较更])高企(?!业)"), "高新技术企业"),
    (re.compile(r"有效期内"), "有效期"),
    (re.compile(r"科学技术"), "科技"),
    (re.compile(r"研究与试验发展|R&D"), "研发"),
]
_DROP = re.compile(r"[“”‘’\"「」『』《》]|\d{4}年度?")
#: the characters a _DROP or _SYNONYMS match can begin with: any other is copied as it is
_TRIGGERS = frozenset('“”‘’"「」『』《》0123456789规国高有科研R')


def canonical(s: str, base: int = 0) -> tuple[str, list[int], list[int]]:
    """A string for matching (quotes and years dropped, synonyms unified) and, per
    character, the [start, end) offsets (relative + ``base``) of what it came from."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(s):
        if s[i] not in _TRIGGERS:
            chars.append(s[i])
            starts.append(base + i)
            ends.append(base + i + 1)
            i += 1
            continue
        m = _DROP.match(s, i)
        if m and m.end() > i:
            i = m.end()
            continue
        for rx, rep in _SYNONYMS:
            mm = rx.match(s, i)
            if mm:
                for ch in rep:
                    chars.append(ch)
                    starts.append(base + i)
                    ends.append(base + mm.end())
                i = mm.end()
                break
        else:
            chars.append(s[i])
            starts.append(base + i)
            ends.append(base + i + 1)
            i += 1
    return "".join(chars), starts, ends


L_FILLER = re.compile(
    r"(?:累计达到|累计达|累计|新增|共计|共有|共|合计|总计|达到|达|约为|约|近|接近|将近|超过|突破|首次突破|超|逾|不足|不到|已达|已|为|是|有|"
    r"分别为|分别达到|分别达|分别|数量|总量|由|从|同比|的|以上|左右|各|大约)*"
)


MODIFIER = re.compile(
    r"(?:[国省市区县]级|以上|以下|以内|其他|非|全社会|规上(?:工业)?企业|规模以上(?:工业)?企业|(?<![全我本该辖])(?<!\A)[省市区县])$"
)  # 省级以上研发平台, 包头市科技进步奖: something narrower than the registry's phrase;
# 全社会研发投入: a broader one (all R&D, not the “四上” survey's)


@dataclass(frozen=True)
class _Phrase:
    canon: str
    indicator: str


@dataclass
class Vocabulary:
    """The registry's phrasings in matching form, and each indicator's unit and measure words."""

    phrases: list[_Phrase]
    units: dict[str, str]
    measure_words: dict[str, tuple[str, ...]]
    kinds: dict[str, str] = field(default_factory=dict)
    _fitting: dict[tuple[str, str], list[_Phrase]] = field(default_factory=dict, repr=False)
    _indexes: dict[tuple[str, str, str], Any] = field(default_factory=dict, repr=False)

    def fitting(self, unit: str, role: str) -> list[_Phrase]:
        """The phrases (longest first) whose indicator a claim of this unit and role may be;
        computed once per (unit, role): a draft has few units and many claims."""
        key = (unit, role)
        if key not in self._fitting:
            self._fitting[key] = [
                p for p in self.phrases if unit_fits(unit, role, p.indicator, self)
            ]
        return self._fitting[key]

    def by_last_char(self, unit: str, role: str) -> dict[str, list[tuple[int, _Phrase]]]:
        """The fitting phrases with their rank (place in ``phrases``) by their last character."""
        return self._index(unit, role, "last", lambda p: p.canon[-1])

    def by_first_char(self, unit: str, role: str) -> dict[str, list[tuple[int, _Phrase]]]:
        """The fitting phrases with their rank by their first character."""
        return self._index(unit, role, "first", lambda p: p.canon[0])

    def verb_first(self, unit: str, role: str) -> list[tuple[int, _Phrase, str, str]]:
        """Fitting phrases that begin with 新增/新认定/新获批: (rank, phrase, verb, the rest)."""
        key = ("verb", unit, role)
        if key not in self._indexes:
            out = []
            fitting = set(map(id, self.fitting(unit, role)))
            for rank, ph in enumerate(self.phrases):
                if id(ph) in fitting and ph.canon.startswith(("新增", "新认定", "新获批")):
                    verb = "新增" if ph.canon.startswith("新增") else ph.canon[:3]
                    if ph.canon[len(verb) :]:
                        out.append((rank, ph, verb, ph.canon[len(verb) :]))
            self._indexes[key] = out
        return self._indexes[key]

    def _index(self, unit: str, role: str, name: str, char: Any) -> dict:
        key = (name, unit, role)
        if key not in self._indexes:
            fitting = set(map(id, self.fitting(unit, role)))
            index: dict[str, list[tuple[int, _Phrase]]] = {}
            for rank, ph in enumerate(self.phrases):
                if id(ph) in fitting:
                    index.setdefault(char(ph), []).append((rank, ph))
            self._indexes[key] = index
        return self._indexes[key]

    @classmethod
    def from_registry(cls, registry: dict[str, Any]) -> Vocabulary:
        phrases: list[_Phrase] = []
        seen: set[tuple[str, str]] = set()
        for iid, d in registry.items():
            for p in d.phrases:
                c = canonical(p)[0]
                if c and (c, iid) not in seen:
                    seen.add((c, iid))
                    phrases.append(_Phrase(c, iid))
        phrases.sort(key=lambda p: -len(p.canon))
        return cls(
            phrases,
            {i: d.unit for i, d in registry.items()},
            {i: tuple(d.measure_words) for i, d in registry.items()},
            {i: getattr(d, "kind", "") for i, d in registry.items()},
        )


def unit_base(unit: str) -> tuple[Decimal, str]:
    """(multiplier, base unit) of a unit as written: 亿元 -> (1e8, 元), 万家 -> (1e4, 家)."""
    mult = Decimal(1)
    if unit.startswith("亿"):
        mult, unit = Decimal(10) ** 8, unit[1:]
    elif unit.startswith("万"):
        mult, unit = Decimal(10) ** 4, unit[1:]
    return mult, unit


def unit_fits(claim_unit: str, role: str, iid: str, vocab: Vocabulary) -> bool:
    iunit = vocab.units[iid]
    mult, base = unit_base(claim_unit)
    if role == "growth":
        if base in ("%", "倍"):
            return iunit != "%" or base == "%"
        if base in ("个百分点", "百分点"):
            return iunit == "%"
        return unit_fits(claim_unit, "value", iid, vocab)
    if role not in ("value", "current", "base"):
        return False
    if base == "%":
        return iunit == "%" and mult == 1
    if base == "元" or (base == "" and mult != 1):
        return iunit == "万元"
    if iunit in ("%", "万元"):
        return False
    if base == "":
        return True
    return base == iunit or base in vocab.measure_words.get(iid, ())
