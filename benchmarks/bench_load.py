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
file; imports and interpreter start-up count on both sides. The runs are interleaved
(``--repeat K`` rounds, one run of each side per round); medians, best and every run are
printed with the load average. ``--processes --before REF`` adds ``innolib validate`` as it
was at git ``REF`` (a temporary ``git worktree``) to each round and checks that both
loaders give the same tables and report for the package (exit 1 if not).

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


def _validate_command(root: Path, package: Path) -> list[str]:
    """``innolib validate PACKAGE`` with the innolib under ``root`` (a worktree for --before)."""
    if root == HERE.parent:
        return [str(Path(sys.executable).with_name("innolib")), "validate", str(package)]
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import innolib; "
        "assert innolib.__file__.startswith(sys.argv[1]), innolib.__file__; "
        "from innolib.cli import main; sys.exit(main(['validate', sys.argv[2]]))"
    )
    return [sys.executable, "-c", code, str(root), str(package)]


def _load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def processes_benchmark(rows: int, repeat: int, before: str | None = None) -> int:
    """Wall time of whole processes: innolib validate (cache off) vs openpyxl read_excel.

    The runs are interleaved (one of each per round) so that a machine whose load changes
    slows every side alike; medians and the best of ``repeat`` rounds are printed, with the
    load average before and after. ``before``: ``innolib validate`` at that git ref too
    (a temporary worktree), and both loaders' tables and reports compared.
    """
    import statistics
    import subprocess
    import tempfile

    package = sample_with_ledger(rows)
    ledger = package / "技术合同登记.xlsx"
    env = {**os.environ, "INNOLIB_CACHE": "0"}
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    runs = {"innolib validate (cache off)": _validate_command(HERE.parent, package)}
    try:
        if before:
            tree = _worktree(work, before)
            runs[f"innolib validate at {before} (cache off)"] = _validate_command(tree, package)
        runs["python -c pandas.read_excel(openpyxl)"] = [
            sys.executable,
            "-c",
            f"import pandas; pandas.read_excel({str(ledger)!r}, header=1, engine='openpyxl')",
        ]
        print(
            f"package: {package.relative_to(HERE.parent)} (ledger {ledger.stat().st_size / 1e6:.1f} MB, "
            f"{rows:,} rows); {repeat} interleaved rounds; load average {_load_average()}"
        )
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(repeat):
            for name, command in runs.items():
                t = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                times[name].append(time.perf_counter() - t)
                if done.returncode != 0:
                    raise SystemExit(
                        f"{name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
                    )
        median = {name: statistics.median(t) for name, t in times.items()}
        for name, t in times.items():
            print(
                f"{name:50s} median {median[name]:6.2f} s, best {min(t):6.2f} s  "
                f"[{' '.join(f'{x:.2f}' for x in t)}]"
            )
        openpyxl = median["python -c pandas.read_excel(openpyxl)"]
        for name in runs:
            if name.startswith("innolib"):
                print(
                    f"ratio openpyxl / {name.split(' (')[0]} (whole processes, medians): "
                    f"{openpyxl / median[name]:.1f}×"
                )
        print(f"load average after: {_load_average()}")
        if before:
            return 0 if _same_loads(package, tree, work, lenient=False) else 1
        return 0
    finally:
        _remove_worktree(work)


def _worktree(work: Path, ref: str) -> Path:
    """The repository at ``ref`` checked out (detached) under ``work``."""
    import subprocess

    tree = work / "before"
    subprocess.run(
        ["git", "-C", str(HERE.parent), "worktree", "add", "--detach", str(tree), ref],
        check=True,
        capture_output=True,
    )
    return tree


def _remove_worktree(work: Path) -> None:
    import shutil
    import subprocess

    if (work / "before").exists():
        subprocess.run(
            ["git", "-C", str(HERE.parent), "worktree", "remove", "--force", str(work / "before")],
            capture_output=True,
        )
    shutil.rmtree(work, ignore_errors=True)


def _child(root: Path, package: Path, out: Path | None, lenient: bool) -> dict:
    """``child_load`` in a fresh process (its time, peak RSS and, with ``out``, its result)."""
    import json
    import subprocess

    cmd = (
        [sys.executable, __file__, "--child-load", str(package), "--code", str(root)]
        + (["--out", str(out)] if out is not None else [])
        + (["--lenient"] if lenient else [])
    )
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{root}: load failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _same_results(a: Path, b: Path) -> bool:
    """Did two ``child_load --out`` folders get the same tables (values, dtypes) and report?"""
    import json

    import pandas as pd

    same_tables = sorted(p.name for p in a.glob("*.pkl")) == sorted(p.name for p in b.glob("*.pkl"))
    for p in sorted(a.glob("*.pkl")) if same_tables else []:
        try:
            pd.testing.assert_frame_equal(
                pd.read_pickle(p), pd.read_pickle(b / p.name), check_exact=True
            )
        except AssertionError as error:
            print(f"{p.stem}: {error}")
            same_tables = False
    report_a = json.loads((a / "report.json").read_text(encoding="utf-8"))
    report_b = json.loads((b / "report.json").read_text(encoding="utf-8"))
    for r in (report_a, report_b):
        r.pop("source", None)
    return same_tables and report_a == report_b


def _same_loads(package: Path, tree: Path, work: Path, lenient: bool) -> bool:
    """Load ``package`` with both loaders (in-process, cache off) and compare the results."""
    _child(tree, package, work / "out-before", lenient)
    _child(HERE.parent, package, work / "out-now", lenient)
    same = _same_results(work / "out-before", work / "out-now")
    print("same tables (values and dtypes) and same report:", "yes" if same else "NO")
    return same


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
    t, cpu = time.perf_counter(), time.process_time()
    package = innolib.load.load_package(package, lenient=lenient)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - cpu  # every thread's CPU time (less swayed by other jobs)
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
        "cpu_seconds": cpu,
        "peak_kib": peak,
        "rows": {t: len(f) for t, f in package.tables.items()},
        "rejected": package.report.rejected_rows(),
    }


def scale_benchmark(package: Path, before: str | None, lenient: bool = False) -> int:
    """Cold loads of a large package, now and (``before``) at an older commit; same result checked."""
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    runs = {}
    try:
        roots = {"now": HERE.parent}
        if before:
            roots = {f"before ({before})": _worktree(work, before), "now": HERE.parent}
        print(f"package {package}; load average {_load_average()}")
        for name, code in roots.items():
            out = work / ("out-" + name.split()[0]) if before else None
            runs[name] = r = _child(code, package, out, lenient)
            print(
                f"{name:>22}: load_package, cache off: {r['seconds']:6.1f} s "
                f"(CPU {r.get('cpu_seconds', float('nan')):.1f} s), peak RSS "
                f"{r['peak_kib'] / 1024 / 1024:.2f} GiB, {sum(r['rows'].values()):,} rows accepted, "
                f"{r['rejected']:,} rejected"
            )
        print(f"load average after: {_load_average()}")
        if before:
            same = _same_results(work / "out-before", work / "out-now")
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
        _remove_worktree(work)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--scale-package", type=Path, help="time a cold load of this (large) package instead"
    )
    parser.add_argument(
        "--before",
        help="with --scale-package or --processes: also with the loader at this git ref, "
        "and check that both give the same tables and report",
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
        if not args.scale_package.is_dir():
            raise SystemExit(
                f"{args.scale_package}: no package there; `benchmarks/bench_scale.py --skip-cold-load` "
                f"writes benchmarks/_data/shangjie-x1000"
            )
        return scale_benchmark(args.scale_package, args.before, args.lenient)
    sys.path.insert(0, str(HERE.parent))
    os.environ["INNOLIB_CACHE"] = "0"
    if args.processes:
        return processes_benchmark(args.rows, args.repeat, args.before)

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
