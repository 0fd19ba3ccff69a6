"""Text from data stays text where it lands (docs/interface.md, "Text from data").

Names, titles and the bureau's own words are data: whatever a clerk or an attacker
typed must print as written in Markdown, HTML and Word, never become markup, a live
tag, a heading, a table row or a broken file. Expected escapes below are worked out
by hand from CommonMark's rules (a backslash before ASCII punctuation; ``& < >`` as
entities; a line opening with ``#`` or ``1.`` is a block).
"""

from __future__ import annotations

import re

import docx
import pandas as pd
import pytest
from nbconvert.filters.markdown import markdown2html_mistune

from innolib.present.markup import markdown_cell, markdown_text, plain_text
from tests.conftest import frames, mini_package


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("**甲**公司", r"\*\*甲\*\*公司"),
        ("# 标题", r"\# 标题"),
        ("1. 列表", r"1\. 列表"),
        ("a|b", r"a\|b"),
        ("[链接](javascript:x)", r"\[链接\](javascript:x)"),
        ("A&B", "A&amp;B"),
        # figures are left alone: a decimal point is no list marker, a % no markup
        ("2.7亿元，增长8.2%", "2.7亿元，增长8.2%"),
        # a break between Chinese characters disappears, between words it is a space
        ("技术\n合同", "技术合同"),
        ("ABC\r\nDEF", "ABC DEF"),
        # the second line would have been a table row: folded into the paragraph
        # (a space: "|" is ASCII)
        ("甲\n| a | b |", r"甲 \| a \| b \|"),
    ],
)
def test_markdown_text_escapes_by_commonmark_rules(raw, expected):
    assert markdown_text(raw) == expected


def test_a_table_cell_keeps_a_leading_minus_and_escapes_the_pipe():
    assert markdown_cell("-3.2") == "-3.2"
    assert markdown_cell("甲|乙") == r"甲\|乙"


def test_plain_text_drops_control_characters_and_folds_lines():
    # \x02 \x03 are the narrative's own figure markers: data must never carry them
    assert plain_text("甲\x02材\x03料\x07") == "甲材料"
    assert plain_text("  第一行\n  第二行 ") == "第一行第二行"
    assert plain_text("a\tb") == "a b"


# names carry no digit: the writer cites only names without digits (every digit of the
# text must be a traced figure)
HOSTILE = {
    1: "<script>alert(x)</script>甲\x03材料",  # \x03: the writer's own figure marker
    2: "**乙装备**",
    3: "# 丙科技\n| a | b |\n|---|---|",
    4: "[丁智能](javascript:alert(x))",
    5: "戊\x03新材\x07",
    6: '=HYPERLINK("http://x")己服务',
}
MEASURE = "<img src=x onerror=alert(1)>建立培育名单\n# 逐家辅导"


@pytest.fixture()
def hostile_package():
    enterprises = frames()["enterprises"].copy()
    enterprises["name"] = [HOSTILE[i + 1] for i in range(len(enterprises))]
    measures = pd.DataFrame(
        [{"period": "2025", "section": "1", "point": "pipeline", "text": MEASURE}]
    )
    return mini_package(enterprises=enterprises, measures=measures)


def _rendered(markdown: str) -> str:
    """Markdown as nbconvert renders it into a notebook's HTML page."""
    return markdown2html_mistune(markdown)


def test_hostile_names_stay_text_in_the_bulletin_markdown_and_word(hostile_package, tmp_path):
    from innolib.export import write_report
    from innolib.periods import parse_period

    written = write_report(hostile_package, parse_period("2025"), tmp_path)
    md = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    # not vacuous: the provincial platform's host (enterprise 2) and the 科技副总
    # enterprises (1 and 2) are cited by name, and the measures text is woven in
    assert "乙装备" in md and "甲材料" in md and "建立培育名单" in md
    html = _rendered(md)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html
    # the bulletin's own structure only: one title, one table; data opened no heading,
    # no table and no link; the bold around 乙装备 stays two asterisks of text
    assert len(re.findall(r"<h1", html)) == 1
    assert html.count("<table") == 1
    assert "<h2" not in html
    # nbconvert's own anchor beside the title is the only link
    assert re.findall(r"<a (?!class=\"anchor-link\")", html) == []
    assert "**乙装备**" in html
    assert len(written) >= 4
    text = "\n".join(p.text for p in docx.Document(tmp_path / "bulletin.docx").paragraphs)
    assert "<script>alert(x)</script>甲材料" in text and "**乙装备**" in text
    assert "\x03" not in text and "\x07" not in text


def test_hostile_names_stay_text_in_the_notebook_displays(hostile_package):
    from innolib.indicators import compute_indicators
    from innolib.notebooks import narrative_markdown, work_list
    from innolib.periods import parse_period

    result = compute_indicators(hostile_package, parse_period("2025"))
    html = _rendered(narrative_markdown(hostile_package, result).data)
    assert "乙装备" in html and "建立培育名单" in html
    assert "<script" not in html and "<img" not in html and "<h1" not in html

    listed = work_list(hostile_package.tables["enterprises"][["uscc", "name"]]).data
    assert "<script" not in listed and "&lt;script&gt;alert(x)&lt;/script&gt;甲材料" in listed


def test_a_dollar_pair_in_a_chart_label_prints_as_written():
    import matplotlib.pyplot as plt

    from innolib.theme import set_theme

    set_theme()
    fig, ax = plt.subplots()
    ax.set_title(r"$\foo$ 上街区")  # mathtext would fail the drawing on \foo
    fig.canvas.draw()
    assert ax.title.get_text() == r"$\foo$ 上街区"
    plt.close(fig)
