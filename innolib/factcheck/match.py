"""Claims matched to indicators: a registry phrase next to the figure, the longest wins,
a tie is ambiguous and unmatched (never guessed); breakdown items by their own words.
"""

from __future__ import annotations

import re

from innolib.factcheck.segments import Raw, growth_source
from innolib.factcheck.text import Text
from innolib.factcheck.vocabulary import (
    L_FILLER,
    MODIFIER,
    Vocabulary,
    canonical,
    unit_base,
)

# ----------------------------------------------------------------------------- matching


#: the longest run of qualifier words (L_FILLER) between a phrase and its figure, and of
#: 余/万/unit/以上/企业 between a measure word and a phrase after it: looking no further
#: keeps matching a constant amount of work per claim
_MAX_GAP = 24


def _match_side(
    work: str, raw: Raw, vocab: Vocabulary, role: str
) -> list[tuple[int, str, tuple[int, int]]]:
    """Registry phrases standing next to the figure: (length, indicator, work span)."""
    found = _match_left(work, raw, vocab, role)
    if role in ("value", "current", "base"):
        found += _match_right(work, raw, vocab, role)
    return found


def _match_left(
    work: str, raw: Raw, vocab: Vocabulary, role: str
) -> list[tuple[int, str, tuple[int, int]]]:
    """Phrases before the number with only qualifiers between (覆盖率达 59%)."""
    fig = raw.fig
    canon, starts, ends = canonical(work[raw.seg_start : fig.a], raw.seg_start)
    hits: list[tuple[int, int, str, tuple[int, int]]] = []  # (phrase rank, idx, id, span)
    by_last = vocab.by_last_char(fig.unit, role)
    for e in range(len(canon), max(0, len(canon) - _MAX_GAP) - 1, -1):
        if e == 0 or not L_FILLER.fullmatch(canon, e):
            continue
        for rank, ph in by_last.get(canon[e - 1], ()):
            idx = e - len(ph.canon)
            if idx < 0 or not canon.startswith(ph.canon, idx):
                continue
            if MODIFIER.search(canon, 0, idx) or canon[:idx].endswith(("、", "和", "及", "与")):
                continue  # 省级以上研发平台 is not 研发平台; 国家级、省级研发平台 not 省级研发平台
            hits.append((rank, idx, ph.indicator, (starts[idx], ends[e - 1])))
    # 省级研发平台新增3家 reads as 新增省级研发平台
    for rank, ph, verb, rest in vocab.verb_first(fig.unit, role):
        idx = canon.find(rest)
        while idx >= 0:
            gap = canon[idx + len(rest) :]
            if verb in gap and L_FILLER.fullmatch(gap.replace(verb, "", 1)):
                hits.append((rank, idx, ph.indicator, (starts[idx], ends[idx + len(rest) - 1])))
            idx = canon.find(rest, idx + 1)
    hits.sort(key=lambda h: (h[0], h[1]))
    return [(len(vocab.phrases[h[0]].canon), h[2], h[3]) for h in hits]


def _match_right(
    work: str, raw: Raw, vocab: Vocabulary, role: str
) -> list[tuple[int, str, tuple[int, int]]]:
    """Phrases after the measure word, only 企业/单位 between (推荐17家企业认定…科技型企业)."""
    fig = raw.fig
    canon, starts, ends = canonical(work[fig.b : raw.seg_end], fig.b)
    base = unit_base(fig.unit)[1]
    filler = re.compile(
        "(?:余|多)?(?:万|亿)?(?:余|多)?"
        + (f"(?:{re.escape(base)})?" if base else "")
        + r"(?:以上|以内|左右|多)?(?:企业|单位)?"
    )
    by_first = vocab.by_first_char(fig.unit, role)
    hits: list[tuple[int, int, str, tuple[int, int]]] = []
    for idx in range(min(len(canon), _MAX_GAP)):
        gap = canon[:idx]
        filled = filler.fullmatch(gap)
        inside_unit = fig.unit and fig.unit.endswith(gap)
        if not (filled or inside_unit):
            continue
        for rank, ph in by_first.get(canon[idx], ()):
            if not canon.startswith(ph.canon, idx):
                continue
            if filled or ph.canon.startswith(fig.unit[len(gap) :] or "\0"):
                # a phrase that begins inside the unit (批次申报…) is written from the unit's end
                s = max(starts[idx], fig.end)
                hits.append((rank, idx, ph.indicator, (s, ends[idx + len(ph.canon) - 1])))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [(len(vocab.phrases[h[0]].canon), h[2], h[3]) for h in hits]


def _pick(
    found: list[tuple[int, str, tuple[int, int]]],
) -> tuple[str | None, tuple[int, int] | None, str]:
    if not found:
        return None, None, ""
    best = max(f[0] for f in found)
    top = [f for f in found if f[0] == best]
    ids = {f[1] for f in top}
    if len(ids) > 1:
        return None, None, "ambiguous: " + ", ".join(sorted(ids))
    span = min((f[2] for f in top), key=lambda s: s[1] - s[0])
    return top[0][1], span, ""


def _match_composite(
    label: str, parent_phrases: list[str], raw: Raw, vocab: Vocabulary
) -> str | None:
    """A breakdown item's own words joined to its parent's phrasing (新认定 + 高新技术企业)."""
    lab = canonical(label)[0]
    if not lab:
        return None
    best: tuple[int, set[str]] = (0, set())
    for parent in parent_phrases:
        comp = lab + parent
        for ph in vocab.fitting(raw.fig.unit, raw.role):
            idx = comp.find(ph.canon)
            if idx == 0 and len(ph.canon) >= len(lab):  # must cover the item's own words
                if len(ph.canon) > best[0]:
                    best = (len(ph.canon), {ph.indicator})
                elif len(ph.canon) == best[0]:
                    best[1].add(ph.indicator)
    if len(best[1]) == 1:
        return next(iter(best[1]))
    return None


def _phrases_of(iid: str, vocab: Vocabulary) -> list[str]:
    return [p.canon for p in vocab.phrases if p.indicator == iid]


def assign_indicators(text: Text, raws: list[Raw], vocab: Vocabulary) -> None:
    """Give every claim the indicator its words name (or leave it unmatched with a note)."""
    work = text.work
    for i, raw in enumerate(raws):
        prev = raws[i - 1] if i > 0 and raws[i - 1].sentence == raw.sentence else None
        if raw.role in ("share", "comparison", "target", "rank"):
            continue
        if raw.distribute:
            _assign_distributed(work, raw, vocab)
            continue
        role = raw.role
        found = _match_side(work, raw, vocab, role)
        if role == "growth":
            _assign_growth(work, raws, i, found)
            continue
        iid, span, note = _pick(found)
        if iid is not None and raw.parent is not None:
            # a breakdown item must be named by its own words, not its parent's
            lab = raw.label
            # (all of them: 其中技术开发合同成交额 is not 合同成交额)
            if lab[1] <= lab[0] or span is None or not (span[0] <= lab[0] and span[1] >= lab[1]):
                iid, span = None, None
        if raw.shared_head:
            # 省级1家 after 国家级科技企业孵化器1家: the level joined to the shared head
            whole = canonical(work[raw.label[0] : raw.label[1]] + raw.shared_head)[0]
            iid, _span, note = _pick(
                [
                    (len(ph.canon), ph.indicator, (0, 0))
                    for ph in vocab.fitting(raw.fig.unit, raw.role)
                    if ph.canon == whole
                ]
            )
            span = None  # the level alone (省级) names nothing: the rebuilt phrase does
        if iid is None and raw.parent is not None:
            lab = work[raw.label[0] : raw.label[1]]
            if raw.parent.indicator and lab:
                iid = _match_composite(lab, _phrases_of(raw.parent.indicator, vocab), raw, vocab)
                span = raw.label if iid else None
        elif (
            iid is None
            and not note
            and prev is not None
            and raw.label[1] <= raw.label[0]
            and prev.indicator
            and prev.phrase_span
            and (role in ("current", "base") or raw.qual.words)
        ):
            # no words of its own (累计达到58家, 增长至117家): the subject of the figure before
            iid, span, note = _subject_of(work, raw, prev, vocab)
            raw.inherit = iid is not None
        if iid is not None and _says_new(work, raw) and vocab.kinds.get(iid, "flow") != "flow":
            # 新增 counts what was added in the period: a stock or survey total cannot be meant
            iid, note = None, f"新增 but {iid} is not a flow"
        raw.indicator, raw.phrase_span, raw.note = iid, span, note
        raw.matched = iid is not None


def _assign_distributed(work: str, raw: Raw, vocab: Vocabulary) -> None:
    """A figure standing for one item of a list (A、B各1项): the item's words name it."""
    left = work[raw.distribute[0] : raw.distribute[1]]
    canon, starts, ends = canonical(left, raw.distribute[0])
    found = []
    for ph in vocab.fitting(raw.fig.unit, raw.role):
        if canon.endswith(ph.canon):
            k = len(canon) - len(ph.canon)
            found.append((len(ph.canon), ph.indicator, (starts[k], ends[-1])))
    iid, span, note = _pick(found)
    raw.indicator, raw.phrase_span, raw.note = iid, span, note
    raw.matched = iid is not None


def _assign_growth(work: str, raws: list[Raw], i: int, found: list) -> None:
    """A growth figure's own words, if any, name its indicator; else the figure before it."""
    raw = raws[i]
    own = [f for f in found if f[2][0] >= raw.seg_start]
    iid, span, note = _pick(own)
    if iid is not None:
        raw.indicator, raw.phrase_span, raw.note, raw.matched = iid, span, note, True
        return
    src = growth_source(raws, i, work)
    if src is not None:
        raw.indicator, raw.inherit, raw.phrase_span = src.indicator, True, src.phrase_span
        raw.phrase_text = src.phrase_text
        raw.matched = src.indicator is not None
        raw.parent = None


_NEW_VERB = re.compile(r"(?:新增|新认定|新获批|获批|获评)")


def _subject_of(
    work: str, raw: Raw, src: Raw, vocab: Vocabulary
) -> tuple[str | None, tuple[int, int] | None, str]:
    """The indicator of the figure before, when its phrase (less a 新增-like verb) fits this one."""
    subj = canonical(work[src.phrase_span[0] : src.phrase_span[1]])[0]
    subj = re.sub("^" + _NEW_VERB.pattern, "", subj)
    cands = [
        (len(ph.canon), ph.indicator, src.phrase_span)
        for ph in vocab.fitting(raw.fig.unit, raw.role)
        if subj.endswith(ph.canon) and len(ph.canon) >= len(subj) - 2
    ]
    iid, span, note = _pick(cands)
    if span is not None:
        lead = _NEW_VERB.match(work, span[0], span[1])
        if lead and lead.end() < span[1]:
            span = (lead.end(), span[1])
    return iid, span, note


def _says_new(work: str, raw: Raw) -> bool:
    """Whether 新增 qualifies the figure (its own words, or its breakdown parent's)."""
    if any("新增" in work[s:e] for s, e in raw.qual.words):
        return True
    return raw.parent is not None and raw.parent is not raw and _says_new(work, raw.parent)
