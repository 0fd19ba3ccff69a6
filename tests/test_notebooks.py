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


# ----------------------------------------------------------------------------- reader tables


def test_frame_table_rounds_as_the_bulletin_and_marks_missing_and_withheld_cells():
    frame = pd.DataFrame(
        {
            "name": ["甲", "乙", "丙"],
            "amount": [1234.56, None, 10.0],
            "rate": [12.345, 5.0, float("nan")],
            "flag": [True, False, True],  # not asked for: never shown
        }
    )
    table = nbh.frame_table(
        frame,
        {
            "name": ("名称", nbh.TEXT),
            "amount": ("金额（万元）", "万元"),
            "rate": ("比率（%）", "%"),
        },
        title="测试表",
        withheld=[set(), set(), {"amount"}],
    )
    # 1234.56 → 1,234.6 (0.1万元); 12.345 → 12.3 (half up on the decimal form); 5 → 5.0
    assert table.rows == [
        ("甲", "1,234.6", "12.3"),
        ("乙", "无数据", "5.0"),
        ("丙", "—", "无数据"),
    ]
    assert table.header == ("名称", "金额（万元）", "比率（%）")
    assert table.notes[0].startswith("注：“无数据”表示") and table.notes[1].startswith("注：“—”")
    text = repr(table)
    assert text.splitlines()[0] == "测试表" and "True" not in text and "nan" not in text.lower()
    html = table._repr_html_()
    assert '<td style="text-align:right">1,234.6</td>' in html
    assert '<td style="text-align:left">甲</td>' in html and "True" not in html


def test_targets_and_financing_tables_withhold_what_disclosure_control_flags():
    targets = pd.DataFrame(
        {
            "indicator": ["a.count", "b.money"],
            "name": ["推荐企业", "研发经费"],
            "unit": ["家", "万元"],
            "target": [20.0, 44500.0],
            "actual": [17.0, None],
            "completion": [85.0, None],
            "status": ["ok", "suppressed"],
            "note": ["", ""],
        }
    )
    shown = nbh.targets_table(targets)
    # no empty 说明, and no 完成情况 without an assessment (a part-year period)
    assert shown.header == ("指标", "单位", "年度目标", "完成", "完成率（%）")
    assert shown.rows == [
        ("推荐企业", "家", "20", "17", "85.0"),
        ("研发经费", "万元", "44,500.0", "—", "—"),
    ]
    assert "a.count" not in repr(shown)
    # a full year: 17 of 20 is 未完成; the withheld row has no verdict to show
    judged = nbh.targets_table(targets.assign(assessment=["未完成", ""]))
    assert judged.header[-1] == "完成情况"
    assert [row[-1] for row in judged.rows] == ["未完成", ""]
    financing = pd.DataFrame(
        {
            "product": ["郑科贷", "其他", "合计"],
            "records": [10, 1, 11],
            "enterprises": [10, 1, 11],
            "requested": [5896.82, 1032.61, 6929.43],
            "resolved": [4510.35, 863.32, 5373.67],
            "ratio": [76.487836, 83.605621, 77.548],
            "sensitive": [False, True, False],
        }
    )
    rows = nbh.financing_table(financing).rows
    # counts of enterprises are never withheld; the amounts of the one-firm product are
    assert rows[1] == ("其他", "1", "1", "—", "—", "—")
    assert rows[0] == ("郑科贷", "10", "10", "5,896.8", "4,510.4", "76.5")
    # the circulated summary marks complements by status and nulls their amounts
    circulated = financing.assign(status=["suppressed", "suppressed", "ok"])
    circulated.loc[0, ["requested", "resolved", "ratio"]] = float("nan")
    rows = nbh.financing_table(circulated).rows
    assert rows[0] == ("郑科贷", "10", "10", "—", "—", "—")  # withheld, not 无数据
    assert rows[2] == ("合计", "11", "11", "6,929.4", "5,373.7", "77.5")


def test_shown_table_keeps_the_frames_wording_and_aligns_numbers():
    frame = pd.DataFrame(
        {"单位": ["峡窝镇", "矿山街道"], "综合指数": [0.9375, 0.5], "结果": ["0.52%", ""]}
    )
    table = nbh.shown_table(frame, notes=["注：测试"])
    assert table.rows == [("峡窝镇", "0.938", "0.52%"), ("矿山街道", "0.500", "")]
    assert table.numeric == (False, True, True)
