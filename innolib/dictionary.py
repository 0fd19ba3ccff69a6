"""The data dictionary (``data/README.md``), generated from the table declarations.

``data_dictionary()`` returns the Markdown text: the shape of a package, what the loader
accepts and decides, then every table with its accepted file/sheet names and every
column (中文表头, aliases, type, unit, rule). A hand-written section may follow: the
contents of ``data/README.footer.md`` when it exists (the synthetic generator's notes
on which figures are synthetic). ``tests/test_template.py`` keeps the file in step;
regenerate it with ``python -m innolib.dictionary``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from innolib.schemas import RULES
from innolib.tables import DISTRICT_FIELDS, TABLES, Column
from innolib.template import TYPE_ZH, column_unit

FOOTER = "README.footer.md"

_INTRO = """\
# 数据字典 / Data dictionary

> 本文件由 `python -m innolib.dictionary` 根据 `innolib/tables.py` 自动生成，请勿手改
> （末尾的手写部分来自 `data/README.footer.md`）。
> Generated from `innolib/tables.py` by `python -m innolib.dictionary`; do not edit by hand
> (the hand-written part at the end comes from `data/README.footer.md`).

## 数据包 / A package

A district's data package is **one folder** `data/<district>/` holding `district.yaml` and one
file per table (CSV, XLSX or Parquet; old `.xls` workbooks are read too), **or one workbook**
(`*.xlsx`) with one sheet per table.
`innolib validate DATA` checks a package; `innolib template OUT.xlsx` writes an empty fill-in
workbook with the headers below.

- 文件名、工作表名：按表编号（`enterprises.csv`）或中文名（`企业名录.xlsx`）及下列“可接受名称”匹配；
  忽略首尾空格、大小写、全角半角、`_`/`-`/空格，以及开头的年份（`2025年`、`2025年度`、`2025_`）。
  `2025年技术合同登记.xlsx` 即 `tech_contracts`。
- 同一张表的多个文件（`2024年技术合同登记.xlsx`、`2025年技术合同登记.xlsx`）合并读取；主键在两个文件中重复
  是错误（两行都被拒绝）。
- 文件名对应某张表的工作簿：若有工作表名对应表，按工作表读取；否则读取第一个非空工作表，其余列为“已忽略”。
  不对应任何表的文件、工作表列入加载报告的“已忽略”。
- 单个工作簿：区县信息放在 `district` 工作表（模板的写法：字段/名称/值/说明）或 `说明` 工作表
  （键–值两列），或工作簿旁的 `district.yaml`。`district.id` 取其中的 `id`，否则为文件名（不含扩展名）；
  文件夹形式的 `district.id` 是文件夹名。
- `enterprises` 必须提供；其他表可缺，缺表时相关指标为“无数据”，不是零。**只有表头没有数据行的表视为未提供**
  （模板里留空的工作表），并在报告中说明。
"""

_DISTRICT_HEAD = """\
### `district.yaml`

| 字段 | 中文 | 必填 | 说明 |
|---|---|---|---|
"""

_ACCEPTS = """\
## 程序接受的写法 / What the loader accepts

- **表头**：中文表头、英文编号或下列别名；单位可写在括号里（`研发经费支出（万元）`、`成交金额(元)`、
  `成交金额（单位：元）`、`金额[元]`）或斜杠后（`金额/亿元`）；全角半角括号、单元格内空格和换行、引号、
  表示必填的 `*` 都忽略。表头所在行在前30行中自动查找（上方的标题行、空行、`单位：元` 说明行都可以有）；
  合并单元格的两层表头（如“金额（元）”下分“成交金额”“技术交易额”）按上层单位读取。未识别的列忽略并在报告中说明。
- **金额**：单位取自单元格（`4.5亿`、`1,234.5万元`、`800元`）、表头、表头上方的分组表头或工作表中的
  `单位：元`/`单位：万元` 说明行，依次优先；统一换算为**万元**，保留4位小数。**没有任何单位的金额不作猜测，
  该行被拒绝。**例外：Parquet 文件用英文编号作表头时即为加载后的格式，金额按万元读取。
- **数字**：千分位（`1,234`、`12 345`）、全角数字（`１２３`）、首尾空格均可；整数列不接受小数。
- **日期**：`2025-03-01`、`2025/3/1`、`2025.3.1`、`2025年3月1日`、`20250301`、Excel 日期单元格和
  Excel 序列号（20000–80000，即1954—2119年）；不存在的日期（`2025-02-30`）是错误。
- **是/否**：是/否、有/无、Y/N、yes/no、1/0、true/false、√/×。
- **编号列**（统一社会信用代码、合同编号等）始终按文本读取；Excel 把编号存成数字时去掉 `.0`；
  统一社会信用代码去空格、转大写。行业代码写成一位数（Excel 吃掉了前导0）时补成两位。
- **CSV 编码**：UTF-8、带 BOM 的 UTF-8、GB18030/GBK（中文版 Excel 默认）自动识别。
- **非数据行**（计入“非数据”，不加载）：标题行、表头行（包括中途重复的表头）、空行、注释行（首个非空单元格以
  `注：`、`备注：`、`说明：`、`填表人：`、`填报人：`、`审核人：`、`负责人：`、`制表：`、`填报单位：`、
  `填报日期：`、`数据来源：`、`单位：` 开头）、合计行和小计行。
- **合计行**：首个非空单元格去掉空格后为 `合计`、`总计` 或 `小计`（可带 `：`）。`合计`/`总计` 行中有值的
  每个金额、整数列，须等于本工作表全部数据行（接受的和被拒绝的）之和，按合计单元格所写的单位和小数位数取整后比较；
  不符是错误（严格模式下整个数据包不通过）。`小计` 行不核对。
- **年度目标**（`targets`）的目标值：`59%` 或 `59` 都是59；指标单位为%且不带%的值小于1.5时按比例读
  （`0.59` → 59），报告中注明。加载后目标值存为按指标单位书写的数字文本（`"59"`）。

## 行的核算与错误 / Row accounting and errors

每个文件、工作表：**读入行数 = 接受 + 拒绝 + 非数据**（表头计入非数据）。被拒绝的行报告文件、工作表、
Excel 中看到的行号、文件里写的列名、单元格的值和违反的规则（中英文）。

- 严格模式（默认）：有任何被拒绝的行或合计不符，`innolib validate` 退出码为1，数据包不加载。
- 宽松模式（`--lenient`）：被拒绝的行剔除并写入 `rejects/<表>.csv`，所有输出注明剔除了多少行。
  宽松模式下，指向被拒绝企业（或活动）的其他表的行也一并剔除，规则为 `ref_rejected`；严格模式下只报告根源那一行。
- 主键重复时所有重复行都被拒绝（程序无法判断哪一行是对的）。
- **缺列**：只有各表“可缺的列”所列的列可以没有（目前只有 `rd_survey` 的“四上类别”）；缺列时加载后该列为空
  （从不填成“无”、0、否或空字符串），指标按所列的替代来源计算（四上类别取企业名录的类别），加载报告列出
  缺了哪一列、用了什么替代。**其他任何列缺失都是文件错误，严格和宽松模式都不通过**（宽松模式只剔除坏行，
  从不剔除整列或整个文件）。
- **空白单元格**：每列的规则见各表“空白”一栏：必填列空白则拒绝该行；有“空白视为”的枚举列取该值
  （企业名录的四上类别空白即“无”）；可缺列的空白与缺列相同（取替代来源）；研发经费支出在“是否有研发活动”
  为是时空白则拒绝该行；其余列空白即“无数据”（加载后为空）。
- 加载结果按输入文件的 SHA-256 缓存（Parquet）在用户缓存目录（Linux 为 `~/.cache/innolib/load`）；
  `INNOLIB_CACHE_DIR` 改位置，
  `INNOLIB_CACHE=0` 关闭；任一输入文件改变即失效。

### 规则编号 / Rule codes

| 编号 | 规则 | Rule |
|---|---|---|
"""


def _blank_rule(col: Column) -> str:
    """What a blank cell of ``col`` means, in words (the dictionary's 空白 column)."""
    if col.required:
        return "拒绝该行 / row error"
    if col.empty_means:
        return f"视为“{col.empty_means}” / means {col.empty_means}"
    if col.fallback:
        ref_table, ref_column = col.fallback
        ref = TABLES[ref_table]
        return (
            f"取{ref.zh}的{ref.column(ref_column).zh} / {ref_table}.{ref_column} of the same "
            "enterprise"
        )
    if col.blank_rule:
        return f"{col.blank_rule} / {col.blank_rule_en}"
    return "无数据（空） / no data (empty)"


def _column_row(col: Column) -> str:
    type_ = TYPE_ZH[col.type] + (f"（{'/'.join(col.values)}）" if col.values else "")
    flags = "、".join(
        f for f, on in (("主键", col.key), ("必填", col.required), ("文本编号", col.is_id)) if on
    )
    rule = col.rule + (
        f"；空白视为{col.empty_means}" if col.empty_means and "空白" not in col.rule else ""
    )
    if col.min_value is not None and col.rule in ("", "可空"):
        rule += f"{'；' if rule else ''}{'>' if col.min_exclusive else '≥'}{col.min_value:g}"
    aliases = "、".join(col.aliases)
    return (
        f"| `{col.id}` | {col.header} | {aliases} | {type_} | {column_unit(col)} | {flags} | {rule} "
        f"| {col.rule_en} | {_blank_rule(col)} |"
    )


def data_dictionary(folder: Path | str | None = Path("data")) -> str:
    """The text of ``data/README.md``; ``folder`` is where an optional ``README.footer.md`` lives."""
    parts = [_INTRO, _DISTRICT_HEAD]
    for f in DISTRICT_FIELDS:
        parts.append(f"| `{f.id}` | {f.zh} | {'是' if f.required else ''} | {f.description} |\n")
    parts.append("\n")
    parts.append(_ACCEPTS)
    for code, (zh, en) in RULES.items():
        parts.append(f"| `{code}` | {zh} | {en} |\n")
    parts.append("\n# 表 / Tables\n")
    for table in TABLES.values():
        parts.append(f"\n## {table.zh} · `{table.id}`\n\n{table.description}\n\n")
        parts.append(
            f"- 可接受的文件名/工作表名 / accepted names: {'、'.join(f'`{n}`' for n in table.accepted_names)}\n"
        )
        parts.append(f"- 主键 / key: {', '.join(f'`{k}`' for k in table.key)}\n")
        if table.references:
            refs = "; ".join(f"`{c}` → `{t}.{rc}`" for c, t, rc in table.references)
            parts.append(f"- 引用 / references: {refs}\n")
        optional = ", ".join(
            f"`{c}`（{table.column(c).zh}：{_blank_rule(table.column(c)).split(' / ')[0]}）"
            for c in table.optional_columns
        )
        parts.append(
            f"- 可缺的列 / columns that may be absent: {optional or '无（缺任何一列都是文件错误）'}\n"
        )
        if table.confidential:
            parts.append(
                "- 保密：单个调查对象的数据，对外发布须做披露控制 / individual respondents' data "
                "(disclosure control applies)\n"
            )
        if table.event_table:
            parts.append(
                "- 事件表：每个环节一行，各带日期 / event table: one row per stage, each dated\n"
            )
        parts.append(
            "\n| 编号 id | 中文表头 | 别名 aliases | 类型 type | 单位 | 标记 | 规则 | rule | 空白 blank |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
        )
        parts.extend(_column_row(col) + "\n" for col in table.columns)
    text = "".join(parts)
    if folder is not None:
        footer = Path(folder) / FOOTER
        if footer.is_file():
            text += "\n" + footer.read_text(encoding="utf-8")
    return text


def write_data_dictionary(folder: Path | str = Path("data")) -> Path:
    """Write ``folder/README.md`` (a development tool: run after changing ``tables.py``)."""
    path = Path(folder) / "README.md"
    path.write_text(data_dictionary(folder), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    print(write_data_dictionary(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data")))
