"""The bulletin's exports for one (district, period): Markdown, Word, CSV and JSON.

``write_report(package, period, out_dir, lang)`` writes ``bulletin.md``,
``bulletin.docx``, ``indicators.csv`` and ``indicators.json`` (plus ``rejects/`` when a
lenient load left rows out). Everything written is meant for circulation, so:

* every figure goes through disclosure control first (``narrative.circulated``): a
  confidential money indicator (rd_survey, financing, tech_contracts) whose district
  total fails the minimum-frequency or (2, 85) dominance rule has status ``suppressed``
  and a null value in the JSON and CSV, the suppressed marker (``—``, with its legend)
  in the tables, and is left out of the prose; the district totals that pass stay published;
* no work list, no enterprise name beside a figure of its own, no USCC is ever written.

Files are first written into a temporary folder beside ``out_dir`` and then moved into
place one by one (``os.replace``, atomic on one file system), so a crash never leaves a
half-written file that looks finished.

The Word file is the 简报 in its GB/T 9704 form (版头, body, 附表 with the year's targets,
版记, page numbers), written by ``innolib.word``; ``issue_number`` and ``issued`` give its
第N期 and its date (else ``SOURCE_DATE_EPOCH``, else today).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from innolib.indicator_workbook import write_indicators_xlsx
from innolib.narrative import Narrative, circulated, write_narrative
from innolib.periods import Period, require_period
from innolib.present.markup import markdown_text
from innolib.present.numbers import format_date
from innolib.present.tables import IndicatorTable, indicator_table
from innolib.present.vocabulary import words
from innolib.word import masthead, write_docx

_LABELS = {
    "zh": {
        "sources": "数据来源：{tables}。",
        "cutoff": "数据截至{date}。",
        "rejected": "{summary}。",
    },
    "en": {
        "sources": "Data sources: {tables}.",
        "cutoff": "Data as of {date}.",
        "rejected": "{summary}.",
    },
}

FILES = ("bulletin.md", "bulletin.docx", "indicators.xlsx", "indicators.csv", "indicators.json")
#: the analyst's draft (not circulated): placeholders where a point lacks the bureau's text
DRAFT = "internal/bulletin_draft.docx"
#: what the analyst still has to supply: points without the bureau's text, facts to declare
TODO = "internal/missing_measures.txt"


# --------------------------------------------------------------------------- the report
def write_report(
    package: Any,
    period: Period,
    out_dir: Path | str,
    lang: str = "zh",
    *,
    indicators: Any = None,
    issue_number: int | None = None,
    issued: Any = None,
) -> list[Path]:
    """Write the circulated exports of ``package`` for ``period`` into ``out_dir``; the paths.

    ``indicators``: an IndicatorSet already computed for this period (computed when
    omitted). Disclosure control is always applied here. ``issue_number``: the 简报's
    第N期 (None: left blank for the analyst); ``issued``: its date (a ``date`` or
    ``YYYY-MM-DD``; None: ``SOURCE_DATE_EPOCH``, else today).
    """
    require_period(period)
    if indicators is None:
        from innolib.indicators import compute_indicators

        indicators = compute_indicators(package, period)
    safe = circulated(package, indicators)
    story = write_narrative(package, period, lang, indicators=safe, protect=False)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir.parent))
    try:
        table = headline_table(safe, lang)
        notes = _notes(package, safe, lang)
        (staging / "bulletin.md").write_text(
            bulletin_markdown(story, table, notes), encoding="utf-8"
        )
        head = masthead(package.district, issue_number=issue_number, issued=issued, lang=lang)
        targets = _targets(package, period, safe)
        write_docx(story, table, notes, staging / "bulletin.docx", lang, head=head, targets=targets)
        draft = write_narrative(package, period, lang, indicators=safe, protect=False, draft=True)
        (staging / "internal").mkdir()
        write_docx(
            draft, table, notes, staging / DRAFT, lang, head=head, targets=targets, draft=True
        )
        (staging / TODO).write_text(
            "".join(line + "\n" for line in missing_lines(draft)), encoding="utf-8"
        )
        indicators_frame(safe).to_csv(staging / "indicators.csv", index=False, encoding="utf-8-sig")
        (staging / "indicators.json").write_text(
            json.dumps(_json_safe(safe.to_document()), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        # the workbook for people, from the same disclosure-controlled result
        write_indicators_xlsx(safe, staging / "indicators.xlsx", lang)
        extra: list[Path] = []
        report = getattr(package, "report", None)
        if report is not None and getattr(report, "rejected_rows", None) and report.rejected_rows():
            from innolib.load_report import write_rejects

            # rejected rows name enterprises (USCC): internal, never beside the circulated files
            extra = [p.relative_to(staging) for p in write_rejects(report, staging / "internal")]
        written = []
        for name in [*FILES, DRAFT, TODO, *map(str, extra)]:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _targets(package: Any, period: Period, safe: Any) -> Any:
    """The year's targets against the circulated values (the 附表's target columns)."""
    from innolib.analyses import targets_vs_actual

    return targets_vs_actual(package, period, safe)


def missing_lines(story: Narrative) -> list[str]:
    """One line per point that has claims but no measures text, then the run's warnings."""
    from innolib.measures import points, section_labels

    labels = {(p.section, p.id): p.zh for p in points()}
    sections = section_labels()
    out = [
        f"缺少工作举措 / no measures text: {story.period.label} {n}.{sections[n][0]} "
        f"{point}（{labels[(n, point)]}）"
        for n, point in story.missing
    ]
    return out + list(story.warnings)


def _json_safe(document: Any) -> Any:
    """NaN/NA → null, numpy scalars → Python numbers (JSON has no NaN)."""
    if isinstance(document, dict):
        return {k: _json_safe(v) for k, v in document.items()}
    if isinstance(document, (list, tuple)):
        return [_json_safe(v) for v in document]
    if document is None or document is pd.NA:
        return None
    if isinstance(document, float) and math.isnan(document):
        return None
    if hasattr(document, "item") and not isinstance(document, (str, bytes)):
        return _json_safe(document.item())
    return document


def indicators_frame(result: Any) -> pd.DataFrame:
    """Every indicator of ``result`` as the CSV rows: id, section, names, unit, kind, status, value, YoY.

    Counts are written as whole numbers (``106``, not ``106.0``); empty cells for null values.
    """
    frame = result.to_frame()
    counts = ~frame["unit"].isin(["万元", "%"])
    for column in ("value", "previous"):
        frame[column] = pd.Series(
            [
                None
                if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                else (int(v) if is_count else v)
                for v, is_count in zip(frame[column].astype(object), counts)
            ],
            index=frame.index,
            dtype=object,
        )
    return frame


# --------------------------------------------------------------------------- headline table
def headline_table(result: Any, lang: str = "zh") -> IndicatorTable:
    """The bulletin's table as circulated: the registry's headline indicators with data
    (``ok`` or ``suppressed``), rendered by ``innolib.present.tables`` like every table."""
    return indicator_table(
        result,
        headline=True,
        omit_no_data=True,
        title=words(lang)["headline_title"],
        cutoff_note=False,
        lang=lang,
    )


def _notes(package: Any, result: Any, lang: str) -> list[str]:
    """The notes printed after the text: data sources, cut-off date, rows left out."""
    from innolib.registry import load_registry
    from innolib.tables import TABLES

    labels = _LABELS[lang]
    defs = load_registry()
    used: list[str] = []
    for iid, iv in result.values.items():
        if iv.status != "no_data" and iid in defs:
            used.extend(t for t in defs[iid].sources if t not in used)
    order = [t for t in TABLES if t in used]
    names = [TABLES[t].zh if lang == "zh" else t for t in order]
    cutoff = getattr(package.district, "cutoff", None)
    day = min(cutoff, result.period.end) if cutoff else result.period.end
    notes = [
        labels["sources"].format(tables=("、" if lang == "zh" else ", ").join(names)),
        labels["cutoff"].format(date=format_date(day, lang)),
    ]
    report = getattr(package, "report", None)
    if report is not None and getattr(report, "rejected_rows", None) and report.rejected_rows():
        notes.append(labels["rejected"].format(summary=report.summary()))
    return notes


# --------------------------------------------------------------------------- Markdown
def bulletin_markdown(story: Narrative, table: IndicatorTable, notes: list[str]) -> str:
    """The bulletin as Markdown: the narrative, the headline table with its notes and
    legends, the notes; every piece of text escaped (``innolib.present.markup``)."""
    body = [story.markdown.rstrip(), "", table.markdown(), ""]
    return "\n".join([*body, *map(markdown_text, notes)]) + "\n"
