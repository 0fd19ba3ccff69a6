"""Numbers in the working copy and their units: what is a figure (Arabic and Chinese
numerals, fractions, 余/多, 以上/左右, rankings) and what is not (dates, ordinals, ranges,
codes, idioms).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from innolib.factcheck.layout import header_unit, in_cell_run, in_table_row, ordinals
from innolib.factcheck.text import Text, quoted_mask

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
    "人年",
    "人次",
    "场次",
    "项次",
    "批次",
    "个亿",  # 2个亿: spoken for 2亿
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
    "株",
    "棵",
    "辆",
    "公顷",
    "吨",
    "平方米",
    "份",
    "节",
    "门",  # 公开课33门
    "轮",
    "处",
    "点",  # 五点要求; 点 as a time (10点) is no measure (_NOT_A_MEASURE)
    "分",  # 绩效自评得分99分; after Chinese numerals (十分重要) no measure (_figure_at)
)
_SUFFIX_UNIT = re.compile(
    "(?:余|多)?(?:万|亿)?(?:余|多)?(?:" + "|".join(map(re.escape, _UNITS)) + ")"
)
_SUFFIX = re.compile(
    r"(?P<yu1>余|多)?(?P<mult>万|亿)?(?P<yu2>余|多)?(?P<unit>"
    + "|".join(map(re.escape, _UNITS))
    + r")?"
    r"(?P<post>以上|以内|左右|多)?"
)
# what follows a number that is not a claim: dates, durations, ordinals of things
_NOT_A_MEASURE = re.compile(
    r"(?:余|多)?(?:个(?:会计)?年度|个自然年|[万亿]级|位数|页|年|月|日|号|时|点(?!击|要求|意见|建议|体会|启示|做法|措施|举措)|分钟|秒|小时|天|周|季度|个月|个工作日|个小时|届|代|级|岁|版|楼|层|号|寸|K|G|D|型"
    r"|上午|下午|中午|晚上|凌晨)"
)
_RANGE = re.compile(r"[—–\-~～至到]\d")
_INCLUSIVE = re.compile(r"\((?:不)?含\)")
_BAD_PRE_CN = set("第初周数几上下之统唯同单星礼万新")  # 下一篇: a link
#: 一 + a measure word + a description with 的 (一条…的路子, 一个良好的环境): an article
_ARTICLE = re.compile(r"[条个种份项][^\d,;:。的]{1,12}的")
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
    r"(?P<q>(?:(?:排名|位居|位列|名列|稳居|跻身|跃居|跃升至|跃升|排|居|列)"
    r"(?:全[市省国区县]|[市省区县]内|(?P<name>“[^”]{1,24}”))?"
    r"|达到全[市省国区县]|(?<![在的])全[市省国区县](?:县区|区县)?)(?:第|前))$"
)
#: what follows the number of a ranking that makes it an ordinal of an event (全省第二批)
_NOT_A_RANK = re.compile(r"批|届|期|轮|次|个|号|季度|阶段|家|方阵|梯队")


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


@dataclass
class Figure:
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
    value_max: Decimal | None = None  # a range (4到5场): the upper end; value is the lower
    rank_name: tuple[int, int] | None = None  # 位列“中国工业百强区”第15位: what is ranked
    word: bool = False  # a figure said in a word: 首位 (rank 1), 翻一番 and 倍增 (2倍)


_CN_FRACTION = re.compile(
    r"(?P<den>[一二两三四五六七八九十百]+)分之(?P<num>[一二两三四五六七八九十百]+)"
)


#: a page's counters (浏览:0次) are no claims of the text
_COUNTER = re.compile(r"(?:浏览|点击|阅读)(?:量|数|次数)?[:]?$")
#: characters a figure's unit or closing mark ends with, after which a glued 1-2 digit
#: number is a footnote mark (4.7亿元1, 59%²)
_FOOTNOTE_AFTER = set("%元家项个次人场件名条份”)")


#: how far around a number the checks below look (the longest pattern they match is
#: shorter): a fixed window keeps the reading linear in the length of a sentence
_WINDOW = 16


def find_figures(text: Text, start: int, end: int) -> list[Figure]:
    """Every figure between ``start`` and ``end`` (one sentence), in text order."""
    work = text.work
    masked = quoted_mask(work, start, end)
    out = _fractions(work, start, end, masked) + _word_figures(work, start, end, masked)
    fractions = [(f.a, f.b) for f in out]  # and figures said in words (翻一番)
    covered = start  # the end of the last figure read: the upper end of a range is in it
    for m in _NUMBER.finditer(work, start, end):
        a = m.start()
        if a < covered or masked[a - start] or any(fa <= a < fb for fa, fb in fractions):
            continue
        fig = _figure_at(text, m, start, end)
        if fig is not None:
            out.append(fig)
            covered = fig.end if fig.value_max is not None else covered
    out.sort(key=lambda f: f.a)
    return out


def _fractions(work: str, start: int, end: int, masked: list[bool]) -> list[Figure]:
    """Chinese fractions (三分之一) as figures without a unit."""
    out = []
    for m in _CN_FRACTION.finditer(work, start, end):
        num, den = _cn_value(m.group("num")), _cn_value(m.group("den"))
        if masked[m.start() - start] or not num or not den:
            continue
        out.append(
            Figure(
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
    return out


#: figures said in words: a first place, and a doubling or more
_WORD_FIGURE = re.compile(
    r"(?P<rank>(?:排名|位居|位列|名列|稳居|跃居|居|列)(?:全[市省国区县]|[市省区县]内)?"
    r"(?:[省市]?县区|[省市]?区县|同类[^,;:。]{0,6})?)(?P<first>首位|榜首)"
    r"|(?P<times>翻一番|翻番|翻两番|翻了一番|翻了两番|倍增)"
)
#: a quoted word figure that is a claim (实现“双倍增”), not the name of a plan (“双倍增”行动)
_QUOTED_WORD = re.compile(r"“双?(?:倍增|翻番)”(?!行动|计划|工程|方案|目标|专项)")


def _word_figures(work: str, start: int, end: int, masked: list[bool]) -> list[Figure]:
    """Figures said in words: ``位居全市首位`` (a ranking, 1), ``数量翻一番`` and ``实现倍增``
    (2倍; 翻两番 4倍). A plan's name (“双倍增”行动) is no claim."""
    out = []
    for m in _WORD_FIGURE.finditer(work, start, end):
        quote = work.rfind("“", max(start, m.start() - 1), m.start())
        if masked[m.start() - start] and not _QUOTED_WORD.match(
            work, quote if quote >= 0 else m.start() - 2
        ):
            continue
        if m.group("first"):
            a, b = m.span("first")
            value, rank, rank_pos, unit = Decimal(1), m.group("rank"), m.start(), ""
        else:
            a, b = m.span("times")
            value = Decimal(4 if "两" in m.group("times") else 2)
            rank, rank_pos, unit = "", 0, "倍"
        out.append(
            Figure(
                a=a,
                b=b,
                end=b,
                value=value,
                text=work[a:b],
                unit=unit,
                approx="",
                approx_pos=-1,
                post="",
                post_pos=-1,
                rank=rank,
                rank_pos=rank_pos,
                word=True,
            )
        )
    return out


_PER_ITEM = re.compile(r"/[项家个人次年]")
#: a count of sessions in a meeting's name (十二届七次全会)
_MEETING = re.compile(r"[一二两三四五六七八九十\d]+次(?:全会|全体会议|会议|党代会|常委会)")
#: an amount of money with 以上/以下 right before a noun names a kind of thing
_BOUND = re.compile(r"(?:万元|亿元|万|元)(?:以上|以下)(?=[\u4e00-\u9fff])(?!的|,|。)")


_PAGE = re.compile(r"(?:Page|P\.|p\.)\s*$")


def _number_value(work: str, m: re.Match, start: int, rank: re.Match | None) -> Decimal | None:
    """The value of a number match, or None when what stands around it says it is no figure
    (a model name, a date 2025.10.31, an ordinal, an idiom)."""
    a, b = m.span()
    prev = work[a - 1] if a > start else ""
    after = work[b : b + _WINDOW]
    if m.group("ar"):
        digits = m.group("ar")
        if (prev.isascii() and prev.isalpha()) or (after[:1].isascii() and after[:1].isalpha()):
            return None
        if re.match(r"[.:]\d|[*×]\d", after) or (prev != "" and prev in "*×"):
            return None  # 1024*768: a resolution
        if _PAGE.search(work, max(start, a - 6), a):
            return None  # Page 357, P. 357, 第357页
        if prev in ".:" and a - 2 >= start and work[a - 2].isdigit():
            return None  # 2025.10.31, 10:30
        if "/" in digits:
            num, den = digits.split("/")
            return None if Decimal(den) == 0 else Decimal(num) / Decimal(den)
        return Decimal(digits)
    raw = m.group("cn")
    if (prev in _BAD_PRE_CN and not rank) or any(work.startswith(idiom, a) for idiom in _IDIOMS):
        return None
    if work.startswith(raw + "批", a) and raw == "一" and not work.startswith("一批次", a):
        return None
    if raw == "二" and not rank:
        return None  # 二轮, 二批: a count says 两; a lone 二 before a measure word is an ordinal
    if raw == "一" and prev != "" and prev in "的为是在到这那某":
        return None  # 作为…的一项主要指标, 在一家企业工作: an article, no count
    if raw == "一" and _ARTICLE.match(work, b):
        return None  # 开启了一条便捷、高效的脱贫路子: an article before a description
    cv = _cn_value(raw)
    return None if cv is None else Decimal(cv)


def _not_a_figure(text: Text, m: re.Match, start: int) -> bool:
    """A number that is no claim by where it stands: a page counter (浏览:0次), a footnote
    mark (superscript, or 1-2 digits glued after a unit: 4.7亿元1), a table row number or a
    number alone on its line (序号|…|1|围绕…, a page number)."""
    work = text.work
    a, b = m.span()
    if _COUNTER.search(work, max(start, a - 6), a):
        return True
    if any(unicodedata.category(text.original[text.origin[i]]) == "No" for i in range(a, b)):
        return True  # ¹ ² ① (NFKC made them digits): footnote marks and list ordinals
    if _on_a_page_number_line(text, a):
        return True  # - 3 -, — 4 —, 6/10 alone on a line: a printed page's number
    if not m.group("ar") or "." in m.group() or _SUFFIX_UNIT.match(work, b):
        return False
    prev = work[a - 1] if a > start else ""
    nxt = work[b] if b < len(work) else ""
    if len(m.group()) <= 2 and prev in _FOOTNOTE_AFTER and (nxt == "" or nxt in "，,;；。、)!?"):
        return True
    if not _alone_on_its_line(text, a, b):
        return False
    # alone in its cell: a row number, or a value in a table's later cell or under a
    # header stating its unit
    if text.origin[a] in ordinals(text):
        return True
    return not (in_table_row(text, a) or in_cell_run(text, a) or header_unit(text, a))


#: a line that holds a page number only (a PDF's pages copied as text)
_PAGE_LINE = re.compile(
    r"[ \t\u3000]*(?:[-—–]+[ \t\u3000]*\d{1,3}[ \t\u3000]*[-—–]+|\d{1,3}[ \t\u3000]*/[ \t\u3000]*\d{1,3})[ \t\u3000]*"
)


def _on_a_page_number_line(text: Text, a: int) -> bool:
    o, orig = text.layout, text.origin[a]
    start = o.rfind("\n", max(0, orig - 16), orig) + 1
    end = o.find("\n", orig, orig + 16)
    if end < 0:
        end = len(o) if orig + 16 >= len(o) else -1
    return end >= 0 and (start > 0 or orig < 16) and bool(_PAGE_LINE.fullmatch(o, start, end))


def _alone_on_its_line(text: Text, a: int, b: int) -> bool:
    """Whether work[a:b] fills its line or its table cell (| between cells) in the original."""
    o = text.layout
    i, j = text.origin[a] - 1, text.origin[b - 1] + 1
    while i >= 0 and o[i] in " \t\u3000":
        i -= 1
    while j < len(o) and o[j] in " \t\u3000\r":
        j += 1
    return (i < 0 or o[i] in "\n|") and (j >= len(o) or o[j] in "\n|")


def _range_end(text: Text, s: re.Match, end: int) -> tuple[re.Match, re.Match] | None:
    """The upper end of a range written after a figure's suffix (4到5场, 10%—20%, 3—5家):
    the number match and its suffix match, or None."""
    work = text.work
    dash = s.end()
    inclusive = _INCLUSIVE.match(work, dash, end)  # 90(含)-100分
    if inclusive:
        dash = inclusive.end()
    if not _RANGE.match(work, dash, end):
        return None
    m2 = _NUMBER.match(work, dash + 1, end)
    if m2 is None or not m2.group("ar"):
        return None
    s2 = _SUFFIX.match(work, m2.end(), end)
    return m2, s2


def _ranking_before(work: str, start: int, a: int, b: int) -> re.Match | None:
    """The ranking words a number ends (排名全市第, 位列“…”第), unless what follows makes it
    the ordinal of an event (全省第二批, 第一方阵)."""
    rank = _RANK.search(work, max(start, a - 2 * _WINDOW), a)
    return None if rank and _NOT_A_RANK.match(work, b) else rank


def _names_a_kind(work: str, start: int, a: int, b: int) -> bool:
    """A number that names no quantity: a date or a duration (_NOT_A_MEASURE), a meeting
    (十二届七次全会), an amount naming a kind of thing (2000万以上工业增长点)."""
    if _NOT_A_MEASURE.match(work, b):
        return True
    if _MEETING.match(work, a) and "届" in work[max(start, a - 4) : a]:
        return True
    return bool(_BOUND.match(work, b))


def _figure_at(text: Text, m: re.Match, start: int, end: int) -> Figure | None:
    """The figure a number match begins, with its unit, 余/多 and 以上/左右 (a range with
    its upper end); None if it is none."""
    work = text.work
    a, b = m.span()
    rank = _ranking_before(work, start, a, b)
    value = _number_value(work, m, start, rank)
    prev = work[a - 1] if a > start else ""
    after = work[b : b + _WINDOW]
    if value is None or (prev == "第" and not rank) or _names_a_kind(work, start, a, b):
        return None
    if not rank and _not_a_figure(text, m, start):
        return None
    s = _SUFFIX.match(work, b, end)
    upper = _range_end(text, s, end) if m.group("ar") else None
    if upper is not None:
        return _range_figure(text, m, s, upper, end)
    if _RANGE.match(work, s.end(), end) or (
        prev in "—–~-"
        and a - 2 >= start
        and (work[a - 2].isdigit() or work[a - 2] in "%家项个次人万元")
    ):
        return None  # the upper end of a range (read with its lower end), or a code 0595-…
    unit = (s.group("mult") or "") + (s.group("unit") or "")
    per = _PER_ITEM.match(work, s.end("unit")) if s.group("unit") else None
    approx = s.group("yu1") or s.group("yu2") or ""
    approx_pos = s.start("yu1") if s.group("yu1") else (s.start("yu2") if s.group("yu2") else -1)
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
    if per and not s.group("post"):
        unit, fig_end = unit + per.group(), per.end()  # 40万元/项: an amount for each
    if unit == "" and approx == "多":
        approx, fig_end = "", b  # 10多 without a unit: not read as "more than"
    big = False
    if rank:
        unit, approx, post, fig_end = "", "", "", b
    elif m.group("cn"):
        if not unit:
            if (
                re.match(r"大(?!批|量|力|幅|型|部分|多|学|会|赛|厅|院|发展理念)", after)
                and m.group() != "一"
                and value < 10
            ):
                big = True  # 三大主导产业; 十大…, 二十大 are names
            else:
                return None
        elif unit in ("期", "代", "分"):
            return None  # 第一期; 十分, 万分: an adverb
    elif not unit:
        digits = m.group("ar")
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
            return None  # 031-霍邱县科学技术局: a code written with its leading zero
        if "." not in digits and "/" not in digits and len(digits) > 3:
            return None  # hotlines, codes, bare years
        if after[:1] in ("、", ".", ")") or prev in ("(",):
            return None  # list numbering 1、 1. (1)
        if _alone_on_its_line(text, a, b):
            unit = header_unit(text, a)  # 211.62 under 年度预算申请 (万元): 万元
    fig = Figure(
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
        rank_pos=rank.start() if rank else 0,
        rank_name=rank.span("name") if rank and rank.group("name") else None,
        big=big,
    )
    if fig.text == "" or any(ch.isspace() for ch in fig.text):
        fig.text = m.group()
    return fig


def _range_figure(
    text: Text, m: re.Match, s: re.Match, upper: tuple[re.Match, re.Match], end: int
) -> Figure | None:
    """One figure for a range: value the lower end, value_max the upper, the unit written
    with either end (4到5场, 10%—20%); a range of dates, years or codes is none."""
    work = text.work
    m2, s2 = upper
    if _NOT_A_MEASURE.match(work, m2.end()) or _RANGE.match(work, s2.end(), end):
        return None  # 1-3月, 2023—2027年, 2025-05-07
    unit2 = (s2.group("mult") or "") + (s2.group("unit") or "")
    unit1 = (s.group("mult") or "") + (s.group("unit") or "")
    if not unit2 or (unit1 and unit1 != unit2):
        return None  # no unit (a code, 0595-22631053) or two different units
    post = s2.group("post") or ""
    return Figure(
        a=m.start(),
        b=m2.end(),
        end=s2.end("unit") if s2.group("unit") else s2.end("mult"),
        value=Decimal(m.group("ar")),
        text=text.written(m.start(), m2.end()),
        unit=unit2,
        approx="",
        approx_pos=-1,
        post=post,
        post_pos=s2.start("post") if post else -1,
        value_max=Decimal(m2.group("ar")),
    )


def original_number_text(text: Text, fig: Figure) -> str:
    start, end = text.span(fig.a, fig.b)
    return "".join(ch for ch in text.original[start:end] if not ch.isspace())
