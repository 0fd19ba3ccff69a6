"""The papermill batch: every (district, period, notebook) run, in parallel, into ``outputs/``.

``run_batch`` plans the runs, executes each one with papermill (kernel ``python3``) on a
local process pool or a ``dask.distributed`` cluster, renders every executed notebook to
offline HTML (code hidden, no CDN scripts, figures inline as PNG data), writes ``manifest.json`` per
(district, period) and rebuilds ``outputs/index.html`` from every manifest on disk.

Atomicity: each (district, period) is written to ``out/.tmp-<district>-<period>-<random>/``
and only moved to ``out/<district>/<period>/`` when all its runs are done, so a killed
batch never leaves a period that looks finished and two batches into the same ``out/``
never mix files (the later one replaces the earlier one's folder as a whole).

One failing run does not stop the others: its executed notebook (with the traceback) and
HTML are still written, the manifest and the index carry its error message, and
``BatchSummary.ok`` is False (the CLI exits 1).

Kernels: each run gets a fresh ipykernel, forked from a per-worker process that has
already imported ipykernel, pandas, matplotlib, seaborn and innolib (``innolib.forkkernel``),
which removes most of papermill's per-run cost; ``INNOLIB_KERNELS=plain`` starts ordinary
kernels instead (same outputs, slower).

Parameters passed to every notebook: ``data`` (absolute path of the package, or a list of
them for ``04_comparisons``), ``period``, ``lang``, ``lenient`` and ``out = "."``; the kernel
runs with the run folder as its working directory, so exports and ``figures/`` land in the
period's folder and the executed notebooks do not depend on where the folder was built
(a run on a dask worker gives the same notebook as a local run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from innolib.errors import InnolibError, UsageError

#: notebooks that run once per period over every package (not per district)
CROSS_PACKAGE_PREFIX = "04_comparisons"
#: the folder under ``out/`` for cross-package runs
CROSS_PACKAGE_ID = "comparisons"
KERNEL_NAME = "python3"
#: what 00_bulletin writes, linked from its row in the index
_EXPORTS = ("bulletin.docx", "bulletin.md", "indicators.csv", "indicators.json")
_TEMPLATES = Path(__file__).parent / "templates" / "batch"
#: the kernel logs only errors (ipykernel warns about TCP transport on every start)
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: the annual census whose latest year is a package's latest full year
_CENSUS_TABLE = "rd_survey"


@dataclass(frozen=True)
class RunSpec:
    """One notebook run: which notebook, for which group folder, with which parameters."""

    district: str  # names out/<district>/ ("comparisons" for cross-package runs)
    period: str
    notebook: str  # absolute path of the source notebook
    parameters: dict[str, Any]

    @property
    def name(self) -> str:
        return Path(self.notebook).stem


@dataclass
class RunResult:
    """What one run produced: status ('ok' or 'failed'), times, error message, output files."""

    district: str
    period: str
    notebook: str
    status: str
    started: str
    finished: str
    seconds: float
    error: str = ""
    outputs: dict[str, str] = field(default_factory=dict)  # kind -> path relative to out/

    @property
    def ok(self) -> bool:
        return self.status == "ok"


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


@dataclass
class _Group:
    """The runs of one (district, period) folder and what its manifest needs."""

    district: str
    period: str
    specs: list[RunSpec]
    tmp: Path
    package_info: dict[str, Any]
    results: list[RunResult] = field(default_factory=list)
    started: str = ""


# ----------------------------------------------------------------------------- planning


def find_packages(root: Path = Path("data")) -> list[Path]:
    """Every package under ``root``: a folder with ``district.yaml`` or a workbook, or a workbook.

    ``data/reference`` (published statistics, not a district package) and hidden folders
    are skipped.
    """
    if not root.is_dir():
        raise UsageError(f"找不到数据目录：{root}", f"no data folder: {root} (pass --data)")
    found = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "_")) or entry.name == "reference":
            continue
        if (
            entry.is_dir() and ((entry / "district.yaml").exists() or any(entry.glob("*.xlsx")))
        ) or (
            entry.is_file() and entry.suffix.lower() == ".xlsx" and not entry.name.startswith("~$")
        ):
            found.append(entry)
    if not found:
        raise UsageError(f"{root} 下没有数据包", f"no data package under {root} (pass --data)")
    return found


def find_notebooks(names: Iterable[str] | None = None, root: Path | None = None) -> list[Path]:
    """The notebooks to run: the named ones (with or without ``.ipynb``, or paths), else all.

    ``root`` defaults to ``notebooks/`` in the working directory, else the repository's.
    """
    root = root or _notebooks_root()
    if not names:
        found = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
        if not found:
            raise UsageError(f"{root} 下没有笔记本", f"no notebooks in {root}")
        return found
    out = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            out.append(path)
            continue
        candidate = root / (path.name if path.suffix == ".ipynb" else f"{path.name}.ipynb")
        if not candidate.is_file():
            known = ", ".join(p.stem for p in sorted(root.glob("*.ipynb")))
            raise UsageError(
                f"找不到笔记本：{name}", f"no notebook '{name}' in {root} (known: {known})"
            )
        out.append(candidate)
    return out


def _notebooks_root() -> Path:
    here = Path("notebooks")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "notebooks"


def latest_full_year(package: Any) -> str:
    """The default period of a package: its latest full calendar year, as a label.

    The latest year of the R&D census (``rd_survey``, one row per enterprise per full
    year) when the package has it, else the latest year of any event date; a ``cutoff``
    before 31 December of that year moves it back to the last year the cutoff completes.
    """
    years = _data_years(package)
    if not years:
        raise UsageError(
            f"数据包{package.district.id}没有任何日期数据，无法确定默认报告期（请用 --period 指定）",
            f"package {package.district.id} has no dated rows to pick a default period from (pass --period)",
        )
    year = max(years)
    cutoff = package.district.cutoff
    if cutoff is not None and cutoff < dt.date(year, 12, 31):
        year = cutoff.year if (cutoff.month, cutoff.day) == (12, 31) else cutoff.year - 1
    return str(year)


def _data_years(package: Any) -> set[int]:
    from innolib.tables import DATE, TABLES

    if package.has(_CENSUS_TABLE) and len(package[_CENSUS_TABLE]):
        return {int(y) for y in package[_CENSUS_TABLE]["year"].dropna().unique()}
    years: set[int] = set()
    for table_id, frame in package.tables.items():
        for col in TABLES[table_id].columns:
            if col.type == DATE and col.required and col.id in frame.columns:
                years.update(int(y) for y in frame[col.id].dropna().dt.year.unique())
    return years


def _package_info(path: Path, lenient: bool) -> dict[str, Any]:
    """Loads a package once for the manifest (district, file hashes, row accounting).

    A package that fails to load is still described (its files hashed, the error kept);
    its notebooks run anyway and fail with the loader's message.
    """
    info: dict[str, Any] = {
        "path": str(path.resolve()),
        "id": path.stem if path.is_file() else path.name,
        "district": None,
        "files": {},
        "rows": None,
        "error": "",
        "package": None,
    }
    try:
        from innolib.load import load_package

        package = load_package(path, lenient=lenient)
    except InnolibError as error:
        info["error"] = str(error)
        report = getattr(error, "report", None)
        info["error_detail"] = _problem_lines(report)
        info["rows"] = _report_document(report)
        info["files"] = _hash_files(path)
        return info
    info.update(
        id=package.district.id,
        district=package.district.to_dict(),
        files=dict(package.files),
        rows=_report_document(package.report),
        package=package,
    )
    return info


def _problem_lines(report: Any, limit: int = 5) -> str:
    """The first problems of a failed load (file, row, column, value, rule), for the index."""
    problems = list(getattr(report, "errors", []) or []) + list(
        getattr(report, "rejects", []) or []
    )
    lines = [p.line() for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"……另有{len(problems) - limit}处 / {len(problems) - limit} more")
    return "\n".join(lines)


def _report_document(report: Any) -> Any:
    """The loader's row accounting as JSON-ready data (whatever form the report offers)."""
    if report is None:
        return None
    for method in ("to_document", "to_dict"):
        if hasattr(report, method):
            return json.loads(
                json.dumps(getattr(report, method)(), ensure_ascii=False, default=str)
            )
    if hasattr(report, "format"):
        return report.format()
    return str(report)


def _hash_files(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def plan_runs(
    packages: list[dict[str, Any]],
    periods: list[str] | None,
    notebooks: list[Path],
    lang: str = "zh",
    lenient: bool = False,
) -> tuple[dict[tuple[str, str], list[RunSpec]], list[RunResult]]:
    """The runs of a batch grouped by (district, period) folder, and the runs that cannot start.

    A package whose default period cannot be found (nothing loadable) gives one failed
    result per notebook instead of runs.
    """
    from innolib.periods import parse_periods

    explicit = [p.label for text in periods for p in parse_periods(text)] if periods else None
    per_package = [nb for nb in notebooks if not nb.stem.startswith(CROSS_PACKAGE_PREFIX)]
    cross = [nb for nb in notebooks if nb.stem.startswith(CROSS_PACKAGE_PREFIX)]
    groups: dict[tuple[str, str], list[RunSpec]] = {}
    unplanned: list[RunResult] = []
    all_periods: list[str] = []
    for info in packages:
        labels = explicit
        if labels is None:
            try:
                labels = (
                    [latest_full_year(info["package"])] if info["package"] is not None else None
                )
            except UsageError as error:
                info["error"] = info["error"] or str(error)
            if labels is None:
                now = _now()
                unplanned += [
                    RunResult(
                        info["id"],
                        "",
                        nb.stem,
                        "failed",
                        now,
                        now,
                        0.0,
                        error=info["error"] or "no default period",
                    )
                    for nb in notebooks
                ]
                continue
        for label in labels:
            if label not in all_periods:
                all_periods.append(label)
            params = {
                "data": info["path"],
                "period": label,
                "lang": lang,
                "lenient": lenient,
                "out": ".",
            }
            for nb in per_package:
                groups.setdefault((info["id"], label), []).append(
                    RunSpec(info["id"], label, str(nb.resolve()), dict(params))
                )
    if cross and packages:
        data = [info["path"] for info in packages]
        for label in all_periods:
            params = {"data": data, "period": label, "lang": lang, "lenient": lenient, "out": "."}
            for nb in cross:
                groups.setdefault((CROSS_PACKAGE_ID, label), []).append(
                    RunSpec(CROSS_PACKAGE_ID, label, str(nb.resolve()), dict(params))
                )
    return groups, unplanned


# ----------------------------------------------------------------------------- one run


def execute_run(spec: RunSpec, run_dir: str) -> RunResult:
    """Executes one notebook with papermill into ``run_dir`` and renders its HTML.

    The kernel's working directory is ``run_dir`` (the notebook's ``out = "."`` writes
    there). Never raises for a failing notebook: the result says ``failed`` with the
    notebook's error (``ExceptionName: message``), and the executed copy keeps the traceback.
    """
    import papermill as pm

    folder = Path(run_dir)
    folder.mkdir(parents=True, exist_ok=True)
    executed = folder / f"{spec.name}.ipynb"
    started, t0 = _now(), time.perf_counter()
    status, error = "ok", ""
    try:
        pm.execute_notebook(
            spec.notebook,
            str(executed),
            parameters=spec.parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(folder),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            extra_arguments=_KERNEL_ARGUMENTS,
            **_kernel_options(),
        )
    except pm.PapermillExecutionError as failure:
        status, error = "failed", f"{failure.ename}: {_ANSI.sub('', str(failure.evalue))}"
    except (
        Exception
    ) as failure:  # kernel died, missing kernel, unreadable notebook: still one run's failure
        status, error = "failed", f"{type(failure).__name__}: {_ANSI.sub('', str(failure))}"
    outputs = {}
    if executed.exists():
        outputs["ipynb"] = executed.name
        try:
            html = folder / f"{spec.name}.html"
            html.write_text(notebook_html(executed), encoding="utf-8")
            outputs["html"] = html.name
        except Exception as failure:  # an unrenderable notebook fails the run, not the batch
            status = "failed"
            error = error or f"HTML: {type(failure).__name__}: {failure}"
    return RunResult(
        spec.district,
        spec.period,
        spec.name,
        status,
        started,
        _now(),
        round(time.perf_counter() - t0, 3),
        error,
        outputs,
    )


def _kernel_options() -> dict[str, Any]:
    """Forked kernels (``innolib.forkkernel``) unless ``INNOLIB_KERNELS=plain`` or not on Linux.

    On Linux both kinds talk over Unix sockets (``IPCKernelManager``): parallel runs
    cannot be handed the same TCP port.
    """
    from innolib import forkkernel

    if not forkkernel.available():
        return {}
    if os.environ.get("INNOLIB_KERNELS", "fork") == "plain":
        return {"kernel_manager_class": forkkernel.IPCKernelManager}
    return {"kernel_manager_class": forkkernel.ForkKernelManager}


def execute_run_remote(spec: RunSpec) -> tuple[RunResult, dict[str, bytes]]:
    """``execute_run`` on a dask worker: runs in a private temporary folder, returns the files.

    The client writes the returned files into the group's folder, so workers need the
    same environment and the data at the same path, but no access to ``out/``.
    """
    with tempfile.TemporaryDirectory(prefix="innolib-run-") as tmp:
        result = execute_run(spec, tmp)
        files = {
            str(p.relative_to(tmp)): p.read_bytes()
            for p in sorted(Path(tmp).rglob("*"))
            if p.is_file()
        }
    return result, files


_EXPORTER = None


def notebook_html(path: Path) -> str:
    """Offline HTML of an executed notebook: code hidden, figures inline (PNG data URIs), no CDN scripts.

    Uses nbconvert's ``lab`` template through ``templates/batch/offline.html.j2``, which
    drops the require.js, MathJax, mermaid and widget script tags (the reports need none).
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    body, _ = _exporter().from_notebook_node(
        nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}}
    )
    return body


def _exporter() -> Any:
    """The HTML exporter, built once per process (loading the templates and CSS takes a while)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(
            template_name="lab",
            extra_template_paths=[str(_TEMPLATES)],
            template_file="offline.html.j2",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return _EXPORTER


def _warm_worker() -> None:
    """Pool initializer: start the kernel zygote and build the HTML exporter before the first run.

    A failure here is not fatal: the first run meets the same problem and reports it.
    """
    try:
        import papermill  # noqa: F401 - imported here so that the first run does not pay for it

        if _kernel_options():
            from innolib import forkkernel

            forkkernel.zygote()
        _exporter()
    except Exception:  # pragma: no cover - reported by the run that needs the part that failed
        pass


# ----------------------------------------------------------------------------- the batch


def run_batch(
    data: list[Path | str] | None = None,
    periods: list[str] | None = None,
    notebooks: list[str] | None = None,
    out: Path = Path("outputs"),
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
    paths = [Path(p) for p in data] if data else find_packages()
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到数据包或文件：{path}", f"no such data package or file: {path}")
    nb_paths = find_notebooks(notebooks)
    jobs = max(1, jobs or os.cpu_count() or 1)
    infos = [_package_info(path, lenient) for path in paths]
    planned, unplanned = plan_runs(infos, periods, nb_paths, lang=lang, lenient=lenient)
    by_id = {info["id"]: info for info in infos}
    out.mkdir(parents=True, exist_ok=True)
    groups = {}
    for (district, period), specs in planned.items():
        info = by_id.get(district) or {"cross": [by_id[i] for i in by_id]}
        tmp = out / f".tmp-{district}-{period}-{secrets.token_hex(4)}"
        tmp.mkdir()
        groups[(district, period)] = _Group(district, period, specs, tmp, info, started=_now())
    results: list[RunResult] = list(unplanned)
    total = sum(len(g.specs) for g in groups.values())
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="innolib run", unit="run", disable=not progress, leave=True)
    try:
        runner = _run_dask if scheduler else _run_local
        for group, result in runner(groups, jobs, scheduler):
            detail = group.package_info.get("error_detail")
            if result.status != "ok" and detail and detail not in result.error:
                result.error = (
                    f"{result.error}\n{detail}"  # the loader's problems: file, row, column, value
                )
            group.results.append(result)
            results.append(result)
            bar.update(1)
            if result.status != "ok":
                bar.write(f"✗ {result.district}/{result.period}/{result.notebook}: {result.error}")
            if len(group.results) == len(group.specs):
                _finish_group(group, out, executor="dask" if scheduler else "local")
    finally:
        bar.close()
        for group in groups.values():  # a batch stopped by an error leaves no temporary folder
            if group.tmp.exists():
                shutil.rmtree(group.tmp, ignore_errors=True)
    results.sort(key=lambda r: (r.district, r.period, r.notebook))
    index = write_index(out, extra=[r for r in results if not r.period])
    return BatchSummary(results, out, index, round(time.perf_counter() - t0, 3))


def _run_local(groups: dict, jobs: int, scheduler: str | None):
    """Yields (group, result) as runs finish on a local process pool."""
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_worker) as pool:
        futures: dict[Future, _Group] = {}
        for group in groups.values():  # group by group, so finished periods move into place early
            for spec in group.specs:
                futures[pool.submit(execute_run, spec, str(group.tmp.resolve()))] = group
        for future in as_completed(futures):
            group = futures[future]
            yield group, _result_of(future, group)


def _result_of(future: Future, group: _Group) -> RunResult:
    try:
        return future.result()
    except Exception as failure:  # a worker process died: that run failed, the batch goes on
        now = _now()
        return RunResult(
            group.district,
            group.period,
            "?",
            "failed",
            now,
            now,
            0.0,
            f"{type(failure).__name__}: {failure}",
        )


def _run_dask(groups: dict, jobs: int, scheduler: str):
    """Yields (group, result) as runs finish on a dask.distributed cluster."""
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = {}
        for group in groups.values():
            for spec in group.specs:
                futures[client.submit(execute_run_remote, spec, pure=False)] = (group, spec)
        for future in dask_completed(list(futures)):
            group, spec = futures[future]
            try:
                result, files = future.result()
            except Exception as failure:
                now = _now()
                result, files = (
                    RunResult(
                        spec.district,
                        spec.period,
                        spec.name,
                        "failed",
                        now,
                        now,
                        0.0,
                        f"{type(failure).__name__}: {failure}",
                    ),
                    {},
                )
            for rel, content in files.items():
                target = group.tmp / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            yield group, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _finish_group(group: _Group, out: Path, executor: str) -> Path:
    """Writes the group's manifest and moves its folder into ``out/<district>/<period>/``."""
    group.results.sort(key=lambda r: r.notebook)
    final = out / group.district / group.period
    prefix = f"{group.district}/{group.period}/"
    for result in group.results:
        result.outputs = {kind: prefix + rel for kind, rel in result.outputs.items()}
    _write_rejects(group)
    manifest = _manifest(group, executor)
    (group.tmp / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    final.parent.mkdir(parents=True, exist_ok=True)
    _move_into_place(group.tmp, final, out / f".old-{group.district}-{group.period}")
    return final


def _move_into_place(tmp: Path, final: Path, old_prefix: Path, attempts: int = 5) -> None:
    """Renames ``tmp`` to ``final``, first renaming an existing ``final`` away (then deleted).

    Another batch may move its own folder in between the two renames (rename onto a
    non-empty folder fails): then its folder is moved away too and the rename retried;
    the last batch to finish wins, and no folder ever holds files of two batches.
    """
    olds = []
    try:
        for attempt in range(attempts):
            if final.exists():
                old = Path(f"{old_prefix}-{secrets.token_hex(4)}")
                try:
                    os.replace(final, old)
                    olds.append(old)
                except FileNotFoundError:  # the other batch moved it first
                    pass
            try:
                os.replace(tmp, final)
                return
            except OSError:
                if attempt == attempts - 1:
                    raise
    finally:
        for old in olds:
            shutil.rmtree(old, ignore_errors=True)


def _write_rejects(group: _Group) -> None:
    """Lenient runs: the rows the loader left out, one CSV per table under ``rejects/``."""
    package = group.package_info.get("package")
    if package is None or package.report is None or not group.specs[0].parameters.get("lenient"):
        return
    rejects = package.report.rejects_frame()
    if rejects.empty:
        return
    folder = group.tmp / "rejects"
    folder.mkdir(exist_ok=True)
    for table_id, rows in rejects.groupby("table", sort=True):
        rows.to_csv(folder / f"{table_id}.csv", index=False, encoding="utf-8-sig")


def _manifest(group: _Group, executor: str) -> dict[str, Any]:
    import innolib

    info = group.package_info
    sources = info.get("cross", [info])
    packages = [
        {
            "id": s["id"],
            "path": s["path"],
            "district": s["district"],
            "files": s["files"],
            "rows": s["rows"],
            "load_error": s["error"],
        }
        for s in sources
    ]
    first = group.specs[0].parameters
    return {
        "district": group.district,
        "period": group.period,
        "status": "ok" if all(r.ok for r in group.results) else "failed",
        "started": group.started,
        "finished": _now(),
        "parameters": {k: v for k, v in first.items() if k != "out"},
        "innolib_version": innolib.__version__,
        "python": platform.python_version(),
        "kernel": KERNEL_NAME,
        "executor": executor,
        "packages": packages,
        "runs": [asdict(r) for r in group.results],
        "files": sorted(str(p.relative_to(group.tmp)) for p in group.tmp.rglob("*") if p.is_file()),
    }


def write_index(out: Path, extra: list[RunResult] | None = None) -> Path:
    """Rebuilds ``out/index.html`` from every ``manifest.json`` under ``out/`` (atomically).

    Lists each run: district, period, notebook, status, time, links to the HTML and the
    executed notebook, and the error message of a failed run. ``extra`` adds runs that
    never got a folder (a package with no loadable period).
    """
    import jinja2

    rows = []
    for manifest_path in sorted(out.glob("*/*/manifest.json")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        folder = manifest_path.parent
        exports = [name for name in _EXPORTS if (folder / name).exists()]
        for run in manifest["runs"]:
            rows.append(
                dict(
                    run,
                    manifest=str(manifest_path.relative_to(out)),
                    exports=[f"{folder.relative_to(out)}/{name}" for name in exports]
                    if run["notebook"].startswith("00_bulletin")
                    else [],
                )
            )
    rows += [dict(asdict(r), manifest="", exports=[]) for r in extra or []]
    rows.sort(key=lambda r: (r["district"], r["period"], r["notebook"]))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True)
    html = env.get_template("index.html.j2").render(
        runs=rows, failed=sum(r["status"] != "ok" for r in rows), generated=_now()
    )
    index = out / "index.html"
    tmp = out / f".index-{secrets.token_hex(4)}.html"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, index)
    return index


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
