"""Notebook helpers and hygiene: clean, problems, staleness, the headline table, periods."""

from __future__ import annotations

import nbformat
import pandas as pd

from innolib import notebooks as nbh


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
    clean = nbh.clean_notebook(_executed())
    assert [c.metadata.get("tags", []) for c in clean.cells] == [[], ["parameters"], [], []]
    assert [c.execution_count for c in clean.cells if c.cell_type == "code"] == [1, 2, 3]
    assert clean.cells[3].outputs[0]["execution_count"] == 3
    assert all("papermill" not in c.metadata and "execution" not in c.metadata for c in clean.cells)
    assert "papermill" not in clean.metadata and "widgets" not in clean.metadata
    assert clean.metadata["kernelspec"] == {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    assert clean.metadata["language_info"] == {"name": "python"}
    assert nbh.clean_notebook(clean) == clean  # idempotent


def test_problems_name_what_is_wrong():
    assert nbh.problems(nbh.clean_notebook(_executed()), "a.ipynb") == []
    found = nbh.problems(_executed(), "a.ipynb")
    assert found == [
        "a.ipynb: not clean (execution counts, volatile metadata or kernelspec): run `make notebooks`"
    ]

    nb = nbh.clean_notebook(_executed())
    nb.cells[1].source = nb.cells[1].source.replace("lenient = False\n", "")
    nb.cells[2].outputs = []
    nb.cells[3].outputs = [
        nbformat.v4.new_output("error", ename="KeyError", evalue="'x'", traceback=[])
    ]
    assert nbh.problems(nb, "b.ipynb") == [
        "b.ipynb: the parameters cell lacks lenient",
        "b.ipynb: cell 2 is marked for output checking but has no stored output: run `make notebooks`",
        "b.ipynb: cell 3 stores an error output",
    ]
    nb.cells[1].metadata["tags"] = []
    assert "b.ipynb: needs exactly one cell tagged 'parameters' (has 0)" in nbh.problems(
        nb, "b.ipynb"
    )


def test_stale_cells_ignore_what_the_sanitizer_masks_and_report_real_changes():
    committed = nbh.clean_notebook(_executed())
    fresh = nbh.clean_notebook(_executed())
    fresh.cells[3].outputs[0]["data"]["text/plain"] = "<X at 0x7f00deadbeef>"  # another address
    assert nbh.stale_cells(committed, fresh, "a") == []
    fresh.cells[2].outputs[0]["text"] = "2\n"
    assert nbh.stale_cells(committed, fresh, "a") == [
        "a: cell 2 output is not current: run `make notebooks`"
    ]
    fresh.cells[2].source += "\nprint(2)"
    assert nbh.stale_cells(committed, fresh, "a") == ["a: cells differ from a fresh run"]


def test_text_counts_chinese_characters_double_width():
    lines = nbh.text(pd.DataFrame({"名称": ["甲乙", "a"], "n": [1, 22]})).splitlines()
    # "甲乙" is four columns wide, so the header and both rows end at the same column
    widths = {sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in lines}
    assert len(widths) == 1


def test_recent_periods_keep_the_kind_of_period():
    assert nbh.recent_periods("2025", 5) == ["2021", "2022", "2023", "2024", "2025"]
    assert nbh.recent_periods("2025Q3", 3) == ["2023Q3", "2024Q3", "2025Q3"]
    assert nbh.recent_periods("2025M09", 2) == ["2024M09", "2025M09"]


def test_resolve_out_none_writes_nothing(tmp_path):
    assert nbh.resolve_out(None) is None
    assert nbh.resolve_out(tmp_path / "run") == tmp_path / "run"
    assert (tmp_path / "run" / "figures").is_dir()


def test_work_list_shows_dates_as_days_and_counts_rows():
    frame = pd.DataFrame(
        {
            "name": ["甲", "乙", "丙"],
            "valid_until": pd.to_datetime(["2026-03-01", "2026-05-31", None]),
        }
    )
    html = nbh.work_list(frame, max_rows=2).data
    assert "2026-03-01" in html and "2026-05-31" in html and "00:00:00" not in html
    assert "内部工作清单：共3条（显示前2条）" in html and "丙" not in html
    assert nbh.work_list(frame, max_rows=2).data == html  # no random element ids


def test_the_command_takes_names_after_options(tmp_path, capsys):
    nbformat.write(nbh.clean_notebook(_executed()), str(tmp_path / "a.ipynb"))
    nbformat.write(_executed(), str(tmp_path / "b.ipynb"))
    assert nbh.main(["check", str(tmp_path), "a"]) == 0
    assert nbh.main(["check", str(tmp_path)]) == 1
    assert "b.ipynb: not clean" in capsys.readouterr().err


def test_a_notebook_file_or_a_missing_name_is_not_silently_skipped(tmp_path, capsys):
    """``check path/to/one.ipynb`` checks that file; a name that matches nothing is exit 2."""
    from pathlib import Path

    from innolib.notebooks import main

    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    assert main(["check", str(notebooks / "04_comparisons.ipynb")]) == 0
    assert "04_comparisons.ipynb" in capsys.readouterr().out
    assert main(["check", str(notebooks), "no_such_notebook"]) == 2
    assert (
        main(["check", str(tmp_path)]) == 2
    )  # an empty folder checks nothing: an error, not "clean"
    assert "no such notebook" in capsys.readouterr().err


def test_comparison_helpers_take_one_package_or_a_list():
    """04_comparisons' ``data`` may be a path or a list; its table text keeps every footnote."""
    from pathlib import Path

    from innolib import comparisons as cmp
    from innolib.notebooks import comparison_text, load_packages
    from innolib.periods import parse_period

    sample = Path(__file__).resolve().parents[1] / "data" / "shangjie"
    assert [p.district.id for p in load_packages(str(sample))] == ["shangjie"]
    packages = load_packages([sample, sample])
    assert [p.district.id for p in packages] == ["shangjie", "shangjie"]
    tables = [
        cmp.comparisons(pkg, parse_period("2025"), cmp.load_reference()) for pkg in packages[:1]
    ]
    rendered = comparison_text(tables)
    assert rendered.startswith(tables[0].attrs["title"])
    shown = cmp.comparison_table(tables[0])
    for i in shown.index:  # one numbered footnote line per compared row
        assert f"\n注[{i}]：" in rendered
