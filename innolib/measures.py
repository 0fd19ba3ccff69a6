"""工作举措 (measures): the bureau's own words about what it did, as data.

A bulletin point (一是/二是/三是 of a section) says what the bureau did, then what the
data shows. What it did is not in any ledger: staff write it. The ``measures`` table holds
that text, one row per (period, section, point), plus optional ``title`` and ``lead`` rows
of a period. The points of each section are fixed in ``registry/measures.yaml``; this
module reads that file (``points``), resolves what staff write for a section or a point
(``1``/``一``/its label; ``pipeline``/``企业梯次培育``), and turns a Word (.docx) or
Markdown document whose headings name the period, section and point into the rows of the
table (``document_grid``), so that the loader validates it like any sheet.

A document looks like this (Markdown; in Word the same with heading styles, or plain
paragraphs that are just the heading's words)::

    # 2025
    ## 标题
    分层培育强主体 协同攻关促转化
    ## 导语
    2025年，区科技局……
    ## 一、创新型企业成长生态圈
    ### 企业梯次培育
    按照……的闭环管理。

Rows of a document are placed at the line (Markdown) or paragraph (Word) of their point
heading, so every message the loader gives names that line or paragraph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from innolib.errors import DataError

#: the longest text a measures cell may hold (characters): a point is a few sentences
MAX_TEXT = 600
#: the period rows that are not points: the bulletin's title and lead
PERIOD_ROWS = ("title", "lead")
DOCUMENT_FORMATS = (".md", ".markdown", ".docx")

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Point:
    """One fixed point of a section: ``section`` 1–3, ``id`` (pipeline), labels, indicators."""

    section: int
    id: str
    zh: str
    en: str
    indicators: tuple[str, ...] = ()


@functools.cache
def _document() -> dict:
    text = resources.files("innolib").joinpath("registry/measures.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.cache
def points() -> tuple[Point, ...]:
    """Every point of the bulletin, in order (section 1's three, then 2's, then 3's)."""
    out = []
    for number, section in sorted(_document()["sections"].items()):
        for pid, p in section["points"].items():
            out.append(Point(int(number), pid, p["zh"], p["en"], tuple(p.get("indicators", ()))))
    return tuple(out)


def section_labels() -> dict[int, tuple[str, str]]:
    """{section number: (Chinese label, English label)}."""
    return {int(k): (v["zh"], v["en"]) for k, v in _document()["sections"].items()}


def point_ids(section: int) -> tuple[str, ...]:
    return tuple(p.id for p in points() if p.section == section)


def period_row_words() -> dict[str, str]:
    """What a title or lead row (or heading) may be called → ``title`` / ``lead``."""
    words = {w: "title" for w in _document()["title_words"]}
    words.update({w: "lead" for w in _document()["lead_words"]})
    words.update({"title": "title", "lead": "lead"})
    return words


def _key(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’]", "", str(text)).lower()


def section_of(text: object) -> int | None:
    """The section a cell or heading names: ``1``, ``一``, ``一、……``, ``第一部分`` or its label."""
    raw = _key(text).rstrip("。.")
    if not raw:
        return None
    m = re.fullmatch(r"(?:第)?([1-9一二三四五六七八九])(?:部分)?(?:[、.．:：](.*))?", raw)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _CN_DIGITS[m.group(1)]
        return n if n in section_labels() else None
    for n, (zh, en) in section_labels().items():
        if raw in (_key(zh), _key(en)):
            return n
    return None


def point_of(section: int | None, text: object) -> str | None:
    """The point id a cell or heading names within ``section`` (id or Chinese label)."""
    raw = _key(text).rstrip("。.")
    raw = re.sub(r"^[一二三四五六七八九]是", "", raw)
    for p in points():
        if section is not None and p.section != section:
            continue
        if raw in (p.id, _key(p.zh), _key(p.en)):
            return p.id
    return None


def canonical_period(text: object) -> str | None:
    """A period code from a cell or heading: ``2025``, ``2025年`` → 2025; ``2025H1`` kept."""
    from innolib.periods import parse_period

    raw = re.sub(r"\s", "", str(text)).rstrip("年度")
    if re.fullmatch(r"\d{4}", raw):
        return raw
    try:
        return parse_period(raw).code
    except Exception:
        return None


def measures_of(package: object, period: object) -> dict[tuple[str, str], str]:
    """The bureau's text for ``period``: {(section, point): text}, title and lead under
    section "" (``("", "title")``). Rows of other periods are not used: a bulletin uses
    the measures of its own period (by its label, e.g. ``2025`` or ``2025H1``)."""
    tables = getattr(package, "tables", None) or {}
    if "measures" not in tables:
        return {}
    frame = tables["measures"]
    label = str(getattr(period, "label", period))
    rows = frame[frame["period"].astype(str) == label]
    out: dict[tuple[str, str], str] = {}
    for section, point, text in zip(rows["section"], rows["point"], rows["text"]):
        if isinstance(text, str) and text.strip():
            key = ("" if section is None or section != section else str(section), str(point))
            out[key] = text.strip()
    return out


# --------------------------------------------------------------------------- documents
@dataclass
class _Line:
    number: int  # 1-based line (Markdown) or paragraph (Word)
    level: int  # heading level, 0 for body text
    text: str


def _markdown_lines(path: Path) -> list[_Line]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path.name}：不是UTF-8编码的Markdown文件（{error}）",
            f"{path.name}: not a UTF-8 Markdown file ({error})",
        ) from error
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^(#{1,6})\s*(.*?)\s*#*\s*$", line)
        if m:
            out.append(_Line(i, len(m.group(1)), m.group(2)))
        elif line.strip():
            out.append(_Line(i, 0, line.strip()))
    return out


def _docx_lines(path: Path) -> list[_Line]:
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a broken file
        raise DataError(
            f"{path.name}：无法读取Word文档（{error}）",
            f"{path.name}: cannot read the Word document ({error})",
        ) from error
    out = []
    for i, para in enumerate(doc.paragraphs, start=1):
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        m = re.match(r"(?:Heading|标题)\s*(\d)", style)
        out.append(_Line(i, int(m.group(1)) if m else 0, text))
    return out


def _heading_role(line: _Line, section: int | None) -> tuple[str, object] | None:
    """What a line names, when it is a heading or a bare heading word: period/section/point/title/lead."""
    text = line.text
    if line.level == 0 and len(text) > 30:
        return None  # body text
    period = canonical_period(text)
    if period is not None:
        return ("period", period)
    special = period_row_words().get(_key(text).rstrip("。:："))
    if special:
        return ("special", special)
    found = section_of(text)
    if found is not None and (line.level or re.match(r"^[一二三四五六七八九1-9][、.．]", text)):
        return ("section", found)
    pid = point_of(section, text)
    if pid is not None:
        return ("point", pid)
    if line.level:
        return ("unknown", text)
    return None


def document_rows(path: Path) -> list[dict]:
    """The measures rows of a Word or Markdown document: period, section, point, text, line.

    Raises ``DataError`` naming the file, the line (Markdown) or paragraph (Word), the
    value and the rule for a heading that names nothing known, text before a period or a
    point, or a point heading outside a section.
    """
    lines = _docx_lines(path) if path.suffix.lower() == ".docx" else _markdown_lines(path)
    where = "段" if path.suffix.lower() == ".docx" else "行"
    where_en = "paragraph" if path.suffix.lower() == ".docx" else "line"
    rows: list[dict] = []
    problems: list[tuple[str, str]] = []
    period = section = None
    current: dict | None = None
    for line in lines:
        role = _heading_role(line, section)
        place = f"{path.name} 第{line.number}{where}", f"{path.name} {where_en} {line.number}"
        if role is None:
            if current is None:
                problems.append(
                    (
                        f"{place[0]}「{line.text[:20]}」：正文前须有期间、部分和要点标题",
                        f"{place[1]} '{line.text[:20]}': text must follow a period, "
                        "section and point heading",
                    )
                )
                continue
            current["text"] = f"{current['text']}{line.text}" if current["text"] else line.text
            continue
        kind, value = role
        if kind == "unknown" and period is None:
            continue  # the document's own title, above the first period
        if kind == "period":
            period, section, current = value, None, None
        elif kind == "special" and period is not None:
            current = {
                "period": period,
                "section": "",
                "point": value,
                "text": "",
                "line": line.number,
            }
            rows.append(current)
        elif kind == "section" and period is not None:
            section, current = value, None
        elif kind == "point" and period is not None and section is not None:
            current = {
                "period": period,
                "section": str(section),
                "point": value,
                "text": "",
                "line": line.number,
            }
            rows.append(current)
        else:
            known = "、".join(f"{p.section}.{p.zh}" for p in points())
            problems.append(
                (
                    f"{place[0]}：标题「{line.text}」不是期间（如2025）、部分（一、二、三）或该部分的要点（{known}）",
                    f"{place[1]}: heading '{line.text}' names no period (e.g. 2025), section (1–3) "
                    "or point of its section",
                )
            )
            current = None
    if problems:
        raise DataError("；".join(p[0] for p in problems), "; ".join(p[1] for p in problems))
    return rows


def document_grid(path: Path) -> pd.DataFrame:
    """A document as a grid of cells the loader reads like a sheet.

    Row 0 is the header (the table's Chinese headers); each point sits at the row of its
    heading's line or paragraph, so the loader's row numbers are the document's. A point
    heading with no text keeps an empty text cell (the loader rejects it: required).
    """
    from innolib.tables import TABLES

    rows = document_rows(path)
    columns = [c.zh for c in TABLES["measures"].columns]
    height = max([r["line"] for r in rows], default=1)
    grid = pd.DataFrame([[None] * len(columns) for _ in range(height)], dtype=object)
    grid.iloc[0] = columns
    for r in rows:
        grid.iloc[r["line"] - 1] = [
            r["period"],
            r["section"] or None,
            r["point"],
            r["text"] or None,
        ]
    return grid


# --------------------------------------------------------------------------- validation
def package_years(tables: dict[str, pd.DataFrame]) -> tuple[int, int] | None:
    """The first and last year the package's rows cover (dates, survey and target years)."""
    from innolib.tables import DATE, TABLES, YEAR

    years: list[int] = []
    for table_id, frame in tables.items():
        if table_id == "measures" or table_id not in TABLES:
            continue
        for col in TABLES[table_id].columns:
            if col.id not in frame or col.type not in (DATE, YEAR):
                continue
            values = frame[col.id].dropna()
            if values.empty:
                continue
            if col.type == DATE:
                years += [int(values.min().year), int(values.max().year)]
            else:
                years += [int(values.min()), int(values.max())]
    return (min(years), max(years)) if years else None


def row_checks(frame: pd.DataFrame, years: tuple[int, int] | None) -> dict[str, pd.Series]:
    """Rule code → rows that pass it, for the measures rules beyond required cells:
    ``measures_period`` (a period code within ``years``), ``measures_section`` (1–3 or
    empty for title/lead), ``measures_point`` (a point of its section, or 标题/导语 with no
    section), ``measures_length`` (at most ``MAX_TEXT`` characters)."""
    special = period_row_words()

    def period_ok(value: object) -> bool:
        code = canonical_period(value) if isinstance(value, str) else None
        if code is None:
            return value is None or value != value  # empty: reported as required
        return years is None or years[0] <= int(code[:4]) <= years[1]

    def section_ok(value: object) -> bool:
        return not isinstance(value, str) or not value.strip() or section_of(value) is not None

    def point_ok(section: object, point: object) -> bool:
        if not isinstance(point, str):
            return True  # empty: reported as required
        has_section = isinstance(section, str) and section.strip()
        if not has_section:
            return _key(point).rstrip("。:：") in special
        number = section_of(section)
        return number is None or point_of(number, point) is not None

    return {
        "measures_period": frame["period"].map(period_ok).astype(bool),
        "measures_section": frame["section"].map(section_ok).astype(bool),
        "measures_point": pd.Series(
            [point_ok(s, p) for s, p in zip(frame["section"], frame["point"])],
            index=frame.index,
            dtype=bool,
        ),
        "measures_length": frame["text"]
        .map(lambda t: not isinstance(t, str) or len(t.strip()) <= MAX_TEXT)
        .astype(bool),
    }


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Accepted rows in one spelling: period code, section ``1``–``3`` (empty for title and
    lead), point id (``title``/``lead`` for those rows), text stripped."""
    special = period_row_words()
    out = frame.copy()
    out["period"] = frame["period"].map(canonical_period).astype("str")
    sections = [
        str(section_of(s)) if isinstance(s, str) and s.strip() else None for s in frame["section"]
    ]
    out["section"] = pd.Series(sections, index=frame.index, dtype=object).astype("str")
    out["point"] = pd.Series(
        [
            special[_key(p).rstrip("。:：")] if s is None else point_of(int(s), p)
            for s, p in zip(sections, frame["point"])
        ],
        index=frame.index,
    ).astype("str")
    out["text"] = frame["text"].str.strip()
    return out
