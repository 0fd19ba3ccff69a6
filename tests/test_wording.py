"""The wording the data chooses (innolib.wording, the bulletin templates): each branch on a
hand-built package, the district's own names, and the distance from the model bulletin."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from conftest import ROOT, _e, frames, mini_package

from innolib.narrative import write_narrative
from innolib.periods import parse_period


def narrative_of(package, label: str, lang: str = "zh", **kwargs):
    """The narrative of ``package`` for the period ``label`` (parsed here, at the edge)."""
    return write_narrative(package, parse_period(label), lang, **kwargs)


UPBEAT = ("实现", "达", "成效显著", "持续扩大")


def _certifications(counts: dict[int, int]) -> pd.DataFrame:
    """推荐 rows of tier 科技型企业: ``counts[year]`` distinct enterprises in March of that year."""
    rows = [
        {"uscc": _e(n), "tier": "科技型企业", "stage": "推荐", "date": f"{year}-03-01"}
        for year, k in counts.items()
        for n in range(1, k + 1)
    ]
    return pd.DataFrame(rows)


def _contracts(amount_2025: float, amount_2024: float) -> pd.DataFrame:
    """Two contracts per year (one seller each, so that disclosure passes with three sellers)."""
    base = frames()["tech_contracts"].iloc[:1]
    rows = []
    for year, total in ((2025, amount_2025), (2024, amount_2024)):
        for i, n in enumerate((1, 2, 3)):
            r = base.iloc[0].to_dict()
            r.update(
                contract_id=f"T{year}{i}",
                seller_uscc=_e(n),
                registered=pd.Timestamp(f"{year}-05-0{i + 1}"),
                amount=total / 3,
                tech_amount=total / 3,
            )
            rows.append(r)
    return pd.DataFrame(rows)


def _falling_figures_after_upbeat_words(n) -> list[str]:
    """Figures of falling indicators that an upbeat word introduces (within 4 characters)."""
    bad = []
    for span in n.trace:
        iv = n.indicators.values.get(span.indicator) if n.indicators is not None else None
        if span.field != "value" or iv is None or iv.previous is None:
            continue
        if float(iv.value) < float(iv.previous):
            before = n.text[max(0, span.start - 4) : span.start]
            if any(w in before for w in UPBEAT):
                bad.append(n.text[max(0, span.start - 8) : span.end])
    return bad


# --------------------------------------------------------------------------- direction


@pytest.mark.parametrize(
    "now, before, expected",
    [
        (60000.0, 50000.0, "登记技术合同成交总金额达6亿元，同比增长20%"),  # rise
        (40000.0, 50000.0, "登记技术合同成交总金额为4亿元，同比下降20%"),  # fall: no 达
        (50000.0, 50000.0, "登记技术合同成交总金额为5亿元，与上年持平"),  # flat
    ],
)
def test_direction_chooses_the_verb_and_the_change(now, before, expected):
    n = narrative_of(mini_package(tech_contracts=_contracts(now, before)), "2025")
    assert expected in n.text
    assert _falling_figures_after_upbeat_words(n) == []


def test_a_count_on_a_small_base_changes_by_its_difference():
    # 2024: 3 recommended, 2025: 5 -> +2家, not +66.7%
    pkg = mini_package(certifications=_certifications({2023: 2, 2024: 3, 2025: 5}))
    n = narrative_of(pkg, "2025")
    assert "推荐5家企业认定郑州市科技型企业，较上年增加2家" in n.text


def test_a_fall_is_never_introduced_by_an_upbeat_word():
    # the mini package: high-tech stock 3 -> 2, contracts 50000 -> 47312
    n = narrative_of(mini_package(), "2025")
    assert "有效期高新技术企业2家，较上年减少1家" in n.text
    assert _falling_figures_after_upbeat_words(n) == []


# --------------------------------------------------------------------------- firsts and records


def test_first_when_every_earlier_year_of_the_ledger_was_zero():
    # 认定 rows from 2023 open the ledger; no 推荐 before 2025
    n = narrative_of(mini_package(), "2025")
    assert "推荐3家企业认定郑州市科技型企业，实现零的突破" in n.text


def test_no_first_without_an_earlier_year_on_record():
    pkg = mini_package(certifications=_certifications({2025: 2}))
    n = narrative_of(pkg, "2025")
    assert "推荐2家企业认定郑州市科技型企业" in n.text and "零的突破" not in n.text


def test_record_needs_five_earlier_years_and_a_value_above_all_of_them():
    six = {2019: 1, 2020: 2, 2021: 1, 2022: 3, 2023: 1, 2024: 3, 2025: 4}
    n = narrative_of(mini_package(certifications=_certifications(six)), "2025")
    assert "推荐4家企业认定郑州市科技型企业，创历史新高" in n.text
    four = {2021: 1, 2022: 3, 2023: 1, 2024: 3, 2025: 4}  # only four earlier years
    n = narrative_of(mini_package(certifications=_certifications(four)), "2025")
    assert "历史新高" not in n.text
    tie = {2019: 1, 2020: 4, 2021: 1, 2022: 3, 2023: 1, 2024: 3, 2025: 4}  # equals 2020
    n = narrative_of(mini_package(certifications=_certifications(tie)), "2025")
    assert "历史新高" not in n.text


# --------------------------------------------------------------------------- targets


def _targets(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "indicator", "target"])


def test_targets_met_and_missed_from_unrounded_values():
    pkg = mini_package(
        targets=_targets(
            [
                (2025, "contracts.amount", "40000"),  # 47312 / 40000 = 118.3%
                (2025, "tech_sme.recommended", "4"),  # 3 of 4: 75%, 1 short
                (2025, "rd.coverage_industrial", "75.5%"),  # 75% against 75.5%: not met
                (2025, "finance.resolved", "28500"),  # 28450 / 28500 = 99.82%: cut to 99%
            ]
        )
    )
    n = narrative_of(pkg, "2025")
    assert "同比下降5.4%，完成年度目标的118%" in n.text
    assert "完成年度目标的75%，尚差1家" in n.text
    assert "低于年度目标0.5个百分点" in n.text
    assert "完成年度目标的99%，尚差50万元" in n.text


def test_a_rate_that_rounds_to_its_target_but_falls_short_is_not_met():
    # 3 of 4 = 75%; a 75.004% target prints as 75% but is not reached
    pkg = mini_package(targets=_targets([(2025, "rd.coverage_industrial", "75.004")]))
    n = narrative_of(pkg, "2025")
    assert "低于年度目标0.004个百分点" not in n.text  # two decimals at most
    assert "低于年度目标0个百分点" not in n.text
    assert "达到年度目标" not in n.text


def test_a_part_year_shows_progress_without_a_status():
    pkg = mini_package(targets=_targets([(2025, "tech_sme.recommended", "4")]))
    n = narrative_of(pkg, "2025H1")  # H1: E1 recommended in March
    assert "推荐1家企业认定郑州市科技型企业" in n.text
    assert "完成全年目标的25%" in n.text and "尚差" not in n.text


# --------------------------------------------------------------------------- names


def test_etc_only_after_two_names_and_a_single_name_stands_alone():
    n = narrative_of(mini_package(), "2025")
    assert "甲材料新获批国家级平台" in n.text  # one platform, one name
    assert "甲材料、乙装备等2家企业选聘" in n.text  # two names: 等
    assert not re.search(r"等1(家|项|个)", n.text)


# --------------------------------------------------------------------------- district facts


def test_a_district_in_another_province_gets_generic_names_and_a_warning():
    pkg = mini_package()
    pkg.district = dataclasses.replace(
        pkg.district, name="某某县", city="合肥市", province="安徽省"
    )
    n = narrative_of(pkg, "2025")
    for word in ("郑州", "河南", "郑科贷", "上街"):
        assert word not in n.text.replace("某工业大学郑州研究院", ""), word
    assert "推荐3家企业认定科技型中小企业" in n.text
    assert "省“瞪羚”企业1家" in n.text and "全县" in n.text
    assert n.text.rstrip().endswith("（县科技局）")
    assert n.warnings and "tier_programme" in n.warnings[0] and "province_prefix" in n.warnings[0]


def test_declared_facts_win_over_the_defaults():
    pkg = mini_package()
    facts = {"tier_programme": "合肥市科技型企业", "province_prefix": "安徽省"}
    pkg.district = dataclasses.replace(pkg.district, city="合肥市", province="安徽省", facts=facts)
    n = narrative_of(pkg, "2025")
    assert "推荐3家企业认定合肥市科技型企业" in n.text and "安徽省“瞪羚”企业1家" in n.text
    assert n.warnings == [] or "loan_product" in n.warnings[0]


# --------------------------------------------------------------------------- the model bulletin


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，。；：、！？（）“”‘’《》,.;:()!?\s]+", text) if c]


def _shared_with_seed(text: str, seed: str, headings: list[str]) -> list[str]:
    """Clauses of 8+ characters without a digit that the model bulletin also has."""
    seed_flat = re.sub(r"\s", "", seed)
    skip = {c for h in headings for c in _clauses(h)}
    return [
        c
        for c in _clauses(text)
        if len(c) >= 8 and not re.search(r"\d", c) and c not in skip and c in seed_flat
    ]


def test_the_templates_share_no_clause_with_the_model_bulletin(seed_bulletin):
    headings = [
        "加快打造创新型企业成长生态圈",
        "加速构建产学研用协同创新生态链",
        "健全科技成果转移转化服务体系",
    ]
    for name in ("bulletin.zh.md.j2", "bulletin.en.md.j2"):
        source = (ROOT / "innolib" / "templates" / name).read_text(encoding="utf-8")
        literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "，", source, flags=re.S)
        assert _shared_with_seed(literal, seed_bulletin, headings) == [], name


def test_a_synthetic_district_bulletin_shares_no_clause_with_the_model(tmp_path, seed_bulletin):
    from innolib.load import load_package
    from innolib.synth import generate

    folder = generate(tmp_path / "jinshui", district="jinshui", years=[2024, 2025], scale=0.2)
    pkg = load_package(folder)
    n = narrative_of(pkg, "2025")
    headings = [s.heading for s in n.sections]
    assert _shared_with_seed(n.text, seed_bulletin, headings) == []
    # the generic measures of another district carry no place name of the sample
    assert "上街" not in n.text and n.notice == "示例数据（合成，非真实统计）"


# --------------------------------------------------------------------------- the fact-checker


@pytest.mark.parametrize("period", ["2025", "2025H1"])
def test_the_checker_contradicts_nothing_in_the_sample_bulletin(period):
    from innolib.factcheck import check_text
    from innolib.load import load_package

    pkg = load_package(ROOT / "data" / "shangjie")
    n = narrative_of(pkg, period)
    claims = check_text(n.text, pkg, period).to_document()["claims"]
    assert [c for c in claims if c["status"] == "contradicted"] == []
    # what is not verified is a target (needs the targets table) or the bureau's own words
    outside = {(s.start, s.end) for s in n.trace if s.field in ("target", "target_gap")}
    outside |= {(a, b) for kind, a, b in n.styles if kind == "measures"}
    other = [
        c
        for c in claims
        if c["status"] != "verified" and not any(a <= c["span"][0] < b for a, b in outside)
    ]
    assert other == [], other
    # every figure of the model bulletin, in its wording
    if period == "2025":
        for phrase in ("约4.5亿元", "4.7亿余元", "2.8亿余元", "106家", "覆盖率达59%"):
            assert phrase in n.text


def test_a_half_year_compares_with_the_same_period_of_last_year():
    # mini package, 有效期高新技术企业 on 31 December: enterprises 1 and 5 in 2025 (2's
    # certificate ran out on 2025-11-30), 1, 2 and 5 in 2024 → 2 against 3, one fewer
    # (a base under 10 takes the difference)
    from innolib.narrative import write_narrative
    from innolib.periods import parse_period
    from tests.conftest import mini_package

    half = write_narrative(mini_package(), parse_period("2025H2")).text
    year = write_narrative(mini_package(), parse_period("2025")).text
    assert "较上年同期减少1家" in half and "较上年减少1家" not in half
    assert "较上年减少1家" in year and "上年同期" not in year


def test_short_names_only_when_every_enterprise_of_a_list_has_one():
    # enterprises 1 and 2 have a 企业简称, 3 has none. The 科技副总 list (enterprises 1
    # and 2, by date) and the new provincial platform (2) use the short names; the
    # subsidy applicants (1 and 3) fall back to the full names for the whole list.
    from innolib.examples import example_names
    from innolib.periods import parse_period
    from tests.conftest import frames, mini_package

    enterprises = frames()["enterprises"].copy()
    enterprises["short_name"] = ["甲材", "乙装", None, None, None, None]
    names = example_names(mini_package(enterprises=enterprises), parse_period("2025"))
    assert names["talent.vp_enterprises"] == ["甲材", "乙装"]
    assert names["platforms.new_provincial"] == ["乙装"]
    assert names["subsidy.applicants"] == ["甲材料", "丙科技"]
    # without the column: the full names, as before
    plain = example_names(mini_package(), parse_period("2025"))
    assert plain["talent.vp_enterprises"] == ["甲材料", "乙装备"]
