"""Helpers the analysis notebooks call, and the notebook hygiene commands.

In a notebook (display only, no computation)::

    from innolib import notebooks as nbh
    out = nbh.resolve_out(out)                 # None: display only, write nothing
    il.indicator_table(result, section=1, headline=True)   # the table (text and Markdown)
    nbh.save_figure(fig, out, "01_funnel")

From the shell (the ``make notebooks`` target and the CI check)::

    python -m innolib.notebooks refresh notebooks   # re-execute with default parameters, clean
    python -m innolib.notebooks check notebooks     # fail if a notebook is not clean
    python -m innolib.notebooks check notebooks --rerun   # … or not current (re-executes)

"Clean" means: execution counts 1, 2, 3, … as a fresh top-to-bottom run gives them (nbval
refuses cells with outputs and no count), no volatile metadata (papermill timings, widget
state, ``ExecuteTime``, the Python version in ``language_info``), the kernelspec every
fresh machine has (``python3`` / "Python 3"), no papermill ``injected-parameters`` cell,
and exactly one cell tagged ``parameters``. "Current" means re-running the notebook gives
the stored text outputs (after the sanitising rules of ``tests/nbval_sanitize.cfg``);
nbval re-checks the cells marked ``# NBVAL_CHECK_OUTPUT`` on every ``make test``.
"""

from __future__ import annotations

import argparse
import configparser
import copy
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from innolib.errors import UsageError

#: the parameters every analysis notebook declares (INTERFACE.md)
PARAMETERS = ("data", "period", "lang", "lenient", "out")
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
INTERNAL_BANNER = "**内部资料 · 不得外传** / internal — not for circulation"
_VOLATILE_CELL_KEYS = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled", "jupyter")
_VOLATILE_NB_KEYS = ("papermill", "widgets", "toc", "varInspector")
_SANITIZE_CFG = Path(__file__).resolve().parent.parent / "tests" / "nbval_sanitize.cfg"


# ----------------------------------------------------------------------------- in notebooks


def resolve_out(out: str | Path | None) -> Path | None:
    """The folder a notebook writes figures and exports into, created; None writes nothing.

    The batch passes ``out = "."`` (the run's folder); an interactive run with the
    default ``None`` only displays, so re-executing the committed notebooks leaves the
    working tree untouched.
    """
    if out is None:
        return None
    path = Path(out)
    (path / "figures").mkdir(parents=True, exist_ok=True)
    return path


def show(fig: Any, out: Path | None, name: str) -> None:
    """Displays ``fig`` and saves it as ``out/figures/<name>.png`` (when ``out`` is set); closes it.

    The figure is rendered once, as ``charts.save_figure`` renders it (150 dpi, no
    timestamp or software metadata): the notebook shows the very PNG that is saved, at
    its on-screen size, and a re-run with the same numbers gives the same bytes.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    from innolib.charts import SAVE_DPI

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=SAVE_DPI, metadata={"Software": None})
    plt.close(fig)
    png = buffer.getvalue()
    display(Image(data=png, format="png", width=round(fig.get_figwidth() * 100)))
    if out is not None:
        (Path(out) / "figures" / f"{name}.png").write_bytes(png)


def recent_periods(period: Any, years: int = 5) -> list[str]:
    """The same period in each of the last ``years`` years, oldest first (``2025Q3`` → 2021Q3…2025Q3)."""
    label = str(getattr(period, "label", period))
    first = int(label[:4]) - years + 1
    return [f"{year}{label[4:]}" for year in range(first, int(label[:4]) + 1)]


def trends(package: Any, ids: Iterable[str], periods: Iterable[Any]) -> dict[str, Any]:
    """``indicators.trend`` for several indicators: id → trend frame (for multi-series charts)."""
    from innolib.indicators import trend

    periods = list(periods)
    return {indicator_id: trend(package, indicator_id, periods) for indicator_id in ids}


def mix_panels(mix: Any) -> tuple[Any, Any]:
    """``analyses.contract_mix``'s long frame split into the chart's two panels (by type, by buyer region)."""
    panels = []
    for by in ("type", "buyer_region"):
        part = mix[mix["by"] == by].rename(columns={"category": by})
        panels.append(
            part[[by, "amount", "amount_share"]].rename(columns={"amount_share": "share"})
        )
    return panels[0], panels[1]


def by_product(financing: Any) -> Any:
    """``analyses.financing_summary`` without its 合计 row (the chart compares products)."""
    return financing[financing["product"] != "合计"].reset_index(drop=True)


def narrative_markdown(
    package: Any, result: Any, section: int | None = None, lang: str = "zh"
) -> Any:
    """The bulletin draft as Markdown: section 1–3 (heading and paragraph), or the whole text.

    Written from ``result`` (the notebook's ``IndicatorSet``: computed once, never here).
    The circulated text (disclosure control on), exactly what ``00_bulletin`` exports.
    """
    from IPython.display import Markdown

    from innolib.narrative import narrative

    draft = narrative(package, result.period, lang=lang, indicators=result)
    # <strong>, not **…**: CommonMark does not close ** between "。" and a Chinese character
    parts = [f"<strong>{s.heading}</strong>{s.paragraph}" for s in draft.sections]
    if section is not None:
        return Markdown(parts[section - 1])
    return Markdown("\n\n".join([f"### {draft.title}", draft.lead, *parts, draft.signature]))


def exports(package: Any, result: Any, out: Path | None, lang: str = "zh") -> Any:
    """Writes bulletin.md/.docx and indicators.csv/.json of ``result`` into ``out`` (nothing
    when None); lists them."""
    from IPython.display import Markdown

    if out is None:
        return Markdown(
            "（`out` 未设置：本次运行只显示，不写出文件。/ `out` not set: nothing written.）"
        )
    from innolib.export import write_report

    written = write_report(package, result.period, Path(out), lang=lang, indicators=result)
    return Markdown("已写出 / written:\n\n" + "\n".join(f"- `{Path(p).name}`" for p in written))


def load_note(package: Any) -> Any:
    """One line on what was loaded: district, files, rows, rejected rows (lenient mode)."""
    from IPython.display import Markdown

    district = package.district
    line = f"**{district.name}**（{district.id}），{len(package.files)}个数据文件"
    if district.cutoff:
        line += f"，数据截止{district.cutoff.isoformat()}"
    line += "。"
    if package.report is not None and package.report.rejected_rows():
        line += f"\n\n**{package.report.summary()}**（rejects/）"
    return Markdown(line)


def load_packages(data: Any, lenient: bool = False) -> list[Any]:
    """The packages named by a notebook's ``data`` parameter: one path or a list of paths."""
    from innolib.load import load_package

    paths = data if isinstance(data, (list, tuple)) else [data]
    return [load_package(path, lenient=lenient) for path in paths]


def load_notes(packages: Iterable[Any]) -> Any:
    """``load_note`` of every package, as one Markdown block."""
    from IPython.display import Markdown

    return Markdown("\n\n".join(load_note(package).data for package in packages))


def comparison_text(tables: Iterable[Any]) -> str:
    """Each district's comparison table as plain text, its numbered footnotes below it."""
    from innolib.comparisons import comparison_table

    blocks = []
    for table in tables:
        shown = comparison_table(table)
        notes = "\n".join(f"注[{i}]：{note}" for i, note in zip(shown.index, shown["注"]))
        blocks.append(f"{table.attrs['title']}\n{text(shown.drop(columns='注'))}\n{notes}\n")
    return "\n".join(blocks)


def comparison_markdown(
    packages: list[Any], tables: list[Any], index: Any, period: Any, lang: str = "zh"
) -> Any:
    """The comparisons' narrative: one paragraph per district, then the composite index."""
    from IPython.display import Markdown

    from innolib.comparisons import comparison_narrative

    paragraphs = [
        comparison_narrative(
            table,
            None,
            district=package.district,
            period=period.clip(package.district.cutoff),
            lang=lang,
        )
        for package, table in zip(packages, tables)
    ]
    paragraphs.append(
        comparison_narrative(None, index, district=packages[0].district, period=period, lang=lang)
    )
    return Markdown("\n\n".join(paragraphs))


def text(frame: Any) -> str:
    """A DataFrame as plain text with Chinese characters counted double-width (columns line up).

    What the indicator cells print: stable text that nbval compares on every ``make test``.
    """
    import pandas as pd

    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.width",
        200,
        "display.max_columns",
        None,
        "display.max_rows",
        None,
    ):
        return frame.to_string()


def internal(title: str) -> Any:
    """A Markdown heading that marks what follows as an internal work list (内部 — not for circulation)."""
    from IPython.display import Markdown

    return Markdown(f"### {title}\n\n{INTERNAL_BANNER}")


def work_list(frame: Any, max_rows: int = 30) -> Any:
    """An internal work list for display: the first ``max_rows`` rows as an HTML table with a count caption.

    The table's element ids are derived from its content (not pandas' random ones) and the
    display object has a fixed text form, so re-running the notebook changes nothing.
    """
    import hashlib

    import pandas as pd
    from IPython.display import HTML

    shown = frame.head(max_rows)
    caption = f"内部工作清单：共{len(frame)}条" + (
        f"（显示前{max_rows}条）" if len(frame) > max_rows else ""
    )
    dates = {
        col: "{:%Y-%m-%d}"
        for col in shown.columns
        if pd.api.types.is_datetime64_any_dtype(shown[col])
    }
    styled = shown.style.set_caption(caption).format(dates, na_rep="").hide(axis="index")
    html = styled.set_uuid("x").to_html()
    return HTML(styled.set_uuid(hashlib.sha256(html.encode("utf-8")).hexdigest()[:8]).to_html())


# ----------------------------------------------------------------------------- hygiene


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
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count
                output.get("metadata", {}).pop("ExecuteTime", None)
    for key in _VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


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

    from innolib.batch import _KERNEL_ARGUMENTS, KERNEL_NAME, _kernel_options

    pm.execute_notebook(
        str(path),
        str(dest),
        kernel_name=KERNEL_NAME,
        cwd=str(path.parent),
        progress_bar=False,
        request_save_on_cell_execute=False,
        extra_arguments=_KERNEL_ARGUMENTS,
        **_kernel_options(),
    )
    return nbformat.read(str(dest), as_version=4)


def refresh(folder: Path, names: Iterable[str] = ()) -> list[Path]:
    """Re-executes every notebook of ``folder`` with its default parameters and cleans it in place."""
    import nbformat

    paths = _notebook_paths(folder, names)
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


def _text_outputs(cell: Any, rules: list[tuple[re.Pattern, str]]) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text = output.get("text", "")
        elif "data" in output:
            text = output["data"].get("text/plain", "")
        else:
            text = f"{output.get('ename')}: {output.get('evalue')}"
        text = "".join(text) if isinstance(text, list) else text
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        texts.append(text)
    return texts


def stale_cells(committed: Any, fresh: Any, name: str = "") -> list[str]:
    """Cells whose stored text output differs from a fresh run's (after sanitising)."""
    rules = _sanitizers()
    found = []
    if [c.source for c in committed.cells] != [c.source for c in fresh.cells]:
        return [f"{name}: cells differ from a fresh run"]
    for i, (old, new) in enumerate(zip(committed.cells, fresh.cells)):
        if old.cell_type == "code" and _text_outputs(old, rules) != _text_outputs(new, rules):
            found.append(f"{name}: cell {i} output is not current: run `make notebooks`")
    return found


def check(folder: Path, rerun: bool = False, names: Iterable[str] = ()) -> list[str]:
    """Every problem with the committed notebooks of ``folder`` (``rerun``: also re-execute and compare)."""
    import nbformat

    found = []
    paths = _notebook_paths(folder, names)
    with tempfile.TemporaryDirectory(prefix="innolib-nb-") as tmp:
        for path in paths:
            nb = nbformat.read(str(path), as_version=4)
            found += problems(nb, path.name)
            if rerun:
                found += stale_cells(
                    nb, clean_notebook(_execute(path, Path(tmp) / path.name)), path.name
                )
    return found


def _notebook_paths(folder: Path, names: Iterable[str]) -> list[Path]:
    """The notebooks to refresh or check: ``folder`` may itself be one ``.ipynb`` file.

    Finding none is an error: a check that silently checks nothing would pass forever.
    """
    folder, names = Path(folder), list(names)
    if folder.suffix == ".ipynb" and not names:
        folder, names = folder.parent, [folder.name]
    paths = (
        [folder / (n if n.endswith(".ipynb") else f"{n}.ipynb") for n in names]
        if names
        else sorted(folder.glob("*.ipynb"))
    )
    paths = [p for p in paths if not p.name.startswith(".")]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing or not paths:
        raise UsageError(
            f"找不到笔记本：{'、'.join(missing) or folder}",
            f"no such notebook: {', '.join(missing) or folder}",
        )
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m innolib.notebooks refresh|check FOLDER [NAME …] [--rerun]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m innolib.notebooks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=("refresh", "check"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("names", nargs="*", help="notebook names (default: all)")
    parser.add_argument(
        "--rerun", action="store_true", help="check: also re-execute and compare outputs"
    )
    args = parser.parse_intermixed_args(argv)
    try:
        if args.command == "refresh":
            for path in refresh(args.folder, args.names):
                print(f"refreshed {path}")
            return 0
        found = check(args.folder, rerun=args.rerun, names=args.names)
    except UsageError as error:
        print(f"innolib.notebooks: {error}", file=sys.stderr)
        return 2
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"notebooks clean{' and current' if args.rerun else ''}: {args.folder}")
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
