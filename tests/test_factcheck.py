"""Fact-checker: claims read from bulletin prose, matched to indicators, checked with their qualifier.

Expected values are worked out by hand from the texts and small fake indicator sets
written here; the seed bulletin is checked against the shangjie sample package.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from innolib.factcheck import (
    CheckResult,
    Claim,
    check_claims,
    extract_claims,
    format_claims,
    holds,
    interval,
)
from innolib.periods import parse_period

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "factcheck_labelled.yaml"


# --------------------------------------------------------------------------- fakes


@dataclass
class FakeValue:
    value: float | int | None
    unit: str
    previous: float | int | None = None
    status: str = "ok"


class FakeSet:
    """What check_claims needs of an IndicatorSet: ``.values`` id -> value object."""

    def __init__(self, **values: FakeValue):
        self.values = {k.replace("__", "."): v for k, v in values.items()}


def one(text: str) -> Claim:
    claims = extract_claims(text)
    assert len(claims) == 1, [(c.value_text, c.unit) for c in claims]
    return claims[0]


def checked(text: str, fake: FakeSet) -> list[Claim]:
    return check_claims(extract_claims(text), fake)


# --------------------------------------------------------------------------- reading the text


def test_spans_point_into_the_text_as_read_line_breaks_included():
    text = "全区登记技术合同成交总金额达 4.7亿余\n\n元。"
    c = one(text)
    assert text[c.span[0] : c.span[1]] == "4.7亿余\n\n元"
    assert (c.value, c.value_text, c.unit, c.qualifier) == (4.7, "4.7", "亿元", "达…余")
    assert c.phrase == "登记技术合同成交总金额"
    assert c.indicator == "contracts.amount"


def test_a_phrase_broken_by_a_line_and_spaces_still_matches():
    text = "两批次申报高新技术企\n\n业 40家。"
    claims = extract_claims(text)
    assert [(c.value, c.unit, c.indicator) for c in claims] == [
        (2, "批次", "hnte.applied_batches"),
        (40, "家", "hnte.applied"),
    ]
    assert text[claims[1].span[0] : claims[1].span[1]] == "40家"


def test_full_width_and_half_width_punctuation_and_thousands_separators():
    text = "全区新增科技型企业 35家,累计达到 1,278 家；服务企业超过1,200家次。"
    claims = extract_claims(text)
    assert [(c.value, c.value_text, c.unit) for c in claims] == [
        (35, "35", "家"),
        (1278, "1,278", "家"),
        (1200, "1,200", "家次"),
    ]
    assert text[claims[1].span[0] : claims[1].span[1]] == "1,278 家"
    assert [c.qualifier for c in claims] == ["新增", "累计达到", "超过"]


def test_a_figure_split_across_lines_is_joined():
    c = extract_claims("技术合同成交额1.2\n亿元，同比增长2\n3.5%。")[1]
    assert (c.value, c.unit, c.qualifier, c.role) == (23.5, "%", "同比增长", "growth")


def test_full_width_digits_and_percent():
    c = one("规上工业企业研发活动覆盖率达５９．５％。")
    assert (c.value, c.unit) == (59.5, "%")


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("两批次申报高新技术企业。", 2, "批次"),
        ("促成一项技术需求落地。", 1, "项"),
        ("聚焦三大主导产业。", 3, ""),
        ("累计培育科技型企业三百余家。", 300, "家"),
        ("组织专家十二人。", 12, "人"),
        ("共举办活动近百场。", 100, "场"),
        ("争取资金三千余万元。", 3000, "万元"),
    ],
)
def test_chinese_numerals_become_numbers(text, value, unit):
    c = one(text)
    assert (c.value, c.unit) == (value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "2025年以来，区科技局锚定“两高四着力”“四高四争先”目标。",
        "依据郑政办〔2018〕97号文件，郑州市2025年第二批科技型企业名单于10月15日公示。",
        "一是完善培育机制。二是强化研发投入。三是构建攻关体系。",
        "2025年1—9月，取得一批国内外领先的核心技术成果，开展“一对一”上门服务。",
        "推动5G、3D打印等技术应用，拨打12345热线，实行一次性奖励。",
        "依据《郑州市科技型企业认定办法（2017年修订）》开展复核，构建四级培育库和三级研发平台体系。",
        "中铝郑州研究院“第三代半导体封装用高纯氧化铝的开发及产业化”项目顺利推进。",
    ],
)
def test_dates_years_document_numbers_ordinals_and_slogans_are_not_claims(text):
    assert extract_claims(text) == []


def test_breakdown_list_gives_each_figure_its_own_item():
    claims = extract_claims("形成国家级 2家、省级 40家、市级 62家的三级研发平台体系。")
    assert [(c.value, c.phrase, c.indicator) for c in claims] == [
        (2, "国家级", "platforms.national"),
        (40, "省级", "platforms.provincial"),
        (62, "市级", "platforms.municipal"),
    ]


def test_ge_applies_one_figure_to_each_item():
    text = "推荐 2025年度河南省技术发明奖和科学技术进步奖（技术开发类）各 1项。"
    claims = extract_claims(text)
    assert [(c.value, c.qualifier, c.indicator) for c in claims] == [
        (1, "各", "awards.nominated_invention"),
        (1, "各", "awards.nominated_progress"),
    ]
    assert claims[0].span == claims[1].span
    assert text[claims[0].span[0] : claims[0].span[1]] == "1项"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("推荐 17家企业认定郑州市科技型企业。", "tech_sme.recommended"),
        ("有效期高新技术企业 106家。", "hnte.valid"),
        ("对 144家“四上”企业实施研发活动普查。", "rd.surveyed"),
        ("天马新材等 3个项目成功入选河南省 2025年科技发展计划。", "projects.provincial_approved"),
        ("累计开展 7次银企对接活动。", "finance.events"),
        ("全区累计培育郑州市科技型企业 278家。", "tech_sme.cumulative"),
        ("省级研发平台新增 3家。", "platforms.new_provincial"),
    ],
)
def test_word_order_number_before_or_after_its_phrase(text, expected):
    assert one(text).indicator == expected


def test_claims_that_name_no_indicator_are_unmatched_never_guessed():
    claims = extract_claims("全区“专精特新”中小企业达到45家，其中国家级专精特新“小巨人”企业3家。")
    assert [c.indicator for c in claims] == [None, None]
    # a breakdown item without words of its own does not borrow its parent's indicator
    claims = extract_claims("有效期高新技术企业106家，其中32家位于峡窝镇。")
    assert claims[0].indicator == "hnte.valid" and claims[1].indicator is None
    # 重新认定 is not 新认定
    claims = extract_claims("有效期高新技术企业106家（其中新认定32家、重新认定21家）。")
    assert [c.indicator for c in claims] == ["hnte.valid", "hnte.recognized", None]


def test_new_never_matches_a_stock_or_survey_total():
    # rd.surveyed (annual) and rd.industrial_surveyed are totals, not what was added
    claims = extract_claims("全年新增“四上”企业 23 家，其中规上工业企业 11 家。")
    assert [(c.value, c.qualifier, c.indicator) for c in claims] == [
        (23, "新增", None),
        (11, "", None),
    ]
    assert one("新增省级研发平台5家。").indicator == "platforms.new_provincial"


def test_a_longer_noun_phrase_is_not_its_registry_tail():
    assert one("全区省级以上研发平台达到 45 家。").indicator is None  # not platforms.total
    claims = extract_claims(
        "全区登记技术合同成交总金额达 5.3 亿余元，其中技术开发合同成交额 2.1 亿元。"
    )
    assert [c.indicator for c in claims] == ["contracts.amount", None]


def test_idioms_and_comparisons():
    assert [
        (c.value, c.role) for c in extract_claims("连续五年保持两位数增长，2025年达到 4.74 亿元。")
    ] == [(4.74, "current")]
    claims = extract_claims(
        "高新技术产业增加值占规上工业增加值比重达 48.6%，比全市高 6.2 个百分点。"
    )
    assert [(c.role, c.qualifier) for c in claims] == [
        ("share", "占规上工业增加值比重达"),
        ("comparison", "比全市高"),
    ]
    claims = extract_claims("有效期高新技术企业106家，比上年多8家。")
    assert [(c.role, c.indicator) for c in claims] == [
        ("value", "hnte.valid"),
        ("growth", "hnte.valid"),
    ]


def test_average_growth_and_figures_of_other_years_get_no_verdict():
    @dataclass
    class P:
        year: int

    fake = FakeSet(contracts__amount=FakeValue(47_400.0, "万元", previous=30_000.0))
    fake.period = P(2025)
    claims = checked(
        "技术合同成交额由2021年的0.86亿元增长到2025年的4.74亿元，年均增长53.2%。", fake
    )
    assert [(c.role, c.status, c.indicator) for c in claims] == [
        ("base", "unmatched", None),
        ("current", "verified", "contracts.amount"),
        ("growth", "unmatched", None),
    ]


def test_the_unit_must_fit_the_indicator():
    assert one("研发经费支出 45家。").indicator is None  # money indicator, count unit
    assert one("有效期高新技术企业 106亿元。").indicator is None


def test_growth_base_and_current_figures_refer_to_their_subject():
    claims = extract_claims("全区高新技术企业由52家增长至117家，增长1.25倍。")
    assert [(c.value, c.role, c.qualifier, c.indicator) for c in claims] == [
        (52, "base", "由", "hnte.valid"),
        (117, "current", "增长至", "hnte.valid"),
        (1.25, "growth", "增长", "hnte.valid"),
    ]
    claims = extract_claims("实现“四上”企业研发经费支出约 4.5亿元，同比增长18.6%。")
    assert [(c.role, c.indicator, c.phrase) for c in claims] == [
        ("value", "rd.expenditure", "“四上”企业研发经费支出"),
        ("growth", "rd.expenditure", "“四上”企业研发经费支出"),
    ]


def test_paired_growth_rates_go_one_to_each_figure():
    claims = extract_claims("全年登记技术合同 326项，技术交易额 2.15亿元，分别增长 12.4%和 9.8%。")
    assert [(c.value, c.indicator, c.qualifier) for c in claims] == [
        (326, "contracts.count", ""),
        (2.15, "contracts.tech_amount", ""),
        (12.4, "contracts.count", "分别增长"),
        (9.8, "contracts.tech_amount", "分别增长"),
    ]


def test_fenbie_gives_one_item_to_each_figure():
    claims = extract_claims("国家级、省级研发平台分别为2家、40家。")
    assert [(c.value, c.phrase, c.indicator) for c in claims] == [
        (2, "国家级", "platforms.national"),
        (40, "省级研发平台", "platforms.provincial"),
    ]
    claims = extract_claims("其中技术开发和技术服务合同分别占 41.5% 和 47.2%。")
    assert [(c.phrase, c.qualifier, c.role) for c in claims] == [
        ("技术开发", "分别占", "share"),
        ("技术服务合同", "分别占", "share"),
    ]
    # the last noun of a list is not the subject of the list's total
    assert one("国家级、省级研发平台共42家。").indicator is None


def test_words_containing_a_qualifier_character_are_not_qualifiers():
    assert one("意向签约 19 项。").qualifier == ""
    assert one("研发经费支出大约4.5亿元。").qualifier == "大约"


def test_growth_against_another_base_gets_no_verdict():
    fake = FakeSet(hnte__valid=FakeValue(106, "家", previous=98))
    claims = checked(
        "全区高新技术企业数量较“十三五”末增长 1.8 倍，有效期高新技术企业106家，比2020年增长3倍。",
        fake,
    )
    assert [(c.role, c.status) for c in claims] == [
        ("growth", "unmatched"),
        ("value", "verified"),
        ("growth", "unmatched"),
    ]


def test_shares_and_rankings_are_claims_of_their_own():
    claims = extract_claims(
        "全区技术合同成交额3.2亿元，同比增长18.6%，增速全市排名第三，占全市的25.6%。"
    )
    roles = [(c.value, c.unit, c.role, c.qualifier) for c in claims]
    assert roles == [
        (3.2, "亿元", "value", ""),
        (18.6, "%", "growth", "同比增长"),
        (3, "", "rank", "排名第"),
        (25.6, "%", "share", "占全市的"),
    ]
    assert claims[0].indicator == "contracts.amount"
    assert (
        claims[2].indicator is None and claims[3].indicator is None
    )  # no city-wide data in a package


# --------------------------------------------------------------------------- verification


@pytest.mark.parametrize(
    "value, text, qualifier, inside, outside",
    [
        (4.5, "4.5", "约", [4.45, 4.5, 4.5499], [4.4499, 4.55]),
        (4.7, "4.7", "达…余", [4.7, 4.79], [4.6999, 4.8]),
        (120, "120", "余", [120, 129], [119, 130]),
        (100, "100", "多", [100, 199], [99, 200]),
        (59, "59", "达", [58.5, 59.49], [58.49, 59.5]),
        (60, "60", "超过", [61, 60.001], [60, 59]),
        (5, "5", "首次突破", [5.01], [5]),
        (100, "100", "近", [90, 99.9], [89.9, 100]),
        (120, "120", "约", [115, 124.9], [114.9, 125]),
        (106, "106", "", [106], [105, 107]),
        (3.18, "3.18", "", [3.175, 3.1849], [3.1749, 3.185]),
        (100, "100", "以上", [100, 500], [99.9]),
    ],
)
def test_qualifier_intervals(value, text, qualifier, inside, outside):
    bounds = interval(value, text, qualifier)
    for x in inside:
        assert holds(x, *bounds), (x, bounds)
    for x in outside:
        assert not holds(x, *bounds), (x, bounds)


def test_money_is_compared_in_the_claims_unit():
    fake = FakeSet(
        contracts__amount=FakeValue(47_386.2, "万元"),
        rd__expenditure=FakeValue(44_480.0, "万元"),
        finance__resolved=FakeValue(28_466.0, "万元"),
    )
    claims = checked(
        "全区登记技术合同成交总金额达 4.7亿余元，“四上”企业研发经费支出约 4.5亿元，"
        "协调解决融资需求 28466万元。",
        fake,
    )
    assert [(c.status, c.expected) for c in claims] == [
        ("verified", 4.73862),
        ("contradicted", 4.448),
        ("verified", 28466.0),
    ]


def test_growth_claims_use_the_change_against_a_year_earlier():
    fake = FakeSet(
        contracts__amount=FakeValue(37_950.0, "万元", previous=32_000.0),
        rd__coverage_industrial=FakeValue(58.97, "%", previous=55.07),
        hnte__valid=FakeValue(130, "家", previous=50),
    )
    # 37950 / 32000 - 1 = 18.59375 % ; +5950 万元 = 0.595 亿元
    claims = checked("技术合同成交额3.8亿元，同比增长18.6%，较上年增加0.6亿元。", fake)
    assert [(c.role, c.status) for c in claims] == [
        ("value", "verified"),
        ("growth", "verified"),
        ("growth", "verified"),
    ]
    assert claims[1].expected == pytest.approx(18.59375)
    assert claims[2].expected == pytest.approx(0.595)
    claims = checked("技术合同成交额3.8亿元，同比增长19.6%。", fake)
    assert claims[1].status == "contradicted"
    # rates: percentage points; 58.97 - 55.07 = 3.90
    claims = checked("规上工业企业研发活动覆盖率达 59%，较上年提高3.9个百分点。", fake)
    assert [c.status for c in claims] == ["verified", "verified"]
    # 增长1.6倍 = +160 %: 50 -> 130
    claims = checked("全区高新技术企业由50家增长至130家，增长1.6倍。", fake)
    assert [(c.role, c.status) for c in claims] == [
        ("base", "verified"),
        ("current", "verified"),
        ("growth", "verified"),
    ]
    claims = checked("全区高新技术企业由52家增长至130家。", fake)
    assert [c.status for c in claims] == ["contradicted", "verified"]
    claims = checked("有效期高新技术企业130家，同比下降5%。", fake)
    assert claims[1].status == "contradicted"


def test_no_data_and_unmatched_statuses():
    fake = FakeSet(rd__expenditure=FakeValue(None, "万元", status="no_data"))
    claims = checked("“四上”企业研发经费支出约 4.5亿元，惠及科技企业23家。", fake)
    assert [(c.status, c.expected) for c in claims] == [("no_data", None), ("unmatched", None)]
    result = CheckResult(claims)
    assert not result.contradicted


def test_claims_document_and_table():
    fake = FakeSet(hnte__valid=FakeValue(106, "家"), gazelle__valid=FakeValue(4, "家"))
    text = "有效期高新技术企业 106家，河南省“瞪羚”企业 5家。"
    result = CheckResult(checked(text, fake), district="x", period="2025")
    doc = result.to_document()
    assert doc["contradicted"] is True
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    first, second = doc["claims"]
    assert set(first) == {
        "sentence",
        "phrase",
        "value",
        "value_text",
        "unit",
        "qualifier",
        "span",
        "indicator",
        "status",
        "expected",
        "value_max",
        "phrase_rebuilt",
        "paragraph",
        "char",
        "note",
    }
    assert first == {
        "sentence": "有效期高新技术企业106家，河南省“瞪羚”企业5家。",
        "phrase": "有效期高新技术企业",
        "value": 106,
        "value_text": "106",
        "unit": "家",
        "qualifier": "",
        "span": [10, 14],
        "indicator": "hnte.valid",
        "status": "verified",
        "expected": 106.0,
        "value_max": None,
        "phrase_rebuilt": False,
        "paragraph": 1,
        "char": 11,  # 有效期高新技术企业 (9) + a space: 106 starts at the 11th character
        "note": "",
    }
    assert (second["status"], second["expected"], second["phrase"]) == (
        "contradicted",
        4.0,
        "河南省“瞪羚”企业",
    )
    table = format_claims(result)
    assert (
        "不符 contradicted" in table
        and "gazelle.valid" in table
        and "河南省“瞪羚”企业｜5家" in table
    )


# --------------------------------------------------------------------------- labelled sentences


def _labelled() -> list[dict]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]


def test_labelled_set_is_large_enough_and_has_a_held_out_part():
    items = _labelled()
    assert len(items) >= 60
    assert sum(i["part"] == "heldout" for i in items) >= 20
    assert any(not i["claims"] for i in items if i["part"] == "heldout")


@pytest.mark.parametrize("part", ["tuned", "heldout"])
def test_extraction_scores_on_labelled_sentences(part):
    floor = 0.95  # the aim for phrase and qualifier; 0.98 for (value, unit)
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_factcheck import score

    s = score([i for i in _labelled() if i["part"] == part])
    assert s["recall"] >= 0.98 and s["precision"] >= 0.98, s
    assert s["phrase"] >= floor and s["qualifier"] >= floor, s


# --------------------------------------------------------------------------- the seed bulletin


@pytest.fixture(scope="module")
def shangjie():
    """The shangjie sample package (data/shangjie, or the synthetic default it is made from)."""
    from innolib.load import load_package

    return load_package(ROOT / "data" / "shangjie")


@pytest.fixture(scope="module")
def seed_text(seed_bulletin):
    return seed_bulletin


@pytest.fixture(scope="module")
def seed_values(shangjie, seed_text):
    from innolib.indicators import compute_indicators

    ids = sorted({c.indicator for c in extract_claims(seed_text) if c.indicator})
    return compute_indicators(shangjie, parse_period("2025"), ids=ids)


# every figure of the seed: (as written in the text, indicator); written by reading the bulletin
SEED_FIGURES = [
    ("17家", "tech_sme.recommended"),
    ("两批次", "hnte.applied_batches"),
    ("40家", "hnte.applied"),
    ("278家", "tech_sme.cumulative"),
    ("106家", "hnte.valid"),
    ("5家", "gazelle.valid"),
    ("1家", "leader.valid"),
    ("144家", "rd.surveyed"),
    ("4.5亿元", "rd.expenditure"),
    ("59%", "rd.coverage_industrial"),
    ("3个", "projects.provincial_approved"),
    ("1项", "awards.nominated_invention"),
    ("1项", "awards.nominated_progress"),
    ("2家", "platforms.new_provincial"),
    ("2家", "platforms.national"),
    ("40家", "platforms.provincial"),
    ("62家", "platforms.municipal"),
    ("11家", "collab.matchmaking_private"),
    ("一项", "collab.demands_landed"),
    ("3家", "talent.vp_enterprises"),
    ("9家", "talent.demand_enterprises"),
    ("4.7亿余元", "contracts.amount"),
    ("2家", "subsidy.applicants"),
    ("3项", "green_tech.submitted"),
    ("7次", "finance.events"),
    ("2.8亿余元", "finance.resolved"),
]


def test_seed_claims_are_the_bulletins_figures(seed_text):
    claims = extract_claims(seed_text)
    found = [("".join(seed_text[c.span[0] : c.span[1]].split()), c.indicator) for c in claims]
    assert found == SEED_FIGURES


def test_seed_bulletin_holds_against_the_shangjie_package(seed_text, seed_values):
    claims = check_claims(extract_claims(seed_text), seed_values)
    bad = [(c.figure, c.indicator, c.status, c.expected) for c in claims if c.status != "verified"]
    assert bad == []


def _mutate(figure: str) -> str:
    """The same figure with its leading digit changed (两 -> 三, 一 -> 两)."""
    cn = {"一": "两", "两": "三", "二": "三", "三": "四"}
    first = figure[0]
    if first in cn:
        return cn[first] + figure[1:]
    return str(int(first) + 1 if first != "9" else 8) + figure[1:]


def _seed_spans(seed_text):
    spans = sorted({c.span for c in extract_claims(seed_text)})
    return spans


@pytest.mark.parametrize("k", range(25))
def test_changing_one_seed_figure_contradicts_exactly_that_claim(k, seed_text, seed_values):
    spans = _seed_spans(seed_text)
    assert len(spans) == 25  # 26 claims: 各 1项 is one figure for two items
    start, end = spans[k]
    figure = seed_text[start:end]
    changed = seed_text[:start] + _mutate(figure) + seed_text[end:]
    claims = check_claims(extract_claims(changed), seed_values)
    assert len(claims) == 26
    contradicted = {c.span for c in claims if c.status == "contradicted"}
    assert contradicted == {(start, end)}, (figure, _mutate(figure))
    assert all(c.status == "verified" for c in claims if c.span != (start, end))


def test_check_command_exit_codes_and_json(shangjie, seed_text, tmp_path, capsys):
    from innolib.cli import main

    data = ROOT / "data" / "shangjie"
    if not data.exists():
        from innolib.synth import generate

        data = generate(tmp_path / "shangjie")
    good = tmp_path / "good.txt"
    good.write_text(seed_text, encoding="utf-8")
    assert main(["check", str(good), "--data", str(data), "--period", "2025"]) == 0
    assert "相符 verified 26" in capsys.readouterr().out
    bad = tmp_path / "bad.txt"
    bad.write_text(
        seed_text.replace("有效期高新技术企业 106家", "有效期高新技术企业 116家"), encoding="utf-8"
    )
    assert main(["check", str(bad), "--data", str(data), "--period", "2025", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    wrong = [c for c in doc["claims"] if c["status"] == "contradicted"]
    assert [(c["value"], c["indicator"], c["expected"]) for c in wrong] == [
        (116, "hnte.valid", 106.0)
    ]
    assert re.fullmatch(r"\d+", str(doc["claims"][0]["span"][0]))


def test_check_command_refuses_a_draft_that_is_not_utf8(tmp_path, capsys):
    from innolib.cli import main

    draft = tmp_path / "draft.txt"
    draft.write_bytes("有效期高新技术企业106家。".encode("gb18030"))
    assert main(["check", str(draft), "--data", str(tmp_path), "--period", "2025"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "UTF-8" in err and "Traceback" not in err


# --------------------------------------------------------------------------- hostile drafts


def test_an_empty_draft_is_a_usage_error(tmp_path, capsys):
    from innolib.cli import main

    draft = tmp_path / "empty.txt"
    draft.write_text(" \n\u3000\n", encoding="utf-8")
    assert main(["check", str(draft), "--data", str(tmp_path), "--period", "2025"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "稿件为空" in err and "empty" in err


def test_a_draft_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys):
    from innolib.cli import main
    from innolib.factcheck import MAX_DRAFT_BYTES

    draft = tmp_path / "huge.txt"
    draft.write_bytes(b"a" * (MAX_DRAFT_BYTES + 1))
    assert main(["check", str(draft), "--data", str(tmp_path), "--period", "2025"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "稿件过大" in err and "too large" in err
    with pytest.raises(Exception, match="too large"):
        extract_claims("家" * (MAX_DRAFT_BYTES // 3 + 1), {})  # 3 bytes a character in UTF-8


def _cpu_seconds(text: str) -> float:
    import time

    start = time.process_time()
    extract_claims(text)
    return time.process_time() - start


def test_reading_is_linear_even_without_sentence_ends():
    # 12 figures a unit of text and no 。 at all: the whole draft was one sentence, and the
    # per-figure look-back and the per-sentence lists made it quadratic (16x for 4x the text);
    # linear is 4x, allow 8x for a busy machine
    unit = "高新技术企业达到106家同比增长12.5%技术合同成交额4.7亿元" * 4
    small, large = unit * 60, unit * 240
    _cpu_seconds(small)  # warm the registry and regex caches
    ratio = _cpu_seconds(large) / max(_cpu_seconds(small), 1e-3)
    assert ratio < 8, ratio


def test_a_sentence_without_end_is_cut_at_a_clause_boundary():
    from innolib.factcheck.segments import MAX_SENTENCE

    clause = "新增高新技术企业12家，"
    claims = extract_claims(clause * (3 * MAX_SENTENCE // len(clause)))
    assert len(claims) == 3 * MAX_SENTENCE // len(clause)
    assert all(c.value == 12 and c.unit == "家" for c in claims)
    assert max(len(c.sentence) for c in claims) <= MAX_SENTENCE
    assert all(c.sentence.startswith("新增") for c in claims)  # cut after a comma, not mid-clause


def test_non_finite_numbers_never_reach_json():
    fake = FakeSet(contracts__amount=FakeValue(float("inf"), "万元", previous=1.0))
    huge = "9" * 400 + ".5"
    text = f"技术合同成交额 4.7亿元，同比增长12%。某项目投资{huge}亿元。"
    result = CheckResult(checked(text, fake))
    strict = json.dumps(result.to_document(), allow_nan=False)  # raises on NaN / Infinity
    claims = json.loads(strict)["claims"]
    assert [(c["status"], c["expected"]) for c in claims[:2]] == [("no_data", None)] * 2
    assert claims[2]["value"] is None and claims[2]["value_text"] == huge


def test_a_docx_draft_gives_paragraph_and_character(tmp_path, capsys):
    import docx

    from innolib.factcheck import read_draft

    document = docx.Document()
    document.add_paragraph("一、主要成效")
    document.add_paragraph("全区有效期高新技术企业 106家。")
    table = document.add_table(rows=2, cols=3)
    for cell, word in zip(table.rows[0].cells, ["序号", "指标", "完成"]):
        cell.text = word
    for cell, word in zip(table.rows[1].cells, ["1", "技术合同成交额", "4.7亿元"]):
        cell.text = word
    path = tmp_path / "draft.docx"
    document.save(path)
    draft = read_draft(str(path))
    assert draft.text.splitlines()[2:] == ["序号|指标|完成", "1|技术合同成交额|4.7亿元"]
    by_value = {c.value: c for c in extract_claims(draft)}
    assert (by_value[106].paragraph, by_value[106].char) == (
        2,
        13,
    )  # 全区有效期高新技术企业 + space
    assert (by_value[4.7].paragraph, by_value[4.7].char) == (4, 11)  # 1|技术合同成交额| is 10
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(Exception, match="not a readable Word file"):
        read_draft(str(broken))


# --------------------------------------------------------------------------- real bulletins


def test_table_row_numbers_list_ordinals_and_footnote_marks_are_not_claims():
    table = (
        "序号|工作任务|完成情况\n"
        "1|围绕高新技术企业培育，全区高新技术企业总量达到160家|完成\n"
        "2|企业技术合同交易额40亿元|完成\n"
    )
    assert [(c.value, c.unit) for c in extract_claims(table)] == [(160, "家"), (40, "亿元")]
    web_table = "序号\n|\n工作任务\n|\n1\n|\n入库科技型中小企业200家。\n|"  # one cell a line
    assert [(c.value, c.unit) for c in extract_claims(web_table)] == [(200, "家")]
    notes = "技术合同成交额4.7亿元1，研发投入强度2.1%²。①高企培育 ②科小入库\n目 录\n1\n"
    assert [(c.value, c.unit) for c in extract_claims(notes)] == [(4.7, "亿元"), (2.1, "%")]


def test_page_numbers_of_a_printed_document_are_not_claims():
    pdf = "全区新增高新技术企业12家。\n- 3 -\n— 4 —\n第5页 共10页\n6/10\n7\n技术合同成交额5亿元。\n"
    assert [(c.value, c.unit) for c in extract_claims(pdf, {})] == [(12, "家"), (5, "亿元")]
    (c,) = extract_claims("其中高新技术企业占3/4。", {})  # a fraction in a sentence is one
    assert c.value == 0.75


@pytest.mark.parametrize(
    "text",
    [
        "630下午县长调研科技局工作。浏览:0次",  # a date written 630; a page's view counter
        "深入学习党的二十大精神，获评内蒙十大科技名牌产品。",  # names, not counts
        "推进二轮协作，了解新一轮评价办法，作为考核的一项主要指标。",  # ordinals, an article
        "联系电话0595-22631053，发布时间2025-05-07 15:23，统计期为1-3月。",
    ],
)
def test_web_page_furniture_and_names_are_not_claims(text):
    assert extract_claims(text) == []


def test_a_range_is_one_claim_with_its_upper_end():
    (c,) = extract_claims("开展科技政策宣讲4到5场。")
    assert (c.value, c.value_max, c.unit, c.figure) == (4, 5, "场", "4到5场")
    (c,) = extract_claims("研发投入强度为3%—5%。")
    assert (c.value, c.value_max, c.unit) == (3, 5, "%")
    assert interval(4, "4", "", 5) == (4, True, 5, True)  # 4 ≤ x ≤ 5
    assert c.to_dict()["value_max"] == 5


def test_a_list_shares_its_head_and_its_qualifier():
    first, second = extract_claims("全区共有国家级科技企业孵化器1家、省级1家。")
    assert (first.phrase, first.phrase_rebuilt) == ("国家级科技企业孵化器", False)
    assert (second.phrase, second.phrase_rebuilt) == ("省级科技企业孵化器", True)
    assert second.indicator is None  # the level alone (registry phrase 省级) names no incubator
    claims = extract_claims("新增省级工程研究中心7家、省重点实验室4家。")
    assert [(c.phrase, c.qualifier) for c in claims] == [
        ("省级工程研究中心", "新增"),
        ("省重点实验室", "新增"),
    ]


def test_a_verb_far_from_its_figure_is_its_qualifier():
    (c,) = extract_claims("完成科技型中小企业评价入库113家。")
    assert (c.phrase, c.qualifier) == ("科技型中小企业评价入库", "完成")
    (c,) = extract_claims("截止3月底已完成年报数据80.72亿元。")
    assert (c.phrase, c.qualifier) == ("年报数据", "完成")


def test_targets_and_forecasts_say_so_in_the_qualifier():
    claims = extract_claims("到2027年，力争高新技术企业突破90家、科技型企业超过870家。")
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (90, "高新技术企业", "到2027年…力争…突破"),
        (870, "科技型企业", "到2027年…力争…超过"),
    ]
    growth = extract_claims("技术合同成交额由0.86亿元增长到2025年的4.74亿元。")
    assert [c.qualifier for c in growth] == ["由", "增长到"]  # 增长到2025年: no target


def test_no_phrase_is_a_fragment():
    from benchmarks.bench_factcheck import load_bulletins

    fragments = {"、", ")", "）", "(", "和", "预计", "力争", "新增", "累计", "完成", "分别"}
    # tuned bulletins only: a failure prints the claim, and held-back bulletins are scored,
    # never looked at claim by claim (tests/data/bulletins/README.md)
    for item in [i for i in load_bulletins() if i["part"] == "tuned"]:
        for c in extract_claims(item["text"]):
            assert c.phrase not in fragments, (item["id"], c.figure, c.phrase)
            assert not c.phrase.startswith(("、", ")", "）", "|")), (item["id"], c.phrase)


def test_the_second_labelling_is_of_tuned_texts_in_the_labels_form():
    import yaml

    from benchmarks.bench_factcheck import BULLETINS, RELABELLED

    files = sorted(RELABELLED.glob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        second = yaml.safe_load(path.read_text(encoding="utf-8"))
        first = yaml.safe_load((BULLETINS / f"{second['id']}.yaml").read_text(encoding="utf-8"))
        assert first["part"] == "tuned", path  # a held-back text is never shown to anyone
        assert second["claims"] and all(len(c) in (4, 5) for c in second["claims"]), path


def test_the_second_labelling_of_held_back_texts_covers_them_all_in_the_labels_form():
    import yaml

    from benchmarks.bench_factcheck import BULLETINS, RELABELLED_HELDOUT, load_bulletins

    held = {i["id"] for i in load_bulletins() if i["part"] == "heldout"}
    files = {p.stem: p for p in RELABELLED_HELDOUT.glob("*.yaml")}
    assert set(files) == held  # every held-back text, nothing else
    for tid, path in files.items():
        second = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert second["id"] == tid and (BULLETINS / f"{tid}.txt").exists(), tid
        # only the file's name in a failure: its claims are never shown
        assert all(len(c) in (4, 5) for c in second["claims"] or []), tid


def test_two_labellings_are_compared_claim_by_claim():
    from types import SimpleNamespace

    from benchmarks.bench_factcheck import as_labels, compare, rates

    first = as_labels(
        [[5, "家", "高新技术企业", "新增"], [3, "个", "平台", ""], [2.5, "亿元", "成交额", "达"]]
    )
    second = [
        SimpleNamespace(
            value=5, unit="家", value_max=None, phrase="新增高新技术企业", qualifier="新增"
        ),
        SimpleNamespace(value=3, unit="个", value_max=None, phrase="研发平台", qualifier=""),
        SimpleNamespace(value=7, unit="项", value_max=None, phrase="项目", qualifier=""),
    ]
    got = rates([compare("t", second, first)])
    # 5家 and 3个 pair, 2.5亿元 is missed, 7项 is extra; 高新技术企业 is 6 of 新增高新技术企业's
    # 8 characters (≥ 2/3: right), 平台 2 of 研发平台's 4 (< 2/3: wrong); both qualifiers agree
    assert (got["recall"], got["precision"], got["phrase"], got["qualifier"]) == (
        2 / 3,
        2 / 3,
        1 / 2,
        1.0,
    )


#: floors of the tuned part per group of batches (recall, precision, phrase, qualifier):
#: each a little under the figures at the end of issue 16's second session, so that a
#: change that loses what was learned fails. First runs, before any rule was written for a
#: batch (tests/data/bulletins/README.md): batches 1-2 0.950/0.944/0.771/0.718; 3-4
#: 0.815/0.770/0.526/0.742; 5 1.000/0.961/0.857/0.878; 6 0.900/0.900/0.622/0.844;
#: 7 1.000/0.957/0.773/0.977; 8 0.938/0.882/0.400/0.800. End of the session (bench_factcheck):
#: 1-2 1.000/1.000/0.933/1.000; 3-5 0.988/0.994/0.892/0.964; 6 1.000/0.980/0.900/0.960;
#: 7 1.000/0.957/0.864/1.000; 8 1.000/1.000/0.500/0.812.
TUNED_FLOORS = {
    (1, 2): (0.98, 0.98, 0.91, 0.98),
    (3, 4, 5): (0.97, 0.97, 0.87, 0.94),
    (6,): (0.98, 0.96, 0.88, 0.94),
    (7,): (0.98, 0.95, 0.84, 0.97),
    (8,): (0.93, 0.93, 0.50, 0.80),
}


def test_real_bulletins_tuned_part_does_not_regress():
    from benchmarks.bench_factcheck import load_bulletins, score

    items = load_bulletins()
    assert len(items) >= 60 and len({i["id"] for i in items}) == len(items)
    batches = sorted({i["batch"] for i in items})
    assert batches == list(range(1, 9))
    for batch in batches:  # each batch holds back a third of itself
        of_batch = [i for i in items if i["batch"] == batch]
        assert 3 * len([i for i in of_batch if i["part"] == "heldout"]) >= len(of_batch)
    tuned = [i for i in items if i["part"] == "tuned"]
    for group, floors in TUNED_FLOORS.items():
        s = score([i for i in tuned if i["batch"] in group])
        got = (s["recall"], s["precision"], s["phrase"], s["qualifier"])
        assert all(g >= f for g, f in zip(got, floors, strict=True)), (group, got, floors)


def test_a_count_in_chinese_numerals_counts_the_noun_after_it():
    (c,) = extract_claims("狠抓高新技术企业认定和科技型中小企业入库两项工作。")
    assert (c.value, c.unit, c.phrase) == (2, "项", "工作")


def test_a_growth_shared_by_a_list_says_同比分别():
    claims = extract_claims("研发投入3亿元，发明专利授权200件，同比分别增长12.5%和8%。")
    assert [(c.value, c.phrase, c.qualifier) for c in claims[2:]] == [
        (12.5, "研发投入", "同比分别增长"),
        (8, "发明专利授权", "同比分别增长"),
    ]


def test_完成_right_before_a_figure_is_its_qualifier():
    claims = extract_claims("全县技术合同登记额累计完成2.3亿元，高新技术产业产值完成80亿元。")
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (2.3, "技术合同登记额", "累计完成"),
        (80, "高新技术产业产值", "完成"),
    ]
    (rate,) = extract_claims("年度任务完成率107%。")
    assert (rate.phrase, rate.qualifier) == ("年度任务完成率", "")


def test_no_qualifier_inside_quotation_marks():
    (c,) = extract_claims("“研发投入占比”达2.5%以上。")
    assert (c.phrase, c.qualifier) == ("“研发投入占比”", "达…以上")


def test_a_forecast_stops_at_a_semicolon_and_at_what_is_done():
    claims = extract_claims("预计全年新增高企12家,已认定瞪羚企业3家;培育实验室2个。")
    assert [(c.value, c.qualifier) for c in claims] == [(12, "预计全年新增"), (3, ""), (2, "")]
    deadline = extract_claims("到2030年,孵化器达到10家;众创空间突破20家。")
    assert [c.qualifier for c in deadline] == ["到2030年…达到", "到2030年…突破"]


def test_a_clause_after_a_comma_keeps_its_own_qualifier():
    # the labelled sentences read 累计 as the first clause's only (h31, h38)
    claims = extract_claims("全县累计申请专利300件,授权专利120件;新增孵化器2家,现有孵化器9家。")
    assert [(c.value, c.qualifier) for c in claims] == [
        (300, "累计"),
        (120, ""),
        (2, "新增"),
        (9, ""),
    ]


def test_a_heading_line_list_ordinals_and_periods_are_no_part_of_a_phrase():
    (c,) = extract_claims("二、科技企业培育\n高新技术企业达到56家。")
    assert (c.phrase, c.qualifier) == ("高新技术企业", "达到")
    claims = extract_claims("1、培育科普基地15家;2、达成产学研合同20个。")
    assert [c.phrase for c in claims] == ["培育科普基地", "达成产学研合同"]
    (c,) = extract_claims("1-6月全县申请专利200件。")
    assert c.phrase == "申请专利"
    (c,) = extract_claims("我局2024年度部门整体支出绩效自评得分为99.77。")
    assert (c.phrase, c.value) == ("部门整体支出绩效自评得分", 99.77)
    (c,) = extract_claims("累计增速25%。")
    assert (c.phrase, c.qualifier) == ("累计增速", "累计")  # not cut down to 增速


def test_the_thing_counted_after_a_verb_or_before_a_predicate():
    (c,) = extract_claims("全年共发布了27条工作动态信息。")
    assert (c.value, c.unit, c.phrase) == (27, "条", "工作动态信息")
    (c,) = extract_claims("局里对12个项目进行验收。")
    assert (c.value, c.phrase) == (12, "项目")
    (c,) = extract_claims("报告由六个部分组成。")
    assert (c.value, c.phrase) == (6, "部分")
    (c,) = extract_claims("指导9家企业技术中心完成了年度评价。")
    assert (c.value, c.phrase) == (9, "企业技术中心")


def test_a_range_with_an_inclusive_mark_units_of_plants_and_spoken_hundred_millions():
    (c,) = extract_claims("自评得分在90(含)-100分。")
    assert (c.value, c.value_max, c.unit) == (90, 100, "分")
    assert extract_claims("这项工作十分重要。") == []
    claims = extract_claims("种植核桃苗8000株,技术交易额达2个亿。")
    assert [(c.value, c.unit) for c in claims] == [(8000, "株"), (2, "个亿")]


def test_一_before_a_description_with_的_is_an_article():
    assert extract_claims("走出了一条具有特色的发展路子。") == []
    (c,) = extract_claims("促成一项技术需求落地。")
    assert (c.value, c.unit) == (1, "项")


def test_figures_under_a_target_heading_or_in_a_target_table_are_targets():
    claims = extract_claims(
        "(一)年度目标\n高新技术企业达到130家以上。\n(二)完成情况\n高新技术企业126家。"
    )
    assert [(c.value, c.qualifier) for c in claims] == [(130, "目标…达到…以上"), (126, "")]
    table = "绩效目标申报表|||\n科目|金额(万元)\n资金总额|211.62\n整体目标|培育企业15家\n合作项目数量|20项以上\n"
    claims = extract_claims(table)
    assert [(c.value, c.unit, c.phrase, c.qualifier) for c in claims] == [
        (211.62, "万元", "资金总额", ""),  # the unit its header states; a title row is no header
        (15, "家", "培育企业", "目标"),
        (20, "项", "合作项目数量", "目标…以上"),  # the row's indicator, the cell before
    ]


def test_a_table_written_one_cell_per_line_is_read_cell_by_cell():
    # a web page's table as text: every cell on its own line, no | between them
    table = (
        "三级指标\n指标值\n新认定高新技术企业数量\n6家以上\n入库科技型中小企业\n50家\n"
        "序号\n项目名称\n金额(万元)\n1\n创新驱动专项资金\n120.5\n2\n科技特派员资金\n35\n"
    )
    assert [(c.value, c.unit, c.phrase, c.qualifier) for c in extract_claims(table)] == [
        (6, "家", "新认定高新技术企业数量", "以上"),  # the cell above names it
        (50, "家", "入库科技型中小企业", ""),  # not 以上入库…: a cell's words end with it
        (120.5, "万元", "创新驱动专项资金", ""),  # the unit of the header cell above
        (35, "万元", "科技特派员资金", ""),  # a value among row numbers 1, 2: not 352
    ]
    # a row's bare figures among cells one per line: values, named by the row's cell of words
    scores = "三级指标\n年度指标值\n分值\n得分\n开展交流活动\n3次\n10\n9\n\n目 录\n1\n"
    assert [(c.value, c.unit, c.phrase) for c in extract_claims(scores, {})] == [
        (3, "次", "开展交流活动"),
        (10, "", "开展交流活动"),
        (9, "", "开展交流活动"),  # the table's last cell; the page number under 目 录 is none
    ]
    # a table row: the first cell's number counts rows, a later cell's is a value
    rows = "序号|项目|数量\n1|孵化器|3\n2|众创空间|12\n"
    assert [(c.value, c.unit, c.phrase) for c in extract_claims(rows)] == [
        (3, "", "孵化器"),
        (12, "", "众创空间"),
    ]
    # a short line alone is a wrapped line of prose, not a cell: its words run on
    (c,) = extract_claims("全区有效期高新\n技术企业106家。")
    assert c.phrase == "有效期高新技术企业"


def test_a_subject_before_the_verb_is_no_part_of_what_is_counted():
    (c,) = extract_claims("中铝研究院牵头承担国家重点研发计划项目2项。", {})
    assert c.phrase == "承担国家重点研发计划项目"
    # the count before: the words after it, verb and all (as the labelled 帮助21家企业获得贷款)
    first, second = extract_claims("为12家科技型中小企业提供贷款贴息120万元。", {})
    assert (first.phrase, second.phrase) == ("科技型中小企业提供贷款贴息", "提供贷款贴息")
    (c,) = extract_claims("开展产学研合作项目20项。", {})  # a verb leading the words stays
    assert c.phrase == "开展产学研合作项目"


def test_figures_without_words_speak_of_the_topic_of_their_sentence():
    claims = extract_claims(
        "全区技术合同成交额连续五年保持两位数增长,2025年达到4.74亿元,是2020年的5.5倍。", {}
    )
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (4.74, "技术合同成交额", "达到"),
        (5.5, "技术合同成交额", ""),
    ]
    # a figure before it names the subject first: no topic then
    claims = extract_claims("研发投入强度达2.41%,居全市第5位,较上年前移2位。", {})
    assert [(c.value, c.phrase, c.qualifier, c.role) for c in claims] == [
        (2.41, "研发投入强度", "达", "value"),
        (5, "研发投入强度", "居全市第", "rank"),
        (2, "研发投入强度", "较上年前移", "growth"),  # a move in the ranking
    ]


def test_a_bare_verb_or_measure_is_named_with_the_topic_of_its_sentence():
    claims = extract_claims("高新技术企业培育成效明显,全年新认定23家,总数达到86家。", {})
    assert [(c.value, c.phrase, c.phrase_rebuilt) for c in claims] == [
        (23, "新认定高新技术企业", True),
        (86, "高新技术企业总数", True),
    ]
    (c,) = extract_claims("在科技型中小企业培育上,入库136家。", {})
    assert c.phrase == "入库科技型中小企业"
    (c,) = extract_claims("科技型中小企业:入库136家。", {})
    assert c.phrase == "入库科技型中小企业"
    (c,) = extract_claims("全年新认定23家。", {})  # no topic: the words as they are
    assert (c.phrase, c.phrase_rebuilt) == ("新认定", False)


def test_a_ranking_leaves_out_its_streak_and_its_frame():
    (c,) = extract_claims("连续3年在全市科技创新考核中位列第一。", {})
    assert (c.value, c.phrase, c.qualifier) == (1, "全市科技创新考核", "位列第")


def test_a_clause_of_a_noun_and_a_figure_continues_the_list_before():
    first, second = extract_claims("全县累计申请量2233件,授权量1353件。", {})
    assert (first.qualifier, second.phrase, second.qualifier) == ("累计", "授权量", "累计")
    claims = extract_claims("累计已争取项目8项,争取经费100万元。", {})  # the same verb again
    assert [c.qualifier for c in claims] == ["累计", "累计"]
    # a clause with a verb of its own, or a stock of its own, says something else
    claims = extract_claims("累计获得授信1.85亿元,实际放款1.2亿元,惠及企业19家。", {})
    assert [c.qualifier for c in claims] == ["累计", "", ""]
    claims = extract_claims("新增高新技术企业23家,有效期高新技术企业106家。", {})
    assert [c.qualifier for c in claims] == ["新增", ""]


def test_an_elided_clause_says_the_predicate_before_it_again():
    claims = extract_claims("预计年内市级瞪羚企业达到3家,省级瞪羚企业1家。", {})
    assert [c.qualifier for c in claims] == ["预计年内…达到", "预计年内…达到"]
    claims = extract_claims("研发投入达到5亿元,投入强度2.4%。", {})  # a rate: no
    assert [c.qualifier for c in claims] == ["达到", ""]
    (c,) = extract_claims("4项指标合计拉动GDP增长。", {})  # the noun's words end at 合计
    assert c.phrase == "指标"


def test_after_a_verb_the_count_counts_the_noun_after_it():
    (c,) = extract_claims("新建幼儿园能容纳360名幼儿。", {})
    assert c.phrase == "幼儿"
    (c,) = extract_claims("培训农民4500人次。", {})  # the words before name what is counted
    assert c.phrase == "培训农民"


def test_a_subject_carries_across_its_clauses_and_into_a_sentence_without_one():
    text = (
        "全区规上科学研究和技术服务业累计完成收入19.2亿元,同比2020年增长7.4%。"
        "预计2021全年达到20.1亿元以上。"
    )
    claims = extract_claims(text, {})
    subject = "规上科学研究和技术服务业累计完成收入"  # a subject of 4+ before 累计 stays
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (19.2, subject, "累计完成"),
        (7.4, subject, "同比2020年增长"),
        (20.1, subject, "预计2021全年达到…以上"),  # a sentence without a subject
    ]
    # a new line, or a sentence of its own between: no subject carried
    claims = extract_claims("全区技术合同成交额12.5亿元。\n预计达到15亿元。", {})
    assert claims[1].phrase == ""


def test_a_breakdown_in_parentheses_names_each_part():
    claims = extract_claims("在岗科研、行政人员共83人(科研68人、行政15人),开设公开课33门。", {})
    assert [(c.value, c.unit, c.phrase) for c in claims] == [
        (83, "人", "在岗科研、行政人员"),
        (68, "人", "科研"),
        (15, "人", "行政"),
        (33, "门", "开设公开课"),
    ]


def test_全社会_rd_is_not_the_surveys_rd():
    (c,) = extract_claims("全区全社会研发投入304.45亿元。")
    assert (c.phrase, c.indicator) == ("全社会研发投入", None)


def test_a_text_in_traditional_characters_is_read_as_simplified_and_quoted_as_written():
    text = "全縣累計建成省級以上研發機構93家,組織企業實施科技計劃項目610項,獲扶持資金達2.7億元。"
    claims = extract_claims(text, {})
    assert [(c.value, c.unit, c.phrase, c.qualifier) for c in claims] == [
        (93, "家", "建成省級以上研發機構", "累計"),
        (610, "项", "組織企業實施科技計劃項目", ""),  # the unit canonical, the words as written
        (2.7, "亿元", "獲扶持資金", "達"),
    ]
    # a text in simplified characters with a variant character or two is left as it is
    from innolib.factcheck.text import simplified

    plain = "全区科技型企业培育工作啟动以来新增高新技术企业十二家技术合同成交额稳步增长"
    assert simplified(plain) == plain
    assert simplified("累計達到") == "累计达到"


def test_a_task_its_size_and_the_share_of_it_done():
    claims = extract_claims("入库科技型中小企业15家,完成市下达任务16家的93.7%。", {})
    assert [(c.value, c.phrase, c.qualifier, c.role) for c in claims] == [
        (15, "入库科技型中小企业", "", "value"),
        (16, "市下达任务", "", "value"),  # the task's size: no 完成 of its own
        (93.7, "市下达任务", "完成…的", "target"),
    ]
    (c,) = extract_claims("技术合同成交额达到年度目标任务的100.8%。", {})
    assert (c.phrase, c.qualifier) == ("年度目标任务", "达到…的")


def test_a_place_a_page_and_a_total_around_a_claim():
    (c,) = extract_claims("当前位置:2020年邵东市完成高新产值630亿元。", {})
    assert (c.phrase, c.qualifier) == ("高新产值", "完成")
    claims = extract_claims("立项实施县级科技项目2批次,共56项。阅读下一篇", {})
    assert [(c.value, c.unit, c.phrase) for c in claims] == [
        (2, "批次", "立项实施县级科技项目"),
        (56, "项", "立项实施县级科技项目"),  # a total of what the figure before counts
    ]


def test_a_figure_split_by_a_space_a_modal_and_a_round():
    (c,) = extract_claims("截止到12月份,发明专利申请量为1 47件。", {})
    assert (c.value, c.unit, c.phrase) == (147, "件", "发明专利申请量")
    claims = extract_claims("年度资金 25 25 25\n", {})  # a table's cells stay apart
    assert [c.value for c in claims] == [25, 25, 25]
    (c,) = extract_claims("高新产业增加值预计全年能达到20%。", {})
    assert c.qualifier == "预计全年能达到"
    (c,) = extract_claims("自治区公布了第2批1488家入库科技型中小企业名单。", {})
    assert c.phrase.startswith("入库科技型中小企业")  # not 第2批


def test_counts_of_places_reached_and_of_people_among_others():
    claims = extract_claims("他们为全县12个乡镇156个村的特色产业提供技术服务。", {})
    assert [(c.value, c.phrase) for c in claims] == [(12, "乡镇"), (156, "村")]
    first, second = extract_claims("2017年增加的20名科技特派员中有15人为创业型。", {})
    assert (first.phrase, first.qualifier) == ("科技特派员", "增加的")  # not a growth of 17年
    assert second.value == 15
    (c,) = extract_claims("初步统计,规上企业23家。", {})
    assert c.phrase == "规上企业"
    (c,) = extract_claims("企业额外获200万元竞争性创新平台资金。", {})
    assert c.phrase == "竞争性创新平台资金"
    assert extract_claims("工人在一家企业生产线上工作。", {}) == []  # an article


def test_规上企业_rd_is_not_the_surveys_rd():
    (c,) = extract_claims("全区规上企业R&D投入3.27亿元。")
    assert (c.phrase, c.indicator) == ("规上企业R&D投入", None)


def test_a_ranking_of_a_share_and_long_or_adverbial_words():
    share, rank = extract_claims("高新技术产业增加值占规上工业增加值比重67.75%,全市排名第4。", {})
    assert (share.phrase, share.qualifier) == ("高新技术产业增加值", "占规上工业增加值比重")
    assert (rank.phrase, rank.qualifier) == ("高新技术产业增加值占规上工业增加值比重", "排名第")
    (c,) = extract_claims("牵头的12项区政府工作报告重点任务高标准推进。", {})
    assert c.phrase == "牵头的区政府工作报告重点任务"  # how it was done is no part of it
    (c,) = extract_claims(
        "协调解决研究院住房、子女入学、项目申报、课题方向确定等各类需求56项。", {}
    )
    assert (
        c.phrase == "协调解决研究院住房、子女入学、项目申报、课题方向确定等各类需求"
    )  # 40 at most


def test_words_with_的_before_a_count_qualify_the_noun_after_it():
    (c,) = extract_claims("复审的5家高企已经全部提交申报资料。", {})
    assert (c.phrase, c.phrase_rebuilt) == ("复审的高企", True)


def test_a_first_place_and_a_doubling_said_in_words_are_claims():
    (c,) = extract_claims("全县研发经费投入增速位居全市首位。", {})
    assert (c.value, c.unit, c.phrase, c.qualifier, c.role) == (
        1,
        "",
        "研发经费投入增速",
        "位居全市首位",
        "rank",
    )
    claims = extract_claims("全县高新技术企业达到45家,是2020年的2.1倍,提前一年实现翻番。", {})
    assert [(c.value, c.unit, c.phrase, c.qualifier) for c in claims] == [
        (45, "家", "高新技术企业", "达到"),
        (2.1, "倍", "高新技术企业", ""),
        (2, "倍", "高新技术企业", "翻番"),  # a ratio to a base: no verdict (comparison)
    ]
    (c,) = extract_claims("企业数量较上年翻一番。", {})
    assert (c.value, c.phrase, c.qualifier, c.role) == (2, "企业数量", "较上年翻一番", "comparison")
    (c, _, _) = extract_claims("到2027年,A企业和B企业实现“双倍增”,分别超过90家和870家。", {})
    assert (c.value, c.unit, c.phrase, c.qualifier) == (2, "倍", "A企业和B企业", "到2027年…倍增")
    assert extract_claims("实施“双倍增”行动计划。", {}) == []  # a plan's name


def test_a_comparison_sign_is_a_qualifier():
    (c,) = extract_claims("服务对象满意度≥90%。", {})
    assert (c.value, c.phrase, c.qualifier) == (90, "服务对象满意度", "≥")


def test_a_table_written_with_spaces_is_read_row_by_row():
    table = (
        "项目名称 科技创新专项经费\n"
        "主管部门 012-某县科学技术局\n"  # a unit's code, written with its leading zero
        "项目资金 (万元) 年初预算数 全年执行数 分值 得分\n"
        "年度资金总额: 40 38 10 9.5\n"
        "其中:本年财政拨款 40 38\n"
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
        "产出指标(50分) 数量指标 组织企业技术对接活动 ≥4次 5 20 20\n"
        "时效指标 2024年底之前 达成预期指标 10 10\n"
    )
    got = [(c.value, c.unit, c.phrase) for c in extract_claims(table, {})]
    assert got == [
        (40, "万元", "年度资金总额"),  # the header's unit, its cells aligned with the row's
        (38, "万元", "年度资金总额"),
        (10, "", "年度资金总额"),  # under 分值: a score, not in 万元
        (9.5, "", "年度资金总额"),  # under 得分
        (40, "万元", "本年财政拨款"),  # not 其中:本年财政拨款
        (38, "万元", "本年财政拨款"),
        (50, "分", "产出指标"),  # the words before its parentheses, not the header row's
        (4, "次", "组织企业技术对接活动"),
        (5, "", "组织企业技术对接活动"),  # the row's name, not 数量指标 nor ≥4次
        (20, "", "组织企业技术对接活动"),
        (20, "", "组织企业技术对接活动"),
        (10, "", "时效指标"),  # no other name: the row's first cell, not a date nor 达成…
        (10, "", "时效指标"),
    ]
    # prose with spaces around its figures is no table
    claims = extract_claims("累计走访企业 300 余家,收集技术需求 56 项,促成合作项目 12 个。", {})
    assert [c.phrase for c in claims] == ["走访企业", "收集技术需求", "促成合作项目"]


def test_names_bounds_and_heads_that_are_no_figures_of_their_own():
    # a meeting's name; an amount naming a kind of project; the count is a claim
    text = "贯彻省委十二届七次全会精神。新增产值2000万以上工业增长点7个。"
    assert [(c.value, c.unit) for c in extract_claims(text, {})] == [(7, "个")]
    claims = extract_claims(
        "主要预期目标:力争实现全区规上工业总产值达到550亿元;新增规上企业8家。\n", {}
    )
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (550, "规上工业总产值", "目标…力争…达到"),  # an inline head of targets
        (8, "规上企业", "目标…新增"),
    ]


def test_verbs_frames_and_parentheses_around_a_count():
    (c,) = extract_claims("高新技术企业发展到17家。", {})
    assert (c.phrase, c.qualifier, c.role) == ("高新技术企业", "发展到", "current")
    (c,) = extract_claims("该县成功入选(全省仅5个县(市)入选)。", {})
    assert (c.value, c.phrase, c.qualifier) == (5, "县(市)入选", "仅")
    (c,) = extract_claims("与西南大学共建了蚕桑产业院士工作站1家。", {})
    assert c.phrase == "蚕桑产业院士工作站"
    (c,) = extract_claims("在全省20个创新型县中排名靠前。", {})
    assert c.phrase.startswith("创新型县")
    (c,) = extract_claims("后续将会拨付100万元建设资金。", {})
    assert c.qualifier == "将会"


def test_rankings_without_a_verb_in_a_list_and_of_a_quoted_name():
    (c,) = extract_claims("工业增加值增速全市第一。", {})
    assert (c.value, c.phrase, c.qualifier) == (1, "工业增加值增速", "全市第")
    assert extract_claims("奋进全市第一方阵,入选全省第二批名单。", {}) == []  # a tier, a round
    claims = extract_claims("在国家级高新区年度综合排名中,跻身全国第23位、全省第3位。", {})
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (23, "国家级高新区年度综合排名", "跻身全国第"),
        (3, "国家级高新区年度综合排名", "跻身…全省第"),  # the verb of the list
    ]
    (c,) = extract_claims("高新区位列“中国工业百强区”第15位。", {})
    assert (c.value, c.phrase, c.qualifier) == (15, "“中国工业百强区”", "位列…第")


def test_units_periods_and_page_furniture():
    (c,) = extract_claims("支持额度为40万元/项。", {})
    assert (c.value, c.unit) == (40, "万元/项")
    text = "形成3个千亿级产业集群。企业近三个会计年度的研发费用。Page 357 P. 357 分辨率1024*768"
    assert [(c.value, c.unit, c.phrase) for c in extract_claims(text, {})] == [
        (3, "个", "千亿级产业集群")
    ]
    (c,) = extract_claims("专精特新企业数量三年增长7.6倍。", {})
    assert (c.phrase, c.qualifier, c.role) == ("专精特新企业数量", "三年增长", "growth")
    (c,) = extract_claims("研发人员人数不低于企业当年职工总数的10%。", {})
    assert (c.phrase, c.qualifier, c.role) == ("研发人员人数", "不低于企业当年职工总数的", "share")


def test_lists_of_counts_before_their_nouns():
    claims = extract_claims("已备案超40辆港牌车、1000名科研人员。", {})
    assert [(c.phrase, c.qualifier) for c in claims] == [("港牌车", "超"), ("科研人员", "超")]
    (c,) = extract_claims("工业、互联网、软服、科研4项指标拉动增长。", {})
    assert c.phrase.startswith("指标")  # the noun counted, not the items named
    (c,) = extract_claims("入选首批52家国家级高新区。", {})
    assert (c.phrase, c.qualifier) == ("国家级高新区", "首批")
    # a rate never takes the 新增 of the clause before
    claims = extract_claims("新增科技型企业35家,年度任务完成率172%。", {})
    assert [c.qualifier for c in claims] == ["新增", ""]


def test_a_target_or_a_forecast_gets_no_verdict():
    fake = FakeSet(hnte__valid=FakeValue(106, "家", previous=98))
    claims = checked("预计年内有效期高新技术企业达到120家;目前有效期高新技术企业106家。", fake)
    assert [(c.value, c.status) for c in claims] == [(120, "unmatched"), (106, "verified")]
    assert claims[0].note == "a target or a forecast, not a statement about the data"


def test_分别_spreads_its_qualifier_over_the_figures_after_it():
    claims = extract_claims("到2030年,孵化器和众创空间分别超过10家和20家。")
    assert [(c.value, c.qualifier) for c in claims] == [
        (10, "到2030年…分别超过"),
        (20, "到2030年…分别超过"),
    ]


def test_the_means_a_doctrine_and_完成_inside_a_phrase():
    (c,) = extract_claims("我局通过门户网站主动公开信息数32条。")
    assert (c.value, c.phrase) == (32, "主动公开信息数")
    (c,) = extract_claims("坚持五大发展理念,培育三大主导产业。")  # a doctrine's name, a count
    assert (c.value, c.phrase) == (3, "主导产业")
    (c,) = extract_claims("规模以上工业完成总产值5.5亿元。")
    assert (c.phrase, c.qualifier) == ("规模以上工业完成总产值", "完成")


def test_a_分别_clause_without_words_takes_the_subjects_of_the_clause_before():
    claims = extract_claims("全区孵化器和众创空间在去年的基础上继续增长,分别达到12家和30家。")
    assert [(c.value, c.phrase, c.qualifier) for c in claims] == [
        (12, "孵化器", "分别达到"),
        (30, "众创空间", "分别达到"),
    ]


def test_a_count_before_a_quoted_term_counts_that_term():
    claims = extract_claims("在两个“科技示范村”新栽果树120余亩。")
    assert [(c.value, c.unit, c.phrase) for c in claims] == [
        (2, "个", "“科技示范村”"),
        (120, "亩", "新栽果树"),
    ]
