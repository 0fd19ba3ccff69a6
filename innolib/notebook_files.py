"""Keeping the committed notebooks clean and current: ``innolib notebooks check|refresh``.

``refresh`` re-executes notebooks with their default parameters and writes them back
cleaned; ``check`` fails when a notebook is not clean, and with ``--rerun`` also when a fresh
run gives other outputs than the committed ones (the ``make test`` and CI check).

"Clean" means: execution counts 1, 2, 3, … as a fresh top-to-bottom run gives them (nbval
refuses cells with outputs and no count), no volatile metadata (papermill timings, widget
state, ``ExecuteTime``), each cell's streams gathered into one output per stream, the
kernel metadata exactly as JupyterLab writes it for the project's kernel (``KERNELSPEC``,
the kernel that ``make venv`` installs, and the kernel's ``language_info``), no papermill
``injected-parameters`` cell, and exactly one cell tagged ``parameters``. So opening a
notebook in JupyterLab and saving it changes nothing. "Current" means re-running the
notebook gives every stored output (stream text, errors, and every display format but
images: plain text, Markdown, HTML) after the sanitising rules of
``tests/nbval_sanitize.cfg``, and the same kernel metadata; the recorded Python version
(``language_info.version``) is never compared.
"""

from __future__ import annotations

import configparser
import copy
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from innolib.errors import UsageError

#: the parameters every analysis notebook declares (docs/interface.md)
PARAMETERS = ("data", "period", "lang", "lenient", "out")
#: what JupyterLab writes for the kernel ``make venv`` installs (the Makefile's KERNEL_DISPLAY_NAME)
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (innolib)", "language": "python"}
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
_VOLATILE_CELL_KEYS = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled", "jupyter")
_VOLATILE_NB_KEYS = ("papermill", "widgets", "toc", "varInspector")
_SANITIZE_CFG = Path(__file__).resolve().parent.parent / "tests" / "nbval_sanitize.cfg"
#: where ``innolib notebooks`` looks when given no path
DEFAULT_FOLDER = Path("notebooks")


def clean_notebook(nb: Any) -> Any:
    """A copy of ``nb`` with sequential execution counts, no volatile metadata, the python3 kernelspec."""
    nb = copy.deepcopy(nb)
    nb.cells = [
        c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    count = 0
    for cell in nb.cells:
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            # nbval needs an execution count on every cell with outputs ("unrun reference cell
            # has outputs" otherwise): the counts of a fresh top-to-bottom run, 1, 2, 3, …
            count += 1
            cell.execution_count = count
            cell.outputs = gather_streams(cell.outputs)
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count
                output.get("metadata", {}).pop("ExecuteTime", None)
    for key in _VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    # the kernel's own language_info, as JupyterLab writes it (papermill records it too)
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def gather_streams(outputs: list[Any]) -> list[Any]:
    """One output per stream name (stdout, stderr), where the first of its pieces was.

    How a kernel's output is cut into messages depends on timing (a flush between two
    prints), so the same cell can give one or two stream outputs; gathered, it always
    gives the same one (nbclient's ``coalesce_streams`` does the same during a run).
    """
    gathered: list[Any] = []
    streams: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") != "stream":
            gathered.append(output)
            continue
        text = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
        if output["name"] in streams:
            streams[output["name"]]["text"] += text
        else:
            output = copy.deepcopy(output)
            output["text"] = text
            streams[output["name"]] = output
            gathered.append(output)
    return gathered


def problems(nb: Any, name: str = "") -> list[str]:
    """What keeps ``nb`` from being a clean, committed analysis notebook (empty list: none)."""
    import nbformat

    found = []
    if nbformat.writes(clean_notebook(nb)) != nbformat.writes(nb):
        found.append(
            f"{name}: not clean (execution counts, volatile metadata or kernelspec): run `make notebooks`"
        )
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        found.append(f"{name}: needs exactly one cell tagged 'parameters' (has {len(tagged)})")
    else:
        missing = [p for p in PARAMETERS if not re.search(rf"^{p}\s*=", tagged[0].source, re.M)]
        if missing:
            found.append(f"{name}: the parameters cell lacks {', '.join(missing)}")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.outputs):
            found.append(f"{name}: cell {i} stores an error output")
        if CHECK_MARK in cell.source and not cell.outputs:
            found.append(
                f"{name}: cell {i} is marked for output checking but has no stored output: run `make notebooks`"
            )
    return found


def _execute(path: Path, dest: Path) -> Any:
    import nbformat
    import papermill as pm

    from innolib.batch import papermill_options

    pm.execute_notebook(
        str(path),
        str(dest),
        cwd=str(path.parent),
        progress_bar=False,
        request_save_on_cell_execute=False,
        **papermill_options(),
    )
    return nbformat.read(str(dest), as_version=4)


def refresh(paths: Iterable[str | Path] = ()) -> list[Path]:
    """Re-executes the notebooks named by ``paths`` (see ``notebook_paths``) with their default parameters and cleans them in place."""
    import nbformat

    paths = notebook_paths(paths)
    with tempfile.TemporaryDirectory(prefix="innolib-nb-") as tmp:
        for path in paths:
            executed = _execute(path, Path(tmp) / path.name)
            nbformat.write(clean_notebook(executed), str(path))
    return paths


def _sanitizers(cfg: Path = _SANITIZE_CFG) -> list[tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    if cfg.exists():
        parser.read(cfg, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def _compared_outputs(cell: Any, rules: list[tuple[re.Pattern, str]]) -> list[str]:
    """Every output of a code cell as sanitised text: stream text, errors, and each display
    format (plain text, Markdown, HTML, JSON …) but images, whose bytes depend on the
    platform's font rendering and are checked by the charts' own tests."""
    texts = []
    for output in gather_streams(cell.get("outputs", [])):
        kind = output.get("output_type")
        if kind == "stream":
            parts = [f"{output['name']}: {output.get('text', '')}"]
        elif kind == "error":
            parts = [f"error: {output.get('ename')}: {output.get('evalue')}"]
        else:
            data = output.get("data", {})
            parts = [
                f"{mime}: {''.join(value) if isinstance(value, list) else value}"
                for mime, value in sorted(data.items())
                if not mime.startswith("image/")
            ]
        for text in parts:
            for pattern, replacement in rules:
                text = pattern.sub(replacement, text)
            texts.append(text)
    return texts


def _kernel_metadata(nb: Any) -> dict[str, Any]:
    """The kernel metadata that must match a fresh run's: the Python version left out."""
    language = {k: v for k, v in nb.metadata.get("language_info", {}).items() if k != "version"}
    return {"kernelspec": nb.metadata.get("kernelspec"), "language_info": language}


def stale_cells(committed: Any, fresh: Any, name: str = "") -> list[str]:
    """What differs from a fresh run (after sanitising): each cell whose outputs differ
    (prose and Markdown included), and the kernel metadata."""
    rules = _sanitizers()
    found = []
    if [c.source for c in committed.cells] != [c.source for c in fresh.cells]:
        return [f"{name}: cells differ from a fresh run"]
    for i, (old, new) in enumerate(zip(committed.cells, fresh.cells)):
        if old.cell_type == "code" and _compared_outputs(old, rules) != _compared_outputs(
            new, rules
        ):
            found.append(f"{name}: cell {i} output is not current: run `make notebooks`")
    if _kernel_metadata(committed) != _kernel_metadata(fresh):
        found.append(
            f"{name}: kernel metadata is not what a fresh run writes: run `make notebooks`"
        )
    return found


def check(paths: Iterable[str | Path] = (), rerun: bool = False) -> list[str]:
    """Every problem with the committed notebooks named by ``paths`` (``rerun``: also re-execute and compare)."""
    import nbformat

    found = []
    paths = notebook_paths(paths)
    with tempfile.TemporaryDirectory(prefix="innolib-nb-") as tmp:
        for path in paths:
            nb = nbformat.read(str(path), as_version=4)
            found += problems(nb, path.name)
            if rerun:
                found += stale_cells(
                    nb, clean_notebook(_execute(path, Path(tmp) / path.name)), path.name
                )
    return found


def notebook_paths(arguments: Iterable[str | Path] = ()) -> list[Path]:
    """The notebooks named by ``arguments``: ``.ipynb`` files, folders, and bare names.

    A folder means every notebook in it, unless names follow it: then those names are looked
    up in it (``notebooks 00_bulletin`` is ``notebooks/00_bulletin.ipynb``); names before any
    folder are looked up in ``notebooks/``; no argument at all means ``notebooks/``. Finding
    none, or a name that matches nothing, is a usage error: a check that silently checks
    nothing would pass forever.
    """
    groups: list[tuple[Path, list[str]]] = []
    files: list[Path] = []
    for argument in (Path(a) for a in arguments):
        if argument.is_dir():
            groups.append((argument, []))
        elif argument.suffix == ".ipynb" and argument.is_file():
            files.append(argument)
        else:
            if not groups:
                groups.append((DEFAULT_FOLDER, []))
            groups[-1][1].append(argument.name)
    if not groups and not files:
        groups.append((DEFAULT_FOLDER, []))
    paths, missing = list(files), []
    for folder, names in groups:
        if names:
            for name in names:
                path = folder / (name if name.endswith(".ipynb") else f"{name}.ipynb")
                (paths if path.is_file() else missing).append(path)
        else:
            found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
            paths += found
            missing += [] if found else [folder]
    if missing or not paths:
        shown = [str(m) for m in missing]
        raise UsageError(
            f"找不到笔记本：{'、'.join(shown)}", f"no such notebook: {', '.join(shown)}"
        )
    return list(dict.fromkeys(paths))
