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

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from innolib.present.markup import markdown_text, plain_text

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
    """``analyses.contract_mix``'s long frame split into the chart's two panels (by type, by buyer region)."""
    panels = []
    for by in ("type", "buyer_region"):
        part = mix[mix["by"] == by].rename(columns={"category": by})
        panels.append(
            part[[by, "amount", "amount_share"]].rename(columns={"amount_share": "share"})
        )
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
        return Markdown(parts[section - 1])
    head = [f"### {md(draft.title)}", md(draft.lead)]
    return Markdown("\n\n".join([*head, *parts, md(draft.signature)]))


def exports(package: Any, result: Any, out: Path | None, lang: str = "zh") -> Any:
    """Writes bulletin.md/.docx and indicators.csv/.json of ``result`` into ``out`` (nothing
    when None); lists them."""
    from IPython.display import Markdown

    if out is None:
        return Markdown(
            "（`out` 未设置：本次运行只显示，不写出文件。/ `out` not set: nothing written.）"
        )
    from innolib.export import write_report

    written = write_report(package, result.period, Path(out), lang=lang, indicators=result)
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
