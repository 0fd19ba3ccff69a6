"""Claims assembled from a text: figures with their qualifiers and roles, lists (各, 分别),
breakdowns (其中, parentheses), registry matching, phrases for people.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

from innolib.factcheck.claims import Claim
from innolib.factcheck.draft import Draft, check_not_too_large
from innolib.factcheck.figures import Figure, original_number_text
from innolib.factcheck.layout import cell_before, row_end, target_sections
from innolib.factcheck.lists import add_words, apply_list_grammar, ends_with_verb
from innolib.factcheck.match import assign_indicators
from innolib.factcheck.qualifiers import qualifier_text
from innolib.factcheck.segments import (
    BARE_MEASURE,
    BARE_VERB,
    Raw,
    growth_source,
    in_one_list,
    own_words,
    raw_claims,
    sentence_topic,
    split_items,
    subjects_before,
)
from innolib.factcheck.text import Text, normalise
from innolib.factcheck.vocabulary import Vocabulary

#: a phrase longer than this is cut to its last (or first) MAX_PHRASE characters; one
#: longer than YEARS_OUT loses the years written in it (推荐2025年郑州市…补助)
MAX_PHRASE = 40
YEARS_OUT = 20


def _build(text: Text, vocab: Vocabulary | None) -> list[Raw]:
    work = text.work
    raws = raw_claims(text)
    out: list[Raw] = []
    for _idx, raw in enumerate(raws):
        raw.label = own_words(text, raw)
        gee = [w for w in raw.qual.words if work[w[0] : w[1]] == "各"]
        if gee and raw.role == "value":
            items = split_items(work, raw.label[0], gee[0][0])
            if len(items) > 1:
                for item in items:
                    copy = replace(raw, label=item, distribute=item)
                    out.append(copy)
                continue
        out.append(raw)
    # A、B分别达到 1家和 3家: one item to each figure, the qualifier shared
    for i, raw in enumerate(out):
        if "分别" not in work[raw.label[1] : raw.fig.a] or raw.role == "growth" or raw.distribute:
            continue
        run = [raw]
        while (
            i + len(run) < len(out)
            and in_one_list(work, run[-1], out[i + len(run)])
            and not out[i + len(run)].qual.words
        ):
            run.append(out[i + len(run)])
        items = split_items(work, raw.label[0], raw.label[1])
        if len(items) < len(run):  # A和B在…基础上实现倍增,分别超过90家和870家
            items = subjects_before(work, raw)
        if len(run) > 1 and len(items) == len(run):
            for item, r in zip(items, run):
                r.label, r.distribute, r.role = item, item, raw.role
                r.shared_qual = list(raw.qual.words)
    # 分别增长 12.4%和 9.8%, 分别占全市的31.2%、27.5%: the later figures share the role
    for i, raw in enumerate(out):
        prev = out[i - 1] if i > 0 else None
        if (
            prev is not None
            and raw.role == "value"
            and not raw.qual.words
            and prev.role in ("growth", "share", "target")
            and in_one_list(work, prev, raw)
        ):
            raw.role = prev.role
            if prev.role == "target":
                raw.qual = replace(raw.qual, phrase=prev.qual.phrase)
                raw.label = prev.label
    # breakdown parents and groups
    for i, raw in enumerate(out):
        prev = out[i - 1] if i > 0 and out[i - 1].sentence == raw.sentence else None
        if prev is None:
            continue
        between = work[prev.fig.end : raw.fig.a]
        seg_text = work[raw.seg_start : raw.fig.a]
        if "其中" in between or seg_text.startswith("其中"):
            raw.parent = prev if prev.parent is None else prev.parent
        elif "(" in between and ")" not in between:
            raw.parent = prev
        elif (
            prev.parent is not None
            and work[prev.fig.end : raw.seg_start].strip("、和及与") == ""
            and ")" not in between
        ):
            raw.parent = prev.parent
    apply_list_grammar(work, out)
    _take_target_sections(text, out)
    if vocab is not None:
        assign_indicators(text, out, vocab)
    _quoted_nouns(work, out)
    _phrases(text, out)
    return out


def _quoted_nouns(work: str, raws: list[Raw]) -> None:
    """A count in Chinese numerals followed by a quoted term counts that term, and the next
    figure's words begin after it (两个“科技扶贫示范村”新栽核桃面积150余亩)."""
    for prev, raw in pairwise(raws):
        counted = prev.fig.text[:1] in _CN_NUMERALS and prev.fig.unit
        if not counted or prev.sentence != raw.sentence or not work.startswith("“", prev.fig.end):
            continue
        close = work.find("”", prev.fig.end, raw.fig.a)
        if close < 0 or not raw.label[0] <= close < raw.label[1] - 1 or prev.indicator:
            continue
        prev.phrase_span = (prev.fig.end, close + 1)
        raw.label = (close + 1, raw.label[1])
        if raw.phrase_span and raw.phrase_span[0] <= close and not raw.indicator:
            raw.phrase_span = raw.label


def _take_target_sections(text: Text, raws: list[Raw]) -> None:
    """A figure under a heading or in a table that names a 目标 is a target: its qualifier
    begins with that 目标 (layout.target_sections)."""
    sections = target_sections(text)
    for raw in raws:
        for start, end, word in sections:
            if start <= raw.fig.a < end and word[1] <= raw.fig.a:
                add_words(raw, [word])


def _phrases(text: Text, raws: list[Raw]) -> None:
    """Fill in phrase spans for claims without a registry phrase (heuristic words): borrowed
    from a cell, a figure, a topic or a sentence before when the claim has no words of its
    own; rebuilt when its words need the noun after it or the topic; else its own words or
    the words after it."""
    work = text.work
    for i, raw in enumerate(raws):
        if raw.phrase_span or raw.phrase_text:
            continue
        own = work[raw.label[0] : raw.label[1]].strip(_FRAGMENT)
        right = _right_words(text, raw)
        has_right = bool(work[right[0] : right[1]].strip(_FRAGMENT))
        if raw.fig.big:
            raw.phrase_span = right
        elif not _borrowed(text, raws, i, own, has_right) and not _rebuilt(
            text, raws, i, own, right, has_right
        ):
            raw.phrase_span = _own_or_right(work, raw, own, right, has_right)


def _borrowed(text: Text, raws: list[Raw], i: int, own: str, has_right: bool) -> bool:
    """A claim without words of its own takes another's: the row's cell of words, the
    figure it speaks of, its sentence's topic, the subject of the sentence before."""
    work, raw = text.work, raws[i]
    cell = None if own or has_right else cell_before(text, raw.fig.a)
    if cell is not None:
        raw.phrase_span = cell  # 新认定高新技术企业数量 | 6家以上: the row's indicator
        return True
    src = None
    if raw.role in ("growth", "share", "base", "current", "rank", "comparison") and not own:
        src = growth_source(raws, i, work) if raw.role == "growth" else _subject_before(raws, i)
    elif (
        raw.role == "value"
        and not own
        and not has_right  # 共计130多人参加了会议: the words after the figure name it
        # 是2020年的2.1倍; …2批次,共56项: a total of what the figure before counts
        and (
            raw.qual.words
            or raw.fig.unit in ("倍", "%")
            or _TOTAL.fullmatch(work, raw.seg_start, raw.fig.a)
        )
        and i > 0
        and raws[i - 1].sentence == raw.sentence
        and raw.parent is None
    ):
        src = raws[i - 1]
    if src is not None and raw.role == "rank" and src.role == "share" and src.phrase_span:
        # 高新技术产业增加值占规上工业增加值比重67.75%,全市排名第4: the share is ranked
        share = _share_named(work, src)
        if share is not None:
            raw.phrase_span, raw.inherit = share, True
            return True
    if src is None or not (src.phrase_span or src.phrase_text):
        if own or has_right:
            return False
        topic = sentence_topic(work, raws, i)
        if topic is not None:  # 技术合同成交额保持增长,达到4.74亿元
            raw.phrase_span, raw.inherit = topic, True
            return True
        src = _subject_of_sentence_before(text, raws, i)  # …19.2亿元。预计全年达到20.1亿元
        if src is None:
            return False
    raw.phrase_span, raw.phrase_text, raw.inherit = src.phrase_span, src.phrase_text, True
    return True


def _rebuilt(
    text: Text, raws: list[Raw], i: int, own: str, right: tuple[int, int], has_right: bool
) -> bool:
    """Words that name the thing only with other words: 复审的5家高企 (the noun after the
    figure), 新认定23家 and 总数达到86家 (the sentence's topic)."""
    raw, lab = raws[i], raws[i].label
    if (
        text.work[lab[1] : raw.fig.a] == "的"
        and len(own) >= 2
        and has_right
        and raw.role == "value"
    ):
        noun = _phrase_text(text, right, raw.fig)
        raw.phrase_text = text.written(lab[0], lab[1] + 1).strip(_FRAGMENT) + noun
        return True
    if (BARE_VERB.fullmatch(own) or BARE_MEASURE.fullmatch(own)) and not has_right:
        topic = sentence_topic(text.work, raws, i)
        if topic is not None:  # 高新技术企业培育成效明显,新认定23家,总数达到86家
            named = text.written(*topic)
            raw.phrase_text = named + own if BARE_MEASURE.fullmatch(own) else own + named
            return True
    return False


def _own_or_right(
    work: str, raw: Raw, own: str, right: tuple[int, int], has_right: bool
) -> tuple[int, int]:
    """The claim's own words, or the words after it when those name what is counted."""
    lab = raw.label
    # 工业、互联网、软服、科研4项指标: the items named, the count of the noun after
    listed = own.endswith("等") or "等" in work[lab[1] : raw.fig.a] or "、" in own
    counted = raw.fig.text[:1] in _CN_NUMERALS and raw.fig.unit  # 三个方面: the noun after
    # 发布了27条“工作动态”信息, 对14个项目进行自评, 能容纳360名幼儿: a verb or a preposition
    # before the figure, the thing counted after it
    governs = own.endswith("了") or own[-1:] in _PREPOSITIONS or ends_with_verb(own)
    if own and not ((len(own) <= 2 or listed or counted or governs) and has_right):
        return lab
    return right if has_right else lab


#: measure words of a count whose noun follows it (156个村, 15家企业)
_COUNTED = {"个", "家", "名", "位", "所", "条", "项", "户", "支", "人", "批"}
_AMONG_AFTER = re.compile(r"中有|当中|之中")
_TOTAL = re.compile(r"共|共有|总共|一共")
_CN_NUMERALS = set("一二两三四五六七八九十百千")
_PREPOSITIONS = set("对向给把将")
#: where the words after a figure stop naming it and say what happened to it (三个方面进行了
#: 汇报, 六个部分组成, 八大领域全覆盖, 9家企业技术中心完成了评价): the phrase ends there
_PREDICATE = re.compile(
    r"进行|组成|成效|推进|全覆盖|完成了|已经|全部|合计|共计|累计"
    r"|高标准|高质量|扎实|有序|顺利|稳步"  # how it was done (…重点任务高标准推进)
)
#: characters and words that are never a phrase on their own (a fragment: "、", "）", "预计")
_FRAGMENT = "、,;:()|和及与 "
_NOT_A_PHRASE = {
    "预计",
    "力争",
    "争取",
    "新增",
    "累计",
    "完成",
    "共计",
    "合计",
    "分别",
    "其中",
    "达",
    "达到",
}


def _subject_of_sentence_before(text: Text, raws: list[Raw], i: int) -> Raw | None:
    """A sentence without a subject (预计2021全年达到20.1亿元以上) goes on speaking of the last
    figure of the sentence right before it in its paragraph, when that one was named."""
    raw = raws[i]
    if i == 0 or raws[i - 1].sentence == raw.sentence:
        return None
    prev = raws[i - 1]
    gap = text.work[prev.sentence[1] : raw.sentence[0]]
    if gap or "\n" in text.layout[text.origin[prev.sentence[1] - 1] : text.origin[raw.fig.a]]:
        return None  # another sentence or a line break between: a new subject
    for r in reversed(raws[:i]):
        if r.sentence != prev.sentence:
            return None
        if r.role in ("value", "current") and (r.phrase_span or r.phrase_text):
            return r
    return None


def _share_named(work: str, share: Raw) -> tuple[int, int] | None:
    """A share figure's subject with its share words, when they are written together
    (高新技术产业增加值|占规上工业增加值比重|67.75%): what a ranking after it ranks."""
    words = [w for w in share.qual.words if w[0] >= share.phrase_span[1] and w[1] <= share.fig.a]
    if not words or words[0][0] != share.phrase_span[1]:
        return None
    return (share.phrase_span[0], words[-1][1])


def _subject_before(raws: list[Raw], i: int) -> Raw | None:
    raw = raws[i]
    if raw.role == "growth":
        # reuse the growth source logic without a vocabulary
        for r in reversed(raws[:i]):
            if r.sentence != raw.sentence:
                return None
            if r.role in ("value", "current", "base", "share") and r.phrase_span:
                return r
        return None
    for r in reversed(raws[:i]):
        if r.sentence != raw.sentence:
            return None
        if r.phrase_span:
            return r
    return None


def _right_words(text: Text, raw: Raw) -> tuple[int, int]:
    work = text.work
    s, e = raw.fig.end, raw.seg_end
    if raw.fig.post:
        s = max(s, raw.fig.post_pos + len(raw.fig.post))
    if raw.fig.big:
        s = raw.fig.b + 1
    while s < e and work[s] in "余多的":
        s += 1
    if s < e and work[s] in "、和及与(":
        return (s, s)  # 68人、行政15人; 83人(科研68人…): the words after are another item's
    among = _AMONG_AFTER.search(work, s + 1, e)
    if among:
        e = among.start()  # 20名科技特派员中有15人…: the noun counted ends before 中有
    of = work.find("的", s + 1, e)
    if of > s and raw.fig.unit in _COUNTED:
        e = of  # 156个村的特色产业: the noun counted ends at 的
    paren = work.find("(", s, e)
    if paren >= 0 and re.match(r"\([^)]*\d", work[paren:e]):
        e = paren  # a breakdown in parentheses names the figure no more (not 县(市))
    if raw.role == "rank" and work.startswith(("位", "名"), s):
        s += 1  # 第23位: the measure of a ranking names nothing
    m = _PREDICATE.search(work, s + 1, e)
    if m:
        e = m.start()
    end_of_row = row_end(text, raw.fig.a)
    if end_of_row is not None:
        e = max(s, min(e, end_of_row))
    return (s, e)  # _phrase_text drops years and clips to MAX_PHRASE


def _balance_quotes(work: str, span: tuple[int, int]) -> tuple[int, int]:
    """Widen a phrase span by the quotation mark it cut off (“四上”企业…, 备案“科技副总”)."""
    a, b = span
    inner = work[a:b]
    for open_, close in (("“", "”"), ("‘", "’"), ("《", "》")):
        if inner.count(close) > inner.count(open_) and a > 0 and work[a - 1] == open_:
            a -= 1
        if inner.count(open_) > inner.count(close) and b < len(work) and work[b] == close:
            b += 1
    return a, b


def _phrase_text(text: Text, span: tuple[int, int] | None, fig: Figure) -> str:
    if not span or span[1] <= span[0]:
        return ""
    s = text.written(*_balance_quotes(text.work, span)).strip(_FRAGMENT + "，、；：（）")
    if s in _NOT_A_PHRASE:
        return ""
    if len(s) > YEARS_OUT:
        s = re.sub(r"\d{4}年度?", "", s)
    if len(s) > MAX_PHRASE:
        s = s[-MAX_PHRASE:] if span[1] <= fig.a else s[:MAX_PHRASE]
    return s


def _to_claims(text: Text, raws: list[Raw]) -> list[Claim]:
    claims = []
    growth_lists: dict[int, str] = {}
    sentences: dict[tuple[int, int], str] = {}
    for i, raw in enumerate(raws):
        fig = raw.fig
        if raw.sentence not in sentences:
            sentences[raw.sentence] = text.written(*raw.sentence).strip()
        # a list's shared qualifier (分别达到 1家和 3家) with the words found later (到2030年)
        spans = sorted(set(raw.qual.words) | set(raw.shared_qual or []))
        if fig.approx:
            spans.append((fig.approx_pos, fig.approx_pos + 1))
        if fig.post:
            spans.append((fig.post_pos, fig.post_pos + len(fig.post)))
        qualifier = qualifier_text(text, spans)
        # 分别增长 12.4%和 9.8%: the later figures share the first one's qualifier
        if raw.role in ("growth", "share", "target"):
            prev = raws[i - 1] if i > 0 else None
            if (
                prev is not None
                and prev.role == raw.role
                and prev.sentence == raw.sentence
                and text.work[prev.fig.end : raw.seg_start].strip("、和及与") == ""
                and not raw.qual.words
            ):
                qualifier = growth_lists.get(i - 1, qualifier)
            growth_lists[i] = qualifier
        value_text = original_number_text(text, fig) if "/" not in fig.text else fig.text
        if fig.text and not re.search(r"\d", fig.text):
            value_text = fig.text
        claims.append(
            Claim(
                sentence=sentences[raw.sentence],
                phrase=raw.phrase_text or _phrase_text(text, raw.phrase_span, fig),
                phrase_rebuilt=bool(raw.phrase_text),
                value=_as_number(fig.value, fig.text),
                value_max=None if fig.value_max is None else _as_number(fig.value_max, fig.text),
                value_text=value_text,
                unit=fig.unit,
                qualifier=qualifier,
                span=text.span(fig.a, fig.end),
                role=raw.role,
                indicator=raw.indicator,
                note=raw.note,
                figure=text.written(fig.a, fig.end),
                year=_year_with(text.work, raw),
                context=text.written(max(raw.sentence[0], fig.a - 14), fig.end),
            )
        )
    return claims


def _year_with(work: str, raw: Raw) -> int | None:
    """The year written between a base/current word and its figure (由2021年的, 增长到2025年的)."""
    m = re.search(r"(\d{4})年(?:底|末)?的?$", work[raw.seg_start : raw.fig.a])
    return int(m.group(1)) if m else None


def _as_number(value: Decimal, text: str) -> int | float:
    if value == value.to_integral_value() and "." not in text and "/" not in text:
        return int(value)
    return float(value)


def extract_claims(text: str | Draft, registry: dict[str, Any] | None = None) -> list[Claim]:
    """Every numeric claim of a text, in reading order, matched to indicators.

    ``registry`` (id -> IndicatorDef) defaults to ``innolib.registry.load_registry()``;
    pass ``{}`` to extract without matching. Status is ``unmatched`` until checked.
    ``text`` may be a ``Draft`` (a .docx read by ``read_draft``): the claims then give
    its paragraph and character. A text over ``MAX_DRAFT_BYTES`` is refused (UsageError).
    """
    draft = text if isinstance(text, Draft) else Draft.from_text(text)
    check_not_too_large(draft.text, draft.name)
    if registry is None:
        from innolib.registry import load_registry

        registry = load_registry()
    vocab = Vocabulary.from_registry(registry) if registry else None
    normalised = normalise(draft.text)
    claims = _to_claims(normalised, _build(normalised, vocab))
    for claim in claims:
        claim.paragraph, claim.char = draft.place(claim.span[0])
    return claims
