"""One pandera schema per table, built from ``tables.py``, and the rules behind them.

``table_schema`` turns a table declaration (plus what a row is checked against: the
district's towns, the enterprises and activities already loaded) into a
``pandera.DataFrameSchema`` over the parsed, typed frame: required cells, enum members,
ranges, USCC check digits, unique keys, referential integrity and the cross-column rules
of docs/data.md. ``failures`` validates lazily, so every broken rule of every row comes back
at once, as (row index, column id, rule code).

``RULES`` holds the Chinese and English wording of every rule code; the loader uses it
for the messages a clerk reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from innolib.normalize import uscc_valid
from innolib.tables import ENUM, INT, MONEY, YEAR, Column, Table

RULES: dict[str, tuple[str, str]] = {
    "required": ("必填项为空", "required value is empty"),
    "number": ("不是有效数字", "not a number"),
    "integer": ("不是整数", "not a whole number"),
    "year": ("不是有效年份（如2025）", "not a year (e.g. 2025)"),
    "money_unit": (
        "金额没有单位：表头、单元格和“单位：”说明都没有给出元/万元/亿元",
        "amount without a unit: neither the header, the cell nor a 单位： note gives 元/万元/亿元",
    ),
    "date": (
        "无法识别的日期（可写2025-03-01、2025/3/1、2025年3月1日、20250301）",
        "unreadable date (write 2025-03-01, 2025/3/1, 2025年3月1日 or 20250301)",
    ),
    "bool": (
        "无法识别的是/否值（可写是/否、Y/N、1/0、√/×）",
        "unreadable yes/no value (write 是/否, Y/N, 1/0, √/×)",
    ),
    "enum": ("不是可选值", "not one of the allowed values"),
    "min": ("小于允许的最小值", "below the allowed minimum"),
    "range": (
        "超出允许范围（金额±10^12万元，人数、个数0–10^9）",
        "outside the allowed range (money ±10^12 万元, counts 0..10^9)",
    ),
    "cell_too_large": (
        "单元格过长（超过1,000,000个字符）",
        "cell too long (over 1,000,000 characters)",
    ),
    "ragged": (
        "字段数与表头不符：缺少的单元格不补空，多出的单元格不丢弃",
        "number of fields differs from the header's: missing cells are not padded, extra ones not dropped",
    ),
    "formula_no_value": (
        "公式单元格没有计算结果（文件保存前未计算）：请在Excel中打开并保存后再导入",
        "formula cell without a cached value (not calculated before saving): open and save it in Excel",
    ),
    "uscc": (
        "统一社会信用代码无效（须18位，GB 32100-2015校验位及GB 11714组织机构代码校验位须正确）",
        "invalid unified social credit code (18 characters, GB 32100-2015 and GB 11714 check digits)",
    ),
    "unique": (
        "编号重复：同一编号（主键）出现不止一次",
        "duplicate key: the same key appears more than once",
    ),
    "ref_enterprises": ("代码不在企业名录中", "code not in enterprises"),
    "ref_activities": ("活动编号不在服务活动中", "activity id not in activities"),
    "ref_rejected": (
        "所指的企业或活动本身未通过校验，本行随之剔除",
        "the enterprise or activity it names was itself rejected, so this row is left out too",
    ),
    "financing_activity_type": (
        "对接活动须为“银企对接”或“政银企座谈会”",
        "the activity must be of type 银企对接 or 政银企座谈会",
    ),
    "tech_amount_le_amount": ("技术交易额大于成交金额", "tech_amount greater than amount"),
    "resolved_le_requested": ("解决金额大于需求金额", "resolved greater than requested"),
    "revoked_after_approved": ("撤销日期须晚于批准日期", "revoked must be after approved"),
    "no_rd_no_expenditure": (
        "无研发活动的企业研发经费须为0或空",
        "no R&D activity, so rd_expenditure must be 0 or empty",
    ),
    "rd_expenditure_required": (
        "有研发活动的企业研发经费支出不得空白",
        "has R&D activity, so rd_expenditure must not be blank",
    ),
    "not_reported_no_rd": (
        "未填报的企业“是否有研发活动”须为否",
        "not reported, so has_rd must be 否",
    ),
    "valid_until_required": (
        "高新技术企业、瞪羚企业、创新龙头企业的认定须填有效期至",
        "valid_until is required for 认定 of 高新技术企业, 瞪羚企业, 创新龙头企业",
    ),
    "town": ("不是district.yaml所列镇街", "not one of the towns in district.yaml"),
    "future": ("日期晚于今天", "date in the future"),
    "industry_code": (
        "行业代码须为GB/T 4754-2017大类（01–97，2位数字）",
        "industry_code must be a GB/T 4754-2017 division (01–97, 2 digits)",
    ),
    "name_required": ("承担单位代码为空时须填承担单位名称", "name is required when uscc is empty"),
    "indicator": ("不是指标登记表中的指标编号", "not an indicator id of the registry"),
    "measures_period": (
        "期间须为期间代码（如2025、2025H1、2025Q3、2025M09），且在数据包的年份之内",
        "period must be a period code (2025, 2025H1, 2025Q3, 2025M09) within the package's years",
    ),
    "measures_section": ("部分须为1、2、3（或一、二、三）", "section must be 1, 2 or 3"),
    "measures_point": (
        "要点不是该部分的要点（见registry/measures.yaml）；标题、导语行的部分须留空",
        "point is not a point of its section (registry/measures.yaml); title and lead rows "
        "have no section",
    ),
    "measures_length": ("内容超过600字", "text longer than 600 characters"),
    # file-level problems
    "totals": ("合计行与数据行之和不符", "totals row does not equal the sum of the data rows"),
    "missing_column": ("缺少列", "missing column"),
    "duplicate_column": ("两列对应同一字段", "two columns name the same field"),
    "no_header": (
        "找不到表头行（前30行中没有可识别的列名）",
        "no header row found (no known column name in the first 30 rows)",
    ),
    "unreadable": ("无法读取文件", "cannot read the file"),
    "district": ("区县信息不符合规定的格式", "district metadata does not have the required shape"),
    "yaml": ("不是有效或安全的YAML", "not valid or safe YAML"),
    "safe_name": ("不能作为文件夹名的编号", "an id that cannot name a folder"),
    "file_name": ("文件名不是有效的UTF-8文字", "a file name that is not valid UTF-8"),
    "encoding": ("无法识别的文件编码", "unknown file encoding"),
    "too_large": ("文件过大", "file too large"),
    "sheet_too_large": (
        "工作表已用范围过大，不予读取",
        "the sheet's used range is too large to read",
    ),
}

# columns with an extra single-column rule beyond type, enum and range
_PATTERN_RULES = {"industry_code": ("industry_code", r"^(?:0[1-9]|[1-8]\d|9[0-7])$")}
_VALID_UNTIL_TIERS = ("高新技术企业", "瞪羚企业", "创新龙头企业")
_FINANCING_ACTIVITY_TYPES = ("银企对接", "政银企座谈会")

# DataFrame-level rule code → the column its message names
RULE_COLUMN = {
    "tech_amount_le_amount": "tech_amount",
    "resolved_le_requested": "resolved",
    "revoked_after_approved": "revoked",
    "no_rd_no_expenditure": "rd_expenditure",
    "rd_expenditure_required": "rd_expenditure",
    "not_reported_no_rd": "has_rd",
    "valid_until_required": "valid_until",
    "name_required": "name",
    "financing_activity_type": "activity_id",
    "measures_period": "period",
    "measures_section": "section",
    "measures_point": "point",
    "measures_length": "text",
}


@dataclass
class Context:
    """What rows are checked against beyond their own table."""

    towns: tuple[str, ...] = ()
    enterprises: frozenset[str] | None = None  # uscc of enterprises rows a reference may name
    activities: pd.DataFrame | None = None  # activities (activity_id, type) a reference may name
    # lenient mode: keys whose own row was rejected (a row naming one is left out too, saying why)
    rejected_keys: dict[str, frozenset[str]] = field(default_factory=dict)
    indicators: frozenset[str] | None = None  # indicator ids of the registry (None: unknown)
    years: tuple[int, int] | None = None  # first and last year of the package (measures)
    # district facts that enum columns also accept (``Column.district_values``)
    district_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    # Arrow copies of the key sets above, built once per load (id → (set, Arrow array))
    _arrow_sets: dict = field(default_factory=dict, repr=False, compare=False)

    def known(self, ref_table: str) -> frozenset:
        """The keys a reference to ``ref_table`` may name (rejected rows' keys included)."""
        if ref_table == "enterprises":
            base = self.enterprises or frozenset()
        else:
            base = frozenset() if self.activities is None else self.activities_ids()
        extra = self.rejected_keys.get(ref_table, frozenset())
        if not extra:
            return base
        key = ("union", id(base), id(extra))
        if key not in self._arrow_sets:
            self._arrow_sets[key] = (base, extra, base | extra)
        return self._arrow_sets[key][2]

    def activities_ids(self) -> frozenset:
        key = ("activities", id(self.activities))
        if key not in self._arrow_sets:
            self._arrow_sets[key] = (self.activities, frozenset(self.activities["activity_id"]))
        return self._arrow_sets[key][1]

    def arrow_set(self, known: frozenset, type_: pyarrow.DataType) -> pyarrow.Array:
        """``known`` as an Arrow array of ``type_`` (for ``pyarrow.compute.is_in``), built once."""
        key = ("arrow", id(known), str(type_))
        if key not in self._arrow_sets:
            self._arrow_sets[key] = (
                known,
                pyarrow.array([v for v in known if isinstance(v, str)], type=type_),
            )
        return self._arrow_sets[key][1]


def _ref_code(table_id: str) -> str:
    return f"ref_{table_id}"


def _column_checks(table: Table, col: Column, ctx: Context) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.type == ENUM:
        values = set(col.values)
        if col.district_values:
            values |= set(ctx.district_values.get(col.district_values, ()))
        checks.append(pa.Check(lambda s, v=values: s.isin(v), name="enum"))
    if col.min_value is not None and col.type in (MONEY, INT, YEAR):
        m = col.min_value
        if col.min_exclusive:
            checks.append(pa.Check(lambda s, m=m: s > m, name="min"))
        else:
            checks.append(pa.Check(lambda s, m=m: s >= m, name="min"))
    if col.id == "uscc" or col.id.endswith("_uscc"):
        checks.append(pa.Check(lambda s: uscc_valid(s), name="uscc"))
    if col.id in _PATTERN_RULES:
        code, pattern = _PATTERN_RULES[col.id]
        checks.append(pa.Check(lambda s, p=pattern: s.astype(str).str.match(p), name=code))
    if table.id == "enterprises" and col.id == "town":
        towns = set(ctx.towns)
        checks.append(pa.Check(lambda s, t=towns: s.isin(t), name="town"))
    if table.id == "enterprises" and col.id == "established":
        today = pd.Timestamp(ctx.today)
        checks.append(pa.Check(lambda s, d=today: s <= d, name="future"))
    if table.id == "targets" and col.id == "indicator" and ctx.indicators is not None:
        ids = set(ctx.indicators)
        checks.append(pa.Check(lambda s, i=ids: s.isin(i), name="indicator"))
    return checks


def _member(s: pd.Series, known: frozenset, ctx: Context | None = None) -> pd.Series:
    """``s.isin(known)``, matched in Arrow when ``s`` is Arrow-backed text.

    pandas' ``isin`` on Arrow strings turns every member of ``known`` into an Arrow scalar
    one at a time: with the 480k enterprises of a ``--scale 1000`` package that was
    ~110 s of a 330 s load (nine referencing columns). Empty cells are never members.
    """
    data = s.array.__arrow_array__() if isinstance(s.dtype, pd.StringDtype) else None
    if not isinstance(data, pyarrow.ChunkedArray):
        return s.isin(known)
    value_set = (
        ctx.arrow_set(known, data.type)
        if ctx is not None
        else pyarrow.array([v for v in known if isinstance(v, str)], type=data.type)
    )
    hit = pc.is_in(data, value_set=value_set).fill_null(False).to_numpy(zero_copy_only=False)
    return pd.Series(hit.astype(bool, copy=False), index=s.index)


def _frame_checks(table: Table, ctx: Context) -> list[pa.Check]:
    """Row-level rules across columns: references, then the table's own cross-column rules."""
    return _reference_checks(table, ctx) + _cross_column_checks(table, ctx)


def _reference_checks(table: Table, ctx: Context) -> list[pa.Check]:
    """Referential integrity (and, in lenient mode, rows naming a rejected key)."""
    checks: list[pa.Check] = []
    for column, ref_table, _ref_column in table.references:
        if ref_table == "enterprises":
            known = ctx.known("enterprises")

            # empty codes pass here (projects' outside bearers; required cells are checked
            # as such); an invalid code is reported once, as uscc, not again as unknown
            def ref_ok(df: pd.DataFrame, c=column, k=known) -> pd.Series:
                s = df[c]
                ok = (s.isna() | _member(s, k, ctx)).astype(bool)
                if not ok.all():
                    ok[~ok] = ~uscc_valid(s[~ok])
                return ok

            checks.append(pa.Check(ref_ok, name=f"{_ref_code(ref_table)}:{column}"))
        elif ref_table == "activities":
            known_ids = ctx.known("activities")
            checks.append(
                pa.Check(
                    lambda df, c=column, k=known_ids: df[c].isna() | _member(df[c], k, ctx),
                    name=f"{_ref_code(ref_table)}:{column}",
                )
            )
        rejected = ctx.rejected_keys.get(ref_table)
        if rejected:
            checks.append(
                pa.Check(
                    lambda df, c=column, r=rejected: ~_member(df[c], r, ctx).fillna(False),
                    name=f"ref_rejected:{column}",
                )
            )
    return checks


def _cross_column_checks(table: Table, ctx: Context) -> list[pa.Check]:
    """The cross-column rules of docs/data.md, table by table (one ``pa.Check`` per rule code).

    Long but flat: each branch is one table's rules, each rule a one-line vectorised test.
    """
    checks: list[pa.Check] = []
    if table.id == "financing" and ctx.activities is not None:
        bank_meetings = frozenset(
            ctx.activities.loc[
                ctx.activities["type"].isin(_FINANCING_ACTIVITY_TYPES), "activity_id"
            ]
        )
        all_ids = ctx.activities_ids()
        checks.append(
            pa.Check(
                lambda df: (
                    df["activity_id"].isna()
                    | ~_member(df["activity_id"], all_ids)
                    | _member(df["activity_id"], bank_meetings)
                ),
                name="financing_activity_type",
            )
        )
    if table.id == "tech_contracts":
        checks.append(
            pa.Check(
                lambda df: (df["tech_amount"] <= df["amount"]).fillna(True),
                name="tech_amount_le_amount",
            )
        )
    if table.id == "financing":
        checks.append(
            pa.Check(
                lambda df: (df["resolved"] <= df["requested"]).fillna(True),
                name="resolved_le_requested",
            )
        )
    if table.id == "platforms":
        checks.append(
            pa.Check(
                lambda df: (
                    (df["revoked"] > df["approved"]) | df["revoked"].isna() | df["approved"].isna()
                ),
                name="revoked_after_approved",
            )
        )
    if table.id == "rd_survey":
        checks.append(
            pa.Check(
                lambda df: (
                    (df["has_rd"] | (df["rd_expenditure"] == 0)).fillna(True)
                    | df["rd_expenditure"].isna()
                ),
                name="no_rd_no_expenditure",
            )
        )
        checks.append(
            pa.Check(
                lambda df: ~(df["has_rd"].fillna(False).astype(bool) & df["rd_expenditure"].isna()),
                name="rd_expenditure_required",
            )
        )
        checks.append(
            pa.Check(
                lambda df: (df["reported"] | ~df["has_rd"]).fillna(True), name="not_reported_no_rd"
            )
        )
    if table.id == "certifications":
        checks.append(
            pa.Check(
                lambda df: (
                    ~(
                        (df["stage"] == "认定")
                        & df["tier"].isin(_VALID_UNTIL_TIERS)
                        & df["valid_until"].isna()
                    )
                ),
                name="valid_until_required",
            )
        )
    if table.id == "measures":
        from innolib.measures import row_checks

        for code in ("measures_period", "measures_section", "measures_point", "measures_length"):
            checks.append(pa.Check(lambda df, c=code, y=ctx.years: row_checks(df, y)[c], name=code))
    if table.id == "projects":
        checks.append(
            pa.Check(lambda df: df["uscc"].notna() | df["name"].notna(), name="name_required")
        )
    return checks


def table_schema(table: Table, ctx: Context | None = None) -> pa.DataFrameSchema:
    """The pandera schema of one table over its parsed frame (columns named by id).

    Types are not re-checked here (the parsers produced them); every rule of docs/data.md is.
    """
    ctx = ctx or Context()
    columns = {
        col.id: pa.Column(
            nullable=not col.required, checks=_column_checks(table, col, ctx), required=False
        )
        for col in table.columns
    }
    return pa.DataFrameSchema(
        columns,
        checks=_frame_checks(table, ctx),
        strict=False,
        coerce=False,
        name=table.id,
    )


def duplicated_keys(frame: pd.DataFrame, key: tuple[str, ...] | list[str]) -> np.ndarray:
    """True on every row whose key (all of ``key``'s columns) occurs more than once.

    What pandas' ``duplicated(subset=key, keep=False)`` gives (a missing value equals a
    missing value), computed from one factorisation per column and a count per key: at
    national scale the 3.6 M contract numbers take a fifth of the time ``duplicated`` took.
    """
    if not key or not len(frame):
        return np.zeros(len(frame), dtype=bool)
    ids, size = None, 1
    for column in key:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        codes = codes.astype(np.int64, copy=False)
        if ids is None:
            ids, size = codes, max(len(uniques), 1)
        else:
            ids, _ = pd.factorize(ids * max(len(uniques), 1) + codes)
            ids = ids.astype(np.int64, copy=False)
            size = int(ids.max()) + 1
    return np.bincount(ids, minlength=size)[ids] > 1


def failures(table: Table, frame: pd.DataFrame, ctx: Context | None = None) -> pd.DataFrame:
    """Every broken rule of ``frame``: columns ``index`` (row label), ``column`` (id), ``rule`` (code).

    Lazy validation: all failures of all rows at once. Empty frame if the table is clean.
    Duplicate keys (rule ``unique``, every occurrence) come first, as pandera's own
    uniqueness check reported them; they are found by ``duplicated_keys``.
    """
    schema = table_schema(table, ctx)
    duplicated = duplicated_keys(frame, list(table.key))
    n = int(duplicated.sum())
    unique = pd.DataFrame(
        {
            "index": np.asarray(frame.index[duplicated], dtype="int64"),
            "column": pd.Series([table.key[0] if table.key else None] * n, dtype=object),
            "rule": pd.Series(["unique"] * n, dtype=object),
        }
    )
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        fc = errors.failure_cases
    else:
        return unique
    broken = fc[fc["index"].isna()]
    if len(broken):  # a check that could not run is a defect here, never a silent pass
        raise RuntimeError(
            f"schema of {table.id} could not be evaluated: "
            f"{broken[['column', 'check', 'failure_case']].to_dict('records')}"
        )
    fc = fc[fc["index"].notna()].copy()
    check = fc["check"].astype(str)
    rule = check.str.split(":").str[0]
    rule = rule.replace({"not_nullable": "required"})
    column = fc["column"].astype(object)
    ref_column = check.str.split(":").str[1]
    column = column.where(ref_column.isna(), ref_column)
    mapped = rule.map(RULE_COLUMN)
    column = column.where(mapped.isna(), mapped)
    out = pd.DataFrame({"index": fc["index"].astype("int64"), "column": column, "rule": rule})
    return pd.concat([unique, out], ignore_index=True).drop_duplicates().reset_index(drop=True)


def rule_text(rule: str, col: Column | None = None) -> tuple[str, str]:
    """The Chinese and English wording of a rule, with the column's own detail where useful."""
    zh, en = RULES.get(rule, (rule, rule))
    if col is not None and rule == "enum":
        own = ("本区科技信贷产品（district.yaml的loan_product）",) if col.district_values else ()
        zh = f"{zh}：{'/'.join((*own, *col.values))}"
        en = f"{en}: {', '.join(col.values)}" + (
            f" or district.yaml's {col.district_values}" if col.district_values else ""
        )
    elif col is not None and rule == "range" and col.value_range is not None:
        lo, hi = col.value_range
        zh, en = f"{zh}：{lo:g}–{hi:g}", f"{en}: {lo:g}..{hi:g}"
    elif col is not None and rule == "min" and col.min_value is not None:
        op = ">" if col.min_exclusive else "≥"
        zh, en = f"须{op}{col.min_value:g}", f"must be {op} {col.min_value:g}"
    return zh, en
