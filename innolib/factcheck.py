"""Fact-check a bulletin draft: prose -> numeric claims -> indicators -> verdicts.

Before a 简报 goes to the district's leaders someone checks every figure by hand; this
module does it. ``extract_claims`` finds every numeric claim in Chinese bulletin prose
(the patterns and the noise of ``spec/PROSE.md``), ``check_text`` matches each claim to an
indicator of the registry (its phrasings and unit) and compares it with the value
``innolib.indicators.compute_indicators`` gives for the period, reading the qualifier
(约, 余, 近, 超过…) for how exact the figure claims to be.

How the text is read
  The text is normalised into a working copy (full-width forms to half-width, layout
  spaces and line breaks dropped, thousands separators dropped, a figure split across
  lines joined) that keeps, for every character, its offset in the text as read: spans
  always point into the original text, line breaks included.

What is a claim
  A number with its unit (家, 项, 个, 次, 亿元, %, 个百分点, 倍 …; a bare Arabic number of
  at most three digits when the measure word is missing, ``选聘12科技副总``), Chinese
  numerals included when a measure word follows (两批次, 一项, 三百余家; 三大 as a count).
  Not claims: years and dates (2025年, 1—9月, 10月31日), document numbers (〔2018〕97号),
  ordinals (第二批, 一是), anything inside quotation marks or book-title marks (slogans such
  as “两高四着力”, project titles), model names (5G), idioms (一批, 一次性, 千家万户).
  Rankings (排名第三, 位居全市第二, 稳居全市前三) are claims of their own (the rank of
  whatever precedes them), never attached to the total.

Roles (``Claim.role``): ``value`` (the figure itself), ``current`` (由…增长至 *N*),
``base`` (由 *N*…, checked against the same period a year earlier), ``growth`` (同比增长
*N*%, 较上年增加 *N*家, 增长 *N* 倍, 提高 *N* 个百分点), ``share`` (占全市的 *N*%),
``comparison`` (高于全市平均水平 *N*), ``target`` (完成年度目标任务的 *N*%), ``rank``.
Shares, comparisons, targets and ranks need data beyond the package: they are reported
as unmatched.

Matching
  A claim matches an indicator when one of the indicator's registry phrases stands next
  to the number (before it, with only qualifiers such as 达/约/累计达到 between; or after
  its measure word, with only 企业/单位 between) and the claim's unit fits the indicator
  (亿元/万元/元 for money, % for rates, the unit or a measure word for counts). The longest
  phrase wins; two indicators tied on the longest phrase is ambiguous and the claim is
  unmatched: a claim is never guessed. Breakdown items (其中…, ``15家（新增7家、复核8家）``)
  whose own words name nothing are unmatched, never given their parent's indicator;
  ``各1项`` after ``A和B`` gives one claim per item; growth, base and 累计达到 figures
  without words of their own refer to the figure before them.

Verification (the data's value ``x`` in the claim's unit; figure ``v`` as written)
  exact        x rounds to v at the written precision (counts: equal; 3.18亿元:
               3.175 ≤ x < 3.185亿; 59%: 58.5 ≤ x < 59.5)
  约, 左右      the same rounding; an integer with trailing zeros is read to two
               significant figures at most (约120: 115 ≤ x < 125; 约1000: 950 ≤ x < 1050)
  余, 多        v ≤ x < v + one step of the last non-zero digit written
               (4.7亿余: 4.7 ≤ x < 4.8亿; 120余家: 120 ≤ x < 130; 100多家: 100 ≤ x < 200)
  以上          x ≥ v
  超过, 突破, 逾 x > v
  近, 接近      0.9·v ≤ x < v  ("a little under": within ten percent below)
  不足, 不到     x < v
  不少于, 不低于 x ≥ v;  不超过, 不高于, 以内: x ≤ v
  Growth claims compare with the indicator's change against the same period a year
  earlier: % as relative change, 倍 as relative change / 100 (增长1.6倍 = +160%),
  个百分点 as the difference of a rate, a count or money unit as the absolute difference;
  下降/减少 make the claimed change negative.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

__all__ = ["CheckResult", "Claim", "check_claims", "check_text", "extract_claims", "format_claims"]

STATUSES = ("verified", "contradicted", "unmatched", "no_data")
MAX_PHRASE = 20

# ----------------------------------------------------------------------------- the claim


@dataclass
class Claim:
    """One numeric claim of a text, with where it stands and (after checking) its verdict.

    ``value`` is the number as written (Chinese numerals converted; not converted to another
    unit); ``unit`` the unit as written without 余/多; ``span`` [start, end) offsets of the
    figure (number through unit) in the text as read; ``role`` see the module docstring.
    """

    sentence: str
    phrase: str
    value: int | float
    value_text: str
    unit: str
    qualifier: str
    span: tuple[int, int]
    role: str = "value"
    indicator: str | None = None
    status: str = "unmatched"
    expected: float | None = None
    note: str = ""
    year: int | None = None  # a year written with the figure (由2021年的0.86亿元): not the period's
    figure: str = ""  # the figure as written (4.7亿余元, 两批次), for people
    context: str = ""  # the words just before the figure in its sentence, for people

    def to_dict(self) -> dict[str, Any]:
        """The claim as an entry of the claims document (INTERFACE.md)."""
        return {
            "sentence": self.sentence,
            "phrase": self.phrase,
            "value": self.value,
            "value_text": self.value_text,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "span": [self.span[0], self.span[1]],
            "indicator": self.indicator,
            "status": self.status,
            "expected": self.expected,
        }


@dataclass
class CheckResult:
    """Every claim of a text with its verdict; ``contradicted`` when any claim is."""

    claims: list[Claim]
    district: str | None = None
    period: str | None = None

    @property
    def contradicted(self) -> bool:
        return any(c.status == "contradicted" for c in self.claims)

    def counts(self) -> dict[str, int]:
        """How many claims have each status."""
        return {s: sum(c.status == s for c in self.claims) for s in STATUSES}

    def to_document(self) -> dict[str, Any]:
        """The claims document of ``innolib check --json``."""
        return {
            "district": self.district,
            "period": self.period,
            "contradicted": self.contradicted,
            "counts": self.counts(),
            "claims": [c.to_dict() for c in self.claims],
        }


# ----------------------------------------------------------------------------- normalising


@dataclass(frozen=True)
class _Text:
    """The text as read and its working copy; ``origin[i]`` is the original offset of work[i]."""

    original: str
    work: str
    origin: tuple[int, ...]

    def span(self, a: int, b: int) -> tuple[int, int]:
        return (self.origin[a], self.origin[b - 1] + 1)

    def written(self, a: int, b: int) -> str:
        """The original characters behind work[a:b], layout whitespace left out."""
        if b <= a:
            return ""
        start, end = self.span(a, b)
        return "".join(ch for ch in self.original[start:end] if not ch.isspace())


_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")


def _normalise(text: str) -> _Text:
    drop = set()
    for m in _THOUSANDS.finditer(text):
        drop.update(m.start() + i for i, ch in enumerate(m.group()) if ch == ",")
    work: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            prev = work[-1] if work else ""
            nxt = text[j] if j < n else ""
            nxt = unicodedata.normalize("NFKC", nxt) if nxt else ""
            run = text[i:j]
            if prev.isdigit() and nxt[:1].isdigit() and "\n" in run:
                pass  # a figure split across lines: join it
            elif prev.isascii() and prev.isalnum() and nxt[:1].isascii() and nxt[:1].isalnum():
                work.append(" ")
                origin.append(i)
            i = j
            continue
        if i in drop:
            i += 1
            continue
        norm = unicodedata.normalize("NFKC", ch)
        work.append(norm if len(norm) == 1 else ch)
        origin.append(i)
        i += 1
    return _Text(text, "".join(work), tuple(origin))


# ----------------------------------------------------------------------------- numbers

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"(?P<ar>\d+(?:\.\d+)?(?:/\d+)?)|(?P<cn>[零〇一二两三四五六七八九十百千]+)")
_UNITS = (
    "个百分点",
    "百分点",
    "家次",
    "人次",
    "场次",
    "项次",
    "批次",
    "个",
    "家",
    "项",
    "次",
    "场",
    "人",
    "批",
    "件",
    "名",
    "位",
    "所",
    "篇",
    "台",
    "套",
    "款",
    "种",
    "户",
    "支",
    "条",
    "期",
    "元",
    "%",
    "笔",
    "例",
    "座",
    "张",
    "成",
    "倍",
    "亩",
    "吨",
    "平方米",
    "份",
    "节",
    "轮",
)
_SUFFIX = re.compile(
    r"(?P<yu1>余|多)?(?P<mult>万|亿)?(?P<yu2>余|多)?(?P<unit>"
    + "|".join(map(re.escape, _UNITS))
    + r")?"
    r"(?P<post>以上|以内|左右|多)?"
)
# what follows a number that is not a claim: dates, durations, ordinals of things
_NOT_A_MEASURE = re.compile(
    r"(?:余|多)?(?:位数|年|月|日|号|时|点(?!击)|分钟|秒|小时|天|周|季度|个月|个工作日|个小时|届|代|级|岁|版|楼|层|号|寸|K|G|D|型)"
)
_RANGE = re.compile(r"[—–\-~～至到]\d")
_BAD_PRE_CN = set("第初周数几上之统唯同单星礼万")
_IDIOMS = (
    "成百上千",
    "一批",
    "一次性",
    "一件事",
    "千家万户",
    "一个个",
    "一项项",
    "一家家",
    "一批批",
    "一人一",
    "一企一",
    "一大批",
    "一成不变",
)
_RANK = re.compile(
    r"(?P<q>(?:排名|位居|位列|名列|稳居|跻身|排|居|列)(?:全[市省国区县]|[市省区县]内)?(?:第|前))$"
)
_QUOTES = {
    "“": "”",
    "‘": "’",
    "《": "》",
    "〔": "〕",
    "[": "]",
    "【": "】",
    "「": "」",
    "『": "』",
    "〈": "〉",
}


def _cn_value(text: str) -> int | None:
    total, num = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (num or 1) * _CN_UNITS[ch]
            num = 0
        else:
            return None
    return total + num


def _mask(work: str, start: int, end: int) -> list[bool]:
    """True where a character stands inside quotation or book-title marks (slogans, titles)."""
    masked = [False] * (end - start)
    stack: list[str] = []
    straight = False
    for i in range(start, end):
        ch = work[i]
        if ch in _QUOTES:
            stack.append(_QUOTES[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            continue
        elif ch == '"':
            straight = not straight
            continue
        masked[i - start] = bool(stack) or straight
    return masked


@dataclass
class _Figure:
    """A number found in the working copy: [a, b) the digits, [a, end) through the unit."""

    a: int
    b: int
    end: int
    value: Decimal
    text: str
    unit: str
    approx: str  # 余 / 多
    approx_pos: int
    post: str  # 以上 / 左右
    post_pos: int
    rank: str = ""
    rank_pos: int = 0
    big: bool = False  # 三大: a count without a measure word


_CN_FRACTION = re.compile(
    r"(?P<den>[一二两三四五六七八九十百]+)分之(?P<num>[一二两三四五六七八九十百]+)"
)


def _figures(text: _Text, start: int, end: int) -> list[_Figure]:
    work = text.work
    masked = _mask(work, start, end)
    out: list[_Figure] = []
    fractions: list[tuple[int, int]] = []
    for m in _CN_FRACTION.finditer(work, start, end):
        num, den = _cn_value(m.group("num")), _cn_value(m.group("den"))
        if masked[m.start() - start] or not num or not den:
            continue
        fractions.append(m.span())
        out.append(
            _Figure(
                a=m.start(),
                b=m.end(),
                end=m.end(),
                value=Decimal(num) / Decimal(den),
                text=m.group(),
                unit="",
                approx="",
                approx_pos=-1,
                post="",
                post_pos=-1,
            )
        )
    for m in _NUMBER.finditer(work, start, end):
        a, b = m.span()
        if masked[a - start] or any(fa <= a < fb for fa, fb in fractions):
            continue
        before = work[start:a]
        rank = _RANK.search(before)
        prev = work[a - 1] if a > start else ""
        after = work[b:end]
        if m.group("ar"):
            digits = m.group("ar")
            if (prev.isascii() and prev.isalpha()) or (after[:1].isascii() and after[:1].isalpha()):
                continue
            if re.match(r"[.:]\d", after) or _RANGE.match(after):
                continue
            if prev in ".:" and a - 2 >= start and work[a - 2].isdigit():
                continue  # 2025.10.31, 10:30
            if "/" in digits:
                num, den = digits.split("/")
                if Decimal(den) == 0:
                    continue
                value = Decimal(num) / Decimal(den)
            else:
                value = Decimal(digits)
        else:
            raw = m.group("cn")
            if (prev in _BAD_PRE_CN and not rank) or any(
                work.startswith(idiom, a) for idiom in _IDIOMS
            ):
                continue
            if work.startswith(raw + "批", a) and raw == "一" and not work.startswith("一批次", a):
                continue
            cv = _cn_value(raw)
            if cv is None:
                continue
            value = Decimal(cv)
        if prev == "第" and not rank:
            continue
        if _NOT_A_MEASURE.match(after):
            continue
        s = _SUFFIX.match(work, b, end)
        if _RANGE.match(work, s.end(), end) or (
            prev in "—–~-"
            and a - 2 >= start
            and (work[a - 2].isdigit() or work[a - 2] in "%家项个次人万元")
        ):
            continue  # a range (10%—20%, 3—5家) describes a class, it claims no figure
        unit = (s.group("mult") or "") + (s.group("unit") or "")
        approx = s.group("yu1") or s.group("yu2") or ""
        approx_pos = (
            s.start("yu1") if s.group("yu1") else (s.start("yu2") if s.group("yu2") else -1)
        )
        post = s.group("post") or ""
        fig_end = (
            s.end("unit")
            if s.group("unit")
            else max(
                s.end("mult") if s.group("mult") else b,
                s.end("yu2") if s.group("yu2") else b,
                s.end("yu1") if s.group("yu1") else b,
            )
        )
        if unit == "" and approx == "多":
            approx, fig_end = "", b  # 10多 without a unit: not read as "more than"
        big = False
        if rank:
            unit, approx, post, fig_end = "", "", "", b
        elif m.group("cn"):
            if not unit:
                if re.match(r"大(?!批|量|力|幅|型|部分|多|学|会|赛|厅|院)", after) and raw != "一":
                    big = True
                else:
                    continue
            elif unit in ("期", "代"):
                continue
        else:
            if not unit:
                if "." not in digits and "/" not in digits and len(digits) > 3:
                    continue  # hotlines, codes, bare years
                if after[:1] in ("、", ".", ")") or prev in ("(",):
                    continue  # list numbering 1、 1. (1)
        out.append(
            _Figure(
                a=a,
                b=b,
                end=fig_end,
                value=value,
                text=text.written(a, b) if "/" not in m.group() else m.group(),
                unit=unit,
                approx=approx,
                approx_pos=approx_pos,
                post=post,
                post_pos=s.start("post") if post else -1,
                rank=rank.group("q") if rank else "",
                rank_pos=rank.start() + start if rank else 0,
                big=big,
            )
        )
        if out[-1].text == "" or any(ch.isspace() for ch in out[-1].text):
            out[-1].text = m.group()
    out.sort(key=lambda f: f.a)
    return out


def _original_number_text(text: _Text, fig: _Figure) -> str:
    start, end = text.span(fig.a, fig.b)
    return "".join(ch for ch in text.original[start:end] if not ch.isspace())


# ----------------------------------------------------------------------------- qualifiers

_GROWTH_VERB = r"(?:净增加|净增|增长|增加|提高|提升|上升|下降|减少|降低|增)"
_GROWTH_BASE = (
    r"(?:(?:分别)?(?:同比|较上年同期|较去年同期|比上年同期|比去年同期|较上年|比上年|较去年|比去年|年均)"
    r"|[较比](?:“[^”]{1,6}”|[^\d,;:。“”]{1,6}?|\d{4}年)(?:末|底|初|年|同期)?|分别)"
)
# a growth whose base is not the same period a year earlier (较“十三五”末, 比2020年) gets no verdict
_YOY_BASE = re.compile(r"同比|较上年|比上年|较去年|比去年")
_OTHER_BASE = re.compile(
    r"[较比](?!上年|去年)(?:“[^”]{1,6}”|[^\d,;:。“”]{1,6}?(?:末|底|初|年|同期)|\d{4}年)"
)
_CURRENT = r"(?:增长至|增长到|增加至|增加到|提高至|提高到|提升至|提升到|上升至|上升到|增至|增到|达到|升至|降至|下降至|下降到|减少至|减少到)"
_QUAL_TOKENS: list[
    tuple[str, str]
] = [  # (regex anchored at the end of the text before the number, role)
    (r"(?:全[市省区国])?占比", "share"),
    (r"分别占", "share"),
    (r"占(?!比)[^\d,;:。、()!?近约超逾为]{1,14}?的?", "share"),
    (_GROWTH_BASE + "?" + _CURRENT, "current"),
    (_GROWTH_BASE + _GROWTH_VERB + "了?", "growth"),
    (_GROWTH_VERB + "了?", "growth"),
    (
        r"(?:首次)?(?:不少于|不低于|不超过|不高于|突破|超过|超出|超|逾|不足|不到|接近|将近|近|大约|(?<![签合节制预特邀履违公条契相])约为?|左右|已达|达到|达|累计达到|累计达|累计|新增|共计|合计|总计|各|由|从)",
        "q",
    ),
]
_NEUTRAL = r"(?:为|是|共有|共|有|已|分别为|分别是|分别达|等|的|和|及|与|\d{4}年度?|\d{4}年\d{1,2}月(?:底|末)?)"
_QUAL_RE = [(re.compile("(?:" + pat + r")$"), role) for pat, role in _QUAL_TOKENS]
_NEUTRAL_RE = re.compile("(?:" + _NEUTRAL + r")$")
_COMPARE_BY_RE = re.compile(r"比(?P<p>[^\d,;:。、()]{1,8}?)(?:高出|高|低|多|少)$")
_COMPARE_RE = re.compile(r"(?P<q>高于|低于|超出|多于|少于)(?P<p>[^\d,;:。、()]{1,12})$")
_TARGET_RE = re.compile(r"(?P<q1>完成)(?P<p>[^\d,;:。、()]{1,14}?)(?P<q2>的)$")
_SCOPE_QUALS = re.compile(r"累计|新增")
_BOUNDARY = set(",;:。!?")


@dataclass
class _Qual:
    words: list[tuple[int, int]]  # work spans of qualifier words, text order
    run_start: int  # where the qualifier run before the number starts (work index)
    role: str
    phrase: tuple[int, int] | None = (
        None  # a phrase captured by the pattern itself (完成…的, 高于…)
    )


def _qualifiers(work: str, seg_start: int, fig: _Figure) -> _Qual:
    """The qualifier words around a figure and the role they give it."""
    words: list[tuple[int, int]] = []
    role = "value"
    pos = fig.a
    if fig.rank:
        words.append((fig.rank_pos, fig.rank_pos + len(fig.rank)))
        return _Qual(words, fig.rank_pos, "rank")
    head = work[seg_start:pos]
    m = _TARGET_RE.search(head)
    if m:
        words += [
            (seg_start + m.start("q1"), seg_start + m.end("q1")),
            (seg_start + m.start("q2"), seg_start + m.end("q2")),
        ]
        return _Qual(
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
        return _Qual(words, seg_start + m.start(), role)
    m = _COMPARE_RE.search(head)
    if m and not re.search(_GROWTH_BASE, m.group("p")):
        words.append((seg_start + m.start("q"), seg_start + m.end("q")))
        return _Qual(
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
    for m in _SCOPE_QUALS.finditer(work, seg_start, run_start):
        if not any(s <= m.start() < e for s, e in words):
            words.append(m.span())
    words.sort()
    return _Qual(words, run_start, role)


def _qualifier_text(text: _Text, spans: Iterable[tuple[int, int]]) -> str:
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


def _canon(s: str, base: int = 0) -> tuple[str, list[int], list[int]]:
    """A string for matching (quotes and years dropped, synonyms unified) and, per
    character, the [start, end) offsets (relative + ``base``) of what it came from."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(s):
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


_L_FILLER = re.compile(
    r"(?:累计达到|累计达|累计|新增|共计|共有|共|合计|总计|达到|达|约为|约|近|接近|将近|超过|突破|首次突破|超|逾|不足|不到|已达|已|为|是|有|"
    r"分别为|分别达到|分别达|分别|数量|总量|由|从|同比|的|以上|左右|各|大约)*"
)


_MODIFIER = re.compile(r"(?:[国省市区县]级|以上|以下|以内|其他|非)$")


@dataclass(frozen=True)
class _Phrase:
    canon: str
    indicator: str


@dataclass
class _Vocabulary:
    """The registry's phrasings in matching form, and each indicator's unit and measure words."""

    phrases: list[_Phrase]
    units: dict[str, str]
    measure_words: dict[str, tuple[str, ...]]
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_registry(cls, registry: dict[str, Any]) -> _Vocabulary:
        phrases: list[_Phrase] = []
        seen: set[tuple[str, str]] = set()
        for iid, d in registry.items():
            for p in d.phrases:
                c = _canon(p)[0]
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


def _unit_base(unit: str) -> tuple[Decimal, str]:
    """(multiplier, base unit) of a unit as written: 亿元 -> (1e8, 元), 万家 -> (1e4, 家)."""
    mult = Decimal(1)
    if unit.startswith("亿"):
        mult, unit = Decimal(10) ** 8, unit[1:]
    elif unit.startswith("万"):
        mult, unit = Decimal(10) ** 4, unit[1:]
    return mult, unit


def _fits(claim_unit: str, role: str, iid: str, vocab: _Vocabulary) -> bool:
    iunit = vocab.units[iid]
    mult, base = _unit_base(claim_unit)
    if role == "growth":
        if base in ("%", "倍"):
            return iunit != "%" or base == "%"
        if base in ("个百分点", "百分点"):
            return iunit == "%"
        return _fits(claim_unit, "value", iid, vocab)
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


# ----------------------------------------------------------------------------- extraction


@dataclass
class _Raw:
    """A claim under construction (working-copy offsets)."""

    fig: _Figure
    qual: _Qual
    seg_start: int
    seg_end: int
    sentence: tuple[int, int]
    role: str
    label: tuple[int, int] = (0, 0)  # the claim's own words (work span), maybe empty
    right: tuple[int, int] = (0, 0)
    phrase_span: tuple[int, int] | None = None
    indicator: str | None = None
    matched: bool = False
    parent: _Raw | None = None  # breakdown parent (其中, parentheses)
    distribute: tuple[int, int] | None = None  # 各 / 分别: the item this figure stands for
    shared_qual: list[tuple[int, int]] | None = None  # 分别达到 1家和 3家: the list's qualifier
    inherit: bool = False
    note: str = ""


_SENTENCE_END = set("。!?")
_LEAD_SCOPE = re.compile(
    r"(?:区科技局(?:联合[^,;:。]{1,10}?[局委])?|区财政局|区统计局|区内企业|全区|全年|全市|全县|今年以来|[^,;:。]{0,8}以来|截至目前|截至[^,;:。]{1,10}?(?:底|末|日)|目前|其中|区内|年内|当年|"
    r"本年度|本年|今年|年度|同时|此外|另外|共有|共计|共|累计|新增|另有|已|为|对|\d{4}年(?:上半年|下半年|前三季度|\d{1,2}(?:—\d{1,2})?月)?)+"
)


def _sentences(work: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(work):
        if ch in _SENTENCE_END:
            out.append((start, i + 1))
            start = i + 1
    if start < len(work):
        out.append((start, len(work)))
    return out


def _clause_start(work: str, lo: int, pos: int) -> int:
    i = pos
    while i > lo and work[i - 1] not in _BOUNDARY:
        i -= 1
    return i


def _clause_end(work: str, pos: int, hi: int) -> int:
    i = pos
    while i < hi and work[i] not in _BOUNDARY:
        i += 1
    return i


def _raw_claims(text: _Text) -> list[_Raw]:
    work = text.work
    raws: list[_Raw] = []
    for s_start, s_end in _sentences(work):
        figs = _figures(text, s_start, s_end)
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
            qual = _qualifiers(work, seg_start, fig)
            raw = _Raw(
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


def _label(work: str, raw: _Raw) -> tuple[int, int]:
    """The claim's own words before the number (scope words and qualifiers left out)."""
    if raw.qual.phrase:
        return raw.qual.phrase
    end = raw.qual.run_start if raw.role != "rank" else raw.fig.rank_pos
    start = raw.seg_start
    m = _LEAD_SCOPE.match(work, start, end)
    if m:
        start = m.end()
    if raw.role == "rank":
        while end > start and work[end - 2 : end] in ("全市", "全省", "全区", "全国"):
            end -= 2
    while start < end and work[start] in "、和及与()":
        start += 1
    m = _LEAD_SCOPE.match(work, start, end)
    if m:
        start = m.end()
    cut = [mm.end() for mm in _SCOPE_QUALS.finditer(work, start, end)]
    if cut and cut[-1] < end:
        start = cut[-1]
    return (start, end) if end > start else (start, start)


# ----------------------------------------------------------------------------- matching


def _match_side(
    work: str, raw: _Raw, vocab: _Vocabulary, role: str
) -> list[tuple[int, str, tuple[int, int]]]:
    """Registry phrases standing next to the figure: (length, indicator, work span)."""
    found: list[tuple[int, str, tuple[int, int]]] = []
    fig = raw.fig
    unit = fig.unit
    # before the number
    left = work[raw.seg_start : fig.a]
    canon, starts, ends = _canon(left, raw.seg_start)
    for ph in vocab.phrases:
        if not _fits(unit, role, ph.indicator, vocab):
            continue
        idx = canon.find(ph.canon)
        while idx >= 0:
            e = idx + len(ph.canon)
            gap = canon[e:]
            if _MODIFIER.search(canon, 0, idx) or canon[:idx].endswith(("、", "和", "及", "与")):
                pass  # 省级以上研发平台 is not 研发平台; 国家级、省级研发平台 not 省级研发平台
            elif _L_FILLER.fullmatch(gap):
                found.append((len(ph.canon), ph.indicator, (starts[idx], ends[e - 1])))
            idx = canon.find(ph.canon, idx + 1)
        # 省级研发平台新增3家 reads as 新增省级研发平台
        if ph.canon.startswith(("新增", "新认定", "新获批")):
            verb = "新增" if ph.canon.startswith("新增") else ph.canon[:3]
            rest = ph.canon[len(verb) :]
            if rest:
                idx = canon.find(rest)
                while idx >= 0:
                    gap = canon[idx + len(rest) :]
                    if verb in gap and _L_FILLER.fullmatch(gap.replace(verb, "", 1)):
                        found.append(
                            (len(ph.canon), ph.indicator, (starts[idx], ends[idx + len(rest) - 1]))
                        )
                    idx = canon.find(rest, idx + 1)
    # after the measure word
    if role in ("value", "current", "base"):
        unit_start = fig.b
        right = work[unit_start : raw.seg_end]
        canon, starts, ends = _canon(right, unit_start)
        base = _unit_base(fig.unit)[1]
        filler = re.compile(
            "(?:余|多)?(?:万|亿)?(?:余|多)?"
            + (f"(?:{re.escape(base)})?" if base else "")
            + r"(?:以上|以内|左右|多)?(?:企业|单位)?"
        )
        for ph in vocab.phrases:
            if not _fits(unit, role, ph.indicator, vocab):
                continue
            idx = canon.find(ph.canon)
            while idx >= 0:
                gap = canon[:idx]
                if filler.fullmatch(gap) or (
                    fig.unit
                    and fig.unit.endswith(gap)
                    and ph.canon.startswith(fig.unit[len(gap) :] or "\0")
                ):
                    s = starts[idx]
                    # a phrase that begins inside the unit (批次申报…) is written from the unit's end
                    if s < fig.end:
                        s = fig.end
                    found.append((len(ph.canon), ph.indicator, (s, ends[idx + len(ph.canon) - 1])))
                idx = canon.find(ph.canon, idx + 1)
    return found


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
    label: str, parent_phrases: list[str], raw: _Raw, vocab: _Vocabulary
) -> str | None:
    """A breakdown item's own words joined to its parent's phrasing (新认定 + 高新技术企业)."""
    lab = _canon(label)[0]
    if not lab:
        return None
    best: tuple[int, set[str]] = (0, set())
    for parent in parent_phrases:
        comp = lab + parent
        for ph in vocab.phrases:
            if not _fits(raw.fig.unit, raw.role, ph.indicator, vocab):
                continue
            idx = comp.find(ph.canon)
            if idx == 0 and len(ph.canon) >= len(lab):  # must cover the item's own words
                if len(ph.canon) > best[0]:
                    best = (len(ph.canon), {ph.indicator})
                elif len(ph.canon) == best[0]:
                    best[1].add(ph.indicator)
    if len(best[1]) == 1:
        return next(iter(best[1]))
    return None


def _phrases_of(iid: str, vocab: _Vocabulary) -> list[str]:
    return [p.canon for p in vocab.phrases if p.indicator == iid]


# ----------------------------------------------------------------------------- assembling


def _split_items(work: str, start: int, end: int) -> list[tuple[int, int]]:
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


def _build(text: _Text, vocab: _Vocabulary | None) -> list[_Raw]:
    work = text.work
    raws = _raw_claims(text)
    out: list[_Raw] = []
    for _idx, raw in enumerate(raws):
        raw.label = _label(work, raw)
        gee = [w for w in raw.qual.words if work[w[0] : w[1]] == "各"]
        if gee and raw.role == "value":
            items = _split_items(work, raw.label[0], gee[0][0])
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
            and _joined(work, run[-1], out[i + len(run)])
            and not out[i + len(run)].qual.words
        ):
            run.append(out[i + len(run)])
        items = _split_items(work, raw.label[0], raw.label[1])
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
            and _joined(work, prev, raw)
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
    if vocab is not None:
        _assign(text, out, vocab)
    _phrases(text, out)
    return out


def _assign(text: _Text, raws: list[_Raw], vocab: _Vocabulary) -> None:
    work = text.work
    for i, raw in enumerate(raws):
        prevs = [r for r in raws[:i] if r.sentence == raw.sentence]
        if raw.role in ("share", "comparison", "target", "rank"):
            continue
        if raw.distribute:
            left = work[raw.distribute[0] : raw.distribute[1]]
            canon, starts, ends = _canon(left, raw.distribute[0])
            found = []
            for ph in vocab.phrases:
                if _fits(raw.fig.unit, raw.role, ph.indicator, vocab) and canon.endswith(ph.canon):
                    k = len(canon) - len(ph.canon)
                    found.append((len(ph.canon), ph.indicator, (starts[k], ends[-1])))
            iid, span, note = _pick(found)
            raw.indicator, raw.phrase_span, raw.note = iid, span, note
            raw.matched = iid is not None
            continue
        role = raw.role
        found = _match_side(work, raw, vocab, role if role != "growth" else "growth")
        if role == "growth":
            # a growth figure's own words, if any, name its indicator; else the figure before it
            own = [f for f in found if f[2][0] >= raw.seg_start]
            iid, span, note = _pick(own)
            if iid is None:
                src = _growth_source(raws, i, work)
                if src is not None:
                    raw.indicator, raw.inherit, raw.phrase_span = (
                        src.indicator,
                        True,
                        src.phrase_span,
                    )
                    raw.matched = src.indicator is not None
                    raw.parent = None
                continue
            raw.indicator, raw.phrase_span, raw.note, raw.matched = iid, span, note, True
            continue
        iid, span, note = _pick(found)
        if iid is not None and raw.parent is not None:
            # a breakdown item must be named by its own words, not its parent's
            lab = raw.label
            # (all of them: 其中技术开发合同成交额 is not 合同成交额)
            if lab[1] <= lab[0] or span is None or not (span[0] <= lab[0] and span[1] >= lab[1]):
                iid, span = None, None
        if iid is None and raw.parent is not None:
            lab = work[raw.label[0] : raw.label[1]]
            if raw.parent.indicator and lab:
                iid = _match_composite(lab, _phrases_of(raw.parent.indicator, vocab), raw, vocab)
                span = raw.label if iid else None
        elif iid is None and not note and prevs and raw.label[1] <= raw.label[0]:
            # no words of its own (累计达到58家, 增长至117家): the subject of the figure before
            src = prevs[-1]
            if src.indicator and src.phrase_span:
                subj = _canon(work[src.phrase_span[0] : src.phrase_span[1]])[0]
                subj = re.sub(r"^(?:新增|新认定|新获批|获批|获评)", "", subj)
                cands = []
                for ph in vocab.phrases:
                    if (
                        _fits(raw.fig.unit, role, ph.indicator, vocab)
                        and subj.endswith(ph.canon)
                        and len(ph.canon) >= len(subj) - 2
                    ):
                        cands.append((len(ph.canon), ph.indicator, src.phrase_span))
                if role in ("current", "base") or raw.qual.words:
                    iid, span, note = _pick(cands)
                    raw.inherit = iid is not None
                    if span is not None:
                        lead = re.match(
                            r"(?:新增|新认定|新获批|获批|获评)", work[span[0] : span[1]]
                        )
                        span = (
                            (span[0] + lead.end(), span[1])
                            if lead and lead.end() < span[1] - span[0]
                            else span
                        )
        if iid is not None and _says_new(work, raw) and vocab.kinds.get(iid, "flow") != "flow":
            # 新增 counts what was added in the period: a stock or survey total cannot be meant
            iid, note = None, f"新增 but {iid} is not a flow"
        raw.indicator, raw.phrase_span, raw.note = iid, span, note
        raw.matched = iid is not None


def _says_new(work: str, raw: _Raw) -> bool:
    """Whether 新增 qualifies the figure (its own words, or its breakdown parent's)."""
    if any("新增" in work[s:e] for s, e in raw.qual.words):
        return True
    return raw.parent is not None and raw.parent is not raw and _says_new(work, raw.parent)


def _joined(work: str, a: _Raw, b: _Raw) -> bool:
    """Whether two figures stand in one list (only 、/和/及/与 between them)."""
    return a.sentence == b.sentence and work[a.fig.end : b.fig.a].strip("、和及与") == ""


def _growth_source(raws: list[_Raw], i: int, work: str) -> _Raw | None:
    """The figure a growth claim speaks of: the value before it (分别增长 X、Y: one each)."""
    raw = raws[i]
    same = [r for r in raws if r.sentence == raw.sentence]
    j = next(k for k, r in enumerate(same) if r is raw)
    lo = j
    while lo > 0 and same[lo - 1].role == "growth" and _joined(work, same[lo - 1], same[lo]):
        lo -= 1
    hi = j
    while (
        hi + 1 < len(same)
        and same[hi + 1].role == "growth"
        and _joined(work, same[hi], same[hi + 1])
    ):
        hi += 1
    run = same[lo : hi + 1]
    values = [r for r in same[:lo] if r.role in ("value", "current", "rank")]
    head = run[0]
    if len(run) > 1 or "分别" in work[head.seg_start : head.fig.a]:
        n, k = len(run), j - lo
        return values[len(values) - n + k] if len(values) >= n else None
    return values[-1] if values else None


def _phrases(text: _Text, raws: list[_Raw]) -> None:
    """Fill in phrase spans for claims without a registry phrase (heuristic words)."""
    work = text.work
    for i, raw in enumerate(raws):
        if raw.phrase_span:
            continue
        lab = raw.label
        own = work[lab[0] : lab[1]]
        right = _right_words(work, raw)
        if raw.fig.big:
            raw.phrase_span = right
            continue
        if raw.role in ("growth", "share", "base", "current", "rank", "comparison") and not own:
            src = (
                _growth_source(raws, i, work) if raw.role == "growth" else _subject_before(raws, i)
            )
            if src is not None and not src.phrase_span:
                src = None
            if src is not None:
                raw.phrase_span = src.phrase_span
                raw.inherit = True
                continue
        if (
            raw.role == "value"
            and not own
            and raw.qual.words
            and i > 0
            and raws[i - 1].sentence == raw.sentence
            and raw.parent is None
        ):
            src = raws[i - 1]
            raw.phrase_span = src.phrase_span
            raw.inherit = True
            continue
        listed = own.endswith("等") or "等" in work[lab[1] : raw.fig.a]
        if own and not ((len(own) <= 2 or listed) and right[1] > right[0]):
            raw.phrase_span = lab
        elif right[1] > right[0]:
            raw.phrase_span = right
        else:
            raw.phrase_span = lab


def _subject_before(raws: list[_Raw], i: int) -> _Raw | None:
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


def _right_words(work: str, raw: _Raw) -> tuple[int, int]:
    s, e = raw.fig.end, raw.seg_end
    if raw.fig.post:
        s = max(s, raw.fig.post_pos + len(raw.fig.post))
    if raw.fig.big:
        s = raw.fig.b + 1
    while s < e and work[s] in "余多的":
        s += 1
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


def _phrase_text(text: _Text, span: tuple[int, int] | None, fig: _Figure) -> str:
    if not span or span[1] <= span[0]:
        return ""
    s = text.written(*_balance_quotes(text.work, span))
    if len(s) > MAX_PHRASE:
        s = re.sub(r"\d{4}年度?", "", s)
    if len(s) > MAX_PHRASE:
        s = s[-MAX_PHRASE:] if span[1] <= fig.a else s[:MAX_PHRASE]
    return s


def _to_claims(text: _Text, raws: list[_Raw]) -> list[Claim]:
    claims = []
    growth_lists: dict[int, str] = {}
    for i, raw in enumerate(raws):
        fig = raw.fig
        spans = list(raw.shared_qual if raw.shared_qual is not None else raw.qual.words)
        if fig.approx:
            spans.append((fig.approx_pos, fig.approx_pos + 1))
        if fig.post:
            spans.append((fig.post_pos, fig.post_pos + len(fig.post)))
        qualifier = _qualifier_text(text, spans)
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
        value_text = _original_number_text(text, fig) if "/" not in fig.text else fig.text
        if fig.text and not re.search(r"\d", fig.text):
            value_text = fig.text
        claims.append(
            Claim(
                sentence=text.written(*raw.sentence).strip(),
                phrase=_phrase_text(text, raw.phrase_span, fig),
                value=_as_number(fig.value, fig.text),
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


def _year_with(work: str, raw: _Raw) -> int | None:
    """The year written between a base/current word and its figure (由2021年的, 增长到2025年的)."""
    m = re.search(r"(\d{4})年(?:底|末)?的?$", work[raw.seg_start : raw.fig.a])
    return int(m.group(1)) if m else None


def _as_number(value: Decimal, text: str) -> int | float:
    if value == value.to_integral_value() and "." not in text and "/" not in text:
        return int(value)
    return float(value)


def extract_claims(text: str, registry: dict[str, Any] | None = None) -> list[Claim]:
    """Every numeric claim of a text, in reading order, matched to indicators.

    ``registry`` (id -> IndicatorDef) defaults to ``innolib.registry.load_registry()``;
    pass ``{}`` to extract without matching. Status is ``unmatched`` until checked.
    """
    if registry is None:
        from innolib.registry import load_registry

        registry = load_registry()
    vocab = _Vocabulary.from_registry(registry) if registry else None
    normalised = _normalise(text)
    return _to_claims(normalised, _build(normalised, vocab))


# ----------------------------------------------------------------------------- verification


def _decimals(text: str) -> int:
    t = text.replace(",", "").replace("，", "")
    return len(t.split(".")[1]) if "." in t else 0


def _step(text: str, value: Decimal, qualifier_kind: str) -> Decimal:
    """One step of the last digit the figure shows (the rounding it implies)."""
    d = _decimals(text)
    if d:
        return Decimal(1).scaleb(-d)
    n = int(value)
    if n == 0:
        return Decimal(1)
    trailing = len(str(n)) - len(str(n).rstrip("0"))
    if qualifier_kind == "approx_more":
        return Decimal(10) ** trailing
    if qualifier_kind == "about":
        return Decimal(10) ** min(trailing, max(0, len(str(n)) - 2))
    return Decimal(1)


def interval(
    value: float | int | Decimal, value_text: str, qualifier: str
) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    """(low, low_inclusive, high, high_inclusive) a figure claims, in its own unit.

    ``None`` is unbounded. See the module docstring for what each qualifier means.
    """
    v = Decimal(str(value))
    q = qualifier
    if "不足" in q or "不到" in q:
        return None, False, v, False
    if "不超过" in q or "不高于" in q or "以内" in q:
        return None, False, v, True
    if "不少于" in q or "不低于" in q:
        return v, True, None, False
    if re.search(r"超过|突破|逾|超出|(?<![约近])超", q):
        return v, False, None, False
    if "以上" in q:
        return v, True, None, False
    if "近" in q or "接近" in q:
        return v * Decimal("0.9"), True, v, False
    if "余" in q or re.search(r"多$|多…|^多", q) or q.endswith("多"):
        step = _step(value_text, v, "approx_more")
        return v, True, v + step, False
    kind = "about" if ("约" in q or "左右" in q) else "exact"
    step = _step(value_text, v, kind)
    return v - step / 2, True, v + step / 2, False


def holds(
    x: float, low: Decimal | None, low_inc: bool, high: Decimal | None, high_inc: bool
) -> bool:
    """Whether the data's value ``x`` lies in the claimed interval."""
    dx = Decimal(repr(float(x)))
    if low is not None and (dx < low or (dx == low and not low_inc)):
        return False
    return not (high is not None and (dx > high or (dx == high and not high_inc)))


def _factor(claim_unit: str, indicator_unit: str) -> Decimal:
    """How many of the indicator's units one of the claim's units is (亿元 -> 万元: 10000)."""
    mult, base = _unit_base(claim_unit)
    if indicator_unit == "万元" and (base == "元" or base == ""):
        return mult / Decimal(10000)
    return mult


def _check_one(claim: Claim, values: Any, units: dict[str, str]) -> Claim:
    if claim.indicator is None:
        return replace(claim, status="unmatched", expected=None)
    if (
        claim.role == "growth"
        and _OTHER_BASE.search(claim.qualifier)
        and not _YOY_BASE.search(claim.qualifier)
    ):
        return replace(
            claim,
            indicator=None,
            status="unmatched",
            expected=None,
            note="growth against another base than a year earlier",
        )
    if claim.role == "growth" and "年均" in claim.qualifier:
        return replace(
            claim,
            indicator=None,
            status="unmatched",
            expected=None,
            note="average annual growth needs a series of years",
        )
    period = getattr(values, "period", None)
    if claim.year is not None and period is not None:
        wanted = period.year - 1 if claim.role == "base" else period.year
        if claim.year != wanted:
            return replace(
                claim,
                indicator=None,
                status="unmatched",
                expected=None,
                note=f"a figure for {claim.year}, not for the period checked",
            )
    iv = _lookup(values, claim.indicator)
    if iv is None or getattr(iv, "status", "ok") != "ok" or iv.value is None or _isnan(iv.value):
        return replace(claim, status="no_data", expected=None)
    iunit = getattr(iv, "unit", None) or units.get(claim.indicator, "")
    negative = bool(re.search(r"下降|减少|降低", claim.qualifier))
    _mult, base = _unit_base(claim.unit)
    if claim.role == "growth":
        prev = iv.previous
        if prev is None or _isnan(prev):
            return replace(claim, status="no_data", expected=None)
        cur, prev = float(iv.value), float(prev)
        if base in ("%", "倍"):
            if prev == 0:
                return replace(claim, status="no_data", expected=None)
            x = (cur - prev) / prev * 100
            if base == "倍":
                x /= 100
        elif base in ("个百分点", "百分点"):
            x = cur - prev
        else:
            x = (cur - prev) / float(_factor(claim.unit, iunit))
        if negative:
            x = -x
    else:
        raw = iv.value if claim.role != "base" else iv.previous
        if raw is None or _isnan(raw):
            return replace(claim, status="no_data", expected=None)
        x = float(raw) / float(_factor(claim.unit, iunit))
    low, li, high, hi = interval(claim.value, claim.value_text, claim.qualifier)
    status = "verified" if holds(round(x, 9), low, li, high, hi) else "contradicted"
    return replace(claim, status=status, expected=round(x, 6))


def _lookup(values: Any, iid: str) -> Any:
    mapping = getattr(values, "values", values)
    if isinstance(mapping, dict):
        return mapping.get(iid)
    try:
        return values[iid]
    except (KeyError, TypeError):
        return None


def _isnan(x: Any) -> bool:
    try:
        return x != x  # NaN and pandas NA-like
    except TypeError:
        return True


def check_claims(
    claims: list[Claim], indicator_set: Any, registry: dict[str, Any] | None = None
) -> list[Claim]:
    """The claims with status and expected value filled in from an IndicatorSet-like object.

    ``indicator_set`` needs ``.values`` (id -> object with ``value``, ``previous``,
    ``status``, ``unit``) or ``__getitem__``.
    """
    units = {i: d.unit for i, d in (registry or {}).items()}
    return [_check_one(c, indicator_set, units) for c in claims]


def check_text(
    text: str, package: Any, period: Any, registry: dict[str, Any] | None = None
) -> CheckResult:
    """Every numeric claim of ``text`` checked against the package's indicators for ``period``."""
    from innolib.indicators import compute_indicators
    from innolib.periods import parse_period

    if registry is None:
        from innolib.registry import load_registry

        registry = load_registry()
    if isinstance(period, str):
        period = parse_period(period)
    claims = extract_claims(text, registry)
    ids = sorted({c.indicator for c in claims if c.indicator})
    indicator_set = compute_indicators(package, period, ids=ids or None) if ids else None
    checked = check_claims(claims, indicator_set if indicator_set is not None else {}, registry)
    district = getattr(getattr(package, "district", None), "id", None)
    return CheckResult(checked, district=district, period=getattr(period, "label", str(period)))


# ----------------------------------------------------------------------------- output

_STATUS_ZH = {
    "verified": "相符",
    "contradicted": "不符",
    "unmatched": "未匹配",
    "no_data": "无数据",
}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _clip(s: str, width: int) -> str:
    out, w = "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > width - 1:
            return out + "…"
        out += ch
        w += cw
    return out


def _fmt_expected(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def format_claims(result: CheckResult) -> str:
    """A table for people: one row per claim (status, claim as written, indicator, data, sentence)."""
    head = [
        "#",
        "状态 status",
        "说法 claim (phrase｜qualifier｜figure)",
        "指标 indicator",
        "数据 data",
        "原文 in the text",
    ]
    rows = []
    for n, c in enumerate(result.claims, 1):
        claim = f"{c.phrase}｜{c.qualifier + '｜' if c.qualifier else ''}{c.figure or c.value_text + c.unit}"
        rows.append(
            [
                str(n),
                f"{_STATUS_ZH[c.status]} {c.status}",
                _clip(claim, 44),
                c.indicator or "—",
                _fmt_expected(c.expected),
                "…" + c.context if c.context else "",
            ]
        )
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(head, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths)).rstrip() for r in rows]
    counts = result.counts()
    lines.append("")
    lines.append(
        f"{len(result.claims)} 条数字说法 claims：相符 verified {counts['verified']}，不符 contradicted "
        f"{counts['contradicted']}，未匹配 unmatched {counts['unmatched']}，无数据 no data {counts['no_data']}"
        + (f"（{result.district} {result.period}）" if result.district else "")
    )
    return "\n".join(lines)
