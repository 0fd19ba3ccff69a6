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
``--repeat N`` times each side N times, alternating, and reports medians (the naive loop
runs once, in the middle): on a shared machine the load changes within minutes.
``--before REF`` also times the batch (forked kernels) of an older commit, checked out in
a temporary git worktree and run with this environment (``PYTHONPATH``), so a speed-up's
before and after come from one run too.

**Same results.** After timing, the script compares every batch with the naive loop:
each executed notebook's text outputs (streams, and the text/plain, text/markdown and
text/html of displays and results; not images, which carry PNG bytes) and the exported
text files both write (``bulletin.md``, ``indicators.csv``, ``indicators.json`` and the
other ``.md``/``.csv``/``.json``/``.txt`` files, the manifest left out). Any difference is
listed and the script exits 1.

Run from the repository root:  .venv/bin/python benchmarks/bench_batch.py [--periods 2021..2025]
"""

from __future__ import annotations

import argparse
import os
import statistics
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
    code: Path | None = None,
) -> float:
    """Times ``innolib run``; ``code``: an older checkout whose innolib (and notebooks) to use."""
    command = [
        str(BIN / "python"),
        "-m",
        "innolib.cli",
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
        command += ["--notebook", str((code or ROOT) / "notebooks" / notebook.name)]
    if jobs:
        command += ["--jobs", str(jobs)]
    env = dict(os.environ, INNOLIB_KERNELS=kernels)
    if code is not None:  # the zygote and the kernels inherit it
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=str(code or ROOT))
    return time.perf_counter() - started


def _text_outputs(path: Path) -> list:
    """A notebook's outputs as text: streams, text/* of displays and results, errors."""
    import nbformat

    found = []
    for k, cell in enumerate(nbformat.read(str(path), as_version=4).cells):
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "stream":
                found.append((k, kind, output["name"], output["text"]))
            elif kind in ("display_data", "execute_result"):
                texts = {m: v for m, v in output["data"].items() if m.startswith("text/")}
                found.append((k, kind, sorted(texts.items())))
            elif kind == "error":
                found.append((k, kind, output["ename"], output["evalue"]))
    return found


_TEXT_FILES = (".md", ".csv", ".json", ".txt")


def differences(batch_period: Path, naive_period: Path, notebooks: list[Path]) -> list[str]:
    """What differs between a batch's period folder and the naive loop's (texts only)."""
    from itertools import zip_longest

    found = []
    for notebook in notebooks:
        pairs = zip_longest(
            _text_outputs(batch_period / "internal" / notebook.name),
            _text_outputs(naive_period / notebook.name),
        )
        first = next(((a, b) for a, b in pairs if a != b), None)
        if first is not None:
            found.append(
                f"{batch_period.name}/{notebook.name}: {first[0]!s:.300} != {first[1]!s:.300}"
            )
    ours, theirs = _text_files(batch_period), _text_files(naive_period)
    for name in sorted(ours.keys() & theirs.keys()):
        if ours[name].read_bytes() != theirs[name].read_bytes():
            found.append(f"{batch_period.name}/{name}: the exported files differ")
    return found


def _text_files(period: Path) -> dict[str, Path]:
    """A period folder's exported text files by name (``internal/`` or not; no manifest)."""
    return {
        p.relative_to(period).as_posix().removeprefix("internal/"): p
        for p in period.rglob("*")
        if p.suffix in _TEXT_FILES and p.name != "manifest.json"
    }


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
    parser.add_argument(
        "--before", help="also time the batch (forked kernels) of this git ref, in one run"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time each batch this many times, the sides alternating, and report medians "
        "(the naive loop runs once, in the middle)",
    )
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
    times: dict[str, list[float]] = {}
    problems: list[str] = []
    naive = None
    loads = [_load_average()]
    with tempfile.TemporaryDirectory(prefix="innolib-bench-") as tmp:
        trees = {kind: None for kind in kinds}
        if args.before:
            tree = Path(tmp) / "before"
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.before],
                check=True,
                capture_output=True,
            )
            # its own load cache warmed too (the key holds the loader's code)
            subprocess.run(
                [str(BIN / "python"), "-m", "innolib.cli", "validate", str(data)],
                check=True,
                stdout=subprocess.DEVNULL,
                env=dict(os.environ, PYTHONPATH=str(tree)),
                cwd=str(tree),
            )
            trees = {f"before ({args.before})": tree, **trees}
        try:
            for repeat in range(args.repeat):  # the sides alternate: the same load for each
                for label, tree in trees.items():
                    out = Path(tmp) / f"batch-{len(times.get(label, []))}-{label.split()[0]}"
                    kind = "fork" if tree is not None else label
                    seconds = _batch(data, args.periods, notebooks, out, args.jobs, kind, tree)
                    times.setdefault(label, []).append(seconds)
                    loads.append(_load_average())
                if repeat == args.repeat // 2 and not args.skip_naive:
                    naive = _naive(data, periods, notebooks, Path(tmp) / "naive")
                    loads.append(_load_average())
        finally:
            if args.before:
                subprocess.run(
                    [
                        "git",
                        "-C",
                        str(ROOT),
                        "worktree",
                        "remove",
                        "--force",
                        str(Path(tmp) / "before"),
                    ],
                    check=False,
                    capture_output=True,
                )
        if naive is not None:
            for kind in kinds:
                for period in periods:
                    problems += differences(
                        Path(tmp) / f"batch-0-{kind}" / data.name / period,
                        Path(tmp) / "naive" / period,
                        notebooks,
                    )
    print(
        f"runs: {runs} ({len(notebooks)} notebooks × {len(periods)} periods), {os.cpu_count()} cores, "
        f"load cache warm for both; load average (1 min) from {min(loads):.1f} to {max(loads):.1f}"
    )
    batch = {label: statistics.median(values) for label, values in times.items()}
    for label, seconds in batch.items():
        each = ", ".join(f"{v:.1f}" for v in times[label])
        print(
            f"innolib run, {label + ' kernels':13} (parallel, HTML, manifests, index): "
            f"{seconds:7.1f} s  ({seconds / runs:.2f} s/run)"
            + (f"  median of {each}" if len(times[label]) > 1 else "")
        )
    if naive is not None:
        print(
            f"naive papermill CLI loop (sequential, no HTML):{'':17}"
            f"{naive:7.1f} s  ({naive / runs:.2f} s/run)"
        )
        for label, seconds in batch.items():
            print(f"speed-up, {label} kernels: {naive / seconds:.2f}×")
        print(
            "same texts as the naive loop (notebook outputs, exported files): "
            + ("yes" if not problems else f"NO, {len(problems)} differences")
        )
        for problem in problems:
            print("  " + problem)
    return 1 if problems else 0


def _load_average() -> float:
    return os.getloadavg()[0]


if __name__ == "__main__":
    sys.exit(main())
