"""The bulletin's prose, written from the indicators, with a trace of every number.

``write_narrative(package, period, lang)`` computes the indicators (or takes a given
``IndicatorSet``), withholds confidential money figures that fail disclosure control
(``circulated``), and renders ``templates/bulletin.<lang>.md.j2``. The templates hold all
the wording; this module holds only the machinery. Every figure is written by the
presentation layer (``innolib.present``: money in 亿元/万元 with 约/余, counts with
measure words and small Chinese numerals, rates, the year-on-year rule).

How a template writes a figure. The global ``c(pattern)`` renders a *claim*: in
``pattern``, ``{id:options}`` is replaced by the indicator's formatted value, and the
whole claim renders as "" when an indicator it names has no value (status ``no_data`` or
``suppressed``: never written as zero) or a zero count or sum (bulletins report what was
done; the zero stays in the indicators table, CSV and JSON; option ``zero`` forces it).
``[[…]]`` marks an optional part, dropped alone when its own figures are missing (``c('[[{hnte.applied_batches:cn}次]]申报高新技术企业
{hnte.applied}')``). Options: ``about`` / ``floor`` (money: 约4.5亿元 / 4.7亿余元; default
exact), ``d0``/``d1``/``d2`` (decimals of a rate or change), ``cn`` (Chinese numeral for
1–10: 两批次), ``bare`` (no measure word), ``mw=个`` (another measure word), ``yoy``
(the year-on-year change the rule of ``innolib.present.changes`` picks: 同比增长12.3% /
提高3.2个百分点 / 较上年增加1家), ``diff`` (absolute change:
较上年增加8家), ``prev`` (last year's value), ``pl=word|words`` (English agreement: the singular or
plural word by the value, not a figure). ``id1&id2`` writes id1's value and traces the
figure to both (``各1项``). ``seq(sep, …)`` joins the non-empty parts; ``wrap(before,
inner, after)`` frames a non-empty part; ``points([(topic, body), …])`` keeps the points
whose body holds a figure, so that 一是/二是 stay consecutive when a point vanishes.

The trace. Each formatted figure is wrapped in invisible markers while rendering; the
final text is scanned once to strip them and record, for every figure written, a
``TraceSpan(indicator, value, start, end)`` (with ``field`` = value / change / previous /
period and the ``text`` written). Years are traced too: the period's year in the lead
(``2025年以来``) and anywhere else a template writes ``{{ year_ }}`` is a span with
indicator ``period`` and field ``period``; the title carries no year. So every digit of
``Narrative.text`` lies inside a trace span (tests check this).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from innolib.periods import Period, require_period
from innolib.present.changes import ABS, base_word, change_of, format_change
from innolib.present.markup import markdown_text, plain_text
from innolib.present.numbers import (
    format_count,
    format_date,
    format_money,
    format_rate,
    ordinal_word,
)
from innolib.present.vocabulary import check_lang, words

# invisible markers (control characters never present in templates or data)
_FIG_OPEN, _FIG_SEP, _FIG_CLOSE = "\x02", "\x1f", "\x03"
_STY_OPEN, _STY_CLOSE = "\x05", "\x06"
_HOLE_OPEN, _HOLE_CLOSE = "\x0e", "\x0f"  # a placeholder of an internal draft
_OWN_OPEN, _OWN_CLOSE = "\x10", "\x11"  # the bureau's own words (measures)
_MARKERS = re.compile(r"[\x02\x03\x05\x06\x0e\x0f\x10\x11]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.&]+)(?::([^{}]*))?\}")
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)


# --------------------------------------------------------------------------- data classes
@dataclass(frozen=True)
class TraceSpan:
    """One figure written in the text: which indicator, its value, where it sits.

    Unpacks as the 4-tuple ``(indicator, value, start, end)``; ``text[start:end]`` is the
    figure as written (``约4.5亿元``, ``106家``, ``两批``). ``field`` says which number of
    the indicator it is: ``value``, ``change``, ``previous`` or ``period`` (a year).
    """

    indicator: str
    value: Any
    start: int
    end: int
    field: str = "value"
    text: str = ""

    def __iter__(self):
        return iter((self.indicator, self.value, self.start, self.end))


@dataclass(frozen=True)
class Section:
    """One of the bulletin's sections: heading (一、……。) and its paragraph (一是……二是……)."""

    heading: str
    paragraph: str
    topics: tuple[str, ...] = ()
    number: int = 0  # 1–3: which of the bulletin's sections (one without claims is left out)


@dataclass
class Narrative:
    """The bulletin for one (district, period, language).

    ``text`` is the whole text (title, lead, sections, signature) with the few marks that
    give it its shape (``# `` before the title, ``**`` around headings), data inserted
    as written: the positions in ``trace`` and ``styles`` refer to it, and Word writes it
    as text runs. ``markdown`` is the same document for Markdown and HTML renderers,
    every piece of text escaped (``innolib.present.markup``: a name holding ``<script>``,
    ``**`` or a line break stays text); ``trace`` lists
    every figure written in ``text``; ``styles`` lists ``(kind, start, end)`` spans of
    ``text`` that Word output sets apart (``title``, ``notice``, ``heading``, ``topic``,
    ``measures``, ``placeholder``); ``indicators`` is the (circulated) IndicatorSet the
    text was written from. ``notice`` is the stamp of a synthetic package (示例数据…),
    ``missing`` the (section, point) pairs that have claims but no measures text, and
    ``warnings`` what the run should tell the analyst (district facts not declared).
    """

    lang: str
    period: Period
    title: str
    lead: str
    sections: list[Section]
    signature: str
    text: str
    trace: list[TraceSpan]
    styles: list[tuple[str, int, int]]
    indicators: Any = None
    notice: str = ""
    missing: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    markdown: str = ""


# --------------------------------------------------------------------------- indicator access
def _status_ok(iv: Any) -> bool:
    return (
        iv is not None
        and getattr(iv, "status", "ok") == "ok"
        and getattr(iv, "value", None) is not None
        and not (isinstance(iv.value, float) and math.isnan(iv.value))
    )


def _get(result: Any, indicator_id: str) -> Any:
    values = getattr(result, "values", None)
    if isinstance(values, dict):
        return values.get(indicator_id)
    try:
        return result[indicator_id]
    except (KeyError, TypeError):
        return None


def _unit_of(iv: Any, indicator_id: str) -> str:
    unit = getattr(iv, "unit", None)
    if unit:
        return unit
    try:
        from innolib.registry import indicator_def

        return indicator_def(indicator_id).unit
    except Exception:
        return ""


class _Missing(Exception):
    """A figure a claim needs is not available: the claim renders as ""."""


class _Writer:
    """Jinja globals of one rendering: claims, joins, points; records nothing but markers."""

    def __init__(self, result: Any, lang: str, examples: dict[str, list[str]] | None = None):
        self.result = result
        self.kept: list[int] = []  # the section numbers ``nonempty`` kept
        self.lang = lang
        self.figures: list[tuple[tuple[str, ...], Any, str]] = []  # (ids, value, field)
        self.examples = examples or {}

    # -- figures
    def _figure(self, ids: tuple[str, ...], value: Any, field_: str, text: str) -> str:
        self.figures.append((ids, value, field_))
        return f"{_FIG_OPEN}{len(self.figures) - 1}{_FIG_SEP}{text}{_FIG_CLOSE}"

    def _format(self, spec: str, opts: str | None) -> str:
        ids = tuple(spec.split("&"))
        options = [o.strip() for o in (opts or "").split(",") if o.strip()]
        ivs = [_get(self.result, i) for i in ids]
        if not all(_status_ok(iv) for iv in ivs):
            raise _Missing(spec)
        iv, iid = ivs[0], ids[0]
        if "zero" not in options and not all(self._writable(i) for i in ids):
            raise _Missing(spec)
        agree = next((o[3:] for o in options if o.startswith("pl=")), None)
        if agree is not None:  # grammatical agreement (English): a word, not a figure
            singular, _, plural = agree.partition("|")
            return singular if float(iv.value) == 1 else plural
        unit = _unit_of(iv, iid)
        decimals = next((int(o[1:]) for o in options if re.fullmatch(r"d\d", o)), None)
        if "yoy" in options or "diff" in options:
            prev = getattr(iv, "previous", None)
            change = change_of(unit, iv.value, prev)
            if change is None:
                raise _Missing(spec)
            if "diff" in options or change.kind == ABS:
                return self._difference(ids, change, unit, options, decimals)
            text = format_change(
                change.amount,
                change.kind,
                self.lang,
                1 if decimals is None else decimals,
                same_period=self._same_period(),
            )
            return self._figure(ids, change.amount, "change", text)
        if "prev" in options:
            prev = getattr(iv, "previous", None)
            if prev is None:
                raise _Missing(spec)
            return self._figure(
                ids, prev, "previous", self._value_text(prev, unit, options, decimals)
            )
        return self._figure(
            ids, iv.value, "value", self._value_text(iv.value, unit, options, decimals)
        )

    def _difference(
        self, ids: tuple[str, ...], change: Any, unit: str, options: list[str], decimals: int | None
    ) -> str:
        """较上年增加8家 / 与上年持平: the change as a difference in the indicator's unit."""
        voc = words(self.lang)
        delta = change.amount if change.kind == ABS else None
        if delta is None:
            iv = _get(self.result, ids[0])
            delta = float(iv.value) - float(iv.previous)
        base = base_word(self.lang, self._same_period())
        if round(delta, 4) == 0:
            return self._figure(ids, 0.0, "change", voc["flat_abs"].format(base=base))
        amount = self._value_text(abs(delta), unit, options, decimals)
        key = "up_abs" if delta > 0 else "down_abs"
        return self._figure(ids, delta, "difference", voc[key].format(x=amount, base=base))

    def _same_period(self) -> bool:
        """Whether changes compare with 上年同期: a part-year or a clipped year."""
        period = getattr(self.result, "period", None)
        return period is not None and (not period.is_full_year or period.clipped)

    def _value_text(self, value: Any, unit: str, options: list[str], decimals: int | None) -> str:
        if unit == "万元":
            style = "about" if "about" in options else "floor" if "floor" in options else "exact"
            return format_money(value, style, self.lang)
        if unit == "%":
            return format_rate(value, 1 if decimals is None else decimals, self.lang)
        mw = next((o[3:] for o in options if o.startswith("mw=")), unit)
        if "bare" in options:
            mw = ""
        return format_count(value, mw, self.lang, numerals="cn" in options)

    # -- template globals
    def claim(self, pattern: str) -> str:
        """``pattern`` with its figures filled in, or "" when a required figure is missing."""

        def optional(m: re.Match) -> str:
            try:
                return self._fill(m.group(1))
            except _Missing:
                return ""

        try:
            return self._fill(_OPTIONAL.sub(optional, pattern))
        except _Missing:
            return ""

    def _fill(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self._format(m.group(1), m.group(2)), text)

    def _writable(self, indicator_id: str) -> bool:
        """A figure the prose may state: data present, and not a zero count or sum.

        A bulletin reports what was done; a zero flow (``0家企业获批``) or an empty stock
        is left out of the prose (it stays in the indicators table, CSV and JSON). Rates
        are written even at 0%. ``{id:zero}`` in a template forces a zero to be written.
        """
        iv = _get(self.result, indicator_id)
        if not _status_ok(iv) or getattr(iv, "as_of", None) is not None:
            return False  # a stock stated on another day than the period's end: table only
        return _unit_of(iv, indicator_id) == "%" or float(iv.value) != 0

    def ok(self, indicator_id: str) -> bool:
        return self._writable(indicator_id)

    def value(self, indicator_id: str) -> Any:
        iv = _get(self.result, indicator_id)
        return iv.value if _status_ok(iv) else None

    def year(self, year: int) -> str:
        return self._figure(("period",), int(year), "period", str(int(year)))

    def beyond_coverage(self, period: Period) -> str:
        """For a period that starts after the data's coverage end: the one thing the data
        can say (本期暂无数据, and the day the records end), traced; else ""."""
        if not getattr(self.result, "beyond_data", False):
            return ""
        end = self.result.coverage_end
        day = self._figure(("period",), end.isoformat(), "period", format_date(end, self.lang))
        return words(self.lang)["beyond_coverage"].format(
            year=self.year(period.year), end=day, when=period.wording(self.lang)
        )

    def period_words(self, words: str, period: Period) -> str:
        """Period wording; traced (indicator ``period``) when it carries digits (截至10月31日)."""
        if re.search(r"\d", words):
            return self._figure(("period",), period.end.isoformat(), "period", words)
        return words

    def examples_of(self, indicator_id: str, limit: int = 3) -> str:
        names = [n for n in self.examples.get(indicator_id, []) if not re.search(r"\d", n)]
        return words(self.lang)["list_sep"].join(names[:limit])

    @staticmethod
    def seq(sep: str, *parts: str) -> str:
        return sep.join(p for p in parts if p)

    @staticmethod
    def wrap(before: str, inner: str, after: str = "") -> str:
        return f"{before}{inner}{after}" if inner else ""

    @staticmethod
    def points(pairs: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
        return [(t, b) for t, b in pairs if _FIG_OPEN in b]

    def nonempty(self, pairs: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
        """The (heading, paragraph) pairs that have a paragraph; their 1-based positions
        are kept (``kept``) so that each ``Section`` knows its number."""
        pairs = list(pairs)
        self.kept = [i + 1 for i, (_h, p) in enumerate(pairs) if p and p.strip()]
        return [(h, p) for h, p in pairs if p and p.strip()]

    @staticmethod
    def style(text: str) -> str:
        return f"{_STY_OPEN}{text}{_STY_CLOSE}" if text else ""

    def own_words(self, text: str) -> str:
        """The bureau's own text (measures), ended with a full stop; each number in it is
        traced as indicator ``measures`` (field ``measures``): it is theirs, not a figure
        of ours, and the fact-checker reads it like the rest."""
        text = text.strip()
        stop = words(self.lang)["full_stop"]
        if text and text[-1] not in "。！？.!?；;":
            text += stop
        traced = _NUMBER.sub(
            lambda m: self._figure(("measures",), m.group(0), "measures", m.group(0)), text
        )
        return f"{_OWN_OPEN}{traced}{_OWN_CLOSE}"

    @staticmethod
    def placeholder(text: str) -> str:
        """A visible gap for the analyst in an internal draft (highlighted in Word)."""
        return f"{_HOLE_OPEN}{text}{_HOLE_CLOSE}"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("innolib", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.do"],
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def compile_templates() -> None:
    """Compiles the bulletin templates into the environment's cache (a batch's kernel
    zygote does it once, so that no run pays for it)."""
    for lang in ("zh", "en"):
        _environment().get_template(f"bulletin.{lang}.md.j2")


def _strip(text: str, writer: _Writer, base: int, trace: list[TraceSpan], styles: list) -> str:
    """``text`` without markers; spans (offset by ``base``) appended to trace/styles."""
    out: list[str] = []
    pos = 0  # length of out so far
    open_figs: list[tuple[int, int]] = []
    open_styles: list[int] = []
    open_holes: list[int] = []
    open_own: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == _FIG_OPEN:
            j = text.index(_FIG_SEP, i)
            open_figs.append((int(text[i + 1 : j]), pos))
            i = j + 1
            continue
        if ch == _FIG_CLOSE:
            k, start = open_figs.pop()
            ids, value, field_ = writer.figures[k]
            written = "".join(out)[start:pos]
            for iid in ids:
                trace.append(TraceSpan(iid, value, base + start, base + pos, field_, written))
            i += 1
            continue
        if ch == _STY_OPEN:
            open_styles.append(pos)
            i += 1
            continue
        if ch == _STY_CLOSE:
            styles.append(("topic", base + open_styles.pop(), base + pos))
            i += 1
            continue
        if ch == _OWN_OPEN:
            open_own.append(pos)
            i += 1
            continue
        if ch == _OWN_CLOSE:
            styles.append(("measures", base + open_own.pop(), base + pos))
            i += 1
            continue
        if ch == _HOLE_OPEN:
            open_holes.append(pos)
            i += 1
            continue
        if ch == _HOLE_CLOSE:
            styles.append(("placeholder", base + open_holes.pop(), base + pos))
            i += 1
            continue
        out.append(ch)
        pos += 1
        i += 1
    return "".join(out)


# --------------------------------------------------------------------------- disclosure for circulation
def circulated(package: Any, result: Any) -> Any:
    """A copy of ``result`` fit to circulate: confidential money figures that fail disclosure control withheld.

    The decision is ``innolib.circulation.circulated_result``'s (the year's whole family
    of periods protected together, docs/data.md "Confidentiality"); this name is kept for
    the callers of ``il.circulated``.
    """
    from innolib.circulation import circulated_result

    return circulated_result(package, result)


# --------------------------------------------------------------------------- the narrative
def write_narrative(
    package: Any,
    period: Period,
    lang: str = "zh",
    *,
    indicators: Any = None,
    protect: bool = True,
    examples: dict[str, list[str]] | None = None,
    draft: bool = False,
) -> Narrative:
    """The bulletin's prose for ``package`` and ``period`` (a ``Period``) in ``lang`` (``zh`` or ``en``).

    ``indicators``: the IndicatorSet already computed for this period (computed here only
    when omitted: a notebook passes the one it has). ``protect``: apply disclosure control (``circulated``) first – keep it on for
    anything that leaves the bureau. ``examples``: names to cite per indicator (public
    facts such as platform and project names; computed from the package when omitted).
    ``draft``: an internal draft, where a point with claims but no measures text shows the
    placeholder (the circulated text never holds one; ``Narrative.missing`` lists them).
    """
    check_lang(lang)
    require_period(period)
    cutoff = getattr(getattr(package, "district", None), "cutoff", None)
    if indicators is None:
        from innolib.indicators import compute_indicators

        indicators = compute_indicators(package, period)
    if protect:
        indicators = circulated(package, indicators)
    period = getattr(indicators, "period", None) or period.clip(cutoff)
    if examples is None:
        from innolib.examples import example_names

        examples = example_names(package, period)
    # data enters the text as one line of plain text (no control character: the
    # writer's own markers are control characters; see innolib.present.markup)
    examples = {k: [plain_text(n) for n in names] for k, names in examples.items()}
    writer = _Writer(indicators, lang, examples)
    district = getattr(package, "district", None)
    from innolib.measures import measures_of
    from innolib.wording import Wording, district_facts

    own = {key: plain_text(text) for key, text in measures_of(package, period).items()}
    wording = Wording(writer, package, period, lang, own, draft=draft)
    facts, warnings = district_facts(district, lang)
    context = _context(writer, district, period, lang)
    context.update(_wording_context(writer, wording, facts))
    module = _environment().get_template(f"bulletin.{lang}.md.j2").make_module(context)
    notice = words(lang)["synthetic_notice"] if getattr(district, "synthetic", False) else ""
    story = _assemble(module, writer, lang, period, indicators, notice)
    story.missing = list(wording.missing)
    story.warnings = warnings + list(getattr(indicators, "warnings", []) or [])
    return story


def _wording_context(writer: _Writer, wording: Any, facts: dict[str, str]) -> dict[str, Any]:
    """The globals of the data-chosen wording (``innolib.wording``) and the bureau's own
    title and lead (measures rows 标题/导语 of the period)."""
    from innolib.wording import lead_indicators

    own = wording.measures
    return {
        "direction": wording.direction,
        "first": wording.first,
        "previous": wording.previous,
        "record": wording.record,
        "target": wording.target,
        "names": wording.names,
        "named": wording.named,
        "section_points": wording.section_points,
        "facts": facts,
        "lead_ids": lead_indicators(),
        "own_title": own.get(("", "title"), ""),
        "own_lead": writer.own_words(own[("", "lead")]) if own.get(("", "lead")) else "",
    }


def _context(writer: _Writer, district: Any, period: Period, lang: str) -> dict[str, Any]:
    """The template's globals: the writer's claim machinery, the period's words, the district."""
    return {
        "c": writer.claim,
        "ok": writer.ok,
        "value": writer.value,
        "seq": writer.seq,
        "wrap": writer.wrap,
        "points": writer.points,
        "nonempty": writer.nonempty,
        "ordinal": lambda n: ordinal_word(n, lang),
        "topic": writer.style,
        "examples": writer.examples_of,
        "year_": writer.year(period.year),
        "beyond": writer.beyond_coverage(period),
        "period": period,
        "district": district,
        "district_short": _short_name(getattr(district, "name", "") or ""),
        "when": writer.period_words(period.wording(lang), period),
        "stock_when": writer.period_words(_stock_wording(period, lang), period),
        "full_year": period.is_full_year and not period.clipped,
        "clipped": period.clipped,
        "part_year": not period.is_full_year,
    }


def _assemble(
    module: Any, writer: _Writer, lang: str, period: Period, indicators: Any, notice: str = ""
) -> Narrative:
    """The rendered template's parts joined into the Markdown text, markers turned into spans."""
    title = str(module.title).strip()
    lead = str(module.lead).strip()
    sections_raw = [(str(h).strip(), str(p).strip()) for h, p in module.sections]
    signature = str(module.signature).strip()

    trace: list[TraceSpan] = []
    styles: list[tuple[str, int, int]] = []
    parts: list[str] = []
    md_parts: list[str] = []  # the same pieces, escaped for Markdown
    sections: list[Section] = []
    cursor = 0

    def emit(
        raw: str, kind: str | None = None, prefix: str = "", suffix: str = ""
    ) -> tuple[str, int]:
        """Append ``prefix + raw (markers stripped) + suffix``; the clean text and where it starts."""
        nonlocal cursor
        start = cursor + len(prefix)
        clean = _strip(raw, writer, start, trace, styles)
        if kind:
            styles.append((kind, start, start + len(clean)))
        parts.append(prefix + clean + suffix)
        md_parts.append(prefix + markdown_text(clean) + suffix)
        cursor = start + len(clean) + len(suffix)
        return clean, start

    heading_joiner = str(getattr(module, "heading_joiner", ""))
    signature_joiner = str(getattr(module, "signature_joiner", ""))
    title_clean, _ = emit(title, "title", "# ", "\n\n")
    if notice:
        emit(notice, "notice", "", "\n\n")
    lead_clean, _ = emit(lead, "lead", "", "\n\n")
    for i, (heading, paragraph) in enumerate(sections_raw):
        last = i == len(sections_raw) - 1
        # CommonMark does not close ``**`` after punctuation followed by a letter
        # (``**一、…。**一是`` stays unbold): the final stop goes after the marker
        stop = heading[-1] if heading and unicodedata.category(heading[-1]).startswith("P") else ""
        h, _ = emit(
            heading[: len(heading) - len(stop)], "heading", "**", "**" + stop + heading_joiner
        )
        h += stop
        first_style = len(styles)
        p, start = emit(paragraph)
        topics = tuple(p[s - start : e - start] for k, s, e in styles[first_style:] if k == "topic")
        if last:
            emit(signature, "signature", signature_joiner)
        parts.append("\n" if last else "\n\n")
        md_parts.append(parts[-1])
        cursor += len(parts[-1])
        sections.append(Section(h, p, topics, writer.kept[i] if writer.kept else i + 1))
    if not sections_raw:
        emit(signature, "signature", "", "\n")
    return Narrative(
        lang=lang,
        period=period,
        title=title_clean,
        lead=lead_clean,
        sections=sections,
        signature=signature,
        text="".join(parts),
        trace=trace,
        styles=styles,
        indicators=indicators,
        notice=notice,
        markdown="".join(md_parts),
    )


def _short_name(name: str) -> str:
    """上街区 → 上街 (how the bulletin names the district in running text)."""
    return name[:-1] if len(name) > 2 and name.endswith(("区", "县", "市")) else name


def _stock_wording(period: Period, lang: str) -> str:
    """How a stock at the period's end is introduced: 截至年底 (a year), 截至6月底 (a
    part-year ending with June), 截至10月31日 when a cutoff clipped the period."""
    if period.clipped:
        return period.wording(lang)
    voc = words(lang)
    if period.end.month == 12:
        return voc["stock_year_end"]
    return voc["stock_month_end"].format(m=period.end.month, month=period.end.strftime("%B"))


# --------------------------------------------------------------------------- cited names
