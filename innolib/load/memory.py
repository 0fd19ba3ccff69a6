"""Packages held in memory by a batch's kernel zygote, so that a run's load costs nothing.

A batch runs several notebooks over the same package, each in a fresh kernel forked from
one pre-imported process (``innolib.forkkernel``). Before the first kernel is forked, that
process loads the batch's packages once (``hold``); a kernel's ``load_package`` of the same
inputs then finds its package here (``recall``) instead of reading the parse cache again.

The key is the parse cache's (``cache.cache_key``: the files' SHA-256, the loader's code,
the mode, today's date), computed afresh at every load, so a file changed after its
package was held is a miss, never a stale package. Each recall gives a new ``Package``
over shallow copies of the held tables (pandas' copy-on-write): a notebook that edits a
table edits its own copy. Only a zygote holds packages; a JupyterLab kernel or the CLI
never does, so their loads are unchanged.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (not imported: ``load_package`` asks ``recall`` before importing pandas)
    from innolib.package import Package

_HELD: dict[str, Package] = {}


def hold(path: str | Path, lenient: bool = False) -> bool:
    """Loads the package at ``path`` and keeps it for ``recall``; False when it cannot be
    loaded (the runs that need it then meet the error themselves)."""
    from innolib.load import inputs_key, load_inputs, package_path

    try:
        path = package_path(path)
        files, hashes, key = inputs_key(path, lenient)  # the files are hashed once
        _HELD[key] = load_inputs(path, lenient, files, hashes, key)
    except Exception:
        return False
    return True


def recall(key: str) -> Package | None:
    """A fresh ``Package`` over the held one of ``key`` (None when none is held)."""
    held = _HELD.get(key)
    if held is None:
        return None
    return dataclasses.replace(
        held,
        tables={name: frame.copy(deep=False) for name, frame in held.tables.items()},
        report=copy.copy(held.report),
        files=dict(held.files),
    )


def forget() -> None:
    """Drops every held package."""
    _HELD.clear()


def held() -> int:
    """How many packages are held (in a batch kernel: those its zygote loaded)."""
    return len(_HELD)
