"""The Excel fill-in workbook a district's offices fill in: ``write_template``.

One sheet per table, named by its Chinese name, with the Chinese headers the loader
expects (money columns carry ``（万元）``), drop-down lists for enum and yes/no columns,
text format for ID columns (so that Excel never turns a contract number into
``2.02504E+15``), a ``说明`` sheet explaining every column's rule and a ``district``
sheet for the district's metadata. Everything comes from ``tables.py``; a filled-in
template is a single-workbook package that ``load_package`` reads as it is.
"""

from __future__ import annotations

from pathlib import Path

from innolib.tables import BOOL, DATE, DISTRICT_FIELDS, ENUM, INT, MONEY, STR, TABLES, YEAR, Column

NOTES_SHEET = "说明"
DISTRICT_SHEET = "district"
_ROWS_VALIDATED = 5000  # rows below the header that carry drop-down lists

TYPE_ZH = {
    STR: "文本",
    INT: "整数",
    MONEY: "金额",
    DATE: "日期",
    BOOL: "是/否",
    ENUM: "可选值",
    YEAR: "年份",
}


def column_unit(col: Column) -> str:
    """The unit a column is written in (万元 for money, 人 for headcounts, empty otherwise)."""
    if col.type == MONEY:
        return "万元"
    return ""


def write_template(path: str | Path) -> Path:
    """Write the empty fill-in workbook to ``path`` (``.xlsx``) and return the path."""
    import xlsxwriter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    try:
        fmt = {
            "head": book.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "key": book.add_format(
                {
                    "bold": True,
                    "bg_color": "#FCE4D6",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "text": book.add_format({"num_format": "@"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "money": book.add_format({"num_format": "#,##0.0000"}),
            "int": book.add_format({"num_format": "0"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
            "title": book.add_format({"bold": True, "font_size": 14}),
        }
        _notes_sheet(book, fmt)
        _district_sheet(book, fmt)
        for table in TABLES.values():
            ws = book.add_worksheet(table.zh)
            ws.freeze_panes(1, 0)
            ws.set_row(0, 32)
            for i, col in enumerate(table.columns):
                width = max(12, 2 * len(col.header) + 2)
                cell_format = {
                    DATE: fmt["date"],
                    MONEY: fmt["money"],
                    INT: fmt["int"],
                    YEAR: fmt["int"],
                }.get(col.type, fmt["text"] if col.is_id or col.type in (STR, ENUM) else None)
                ws.set_column(i, i, width, cell_format)
                ws.write_string(0, i, col.header, fmt["key"] if col.key else fmt["head"])
                ws.write_comment(0, i, _comment(col), {"x_scale": 2, "y_scale": 1.5})
                if col.type == ENUM:
                    ws.data_validation(
                        1,
                        i,
                        _ROWS_VALIDATED,
                        i,
                        {
                            "validate": "list",
                            "source": list(col.values),
                            "input_title": col.zh[:32],
                            "input_message": col.rule[:255],
                            "error_title": "不是可选值",
                            "error_message": f"请从下拉列表选择：{'/'.join(col.values)}"[:255],
                        },
                    )
                elif col.type == BOOL:
                    ws.data_validation(
                        1, i, _ROWS_VALIDATED, i, {"validate": "list", "source": ["是", "否"]}
                    )
    finally:
        book.close()
    return path


def _comment(col: Column) -> str:
    parts = [
        f"{col.zh}（{col.id}）",
        f"类型：{TYPE_ZH[col.type]}" + (f"，单位：{column_unit(col)}" if column_unit(col) else ""),
    ]
    if col.required:
        parts.append("必填")
    if col.rule:
        parts.append(f"规则：{col.rule}")
    return "\n".join(parts)


def _notes_sheet(book, fmt) -> None:
    ws = book.add_worksheet(NOTES_SHEET)
    ws.write(0, 0, "填报说明 / How to fill in this workbook", fmt["title"])
    lines = [
        "每张表一个工作表，表名和第一行表头不要修改；不用的表可以删除或留空（只有表头的表视为未提供）。",
        "金额统一填万元（表头已注明）；如按元填报，请把表头改为“成交金额（元）”这样的写法，程序会自动换算。",
        "日期写2025-03-01（也接受2025/3/1、2025年3月1日、20250301）；是/否列写是或否。",
        "统一社会信用代码为18位，程序会核对校验位；编号列已设为文本格式，请勿改为数字。",
        "“district”工作表填写区县信息（行政区划代码、名称、所属市、所属省、镇街）。",
        "Keep sheet names and header rows; money is in 万元 unless a header says otherwise; dates as 2025-03-01.",
    ]
    for r, line in enumerate(lines, start=1):
        ws.write(r, 0, line)
    head = [
        "表",
        "表编号",
        "列（表头）",
        "列编号",
        "类型",
        "单位",
        "必填",
        "主键",
        "规则",
        "Rule",
        "可选值",
        "别名",
    ]
    start = len(lines) + 2
    for i, h in enumerate(head):
        ws.write(start, i, h, fmt["head"])
    r = start + 1
    for table in TABLES.values():
        for col in table.columns:
            ws.write_row(
                r,
                0,
                [
                    table.zh,
                    table.id,
                    col.header,
                    col.id,
                    TYPE_ZH[col.type],
                    column_unit(col),
                    "是" if col.required else "",
                    "是" if col.key else "",
                    col.rule,
                    col.rule_en,
                    "/".join(col.values),
                    "、".join(col.aliases),
                ],
            )
            r += 1
    ws.set_column(0, 1, 14)
    ws.set_column(2, 3, 18)
    ws.set_column(4, 7, 8)
    ws.set_column(8, 9, 40, fmt["wrap"])
    ws.set_column(10, 11, 30, fmt["wrap"])


def _district_sheet(book, fmt) -> None:
    ws = book.add_worksheet(DISTRICT_SHEET)
    for i, h in enumerate(["字段", "名称", "值", "说明"]):
        ws.write(0, i, h, fmt["head"])
    for r, f in enumerate(DISTRICT_FIELDS, start=1):
        ws.write_string(r, 0, f.id)
        ws.write_string(r, 1, f.zh)
        ws.write_string(r, 3, f.description + ("（必填）" if f.required else ""))
    ws.set_column(0, 1, 16)
    ws.set_column(2, 2, 40, fmt["text"])
    ws.set_column(3, 3, 50)
