"""The whole package: every table's sources parsed, validated together, accounted for.

Tables are processed one at a time, referenced tables first (enterprises, activities),
each just before it is validated, so a national-size package never holds every table's
raw and parsed forms at once. A table's rules are checked with its pandera schema
(``schemas``), referential integrity included; every row read ends up accepted, rejected
(with its rule) or non-data in the ``LoadReport``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from innolib.errors import DataError
from innolib.load.files import Source, package_sources
from innolib.load.grid import cell_text
from innolib.load.parse import Parsed, ReadAhead, no_problems, parse_source
from innolib.load.xlsx import Prefetch
from innolib.load_report import LoadReport, Problem
from innolib.measures import normalised as normalised_measures
from innolib.measures import package_years
from innolib.normalize import parse_percent
from innolib.package import Package, coerce_types
from innolib.tables import TABLES, Table

_SHOWN_CHARS = 200  # characters of a rejected cell's value shown in the report
# processing order: referenced tables first
LOAD_ORDER = (
    "enterprises",
    "activities",
    *[t for t in TABLES if t not in ("enterprises", "activities")],
)


def district_values(district: object) -> dict[str, tuple[str, ...]]:
    """The district facts enum columns also accept: its loan product (郑科贷 in Zhengzhou,
    whatever district.yaml declares elsewhere; none when it declares none)."""
    from innolib.present.facts import district_facts

    facts, _warnings = district_facts(district, "zh")
    product = facts.get("loan_product", "")
    return {"loan_product": (product,) if product else ()}


def build_package(
    path: Path,
    files: dict[str, Path],
    hashes: dict[str, str],
    lenient: bool,
    prefetch: Prefetch | None = None,
) -> Package:
    """Parse and validate every table of the package at ``path`` (``files``: its inputs;
    ``prefetch``: its workbooks being read in the background)."""
    from innolib import schemas

    district, sources, ignored, notes = package_sources(path, files, prefetch)
    report = LoadReport(
        source=str(path), district=district.id, lenient=lenient, ignored=ignored, notes=notes
    )
    if not any(s.table == "enterprises" for s in sources):
        raise DataError(
            f"{path}：缺少必需的企业名录（enterprises / 企业名录）",
            f"{path}: the required table enterprises (企业名录) is missing",
        )
    sources_by_table: dict[str, list[Source]] = {}
    for src in sources:
        sources_by_table.setdefault(src.table, []).append(src)

    ctx = schemas.Context(
        towns=district.towns,
        indicators=indicator_ids() if "targets" in sources_by_table else None,
        district_values=district_values(district),
    )
    tables: dict[str, pd.DataFrame] = {}
    ahead = ReadAhead()
    present = [t for t in LOAD_ORDER if t in sources_by_table]
    for table_id in LOAD_ORDER:
        # one table at a time, its raw cells dropped once it is validated: a national-size
        # package never holds every table's raw and parsed forms at once; the next table's
        # Parquet files are read meanwhile
        if table_id in present:
            ahead.start(sources_by_table[table_id])
            following = present[present.index(table_id) + 1 :]
            if following:
                ahead.start(sources_by_table[following[0]])
        parts = [parse_released(src, ahead) for src in sources_by_table.pop(table_id, [])]
        if not parts:
            report.absent.append(table_id)
            continue
        if all(p.account.read - p.account.non_data_total == 0 for p in parts) and not any(
            p.file_problems for p in parts
        ):
            # only headers (an untouched template sheet): not provided, which is not the same as zero
            report.accounts.extend(p.account for p in parts)
            if table_id == "enterprises":
                raise DataError(
                    f"{path}：企业名录没有数据行", f"{path}: enterprises has no data rows"
                )
            report.absent.append(table_id)
            report.notes.append(
                f"{TABLES[table_id].zh}：只有表头，视为未提供 / {table_id}: header only, "
                f"treated as absent"
            )
            continue
        if table_id == "measures":  # the last table: its periods must lie in the others' years
            ctx.years = package_years(tables)
        accepted, read = validate_table(TABLES[table_id], parts, ctx, report)
        del parts
        tables[table_id] = accepted
        # strict: a reference to a row that was read (even if rejected) is not reported again;
        # lenient: rows naming a rejected enterprise/activity are left out too, saying why
        if table_id in ("enterprises", "activities"):
            key = TABLES[table_id].key[0]
            ok_keys = key_set(accepted[key])
            read_keys = key_set(read[key])
            if lenient:
                ctx.rejected_keys[table_id] = read_keys - ok_keys
                chosen = accepted
            else:
                chosen = read
            if table_id == "enterprises":
                ctx.enterprises = ok_keys if lenient else read_keys
            else:
                ctx.activities = chosen[["activity_id", "type"]].dropna(subset=["activity_id"])
    report.absent = [t for t in TABLES if t in report.absent]
    if "targets" in tables:
        tables["targets"] = parse_targets(tables["targets"], report)
    if "measures" in tables:
        tables["measures"] = normalised_measures(tables["measures"])
    ordered = {t: tables[t] for t in TABLES if t in tables}
    return Package(district, ordered, report=report, files=hashes, source=str(path))


def key_set(keys: pd.Series) -> frozenset:
    """The non-empty keys of a column (read through Arrow: no pandas scalar per row)."""
    arr = pa.array(keys, from_pandas=True)
    return frozenset(pc.drop_null(arr).to_pylist())


def parse_released(src: Source, ahead: ReadAhead | None = None) -> Parsed:
    """``parse_source``, then let go of a Parquet file's cells (the parsed frame keeps what is needed)."""
    parsed = parse_source(src, ahead)
    if src.kind == "parquet":
        src.grid = None
    return parsed


def validate_table(
    table: Table, parts: list[Parsed], ctx, report: LoadReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate one table's parsed sources together; record accounting and problems.

    Returns (accepted rows typed, every parsed row).
    """
    from innolib.schemas import failures

    usable = [p for p in parts if not p.unusable]
    frames, offsets, offset = [], [], 0
    for p in usable:
        frames.append(p.frame)
        offsets.append(offset)
        offset += len(p.frame)
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else coerce_types(table.id, pd.DataFrame()).assign(_row=pd.Series(dtype="int64"))
    )
    part_of = (
        np.repeat(np.arange(len(usable)), [len(p.frame) for p in usable])
        if usable
        else np.array([], int)
    )
    parse_problems = pd.concat(
        [p.problems.assign(index=p.problems["index"] + off) for p, off in zip(usable, offsets)]
        or [no_problems()],
        ignore_index=True,
    )
    rule_failures = failures(table, frame[[c.id for c in table.columns]], ctx)
    # a cell that could not be parsed is reported as such, not again as empty
    known = set(zip(parse_problems["index"], parse_problems["column"]))
    if len(rule_failures) and known:
        keep = [
            (i, c) not in known for i, c in zip(rule_failures["index"], rule_failures["column"])
        ]
        rule_failures = rule_failures[keep]
    all_problems = pd.concat([parse_problems, rule_failures], ignore_index=True).sort_values(
        ["index", "column"], kind="stable"
    )
    rejected = np.zeros(len(frame), dtype=bool)
    rejected[all_problems["index"].to_numpy(dtype="int64")] = True

    _reject_messages(table, usable, offsets, part_of, frame, all_problems, report)

    # accounting and file-level problems
    for p in parts:
        report.errors.extend(p.file_problems)
        report.notes.extend(p.notes)
        report.absent_columns.extend(_absent_columns(table, p))
        if not p.unusable:
            i = usable.index(p)
            mine = rejected[offsets[i] : offsets[i] + len(p.frame)]
            p.account.rejected = int(mine.sum())
            p.account.accepted = len(p.frame) - p.account.rejected
            check_totals(table, p, report)
        report.accounts.append(p.account)
    accepted = (
        frame.loc[~rejected, [c.id for c in table.columns]].reset_index(drop=True)
        if rejected.any()
        else frame[[c.id for c in table.columns]]
    )
    return coerce_types(table.id, accepted), frame


def _absent_columns(table: Table, p: Parsed) -> list[dict[str, str]]:
    """The optional columns a source lacks, with what is used instead (for the report)."""
    out = []
    for column_id in p.absent:
        col = table.column(column_id)
        if col.fallback:
            ref_table, ref_column = col.fallback
            ref = TABLES[ref_table]
            zh = f"取{ref.zh}的{ref.column(ref_column).zh}"
            en = f"{ref_table}.{ref_column} of the same enterprise"
        else:
            zh, en = "留空（无数据）", "left empty (no data)"
        out.append(
            {
                "table": table.id,
                "file": p.source.file,
                "sheet": p.source.sheet,
                "column": column_id,
                "header": col.zh,
                "fallback_zh": zh,
                "fallback_en": en,
            }
        )
    return out


def _reject_messages(
    table: Table,
    usable: list[Parsed],
    offsets: list[int],
    part_of: np.ndarray,
    frame: pd.DataFrame,
    all_problems: pd.DataFrame,
    report: LoadReport,
) -> None:
    """One ``Problem`` per rejected cell: its file, sheet, row, header as written, value, rule."""
    from innolib.schemas import rule_text

    key_cols = list(table.key)
    for index, column, rule in all_problems.itertuples(index=False):
        p = usable[part_of[index]]
        local = index - offsets[part_of[index]]
        col = table.column(column) if column in {c.id for c in table.columns} else None
        header = p.headers.get(column, col.zh if col else column)
        if rule == "unique":
            value = "，".join(cell_text(frame.at[index, k]) for k in key_cols)
        elif column in p.raw.columns:
            value = cell_text(p.raw.at[local, column])
        else:
            value = ""
        if len(value) > _SHOWN_CHARS:  # a 1 MB cell is named, not copied into the report
            value = f"{value[:_SHOWN_CHARS]}…（共{len(value):,}字 / {len(value):,} characters）"
        zh, en = rule_text(rule, col)
        report.rejects.append(
            Problem(
                table.id,
                p.source.file,
                p.source.sheet,
                int(frame.at[index, "_row"]),
                header,
                value,
                rule,
                zh,
                en,
            )
        )


def check_totals(table: Table, p: Parsed, report: LoadReport) -> None:
    from innolib.schemas import RULES

    for row, column, number, factor, decimals, text in p.totals:
        total = p.frame[column].astype("Float64").sum(skipna=True)
        in_written_unit = float(total) / factor
        if abs(round(in_written_unit, decimals) - number) < 0.5 * 10 ** (-decimals):
            continue
        zh, en = RULES["totals"]
        expected = f"{round(in_written_unit, decimals):,.{decimals}f}"
        report.errors.append(
            Problem(
                table.id,
                p.source.file,
                p.source.sheet,
                row,
                p.headers.get(column, column),
                text,
                "totals",
                f"{zh}：数据行之和为{expected}",
                f"{en}: the rows sum to {expected}",
            )
        )


@functools.lru_cache(maxsize=1)
def indicator_units() -> dict[str, str] | None:
    """{indicator id: unit} from the indicator registry (None when it cannot be read)."""
    try:
        from innolib.registry import registry_document

        return {str(e["id"]): str(e.get("unit", "")) for e in registry_document()["indicators"]}
    except Exception:
        return None


def indicator_ids() -> frozenset[str] | None:
    units = indicator_units()
    return None if units is None else frozenset(units)


def parse_targets(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    """Target values as plain numbers in the indicator's unit (59% → 59; 0.59 of a rate → 59)."""
    units = indicator_units() or {}
    rate = frame["indicator"].astype(object).map(units).eq("%")
    value, bad, fraction = parse_percent(frame["target"], rate)
    for i in np.flatnonzero(fraction.to_numpy()):
        report.notes.append(
            f"年度目标 {frame.at[i, 'year']} {frame.at[i, 'indicator']}：「{frame.at[i, 'target']}」按比例读作"
            f"{value.iloc[i]:g}% / targets: {frame.at[i, 'target']!r} read as fraction = {value.iloc[i]:g}%"
        )
    text = value.map(lambda v: f"{v:.10g}", na_action="ignore")
    frame = frame.copy()
    frame["target"] = text.where(~bad, frame["target"]).astype("str")
    return frame
