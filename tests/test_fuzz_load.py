"""Fuzzing the loader: seeded malformed packages built from the sample (issue 17).

A small, consistent slice of ``data/shangjie`` (80 enterprises and the rows that name
them) is the base. Each case applies one seeded mutation and runs ``innolib validate``
in-process, asserting what must hold for any input:

- the exit code is 0, 1 or 2, and nothing but an ``InnolibError`` escapes (no traceback);
- every file and sheet read balances: read = accepted + rejected + non-data;
- a mutation that keeps the meaning (another encoding, header spelling, money unit, date
  or yes/no spelling, a title row, blank rows, notes, CSV → XLSX…) loads to the same
  indicators as the base (2025, and 2024 which it compares with).

The CI run has ``INNOLIB_FUZZ_CASES`` cases (default 200, under a minute on two cores);
``make fuzz`` runs thousands (``INNOLIB_FUZZ_CASES=3000``). A failing case is reproduced
by its id: ``pytest tests/test_fuzz_load.py -k 'case_0123'``.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from innolib.periods import parse_period
from innolib.tables import BOOL, DATE, MONEY, TABLES

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shangjie"
CASES = int(os.environ.get("INNOLIB_FUZZ_CASES", "200"))
SEED = int(os.environ.get("INNOLIB_FUZZ_SEED", "20251204"))
YEARS = ("2024", "2025")  # 2025 compares with 2024: both years' records are read
N_ENTERPRISES = 80


# ---------------------------------------------------------------------------- the base


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="strict"))


def _slice(folder: Path) -> None:
    """The sample cut to its first enterprises and the rows that name only them."""
    shutil.copy(SAMPLE / "district.yaml", folder / "district.yaml")
    enterprises = _read(SAMPLE / "企业名录.csv")
    kept = {row[0] for row in enterprises[1 : N_ENTERPRISES + 1]}
    for table in TABLES.values():
        path = SAMPLE / f"{table.zh}.csv"
        rows = _read(path)
        head, body = rows[0], rows[1:]
        codes = [i for i, c in enumerate(table.columns) if c.id in ("uscc", "seller_uscc")]
        if table.id == "enterprises":
            body = body[:N_ENTERPRISES]
        elif codes:
            body = [r for r in body if all(r[i] in kept or r[i] == "" for i in codes)]
        _write(folder / path.name, [head, *body])


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, dict]:
    """The base package and its indicators for every year (computed once)."""
    from innolib.indicators import compute_indicators
    from innolib.load import load_package

    folder = tmp_path_factory.mktemp("fuzz") / "base"
    folder.mkdir()
    _slice(folder)
    package = load_package(folder)
    assert package.report.ok, package.report.format()
    return folder, {
        y: compute_indicators(package, parse_period(y)).to_document()["indicators"] for y in YEARS
    }


# ---------------------------------------------------------------------------- mutations
# Each takes (folder, rng) and changes the package in place. Those in PRESERVING keep its
# meaning: the indicators must not change.


def _table_file(folder: Path, rng: random.Random) -> tuple[str, Path]:
    table = rng.choice([t for t in TABLES if (folder / f"{TABLES[t].zh}.csv").exists()])
    return table, folder / f"{TABLES[table].zh}.csv"


def _column_positions(table: str, type_: str) -> list[int]:
    return [i for i, c in enumerate(TABLES[table].columns) if c.type == type_]


def m_encoding(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    _write(path, rows, rng.choice(["gb18030", "utf-8-sig"]))


def m_header_spelling(folder, rng):
    table, path = _table_file(folder, rng)
    rows = _read(path)
    i = rng.randrange(len(rows[0]))
    col = TABLES[table].columns[i]
    choices = [col.id, f" {rows[0][i]} ", rows[0][i].replace("（", "(").replace("）", ")")]
    choices += [f"{a}（万元）" if col.type == MONEY else a for a in col.aliases]
    if col.required:
        choices.append(f"*{rows[0][i]}")
    rows[0][i] = rng.choice([c for c in choices if c != rows[0][i]])
    _write(path, rows)


def m_money_in_yuan(folder, rng):
    tables = [t for t in TABLES if _column_positions(t, MONEY)]
    table = rng.choice(tables)
    path = folder / f"{TABLES[table].zh}.csv"
    rows = _read(path)
    i = rng.choice(_column_positions(table, MONEY))
    rows[0][i] = rows[0][i].replace("万元", rng.choice(["元", "单位：元"]))
    for row in rows[1:]:
        if row[i] != "":
            yuan = round(float(row[i]) * 10_000)
            row[i] = rng.choice([str(yuan), f"{yuan:,}"])
    _write(path, rows)


def m_date_format(folder, rng):
    tables = [t for t in TABLES if _column_positions(t, DATE)]
    table = rng.choice(tables)
    path = folder / f"{TABLES[table].zh}.csv"
    rows = _read(path)
    i = rng.choice(_column_positions(table, DATE))
    style = rng.choice(["{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}", "{y}.{m}.{d}"])
    for row in rows[1:]:
        if row[i]:
            y, m, d = (int(x) for x in row[i].split("-"))
            row[i] = style.format(y=y, m=m, d=d)
    _write(path, rows)


def m_bool_spelling(folder, rng):
    path = folder / "研发投入调查.csv"
    rows = _read(path)
    yes, no = rng.choice([("Y", "N"), ("1", "0"), ("√", "×"), ("有", "无"), ("yes", "no")])
    for i in _column_positions("rd_survey", BOOL):
        for row in rows[1:]:
            row[i] = {"是": yes, "否": no}.get(row[i], row[i])
    _write(path, rows)


def m_title_blank_notes(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    width = len(rows[0])
    rows.insert(0, ["2025年台账", *[""] * (width - 1)])
    rows.insert(1, [""] * width)
    rows.insert(rng.randrange(3, len(rows) + 1), [""] * width)
    rows.append(["填表人：张三", *[""] * (width - 1)])
    _write(path, rows)


def m_to_xlsx(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = rng.choice(["Sheet1", path.stem])
    for row in rows:
        sheet.append(row)
    if rng.random() < 0.5:  # a stale hidden sheet in front: never read instead
        hidden = book.create_sheet("旧", 0)
        hidden.append(["x"])
        hidden.sheet_state = "hidden"
    path.unlink()
    book.save(path.with_suffix(".xlsx"))


def m_year_prefixed_name(folder, rng):
    _, path = _table_file(folder, rng)
    path.rename(path.with_name(f"2025年{path.name}"))


PRESERVING = [
    m_encoding,
    m_header_spelling,
    m_money_in_yuan,
    m_date_format,
    m_bool_spelling,
    m_title_blank_notes,
    m_to_xlsx,
    m_year_prefixed_name,
]

_JUNK = [
    "",
    " ",
    "约2.7万",
    '=HYPERLINK("http://x","x")',
    "+1",
    "-",
    "NaN",
    "inf",
    "1e400",
    str(2**63),
    str(-(2**70)),
    "9" * 400,
    "2025-02-30",
    "2025-13-45",
    "0x1F",
    "１２３",
    "1,2,3",
    "\x00",
    "\u202e反转",
    "a\nb",
    "合计",
    "小计",
    "注：",
    "是否",
    "𠀀" * 50,
    "x" * 140_000,
]


def d_cell_junk(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    for _ in range(rng.randint(1, 5)):
        r = rng.randrange(len(rows))
        if rows[r]:
            rows[r][rng.randrange(len(rows[r]))] = rng.choice(_JUNK)
    _write(path, rows)


def d_ragged(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    for _ in range(rng.randint(1, 3)):
        r = rng.randrange(1, len(rows)) if len(rows) > 1 else 0
        if rng.random() < 0.5 and rows[r]:
            rows[r] = rows[r][: rng.randrange(len(rows[r]))]
        else:
            rows[r] = [*rows[r], *["extra"] * rng.randint(1, 3)]
    _write(path, rows)


def d_drop_or_double_column(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    i = rng.randrange(len(rows[0]))
    if rng.random() < 0.5:
        rows = [[c for j, c in enumerate(r) if j != i] for r in rows]
    else:
        rows = [[*r, r[i]] if len(r) > i else r for r in rows]
    _write(path, rows)


def d_bytes(folder, rng):
    _, path = _table_file(folder, rng)
    data = bytearray(path.read_bytes())
    kind = rng.choice(["truncate", "flip", "latin1", "empty", "binary", "bom_only"])
    if kind == "truncate":
        data = data[: rng.randrange(len(data) + 1)]
    elif kind == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "latin1":
        data += b"\xe9\xff\xfe\n"
    elif kind == "empty":
        data = bytearray()
    elif kind == "binary":
        data = bytearray(rng.randbytes(rng.randint(1, 4096)))
    else:
        data = bytearray(b"\xef\xbb\xbf")
    path.write_bytes(bytes(data))


def d_file_system(folder, rng):
    _, path = _table_file(folder, rng)
    path.unlink()
    kind = rng.choice(["directory", "dangling", "fifo", "device", "loop", "bad_name", "empty"])
    if kind == "directory":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(folder / "nowhere.csv")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "bad_name":
        with open(os.fsencode(str(folder)) + b"/\xff" + os.fsencode(path.name), "wb") as f:
            f.write(b"a,b\n")
    else:
        path.write_bytes(b"")


_YAML = [
    "- a\n- b\n",
    "just text\n",
    "",
    "towns: 5\n",
    "code: 410106\n",
    "{[}",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    "!!python/object/apply:os.system ['echo pwned']\n",
]


def d_yaml(folder, rng):
    path = folder / "district.yaml"
    text = path.read_text(encoding="utf-8")
    kind = rng.randrange(4)
    if kind == 0:
        text = rng.choice(_YAML)
    elif kind == 1:
        text += rng.choice(
            [
                "cutoff: 2025-13-45\n",
                "cutoff: 2025-12-31\n",
                "population: 约2.7万\n",
                "population: [1, 2]\n",
                "population: null\n",
                "name_en: [a]\n",
                "unknown: 1\n",
            ]
        )
    elif kind == 2:
        text = text.replace("towns:", rng.choice(["towns: 5\nx:", "towns: []\nx:", "towns:"]))
    else:
        path.write_bytes(rng.randbytes(rng.randint(0, 200)))
        return
    path.write_text(text, encoding="utf-8")


def d_excel(folder, rng):
    _, path = _table_file(folder, rng)
    rows = _read(path)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    kind = rng.choice(["stray_far", "stray_row", "formula", "merged", "hidden_only"])
    if kind == "stray_far":
        sheet[rng.choice(["XFD1", "XFD1048576", "AAA5"])] = "x"
    elif kind == "stray_row":
        sheet["A1048576"] = "x"
    elif kind == "formula" and len(rows) > 1:
        sheet.cell(2, rng.randrange(1, len(rows[0]) + 1), "=1+1")
    elif kind == "merged":
        sheet.insert_rows(1)
        sheet["A1"] = "标题"
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    else:
        sheet.sheet_state = "hidden"
        book.create_sheet("空")
    path.unlink()
    book.save(path.with_suffix(".xlsx"))


DAMAGING = [d_cell_junk, d_ragged, d_drop_or_double_column, d_bytes, d_file_system, d_yaml, d_excel]


# ---------------------------------------------------------------------------- the cases


def _case(index: int) -> tuple[object, bool]:
    rng = random.Random(SEED * 100_003 + index)
    if rng.random() < 0.4:
        return rng.choice(PRESERVING), True
    return rng.choice(DAMAGING), False


@pytest.mark.parametrize("index", range(CASES), ids=lambda i: f"case_{i:04d}")
def test_fuzz_case(index, base, tmp_path, monkeypatch, capsys):
    import innolib.load
    from innolib.cli import main
    from innolib.indicators import compute_indicators

    monkeypatch.setenv("INNOLIB_CACHE", "0")
    base_folder, base_values = base
    folder = tmp_path / "pkg"
    shutil.copytree(base_folder, folder)
    mutation, preserving = _case(index)
    rng = random.Random(SEED * 7919 + index)
    mutation(folder, rng)

    seen = {}
    real = innolib.load.load_package

    def recording(*args, **kwargs):
        try:
            seen["package"] = real(*args, **kwargs)
        except innolib.load.PackageInvalid as invalid:
            seen["report"] = invalid.report
            raise
        return seen["package"]

    monkeypatch.setattr(innolib.load, "load_package", recording)
    code = main(["validate", str(folder)])  # anything but an InnolibError escapes: a failure
    capsys.readouterr()
    assert code in (0, 1, 2), mutation.__name__
    report = seen["package"].report if "package" in seen else seen.get("report")
    if report is not None:
        for account in report.accounts:
            assert account.balanced, (mutation.__name__, account)
    if preserving:
        assert code == 0, (mutation.__name__, report.format() if report else "")
        package = seen["package"]
        for year in YEARS:
            values = compute_indicators(package, parse_period(year)).to_document()["indicators"]
            assert values == base_values[year], (mutation.__name__, year)


def test_the_generator_covers_every_mutation():
    """The cases of a CI run (200, or more) draw every mutation (else a kind of damage is never
    tried); a shorter run (``INNOLIB_FUZZ_CASES=20`` while debugging) draws a prefix of them."""
    drawn = {_case(i)[0] for i in range(max(CASES, 200))}
    assert drawn == set(PRESERVING) | set(DAMAGING)


def test_a_meaning_preserving_mutation_really_changes_the_files(base, tmp_path):
    """The preserving mutations are not no-ops: each rewrites at least one file."""
    base_folder, _ = base
    for mutation in PRESERVING:
        folder = tmp_path / mutation.__name__
        shutil.copytree(base_folder, folder)
        mutation(folder, random.Random(1))
        before = {p.name: p.read_bytes() for p in base_folder.iterdir()}
        after = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert before != after, mutation.__name__


def test_indicators_of_the_base_are_not_all_empty(base):
    """A base whose indicators were all no-data would make the identity check vacuous."""
    _, values = base
    ok = [v for v in values["2025"].values() if v["status"] == "ok" and v["value"]]
    assert len(ok) >= 10
