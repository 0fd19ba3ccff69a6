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

from innolib.batch.execute import KERNEL_NAME, TEMPLATES
from innolib.batch.plan import CROSS_PACKAGE_ID, RunResult, RunSpec, now
from innolib.outputs import inside

#: what 00_bulletin writes, linked from its row in the index
_EXPORTS = ("bulletin.docx", "bulletin.md", "indicators.csv", "indicators.json")
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
    """Writes the group's manifest and moves its folder into ``out/<district>/<period>/``."""
    group.results.sort(key=lambda r: r.notebook)
    final = inside(out, group.district, group.period)
    prefix = f"{group.district}/{group.period}/"
    for result in group.results:
        result.outputs = {kind: prefix + rel for kind, rel in result.outputs.items()}
    _write_rejects(group)
    manifest = _manifest(group, executor)
    (group.tmp / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    final.parent.mkdir(parents=True, exist_ok=True)
    move_into_place(group.tmp, final, lambda: staging.path("old"))
    return final


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
    """Lenient runs: the rows the loader left out, one CSV per table under ``rejects/``
    (``load_report.write_rejects``: the one writer, with the Excel formula guard)."""
    from innolib.load_report import write_rejects

    package = group.package_info.get("package")
    if package is None or package.report is None or not group.specs[0].parameters.get("lenient"):
        return
    write_rejects(package.report, group.tmp)


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
        "files": sorted(str(p.relative_to(group.tmp)) for p in group.tmp.rglob("*") if p.is_file()),
    }


def write_index(
    out: Path, extra: list[RunResult] | None = None, staging: Staging | None = None
) -> Path:
    """Rebuilds ``out/index.html`` from every ``manifest.json`` under ``out/`` (atomically).

    Lists each run: district, period, notebook, status, time, links to the HTML and the
    executed notebook, and the error message of a failed run. ``extra`` adds runs that
    never got a folder (a package with no loadable period). ``staging``: the batch that
    writes it (its temporary file is then one of the batch's staging names).
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
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    html = env.get_template("index.html.j2").render(
        runs=rows, failed=sum(r["status"] != "ok" for r in rows), generated=now()
    )
    index = out / "index.html"
    tmp = staging.path("index.html") if staging else out / f"{STAGING}index-{secrets.token_hex(4)}"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, index)
    return index
