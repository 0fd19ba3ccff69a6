"""Time the bulletin's exports of one period (issue 18's profile: the 00_bulletin notebook
spent most of its cells in ``nbh.exports``).

    .venv/bin/python benchmarks/bench_report.py [--data data/shangjie] [--period 2025] [--repeat 3]

Prints the best of ``--repeat`` runs of ``compute_indicators``, ``write_narrative`` and
``export.write_report`` (bulletin.md/.docx, the draft, indicators.csv/.json), and the
SHA-256 of bulletin.docx and bulletin.md (``SOURCE_DATE_EPOCH`` fixed), so that a
before/after pair run in one go, e.g.

    PYTHONPATH=<old checkout> .venv/bin/python benchmarks/bench_report.py
    PYTHONPATH=.              .venv/bin/python benchmarks/bench_report.py

shows the speed-up and that the files are byte for byte the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from pathlib import Path


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parent.parent / "data" / "shangjie"))
    parser.add_argument("--period", default="2025")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

    import innolib
    from innolib.export import write_report
    from innolib.indicators import compute_indicators
    from innolib.load import load_package
    from innolib.narrative import write_narrative
    from innolib.periods import parse_period

    package, period = load_package(args.data), parse_period(args.period)
    result = compute_indicators(package, period)
    out = Path(tempfile.mkdtemp())
    figures = {
        "compute_indicators": best_of(args.repeat, lambda: compute_indicators(package, period)),
        "write_narrative": best_of(
            args.repeat, lambda: write_narrative(package, period, indicators=result)
        ),
        "write_report": best_of(
            args.repeat, lambda: write_report(package, period, out, indicators=result)
        ),
    }
    print(f"innolib at {Path(innolib.__file__).parent.parent}")
    for name, seconds in figures.items():
        print(f"  {name:<20} best of {args.repeat}: {seconds:6.2f} s")
    for name in ("bulletin.docx", "bulletin.md"):
        digest = hashlib.sha256((out / name).read_bytes()).hexdigest()[:16]
        print(f"  {name:<20} sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
