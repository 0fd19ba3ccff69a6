"""Planning a batch: which packages, notebooks and periods, as runs grouped by output folder.

``find_packages`` and ``find_notebooks`` turn the command line's choices into paths,
``latest_full_year`` is a package's default period, ``package_info`` loads each package
once for the manifests, and ``plan_runs`` makes the (district, period) groups of
``RunSpec``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from innolib.errors import DataError, InnolibError, UsageError
from innolib.outputs import DEFAULT_OUT, inside

#: notebooks that run once per period over every package (not per district)
CROSS_PACKAGE_PREFIX = "04_comparisons"
#: the folder under ``out/`` for cross-package runs
CROSS_PACKAGE_ID = "comparisons"
#: names under ``out/`` that are not packages: the comparisons and the analysts' run index
RESERVED = (CROSS_PACKAGE_ID, "internal")
#: the annual census whose latest year is a package's latest full year
_CENSUS_TABLE = "rd_survey"


@dataclass(frozen=True)
class RunSpec:
    """One notebook run: which notebook, for which group folder, with which parameters."""

    district: str  # names out/<district>/ ("comparisons" for cross-package runs)
    period: str
    notebook: str  # absolute path of the source notebook
    parameters: dict[str, Any]
    #: what the pages' header says: ``district`` (Chinese name), ``period`` (in words),
    #: ``index`` (the link back to the reader's index, relative to the page)
    page: dict[str, str] = field(default_factory=dict, compare=False)

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
    title: str = ""  # the notebook's first heading (the page's name in the index)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


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


def package_info(path: Path, lenient: bool) -> dict[str, Any]:
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
        info["district"] = _district_only(path)
        return info
    info.update(
        id=package.district.id,
        district=package.district.to_dict(),
        files=dict(package.files),
        rows=_report_document(package.report),
        package=package,
    )
    return info


def _district_only(path: Path) -> dict[str, Any] | None:
    """A package folder's ``district.yaml`` alone, when the whole package failed to load
    (so the index still names the district); None when that fails too or for a workbook."""
    if not path.is_dir():
        return None
    try:
        from innolib.load import district_from_yaml

        return district_from_yaml(path, path.name).to_dict()
    except InnolibError:
        return None


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
    out: Path = DEFAULT_OUT,
) -> tuple[dict[tuple[str, str], list[RunSpec]], list[RunResult]]:
    """The runs of a batch grouped by (district, period) folder, and the runs that cannot start.

    A package whose default period cannot be found (nothing loadable), or whose id would
    put its folder outside ``out`` (``../x``, an absolute path), gives one failed result
    per notebook instead of runs.
    """
    from innolib.periods import parse_periods

    explicit = [p.label for text in periods for p in parse_periods(text)] if periods else None
    per_package = [nb for nb in notebooks if not nb.stem.startswith(CROSS_PACKAGE_PREFIX)]
    cross = [nb for nb in notebooks if nb.stem.startswith(CROSS_PACKAGE_PREFIX)]
    groups: dict[tuple[str, str], list[RunSpec]] = {}
    unplanned: list[RunResult] = []
    all_periods: list[str] = []
    for info in packages:
        labels = _labels(info, explicit, out)
        if labels is None:
            started = now()
            error = info["error"] or "no default period"
            unplanned += [
                RunResult(info["id"], "", nb.stem, "failed", started, started, 0.0, error=error)
                for nb in notebooks
            ]
            continue
        for label in labels:
            if label not in all_periods:
                all_periods.append(label)
            params = {"data": info["path"], "period": label, "lang": lang, "lenient": lenient}
            page = {
                "district": district_name(info),
                "period": period_words(label),
                "index": "../index.html",
                "note": _lenient_note(info) if lenient else "",
            }
            for nb in per_package:
                groups.setdefault((info["id"], label), []).append(
                    RunSpec(info["id"], label, str(nb.resolve()), dict(params, out="."), page)
                )
    if cross and packages:
        data = [info["path"] for info in packages]
        for label in all_periods:
            params = {"data": data, "period": label, "lang": lang, "lenient": lenient, "out": "."}
            page = {
                "district": "比较分析",
                "period": period_words(label),
                "index": "../../index.html",
            }
            for nb in cross:
                groups.setdefault((CROSS_PACKAGE_ID, label), []).append(
                    RunSpec(CROSS_PACKAGE_ID, label, str(nb.resolve()), dict(params), page)
                )
    return groups, unplanned


def _labels(info: dict[str, Any], explicit: list[str] | None, out: Path) -> list[str] | None:
    """The periods to run a package for, or None (the reason then in ``info["error"]``)."""
    try:
        inside(out, info["id"], "period")  # the folder its runs would be written to
    except DataError as error:
        info["error"] = str(error)
        return None
    if info["id"] in RESERVED:
        info["error"] = (
            f"数据包编号{info['id']}与输出目录的保留名称冲突 / package id {info['id']!r} is "
            f"reserved in the output folder ({', '.join(RESERVED)})"
        )
        return None
    if explicit is not None:
        return explicit
    if info["package"] is None:
        return None
    try:
        return [latest_full_year(info["package"])]
    except UsageError as error:
        info["error"] = info["error"] or str(error)
        return None


def _lenient_note(info: dict[str, Any]) -> str:
    """The line every output of a lenient run carries (``宽松模式：N行未通过校验已剔除``), for
    the pages' header: the reader's pages leave out the notebooks' load note."""
    package = info.get("package")
    report = getattr(package, "report", None)
    if report is None or not report.rejected_rows():
        return ""
    return report.summary().split(" / ")[0] + "。"


def district_name(info: dict[str, Any]) -> str:
    """The district's Chinese name from its ``district.yaml`` (the package id if it has none)."""
    return ((info.get("district") or {}).get("name")) or info["id"]


def period_words(label: str) -> str:
    """A period as a reader says it: ``2025年``, ``2025年上半年``, ``2025年第三季度``, ``2025年1—10月``."""
    from innolib.periods import parse_period

    try:
        period = parse_period(label)
    except Exception:  # a label that is not a period (never planned, but an index may meet one)
        return label
    words = period.wording("zh")
    return f"{period.year}年" + ("" if words == "全年" else words)


def now() -> str:
    """The current UTC time, ISO 8601 to the second (manifests and the index)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
