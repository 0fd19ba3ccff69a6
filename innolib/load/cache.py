"""The load cache: parsed-and-validated packages kept as Parquet, keyed by their inputs.

An entry is a folder named by a hash of the input files' SHA-256, the loader's own source
code, the mode (strict or lenient), the package name and today's date (the "not in the
future" rules depend on it). Where it lives is decided here and nowhere else:
``INNOLIB_CACHE_DIR`` if set, else the platform's user cache folder (``platformdirs``:
``~/.cache/innolib/load`` on Linux), never next to the installed package or in a checkout.
``INNOLIB_CACHE=0`` turns the cache off. The cache is an optimisation: a location that
cannot be written just means no cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from innolib.package import Package

# pandas and the package types are imported by the functions that read or write an entry:
# ``load_package`` computes the key and looks for an entry before the loader's heavy imports

_OFF = ("0", "false", "no", "off")
_KEEP = 64  # entries kept; the oldest beyond are removed


def cache_dir() -> Path | None:
    """The cache folder, or None when ``INNOLIB_CACHE`` turns the cache off."""
    if os.environ.get("INNOLIB_CACHE", "1").strip().lower() in _OFF:
        return None
    if os.environ.get("INNOLIB_CACHE_DIR"):
        return Path(os.environ["INNOLIB_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("innolib", appauthor=False)) / "load"


def code_version() -> str:
    """innolib's version plus a hash of the loader's sources (a code change invalidates the cache)."""
    from innolib import __version__

    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py")) + [
        here.parent / name
        for name in ("load_report.py", "normalize.py", "schemas.py", "tables.py", "package.py")
    ]
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(path: Path, hashes: dict[str, str], lenient: bool) -> str:
    """The entry name for this package's inputs, mode and date."""
    payload = json.dumps(
        {
            "v": code_version(),
            "files": hashes,
            "lenient": lenient,
            "name": path.name if path.is_dir() else path.stem,
            "today": dt.date.today().isoformat(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def read_cache(entry: Path, path: Path) -> Package | None:
    """The cached package of ``entry`` (None when there is none or it cannot be read)."""
    meta_path = entry / "meta.json"
    if not meta_path.is_file():
        return None
    import pandas as pd

    from innolib.load_report import LoadReport
    from innolib.package import District, Package, coerce_types

    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        d = dict(meta["district"])
        d["cutoff"] = dt.date.fromisoformat(d["cutoff"]) if d.get("cutoff") else None
        d["towns"] = tuple(d["towns"])
        district = District(**d)
        tables = {
            t: coerce_types(t, pd.read_parquet(entry / f"{t}.parquet")) for t in meta["tables"]
        }
        report = LoadReport.from_dict(meta["report"])
    except Exception:  # a damaged or older entry is a cache miss, never an error
        return None
    report.from_cache = True
    report.source = str(path)
    return Package(district, tables, report=report, files=meta["files"], source=str(path))


def write_cache(entry: Path, package: Package) -> None:
    """Write the entry atomically (staged folder, then rename): parallel runs share the cache."""
    from innolib.fileio import staged_dir

    try:
        with staged_dir(entry) as tmp:
            for table_id, frame in package.tables.items():
                frame.to_parquet(tmp / f"{table_id}.parquet", index=False)
            meta = {
                "district": package.district.to_dict(),
                "tables": list(package.tables),
                "report": package.report.to_dict(),
                "files": package.files,
            }
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        prune_cache(entry.parent)
    except (OSError, ValueError):
        pass  # the cache is an optimisation: a read-only location just means no cache


def prune_cache(folder: Path, keep: int = _KEEP) -> None:
    """Remove the oldest entries beyond ``keep``."""
    entries = sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)
