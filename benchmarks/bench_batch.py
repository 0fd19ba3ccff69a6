"""Benchmark (1): `innolib run` against the naive loop of plain `papermill` CLI calls.

Both run the per-district notebooks of notebooks/ (not 04_comparisons, which runs once over
all packages) for data/shangjie over 2021..2025 (20 runs), each
into an empty output folder, back to back on the same machine. The naive loop is what an
analyst would write by hand: one `papermill` process per (notebook, period), sequential,
ordinary kernels, no HTML. The batch also renders the offline HTML, the manifests and the
index. The load cache (Parquet, keyed by the input files' hashes) is warmed first by
`innolib validate`, so neither side pays for parsing the CSV files: said in the output.

The batch is timed once per kernel kind (``--kernels fork,plain``): kernels forked from a
pre-imported zygote by the ``innolib-fork`` provisioner, and ordinary kernels
(``INNOLIB_KERNELS=plain``), so both sides of the kernel speed-up come from one run.

Run from the repository root:  .venv/bin/python benchmarks/bench_batch.py [--periods 2021..2025]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _naive(data: Path, periods: list[str], notebooks: list[Path], out: Path) -> float:
    started = time.perf_counter()
    for period in periods:
        folder = out / period
        folder.mkdir(parents=True)
        for notebook in notebooks:
            subprocess.run(
                [
                    str(BIN / "papermill"),
                    str(notebook),
                    str(folder / notebook.name),
                    "-k",
                    "python3",
                    "--cwd",
                    str(notebook.parent),
                    "-p",
                    "data",
                    str(data),
                    "-r",  # raw: the CLI would read -p period 2021 as the integer 2021
                    "period",
                    period,
                    "-p",
                    "out",
                    str(folder),
                    "--no-progress-bar",
                    "--log-level",
                    "ERROR",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    return time.perf_counter() - started


def _batch(
    data: Path,
    period_range: str,
    notebooks: list[Path],
    out: Path,
    jobs: int | None,
    kernels: str = "fork",
) -> float:
    command = [
        str(BIN / "innolib"),
        "run",
        "--data",
        str(data),
        "--period",
        period_range,
        "--out",
        str(out),
        "--quiet",
    ]
    for notebook in notebooks:  # the same notebooks as the naive loop
        command += ["--notebook", notebook.stem]
    if jobs:
        command += ["--jobs", str(jobs)]
    env = dict(os.environ, INNOLIB_KERNELS=kernels)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "shangjie")
    parser.add_argument("--periods", default="2021..2025")
    parser.add_argument("--jobs", type=int, default=None, help="batch parallelism (default: cores)")
    parser.add_argument(
        "--kernels",
        default="fork,plain",
        help="batch kernel kinds to time, comma-separated: fork (the innolib-fork provisioner), "
        "plain (ordinary kernels); default both",
    )
    parser.add_argument("--skip-naive", action="store_true", help="time the batch only")
    args = parser.parse_args()
    from innolib.periods import parse_periods

    data = args.data.resolve()
    periods = [p.label for p in parse_periods(args.periods)]
    notebooks = sorted(
        p for p in (ROOT / "notebooks").glob("*.ipynb") if not p.stem.startswith("04_comparisons")
    )
    runs = len(periods) * len(notebooks)
    os.environ.setdefault("MPLBACKEND", "Agg")
    subprocess.run(
        [str(BIN / "innolib"), "validate", str(data)], check=True, stdout=subprocess.DEVNULL
    )
    kinds = [k.strip() for k in args.kernels.split(",") if k.strip()]
    batch: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="innolib-bench-") as tmp:
        for kind in kinds:
            out = Path(tmp) / f"batch-{kind}"
            batch[kind] = _batch(data, args.periods, notebooks, out, args.jobs, kind)
        naive = None if args.skip_naive else _naive(data, periods, notebooks, Path(tmp) / "naive")
    print(
        f"runs: {runs} ({len(notebooks)} notebooks × {len(periods)} periods), {os.cpu_count()} cores, "
        f"load cache warm for both"
    )
    for kind, seconds in batch.items():
        print(
            f"innolib run, {kind + ' kernels':13} (parallel, HTML, manifests, index): "
            f"{seconds:7.1f} s  ({seconds / runs:.2f} s/run)"
        )
    if naive is not None:
        print(
            f"naive papermill CLI loop (sequential, no HTML):{'':17}"
            f"{naive:7.1f} s  ({naive / runs:.2f} s/run)"
        )
        for kind, seconds in batch.items():
            print(f"speed-up, {kind} kernels: {naive / seconds:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
