"""Helpers the analysis notebooks call (display only, no computation).

In a notebook::

    from innolib import notebooks as nbh
    out = nbh.resolve_out(out)                 # None: display only, write nothing
    il.indicator_table(result, section=1, headline=True)   # the table (text and Markdown)
    nbh.save_figure(fig, out, "01_funnel")

Keeping the committed notebooks clean and current (``innolib notebooks check|refresh``)
is ``innolib.notebook_files``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innolib.present.markup import markdown_text, plain_text
from innolib.present.vocabulary import words

INTERNAL_BANNER = "**内部资料 · 不得外传** / internal — not for circulation"


# ----------------------------------------------------------------------------- in notebooks


def resolve_out(out: str | Path | None) -> Path | None:
    """The folder a notebook writes figures and exports into, created; None writes nothing.

    The batch passes ``out = "."`` (the run's folder); an interactive run with the
    default ``None`` only displays, so re-executing the committed notebooks leaves the
    working tree untouched.
    """
    if out is None:
        return None
    path = Path(out)
    (path / "figures").mkdir(parents=True, exist_ok=True)
    return path


def show(fig: Any, out: Path | None, name: str) -> None:
    """Displays ``fig`` and saves it as ``out/figures/<name>.png`` (when ``out`` is set); closes it.

    The figure is rendered once, as ``charts.save_figure`` renders it (150 dpi, no
    timestamp or software metadata): the notebook shows the very PNG that is saved, at
    its on-screen size, and a re-run with the same numbers gives the same bytes. The
    chart's title (``figure_title``) is stored in the PNG's ``Title`` text chunk: the
    reader's index captions its gallery with it.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    from innolib.charts import SAVE_DPI

    buffer = io.BytesIO()
    metadata = {"Software": None, "Title": figure_title(fig) or None}
    fig.savefig(buffer, format="png", dpi=SAVE_DPI, metadata=metadata)
    plt.close(fig)
    png = buffer.getvalue()
    display(Image(data=png, format="png", width=round(fig.get_figwidth() * 100)))
    if out is not None:
        (Path(out) / "figures" / f"{name}.png").write_bytes(png)


def figure_title(fig: Any) -> str:
    """A chart's title on one line: its suptitle, else its first axes' title (``""`` if none)."""
    title = getattr(fig, "_suptitle", None)
    text = title.get_text() if title is not None else ""
    if not text and fig.axes:
        text = fig.axes[0].get_title()
    return " ".join(text.split()).replace("（ ", "（")


def trends(package: Any, ids: Iterable[str], periods: Iterable[Any]) -> dict[str, Any]:
    """``indicators.trend`` for several indicators: id → trend frame (for multi-series charts)."""
    from innolib.indicators import trend

    periods = list(periods)
    return {indicator_id: trend(package, indicator_id, periods) for indicator_id in ids}


def mix_panels(mix: Any) -> tuple[Any, Any]:
    """``analyses.contract_mix``'s long frame split into the chart's two panels (by type, by buyer
    region); the ``status`` of ``circulation.circulated_contract_mix`` goes along."""
    panels = []
    for by in ("type", "buyer_region"):
        part = mix[mix["by"] == by].rename(columns={"category": by})
        kept = [by, "amount", "amount_share"] + (["status"] if "status" in part else [])
        panels.append(part[kept].rename(columns={"amount_share": "share"}))
    return panels[0], panels[1]


def by_product(financing: Any) -> Any:
    """``analyses.financing_summary`` without its 合计 row (the chart compares products)."""
    return financing[financing["product"] != "合计"].reset_index(drop=True)


def narrative_markdown(
    package: Any, result: Any, section: int | None = None, lang: str = "zh"
) -> Any:
    """The bulletin draft as Markdown: section 1–3 (heading and paragraph), or the whole text.

    Written from ``result`` (the notebook's ``IndicatorSet``: computed once, never here).
    The circulated text (disclosure control on), exactly what ``00_bulletin`` exports.
    """
    from IPython.display import Markdown

    from innolib.narrative import write_narrative

    draft = write_narrative(package, result.period, lang=lang, indicators=result)
    # <strong>, not **…**: CommonMark does not close ** between "。" and a Chinese character
    # every piece of text escaped: names and the bureau's words stay text (present.markup)
    md = markdown_text
    parts = [f"<strong>{md(s.heading)}</strong>{md(s.paragraph)}" for s in draft.sections]
    if section is not None:
        wanted = [part for s, part in zip(draft.sections, parts) if s.number == section]
        if wanted:
            return Markdown(wanted[0])
        # a section with no claim the data proves is left out of the bulletin; the page
        # says so in one line (beyond the data: the bulletin's lead, which says why)
        beyond = getattr(result, "beyond_data", False)
        return Markdown(md(draft.lead) if beyond else md(words(lang)["section_empty"]))
    head = [f"### {md(draft.title)}", md(draft.lead)]
    return Markdown("\n\n".join([*head, *parts, md(draft.signature)]))


def exports(
    package: Any, result: Any, out: Path | None, lang: str = "zh", issue_number: int | None = None
) -> Any:
    """Writes bulletin.md/.docx, indicators.csv/.json (``export.write_report``) and
    indicators.xlsx (``indicator_workbook``) of ``result`` into ``out`` (nothing when
    None); lists them. ``issue_number``: the Word 简报's 第N期 (None: left blank)."""
    from IPython.display import Markdown

    if out is None:
        return Markdown(
            "（`out` 未设置：本次运行只显示，不写出文件。/ `out` not set: nothing written.）"
        )
    from innolib.export import write_report

    written = write_report(
        package, result.period, Path(out), lang=lang, indicators=result, issue_number=issue_number
    )
    return Markdown("已写出 / written:\n\n" + "\n".join(f"- `{Path(p).name}`" for p in written))


def load_note(package: Any) -> Any:
    """One line on what was loaded: district, files, rows, rejected rows (lenient mode)."""
    from IPython.display import Markdown

    from innolib.coverage import coverage, coverage_warnings

    district = package.district
    line = f"**{markdown_text(district.name)}**（{markdown_text(district.id)}），"
    line += f"{len(package.files)}个数据文件"
    if district.cutoff:
        line += f"，数据截止{district.cutoff.isoformat()}"
    line += "。"
    cover = coverage(package)
    for warning in coverage_warnings(cover):  # ledgers whose records stop early
        line += f"\n\n⚠ {markdown_text(warning)}"
    if package.report is not None and package.report.rejected_rows():
        line += f"\n\n**{package.report.summary()}**（rejects/）"
    return Markdown(line)


def load_packages(data: Any, lenient: bool = False) -> list[Any]:
    """The packages named by a notebook's ``data`` parameter: one path or a list of paths."""
    from innolib.load import load_package

    paths = data if isinstance(data, (list, tuple)) else [data]
    return [load_package(path, lenient=lenient) for path in paths]


def load_notes(packages: Iterable[Any]) -> Any:
    """``load_note`` of every package, as one Markdown block."""
    from IPython.display import Markdown

    return Markdown("\n\n".join(load_note(package).data for package in packages))


def comparison_text(tables: Iterable[Any]) -> str:
    """Each district's comparison table as plain text, its numbered footnotes below it."""
    from innolib.comparisons import comparison_table

    blocks = []
    for table in tables:
        shown = comparison_table(table)
        notes = "\n".join(f"注[{i}]：{note}" for i, note in zip(shown.index, shown["注"]))
        blocks.append(f"{table.attrs['title']}\n{text(shown.drop(columns='注'))}\n{notes}\n")
    return "\n".join(blocks)


def comparison_markdown(
    packages: list[Any], tables: list[Any], index: Any, period: Any, lang: str = "zh"
) -> Any:
    """The comparisons' narrative: one paragraph per district, then the composite index."""
    from IPython.display import Markdown

    from innolib.comparisons import comparison_narrative

    paragraphs = [
        comparison_narrative(
            table,
            None,
            district=package.district,
            period=period.clip(package.district.cutoff),
            lang=lang,
        )
        for package, table in zip(packages, tables)
    ]
    paragraphs.append(
        comparison_narrative(None, index, district=packages[0].district, period=period, lang=lang)
    )
    blocks = [block for text in paragraphs for block in text.split("\n\n") if block.strip()]
    return Markdown("\n\n".join(markdown_text(block) for block in blocks))


def text(frame: Any) -> str:
    """A DataFrame as plain text with Chinese characters counted double-width (columns line up).

    What the indicator cells print: stable text that nbval compares on every ``make test``.
    """
    import pandas as pd

    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.width",
        200,
        "display.max_columns",
        None,
        "display.max_rows",
        None,
    ):
        return frame.to_string()


def internal(title: str) -> Any:
    """A Markdown heading that marks what follows as an internal work list (内部 — not for circulation)."""
    from IPython.display import Markdown

    return Markdown(f"### {title}\n\n{INTERNAL_BANNER}")


def work_list(frame: Any, max_rows: int = 30) -> Any:
    """An internal work list for display: the first ``max_rows`` rows as an HTML table with a count caption.

    The table's element ids are derived from its content (not pandas' random ones) and the
    display object has a fixed text form, so re-running the notebook changes nothing.
    """
    import hashlib

    import pandas as pd
    from IPython.display import HTML

    # text cells as one line of plain text (no control characters, no line breaks)
    shown = frame.head(max_rows).map(lambda v: plain_text(v) if isinstance(v, str) else v)
    caption = f"内部工作清单：共{len(frame)}条" + (
        f"（显示前{max_rows}条）" if len(frame) > max_rows else ""
    )
    dates = {
        col: "{:%Y-%m-%d}"
        for col in shown.columns
        if pd.api.types.is_datetime64_any_dtype(shown[col])
    }
    # names and titles are data: escaped as text (never live HTML)
    styled = (
        shown.style.set_caption(caption)
        .format(dates, na_rep="", escape="html")
        .format_index(escape="html", axis=1)
        .hide(axis="index")
    )
    html = styled.set_uuid("x").to_html()
    return HTML(styled.set_uuid(hashlib.sha256(html.encode("utf-8")).hexdigest()[:8]).to_html())


# ----------------------------------------------------------------------------- reader tables
#: a column's kind in ``frame_table``: text as written; otherwise a unit (家, 万元, %)
TEXT = "text"
#: a column's unit read from the row's own ``unit`` column (targets of several indicators)
ROW_UNIT = "@unit"


@dataclass
class ReaderTable:
    """A table as a reader sees it: text cells under Chinese headers, notes and legends below.

    Built by ``frame_table`` and the helpers below from the presentation layer
    (``innolib.present``: the bulletin's rounding, the markers ``无数据``/``—`` with their
    legends). Its HTML (``_repr_html_``) is what the reader's page and JupyterLab show;
    its plain text (``repr``: aligned, Chinese counted double width) is what nbval
    compares on every ``make test``. ``numeric``: the columns aligned right.
    """

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    notes: list[str] = field(default_factory=list)
    numeric: tuple[bool, ...] = ()

    def _right(self, i: int) -> bool:
        return i < len(self.numeric) and self.numeric[i]

    def __repr__(self) -> str:
        from innolib.present.tables import display_width, pad

        widths = [
            max(display_width(r[i]) for r in [self.header, *self.rows])
            for i in range(len(self.header))
        ]

        def line(cells: tuple[str, ...]) -> str:
            padded = (
                pad(c, w, right=self._right(i)) for i, (c, w) in enumerate(zip(cells, widths))
            )
            return "  ".join(padded).rstrip()

        lines = [self.title] if self.title else []
        lines += [line(self.header), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in self.rows]
        return "\n".join(lines + list(self.notes))

    def _repr_html_(self) -> str:
        from html import escape

        # inline alignment: JupyterLab's own CSS right-aligns every cell of rendered tables
        def cells(tag: str, row: tuple[str, ...]) -> str:
            return "".join(
                f'<{tag} style="text-align:{"right" if self._right(i) else "left"}">'
                f"{escape(c)}</{tag}>"
                for i, c in enumerate(row)
            )

        parts = ['<table class="innolib-table">']
        if self.title:
            caption = "text-align:left;font-weight:bold"
            parts.append(f'<caption style="{caption}">{escape(self.title)}</caption>')
        parts.append(f"<thead><tr>{cells('th', self.header)}</tr></thead><tbody>")
        parts += [f"<tr>{cells('td', row)}</tr>" for row in self.rows]
        parts.append("</tbody></table>")
        if self.notes:
            notes = "<br>".join(escape(n) for n in self.notes)
            parts.append(f'<p class="innolib-notes">{notes}</p>')
        return "".join(parts)


def frame_table(
    frame: Any,
    columns: dict[str, tuple[str, str]],
    *,
    title: str | None = None,
    notes: Iterable[str] = (),
    withheld: Iterable[Iterable[str]] | None = None,
    lang: str = "zh",
) -> ReaderTable:
    """``frame`` for readers: ``columns`` maps a column to (header, kind); nothing else shows.

    ``kind``: ``TEXT`` (as written, blank when missing), a unit (家, 万元, %: a number as
    the bulletin's tables round it, ``present.table_number``) or ``ROW_UNIT`` (the row's
    own ``unit``). A missing number shows the no-data marker, a cell named in
    ``withheld`` (one set of columns per row) the suppressed marker; the legend of each
    marker shown is added to the notes. ``title`` defaults to ``frame.attrs["title"]``;
    an empty frame says why (``frame.attrs["note"]``).
    """
    from innolib.present.markers import NO_DATA, SUPPRESSED, legend, marker
    from innolib.present.numbers import format_date, table_number

    hidden = [set(h) for h in withheld] if withheld is not None else None
    used: set[str] = set()
    rows = []
    for pos, record in enumerate(frame.to_dict("records")):
        row = []
        for column, (_header, kind) in columns.items():
            value = record.get(column)
            unit = record.get("unit") if kind == ROW_UNIT else kind
            if hidden is not None and column in hidden[pos]:
                used.add(SUPPRESSED)
                row.append(marker(SUPPRESSED, lang))
            elif kind == TEXT:
                row.append("" if _blank(value) else str(value))
            elif _blank(value):
                used.add(NO_DATA)
                row.append(marker(NO_DATA, lang))
            elif unit == "date":
                row.append(format_date(_day(value), lang))
            else:
                row.append(table_number(float(value), str(unit or ""), lang))
        rows.append(tuple(row))
    shown = list(notes)
    if not rows and frame.attrs.get("note"):
        shown.insert(0, f"注：{frame.attrs['note']}")
    shown += [legend(kind, lang) for kind in (NO_DATA, SUPPRESSED) if kind in used]
    return ReaderTable(
        title=frame.attrs.get("title", "") if title is None else title,
        header=tuple(header for header, _kind in columns.values()),
        rows=rows,
        notes=shown,
        numeric=tuple(kind != TEXT for _header, kind in columns.values()),
    )


def _blank(value: Any) -> bool:
    """None, NaN, NaT and pandas' NA: a cell without a figure."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return value is None


def _day(value: Any) -> Any:
    import pandas as pd

    return pd.Timestamp(value).date()


def targets_table(targets: Any, lang: str = "zh") -> ReaderTable:
    """``analyses.targets_vs_actual`` for readers: 指标, 单位, 年度目标, 完成, 完成率 (%),
    完成情况 (a full year only), 说明.

    A withheld value (status ``suppressed``) hides its figure and its completion; a
    value without data shows the no-data marker.
    """
    withheld = [
        {"actual", "completion"} if status == "suppressed" else set()
        for status in targets.get("status", [])
    ]
    columns = {
        "name": ("指标", TEXT),
        "unit": ("单位", TEXT),
        "target": ("年度目标", ROW_UNIT),
        "actual": ("完成", ROW_UNIT),
        "completion": ("完成率（%）", "%"),
        "assessment": ("完成情况", TEXT),
        "note": ("说明", TEXT),
    }
    if "assessment" not in targets or targets["assessment"].fillna("").eq("").all():
        del columns["assessment"]  # a part-year period: progress, no verdict
    if "note" not in targets or targets["note"].fillna("").astype(str).str.strip().eq("").all():
        del columns["note"]  # no row has a note: no empty column
    return frame_table(
        targets,
        columns,
        notes=["注：完成率 = 完成 ÷ 年度目标 × 100；报告期不足一年时为全年目标的完成进度。"],
        withheld=withheld,
        lang=lang,
    )


def conversion_table(conversion: Any, lang: str = "zh") -> ReaderTable:
    """``analyses.pipeline_conversion`` for readers: each step's cohort, who moved up, the rate."""
    note = conversion.attrs.get("note", "")
    return frame_table(
        conversion,
        {
            "from_tier": ("由", TEXT),
            "to_tier": ("晋级至", TEXT),
            "cohort": ("培育对象（家）", "家"),
            "converted": ("晋级（家）", "家"),
            "rate": ("晋级率（%）", "%"),
            "already_higher": ("此前已在上一层级（家）", "家"),
        },
        notes=[f"注：{note}。"] if note and len(conversion) else [],
        lang=lang,
    )


def financing_table(financing: Any, lang: str = "zh") -> ReaderTable:
    """``analyses.financing_summary`` for readers: per product, with the 合计 row.

    A product whose amounts fail disclosure control (``sensitive``, or status
    ``suppressed`` in the circulated summary, ``circulation.circulated_financing``, which
    also withholds the complements) shows the suppressed marker for both amounts and the
    ratio; counts of records and enterprises are never suppressed.
    """
    sensitive = financing.get("sensitive", [False] * len(financing))
    status = financing.get("status", [""] * len(financing))
    withheld = [
        {"requested", "resolved", "ratio"} if bool(f) or s == "suppressed" else set()
        for f, s in zip(sensitive, status)
    ]
    return frame_table(
        financing,
        {
            "product": ("产品", TEXT),
            "records": ("笔数", "笔"),
            "enterprises": ("企业（家）", "家"),
            "requested": ("需求金额（万元）", "万元"),
            "resolved": ("解决金额（万元）", "万元"),
            "ratio": ("解决率（%）", "%"),
        },
        withheld=withheld,
        lang=lang,
    )


_NUMBER = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")


def shown_table(
    frame: Any, *, title: str = "", notes: Iterable[str] = (), index: str | None = None
) -> ReaderTable:
    """A frame already worded for readers (Chinese headers, text cells) as a ``ReaderTable``.

    For the comparisons' tables, which ``innolib.comparisons`` words itself. ``index``:
    the header of a first column holding the frame's index (left out when None). Numbers
    keep the decimals the frame gives them (at most three); blanks stay blank; columns of
    numbers (or of text that reads as one: ``41,620.0``, ``0.52%``) align right.
    """
    import pandas as pd

    columns = [(str(c), frame[c]) for c in frame.columns]
    if index is not None:
        columns.insert(0, (index, pd.Series(frame.index.astype(str), index=frame.index)))
    cells, numeric = [], []
    for _name, series in columns:
        text = _column_text(series)
        cells.append(text)
        filled = [t for t in text if t]
        numeric.append(bool(filled) and all(_NUMBER.match(t) for t in filled))
    return ReaderTable(
        title=title,
        header=tuple(name for name, _series in columns),
        rows=[tuple(row) for row in zip(*cells)] if cells else [],
        notes=list(notes),
        numeric=tuple(numeric),
    )


def _column_text(series: Any) -> list[str]:
    """A column's cells as text: blanks for missing values, floats with the decimals they
    need (at most three, the same in the whole column)."""
    import pandas as pd

    values = list(series)
    if pd.api.types.is_float_dtype(series.dtype):
        present = [v for v in values if not _blank(v)]
        decimals = max(
            (len(f"{round(v, 3):.3f}".rstrip("0").split(".")[1]) for v in present), default=0
        )
        return ["" if _blank(v) else f"{v:.{decimals}f}" for v in values]
    return ["" if _blank(v) else str(v) for v in values]


@dataclass
class ReaderTables:
    """Several ``ReaderTable`` shown one after the other (one per district of a comparison)."""

    tables: list[ReaderTable]

    def __repr__(self) -> str:
        return "\n\n".join(repr(table) for table in self.tables)

    def _repr_html_(self) -> str:
        return "".join(table._repr_html_() for table in self.tables)


def comparison_tables(tables: Iterable[Any]) -> ReaderTables:
    """Each district's comparison table (``comparisons.comparison_table``), its numbered
    notes below it: the reader's form of ``comparison_text``."""
    from innolib.comparisons import comparison_table

    shown = []
    for table in tables:
        frame = comparison_table(table)
        notes = [f"注[{i}]：{note}" for i, note in zip(frame.index, frame["注"])]
        shown.append(
            shown_table(
                frame.drop(columns="注"), title=table.attrs["title"], notes=notes, index="注"
            )
        )
    return ReaderTables(shown)
