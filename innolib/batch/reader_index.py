"""The index a reader starts from: districts by name, periods newest first, bulletin first.

``district_entries`` reads what each period folder holds (its manifest, its files) into
plain dictionaries; ``render_index`` turns them into ``out/index.html`` (every district)
or ``out/<district>/index.html`` (one). The entries link only what circulates: the
bulletin (Word, the HTML page of ``00_bulletin``, Markdown), the section pages, the data
files and the figures. Nothing under ``internal/`` is ever linked; a failed run shows as
one compact status line (its error is in the run log, ``<period>/internal/run.html``).
Times are the district's local time (Asia/Shanghai), never UTC.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from innolib.batch.execute import TEMPLATES
from innolib.batch.plan import CROSS_PACKAGE_ID, period_words

#: the bulletin's files in the order a reader wants them, with their labels
BULLETIN = (("Word", "bulletin.docx"), ("网页", None), ("Markdown", "bulletin.md"))
#: the data files: for people first, then for programs
DATA_FILES = (
    ("Excel（indicators.xlsx）", "indicators.xlsx"),
    ("CSV（indicators.csv，程序读取）", "indicators.csv"),
    ("JSON（indicators.json，程序读取）", "indicators.json"),
)
BULLETIN_NOTEBOOK = "00_bulletin"


def _zone() -> dt.tzinfo:
    """Asia/Shanghai (zoneinfo); UTC+8 when the time-zone database is missing (no DST since 1991)."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # pragma: no cover - a system without tzdata
        return dt.timezone(dt.timedelta(hours=8))


def local_time(stamp: str) -> str:
    """An ISO 8601 time (UTC) as Beijing time in words: ``2026年12月5日 10:30``; ``""`` if none."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(_zone())
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@cache
def templates() -> Any:
    """The jinja2 environment of ``templates/batch/`` (autoescape on: names and errors are data)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)


def district_entries(out: Path, manifests: list[tuple[Path, dict[str, Any]]]) -> list[dict]:
    """One entry per district folder (``comparisons`` last), its periods newest first.

    ``manifests``: (district folder, manifest) pairs. Links are relative to the district
    folder (``2025/bulletin.docx``).
    """
    by_id: dict[str, dict[str, Any]] = {}
    for folder, manifest in manifests:
        district = manifest.get("district") or folder.name
        entry = by_id.setdefault(district, {"id": district, "name": _name(manifest), "periods": []})
        entry["periods"].append(_period_entry(folder / manifest["period"], manifest))
    for entry in by_id.values():
        entry["periods"].sort(key=lambda p: p["sort"], reverse=True)
    # by package id: pinyin ids sort as a reader would sort the names; the comparisons last
    return sorted(by_id.values(), key=lambda e: (e["id"] == CROSS_PACKAGE_ID, e["id"]))


def _name(manifest: dict[str, Any]) -> str:
    if manifest.get("district") == CROSS_PACKAGE_ID:
        return "比较分析"
    for package in manifest.get("packages") or []:
        name = (package.get("district") or {}).get("name")
        if name:
            return name
    return manifest.get("district", "")


def _period_entry(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """What a reader finds for one period: bulletin, pages, data files, figures, one status line."""
    label = manifest["period"]
    runs = sorted(manifest.get("runs", []), key=lambda r: r["notebook"])
    here = f"{label}/"

    def local(path: str) -> str:  # manifest paths are relative to out/: <district>/<period>/x
        return here + path.split("/", 2)[2] if path.count("/") >= 2 else here + path

    bulletin_page = next(
        (
            r["outputs"]["html"]
            for r in runs
            if r["notebook"].startswith(BULLETIN_NOTEBOOK) and r.get("outputs", {}).get("html")
        ),
        None,
    )
    bulletin = []
    for text, name in BULLETIN:
        if name is None and bulletin_page:
            bulletin.append((text, local(bulletin_page)))
        elif name and (folder / name).is_file():
            bulletin.append((text, here + name))
    pages = [
        (r.get("title") or r["notebook"], local(r["outputs"]["html"]))
        for r in runs
        if not r["notebook"].startswith(BULLETIN_NOTEBOOK) and r.get("outputs", {}).get("html")
    ]
    data = [(text, here + name) for text, name in DATA_FILES if (folder / name).is_file()]
    ok = sum(r["status"] == "ok" for r in runs)
    return {
        "label": label,
        "words": period_words(label),
        "sort": _sort_key(label),
        "finished": local_time(manifest.get("finished", "")),
        "total": len(runs),
        "ok": ok,
        "failed": [r.get("title") or r["notebook"] for r in runs if r["status"] != "ok"],
        # the data's coverage (innolib.coverage): a period beyond it, ledgers that stop early
        "coverage": [
            line.split(" / ")[0]
            for package in manifest.get("packages", [])
            for line in (package.get("coverage") or {}).get("warnings", [])
        ],
        "bulletin": bulletin,
        "pages": pages,
        "data": data,
        "figures": _figures(folder, here),
    }


def _figures(folder: Path, here: str) -> list[tuple[str, str]]:
    """(caption, link) of every PNG under ``figures/``: the caption is the chart's title,
    which ``innolib.notebooks.show`` stores in the PNG's ``Title`` text chunk (else 图N)."""
    pngs = sorted((folder / "figures").glob("*.png"))
    return [(_png_title(p) or f"图{i}", f"{here}figures/{p.name}") for i, p in enumerate(pngs, 1)]


def _png_title(path: Path) -> str:
    """The ``Title`` text chunk of a PNG (``""`` when it has none or cannot be read)."""
    from PIL import Image

    with contextlib.suppress(OSError, ValueError), Image.open(path) as image:
        return str(getattr(image, "text", {}).get("Title", ""))
    return ""


def _sort_key(label: str) -> tuple:
    """Newest first once reversed: by the period's last day, then the longer period first."""
    from innolib.periods import parse_period

    try:
        p = parse_period(label)
    except Exception:
        return (dt.date.min, 0, label)
    return (p.end, -p.start.toordinal(), label)


def render_index(districts: list[dict], extra: list[Any], root: str = "") -> str:
    """The reader's index: ``districts`` (from ``district_entries``); ``extra``: packages
    that produced nothing (named, no error text: the run log has it). ``root``: the
    path from the page to ``out/`` (links of a district's own index start at its folder)."""
    from innolib.batch.plan import now

    one = len(districts) == 1 and districts[0]["id"] != CROSS_PACKAGE_ID and not extra
    shown = [dict(entry, href="" if root else f"{entry['id']}/") for entry in districts]
    total = sum(p["total"] for e in districts for p in e["periods"])
    ok = sum(p["ok"] for e in districts for p in e["periods"])
    title = f"{districts[0]['name']}科技创新统计分析" if one else "科技创新统计分析"
    return (
        templates()
        .get_template("index.html.j2")
        .render(
            title=title,
            districts=shown,
            one=one,
            missing=sorted({r.district for r in extra}),
            total=total,
            ok=ok,
            generated=local_time(now()),
        )
    )
