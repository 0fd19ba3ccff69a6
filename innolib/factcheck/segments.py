"""A text cut into claims under construction: sentences, each figure's stretch of text
(from the previous figure or punctuation to the next), its own words, list items, and which
figure a growth figure speaks of.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from innolib.factcheck.figures import Figure, find_figures
from innolib.factcheck.layout import HEADING
from innolib.factcheck.qualifiers import BOUNDARY, SCOPE_QUALS, Qual, find_qualifiers
from innolib.factcheck.text import Text

# ----------------------------------------------------------------------------- extraction


@dataclass
class Raw:
    """A claim under construction (working-copy offsets)."""

    fig: Figure
    qual: Qual
    seg_start: int
    seg_end: int
    sentence: tuple[int, int]
    role: str
    label: tuple[int, int] = (0, 0)  # the claim's own words (work span), maybe empty
    right: tuple[int, int] = (0, 0)
    phrase_span: tuple[int, int] | None = None
    indicator: str | None = None
    matched: bool = False
    parent: Raw | None = None  # breakdown parent (其中, parentheses)
    distribute: tuple[int, int] | None = None  # 各 / 分别: the item this figure stands for
    shared_qual: list[tuple[int, int]] | None = None  # 分别达到 1家和 3家: the list's qualifier
    inherit: bool = False
    note: str = ""
    shared_head: str = ""  # 省级1家 after 国家级科技企业孵化器1家: the head it shares
    phrase_text: str = ""  # a phrase rebuilt from a shared head (省级科技企业孵化器)


_SENTENCE_END = set("。!?")
_LEAD_SCOPE = re.compile(
    r"(?:区科技局(?:联合[^,;:。]{1,10}?[局委])?|区财政局|区统计局|区内企业|全区|全年|全市|全县|今年以来|[^,;:。]{0,8}以来|截[至止]目前|截[至止][^,;:。]{1,10}?(?:底|末|日)|分别|目前|其中|区内|年内|当年|"
    r"提前[一二两三\d]年|辖区|当前位置[:]?|初步统计|据统计|经统计|第[\d一二三四五六七八九十]+批次?|本年度|本年|今年|年度(?!任务|目标|计划)|同时|此外|另外|共有|共计|共|累计|新增|另有|已|为|对|实现|我局|我县|我区|我市|本局|"
    # the means (通过政府信息公开专栏) is no part of what is counted
    r"通过[^,;:。\d]{1,12}?(?:专栏|平台|网站|渠道|方式|系统)|"
    r"\d{4}年度?(?:上半年|下半年|前三季度|\d{1,2}(?:[—-]\d{1,2})?月份?)?|(?:上|下)半年|前三季度|[一二三四]季度|\d{1,2}[—-]\d{1,2}月份?|"
    # a list ordinal or a heading's number (1、 2. (3) 一、 (二)) is no part of what is counted
    r"\d{1,2}[、.](?!\d)|[一二三四五六七八九十]{1,3}、|\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\))+"
)


#: a sentence longer than this is cut at its last clause boundary (or, lacking one, between
#: two characters that are not both digits) before the limit: real sentences are far
#: shorter, and every per-sentence step then costs a bounded amount, so a draft is read in
#: time linear in its length even when it has no sentence ends at all
MAX_SENTENCE = 1000


def _sentences(work: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(work):
        if ch in _SENTENCE_END:
            out.extend(_capped(work, start, i + 1))
            start = i + 1
    if start < len(work):
        out.extend(_capped(work, start, len(work)))
    return out


def _capped(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) as pieces of at most MAX_SENTENCE characters (see MAX_SENTENCE)."""
    out = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = next((i + 1 for i in range(limit - 1, start, -1) if work[i] in BOUNDARY), 0)
        if not cut:
            cut = next(
                (i for i in range(limit, start + 1, -1) if not (work[i - 1] + work[i]).isdigit()),
                limit,
            )
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _clause_start(work: str, lo: int, pos: int) -> int:
    i = pos
    while i > lo and work[i - 1] not in BOUNDARY:
        i -= 1
    return i


def _clause_end(work: str, pos: int, hi: int) -> int:
    i = pos
    while i < hi and work[i] not in BOUNDARY:
        i += 1
    return i


def raw_claims(text: Text) -> list[Raw]:
    work = text.work
    raws: list[Raw] = []
    for s_start, s_end in _sentences(work):
        figs = find_figures(text, s_start, s_end)
        prev_end = s_start
        for k, fig in enumerate(figs):
            clause = _clause_start(work, s_start, fig.a)
            seg_start = max(clause, prev_end if prev_end <= fig.a else clause)
            while seg_start < fig.a and work[seg_start] in "、和及与()":
                seg_start += 1
            nxt = figs[k + 1].a if k + 1 < len(figs) else s_end
            if k + 1 < len(figs) and figs[k + 1].rank:
                nxt = min(nxt, figs[k + 1].rank_pos)
            seg_end = min(_clause_end(work, fig.end, s_end), nxt)
            qual = find_qualifiers(work, seg_start, fig)
            raw = Raw(
                fig=fig,
                qual=qual,
                seg_start=seg_start,
                seg_end=seg_end,
                sentence=(s_start, s_end),
                role=qual.role,
                right=(fig.end, seg_end),
            )
            raws.append(raw)
            prev_end = fig.end
    return raws


def past_scope(work: str, start: int, end: int) -> int:
    """Where a claim's words begin after leading scope words (全区, 今年以来, 1-6月 …); a
    scope word 累计/新增 stays when two characters at most would remain (累计增速)."""
    m = _LEAD_SCOPE.match(work, start, end)
    if not m:
        return start
    if end - m.end() <= 2 and SCOPE_QUALS.fullmatch(work, m.end() - 2, m.end()):
        return m.end() - 2
    return m.end()


def own_words(text: Text, raw: Raw) -> tuple[int, int]:
    """The claim's own words before the number (scope words and qualifiers left out)."""
    work = text.work
    if raw.qual.phrase:
        return raw.qual.phrase
    end = raw.qual.run_start if raw.role != "rank" else raw.fig.rank_pos
    start = raw.seg_start
    start = past_scope(work, start, end)
    if raw.role == "rank":
        while end > start and work[end - 2 : end] in ("全市", "全省", "全区", "全国"):
            end -= 2
    while start < end and work[start] in "、和及与()":
        start += 1
    start = past_scope(work, start, end)
    cut = list(SCOPE_QUALS.finditer(work, start, end))
    # 累计增速: a scope word stays when two characters at most remain; a subject of four or
    # more before it stays too (规上科学研究和技术服务业累计完成收入)
    if cut and end - cut[-1].end() > 2 and cut[-1].start() - start < 4:
        start = cut[-1].end()
    start = _after_heading(text, start, end)
    start = past_scope(work, _at_last_verb(work, start, end), end)
    start = _after_open_parenthesis(work, start, end)
    frame = _AMONG.search(work, start, end) if raw.role != "rank" else None
    if frame and frame.start() - start >= 2:
        end = frame.start()  # 科技特派员中有20名: among them
    if _SCOPE_ONLY.fullmatch(work, start, end) or _FOR_SCOPE.search(work, start, end):
        start = end  # 在全省20个创新型县, 为全县12个乡镇: a scope, the thing counted after
    if end > start and work[end - 1] in "、和及与" and start == raw.seg_start:
        start = end  # 超40辆港牌车、1000名科研人员: the words before are the last item's
    if raw.fig.word and raw.role == "comparison":
        # A和B在2022年的基础上实现“双倍增”: the subject, not the frame nor the quote
        stop = _SUBJECT_END.search(work, start + 2, end)
        end = stop.start() if stop else end
        while end > start and work[end - 1] in "“双":
            end -= 1
    return (start, end) if end > start else (start, start)


#: verbs that take what is counted as their object and are never part of an indicator's
#: name (研发投入, 技术服务 are names: 投入, 服务 are not here)
TRANSITIVE = re.compile(
    r"提供|承担|牵头|发放|兑现|拨付|帮助|获得|获批|给予|达成|签订|促成|带动|吸引|举办|"
    r"组织|开展|争取到|落实|引导|助力|协助|指导"
)


_AMONG = re.compile(r"中有$|中$|当中$")
_FOR_SCOPE = re.compile(r"[为在对向给](?:全[省市县区]|[省市县区]内)$")
_SCOPE_ONLY = re.compile(r"在?全[省市国区县]|在[省市区县]内")


def _after_open_parenthesis(work: str, start: int, end: int) -> int:
    """A figure inside parentheses opened in its words (…成功入选(全省仅5个县(市)入选)):
    its words begin inside them."""
    depth, last = 0, None
    for i in range(start, end):
        if work[i] == "(":
            depth, last = depth + 1, i
        elif work[i] == ")" and depth:
            depth -= 1
    if not depth or last is None or last + 1 >= end:
        return start  # 产出指标(50分): the figure fills them, the words before name it
    return last + 1


def _at_last_verb(work: str, start: int, end: int) -> int:
    """Where a claim's words begin when they hold a subject and a verb before the object
    counted (中铝研究院牵头承担国家重点研发计划项目2项, 为企业提供贷款贴息120万元): at the
    last such verb, the subject left out; a verb leading the words stays (开展产学研合作)."""
    last = None
    for m in TRANSITIVE.finditer(work, start + 2, end - 2):
        last = m
    done = None
    for m in _DONE_VERB.finditer(work, start + 1, end - 2):
        done = m  # 西南大学共建了蚕桑产业院士工作站: what was done begins after 了
    if done is not None and (last is None or done.end() > last.start()):
        return done.end()
    if last is None or not _WORDS.search(work, start, last.start()):
        return start
    return last.start()


#: a verb of what was done, ending in 了 (not 了解, 为了, 除了)
_DONE_VERB = re.compile(r"(?<![为除])了(?!解)")


_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]{2}")


def _after_heading(text: Text, start: int, end: int) -> int:
    """A claim's words begin after a heading line they would otherwise run on from
    (``(一)部门年度总体目标`` + newline + ``高新技术企业数总数达到130家``)."""
    if end <= start:
        return start
    o = text.layout
    a, b = text.origin[start], text.origin[end - 1]
    nl = o.rfind("\n", a, b)
    while nl >= 0:
        if HEADING.match(o[o.rfind("\n", max(0, nl - 64), nl) + 1 : nl]):  # a short line
            return bisect_left(text.origin, nl + 1)
        nl = o.rfind("\n", a, nl)
    return start


# ----------------------------------------------------------------------------- assembling


def split_items(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """Items of ``A和B`` / ``A、B`` between start and end, parentheses left out of each."""
    items: list[tuple[int, int]] = []
    depth, cur = 0, start
    for i in range(start, end):
        ch = work[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch in "和、及与":
            items.append((cur, i))
            cur = i + 1
    items.append((cur, end))
    out = []
    for s, e in items:
        p = work.find("(", s, e)
        out.append((s, p if p >= 0 else e))
    return [(s, e) for s, e in out if e > s]


#: where the subject list at the head of a clause ends: its predicate begins
_SUBJECT_END = re.compile(r"在|将|实现|已|均|都|达|为|比|较|同比|增长|分别|共|合计")


def subjects_before(work: str, raw: Raw) -> list[tuple[int, int]]:
    """The items of the subject list heading the clause before a 分别 clause that has no
    words of its own (``A和B在2022年的基础上实现倍增,分别超过90家和870家``: A, B)."""
    comma = work.rfind(",", raw.sentence[0], raw.seg_start)
    if comma < 0 or not work.startswith("分别", comma + 1):
        return []  # no clause before, or the 分别 clause has words of its own
    start = max(raw.sentence[0], *(work.rfind(ch, raw.sentence[0], comma) + 1 for ch in ",;:"))
    start = past_scope(work, start, comma)
    end = _SUBJECT_END.search(work, start, comma)
    return split_items(work, start, end.start() if end else comma)


def in_one_list(work: str, a: Raw, b: Raw) -> bool:
    """Whether two figures stand in one list (only 、/和/及/与 between them)."""
    return a.sentence == b.sentence and work[a.fig.end : b.fig.a].strip("、和及与") == ""


def growth_source(raws: list[Raw], i: int, work: str) -> Raw | None:
    """The figure a growth claim speaks of: the value before it (分别增长 X、Y: one each)."""
    raw = raws[i]
    first, last = i, i  # raws come in text order: a sentence's claims stand together
    while first > 0 and raws[first - 1].sentence == raw.sentence:
        first -= 1
    while last + 1 < len(raws) and raws[last + 1].sentence == raw.sentence:
        last += 1
    same, j = raws[first : last + 1], i - first
    lo = j
    while lo > 0 and same[lo - 1].role == "growth" and in_one_list(work, same[lo - 1], same[lo]):
        lo -= 1
    hi = j
    while (
        hi + 1 < len(same)
        and same[hi + 1].role == "growth"
        and in_one_list(work, same[hi], same[hi + 1])
    ):
        hi += 1
    run = same[lo : hi + 1]
    values = [r for r in same[:lo] if r.role in ("value", "current", "rank")]
    head = run[0]
    if len(run) > 1 or "分别" in work[head.seg_start : head.fig.a]:
        n, k = len(run), j - lo
        return values[len(values) - n + k] if len(values) >= n else None
    return values[-1] if values else None


#: where a sentence's topic ends and what is said of it begins (技术合同成交额|连续五年保持
#: 两位数增长, 高新技术企业|培育成效明显)
_TOPIC_END = re.compile(
    r"连续|保持|持续|稳步|不断|进一步|快速|大幅|较快|实现|取得|成效|明显|显著|增长|提升|提高|"
    r"达到|位居|居|排名|在|有|为|是|均|都|已|再创|创|首次|呈|继续|培育|建设|工作|方面"
)


def sentence_topic(work: str, raws: list[Raw], i: int) -> tuple[int, int] | None:
    """The topic a figure without words of its own speaks of when no figure before it in its
    sentence names one: the head of the sentence's first clause, when that clause holds no
    figure (全区技术合同成交额连续五年保持两位数增长,2025年达到4.74亿元,是2020年的5.5倍)."""
    raw = raws[i]
    s_start = raw.sentence[0]
    end = next((k for k in range(s_start, raw.seg_start) if work[k] in ",;:"), -1)
    first = i  # the sentence's first figure: raws come in text order
    while first > 0 and raws[first - 1].sentence == raw.sentence:
        first -= 1
    if end < 0 or raws[first].fig.a < end:
        return None
    if "|" in work[s_start : raw.fig.a]:
        return None  # a table's cells: the cell before names a figure (layout.cell_before)
    start = past_scope(work, s_start, end)
    while start < end and work[start] in "、和及与()":
        start += 1
    if work.startswith("在", start) and work[end - 1] in "上中":
        # 在…中: what is inside, up to the activity (在科技型中小企业培育上; not 排名中)
        stop = _ACTIVITY.search(work, start + 3, end - 1)
        end = stop.start() if stop else end - 1
        return (start + 1, end) if end - start >= 3 else None
    stop = _TOPIC_END.search(work, start + 2, end)
    end = stop.start() if stop else end
    return (start, end) if end - start >= 2 else None


_ACTIVITY = re.compile(r"培育|建设|工作|方面")
#: a claim's own words that say only what was done (新认定23家) or only which measure
#: (总数达到86家): they name the thing with the sentence's topic
BARE_VERB = re.compile(
    r"新?(?:认定|入库|增|申报|获批|引进|培育|备案|登记|建成|建|创建|立项|签约|落地|入驻)"
)
BARE_MEASURE = re.compile(r"总数|总量|数量|总额|金额|规模")
