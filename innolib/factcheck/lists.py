"""The grammar of lists and of words that govern more than the figure next to them.

Bulletins write several figures under one head or one qualifier. Read in general (no
sentence is special-cased):

- targets and forecasts: 到2027年, 力争, 预计, 争取 + a result verb (争取建成…) govern every
  figure after them in their sentence; they join each figure's qualifier;
- a list (items joined by 、/和/及/与) shares 新增 and 累计: ``新增省级工程研究中心7家、省重点实验室
  4家`` is 新增 on both;
- a list shares its head noun: in ``国家级科技企业孵化器1家、省级1家`` the second item names only
  a level, and its phrase is rebuilt as 省级科技企业孵化器 (marked ``phrase_rebuilt``);
- a verb far from its figure: ``完成科技型中小企业评价入库113家`` is a 完成 claim about
  科技型中小企业评价入库 (完成 is the qualifier, not part of the phrase);
- a streak before a rank (``连续六年位居全市第一``) is not part of what is ranked.
"""

from __future__ import annotations

import re
from dataclasses import replace

from innolib.factcheck.segments import TRANSITIVE, Raw, past_scope

_TARGET = re.compile(
    r"(?<![增长加高升提达])到\d{4}年(?:底|末)?(?!的)|力争|预计(?:\d{4}年?)?(?:年内|全年|年底)?"
    r"|争取(?=建成|实现|达到|突破|新增|完成|创建|引进|培育|获批)|将会"
)
_DONE = re.compile(r"(?:已)?完成(?!率|情况|度)")
#: what ends the reach of a target or forecast word: a clause of what is done
_DONE_SINCE = re.compile(r",(?:已经|已)")
_LEVEL = r"(?:国家级|省级|市级|区级|县级|国家|省|市|区|县)"
_LEVEL_ONLY = re.compile(_LEVEL)
_LEVEL_HEAD = re.compile(f"(?P<level>{_LEVEL})(?P<head>[^、和及与,;:。()0-9级]{{2,}})$")
_CARRIED = re.compile(r"新增|累计|超过|超|逾|近|约")
_STREAK = re.compile(r"连续[\d一二两三四五六七八九十]+(?:年|届|次|个季度)$")
_LIST_JOIN = set("、和及与")
_STREAK_AHEAD = re.compile(r"连续[\d一二两三四五六七八九十]+(?:年|届|次|个季度)")
_RANK_FRAME = re.compile(r"在(?P<what>[^,;:。]{2,})(?:中|上|里)")


def apply_list_grammar(work: str, raws: list[Raw]) -> None:
    """Targets, verbs far from their figure, shared qualifiers and heads (see the module)."""
    targets = [(m.start(), m.end()) for m in _TARGET.finditer(work)]
    for i, raw in enumerate(raws):
        _take_targets(work, raw, targets)
        _take_done(work, raw)
        _cut_streak(work, raw)
        prev = raws[i - 1] if i > 0 else None
        if prev is not None and _task_share(work, prev, raw):
            continue
        if prev is not None and _figures_of_one_fenbie(work, prev, raw):
            add_words(raw, [w for w in prev.qual.words if w[1] <= prev.fig.a])
        if prev is not None and _rankings_listed(work, prev, raw):
            _share_rank(work, prev, raw)
        elif prev is not None and _listed_after(work, prev, raw):
            _share_scope(work, prev, raw)
            _share_head(work, prev, raw)
        elif prev is not None and _parallel_clause(work, prev, raw):
            _share_scope(work, prev, raw)
            _share_predicate(work, prev, raw)


def _task_share(work: str, prev: Raw, raw: Raw) -> bool:
    """``完成市下达任务16家的93.7%``: the share is 完成…的 of the task, whose size (16家) is
    a figure of its own named by the task, with no qualifier."""
    if prev.sentence != raw.sentence or work[prev.fig.end : raw.fig.a] != "的":
        return False
    done = [(s, e) for s, e in prev.qual.words if work[s:e] == "完成" and e <= prev.label[0]]
    if not done or raw.fig.unit != "%":
        return False
    prev.qual = replace(prev.qual, words=[w for w in prev.qual.words if w not in done])
    raw.qual = replace(raw.qual, words=[done[-1], (prev.fig.end, raw.fig.a)], phrase=prev.label)
    raw.role = "target"
    raw.label = prev.label
    return True


def add_words(raw: Raw, spans: list[tuple[int, int]]) -> None:
    words = list(raw.qual.words)
    for s, e in spans:
        if not any(ws < e and s < we for ws, we in words):
            words.append((s, e))
    raw.qual = replace(raw.qual, words=sorted(words))  # a copy: 各 items share one Qual


def _take_targets(work: str, raw: Raw, targets: list[tuple[int, int]]) -> None:
    """到2027年/力争/预计 earlier in the sentence: the figure is a target or a forecast.

    A deadline (到2027年) reaches to the end of its sentence; 力争/预计/争取 reach to the
    next semicolon; none reaches past a clause that says the thing is done (,已公示…):
    ``预计年内A 15家,已公示B 1家;培育C 2个`` forecasts A only.
    """
    s_start = raw.sentence[0]
    mine = [
        (s, e)
        for s, e in targets
        if s_start <= s
        and e <= raw.fig.a
        and not _DONE_SINCE.search(work, e, raw.fig.a)
        and (work[s] == "到" or ";" not in work[e : raw.fig.a])
    ]
    if not mine:
        return
    add_words(raw, mine)
    a, b = raw.label
    for s, e in mine:
        if s == a and e <= b:
            a = past_scope(work, e, b)  # 力争实现全区…: the target word is no part of it
    raw.label = (a, b)


def _figures_of_one_fenbie(work: str, prev: Raw, raw: Raw) -> bool:
    """``分别超过90家和870家``: the second figure, with no words of its own, shares the first's
    qualifier (分别 spreads it over the figures)."""
    return (
        prev.sentence == raw.sentence
        and raw.role == prev.role == "value"
        and work[prev.fig.end : raw.fig.a] in ("和", "、", "及", "与")
        and any(work[s:e] == "分别" for s, e in prev.qual.words)
    )


def _take_done(work: str, raw: Raw) -> None:
    """完成 leading a claim's own words: the claim's qualifier, the rest is its phrase; 完成
    inside them (a subject, 完成, what it did) is the qualifier too, the phrase as written."""
    a, b = raw.label
    m = _DONE.match(work, a, b)
    if m and m.end() < b and raw.role in ("value", "current"):
        add_words(raw, [(m.end() - 2, m.end())])
        raw.label = (m.end(), b)
        return
    m = _DONE.search(work, a + 2, b)  # 规模以上工业完成总产值5.5亿元: 完成 between
    if m and m.end() < b and raw.role in ("value", "current"):
        add_words(raw, [(m.end() - 2, m.end())])
        if _PLACE.fullmatch(work, a, m.start()):
            raw.label = (m.end(), b)  # 邵东市完成高新产值: the place is no part of it


#: a place named as the subject of a claim (邵东市, 金塔县, 高新区)
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,4}(?:市|县|区|镇|乡|旗)")


def _cut_streak(work: str, raw: Raw) -> None:
    """连续六年位居全市第一: the streak is no part of what is ranked; nor is the frame of
    a ranking (连续3年在全市科技创新考核中位列第一: 全市科技创新考核)."""
    if raw.role != "rank":
        return
    a, b = raw.label
    m = _STREAK.search(work, a, b)
    if m:
        b = m.start()
    m = _STREAK_AHEAD.match(work, a, b)
    if m:
        a = m.end()
    m = _RANK_FRAME.fullmatch(work, a, b)
    if m:
        a, b = m.span("what")
    raw.label = (a, b)


def _listed_after(work: str, prev: Raw, raw: Raw) -> bool:
    """Whether ``raw`` is the next item of a list whose previous item is ``prev``."""
    if prev.sentence != raw.sentence or raw.parent is not None or raw.distribute:
        return False
    between = work[prev.fig.end : raw.seg_start]
    if between and set(between) <= _LIST_JOIN:
        return True
    # 超40辆港牌车、1000名科研人员: the count before a noun, the items parted after the noun
    return raw.label[0] == raw.label[1] and work[raw.fig.a - 1] in _LIST_JOIN


#: words that make an item a stock of its own, not a further item of a flow (有效期高企)
_OWN_SCOPE = re.compile(r"有效期|总数|总量|现有|全部|共有|目前|年底|年末|累计|新增|其中|占|比|较")


def _parallel_clause(work: str, prev: Raw, raw: Raw) -> bool:
    """``累计申请量2233件,授权量1353件``: a clause of a noun and a figure only, right after
    the previous item's figure, continues its list (新增/累计 reach it)."""
    if prev.sentence != raw.sentence or raw.parent is not None or raw.distribute:
        return False
    if work[prev.fig.end : raw.seg_start] != ",":
        return False
    if any(s >= raw.seg_start for s, _ in raw.qual.words):
        return False  # words of its own (a target word before the clause is no such word)
    own = work[raw.label[0] : raw.label[1]]
    if raw.label[0] != raw.seg_start or len(own) < 2 or _OWN_SCOPE.search(own):
        return False
    if _NOUN_END.search(own):
        return True  # 授权量1353件: a noun, whatever verb it is made of
    verb = _VERB.search(own)
    # 实际放款1.2亿元, 收集技术需求56项: a clause of its own; 累计已争取项目8项,争取经费100万元:
    # the same verb again, the same list
    return verb is None or verb.group() in work[prev.seg_start : prev.fig.a]


_NOUN_END = re.compile(r"(?:量|数|额|率|值)$")
#: verbs that make a clause say something of its own: a clause holding one does not share
#: the previous clause's 新增/累计 (a clause of a noun alone does: 授权量1353件)
_VERB = re.compile(
    TRANSITIVE.pattern + r"|收集|促成|惠及|放款|走访|实现|完成|引进|培育|认定|申报|推荐|建成|新建"
    r"|创建|支持|服务|对接|转化|实施|争取|解决|登记|签约|落地|入驻|入库|申请|授权|评选|选派"
    r"|慰问|调研|培训|召开|参加|参与|接待|发布|编制|制定|出台|印发|办理|受理|审核|推送|征集|摸排"
    r"|排查|检查|督导|帮扶|结对|共建|建立|成立"
)


_RANK_VERB = re.compile(r"排名|位居|位列|名列|稳居|跻身|跃居|跃升至|跃升|排|居|列")
_RANK_JOIN = re.compile(r"[位名]?[、和及与,]")


def _rankings_listed(work: str, prev: Raw, raw: Raw) -> bool:
    """``跻身全国第23位、全省第3位``: a ranking right after another in a list."""
    return (
        prev.sentence == raw.sentence
        and prev.role == raw.role == "rank"
        and bool(_RANK_JOIN.fullmatch(work, prev.fig.end, raw.fig.rank_pos))
    )


def _share_rank(work: str, prev: Raw, raw: Raw) -> None:
    """The second ranking of a list ranks the same thing, by the same verb when it has none
    of its own (跻身全国第23位、全省第3位: 跻身…全省第)."""
    raw.label = prev.label
    verb = _RANK_VERB.match(work, prev.fig.rank_pos)
    if verb and not _RANK_VERB.match(work, raw.fig.rank_pos):
        add_words(raw, [verb.span()])


def _share_scope(work: str, prev: Raw, raw: Raw) -> None:
    """新增/累计 of the previous item, when this item has none of its own."""
    if (
        raw.role not in ("value", "current")
        or raw.fig.unit in ("%", "个百分点")
        or any(_CARRIED.fullmatch(work[s:e]) for s, e in raw.qual.words)
    ):
        return
    carried = [(s, e) for s, e in prev.qual.words if _CARRIED.fullmatch(work[s:e])]
    if carried:
        add_words(raw, carried)


#: the words of a predicate an elided clause shares (市级瞪羚企业达到3家,省级瞪羚企业1家)
_PREDICATE_WORD = re.compile(r"达到|达|超过|超|突破|逾|近|约")


def _share_predicate(work: str, prev: Raw, raw: Raw) -> None:
    """A clause of a noun and a figure alone says the previous clause's 达到/超过 again."""
    if raw.fig.unit in ("%", "个百分点") or raw.role != "value":
        return
    if any(_PREDICATE_WORD.fullmatch(work[s:e]) for s, e in raw.qual.words):
        return
    run = [
        (s, e)
        for s, e in prev.qual.words
        if prev.qual.run_start <= s and e <= prev.fig.a and _PREDICATE_WORD.fullmatch(work[s:e])
    ]
    if run:
        add_words(raw, run)


#: verbs after which a count's noun follows it (能容纳360名幼儿, 组织开展15场活动)
_VERB_END = re.compile("(?:" + _VERB.pattern + r"|容纳|推动|获|得到)$")


def ends_with_verb(words: str) -> bool:
    """Whether ``words`` end with a verb that governs the count after them."""
    return bool(_VERB_END.search(words))


def _share_head(work: str, prev: Raw, raw: Raw) -> None:
    """An item naming only a level (省级) takes the head of the item before (科技企业孵化器)."""
    own = work[raw.label[0] : raw.label[1]]
    if not _LEVEL_ONLY.fullmatch(own):
        return
    head = prev.shared_head
    if not head:
        m = _LEVEL_HEAD.search(work, prev.label[0], prev.label[1])
        head = m.group("head") if m else ""
    if head:
        raw.shared_head = head
        raw.phrase_text = own + head
