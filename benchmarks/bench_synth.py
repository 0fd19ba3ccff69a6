"""Speed of the synthetic generator: ``python benchmarks/bench_synth.py [--scale 100] [--against REV]``.

Generates the shangjie package at each ``--scale`` (default 100; add ``--scale 1000`` for
the national-size package, about 480,000 enterprises and 900,000 contracts a year) in a
child process, into a temporary folder deleted afterwards, and prints wall time, the
child's CPU time (user + system), its peak resident memory (``ru_maxrss`` of the child),
the rows written and the size on disk.

``--against REV`` (a git revision, e.g. ``main`` or a commit) also runs that revision's
generator, exported with ``git archive`` into a temporary folder, in the same run and
alternating with the working tree's (``--repeat`` rounds), and says whether the two
packages are byte-identical: a before/after of a change to ``innolib/synth`` in one run.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = (
    "import sys; from innolib.synth import generate; "
    "generate(sys.argv[1], scale=float(sys.argv[2]), fmt=sys.argv[3])"
)


def _generate(tree: Path, out: Path, scale: float, fmt: str) -> tuple[float, float, float]:
    """Wall s, CPU s and peak RSS MB of one generation by the ``innolib`` found in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _CHILD, str(out), f"{scale:g}", fmt],
        check=True,
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def _rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    parquet = list(folder.glob("*.parquet"))
    if parquet:
        return sum(pq.ParquetFile(p).metadata.num_rows for p in parquet)
    return sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in folder.glob("*.csv"))


def _identical(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def _export(rev: str, into: Path) -> Path:
    """The ``innolib`` package of git revision ``rev``, unpacked under ``into``."""
    archive = into / "rev.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", rev, "innolib"], cwd=ROOT, check=True, stdout=f)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def _report(label: str, runs: list[tuple[float, float, float]], out: Path) -> None:
    best = min(runs)
    files = [p for p in out.iterdir() if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    walls = ", ".join(f"{w:.1f}" for w, _, _ in runs)
    print(
        f"  {label:<8} wall {best[0]:.1f} s (best of {walls}), CPU {best[1]:.1f} s, "
        f"peak RSS {best[2]:.0f} MB (largest child so far), "
        f"{_rows(out):,} rows in {len(files)} files, {size / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, action="append", help="population multiplier (repeatable)"
    )
    parser.add_argument("--against", metavar="REV", help="also time this git revision")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per tree (best is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="innolib-synth-") as tmp:
        trees = {"now": ROOT}
        if args.against:
            trees = {args.against: _export(args.against, Path(tmp)), "now": ROOT}
        for scale in args.scale or [100.0]:
            fmt = "parquet" if scale > 10 else "csv"
            print(f"scale {scale:g} ({fmt}):")
            runs: dict[str, list] = {label: [] for label in trees}
            outs = {label: Path(tmp) / f"{i}-x{scale:g}" for i, label in enumerate(trees)}
            for _ in range(max(1, args.repeat)):
                for label, tree in trees.items():  # alternating: load drifts hit both alike
                    runs[label].append(_generate(tree, outs[label], scale, fmt))
            for label in trees:
                _report(label, runs[label], outs[label])
            if args.against:
                same = _identical(*outs.values())
                print(f"  packages byte-identical: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
