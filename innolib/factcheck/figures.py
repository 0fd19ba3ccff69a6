"""Numbers in the working copy and their units: what is a figure (Arabic and Chinese
numerals, fractions, 余/多, 以上/左右, rankings) and what is not (dates, ordinals, ranges,
codes, idioms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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


_CN_FRACTION = re.compile(
    r"(?P<den>[一二两三四五六七八九十百]+)分之(?P<num>[一二两三四五六七八九十百]+)"
)


#: how far around a number the checks below look (the longest pattern they match is
#: shorter): a fixed window keeps the reading linear in the length of a sentence
_WINDOW = 16


def find_figures(text: Text, start: int, end: int) -> list[Figure]:
    """Every figure between ``start`` and ``end`` (one sentence), in text order."""
    work = text.work
    masked = quoted_mask(work, start, end)
    out = _fractions(work, start, end, masked)
    fractions = [(f.a, f.b) for f in out]
    for m in _NUMBER.finditer(work, start, end):
        a = m.start()
        if masked[a - start] or any(fa <= a < fb for fa, fb in fractions):
            continue
        fig = _figure_at(text, m, start, end)
        if fig is not None:
            out.append(fig)
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


def _number_value(work: str, m: re.Match, start: int, rank: re.Match | None) -> Decimal | None:
    """The value of a number match, or None when what stands around it says it is no figure
    (a model name, a date 2025.10.31, a range, an ordinal, an idiom)."""
    a, b = m.span()
    prev = work[a - 1] if a > start else ""
    after = work[b : b + _WINDOW]
    if m.group("ar"):
        digits = m.group("ar")
        if (prev.isascii() and prev.isalpha()) or (after[:1].isascii() and after[:1].isalpha()):
            return None
        if re.match(r"[.:]\d", after) or _RANGE.match(after):
            return None
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
    cv = _cn_value(raw)
    return None if cv is None else Decimal(cv)


def _figure_at(text: Text, m: re.Match, start: int, end: int) -> Figure | None:
    """The figure a number match begins, with its unit, 余/多 and 以上/左右; None if it is none."""
    work = text.work
    a, b = m.span()
    rank = _RANK.search(work, max(start, a - _WINDOW), a)
    value = _number_value(work, m, start, rank)
    prev = work[a - 1] if a > start else ""
    after = work[b : b + _WINDOW]
    if value is None or (prev == "第" and not rank) or _NOT_A_MEASURE.match(after):
        return None
    s = _SUFFIX.match(work, b, end)
    if _RANGE.match(work, s.end(), end) or (
        prev in "—–~-"
        and a - 2 >= start
        and (work[a - 2].isdigit() or work[a - 2] in "%家项个次人万元")
    ):
        return None  # a range (10%—20%, 3—5家) describes a class, it claims no figure
    unit = (s.group("mult") or "") + (s.group("unit") or "")
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
    if unit == "" and approx == "多":
        approx, fig_end = "", b  # 10多 without a unit: not read as "more than"
    big = False
    if rank:
        unit, approx, post, fig_end = "", "", "", b
    elif m.group("cn"):
        if not unit:
            if (
                re.match(r"大(?!批|量|力|幅|型|部分|多|学|会|赛|厅|院)", after)
                and m.group() != "一"
            ):
                big = True
            else:
                return None
        elif unit in ("期", "代"):
            return None
    elif not unit:
        digits = m.group("ar")
        if "." not in digits and "/" not in digits and len(digits) > 3:
            return None  # hotlines, codes, bare years
        if after[:1] in ("、", ".", ")") or prev in ("(",):
            return None  # list numbering 1、 1. (1)
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
        big=big,
    )
    if fig.text == "" or any(ch.isspace() for ch in fig.text):
        fig.text = m.group()
    return fig


def original_number_text(text: Text, fig: Figure) -> str:
    start, end = text.span(fig.a, fig.b)
    return "".join(ch for ch in text.original[start:end] if not ch.isspace())
