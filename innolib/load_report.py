"""The load report: what was read, what was accepted, what was left out and why.

Every row read from a package is accounted for, per file and sheet:
``read = accepted + rejected + non_data`` (non-data: title, header, blank, note, totals
and subtotal rows). Every rejected row is listed with its file, sheet, the row number
Excel shows, the column header as written in the file, the value and the rule, in
Chinese and English. ``format()`` is what ``innolib validate`` prints;
``rejects_frame()`` is the same list as a table; ``write_rejects`` puts it in
``rejects/*.csv`` for lenient runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from innolib.errors import DataError
from innolib.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

NON_DATA_KINDS = ("title", "header", "blank", "note", "total", "subtotal")
_KIND_ZH = {
    "title": "标题",
    "header": "表头",
    "blank": "空行",
    "note": "注释",
    "total": "合计",
    "subtotal": "小计",
}


@dataclass(frozen=True)
class Problem:
    """One broken rule: a rejected row's cell, or a file-level problem (``row`` None or a totals row)."""

    table: str
    file: str
    sheet: str
    row: int | None
    column: str  # the header as written in the file (or the column id if the file has none)
    value: str
    rule: str  # rule code (schemas.RULES)
    zh: str
    en: str

    def where(self) -> str:
        sheet = f"[{self.sheet}]" if self.sheet else ""
        row = f" 第{self.row}行/row {self.row}" if self.row is not None else ""
        return f"{self.file}{sheet}{row}"

    def line(self) -> str:
        """One readable line: where, column, value, rule (Chinese / English)."""
        column = f" 列/column「{self.column}」" if self.column else ""
        value = f" 值/value「{self.value}」" if self.value != "" else " 值/value（空/empty）"
        return f"{self.where()}{column}{value}：{self.zh} / {self.en}"


@dataclass
class SourceAccount:
    """Row accounting of one file or sheet."""

    table: str
    file: str
    sheet: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    non_data: dict[str, int] = field(default_factory=dict)
    encoding: str = ""

    @property
    def non_data_total(self) -> int:
        return sum(self.non_data.values())

    @property
    def balanced(self) -> bool:
        return self.read == self.accepted + self.rejected + self.non_data_total


@dataclass
class LoadReport:
    """What loading a package did: accounting per source, problems, ignored inputs, notes."""

    source: str
    district: str = ""
    lenient: bool = False
    accounts: list[SourceAccount] = field(default_factory=list)
    rejects: list[Problem] = field(default_factory=list)  # row-level: these rows were left out
    errors: list[Problem] = field(default_factory=list)  # file-level: totals, missing columns, …
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # optional tables the package does not have
    # optional columns a file lacks: table, file, sheet, column, header, fallback_zh/_en
    absent_columns: list[dict[str, str]] = field(default_factory=list)
    from_cache: bool = False

    # ------------------------------------------------------------------ figures
    @property
    def ok(self) -> bool:
        """True when nothing was rejected and no file-level error was found."""
        return not self.rejects and not self.errors

    @property
    def fatal(self) -> list[Problem]:
        """File-level errors that fail a load in every mode, lenient included.

        Lenient mode leaves out bad rows, never a whole file or column: every file-level
        error is fatal except a 合计 row that disagrees (rows left out change the sum).
        """
        return [p for p in self.errors if p.rule != "totals"]

    def table_account(self, table_id: str) -> dict[str, int]:
        """Summed accounting of a table: read, accepted, rejected, non_data."""
        rows = [a for a in self.accounts if a.table == table_id]
        return {
            "read": sum(a.read for a in rows),
            "accepted": sum(a.accepted for a in rows),
            "rejected": sum(a.rejected for a in rows),
            "non_data": sum(a.non_data_total for a in rows),
        }

    def rejected_rows(self, table_id: str | None = None) -> int:
        """How many rows were left out (of one table, or of all)."""
        return sum(a.rejected for a in self.accounts if table_id is None or a.table == table_id)

    def rejects_frame(self) -> pd.DataFrame:
        """Every rejected cell as a table: table, file, sheet, row, column, value, rule, rule_zh, rule_en."""
        import pandas as pd  # here: a report is made before the loader imports pandas

        columns = ["table", "file", "sheet", "row", "column", "value", "rule", "rule_zh", "rule_en"]
        rows = [
            (p.table, p.file, p.sheet, p.row, p.column, p.value, p.rule, p.zh, p.en)
            for p in self.rejects
        ]
        frame = pd.DataFrame(rows, columns=columns)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    # ------------------------------------------------------------------ text
    def summary(self) -> str:
        """One line for every output that used the package: rows left out, if any."""
        n = self.rejected_rows()
        if not n:
            return "数据全部通过校验 / all rows passed validation"
        return f"宽松模式：{n}行未通过校验已剔除 / lenient mode: {n} rejected rows left out"

    def format(self) -> str:
        """The readable report ``innolib validate`` prints (Chinese / English)."""
        head = (
            "表 table",
            "文件 file",
            "读入 read",
            "接受 accepted",
            "拒绝 rejected",
            "非数据 non-data",
        )
        lines = [
            f"数据包 / package: {self.source}"
            + (f"（{self.district}）" if self.district else "")
            + ("  [缓存 / cached]" if self.from_cache else ""),
            "",
        ]
        rows = self._account_rows()
        lines.extend(_text_table(head, rows))
        total = [
            sum(a.read for a in self.accounts),
            sum(a.accepted for a in self.accounts),
            sum(a.rejected for a in self.accounts),
            sum(a.non_data_total for a in self.accounts),
        ]
        lines.append(
            f"合计 / total: 读入 {total[0]} = 接受 {total[1]} + 拒绝 {total[2]} + 非数据 {total[3]}"
            f" / read {total[0]} = accepted {total[1]} + rejected {total[2]} + non-data {total[3]}"
        )
        if self.errors:
            lines += ["", f"错误 / errors ({len(self.errors)}):"]
            lines += [f"  {p.line()}" for p in self.errors]
        if self.rejects:
            lines += [
                "",
                f"被拒绝的行 / rejected rows ({self.rejected_rows()}行/rows, {len(self.rejects)}处/problems):",
            ]
            lines += [f"  {p.line()}" for p in self.rejects]
        if self.absent_columns:
            lines += ["", "缺少的可缺列 / optional columns absent:"]
            lines += [
                f"  {a['file']}{'[' + a['sheet'] + ']' if a['sheet'] else ''}：缺少「{a['header']}」，"
                f"{a['fallback_zh']} / {a['column']} absent, using {a['fallback_en']}"
                for a in self.absent_columns
            ]
        if self.ignored:
            lines += ["", "已忽略 / ignored:"] + [f"  {i}" for i in self.ignored]
        if self.notes:
            lines += ["", "说明 / notes:"] + [f"  {n}" for n in self.notes]
        lines += [
            "",
            (
                "校验通过 / valid"
                if self.ok
                else (self.summary() if self.lenient and not self.fatal else "校验未通过 / invalid")
            ),
        ]
        return "\n".join(lines)

    def _account_rows(self) -> list[tuple[str, ...]]:
        """The accounting table's rows: one per file or sheet, a subtotal per table."""
        rows: list[tuple[str, ...]] = []
        for table_id in TABLES:
            accounts = [a for a in self.accounts if a.table == table_id]
            name = f"{table_id} {TABLES[table_id].zh}"
            if not accounts:
                if table_id in self.absent:
                    rows.append((name, "（无 / absent）", "", "", "", ""))
                continue
            for a in accounts:
                src = a.file + (f"[{a.sheet}]" if a.sheet else "")
                detail = "，".join(f"{_KIND_ZH[k]}{v}" for k, v in a.non_data.items() if v)
                rows.append(
                    (
                        name,
                        src,
                        str(a.read),
                        str(a.accepted),
                        str(a.rejected),
                        f"{a.non_data_total}" + (f"（{detail}）" if detail else ""),
                    )
                )
                name = ""
            if len(accounts) > 1:
                t = self.table_account(table_id)
                rows.append(
                    (
                        "",
                        "小计 subtotal",
                        str(t["read"]),
                        str(t["accepted"]),
                        str(t["rejected"]),
                        str(t["non_data"]),
                    )
                )
        return rows

    # ------------------------------------------------------------------ cache
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadReport:
        data = dict(data)
        data["accounts"] = [SourceAccount(**a) for a in data.get("accounts", [])]
        data["rejects"] = [Problem(**p) for p in data.get("rejects", [])]
        data["errors"] = [Problem(**p) for p in data.get("errors", [])]
        return cls(**data)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _text_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if 2 <= i <= 4 else cell + pad)
        return "  ".join(cells).rstrip()

    return [fmt(head), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


class PackageInvalid(DataError):
    """Strict loading failed: rows were rejected or a file-level rule broke; ``.report`` says which."""

    def __init__(self, report: LoadReport):
        self.report = report
        n, e = report.rejected_rows(), len(report.errors)
        super().__init__(
            f"数据包未通过校验：{n}行被拒绝，{e}处文件级错误（{report.source}）",
            f"package invalid: {n} rows rejected, {e} file-level errors ({report.source})",
        )


def write_rejects(report: LoadReport, out_dir: Path | str) -> list[Path]:
    """Write the rejected rows to ``out_dir/rejects/<table>.csv`` (UTF-8 with BOM, for Excel).

    Returns the files written (none when nothing was rejected). File-level errors go to
    ``rejects/errors.csv``. Text cells go through ``fileio.excel_safe``: a value typed in a
    ledger as ``=HYPERLINK(…)`` is shown by Excel as text, never run.
    """
    from innolib.fileio import excel_safe

    folder = Path(out_dir) / "rejects"
    written: list[Path] = []
    frame = report.rejects_frame()
    if len(frame) or report.errors:
        folder.mkdir(parents=True, exist_ok=True)
    for table_id, part in frame.groupby("table", sort=False):
        path = folder / f"{table_id}.csv"
        excel_safe(part).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    if report.errors:
        errors = LoadReport(report.source, rejects=report.errors).rejects_frame()
        path = folder / "errors.csv"
        excel_safe(errors).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written
