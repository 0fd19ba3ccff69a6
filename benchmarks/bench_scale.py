"""Indicators at national scale against DuckDB: ``python benchmarks/bench_scale.py [--scale 1000]``.

What it does, in one run (issue 9, benchmark 2):

1. generates, once, a ``--scale N`` Parquet package with ``innolib.synth.generate`` into
   ``benchmarks/_data/shangjie-xN/`` (git-ignored; reused by later runs while
   ``innolib/synth/`` is unchanged: its hash is stamped in ``.synth``);
2. **load** (child process): ``innolib.load.load_package`` on it with the parse cache off
   (parse + validate every row): time and peak RSS (``--skip-cold-load`` skips it);
3. **innolib** (child process): reads the package (``Package.from_frames`` over the
   Parquet files; ``--via-loader``: ``load_package`` through the parse cache in
   ``benchmarks/_data/cache``, warm after the first run, says which), then times
   ``compute_indicators`` for the period: every registry indicator, and the heavy subset
   ``HEAVY`` alone (``ids=``), each value with its previous-year value, best and median
   of ``--repeat`` runs; peak RSS of the compute stage alone;
4. **duckdb** (child process): the same ``HEAVY`` indicators written as DuckDB SQL
   (``SQL`` below: docs/indicators.md's counting rules, the same definitions the registry
   declares), for the period and the previous year, (a) straight over the Parquet files
   and (b) over tables first copied into DuckDB's memory; best of ``--repeat``; peak RSS;
5. asserts that innolib and DuckDB give the same value and previous value for every
   heavy indicator (exit status 1 and the differences listed otherwise), and prints the
   ratios innolib / DuckDB.

Peak memory is each child's peak resident set size (``VmHWM`` from
``/proc/self/status``), reset with ``/proc/self/clear_refs`` before a stage so that a
stage's figure excludes the stages before it in the same child (the reset also resets
``getrusage``'s ``ru_maxrss``, so that is not used); a child's whole peak is the largest
of its stages' peaks.

Options: ``--scale`` (default 1000), ``--period`` (default 2025), ``--repeat`` (3),
``--threads`` (DuckDB threads; default: DuckDB's own, the machine's cores),
``--package PATH`` (use an existing Parquet package instead of generating one),
``--skip-cold-load``, ``--baseline GIT_REF``: also time ``innolib/indicators.py`` as it was
at that commit (imported from ``git show``), on the same loaded package in the same
process, and assert that every indicator's value, previous value and change are the same
as the current code's (before/after figures from one run).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "_data"

HEAVY = (
    "hnte.applied",
    "tech_sme.cumulative",
    "hnte.valid",
    "gazelle.valid",
    "rd.surveyed",
    "rd.expenditure",
    "rd.coverage_industrial",
    "contracts.amount",
    "contracts.count",
    "contracts.tech_amount",
    "finance.resolved",
    "platforms.provincial",
    "collab.matchmaking_private",
)
"""The indicators timed against DuckDB: those over the largest tables (certifications with
the stock rule, rd_survey with the class fallback to enterprises, tech_contracts,
participants joined to activities and enterprises) plus the cheap platform/financing ones
the bulletin headlines."""

# Each query takes $start, $end (the period's effective bounds) and $year; tables are
# named by id and bound to the Parquet files (or to in-memory copies) by ``_bind``.
_VALID = """
WITH rec AS (
  SELECT uscc, date FROM certifications
  WHERE tier = '{tier}' AND stage = '认定' AND date <= $end AND (valid_until IS NULL OR valid_until >= $end)),
rev AS (
  SELECT uscc, max(date) AS last FROM certifications
  WHERE tier = '{tier}' AND stage = '撤销' AND date <= $end GROUP BY uscc)
SELECT count(DISTINCT rec.uscc) FROM rec LEFT JOIN rev USING (uscc)
WHERE rev.last IS NULL OR rev.last < rec.date"""

_SURVEY = """
WITH s AS (
  SELECT r.rd_expenditure, r.has_rd,
         coalesce(nullif(r.above_scale, ''), nullif(e.above_scale, ''), '无') AS class
  FROM rd_survey r LEFT JOIN enterprises e ON r.uscc = e.uscc
  WHERE r.year = $year)
"""

SQL: dict[str, str] = {
    "hnte.applied": """SELECT count(DISTINCT uscc) FROM certifications
        WHERE tier = '高新技术企业' AND stage = '申报' AND date BETWEEN $start AND $end""",
    "tech_sme.cumulative": """SELECT count(DISTINCT uscc) FROM certifications
        WHERE tier = '科技型企业' AND stage = '认定' AND date <= $end""",
    "hnte.valid": _VALID.format(tier="高新技术企业"),
    "gazelle.valid": _VALID.format(tier="瞪羚企业"),
    "rd.surveyed": _SURVEY + "SELECT count(*) FROM s WHERE class <> '无'",
    "rd.expenditure": _SURVEY
    + "SELECT coalesce(sum(rd_expenditure), 0) FROM s WHERE class <> '无'",
    "rd.coverage_industrial": _SURVEY
    + """SELECT CASE WHEN count(*) = 0 THEN NULL
        ELSE 100.0 * count(*) FILTER (WHERE has_rd) / count(*) END FROM s WHERE class = '规上工业'""",
    "contracts.amount": """SELECT coalesce(sum(amount), 0) FROM tech_contracts
        WHERE registered BETWEEN $start AND $end""",
    "contracts.count": "SELECT count(*) FROM tech_contracts WHERE registered BETWEEN $start AND $end",
    "contracts.tech_amount": """SELECT coalesce(sum(tech_amount), 0) FROM tech_contracts
        WHERE registered BETWEEN $start AND $end""",
    "finance.resolved": "SELECT coalesce(sum(resolved), 0) FROM financing WHERE date BETWEEN $start AND $end",
    "platforms.provincial": """SELECT count(*) FROM platforms
        WHERE level = '省级' AND approved <= $end AND (revoked IS NULL OR revoked > $end)""",
    "collab.matchmaking_private": """SELECT count(DISTINCT p.uscc) FROM activity_participants p
        WHERE p.activity_id IN (SELECT activity_id FROM activities
                                WHERE type = '技术需求对接会' AND date BETWEEN $start AND $end)
          AND p.uscc IN (SELECT uscc FROM enterprises WHERE ownership = '民营')""",
}
ANNUAL = {"rd.surveyed", "rd.expenditure", "rd.coverage_industrial"}
MONEY = {"rd.expenditure", "contracts.amount", "contracts.tech_amount", "finance.resolved"}
RATE = {"rd.coverage_industrial"}


# --------------------------------------------------------------------------- measuring


def _peak_kib() -> int:
    """This process's peak resident set size since the last ``_reset_peak`` (KiB)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))


def _rss_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))


def _reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux ``clear_refs`` 5), so the next peak is a stage's own."""
    Path("/proc/self/clear_refs").write_text("5")


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def _periods(package_path: Path, label: str):
    """The period and its previous year as innolib evaluates them (cutoff-clipped)."""
    from innolib.load import read_district
    from innolib.periods import parse_period

    period = parse_period(label).clip(read_district(package_path).cutoff)
    return period, period.previous_year()


# --------------------------------------------------------------------------- child stages


def stage_load(path: Path) -> dict:
    """Cold load: parse and validate every row (parse cache off)."""
    os.environ["INNOLIB_CACHE"] = "0"
    from innolib.load import load_package

    _reset_peak()
    start = time.perf_counter()
    package = load_package(path)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_kib": _peak_kib(),
        "rows": {t: len(f) for t, f in package.tables.items()},
    }


def _baseline_module(ref: str):
    """``innolib/indicators.py`` as it was at git ``ref``, imported as a separate module."""
    import importlib.util
    import tempfile

    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:innolib/indicators.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    (folder / "baseline_indicators.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(
        "baseline_indicators", folder / "baseline_indicators.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _typed_package(path: Path):
    """The package typed exactly as the loader types it, without re-validating the rows.

    The synthetic package is clean, so the loader returns the same frames (checked at
    scale 100: every table the indicators read is equal); this keeps a benchmark run
    from paying the cold validation again whenever the loader's code (part of the
    parse cache's key) has changed. ``--via-loader`` uses ``load_package`` instead.
    """
    import pandas as pd

    from innolib.load import read_district
    from innolib.package import Package
    from innolib.tables import TABLES

    frames = {
        t: pd.read_parquet(path / f"{t}.parquet")
        for t in TABLES
        if (path / f"{t}.parquet").is_file()
    }
    return Package.from_frames(read_district(path), frames)


def stage_innolib(
    path: Path, label: str, repeat: int, baseline: str | None = None, via_loader: bool = False
) -> dict:
    """Read the package, then time compute_indicators (all, and HEAVY)."""
    os.environ["INNOLIB_CACHE_DIR"] = str(DATA / "cache")
    from innolib import indicators
    from innolib.indicators import compute_indicators
    from innolib.load import load_package
    from innolib.periods import parse_period
    from innolib.registry import load_registry

    load_registry()
    period = parse_period(label)
    start = time.perf_counter()
    if via_loader:
        package = load_package(path)
        how = "load_package via the parse cache: " + (
            "warm" if getattr(package.report, "from_cache", False) else "cold, cache written"
        )
    else:
        package = _typed_package(path)
        how = "Package.from_frames over the Parquet files (typed, not re-validated)"
    load_seconds = time.perf_counter() - start
    load_peak = _peak_kib()
    before = _rss_kib()

    def cold(ids=None):
        """A first evaluation of the package: the factorised text columns forgotten."""
        indicators.columns._FACTORISED.clear()
        return compute_indicators(package, period, ids=ids)

    _reset_peak()
    heavy_cold_times, _ = _timed(lambda: cold(HEAVY), repeat)
    heavy_times, heavy = _timed(lambda: compute_indicators(package, period, ids=HEAVY), repeat)
    heavy_peak = _peak_kib()
    _reset_peak()
    all_cold_times, _ = _timed(cold, repeat)
    all_times, result = _timed(lambda: compute_indicators(package, period), repeat)
    all_peak = _peak_kib()
    values = {i: [heavy[i].value, heavy[i].previous] for i in HEAVY}
    before_figures = {}
    if baseline:
        old = _baseline_module(baseline)
        _reset_peak()
        old_all_times, old_result = _timed(lambda: old.compute_indicators(package, period), repeat)
        old_all_peak = _peak_kib()
        old_heavy_times, _ = _timed(
            lambda: old.compute_indicators(package, period, ids=HEAVY), repeat
        )
        changed = [
            f"{v.id}: before {old_result[v.id].to_dict()} now {v.to_dict()}"
            for v in result
            if old_result[v.id].to_dict() != v.to_dict()
        ]
        before_figures = {
            "ref": baseline,
            "all_times": old_all_times,
            "heavy_times": old_heavy_times,
            "all_peak_kib": old_all_peak,
            "changed": changed,
        }
    return {
        "baseline": before_figures,
        "load_seconds": load_seconds,
        "how": how,
        "load_peak_kib": load_peak,
        "rss_before_compute_kib": before,
        "all_times": all_times,
        "all_peak_kib": all_peak,
        "all_count": len(result),
        "heavy_times": heavy_times,
        "all_cold_times": all_cold_times,
        "heavy_cold_times": heavy_cold_times,
        "heavy_peak_kib": heavy_peak,
        "values": values,
    }


def _bind(con, path: Path, in_memory: bool) -> None:
    tables = sorted(
        {
            t
            for q in SQL.values()
            for t in re.findall(
                r"\b(certifications|rd_survey|enterprises|tech_contracts|financing|platforms|activity_participants"
                r"|activities)\b",
                q,
            )
        }
    )
    for table in tables:
        source = f"read_parquet('{path / (table + '.parquet')}')"
        kind = "TABLE" if in_memory else "VIEW"
        con.execute(f"CREATE OR REPLACE {kind} {table} AS SELECT * FROM {source}")


def duckdb_values(con, period, previous) -> dict[str, list]:
    """Every HEAVY indicator for the period and the previous year, by SQL."""
    out = {}
    for indicator_id, query in SQL.items():
        pair = []
        for p in (period, previous):
            if indicator_id in ANNUAL and not p.ends_on_year_end:
                pair.append(None)  # an annual survey on a part-year period: no data
                continue
            params = {
                k: v
                for k, v in {"start": p.start, "end": p.end, "year": p.year}.items()
                if f"${k}" in query
            }
            value = con.execute(query, params).fetchone()[0]
            if value is not None:
                value = (
                    round(float(value), 4)
                    if indicator_id in MONEY
                    else (float(value) if indicator_id in RATE else int(value))
                )
            pair.append(value)
        out[indicator_id] = pair
    return out


def stage_duckdb(path: Path, label: str, repeat: int, threads: int | None) -> dict:
    import duckdb

    period, previous = _periods(path, label)
    out = {}
    for in_memory in (False, True):
        con = duckdb.connect()
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        _reset_peak()
        start = time.perf_counter()
        _bind(con, path, in_memory)
        bind_seconds = time.perf_counter() - start
        times, values = _timed(lambda con=con: duckdb_values(con, period, previous), repeat)
        out["memory" if in_memory else "parquet"] = {
            "bind_seconds": bind_seconds,
            "times": times,
            "peak_kib": _peak_kib(),
            "values": values,
            "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        }
        con.close()
    return out


# --------------------------------------------------------------------------- comparing


def same(a, b, rate_or_money: bool) -> bool:
    """Equal counts; money and rates equal to 1e-9 relative (sums in another order), 1e-3 万元 absolute."""
    if a is None or b is None:
        return a is None and b is None
    if not rate_or_money:
        return isinstance(a, int) and isinstance(b, int) and a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-3)


def differences(innolib: dict[str, list], duck: dict[str, list]) -> list[str]:
    """Every (indicator, value|previous) where innolib and DuckDB disagree, as text."""
    problems = []
    for indicator_id in HEAVY:
        a, b = innolib.get(indicator_id), duck.get(indicator_id)
        if a is None or b is None:
            problems.append(f"{indicator_id}: missing (innolib {a}, duckdb {b})")
            continue
        for which, x, y in zip(("value", "previous"), a, b):
            if not same(x, y, indicator_id in MONEY | RATE):
                problems.append(f"{indicator_id} {which}: innolib {x!r} != duckdb {y!r}")
    return problems


# --------------------------------------------------------------------------- driver


def _child(stage: str, args: argparse.Namespace, path: Path) -> dict:
    cmd = (
        [
            sys.executable,
            __file__,
            "--stage",
            stage,
            "--package",
            str(path),
            "--period",
            args.period,
            "--repeat",
            str(args.repeat),
        ]
        + (["--baseline", args.baseline] if args.baseline and stage == "innolib" else [])
        + (["--via-loader"] if args.via_loader and stage == "innolib" else [])
        + (["--threads", str(args.threads)] if args.threads else [])
    )
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"stage {stage} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _gib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024 / 1024:.2f} GiB"


def _ensure_package(scale: float) -> Path:
    """The ``--scale`` package, generated unless one from the same ``innolib/synth/`` is there."""
    import hashlib
    import shutil

    path = DATA / f"shangjie-x{scale:g}"
    sources = sorted(
        p for p in (ROOT / "innolib" / "synth").rglob("*") if p.suffix in (".py", ".yaml")
    )
    stamp = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    if (
        (path / "district.yaml").is_file()
        and (path / ".synth").is_file()
        and (path / ".synth").read_text().strip() == stamp
    ):
        return path
    tmp = DATA / f"shangjie-x{scale:g}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    start = time.perf_counter()
    # in a child process, so that the generator's memory is not held by this one while the stages run
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from innolib.synth import generate; "
            "generate(sys.argv[1], scale=float(sys.argv[2]), fmt='parquet')",
            str(tmp),
            str(scale),
        ],
        check=True,
        cwd=ROOT,
    )
    (tmp / ".synth").write_text(stamp + "\n")
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    print(
        f"generated {path} (scale {scale:g}, Parquet, synth {stamp}) in {time.perf_counter() - start:.0f} s"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1000)
    parser.add_argument("--period", default="2025")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--package", type=Path, default=None)
    parser.add_argument("--skip-cold-load", action="store_true")
    parser.add_argument("--baseline", default=None, metavar="GIT_REF")
    parser.add_argument("--via-loader", action="store_true")
    parser.add_argument("--stage", choices=("load", "innolib", "duckdb"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage:
        if args.stage == "load":
            result = stage_load(args.package)
        elif args.stage == "innolib":
            result = stage_innolib(
                args.package, args.period, args.repeat, args.baseline, args.via_loader
            )
        else:
            result = stage_duckdb(args.package, args.period, args.repeat, args.threads)
        print(json.dumps(result, ensure_ascii=False, default=str))
        return 0

    path = args.package or _ensure_package(args.scale)
    print(
        f"package {path}; period {args.period}; repeat {args.repeat}; "
        f"heavy indicators ({len(HEAVY)}): {', '.join(HEAVY)}"
    )
    if not args.skip_cold_load:
        load = _child("load", args, path)
        rows = sum(load["rows"].values())
        print(
            f"load (parse + validate, cache off): {load['seconds']:.1f} s, peak RSS {_gib(load['peak_kib'])}; "
            f"{rows:,} rows: " + ", ".join(f"{t} {n:,}" for t, n in load["rows"].items())
        )
    ours = _child("innolib", args, path)
    print(
        f"innolib package read ({ours['how']}): {ours['load_seconds']:.1f} s, peak RSS {_gib(ours['load_peak_kib'])}; "
        f"RSS before compute {_gib(ours['rss_before_compute_kib'])}"
    )
    best_all, best_heavy = min(ours["all_times"]), min(ours["heavy_times"])
    cold_all, cold_heavy = min(ours["all_cold_times"]), min(ours["heavy_cold_times"])
    for what, n, cold_t, warm_t, peak in (
        ("all", ours["all_count"], ours["all_cold_times"], ours["all_times"], ours["all_peak_kib"]),
        (
            "heavy",
            len(HEAVY),
            ours["heavy_cold_times"],
            ours["heavy_times"],
            ours["heavy_peak_kib"],
        ),
    ):
        print(
            f"innolib compute_indicators, {what} {n} indicators (+ previous year): cold (first evaluation of "
            f"the package) best {min(cold_t):.2f} s, median {statistics.median(cold_t):.2f} s; warm (text "
            f"columns already factorised) best {min(warm_t):.2f} s, median {statistics.median(warm_t):.2f} s; "
            f"peak RSS during compute {_gib(peak)}"
        )
    duck = _child("duckdb", args, path)
    for kind, label in (("parquet", "over the Parquet files"), ("memory", "over in-memory tables")):
        d = duck[kind]
        print(
            f"duckdb ({d['threads']} threads) {label}: {len(SQL)} heavy (+ previous year): "
            f"best {min(d['times']):.2f} s, median {statistics.median(d['times']):.2f} s "
            f"(binding {d['bind_seconds']:.1f} s); peak RSS {_gib(d['peak_kib'])}"
        )
    print(
        f"whole-process peak RSS: innolib child (package read + compute) "
        f"{_gib(max(ours['load_peak_kib'], ours['all_peak_kib'], ours['heavy_peak_kib']))}, duckdb child "
        f"{_gib(max(duck['parquet']['peak_kib'], duck['memory']['peak_kib']))}"
    )
    old = ours["baseline"]
    if old:
        print(
            f"BEFORE (innolib/indicators.py at {old['ref']}), same package, same process: all indicators best "
            f"{min(old['all_times']):.2f} s (median {statistics.median(old['all_times']):.2f} s, peak RSS "
            f"{_gib(old['all_peak_kib'])}); heavy best {min(old['heavy_times']):.2f} s → now cold {cold_all:.2f} s / "
            f"{cold_heavy:.2f} s ({min(old['all_times']) / cold_all:.1f}× / "
            f"{min(old['heavy_times']) / cold_heavy:.1f}× faster), warm {best_all:.2f} s / {best_heavy:.2f} s"
        )
    duck_parquet, duck_memory = min(duck["parquet"]["times"]), min(duck["memory"]["times"])
    print(
        f"ratio innolib / duckdb, heavy indicators: cold innolib / DuckDB over Parquet "
        f"{cold_heavy / duck_parquet:.2f}×; warm innolib / DuckDB over in-memory tables "
        f"{best_heavy / duck_memory:.2f}× (below 1: innolib faster)"
    )
    problems = differences(ours["values"], duck["parquet"]["values"]) + differences(
        ours["values"], duck["memory"]["values"]
    )
    for indicator_id in HEAVY:
        print(
            f"  {indicator_id:28s} value {ours['values'][indicator_id][0]!s:>16}  "
            f"previous {ours['values'][indicator_id][1]!s:>16}"
        )
    if old and old["changed"]:
        problems += [f"changed since {old['ref']}: {c}" for c in old["changed"]]
    elif old:
        print(
            f"values: all {ours['all_count']} indicators (value, previous, change) identical to {old['ref']}"
        )
    if problems:
        print("MISMATCH between innolib and DuckDB:\n  " + "\n  ".join(problems))
        return 1
    print(
        f"values: innolib and DuckDB agree on all {len(HEAVY)} heavy indicators (value and previous)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
