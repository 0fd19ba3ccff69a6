"""Files → typed, validated tables: ``load_package`` and its row accounting.

A package is a folder (one file per table, CSV, XLSX or Parquet; several files for one
table are concatenated) or a single workbook (one sheet per table). For each file or
sheet the loader finds the header row below any title rows (merged cells included),
matches headers to the declared columns of ``tables.py``, sorts every other row into
data and non-data (blank, note, totals, subtotal, repeated header), parses the data
cells with ``normalize`` (units → 万元, dates, booleans, codes), and validates the
table with its pandera schema (``schemas``), referential integrity included. Nothing is
dropped silently: the ``LoadReport`` accounts for every row read.

A Parquet file keeps its typed columns (``TypedView``): numbers, dates and flags that
already have the declared type are converted directly and text stays in Arrow, so a
national-size package is not turned into Python objects and text first; the rules, the
package and the report are those of the same rows written as CSV. Tables are parsed one at
a time, just before they are validated.

Strict mode (the default) raises ``PackageInvalid`` when any row is rejected or a
totals row disagrees with its rows; lenient mode keeps the good rows and reports the
rest. Parsed-and-validated packages are cached as Parquet, keyed by the input files'
hashes and the loader's version (``INNOLIB_CACHE_DIR`` moves the cache,
``INNOLIB_CACHE=0`` turns it off; ``cache.py`` says where it lives).

The subpackage, in the order data flows through it:

- ``files``: which files a package has; each file or sheet read into a grid of cells;
- ``district``: the district metadata (``district.yaml`` or a 说明/district sheet);
- ``grid``: views over a grid or a typed Parquet table, and header-row detection;
- ``parse``: one source → data rows parsed, other rows classed and counted;
- ``assemble``: every table validated, referential integrity, the ``LoadReport``;
- ``cache``: where parsed packages are kept, and how;
- ``memory``: packages a batch's kernel zygote holds for its runs.

Importing this package is cheap (the standard library only): ``load_package`` lists and
hashes the inputs, looks in its cache and, on a miss, starts reading the workbooks in the
background (``xlsx.Prefetch``) before it imports pandas, pandera and the parsers. The other
names (``LoadReport``, ``PackageInvalid``…) are imported when first used.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from innolib.errors import DataError
from innolib.load import memory
from innolib.load.cache import cache_dir, cache_key, read_cache
from innolib.load.paths import file_sha256, input_files
from innolib.load.xlsx import Prefetch

if TYPE_CHECKING:
    from innolib.package import District, Package

__all__ = [
    "LoadReport",
    "PackageInvalid",
    "Problem",
    "load_package",
    "read_district",
    "write_rejects",
]

# names this package has always offered, imported on first use (see the docstring)
_LAZY = {
    "LoadReport": "innolib.load_report",
    "PackageInvalid": "innolib.load_report",
    "Problem": "innolib.load_report",
    "write_rejects": "innolib.load_report",
    "build_package": "innolib.load.assemble",
    "write_cache": "innolib.load.cache",
    "district_from_yaml": "innolib.load.district",
    "district_of_workbook": "innolib.load.district",
    "read_workbook": "innolib.load.files",
    "District": "innolib.package",
    "Package": "innolib.package",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'innolib.load' has no attribute {name!r}")


def load_package(path: str | Path, *, lenient: bool = False) -> Package:
    """Load and validate a district data package (a folder or a single workbook).

    Returns a ``Package`` whose tables hold only accepted rows, typed as ``package.py``
    describes, with ``report`` (a ``LoadReport``) and ``files`` ({relative path: sha256}).
    Strict (default): raises ``PackageInvalid`` (a ``DataError`` carrying ``.report``)
    if any row is rejected or a 合计 row disagrees. ``lenient=True``: rejected rows are
    left out and listed in the report (``write_rejects`` writes them to CSV); a file-level
    error (a column that may not be absent, an unreadable file…) fails in both modes.
    A missing ``enterprises`` table or unreadable metadata is a ``DataError`` in both modes.
    """
    path = package_path(path)
    files, hashes, key = inputs_key(path, lenient)
    held = memory.recall(key)  # a batch kernel: the zygote loaded it once for every run
    if held is not None:
        return held
    return load_inputs(path, lenient, files, hashes, key)


def load_inputs(
    path: Path, lenient: bool, files: dict[str, Path], hashes: dict[str, str], key: str
) -> Package:
    """``load_package`` once its inputs are listed and hashed (``inputs_key``): from the
    parse cache, else parsed and validated (``memory.hold`` calls it with the key it keeps)."""
    cache = cache_dir()
    if cache:
        cached = read_cache(cache / key, path)
        if cached is not None:
            return cached
    prefetch = Prefetch(files)  # the workbooks, read while the loader is imported
    from innolib.load.assemble import build_package
    from innolib.load.cache import write_cache
    from innolib.load_report import PackageInvalid

    package = build_package(path, files, hashes, lenient, prefetch)
    if (not package.report.ok and not lenient) or package.report.fatal:
        raise PackageInvalid(package.report)
    if cache:
        write_cache(cache / key, package)
    return package


def package_path(path: str | Path) -> Path:
    """The package's path as the loader uses it (a DataError when there is nothing there)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"找不到数据包：{path}", f"no such data package: {path}")
    if path.is_dir() and path.name in ("", ".", ".."):  # the folder's own name is the district id
        path = path.resolve()
    return path


def inputs_key(path: Path, lenient: bool) -> tuple[dict[str, Path], dict[str, str], str]:
    """The package's input files, their SHA-256 and the key of its parsed form (the parse
    cache's entry name, and the key of a package held in memory by ``memory``)."""
    files = input_files(path)
    hashes = {rel: file_sha256(p) for rel, p in files.items()}
    return files, hashes, cache_key(path, hashes, lenient)


def read_district(path: str | Path) -> District:
    """Only the district metadata of a package (folder or workbook)."""
    from innolib.load.district import district_from_yaml, district_of_workbook
    from innolib.load.files import read_workbook

    path = Path(path)
    if path.is_dir():
        return district_from_yaml(path, path.resolve().name)
    return district_of_workbook(path, read_workbook(path))[0]
