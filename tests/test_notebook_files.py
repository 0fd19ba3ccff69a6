"""Notebook hygiene (``innolib notebooks check|refresh``): clean, problems, staleness, paths."""

from __future__ import annotations

from pathlib import Path

import nbformat

from innolib import notebook_files as nbf
from innolib.cli import main

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'data = "../data/x"\nperiod = "2025"\nlang = "zh"\nlenient = False\nout = None'
    )
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell('period = "2024"')
    injected.metadata["tags"] = ["injected-parameters"]
    checked = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(1)")
    checked.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    shown = nbformat.v4.new_code_cell("obj")
    shown.outputs = [
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "<X at 0x7f3a2b1c9d10>"}, execution_count=9
        )
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# 标题"), params, injected, checked, shown]
    return nb


def _executed() -> nbformat.NotebookNode:
    """What papermill leaves: counts from a run with an injected cell, timings, widgets, a foreign kernel."""
    nb = _notebook()
    for count, cell in enumerate(nb.cells[1:], start=3):
        cell.execution_count = count
        cell.metadata["papermill"] = {"duration": 0.1, "start_time": "2026-01-01T00:00:00"}
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.metadata["papermill"] = {"parameters": {"period": "2024"}}
    nb.metadata["widgets"] = {"state": {}}
    nb.metadata["kernelspec"] = {
        "name": "my-conda-env",
        "display_name": "Python (my env)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    return nb


def test_clean_drops_volatile_metadata_and_renumbers_like_a_fresh_run():
    clean = nbf.clean_notebook(_executed())
    assert [c.metadata.get("tags", []) for c in clean.cells] == [[], ["parameters"], [], []]
    assert [c.execution_count for c in clean.cells if c.cell_type == "code"] == [1, 2, 3]
    assert clean.cells[3].outputs[0]["execution_count"] == 3
    assert all("papermill" not in c.metadata and "execution" not in c.metadata for c in clean.cells)
    assert "papermill" not in clean.metadata and "widgets" not in clean.metadata
    # what JupyterLab writes for the kernel `make venv` installs, and the kernel's own language_info
    assert clean.metadata["kernelspec"] == {
        "name": "python3",
        "display_name": "Python 3 (innolib)",
        "language": "python",
    }
    assert clean.metadata["language_info"] == {"name": "python", "version": "3.11.7"}
    assert nbf.clean_notebook(clean) == clean  # idempotent


def test_the_makefile_installs_the_kernel_the_notebooks_name():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    assert "KERNEL_DISPLAY_NAME := Python 3 (innolib)\n" in makefile
    assert '--name python3 --display-name "$(KERNEL_DISPLAY_NAME)"' in makefile
    assert nbf.KERNELSPEC["display_name"] == "Python 3 (innolib)"


def test_split_streams_are_gathered_into_one_output_per_stream():
    nb = nbf.clean_notebook(_executed())
    nb.cells[2].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="共3"),
        nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
        nbformat.v4.new_output("stream", name="stdout", text="家\n"),
    ]
    clean = nbf.clean_notebook(nb)
    assert [(o["name"], o["text"]) for o in clean.cells[2].outputs] == [
        ("stdout", "共3家\n"),
        ("stderr", "warn\n"),
    ]
    assert nbf.stale_cells(clean, nb, "a") == []  # the same text, however it was cut
    clean.cells[2].outputs[0]["text"] = "共4家\n"
    assert nbf.stale_cells(clean, nb, "a") == [
        "a: cell 2 output is not current: run `make notebooks`"
    ]


def test_problems_name_what_is_wrong():
    assert nbf.problems(nbf.clean_notebook(_executed()), "a.ipynb") == []
    found = nbf.problems(_executed(), "a.ipynb")
    assert found == [
        "a.ipynb: not clean (execution counts, volatile metadata or kernelspec): run `make notebooks`"
    ]

    nb = nbf.clean_notebook(_executed())
    nb.cells[1].source = nb.cells[1].source.replace("lenient = False\n", "")
    nb.cells[2].outputs = []
    nb.cells[3].outputs = [
        nbformat.v4.new_output("error", ename="KeyError", evalue="'x'", traceback=[])
    ]
    assert nbf.problems(nb, "b.ipynb") == [
        "b.ipynb: the parameters cell lacks lenient",
        "b.ipynb: cell 2 is marked for output checking but has no stored output: run `make notebooks`",
        "b.ipynb: cell 3 stores an error output",
    ]
    nb.cells[1].metadata["tags"] = []
    assert "b.ipynb: needs exactly one cell tagged 'parameters' (has 0)" in nbf.problems(
        nb, "b.ipynb"
    )


def test_stale_cells_ignore_what_the_sanitizer_masks_and_report_real_changes():
    committed = nbf.clean_notebook(_executed())
    fresh = nbf.clean_notebook(_executed())
    fresh.cells[3].outputs[0]["data"]["text/plain"] = "<X at 0x7f00deadbeef>"  # another address
    assert nbf.stale_cells(committed, fresh, "a") == []
    fresh.cells[2].outputs[0]["text"] = "2\n"
    assert nbf.stale_cells(committed, fresh, "a") == [
        "a: cell 2 output is not current: run `make notebooks`"
    ]
    fresh.cells[2].source += "\nprint(2)"
    assert nbf.stale_cells(committed, fresh, "a") == ["a: cells differ from a fresh run"]


def _with_prose(text: str) -> nbformat.NotebookNode:
    nb = nbf.clean_notebook(_executed())
    nb.cells[3].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/plain": "<IPython.core.display.Markdown object>", "text/markdown": text},
        )
    ]
    return nb


def test_stale_prose_and_kernel_metadata_are_not_current():
    """Markdown output whose plain-text form is the same object repr still counts."""
    committed, fresh = (
        _with_prose("全区高新技术企业106家。"),
        _with_prose("全区高新技术企业107家。"),
    )
    assert nbf.stale_cells(committed, fresh, "a") == [
        "a: cell 3 output is not current: run `make notebooks`"
    ]
    assert nbf.stale_cells(committed, _with_prose("全区高新技术企业106家。"), "a") == []
    # another Python version is not a difference; another kernel is
    fresh = _with_prose("全区高新技术企业106家。")
    fresh.metadata["language_info"]["version"] = "3.13.1"
    assert nbf.stale_cells(committed, fresh, "a") == []
    fresh.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    assert nbf.stale_cells(committed, fresh, "a") == [
        "a: kernel metadata is not what a fresh run writes: run `make notebooks`"
    ]
    # images are not compared (their bytes depend on the platform's font rendering)
    fresh = _with_prose("全区高新技术企业106家。")
    fresh.cells[3].outputs[0]["data"]["image/png"] = "iVBORw0KGgo="
    assert nbf.stale_cells(committed, fresh, "a") == []


def test_the_command_takes_names_after_options(tmp_path, capsys):
    nbformat.write(nbf.clean_notebook(_executed()), str(tmp_path / "a.ipynb"))
    nbformat.write(_executed(), str(tmp_path / "b.ipynb"))
    assert main(["notebooks", "check", str(tmp_path), "a"]) == 0
    assert main(["notebooks", "check", str(tmp_path)]) == 1
    assert "b.ipynb: not clean" in capsys.readouterr().err
    assert main(["notebooks", "check", "--rerun", "--bogus"]) == 2  # a usage error, one line


def test_a_notebook_file_or_a_missing_name_is_not_silently_skipped(tmp_path, capsys):
    """``check path/to/one.ipynb`` checks that file; a name that matches nothing is exit 2."""
    assert main(["notebooks", "check", str(NOTEBOOKS / "04_comparisons.ipynb")]) == 0
    assert "04_comparisons.ipynb" in capsys.readouterr().out
    assert main(["notebooks", "check", str(NOTEBOOKS), "no_such_notebook"]) == 2
    # an empty folder checks nothing: an error, not "clean"
    assert main(["notebooks", "check", str(tmp_path)]) == 2
    assert "no such notebook" in capsys.readouterr().err


def test_paths_are_files_folders_or_names_in_the_folder_before_them(tmp_path, monkeypatch):
    for name in ("a", "b"):
        nbformat.write(nbf.clean_notebook(_executed()), str(tmp_path / f"{name}.ipynb"))
    other = tmp_path / "other"
    other.mkdir()
    nbformat.write(nbf.clean_notebook(_executed()), str(other / "c.ipynb"))
    assert nbf.notebook_paths([tmp_path]) == [tmp_path / "a.ipynb", tmp_path / "b.ipynb"]
    assert nbf.notebook_paths([tmp_path, "b", other]) == [
        tmp_path / "b.ipynb",
        other / "c.ipynb",
    ]
    assert nbf.notebook_paths([other / "c.ipynb", tmp_path, "a.ipynb"]) == [
        other / "c.ipynb",
        tmp_path / "a.ipynb",
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nbf.clean_notebook(_executed()), "notebooks/d.ipynb")
    assert nbf.notebook_paths([]) == [Path("notebooks/d.ipynb")]  # the default folder
    assert nbf.notebook_paths(["d"]) == [Path("notebooks/d.ipynb")]


def test_dictionary_command_writes_the_data_readme(tmp_path, capsys):
    assert main(["dictionary", str(tmp_path)]) == 0
    written = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert written.startswith("# 数据字典 / Data dictionary")
    assert capsys.readouterr().out.strip() == str(tmp_path / "README.md")
    assert main(["dictionary", str(tmp_path / "missing")]) == 2
