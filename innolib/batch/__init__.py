"""The papermill batch: every (district, period, notebook) run, in parallel, into ``outputs/`` (``innolib.outputs.DEFAULT_OUT``).

``run_batch`` plans the runs, executes each one with papermill (kernel ``python3``) on a
local process pool or a ``dask.distributed`` cluster, renders every executed notebook to
offline HTML (code hidden, no CDN scripts, figures inline as PNG data), writes ``manifest.json`` per
(district, period) and rebuilds ``outputs/index.html`` from every manifest on disk.

Atomicity: each (district, period) is written to a staging folder ``out/.tmp-<run>-<n>/``
and only moved to ``out/<district>/<period>/`` when all its runs are done, so a killed
batch never leaves a period that looks finished and two batches into the same ``out/``
never mix files (the later one replaces the earlier one's folder as a whole). A batch
leaves nothing behind: on SIGINT/SIGTERM it stops its workers and removes its staging
folders; killed outright, its workers, kernel zygotes and kernels end with it
(``innolib.lifeline``) and the next batch into ``out/`` removes the staging folders that
no live batch holds (``innolib.batch.staging``). Every output path is checked to lie
inside ``out/`` (``innolib.outputs.inside``).

One failing run does not stop the others: its executed notebook (with the traceback) and
HTML are still written, the manifest and the index carry its error message, and
``BatchSummary.ok`` is False (the CLI exits 1).

Kernels: each run gets a fresh ipykernel, forked from a per-worker process that has
already imported ipykernel, pandas, matplotlib, seaborn and innolib (the ``innolib-fork``
kernel provisioner of ``innolib.forkkernel``),
which removes most of papermill's per-run cost; ``INNOLIB_KERNELS=plain`` starts ordinary
kernels instead (same outputs, slower).

Parameters passed to every notebook: ``data`` (absolute path of the package, or a list of
them for ``04_comparisons``), ``period``, ``lang``, ``lenient`` and ``out = "."``; the kernel
runs with the run folder as its working directory, so exports and ``figures/`` land in the
period's folder and the executed notebooks do not depend on where the folder was built
(a run on a dask worker gives the same notebook as a local run).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from innolib.batch.execute import (
    KERNEL_NAME,
    execute_run,
    execute_run_remote,
    kernel_options,
    notebook_html,
    papermill_options,
    run_dask,
    run_local,
    start_zygote,
    stop_zygote,
)
from innolib.batch.plan import (
    CROSS_PACKAGE_ID,
    CROSS_PACKAGE_PREFIX,
    RunResult,
    RunSpec,
    find_notebooks,
    find_packages,
    latest_full_year,
    package_info,
    plan_runs,
)
from innolib.batch.staging import Staging, finish_group, remove_stale, write_index
from innolib.errors import UsageError
from innolib.outputs import DEFAULT_OUT

__all__ = [
    "CROSS_PACKAGE_ID",
    "CROSS_PACKAGE_PREFIX",
    "KERNEL_NAME",
    "BatchSummary",
    "RunResult",
    "RunSpec",
    "execute_run",
    "execute_run_remote",
    "find_notebooks",
    "find_packages",
    "kernel_options",
    "latest_full_year",
    "notebook_html",
    "papermill_options",
    "plan_runs",
    "run_batch",
    "write_index",
]


@dataclass
class BatchSummary:
    """The outcome of a batch: every run's result, the index path; ``ok`` when all ran."""

    runs: list[RunResult]
    out: Path
    index: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.runs)

    @property
    def failed(self) -> list[RunResult]:
        return [run for run in self.runs if not run.ok]


def run_batch(
    data: list[Path | str] | None = None,
    periods: list[str] | None = None,
    notebooks: list[str] | None = None,
    out: Path = DEFAULT_OUT,
    jobs: int | None = None,
    scheduler: str | None = None,
    lenient: bool = False,
    progress: bool = True,
    lang: str = "zh",
) -> BatchSummary:
    """Runs every (district, period, notebook) and writes ``out/``; returns the summary.

    ``data``: package folders or workbooks (default: every package under ``data/``);
    ``periods``: labels or ranges (``2021..2025``; default: each package's latest full
    year, see ``latest_full_year``); ``notebooks``: names or paths (default: every notebook
    in ``notebooks/``; ``04_comparisons*`` runs once per period over all packages into
    ``out/comparisons/<period>/``); ``jobs``: parallel runs (default: cores);
    ``scheduler``: a dask scheduler address, or ``"local"`` for a LocalCluster.
    """
    t0 = time.perf_counter()
    out = Path(out)
    if periods:  # a bad period is a usage error before anything is loaded
        from innolib.periods import parse_periods

        for text in periods:
            parse_periods(text)
    try:
        return _run_batch(
            data, periods, notebooks, out, jobs, scheduler, lenient, progress, lang, t0
        )
    finally:
        stop_zygote()


def _run_batch(data, periods, notebooks, out, jobs, scheduler, lenient, progress, lang, t0):
    """``run_batch`` once its periods are checked (``run_batch`` ends the zygote after it)."""
    paths = [Path(p) for p in data] if data else find_packages()
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到数据包或文件：{path}", f"no such data package or file: {path}")
    nb_paths = find_notebooks(notebooks)
    if scheduler is None:  # its imports go on while the packages are read and the runs planned
        start_zygote()
    jobs = max(1, jobs or os.cpu_count() or 1)
    infos = [package_info(path, lenient) for path in paths]
    planned, unplanned = plan_runs(infos, periods, nb_paths, lang=lang, lenient=lenient, out=out)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    results: list[RunResult] = list(unplanned)
    with _stopped_by_sigterm(), Staging(out) as staging:
        groups = staging.groups(planned, infos)
        results += _run_groups(groups, jobs, scheduler, out, staging, progress)
        index = write_index(out, extra=[r for r in results if not r.period], staging=staging)
    results.sort(key=lambda r: (r.district, r.period, r.notebook))
    return BatchSummary(results, out, index, round(time.perf_counter() - t0, 3))


def _run_groups(groups, jobs, scheduler, out, staging, progress) -> list[RunResult]:
    """Runs every group's specs on the chosen executor; finished groups move into place."""
    from tqdm.auto import tqdm

    results = []
    total = sum(len(g.specs) for g in groups)
    bar = tqdm(total=total, desc="innolib run", unit="run", disable=not progress, leave=True)
    runner = run_dask if scheduler else run_local
    try:
        for group, result in runner(groups, jobs, scheduler):
            detail = group.package_info.get("error_detail")
            if result.status != "ok" and detail and detail not in result.error:
                # the loader's problems: file, row, column, value
                result.error = f"{result.error}\n{detail}"
            group.results.append(result)
            results.append(result)
            bar.update(1)
            if result.status != "ok":
                bar.write(f"✗ {result.district}/{result.period}/{result.notebook}: {result.error}")
            if len(group.results) == len(group.specs):
                finish_group(group, out, staging, executor="dask" if scheduler else "local")
    finally:
        bar.close()
    return results


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM stops the batch as Ctrl-C does (KeyboardInterrupt): workers stopped, staging removed.

    Only in the main thread (where Python delivers signals); the previous handler is restored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
