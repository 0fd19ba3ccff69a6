"""Benchmark: load + validate a 100k-row technology-contract ledger vs pandas' default read_excel.

Generates (once) ``benchmarks/_data/ledger/`` — a package with a 100,000-row × 9-column
``技术合同登记.xlsx`` (a title row, Chinese headers with units in 元, mixed number/text
amounts, dates as date cells) plus a small ``企业名录.csv`` and ``district.yaml`` — then
times, each in a fresh state (the load cache disabled):

1. ``innolib.load_package`` (calamine read, header/row classification, parsing, 万元
   conversion, pandera validation with referential integrity): the whole job;
2. ``pd.read_excel`` of the same file with pandas' default engine (openpyxl): reading only.

Run: ``.venv/bin/python benchmarks/bench_load.py [--rows N] [--repeat K]``.

``--processes`` instead times whole processes, as a clerk meets them (issue 18's Excel
goal): ``innolib validate`` with the cache off of the sample package (``data/shangjie``) with
its contract ledger replaced by the 100k-row .xlsx (sellers drawn from the sample's
enterprises), against ``python -c "pandas.read_excel(..., engine='openpyxl')"`` of the same
file; imports and interpreter start-up count on both sides.

``--scale-package PATH`` instead times a cold ``load_package`` (cache off) of a national-size
Parquet package (``benchmarks/bench_scale.py`` writes one to ``benchmarks/_data/shangjie-x1000``)
in a child process, with its peak RSS (``VmHWM``, reset before the load). ``--before REF``
also loads it with the loader as it was at git ``REF`` (a temporary ``git worktree``), one
child after the other, and checks that both give the same tables (every value and dtype)
and the same report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data" / "ledger"

DISTRICT = """\
code: "410106"
name: 上街区
city: 郑州市
province: 河南省
towns: [峡窝镇, 济源路街道, 中心路街道, 新安路街道, 工业路街道, 矿山街道]
"""


def generate(rows: int, seed: int = 20251) -> Path:
    """Write the benchmark package (skipped when it already has ``rows`` rows)."""
    import pandas as pd

    from innolib.normalize import complete_uscc

    ledger = DATA / "技术合同登记.xlsx"
    stamp = DATA / f".rows-{rows}"
    if stamp.exists() and ledger.exists():
        return ledger
    DATA.mkdir(parents=True, exist_ok=True)
    for old in DATA.glob(".rows-*"):
        old.unlink()
    rng = np.random.default_rng(seed)
    towns = ["峡窝镇", "济源路街道", "中心路街道", "新安路街道", "工业路街道", "矿山街道"]
    codes = [complete_uscc(f"91410106{i:08d}") for i in range(1, 501)]
    pd.DataFrame(
        {
            "统一社会信用代码": codes,
            "企业名称": [f"郑州测试企业{i}有限公司" for i in range(500)],
            "所属镇街": rng.choice(towns, 500),
            "行业代码": "39",
            "主导产业": "装备制造",
            "四上类别": "规上工业",
            "企业性质": "民营",
            "成立日期": "2015-01-01",
        }
    ).to_csv(DATA / "企业名录.csv", index=False, encoding="utf-8-sig")
    (DATA / "district.yaml").write_text(DISTRICT, encoding="utf-8")

    write_ledger(ledger, rows, codes, rng)
    stamp.touch()
    return ledger


def write_ledger(ledger: Path, rows: int, codes: list[str], rng: np.random.Generator) -> None:
    """A ``rows``-row contract ledger (.xlsx, title row, amounts in 元) selling from ``codes``."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(ledger), {"constant_memory": True})
    ws = book.add_worksheet("Sheet1")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["2021—2025年技术合同登记台账"])
    ws.write_row(
        1,
        0,
        [
            "合同编号",
            "登记日期",
            "卖方代码",
            "买方名称",
            "买方地域",
            "合同类型",
            "成交金额（元）",
            "技术交易额（元）",
            "技术领域",
        ],
    )
    regions = ["区内", "市内", "省内", "省外", "境外"]
    kinds = ["技术开发", "技术转让", "技术许可", "技术咨询", "技术服务"]
    fields = ["先进制造", "新材料", "电子信息", "生物医药", "新能源"]
    amounts = rng.integers(10_000, 5_000_000, rows)
    share = rng.random(rows)
    start = dt.date(2021, 1, 1)
    days = rng.integers(0, 5 * 365, rows)
    sellers = rng.integers(0, len(codes), rows)
    for i in range(rows):
        r = i + 2
        ws.write_string(r, 0, f"2025410106{i:06d}")
        ws.write_datetime(
            r, 1, dt.datetime.combine(start + dt.timedelta(days=int(days[i])), dt.time()), date_fmt
        )
        ws.write_string(r, 2, codes[sellers[i]])
        ws.write_string(r, 3, f"买方单位{i % 997}")
        ws.write_string(r, 4, regions[i % 5])
        ws.write_string(r, 5, kinds[i % 5])
        amount = int(amounts[i])
        if i % 10 == 0:  # a tenth typed as text with thousands separators, as real ledgers have
            ws.write_string(r, 6, f"{amount:,}")
        else:
            ws.write_number(r, 6, amount)
        ws.write_number(r, 7, int(amount * share[i]))
        ws.write_string(r, 8, fields[i % 5])
    book.close()


def sample_with_ledger(rows: int, seed: int = 20251) -> Path:
    """``data/shangjie`` with its contract ledger replaced by a ``rows``-row .xlsx (made once)."""
    import shutil

    import pandas as pd

    folder = HERE / "_data" / f"shangjie-ledger-{rows}"
    ledger = folder / "技术合同登记.xlsx"
    if ledger.exists():
        return folder
    sample = HERE.parent / "data" / "shangjie"
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(sample, tmp)
    (tmp / "技术合同登记.csv").unlink()
    codes = pd.read_csv(sample / "企业名录.csv", dtype=str)["统一社会信用代码"].tolist()
    write_ledger(tmp / ledger.name, rows, codes, np.random.default_rng(seed))
    tmp.rename(folder)
    return folder


def processes_benchmark(rows: int, repeat: int) -> int:
    """Wall time of two whole processes: innolib validate (cache off) vs openpyxl read_excel."""
    import subprocess

    package = sample_with_ledger(rows)
    ledger = package / "技术合同登记.xlsx"
    innolib_cli = Path(sys.executable).with_name("innolib")
    env = {**os.environ, "INNOLIB_CACHE": "0"}
    runs = {
        "innolib validate (cache off)": [str(innolib_cli), "validate", str(package)],
        "python -c pandas.read_excel(openpyxl)": [
            sys.executable,
            "-c",
            f"import pandas; pandas.read_excel({str(ledger)!r}, header=1, engine='openpyxl')",
        ],
    }
    best = {}
    for name, command in runs.items():
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        best[name] = min(times)
    print(
        f"package: {package.relative_to(HERE.parent)} (ledger {ledger.stat().st_size / 1e6:.1f} MB, {rows:,} rows)"
    )
    for name, seconds in best.items():
        print(f"{name:40s} {seconds:7.2f} s (best of {repeat})")
    a, b = best.values()
    print(f"ratio openpyxl/innolib (whole processes): {b / a:.1f}×")
    return 0


def child_load(root: Path, package: Path, out: Path | None, lenient: bool = False) -> dict:
    """One cold load with the ``innolib`` under ``root``: seconds, peak RSS (KiB), rows."""
    import json
    import re

    sys.path.insert(0, str(root))
    os.environ["INNOLIB_CACHE"] = "0"
    import pandera.pandas  # noqa: F401 - imports are not part of the load

    import innolib.load

    assert Path(innolib.load.__file__).resolve().is_relative_to(root.resolve()), (
        innolib.load.__file__
    )
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS
    t = time.perf_counter()
    package = innolib.load.load_package(package, lenient=lenient)
    seconds = time.perf_counter() - t
    peak = int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for table_id, frame in package.tables.items():
            frame.to_pickle(out / f"{table_id}.pkl")
        report = package.report.to_dict()
        (out / "report.json").write_text(
            json.dumps(report, ensure_ascii=False, default=str), encoding="utf-8"
        )
    return {
        "seconds": seconds,
        "peak_kib": peak,
        "rows": {t: len(f) for t, f in package.tables.items()},
        "rejected": package.report.rejected_rows(),
    }


def scale_benchmark(package: Path, before: str | None, lenient: bool = False) -> int:
    """Cold loads of a large package, now and (``before``) at an older commit; same result checked."""
    import json
    import shutil
    import subprocess
    import tempfile

    import pandas as pd

    root = HERE.parent
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    runs = {}
    try:
        roots = {"now": root}
        if before:
            tree = work / "before"
            subprocess.run(
                ["git", "-C", str(root), "worktree", "add", "--detach", str(tree), before],
                check=True,
                capture_output=True,
            )
            roots = {f"before ({before})": tree, "now": root}
        for name, code in roots.items():
            out = work / name.split()[0]
            cmd = (
                [sys.executable, __file__, "--child-load", str(package), "--code", str(code)]
                + (["--out", str(out)] if before else [])
                + (["--lenient"] if lenient else [])
            )
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"{name}: load failed (exit {done.returncode})")
            runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
            r = runs[name]
            print(
                f"{name:>22}: load_package, cache off: {r['seconds']:6.1f} s, peak RSS "
                f"{r['peak_kib'] / 1024 / 1024:.2f} GiB, {sum(r['rows'].values()):,} rows accepted, "
                f"{r['rejected']:,} rejected"
            )
        if before:
            a, b = work / "before", work / "now"
            same_tables = sorted(p.name for p in a.glob("*.pkl")) == sorted(
                p.name for p in b.glob("*.pkl")
            )
            for p in sorted(a.glob("*.pkl")) if same_tables else []:
                pd.testing.assert_frame_equal(
                    pd.read_pickle(p), pd.read_pickle(b / p.name), check_exact=True
                )
            report_a = json.loads((a / "report.json").read_text(encoding="utf-8"))
            report_b = json.loads((b / "report.json").read_text(encoding="utf-8"))
            for r in (report_a, report_b):
                r.pop("source", None)
            same = same_tables and report_a == report_b
            print("same tables (values and dtypes) and same report:", "yes" if same else "NO")
            if not same:
                return 1
            first, now = runs[next(iter(runs))], runs["now"]
            print(
                f"speed-up {first['seconds'] / now['seconds']:.1f}×, peak memory "
                f"{first['peak_kib'] / now['peak_kib']:.1f}× lower"
            )
        return 0
    finally:
        if before:
            subprocess.run(
                ["git", "-C", str(root), "worktree", "remove", "--force", str(work / "before")],
                capture_output=True,
            )
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--scale-package", type=Path, help="time a cold load of this (large) package instead"
    )
    parser.add_argument(
        "--before", help="with --scale-package: also load with the loader at this git ref"
    )
    parser.add_argument(
        "--lenient", action="store_true", help="with --scale-package: load leniently"
    )
    parser.add_argument(
        "--processes",
        action="store_true",
        help="whole processes: innolib validate of the sample with a 100k-row ledger vs openpyxl",
    )
    parser.add_argument("--child-load", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_load:
        import json

        print(json.dumps(child_load(args.code, args.child_load, args.out, args.lenient)))
        return 0
    if args.scale_package:
        if not (args.scale_package / "enterprises.parquet").is_file():
            raise SystemExit(
                f"{args.scale_package}: no package there; `benchmarks/bench_scale.py --skip-cold-load` "
                f"writes benchmarks/_data/shangjie-x1000"
            )
        return scale_benchmark(args.scale_package, args.before, args.lenient)
    sys.path.insert(0, str(HERE.parent))
    os.environ["INNOLIB_CACHE"] = "0"
    if args.processes:
        return processes_benchmark(args.rows, args.repeat)

    t = time.perf_counter()
    ledger = generate(args.rows)
    print(
        f"ledger: {ledger.relative_to(HERE.parent)} ({ledger.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows × 9 "
        f"columns; generated/checked in {time.perf_counter() - t:.1f} s)"
    )

    import pandas as pd
    import pandera.pandas  # noqa: F401 - imported up front so that both timings exclude imports

    from innolib.load import load_package

    ours, theirs, calamine = [], [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        package = load_package(DATA)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        pd.read_excel(ledger, header=1, engine="calamine")
        calamine.append(time.perf_counter() - t)
        t = time.perf_counter()
        frame = pd.read_excel(ledger, header=1, engine="openpyxl")  # pandas 3.1 default for xlsx
        theirs.append(time.perf_counter() - t)
    account = package.report.table_account("tech_contracts")
    assert account["accepted"] == args.rows, account
    assert len(frame) == args.rows
    total = package["tech_contracts"]["amount"].sum()
    a, b = min(ours), min(theirs)
    print(
        f"innolib load_package (calamine, parse, convert, validate): {a:6.2f} s  "
        f"[{account['accepted']:,} rows accepted; amount {total:,.1f} 万元]"
    )
    print(f"pandas read_excel (engine calamine, read only):            {min(calamine):6.2f} s")
    print(f"pandas read_excel (default engine openpyxl, read only):    {b:6.2f} s")
    print(f"ratio pandas/innolib: {b / a:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
