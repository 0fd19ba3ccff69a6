"""Executing the runs: one notebook through papermill, its offline HTML, and the executors.

``execute_run`` runs one ``RunSpec`` into a folder and renders its HTML; ``run_local``
(a process pool whose workers keep a kernel zygote and an HTML exporter warm) and
``run_dask`` (a ``dask.distributed`` cluster) yield results as they finish.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from innolib.batch.plan import RunResult, RunSpec, now

KERNEL_NAME = "python3"
#: nbconvert and index templates (innolib/templates/batch/)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "batch"
#: the kernel logs only errors (ipykernel warns about TCP transport on every start) and
#: keeps no input history (a batch kernel has no user to recall it: no SQLite file to open
#: and no history thread to stop at every run)
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: the sub-folder of a period that never circulates (executed notebooks, full pages, run log)
INTERNAL = "internal"
#: cell tags left out of the reader's page: work lists naming enterprises, the analyst's notes
READER_REMOVES = ("internal", "analyst")


def execute_run(spec: RunSpec, run_dir: str) -> RunResult:
    """Executes one notebook with papermill into ``run_dir`` and renders its two HTML pages.

    The kernel's working directory is ``run_dir`` (the notebook's ``out = "."`` writes
    there). The executed notebook and its full HTML go to ``run_dir/internal/``; the
    reader's page (``reader_html``) to ``run_dir`` itself, only for a run that succeeded.
    Never raises for a failing notebook: the result says ``failed`` with the notebook's
    error (``ExceptionName: message``), and the executed copy keeps the traceback.
    """
    import papermill as pm

    folder = Path(run_dir)
    (folder / INTERNAL).mkdir(parents=True, exist_ok=True)
    executed = folder / INTERNAL / f"{spec.name}.ipynb"
    started, t0 = now(), time.perf_counter()
    status, error = "ok", ""
    try:
        pm.execute_notebook(
            spec.notebook,
            str(executed),
            parameters=spec.parameters,
            cwd=str(folder),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            **papermill_options(),
        )
    except pm.PapermillExecutionError as failure:
        status, error = "failed", f"{failure.ename}: {_ANSI.sub('', str(failure.evalue))}"
    except (
        Exception
    ) as failure:  # kernel died, missing kernel, unreadable notebook: still one run's failure
        status, error = "failed", f"{type(failure).__name__}: {_ANSI.sub('', str(failure))}"
    outputs, title = {}, ""
    if executed.exists():
        outputs["ipynb"] = f"{INTERNAL}/{executed.name}"
        try:
            title = notebook_title(executed)
            page = {"title": title, **spec.page}
            internal = folder / INTERNAL / f"{spec.name}.html"
            internal.write_text(notebook_html(executed, page, reader=False), encoding="utf-8")
            outputs["internal_html"] = f"{INTERNAL}/{internal.name}"
            if status == "ok":
                reader = folder / f"{spec.name}.html"
                reader.write_text(notebook_html(executed, page, reader=True), encoding="utf-8")
                outputs["html"] = reader.name
        except Exception as failure:  # an unrenderable notebook fails the run, not the batch
            status = "failed"
            error = error or f"HTML: {type(failure).__name__}: {failure}"
    return RunResult(
        spec.district,
        spec.period,
        spec.name,
        status,
        started,
        now(),
        round(time.perf_counter() - t0, 3),
        error,
        outputs,
        title,
    )


def papermill_options() -> dict[str, Any]:
    """The kernel options of every papermill call of the batch and of ``innolib notebooks``:
    the ``python3`` kernel, quiet, streams gathered, started as ``kernel_options`` says."""
    return {
        "kernel_name": KERNEL_NAME,
        "extra_arguments": _KERNEL_ARGUMENTS,
        # one output per stream and cell, however the kernel's messages were cut
        "coalesce_streams": True,
        **kernel_options(),
    }


def kernel_options() -> dict[str, Any]:
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


_EXPORTERS: dict[bool, Any] = {}


def notebook_html(path: Path, page: dict[str, str] | None = None, reader: bool = False) -> str:
    """Offline HTML of an executed notebook: code hidden, figures inline (PNG data URIs), no CDN scripts.

    ``reader=True``: the page for readers (``templates/batch/reader.html.j2``): cells
    tagged ``internal`` or ``analyst`` are left out (nbconvert's ``TagRemovePreprocessor``),
    and so are error outputs, standard-error text and code cells left with no output; a
    header names the district, the period and the page, with a link back to the index.
    ``reader=False``: the analyst's page (``internal.html.j2``): every cell, under a 内部
    banner. ``page``: ``district``, ``period``, ``title`` and ``index`` (the link back)
    for the header. Both use nbconvert's ``lab`` template through ``offline.html.j2``,
    which drops the require.js, MathJax, mermaid and widget script tags.
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    page = dict(page or {})
    name = " · ".join(x for x in (page.get("district"), page.get("title")) if x) or path.stem
    resources = {
        "metadata": {"name": name, "path": str(path.parent)},
        "language_code": "zh-CN",
        "innolib": page,
    }
    body, _ = _exporter(reader).from_notebook_node(nb, resources=resources)
    return body


def notebook_title(path: Path) -> str:
    """The notebook's title: the text of its first level-1 Markdown heading (else its name)."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def _exporter(reader: bool) -> Any:
    """The reader's or the analyst's HTML exporter, built once per process (templates and
    CSS take a while to load)."""
    if reader not in _EXPORTERS:
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        config = Config()
        if reader:
            config.TagRemovePreprocessor.enabled = True
            config.TagRemovePreprocessor.remove_cell_tags = set(READER_REMOVES)
        exporter = HTMLExporter(
            config=config,
            template_name="lab",
            extra_template_paths=[str(TEMPLATES)],
            template_file="reader.html.j2" if reader else "internal.html.j2",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        if reader:  # after nbconvert's own preprocessors (TagRemovePreprocessor among them)
            exporter.register_preprocessor(_reader_outputs)
        _EXPORTERS[reader] = exporter
    return _EXPORTERS[reader]


def _reader_outputs(nb: Any, resources: dict) -> tuple[Any, dict]:
    """What a reader never sees: error outputs, standard-error text, code cells left empty."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if o.output_type != "error"
                and not (o.output_type == "stream" and o.get("name") == "stderr")
            ]
            if not cell.outputs:
                continue
        cells.append(cell)
    nb.cells = cells
    return nb, resources


def _warm_worker(batch_pid: int) -> None:
    """Pool initializer: ties the worker's life to the batch's, then starts the kernel zygote
    and builds the HTML exporter before the first run.

    The worker ends when the batch process ends, however it ends (``die_with_parent``:
    SIGTERM, back to its default action, which the fork inherited as the batch's own
    handler); Ctrl-C is the batch's to handle (it stops the workers). A failure while
    warming up is not fatal: the first run meets the same problem and reports it.
    """
    import signal

    from innolib.lifeline import die_with_parent

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(signal.SIGTERM, parent=batch_pid)
    try:
        import papermill  # noqa: F401 - imported here so that the first run does not pay for it

        if kernel_options():
            from innolib import forkkernel

            forkkernel.zygote()
        _exporter(reader=True)
        _exporter(reader=False)
    except Exception:  # pragma: no cover - reported by the run that needs the part that failed
        pass


def run_local(groups: list, jobs: int, scheduler: str | None = None):
    """Yields (group, result) as runs finish on a local process pool.

    Stopped early (Ctrl-C, SIGTERM, an error in the caller), it ends its workers at once
    rather than waiting for their runs: their kernels and zygotes end with them.
    """
    shared = _share_zygote(groups)
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_warm_worker, initargs=(os.getpid(),))
    finished = False
    try:
        futures: dict[Future, Any] = {}
        for group in groups:  # group by group, so finished periods move into place early
            for spec in group.specs:
                futures[pool.submit(execute_run, spec, str(group.tmp.resolve()))] = group
        for future in as_completed(futures):
            group = futures[future]
            yield group, _result_of(future, group)
        finished = True
    finally:
        if not finished:
            _stop_workers()
        pool.shutdown(wait=True, cancel_futures=True)
        if shared is not None:
            shared.close()


def start_zygote() -> None:
    """Starts the batch's kernel zygote now, when forked kernels are in use, so that its
    imports overlap the batch's planning (``run_local`` then finds it started)."""
    from innolib import forkkernel

    if kernel_options().get("kernel_manager_class") is forkkernel.ForkKernelManager:
        with contextlib.suppress(Exception):  # run_local tries again and reports
            forkkernel.zygote()


def stop_zygote() -> None:
    """Ends the zygote ``start_zygote`` or ``run_local`` started (a no-op otherwise)."""
    from innolib import forkkernel

    if forkkernel.available():
        forkkernel.close_zygote()


def _share_zygote(groups: list) -> Any:
    """Starts the batch's kernel zygote before the pool, so that every worker (forked from
    this process) inherits it and asks it for kernels, and has it load the batch's
    packages once (``innolib.load.memory``): each run's ``load_package`` then costs
    nothing. The load goes on in a thread while the pool starts; a run whose kernel is
    forked before it ends loads its package itself. None with ordinary kernels."""
    import threading

    from innolib import forkkernel

    if kernel_options().get("kernel_manager_class") is not forkkernel.ForkKernelManager:
        return None
    packages = set()
    for group in groups:
        for spec in group.specs:
            data = spec.parameters.get("data")
            paths = data if isinstance(data, (list, tuple)) else [data]
            lenient = bool(spec.parameters.get("lenient", False))
            packages.update((str(path), lenient) for path in paths if path)
    try:
        shared = forkkernel.zygote()
        held = shared.hold(sorted(packages))  # served before any worker's first kernel
    except Exception:  # the workers start their own; the first run reports what is wrong
        return None

    def wait() -> None:
        with contextlib.suppress(Exception):
            shared.reply(held)

    threading.Thread(target=wait, name="innolib-hold", daemon=True).start()
    return shared


def _stop_workers(timeout: float = 5.0) -> None:
    """Terminates this process's pool workers (``multiprocessing.active_children``) and waits."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout)
        if child.is_alive():
            child.kill()


def _result_of(future: Future, group: Any) -> RunResult:
    try:
        return future.result()
    except Exception as failure:  # a worker process died: that run failed, the batch goes on
        stamp = now()
        return RunResult(
            group.district,
            group.period,
            "?",
            "failed",
            stamp,
            stamp,
            0.0,
            f"{type(failure).__name__}: {failure}",
        )


def run_dask(groups: list, jobs: int, scheduler: str):
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
        for group in groups:
            for spec in group.specs:
                futures[client.submit(execute_run_remote, spec, pure=False)] = (group, spec)
        for future in dask_completed(list(futures)):
            group, spec = futures[future]
            try:
                result, files = future.result()
            except Exception as failure:
                stamp = now()
                result, files = (
                    RunResult(
                        spec.district,
                        spec.period,
                        spec.name,
                        "failed",
                        stamp,
                        stamp,
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
