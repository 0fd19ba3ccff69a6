"""Notebook display helpers: text tables, periods, work lists, comparisons."""

from __future__ import annotations

import pandas as pd

from innolib import notebooks as nbh


def test_text_counts_chinese_characters_double_width():
    lines = nbh.text(pd.DataFrame({"名称": ["甲乙", "a"], "n": [1, 22]})).splitlines()
    # "甲乙" is four columns wide, so the header and both rows end at the same column
    widths = {sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in lines}
    assert len(widths) == 1


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
