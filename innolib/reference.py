"""Published statistics for comparison: ``data/reference/published_statistics.csv``, validated.

One row per (scope, year, indicator) of figures published by statistics offices and
governments (全国, 河南, 郑州, other provinces, the district itself), kept as published:
its unit (亿元, 家, %…), its status (``published``: final, ``preliminary``, ``derived``
— computed from published figures, the note says how —, ``forecast``), a note, the
source it was found in and what kind of source that is (``official``, ``repost``,
``press``, ``weak``: most figures are read from copies, not from the office's own page). The analyst extends the file by adding rows; ``load_reference``
checks every row and reports all problems at once, each with file, row (as numbered in
a spreadsheet: the header is row 1), column, value and rule, in Chinese and English.

The columns, statuses and units are documented for people in ``data/reference/README.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from innolib.errors import DataError

COLUMNS = ("scope", "year", "indicator", "value", "unit", "status", "note", "source", "source_kind")
STATUSES = ("published", "preliminary", "derived", "forecast")
STATUS_ZH = {
    "published": "正式数",
    "preliminary": "初步数",
    "derived": "推算数",
    "forecast": "预计数",
}
SOURCE_KINDS = ("official", "repost", "press", "weak")
SOURCE_KIND_ZH = {
    "official": "统计部门官方发布",
    "repost": "官方公报转载",
    "press": "媒体报道",
    "weak": "弱来源，未经复核",
}
"""How the figure reached us: the office's own page, a full-text copy of its bulletin on
another site, a press report quoting it, or a source that could not be checked (an
aggregator, an encyclopedia mirror, a page that could not be re-read)."""
UNITS = ("亿元", "万元", "元", "%", "家", "个", "项", "人")
MONEY_TO_WAN = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
"""Money units and their factor to 万元 (the unit every package stores money in)."""
KEY = ("scope", "year", "indicator")

DEFAULT_PATH = (
    Path(__file__).resolve().parents[1] / "data" / "reference" / "published_statistics.csv"
)

_NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"

# check name → (rule zh, rule en)
_RULES = {
    "not_empty": ("不能为空", "must not be empty"),
    "year_format": (
        "应为1900—2100之间的四位年份",
        "must be a four-digit year between 1900 and 2100",
    ),
    "number": (
        "应为数值（不带单位、不带千分位）",
        "must be a plain number (no unit, no thousands separator)",
    ),
    "unit": ("单位应为" + "、".join(UNITS) + "之一", "unit must be one of " + ", ".join(UNITS)),
    "status": (
        "状态应为" + "/".join(STATUSES) + "之一",
        "status must be one of " + ", ".join(STATUSES),
    ),
    "source_kind": (
        "来源类型应为" + "/".join(SOURCE_KINDS) + "之一",
        "source_kind must be one of " + ", ".join(SOURCE_KINDS),
    ),
    "multiple_fields_uniqueness": (
        "同一范围、年份、指标只能有一行",
        "one row per (scope, year, indicator)",
    ),
}


def _check(name: str, fn) -> pa.Check:
    return pa.Check(fn, name=name)


def _schema() -> pa.DataFrameSchema:
    """The reference table's schema, on the raw text cells (so errors quote what was typed)."""
    not_empty = _check("not_empty", lambda s: s.str.strip() != "")
    return pa.DataFrameSchema(
        {
            "scope": pa.Column(str, checks=not_empty),
            "year": pa.Column(
                str,
                checks=_check(
                    "year_format", lambda s: s.str.fullmatch(r"\s*(19|20)\d\d\s*|\s*2100\s*")
                ),
            ),
            "indicator": pa.Column(str, checks=not_empty),
            "value": pa.Column(str, checks=_check("number", lambda s: s.str.fullmatch(_NUMBER))),
            "unit": pa.Column(str, checks=_check("unit", lambda s: s.str.strip().isin(UNITS))),
            "status": pa.Column(
                str, checks=_check("status", lambda s: s.str.strip().isin(STATUSES))
            ),
            "note": pa.Column(str),
            "source": pa.Column(str, checks=not_empty),
            "source_kind": pa.Column(
                str, checks=_check("source_kind", lambda s: s.str.strip().isin(SOURCE_KINDS))
            ),
        },
        unique=list(KEY),
        strict=False,
    )


def _read(path: Path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(
                path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding=encoding
            )
        except UnicodeDecodeError:
            continue
    raise DataError(
        f"参照数据{path}不是UTF-8或GB18030编码的CSV文件",
        f"reference data {path} is not a UTF-8 or GB18030 CSV file",
    )


def load_reference(path: str | Path | None = None) -> pd.DataFrame:
    """The published statistics, validated: DataFrame[scope, year, indicator, value, unit, status, note, source, source_kind].

    ``path`` defaults to the project's ``data/reference/published_statistics.csv``. ``year``
    is an int, ``value`` a float in the row's own ``unit`` (not converted); text cells
    are stripped. Blank lines are skipped. Raises ``DataError`` listing every bad cell
    (file, row, column, value, rule) when any row breaks a rule, or when a column is
    missing.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.is_file():
        raise DataError(f"找不到参照数据文件{path}", f"reference data file not found: {path}")
    raw = _read(path)
    raw.columns = [str(c).strip().lstrip("\ufeff") for c in raw.columns]
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(
            f"参照数据{path.name}缺少列：{'、'.join(missing)}（应有{', '.join(COLUMNS)}）",
            f"reference data {path.name} lacks column(s) {', '.join(missing)} (expected {', '.join(COLUMNS)})",
        )
    raw = raw[list(COLUMNS)]
    raw = raw[~(raw.apply(lambda s: s.str.strip()) == "").all(axis=1)]  # blank lines
    try:
        _schema().validate(raw, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(*_messages(path, raw, exc.failure_cases)) from None
    out = raw.apply(lambda s: s.str.strip())
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    return out.reset_index(drop=True)


def _messages(path: Path, raw: pd.DataFrame, failures: pd.DataFrame) -> tuple[str, str]:
    """(zh, en) messages, one line per failing cell, in file order."""
    lines_zh, lines_en = [], []
    failures = failures.copy()
    failures["index"] = pd.to_numeric(failures["index"], errors="coerce")
    for _, f in failures.sort_values(["index", "column"], na_position="last").iterrows():
        check = str(f["check"])
        rule_zh, rule_en = _RULES.get(check, (check, check))
        if pd.isna(f["index"]):
            lines_zh.append(f"参照数据{path.name}：{rule_zh}")
            lines_en.append(f"reference data {path.name}: {rule_en}")
            continue
        idx = int(f["index"])
        row = idx + 2  # header is row 1; blank lines kept their position
        if check == "multiple_fields_uniqueness" or f["column"] not in COLUMNS:
            column, value = "/".join(KEY), "|".join(raw.loc[idx, list(KEY)])
        else:
            column, value = f["column"], raw.loc[idx, f["column"]]
        lines_zh.append(f"参照数据{path.name}第{row}行，列“{column}”，值“{value}”：{rule_zh}")
        lines_en.append(
            f"reference data {path.name}, row {row}, column {column}, value '{value}': {rule_en}"
        )
    seen: set[str] = set()
    zh = [x for x in lines_zh if not (x in seen or seen.add(x))]
    seen = set()
    en = [x for x in lines_en if not (x in seen or seen.add(x))]
    return "\n".join(zh), "\n".join(en)


def to_unit(value: float, unit: str, target_unit: str) -> float:
    """``value`` in ``unit`` expressed in ``target_unit``: 亿元/万元/元 convert, 家 = 个, % stays.

    Raises ``ValueError`` when the units measure different things (``家`` vs ``万元``).
    """
    if unit == target_unit:
        return float(value)
    if unit in MONEY_TO_WAN and target_unit in MONEY_TO_WAN:
        return float(value) * MONEY_TO_WAN[unit] / MONEY_TO_WAN[target_unit]
    if {unit, target_unit} <= {"家", "个"}:
        return float(value)
    raise ValueError(f"{unit} → {target_unit}")
