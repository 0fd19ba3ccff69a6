"""Time every indicator for one period: ``python benchmarks/bench_indicators.py [PACKAGE ...] [--period P]``.

Loads each package (default ``data/shangjie``; pass a scaled package, e.g. one written
by ``innolib synth out --scale 20``), then times ``compute_indicators`` for the period
(every registry indicator plus its previous-year value), best and median of several
runs, and prints one line per package. Loading time is reported apart: it is the
loader's cost, not the indicators'.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innolib.indicators import compute_indicators  # noqa: E402
from innolib.load import load_package  # noqa: E402
from innolib.periods import parse_period  # noqa: E402
from innolib.registry import load_registry  # noqa: E402


def bench(path: Path, period_label: str, repeat: int) -> str:
    start = time.perf_counter()
    package = load_package(path)
    load_seconds = time.perf_counter() - start
    period = parse_period(period_label)
    load_registry()
    compute_indicators(package, period)  # warm-up (registry parse, first-call imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = compute_indicators(package, period)
        times.append(time.perf_counter() - start)
    rows = sum(len(t) for t in package.tables.values())
    return (
        f"{path}: {len(result)} indicators for {period.label} (with previous year) in "
        f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms "
        f"over {repeat} runs; {rows:,} rows in {len(package.tables)} tables; load {load_seconds:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=[str(ROOT / "data" / "shangjie")])
    parser.add_argument("--period", default="2025")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    for package in args.packages:
        print(bench(Path(package), args.period, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
