"""Writing files safely: atomic writes, and text cells that Excel will not run as formulas.

- ``atomic_write_text`` / ``atomic_write_bytes`` write a file next to its target and
  rename it into place (``os.replace``, atomic on one file system): a reader sees the old
  file or the new one, never half of one.
- ``staged_dir`` fills a temporary folder beside the target folder and renames it into
  place; if another process put the folder there first, that one is kept.
- ``excel_safe`` is the formula guard for every CSV or XLSX meant to be opened in Excel:
  a text cell starting with ``=``, ``+``, ``-`` or ``@`` gets a leading ``'`` so Excel
  shows it as text instead of evaluating it (``=HYPERLINK(…)`` in a ledger name stays a
  name); numbers stay numbers.

Floor 1: nothing here knows about packages or reports.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@")


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see ``atomic_write_bytes``)."""
    return atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def staged_dir(final: Path | str) -> Iterator[Path]:
    """A temporary folder beside ``final``, renamed to ``final`` when the block ends cleanly.

    If ``final`` already exists (another process wrote the same entry first), the staged
    folder is removed and ``final`` is kept; on an exception the staged folder is removed.
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
    try:
        yield tmp
        try:
            tmp.rename(final)
        except OSError:  # someone else's folder is there already
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def excel_safe_text(value: object) -> object:
    """``value`` with a leading ``'`` if it is text Excel would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as Excel formulas (numbers untouched).

    Only text columns (object or string dtype) are touched; in them only ``str`` cells,
    so a number stored in an object column stays a number.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            out[column] = series.map(excel_safe_text, na_action="ignore").astype(series.dtype)
    return out
