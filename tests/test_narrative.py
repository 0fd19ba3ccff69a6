"""Narrative: the bulletin's wording, left-out claims, the trace.

``mini_package()`` (in ``tests/conftest.py``) is a small district; the figures each test expects
are counted by hand from its rows (comments say which rows count).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import ENTERPRISES, TOWNS, _e, district, frames, mini_package  # noqa: F401

from innolib.indicators import compute_indicators
from innolib.narrative import Narrative, circulated, write_narrative
from innolib.periods import parse_period
from innolib.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]


def _digits_covered(n: Narrative) -> list[int]:
    """Positions of digits in the text that no trace span covers."""
    covered = set()
    for span in n.trace:
        covered.update(range(span.start, span.end))
    return [m.start() for m in re.finditer(r"[0-9０-９]", n.text) if m.start() not in covered]


# --------------------------------------------------------------------------- the full-year bulletin


@pytest.fixture(scope="module")
def year_zh() -> Narrative:
    return write_narrative(mini_package(), parse_period("2025"))


def test_full_year_narrative_writes_each_figure_in_bulletin_wording(year_zh):
    text = year_zh.text
    expected = [
        # a full year: 2025年 (not 2025年以来); the lead cites the registry's lead indicators
        "2025年，全区有效期高新技术企业2家，“四上”企业研发经费支出约4.5亿元",
        # 推荐: E1 (Mar), E2 (Aug), E3 (Aug) -> 3, none in earlier years: a first;
        # 申报: E1, E2 (第一批), E3 (第二批) -> 3 in 2 batches
        "全年，推荐3家企业认定郑州市科技型企业，实现零的突破，两批次申报高新技术企业3家，实现零的突破。",
        # 认定 科技型: E1, E2, E4; valid 高企 on 31 Dec: E1, E5 (E2 expired 30 Nov); 2024: 3
        "截至年底，全区累计培育郑州市科技型企业3家，有效期高新技术企业2家，较上年减少1家，河南省“瞪羚”企业1家，河南省创新龙头企业1家。",
        "对5家“四上”企业开展研发活动调查",
        # 15000+12000+10000+7987+0 = 44987 (约4.5亿元); 2024: 31000 -> +45.1%
        "“四上”企业研发经费支出约4.5亿元，同比增长45.1%",
        # 规上工业 rows E1, E2, E3, E5: 3 with R&D = 75%; 2024: 2 of 4 = 50% -> +25 pp (a rise: 达)
        "规模以上工业企业研发活动覆盖率达75%，较上年提高25个百分点",
        "等3项入选河南省科技发展计划",
        "向河南省推荐2025年度技术发明奖和科学技术进步奖各1项",
        # one name for a count of one: the name alone, never 甲材料等1家
        "全年，甲材料新获批国家级平台，乙装备新获评省级平台。",
        # national PL1; provincial PL2, PL3; municipal PL4 (PL5 revoked)
        "截至年底，全区研发平台中，国家级1家、省级2家、市级1家。",
        "专家实地考察1次",
        # participants of AC2: E2, E3 民营 (E1 国有 not counted)
        "2家民营企业参加技术需求对接会，对接单位有某工业大学郑州研究院，推动一项技术需求落地",
        "甲材料、乙装备等2家企业选聘河南省备案“科技副总”，征集企业人才需求3家",
        # 20000 + 15000 + 12312 = 47312; 2024: 50000 -> -5.4%: a fall, stated without 达
        "全区全年登记技术合同成交总金额为4.7亿余元，同比下降5.4%",
        "甲材料、丙科技等2家单位申报郑州市科技成果转移转化补助，2项绿色低碳先进技术成果申报省级认定",
        # AC3 银企对接 + AC4 政银企座谈会 in 2025; 10000 + 9000 + 9450 = 28450
        "举办银企对接活动2次，协调解决融资需求2.8亿余元",
    ]
    for phrase in expected:
        assert phrase in text, phrase
    assert text.rstrip().endswith("（区科技局）")


def test_structure_mirrors_the_seed_bulletin(year_zh):
    headings = [s.heading for s in year_zh.sections]
    assert headings == [
        "一、加快打造创新型企业成长生态圈。",
        "二、加速构建产学研用协同创新生态链。",
        "三、健全科技成果转移转化服务体系。",
    ]
    for section in year_zh.sections:
        assert [t[:2] for t in section.topics] == ["一是", "二是", "三是"]
        assert section.paragraph.startswith("一是")
    # no measures in the mini package: the title names the lead indicators that rose
    # (R&D expenditure 31000 -> 44987, provincial platforms 1 -> 2; high-tech 3 -> 2 fell)
    assert year_zh.text.startswith("# 全区研发投入增加 省级研发平台增多\n")


def test_project_titles_are_cited_from_the_data(year_zh):
    # P1 and P2 (enterprise bearers) are cited with their titles; the count covers P3 too
    assert "甲材料“高纯氧化铝制备技术研究”、乙装备“智能装备关键部件研发”等3项" in year_zh.text


def test_every_digit_is_inside_a_traced_figure(year_zh):
    assert _digits_covered(year_zh) == []
    assert len(year_zh.trace) >= 25


def test_trace_spans_point_at_what_was_written_and_at_the_indicator_values(year_zh):
    result = compute_indicators(mini_package(), parse_period("2025"))
    for span in year_zh.trace:
        assert year_zh.text[span.start : span.end] == span.text
        if span.field == "value":
            assert result[span.indicator].value == span.value
        if span.field == "change":
            assert result[span.indicator].change == span.value
        if span.field == "period":
            assert span.indicator == "period" and span.value == 2025
    iid, value, start, end = year_zh.trace[1]  # unpacks as (indicator, value, start, end)
    # the lead: 2025 (period), then the first lead indicator, high-tech enterprises (E1, E5)
    assert (iid, value) == ("hnte.valid", 2) and year_zh.text[start:end] == "2家"


def test_each_figure_sits_in_a_clause_with_one_of_its_registry_phrases(year_zh):
    """The fact-checker finds claims by the registry's phrases: the template must use them."""
    defs = load_registry()
    text = year_zh.text
    for span in year_zh.trace:
        if span.field != "value":
            continue
        left = max(text.rfind(p, 0, span.start) for p in "。；")
        right = min(i for i in (text.find(p, span.end) for p in "。；") if i >= 0)
        sentence = text[left + 1 : right].replace("2025年度", "")
        assert any(p in sentence for p in defs[span.indicator].phrases), (span.indicator, sentence)


# --------------------------------------------------------------------------- other periods, missing data


def test_quarter_narrative_uses_quarter_wording_and_leaves_out_the_annual_survey():
    n = write_narrative(mini_package(), parse_period("2025Q3"))
    assert n.text.count("第三季度") >= 2
    assert "2025年第三季度，全区" in n.text
    assert "全年" not in n.text and "2025年以来" not in n.text
    # Q3: 推荐 E2, E3; 申报 E3 only (one batch); none in any earlier Q3: firsts
    assert (
        "第三季度，推荐2家企业认定郑州市科技型企业，实现零的突破，一批次申报高新技术企业1家"
        in n.text
    )
    # stock on 30 Sep: E1, E2 (valid to 30 Nov), E5; on 30 Sep 2024: E1, E2
    assert "截至9月底，全区累计培育" in n.text
    assert "有效期高新技术企业由2家增至3家" in n.text
    # the survey is annual: no R&D claim, and the R&D point is gone (二是 is the projects point)
    assert "研发经费" not in n.text and "覆盖率" not in n.text and "普查" not in n.text
    assert "二是科技项目与奖励" in n.text
    # contracts in Q3: only C2 (one seller) and financing only F2: both fail disclosure
    assert "技术合同成交总金额" not in n.text and "融资需求" not in n.text
    assert "第三季度，举办银企对接活动1次" in n.text
    assert _digits_covered(n) == []


def test_zero_counts_are_not_bragged_about():
    # Q3 has no new national platform, no award nomination, no expert visit, no talent record
    n = write_narrative(mini_package(), parse_period("2025Q3"))
    assert not re.search(r"(?<![0-9.])0(家|项|次|个|批)", n.text)
    # 零 only in the set phrase of a first (实现零的突破), never as a count
    assert "零" not in n.text.replace("实现零的突破", "") and "奖各" not in n.text
    assert "国家级平台" not in n.text
    assert "乙装备新获评省级平台" in n.text  # PL2, approved 1 July: one name, no 等1家
    # the zero stays a value of the indicator (it is data, not "no data")
    assert (
        compute_indicators(mini_package(), parse_period("2025Q3"))["platforms.new_national"].value
        == 0
    )


def test_missing_table_leaves_its_claims_out_and_keeps_numbering_consecutive():
    n = write_narrative(mini_package(drop=("tech_contracts", "financing")), parse_period("2025"))
    assert "技术合同" not in n.text.split("（区科技局）")[0].split("三、")[1].split("一是")[1][:30]
    assert "成交总金额" not in n.text and "融资需求" not in n.text
    third = n.sections[2]
    assert third.topics[0] == "一是成果转化。"
    assert third.topics[1].startswith("二是科技金融")  # 银企对接 events still there
    assert "0万元" not in n.text and "0亿元" not in n.text
    assert _digits_covered(n) == []


def test_a_section_with_no_data_at_all_disappears_and_headings_renumber():
    n = write_narrative(
        mini_package(drop=("certifications", "rd_survey", "projects")), parse_period("2025")
    )
    assert n.sections[0].heading == "一、加速构建产学研用协同创新生态链。"
    assert n.sections[1].heading == "二、健全科技成果转移转化服务体系。"
    assert "加快打造创新型企业成长生态圈" not in n.text


def test_suppressed_money_is_left_out_but_counts_stay():
    # only two enterprises in the 2025 survey: 研发经费 fails the minimum-frequency rule
    survey = frames()["rd_survey"]
    survey = survey[~((survey["year"] == 2025) & survey["uscc"].isin([_e(3), _e(4), _e(5)]))]
    pkg = mini_package(rd_survey=survey)
    n = write_narrative(pkg, parse_period("2025"))
    assert "研发经费支出" not in n.text
    assert "对2家“四上”企业开展研发活动调查" in n.text  # counts are never suppressed
    safe = circulated(pkg, compute_indicators(pkg, parse_period("2025")))
    assert safe["rd.expenditure"].status == "suppressed" and safe["rd.expenditure"].value is None


def test_cutoff_clips_the_period_and_prose_says_so():
    n = write_narrative(mini_package(cutoff=dt.date(2025, 10, 31)), parse_period("2025"))
    assert "2025年以来（截至10月31日）" in n.text
    assert "截至10月31日，全区累计培育" in n.text
    assert "截至目前" not in n.text and "截至年底" not in n.text
    assert _digits_covered(n) == []


def test_english_narrative_has_the_same_figures_and_a_full_trace():
    n = write_narrative(mini_package(), parse_period("2025"), lang="en")
    assert "about CNY 450 million" in n.text
    assert "over CNY 470 million" in n.text and "over CNY 280 million" in n.text
    assert "high-tech enterprises with a valid certificate: 2" in n.text
    assert "Henan innovation leaders: 1" in n.text
    assert "up 25 percentage points" in n.text
    assert [s.heading[:3] for s in n.sections] == ["I. ", "II.", "III"]
    assert _digits_covered(n) == []


def test_unknown_language_is_a_usage_error():
    from innolib.errors import UsageError

    with pytest.raises(UsageError):
        write_narrative(mini_package(), parse_period("2025"), lang="fr")


# --------------------------------------------------------------------------- the sample district


def _shangjie():
    from innolib.load import load_package

    return load_package(ROOT / "data" / "shangjie")


def test_shangjie_2025_narrative_contains_every_bulletin_figure_in_its_wording():
    n = write_narrative(_shangjie(), parse_period("2025"))
    text = n.text
    for phrase in [
        "推荐17家企业认定郑州市科技型企业",
        "两批次申报高新技术企业40家",
        "累计培育郑州市科技型企业278家",
        "有效期高新技术企业由101家增至106家",
        "河南省“瞪羚”企业5家",
        "河南省创新龙头企业1家",
        "对144家“四上”企业",
        "研发经费支出约4.5亿元",
        "覆盖率达59%",
        "3项入选河南省科技发展计划",
        "科学技术进步奖各1项",
        "国家级2家、省级40家、市级62家",
        "11家民营企业",
        "一项技术需求落地",
        "3家企业选聘河南省备案“科技副总”",
        "征集企业人才需求9家",
        "成交总金额达4.7亿余元",
        "2家单位申报",
        "3项绿色低碳先进技术成果",
        "银企对接活动7次",
        "解决融资需求2.8亿余元",
    ]:
        assert phrase in text, phrase
    assert _digits_covered(n) == []


@pytest.mark.parametrize("period", ["2025", "2025Q3", "2025M09"])
def test_the_fact_checker_verifies_every_claim_of_the_narrative(period):
    """Round trip: prose written from the data reads back, claim by claim, as the data."""
    from innolib.factcheck import check_text

    pkg = mini_package()
    n = write_narrative(pkg, parse_period(period))
    claims = check_text(n.text, pkg, period).to_document()["claims"]
    assert claims, "the checker found no claim"
    bad = [
        (c["status"], c["value_text"], c["sentence"][:40])
        for c in claims
        if c["status"] != "verified"
    ]
    assert bad == []


@pytest.mark.parametrize(
    "period, lead",
    [
        ("2025H1", "2025年上半年，全区"),
        ("2025M09", "2025年前三季度，全区"),
        ("2025M10", "2025年1—10月，全区"),
    ],
)
def test_part_year_wording_and_full_trace(period, lead):
    n = write_narrative(mini_package(), parse_period(period))
    assert lead in n.text
    assert _digits_covered(n) == []
    if period == "2025M10":  # the digits of 1—10月 are traced as the period
        assert any(s.indicator == "period" and s.text == "1—10月" for s in n.trace)


def test_claim_language_optional_parts_changes_and_shared_figures():
    """The template mini-language on a hand-made result (values chosen here, not computed)."""
    from dataclasses import dataclass

    from innolib.narrative import _strip, _Writer

    @dataclass
    class V:
        value: object
        unit: str
        status: str = "ok"
        previous: object = None
        change: object = None
        change_unit: object = None

    @dataclass
    class R:
        values: dict

    result = R(
        {
            "a": V(12, "家", previous=10, change=20.0, change_unit="%"),
            "b": V(None, "批", "no_data"),
            "c": V(1, "项"),
            "d": V(1, "项"),
            "m": V(836.0, "万元", previous=1000.0, change=-16.4, change_unit="%"),
        }
    )
    w = _Writer(result, "zh")

    def render(pattern: str) -> str:
        return _strip(w.claim(pattern), w, 0, [], [])

    assert render("[[{b:cn}次]]申报{a}") == "申报12家"  # optional part dropped alone
    assert render("申报{a}，{b}") == ""  # a required figure missing: all gone
    assert (
        render("{a}，{a:yoy}；{a:diff}；上年{a:prev}")
        == "12家，同比增长20%；较上年增加2家；上年10家"
    )
    assert render("{m}，{m:yoy}，{m:diff}") == "836万元，同比下降16.4%，较上年减少164万元"
    assert render("各{c&d}") == "各1项"
    trace: list = []
    _strip(w.claim("各{c&d}"), w, 0, trace, [])
    assert [(t.indicator, t.text) for t in trace] == [("c", "1项"), ("d", "1项")]


def test_section_headings_render_bold_in_markdown(year_zh):
    """``**一、…。**一是`` is not bold in CommonMark; the stop must follow the closing marker."""
    import mistune

    html = mistune.html(year_zh.text)
    for section in year_zh.sections:
        assert f"<strong>{section.heading[:-1]}</strong>{section.heading[-1]}" in html
    assert "**" not in html
