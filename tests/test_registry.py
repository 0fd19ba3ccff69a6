"""The indicator registry: schema, completeness against docs/indicators.md, cross-checks."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from innolib import registry as reg
from innolib.errors import UsageError

# Every indicator of docs/indicators.md sections 1-3, with its unit and kind, written out here
# from the spec (not read from the registry) so that a drift in either is caught.
SPEC = {
    "tech_sme.recommended": (1, "家", "flow"),
    "hnte.applied": (1, "家", "flow"),
    "hnte.applied_batches": (1, "批", "flow"),
    "tech_sme.cumulative": (1, "家", "cumulative"),
    "hnte.valid": (1, "家", "stock"),
    "gazelle.valid": (1, "家", "stock"),
    "leader.valid": (1, "家", "stock"),
    "rd.surveyed": (1, "家", "annual"),
    "rd.reported_rate": (1, "%", "annual"),
    "rd.expenditure": (1, "万元", "annual"),
    "rd.coverage_industrial": (1, "%", "annual"),
    "projects.provincial_approved": (1, "项", "flow"),
    "awards.nominated": (1, "项", "flow"),
    "awards.nominated_invention": (1, "项", "flow"),
    "awards.nominated_progress": (1, "项", "flow"),
    "platforms.national": (2, "家", "stock"),
    "platforms.provincial": (2, "家", "stock"),
    "platforms.municipal": (2, "家", "stock"),
    "platforms.new_national": (2, "家", "flow"),
    "platforms.new_provincial": (2, "家", "flow"),
    "collab.expert_visits": (2, "次", "flow"),
    "collab.matchmaking_private": (2, "家", "flow"),
    "collab.demands_landed": (2, "项", "flow"),
    "talent.vp_enterprises": (2, "家", "flow"),
    "talent.demand_enterprises": (2, "家", "flow"),
    "contracts.amount": (3, "万元", "flow"),
    "contracts.count": (3, "项", "flow"),
    "contracts.tech_amount": (3, "万元", "flow"),
    "subsidy.applicants": (3, "家", "flow"),
    "green_tech.submitted": (3, "项", "flow"),
    "finance.events": (3, "次", "flow"),
    "finance.resolved": (3, "万元", "flow"),
}


def test_registry_file_validates_against_its_schema():
    jsonschema.validate(reg.registry_document(), reg.schema_document())


def test_schema_rejects_a_broken_entry():
    """The schema is not vacuous: a wrong unit, a missing field, an unknown method all fail."""
    doc = reg.registry_document()
    schema = reg.schema_document()
    for breakage in (
        lambda e: e.update(unit="亿元"),
        lambda e: e.pop("phrases"),
        lambda e: e.update(kind="rate"),
        lambda e: e["compute"].update(method="magic"),
        lambda e: e.update(phrases=[]),
    ):
        broken = copy.deepcopy(doc)
        breakage(broken["indicators"][0])
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_every_spec_indicator_is_registered_with_its_section_unit_and_kind():
    defs = reg.load_registry()
    for iid, (section, unit, kind) in SPEC.items():
        d = defs[iid]
        assert (d.section, d.unit, d.kind) == (section, unit, kind), iid
    # sections 1-3 hold exactly the spec's indicators; additions go to section 0
    assert {i for i, d in defs.items() if d.section in (1, 2, 3)} == set(SPEC)


def test_headline_marks_exactly_the_bulletin_figures():
    not_in_bulletin = {"rd.reported_rate", "contracts.count", "contracts.tech_amount"}
    defs = reg.load_registry()
    assert {i for i, d in defs.items() if d.headline} == set(SPEC) - not_in_bulletin


def test_phrases_include_the_common_variants_bulletins_use():
    defs = reg.load_registry()
    for iid, variants in {
        "hnte.valid": [
            "有效期高新技术企业",
            "有效期内高新技术企业",
            "有效期内高企",
            "高新技术企业",
        ],
        "rd.expenditure": ["研发经费支出", "研发投入", "R&D经费"],
        "rd.coverage_industrial": ["规模以上工业企业研发活动覆盖率", "研发活动覆盖率"],
        "contracts.amount": ["技术合同成交总金额", "技术合同成交额"],
        "finance.resolved": ["协调解决融资需求"],
        "gazelle.valid": ["河南省“瞪羚”企业"],
    }.items():
        for phrase in variants:
            assert phrase in defs[iid].phrases, (iid, phrase)
    assert defs["hnte.valid"].phrase == "有效期内高新技术企业"


def test_confidential_marks_money_from_respondent_tables_only():
    defs = reg.load_registry()
    confidential = {i for i, d in defs.items() if d.confidential}
    assert confidential == {
        "rd.expenditure",
        "contracts.amount",
        "contracts.tech_amount",
        "finance.resolved",
        "finance.requested",
    }
    for iid in confidential:
        assert defs[iid].unit == "万元"


def test_change_unit_is_points_for_rates_and_percent_otherwise():
    assert reg.indicator_def("rd.coverage_industrial").change_unit == "pp"
    assert reg.indicator_def("hnte.valid").change_unit == "%"
    assert reg.indicator_def("contracts.amount").change_unit == "%"


def test_unknown_id_is_a_bilingual_usage_error():
    with pytest.raises(UsageError) as err:
        reg.indicator_def("hnte.nonexistent")
    assert "hnte.nonexistent" in str(err.value)


def test_phrase_index_is_longest_first_and_covers_every_indicator():
    index = reg.phrase_index()
    lengths = [len(p) for p, _ in index]
    assert lengths == sorted(lengths, reverse=True)
    assert {i for _, i in index} == set(reg.load_registry())


def test_breakdowns_only_where_rows_map_to_an_enterprise():
    defs = reg.load_registry()
    for iid in (
        "collab.expert_visits",
        "collab.demands_landed",
        "finance.events",
        "hnte.applied_batches",
    ):
        assert defs[iid].breakdown_by == ()
    for iid in ("hnte.valid", "contracts.amount", "rd.expenditure", "platforms.provincial"):
        assert defs[iid].breakdown_by == ("town", "sector")


def test_enterprise_column_of_each_table():
    assert reg.enterprise_column("certifications") == "uscc"
    assert reg.enterprise_column("activities") is None
    assert reg.enterprise_column("tech_contracts") in ("uscc", "seller_uscc")


def test_cross_check_catches_a_column_the_table_lacks():
    entry = copy.deepcopy(reg.registry_document()["indicators"][0])
    entry["compute"]["where"] = {"colour": "红"}
    with pytest.raises(reg.RegistryError, match="colour"):
        reg._check(entry, set())
    with pytest.raises(reg.RegistryError, match="duplicate"):
        reg._check(reg.registry_document()["indicators"][0], {"tech_sme.recommended"})


# Fragments of the model bulletin (/work/shared/seed), line breaks and spaces removed, one
# per figure it states, with the indicator the figure belongs to.
SEED_FRAGMENTS = {
    "tech_sme.recommended": "成功推荐17家企业认定郑州市科技型企业",
    "hnte.applied": "两批次申报高新技术企业40家",
    "hnte.applied_batches": "两批次申报高新技术企业40家",
    "tech_sme.cumulative": "全区累计培育郑州市科技型企业278家",
    "hnte.valid": "有效期高新技术企业106家",
    "gazelle.valid": "河南省“瞪羚”企业5家",
    "leader.valid": "河南省创新龙头企业1家",
    "rd.surveyed": "对144家“四上”企业实施研发活动普查",
    "rd.expenditure": "实现“四上”企业研发经费支出约4.5亿元",
    "rd.coverage_industrial": "规模以上工业企业研发活动覆盖率达59%",
    "projects.provincial_approved": "等3个项目成功入选河南省2025年科技发展计划",
    "awards.nominated_invention": "推荐2025年度河南省技术发明奖和科学技术进步奖（技术开发类）各1项",
    "awards.nominated_progress": "推荐2025年度河南省技术发明奖和科学技术进步奖（技术开发类）各1项",
    "platforms.new_provincial": "等2家企业获评河南省企业技术中心",
    "platforms.national": "形成国家级2家、省级40家、市级62家的三级研发平台体系",
    "platforms.provincial": "省级40家",
    "platforms.municipal": "市级62家",
    "collab.matchmaking_private": "组织11家民营企业赴哈尔滨工业大学郑州研究院",
    "collab.demands_landed": "促成一项技术需求落地",
    "talent.vp_enterprises": "等3家企业选聘河南省备案“科技副总”",
    "talent.demand_enterprises": "同步征集9家企业人才需求纳入储备库",
    "contracts.amount": "全区登记技术合同成交总金额达4.7亿余元",
    "subsidy.applicants": "华慧工程2家单位申报2025年郑州市科技成果转移转化补助",
    "green_tech.submitted": "推动3项绿色低碳先进技术成果申报省级认定",
    "finance.events": "累计开展7次银企对接活动",
    "finance.resolved": "成功协调解决融资需求2.8亿余元",
}


def test_every_figure_of_the_model_bulletin_meets_a_phrase_of_its_indicator():
    defs = reg.load_registry()
    for iid, fragment in SEED_FRAGMENTS.items():
        assert any(p in fragment for p in defs[iid].phrases), (iid, fragment)
