"""The vocabulary of table declarations: column types, the enums the ledgers use, value
ranges, and the ``Column`` / ``Table`` classes that ``innolib.tables`` declares every table with.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column types (docs/data.md "Types").
STR = "str"
INT = "int"
MONEY = "money"  # 万元 after loading, 4 decimals kept
DATE = "date"
BOOL = "bool"
ENUM = "enum"
YEAR = "year"

ABOVE_SCALE_CLASSES = ("规上工业", "资质内建筑业", "限上批零住餐", "规上服务业", "房地产开发", "无")
TIERS = ("科技型企业", "高新技术企业", "瞪羚企业", "创新龙头企业")
ACTIVITY_TYPES = (
    "专家考察",
    "技术需求对接会",
    "银企对接",
    "政银企座谈会",
    "培训",
    "上门服务",
    "政策宣讲",
)
CONTRACT_TYPES = ("技术开发", "技术转让", "技术许可", "技术咨询", "技术服务")
BUYER_REGIONS = ("区内", "市内", "省内", "省外", "境外")

# The range every value of a type must lie in (a value outside is a row error ``range``):
# money within ±10^12 万元 (a hundred trillion yuan, far beyond any district), counts
# 0..10^9. A column's own ``min_value`` narrows it further (rule ``min``).
TYPE_RANGES: dict[str, tuple[float, float]] = {
    "money": (-1e12, 1e12),
    "int": (0, 1e9),
}
MAX_CELL_CHARS = 1_000_000  # a cell longer than this is a row error ``cell_too_large``


@dataclass(frozen=True)
class Column:
    """One column of a table: its English id, Chinese header, type and rule.

    ``aliases`` are further header spellings seen in real ledgers (matched after the
    same normalisation as the Chinese header). ``values`` lists an enum's members.
    ``required`` means the cell may not be empty; ``key`` marks the table's key.
    ``rule`` is the human-readable rule (Chinese) shown in the data dictionary, the
    template's notes sheet and error messages; ``rule_en`` its English counterpart.
    """

    id: str
    zh: str
    type: str
    rule: str = ""
    rule_en: str = ""
    key: bool = False
    required: bool = False
    values: tuple[str, ...] = ()
    # a district fact whose value is a member too (financing.product: the district's own
    # loan product, 郑科贷 in Zhengzhou; innolib.present.facts.district_facts)
    district_values: str | None = None
    aliases: tuple[str, ...] = ()
    min_value: float | None = None
    # True: the value must be strictly greater than min_value (成交金额 > 0)
    min_exclusive: bool = False
    # for enums: what an empty cell means (e.g. 四上类别 empty = 无)
    empty_means: str | None = None
    # an optional column's fallback (only for ``Table.optional_columns``): (referenced
    # table, its column), read through the table's reference on this table's key column.
    # A file without the column, or a blank cell, takes that value; the loaded cell stays
    # empty (never a made-up value) and the indicators apply the fallback.
    fallback: tuple[str, str] | None = None
    # what a blank cell means when neither ``required`` nor ``empty_means`` says: a
    # conditional rule (e.g. 研发经费支出 blank where 是否有研发活动 is 是 is a row error)
    blank_rule: str = ""
    blank_rule_en: str = ""
    # id columns are text even when they look like numbers
    is_id: bool = False

    @property
    def value_range(self) -> tuple[float, float] | None:
        """(lowest, highest) value a cell of this column may hold (None: not a number)."""
        return TYPE_RANGES.get(self.type)

    @property
    def header(self) -> str:
        """The header as the template writes it: Chinese name, unit in brackets."""
        return f"{self.zh}（万元）" if self.type == MONEY else self.zh


@dataclass(frozen=True)
class Table:
    """One table of the package: id, Chinese name, accepted file/sheet names, columns."""

    id: str
    zh: str
    description: str
    columns: tuple[Column, ...]
    names: tuple[str, ...] = ()  # further accepted Chinese file/sheet names
    optional_columns: tuple[str, ...] = ()  # columns that may be missing from the file
    # (column, referenced table, referenced column): referential integrity
    references: tuple[tuple[str, str, str], ...] = ()
    confidential: bool = False  # individual respondents' data (docs/data.md "Confidentiality")
    event_table: bool = False  # one row per stage, each with its date
    # the column that dates each record (the package's coverage: innolib/coverage.py);
    # None for tables that record no event (the directory, targets, measures)
    record_date: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns if c.key)

    @property
    def accepted_names(self) -> tuple[str, ...]:
        return (self.id, self.zh, *self.names)

    def column(self, column_id: str) -> Column:
        for c in self.columns:
            if c.id == column_id:
                return c
        raise KeyError(f"{self.id}.{column_id}")

    def columns_of_type(self, type_: str) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.type == type_)


_USCC_RULE = "18位统一社会信用代码，校验位符合GB 32100-2015（含GB 11714组织机构代码校验位）"
_USCC_RULE_EN = (
    "18-character unified social credit code with valid GB 32100-2015 and GB 11714 check digits"
)


def _uscc(
    zh: str = "统一社会信用代码",
    *,
    col_id: str = "uscc",
    key: bool = False,
    required: bool = True,
    aliases: tuple[str, ...] = ("信用代码", "社会信用代码", "统一代码"),
    ref: str = "，须在企业名录中",
    ref_en: str = "; must be in enterprises",
) -> Column:
    return Column(
        col_id,
        zh,
        STR,
        _USCC_RULE + ref,
        _USCC_RULE_EN + ref_en,
        key=key,
        required=required,
        aliases=aliases,
        is_id=True,
    )
