"""One renderer for indicator tables: the CLI, the notebooks, Markdown, Word (and Excel).

``indicator_table(result, …)`` turns an ``IndicatorSet`` into an ``IndicatorTable``: the
header, one row of text cells per indicator (指标, 单位, 本期, 上年同期, 同比) grouped
under the section titles of the vocabulary, and the notes (units and change rule, the
legend of each marker shown, the cutoff). Every target renders those same cells:

- ``text()``: aligned plain text (Chinese counted double width), for the CLI and for
  notebooks (the ``text/plain`` form that nbval compares);
- ``markdown()``: a pipe table (the bulletin and a notebook's rich display);
- ``frame()``: a DataFrame of the cells indexed by indicator id (no section rows), for
  code that wants pandas (and a spreadsheet writer);
- ``rows`` / ``header`` / ``notes`` for writers of other formats (``innolib.export``'s Word).

Cells follow ``innolib.present.numbers`` (one rounding) and ``changes`` (one change
rule); a cell without a figure holds one of the two markers of ``markers``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from innolib.present.changes import change_cell, change_of
from innolib.present.facts import district_facts
from innolib.present.markers import NO_DATA, SUPPRESSED, legend, marker
from innolib.present.markup import markdown_cell, markdown_text
from innolib.present.numbers import format_date, table_number
from innolib.present.vocabulary import words
from innolib.registry import indicator_def

COLUMNS = ("indicator", "unit", "value", "previous", "change")
SECTION_ORDER = (1, 2, 3, 0)


@dataclass(frozen=True)
class Row:
    """One line of a table: an indicator (``id`` set, ``cells`` in ``COLUMNS`` order) or a
    section title (``id`` None, the title in ``cells[0]``, the other cells empty)."""

    id: str | None
    cells: tuple[str, ...]

    @property
    def is_section(self) -> bool:
        return self.id is None


@dataclass
class IndicatorTable:
    """An indicator table as text cells, ready for any renderer (see the module docstring)."""

    title: str
    header: tuple[str, ...]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    lang: str = "zh"

    # -- renderers
    def text(self) -> str:
        """Aligned plain text: title, header, rule, rows (section titles flush left,
        indicators indented), notes. Numbers are right-aligned."""
        body = [
            [c if r.is_section or i else "  " + c for i, c in enumerate(r.cells)] for r in self.rows
        ]
        widths = [
            max(display_width(r[i]) for r in [self.header, *body]) for i in range(len(self.header))
        ]

        def line(cells: Iterable[str]) -> str:
            padded = (pad(c, w, right=i >= 2) for i, (c, w) in enumerate(zip(cells, widths)))
            return "  ".join(padded).rstrip()

        lines = [self.title] if self.title else []
        lines += [line(self.header), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in body]
        return "\n".join(lines + self.notes)

    def markdown(self) -> str:
        """A pipe table (section titles in bold), the title in bold above, notes below."""
        lines = [f"**{markdown_cell(self.title)}**", ""] if self.title else []
        lines.append("| " + " | ".join(map(markdown_cell, self.header)) + " |")
        lines.append(
            "|" + "|".join("---" if i < 2 else "--:" for i in range(len(self.header))) + "|"
        )
        for r in self.rows:
            cells = [markdown_cell(c) for c in r.cells]
            if r.is_section:
                cells[0] = f"**{cells[0]}**"
            lines.append("| " + " | ".join(cells) + " |")
        if self.notes:
            lines += ["", *map(markdown_text, self.notes)]
        return "\n".join(lines)

    def frame(self) -> Any:
        """The indicator rows as a DataFrame of text cells, indexed by id (section rows left out)."""
        import pandas as pd

        rows = [r for r in self.rows if not r.is_section]
        return pd.DataFrame(
            [r.cells for r in rows],
            columns=list(self.header),
            index=pd.Index([r.id for r in rows], name="id"),
        )

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return self.markdown()


def indicator_table(
    result: Any,
    *,
    ids: Iterable[str] | None = None,
    section: int | None = None,
    headline: bool = False,
    omit_no_data: bool = False,
    title: str | None = None,
    cutoff_note: bool = True,
    lang: str = "zh",
) -> IndicatorTable:
    """The table of ``result`` (an ``IndicatorSet``): one row per indicator, registry order.

    ``ids`` picks indicators (else every one of ``result``, or of ``section``;
    ``headline`` keeps the registry's headline indicators); ``omit_no_data`` leaves out
    indicators without data (a circulated bulletin lists what it has). ``title``: the
    table's title; default the district, period and dates (``table_title``). ``cutoff_note``:
    say under the table when the package's cutoff clipped the period (an output that
    states the cutoff elsewhere turns it off).
    """
    voc = words(lang)
    facts, _warnings = district_facts(getattr(result, "district", None), lang)
    wanted = list(ids) if ids is not None else [v.id for v in result]
    rows: list[Row] = []
    shown: set[str] = set()
    for number in SECTION_ORDER:
        members = []
        for iid in wanted:
            d = indicator_def(iid)
            iv = result[iid]
            if d.section != number or (section is not None and d.section != section):
                continue
            if (headline and not d.headline) or (omit_no_data and iv.status == NO_DATA):
                continue
            cells, markers = _cells(iv, d, lang, facts)
            shown |= markers
            members.append(Row(iid, cells))
        if members:
            rows.append(Row(None, (voc["sections"][number], "", "", "", "")))
            rows += members
    notes = [voc["units_note"]] + [legend(k, lang) for k in (NO_DATA, SUPPRESSED) if k in shown]
    period = result.period
    if cutoff_note and period.clipped:
        notes.append(voc["cutoff_note"].format(date=format_date(period.end, lang)))
    as_of = sorted({iv.as_of for iv in result if getattr(iv, "as_of", None) is not None})
    if as_of:  # a period beyond the data: its stocks are stated on the coverage end
        notes.append(voc["as_of_note"].format(date=format_date(as_of[-1], lang)))
    return IndicatorTable(
        title=table_title(result, lang) if title is None else title,
        header=tuple(voc["header"][c] for c in COLUMNS),
        rows=rows,
        notes=notes,
        lang=lang,
    )


def table_title(result: Any, lang: str = "zh") -> str:
    """``上街区 2025年全年（2025-01-01至2025-12-31）主要指标`` for ``result``'s district and period."""
    p = result.period
    district = result.district
    name = district.name if lang == "zh" else (getattr(district, "name_en", "") or district.id)
    return words(lang)["table_title"].format(
        district=name,
        year=p.year,
        when=p.wording(lang),
        start=p.start.isoformat(),
        end=p.end.isoformat(),
    )


def _cells(iv: Any, d: Any, lang: str, facts: dict) -> tuple[tuple[str, ...], set[str]]:
    """The text cells of one indicator value and the markers they use."""
    name = d.display_name(lang, facts)
    unit = d.unit if lang == "zh" else d.unit_en
    if iv.status == SUPPRESSED:
        gone = marker(SUPPRESSED, lang)
        return (name, unit, gone, gone, gone), {SUPPRESSED}
    used: set[str] = set()

    def figure(value: Any, status: str) -> str:
        if status == SUPPRESSED:
            used.add(SUPPRESSED)
            return marker(SUPPRESSED, lang)
        if value is None or value != value:
            used.add(NO_DATA)
            return marker(NO_DATA, lang)
        return table_number(value, d.unit, lang)

    previous_status = getattr(iv, "previous_status", "ok")
    value = figure(iv.value if iv.status == "ok" else None, iv.status)
    previous = figure(iv.previous, previous_status)
    change = change_cell(change_of(d.unit, iv.value, iv.previous), lang)
    if change is None:
        kind = SUPPRESSED if previous_status == SUPPRESSED else NO_DATA
        used.add(kind)
        change = marker(kind, lang)
    return (name, unit, value, previous, change), used


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (on the left when ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill
