"""Speed of the synthetic generator: ``python benchmarks/bench_synth.py [--scale 100] [--scale 1000]``.

Runs ``innolib synth OUT --scale K`` in a child process for each ``--scale`` (default
100; add ``--scale 1000`` for the national-size package, about 480,000 enterprises and
900,000 contracts a year, ~1.5 minutes), into a temporary folder deleted afterwards, and
prints wall time, the child's CPU time (user + system), its peak resident memory
(``ru_maxrss`` of the finished child), the rows written and the size on disk.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _run(scale: float) -> None:
    with tempfile.TemporaryDirectory(prefix="innolib-synth-") as tmp:
        out = Path(tmp) / f"shangjie-x{scale:g}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "innolib"), "synth", str(out), "--scale", f"{scale:g}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        files = [p for p in out.iterdir() if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        rows = _rows(out)
        print(
            f"scale {scale:g}: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {after.ru_maxrss / 1024:.0f} MB "
            f"(largest child so far), {rows:,} rows in {len(files)} files, {size / 1e6:.1f} MB"
        )


def _rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    parquet = list(folder.glob("*.parquet"))
    if parquet:
        return sum(pq.ParquetFile(p).metadata.num_rows for p in parquet)
    return sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in folder.glob("*.csv"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, action="append", help="population multiplier (repeatable)"
    )
    args = parser.parse_args()
    for scale in args.scale or [100.0]:
        _run(scale)


if __name__ == "__main__":
    main()
