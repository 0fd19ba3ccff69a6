"""The output side of a batch: staging folders, manifests, moving periods into place, the index.

Each (district, period) is built in a staging folder ``out/.tmp-<run>-…`` and moved to
``out/<district>/<period>/`` only when all its runs are done, so no partial period ever
looks complete. Every path is built with ``innolib.outputs.inside``: a package id can
never make a write land outside ``out/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import platform
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from innolib.batch.execute import INTERNAL, KERNEL_NAME
from innolib.batch.plan import (
    CROSS_PACKAGE_ID,
    RunResult,
    RunSpec,
    district_name,
    now,
    period_words,
)
from innolib.outputs import inside

#: a period's manifest: a run log, so internal
MANIFEST = f"{INTERNAL}/manifest.json"
#: every name a batch puts beside the period folders starts with this (never a package id)
STAGING = ".tmp-"


@dataclass
class Group:
    """The runs of one (district, period) folder and what its manifest needs."""

    district: str
    period: str
    specs: list[RunSpec]
    tmp: Path
    package_info: dict[str, Any]
    results: list[RunResult] = field(default_factory=list)
    started: str = ""


class Staging:
    """One batch's claim on ``out/``: a locked file held while the batch lives, and its
    staging folders, all named ``.tmp-<pid>-<random>…``.

    The lock (``flock``) is released by the operating system when the batch ends, however
    it ends, so a later batch can tell the staging folders of a dead batch (remove them)
    from those of a live one (leave them). Pool workers inherit the lock: a batch counts
    as live while any of its workers does. As a context manager it removes its own
    staging folders and lock on the way out, normally or not.
    """

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.prefix = f"{STAGING}{os.getpid()}-{secrets.token_hex(4)}"
        self._count = 0
        # locked under a name the stale sweep ignores, then renamed: no other batch can
        # ever see this lock file unlocked
        building = self.out / f".lock{self.prefix}"
        self._fd = os.open(building, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.lock = self.out / f"{self.prefix}.lock"
        os.replace(building, self.lock)

    def path(self, kind: str) -> Path:
        """A fresh name in ``out/`` owned by this batch (``kind``: folder, old, index.html)."""
        self._count += 1
        return self.out / f"{self.prefix}-{self._count}-{kind}"

    def groups(self, planned: dict, infos: list[dict[str, Any]]) -> list[Group]:
        """A ``Group`` with its own staging folder for each planned (district, period)."""
        by_id = {info["id"]: info for info in infos}
        groups = []
        for (district, period), specs in planned.items():
            inside(self.out, district, period)  # checked again before the move
            info = by_id[district] if district != CROSS_PACKAGE_ID else {"cross": infos}
            tmp = self.path("folder")
            tmp.mkdir()
            groups.append(Group(district, period, specs, tmp, info, started=now()))
        return groups

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Removes every staging folder and file of this batch, then releases the lock."""
        for entry in self.out.glob(f"{self.prefix}-*"):
            _remove(entry)
        with contextlib.suppress(FileNotFoundError):
            self.lock.unlink()
        os.close(self._fd)


def remove_stale(out: Path) -> list[Path]:
    """Removes the staging folders and files in ``out/`` that no live batch holds; returns them.

    A name belongs to a live batch when its ``<prefix>.lock`` is locked. Staging names of
    earlier innolib versions (``.tmp-<district>-<period>-<random>``, ``.old-…``,
    ``.index-….html``) have no lock and are removed too.
    """
    live = set()
    for lock in out.glob(f"{STAGING}*.lock"):
        if _held(lock):
            live.add(lock.name.removesuffix(".lock"))
    removed = []
    for entry in out.iterdir():
        name = entry.name
        if name.startswith(f".lock{STAGING}") and not _held(entry):  # killed while starting
            _remove(entry)
            continue
        if not name.startswith((STAGING, ".old-", ".index-")):
            continue
        if any(name == f"{p}.lock" or name.startswith(f"{p}-") for p in live):
            continue
        _remove(entry)
        removed.append(entry)
    return removed


def _held(lock: Path) -> bool:
    """Whether another process holds ``lock`` (a batch that is still running)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock taken just now
    return False


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()


def finish_group(group: Group, out: Path, staging: Staging, executor: str) -> Path:
    """Writes the group's run log and manifest (under ``internal/``) and moves its folder
    into ``out/<district>/<period>/``."""
    group.results.sort(key=lambda r: r.notebook)
    final = inside(out, group.district, group.period)
    prefix = f"{group.district}/{group.period}/"
    for result in group.results:
        result.outputs = {kind: prefix + rel for kind, rel in result.outputs.items()}
    (group.tmp / INTERNAL).mkdir(exist_ok=True)
    _write_rejects(group)
    rows = [dict(asdict(r), district_name=_group_name(group)) for r in group.results]
    _write_runs_page(group.tmp / INTERNAL / "run.html", rows, root="../../../")
    manifest = _manifest(group, executor)
    (group.tmp / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    final.parent.mkdir(parents=True, exist_ok=True)
    move_into_place(group.tmp, final, lambda: staging.path("old"))
    return final


def _group_name(group: Group) -> str:
    if group.district == CROSS_PACKAGE_ID:
        return "比较分析"
    return district_name(group.package_info)


def move_into_place(tmp: Path, final: Path, old_name: Any, attempts: int = 5) -> None:
    """Renames ``tmp`` to ``final``, first renaming an existing ``final`` away (then deleted).

    Another batch may move its own folder in between the two renames (rename onto a
    non-empty folder fails): then its folder is moved away too and the rename retried;
    the last batch to finish wins, and no folder ever holds files of two batches.
    ``old_name()`` gives a fresh staging name for the folder moved away.
    """
    olds = []
    try:
        for attempt in range(attempts):
            if final.exists():
                old = Path(old_name())
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


def _write_rejects(group: Group) -> None:
    """Lenient runs: the rows the loader left out, one CSV per table under ``internal/rejects/``
    (``load_report.write_rejects``: the one writer, with the Excel formula guard)."""
    from innolib.load_report import write_rejects

    package = group.package_info.get("package")
    if package is None or package.report is None or not group.specs[0].parameters.get("lenient"):
        return
    write_rejects(package.report, group.tmp / INTERNAL)


def _manifest(group: Group, executor: str) -> dict[str, Any]:
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
            "coverage": _coverage(s.get("package"), group.period),
        }
        for s in sources
    ]
    first = group.specs[0].parameters
    return {
        "district": group.district,
        "period": group.period,
        "status": "ok" if all(r.ok for r in group.results) else "failed",
        "started": group.started,
        "finished": now(),
        "parameters": {k: v for k, v in first.items() if k != "out"},
        "innolib_version": innolib.__version__,
        "python": platform.python_version(),
        "kernel": KERNEL_NAME,
        "executor": executor,
        "packages": packages,
        "runs": [asdict(r) for r in group.results],
        "files": sorted(
            [str(p.relative_to(group.tmp)) for p in group.tmp.rglob("*") if p.is_file()]
            + [MANIFEST]
        ),
    }


def _coverage(package: Any, label: str) -> dict[str, Any] | None:
    """The span the package's data covers and the warnings for this period (innolib.coverage)."""
    if package is None:
        return None
    from innolib.coverage import coverage, coverage_warnings
    from innolib.periods import parse_period

    cover = coverage(package)
    return {
        "end": cover.end.isoformat() if cover.end else None,
        "declared": cover.declared,
        "warnings": coverage_warnings(cover, parse_period(label).start),
    }


def write_index(
    out: Path, extra: list[RunResult] | None = None, staging: Staging | None = None
) -> Path:
    """Rebuilds the indexes from every ``internal/manifest.json`` under ``out/``; returns ``out/index.html``.

    ``batch.reader_index`` builds what readers see: ``out/index.html`` (every district,
    then the comparisons) and ``out/<district>/index.html`` (that district alone). Neither
    ever links into ``internal/``. ``out/internal/index.html`` is the analysts' run index:
    every run with its times, error and links to the internal pages, executed notebooks
    and run logs. ``extra`` adds runs that never got a folder (a package with no loadable
    period). ``staging``: the batch that writes them (temporary files are then its
    staging names). Each file is written to a temporary name and renamed into place.
    """
    from innolib.batch.reader_index import district_entries, render_index

    manifests = []
    for path in sorted(out.glob(f"*/*/{MANIFEST}")):
        manifests.append((path.parents[2], json.loads(path.read_text(encoding="utf-8"))))
    extra = list(extra or [])
    districts = district_entries(out, manifests)
    index = out / "index.html"
    _replace(index, render_index(districts, extra), out, staging)
    for entry in districts:
        if entry["id"] == CROSS_PACKAGE_ID:
            continue
        target = inside(out, entry["id"]) / "index.html"
        _replace(target, render_index([entry], [], root="../"), out, staging)
    rows = []
    for _folder, manifest in manifests:
        name = _manifest_name(manifest)
        rows += [dict(run, district_name=name) for run in manifest.get("runs", [])]
    rows += [dict(asdict(r), district_name=r.district) for r in extra]
    rows.sort(key=lambda r: (r["district"], r["period"], r["notebook"]))
    (out / INTERNAL).mkdir(exist_ok=True)
    _replace(out / INTERNAL / "index.html", _runs_html(rows, root="../"), out, staging)
    return index


def _manifest_name(manifest: dict[str, Any]) -> str:
    if manifest.get("district") == CROSS_PACKAGE_ID:
        return "比较分析"
    for package in manifest.get("packages") or []:
        if (package.get("district") or {}).get("name"):
            return package["district"]["name"]
    return manifest.get("district", "")


def _write_runs_page(path: Path, rows: list[dict[str, Any]], root: str) -> None:
    path.write_text(_runs_html(rows, root), encoding="utf-8")


def _runs_html(rows: list[dict[str, Any]], root: str) -> str:
    """The analysts' run log (内部): one row per run, links relative to ``root`` (= ``out/``)."""
    from innolib.batch.reader_index import local_time, templates

    shown = [
        dict(
            row,
            period_words=period_words(row["period"]) if row["period"] else "—",
            started_local=local_time(row["started"]),
        )
        for row in rows
    ]
    return (
        templates()
        .get_template("runs.html.j2")
        .render(
            runs=shown,
            root=root,
            failed=sum(r["status"] != "ok" for r in rows),
        )
    )


def _replace(target: Path, html: str, out: Path, staging: Staging | None) -> None:
    """Writes ``html`` to a temporary name in ``out/`` and renames it onto ``target``."""
    tmp = staging.path("index.html") if staging else out / f"{STAGING}index-{secrets.token_hex(4)}"
    tmp.write_text(html, encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
