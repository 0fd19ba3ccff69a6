"""The words around a figure that say how exact it is (约, 余, 超过, 近 …) and what role it
plays (growth, current, base, share, comparison, target, rank).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from innolib.factcheck.figures import Figure
from innolib.factcheck.text import Text

# ----------------------------------------------------------------------------- qualifiers

_GROWTH_VERB = (
    r"(?:净增加|净增|增长|增加|提高|提升|上升|下降|减少|降低|前移|前进|后移|后退|下滑|增)"
)
_GROWTH_BASE = (
    r"(?:(?:分别)?(?:同比\d{4}年|同比|较上年同期|较去年同期|比上年同期|比去年同期|较上年|比上年|较去年|比去年|年均)(?:分别)?"
    r"|[较比](?:“[^”]{1,6}”|[^\d,;:。“”]{1,6}?|\d{4}年)(?:末|底|初|年|同期)?|分别)"
)
# a growth whose base is not the same period a year earlier (较“十三五”末, 比2020年) gets no verdict
YOY_BASE = re.compile(r"同比|较上年|比上年|较去年|比去年")
OTHER_BASE = re.compile(
    r"[较比](?!上年|去年)(?:“[^”]{1,6}”|[^\d,;:。“”]{1,6}?(?:末|底|初|年|同期)|\d{4}年)"
)
_CURRENT = r"(?:发展到|发展至|增长至|增长到|增加至|增加到|提高至|提高到|提升至|提升到|上升至|上升到|增至|增到|达到|升至|降至|下降至|下降到|减少至|减少到)"
_QUAL_TOKENS: list[
    tuple[str, str]
] = [  # (regex anchored at the end of the text before the number, role)
    (r"(?:全[市省区国])?占比", "share"),
    (r"分别占", "share"),
    (r"占(?!比)[^\d,;:。、()!?近约超逾为]{1,14}?的?", "share"),
    (_GROWTH_BASE + "?" + r"(?:能够|可以|能|可|将)?" + _CURRENT, "current"),
    (_GROWTH_BASE + _GROWTH_VERB + "了?", "growth"),
    (
        r"(?<![\d一二三四五六七八九十])(?:近)?[一二两三四五六七八九十\d]{1,2}年(?:来)?再?"
        + _GROWTH_VERB
        + "了?",
        "growth",
    ),
    (r"再?" + _GROWTH_VERB + "了?", "growth"),
    (
        r"(?:首次)?(?:[≥≤≧≦><]=?|增加的|新增的|首批|超额完成|仅有|仅|只有|不少于|不低于|不超过|不高于|突破|超过|超出|超|逾|不足|不到|接近|将近|近|大约|(?<![签合节制预特邀履违公条契相])约为?|左右|已达|达到|达|累计达到|累计达|累计完成|累计|完成|新增|共计|合计|总计|各|由|从|分别)",
        "q",
    ),
]
_NEUTRAL = r"(?:实现|为|是|共有|共|有|已|分别为|分别是|分别达|等|的|和|及|与|\d{4}年度?|\d{4}年\d{1,2}月(?:底|末)?)"
_QUAL_RE = [(re.compile("(?:" + pat + r")$"), role) for pat, role in _QUAL_TOKENS]
_NEUTRAL_RE = re.compile("(?:" + _NEUTRAL + r")$")
_COMPARE_BY_RE = re.compile(r"比(?P<p>[^\d,;:。、()]{1,8}?)(?:高出|高|低|多|少)$")
_COMPARE_RE = re.compile(r"(?P<q>不?(?:高于|低于)|超出|多于|少于)(?P<p>[^\d,;:。、()]{1,12})$")
#: the base a doubling is against (数量较上年翻一番, 比2020年实现倍增)
_RATIO_BASE = re.compile(
    r"(?P<base>同比|较上年|比上年|较去年|比去年|[较比]\d{4}年(?:末|底)?|[较比]“十[二三四]五”末)"
    r"(?:实现|提前\S{1,3}实现)?"
)
_TARGET_RE = re.compile(r"(?P<q1>完成|达到)(?P<p>[^\d,;:。、()]{1,14}?)(?P<q2>的)$")
SCOPE_QUALS = re.compile(r"累计|新增")
BOUNDARY = set(",;:。!?|")  # | parts the cells of a table row


@dataclass
class Qual:
    words: list[tuple[int, int]]  # work spans of qualifier words, text order
    run_start: int  # where the qualifier run before the number starts (work index)
    role: str
    phrase: tuple[int, int] | None = (
        None  # a phrase captured by the pattern itself (完成…的, 高于…)
    )


def _ranking(fig: Figure) -> Qual:
    """A ranking's qualifier: its words (排名全市第); 位列“…百强区”第15位 leaves the name out
    (it is what is ranked); 位居全市首位 takes the word in."""
    end = fig.rank_pos + len(fig.rank)
    if fig.rank_name:
        s, e = fig.rank_name
        return Qual([(fig.rank_pos, s), (e, end)], fig.rank_pos, "rank", (s, e))
    words = [(fig.rank_pos, end)]
    if fig.word:
        words.append((fig.a, fig.end))
    return Qual(words, fig.rank_pos, "rank")


def _ratio_in_a_word(work: str, seg_start: int, fig: Figure) -> Qual:
    """较上年翻一番, 实现倍增: a ratio to a base said in a word, with the base before it."""
    before = find_qualifiers(work, seg_start, replace(fig, word=False))
    words, run_start = [*before.words, (fig.a, fig.end)], before.run_start
    m = _RATIO_BASE.search(work, seg_start, run_start)
    if m and m.end() == run_start:
        words.insert(len(before.words), m.span("base"))
        run_start = m.start()
    return Qual(sorted(words), run_start, "comparison")


def find_qualifiers(work: str, seg_start: int, fig: Figure) -> Qual:
    """The qualifier words around a figure and the role they give it."""
    if fig.rank:
        return _ranking(fig)
    if fig.word:
        return _ratio_in_a_word(work, seg_start, fig)
    words: list[tuple[int, int]] = []
    role = "value"
    pos = fig.a
    head = work[seg_start:pos]
    m = _TARGET_RE.search(head)
    if m:
        words += [
            (seg_start + m.start("q1"), seg_start + m.end("q1")),
            (seg_start + m.start("q2"), seg_start + m.end("q2")),
        ]
        return Qual(
            words,
            seg_start + m.start(),
            "target",
            (seg_start + m.start("p"), seg_start + m.end("p")),
        )
    m = _COMPARE_BY_RE.search(head)
    if m:
        words.append((seg_start + m.start(), seg_start + m.end()))
        role = (
            "growth" if m.group("p") in ("上年", "去年", "上年同期", "去年同期") else "comparison"
        )
        return Qual(words, seg_start + m.start(), role)
    m = _COMPARE_RE.search(head)
    if m and m.group("p").endswith("的"):  # 不低于企业当年职工总数的10%: a share of it
        words.append((seg_start + m.start(), seg_start + m.end()))
        return Qual(words, seg_start + m.start(), "share")
    if m and not re.search(_GROWTH_BASE, m.group("p")):
        words.append((seg_start + m.start("q"), seg_start + m.end("q")))
        return Qual(
            words,
            seg_start + m.start(),
            "comparison",
            (seg_start + m.start("p"), seg_start + m.end("p")),
        )
    run: list[tuple[int, int]] = []
    cur = pos
    while cur > seg_start:
        head = work[seg_start:cur]
        best: tuple[int, str] | None = None
        for rx, r in _QUAL_RE:
            mm = rx.search(head)
            if mm and _in_quotes(work, seg_start, seg_start + mm.start()):
                continue  # “R&D占GDP比重”达: a quoted name is one unit, never a qualifier
            if mm and (best is None or len(mm.group()) > best[0]):
                best = (len(mm.group()), r)
        nm = _NEUTRAL_RE.search(head)
        if best and (not nm or best[0] >= len(nm.group())):
            run.insert(0, (cur - best[0], cur))
            if best[1] != "q" and role == "value":
                role = best[1]
            elif best[1] == "q" and work[cur - best[0] : cur] in ("由", "从") and role == "value":
                role = "base"
            cur -= best[0]
        elif nm:
            cur -= len(nm.group())
        else:
            break
    run_start = cur
    words = list(run)
    for m in SCOPE_QUALS.finditer(work, seg_start, run_start):
        if not any(s <= m.start() < e for s, e in words):
            words.append(m.span())
    words.sort()
    return Qual(words, run_start, role)


def _in_quotes(work: str, start: int, pos: int) -> bool:
    """Whether ``pos`` stands inside quotation marks opened after ``start``."""
    head = work[start:pos]
    return head.count("“") > head.count("”")


def qualifier_text(text: Text, spans: Iterable[tuple[int, int]]) -> str:
    parts: list[str] = []
    last_end = None
    for s, e in sorted(spans):
        if e <= s:
            continue
        piece = text.written(s, e)
        if last_end is not None and s == last_end and parts:
            parts[-1] += piece
        else:
            parts.append(piece)
        last_end = e
    return "…".join(parts)
