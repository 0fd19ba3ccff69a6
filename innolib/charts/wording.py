"""Every word a chart writes around its figures: title sentences, labels, tier and level names.

The chart functions only fill these in (fields in braces come from the data), so the
wording can be reviewed, and translated, in one place. The figures themselves, the
year-on-year phrases (THE change rule) and the no-data and suppressed markers are the
presentation layer's (``innolib.present`` and ``templates/vocabulary.yaml``): a chart
writes a number or a change exactly as the tables and the prose do.
"""

from __future__ import annotations

from dataclasses import dataclass

from innolib.tables import TABLES

#: title sentences, one per chart (and per variant of what the data allow saying)
TITLES: dict[str, str] = {
    # (1) pipeline funnel: the second tier measured against the first
    "funnel": "{when}{tier1}{n1}家，相当于{tier0}的{share}",
    "funnel_no_base": "{when}{tier0}{n0}，{tier1}{n1}",
    # (2) trend of one indicator: latest value, then the year-on-year phrase if any
    "trend": "{when}{name}{value}",
    "trend_change": "{when}{name}{value}，{change}",
    "trend_no_data": "{name}：所选各期均无可公开数据",
    # (3) breakdown by town or sector
    "breakdown_share": "{when}{top}{name}最多，{value}，占{whole}的{share}",
    "breakdown": "{when}{top}{name}最多，{value}",
    "breakdown_no_data": "{when}{name}分{by}：无可公开数据",
    # (4) R&D intensity distribution
    "intensity": "{when}研发投入强度{band}的企业最多，{n}家，占{share}",
    "intensity_median": "{when}研发投入强度{band}的企业最多，{n}家，占{share}；中位数{median}",
    "intensity_no_data": "{when}研发投入强度分布：无数据",
    "intensity_zero": "{when}无研发投入的企业最多，{n}家，占{share}",
    "intensity_zero_median": "{when}无研发投入的企业最多，{n}家，占{share}；强度中位数{median}",
    # (5) platforms by level
    "platforms": "{when}研发平台共{total}家：{parts}",
    "platforms_change": "{when}研发平台共{total}家（{parts}），{change}",
    "platforms_no_data": "研发平台：所选各期均无数据",
    # (6) contract mix
    "contract_mix": "{when}{top_type}类合同占成交额的{type_share}，{top_region}买方占{region_share}",
    "contract_mix_type": "{when}{top}类合同占技术合同成交额的{share}",
    "contract_mix_region": "{when}{top}买方占技术合同成交额的{share}",
    "contract_mix_amount": "{when}{top}类合同成交额最多，{amount}",
    "contract_mix_no_data": "{when}技术合同构成：无可公开数据",
    # (7) financing requested vs resolved
    "financing": "{when}协调解决融资需求{resolved}，占需求金额的{rate}",
    "financing_top": "{when}协调解决融资需求{resolved}，占需求金额的{rate}，{top}最多",
    "financing_by": "{when}{top}解决融资最多，{resolved}，解决率{rate}",
    "financing_no_data": "{when}融资需求与解决情况：无可公开数据",
    # (8) composite innovation index by unit over the years (innolib.comparisons)
    "index": "{when}{top}{name}最高（{value}），{bottom}最低（{low}）",
    "index_lead": "{when}{top}{name}最高（{value}），连续{n}年居{scope}首位；{bottom}最低（{low}）",
    "index_tied": "{when}{top}{name}并列最高（{value}），{bottom}最低（{low}）",
    "index_equal": "{when}各单位{name}相同（{value}）",
    "index_one": "{when}{top}{name}为{value}",
    "index_no_data": "{name}：所选各期均无数据",
}

#: axis labels, annotations, legends
LABELS: dict[str, str] = {
    "axis_count": "数量（{unit}）",
    "axis_money": "金额（{unit}）",
    "axis_rate": "比率（%）",
    "axis_value": "{name}（{unit}）",
    "axis_enterprises": "企业数（家）",
    "axis_intensity": "研发投入强度（研发经费支出占营业收入比重）",
    "axis_share": "占成交额比重（%）",
    "funnel_step": "为上一层级的{share}",
    "funnel_conversion": "晋级率{rate}（{converted}/{cohort}家）",
    "funnel_conversion_empty": "晋级率：无可比队列",
    "funnel_value": "{n}家",
    "intensity_value": "{n}家（{share}）",
    "platform_total": "共{n}家",
    "mix_by_type": "按合同类型",
    "mix_by_region": "按买方地域",
    "mix_value": "{share}（{amount}）",
    "requested": "需求金额",
    "resolved": "解决金额",
    "resolve_rate": "解决率{rate}",
    "whole_district": "全区",
    "whole_breakdown": "各产业合计",
    "by_town": "镇街",
    "by_sector": "产业",
    "band_between": "{lo}%—{hi}%",
    "band_below": "{hi}%及以下",
    "band_above": "{lo}%以上",
    "band_zero": "无研发投入",
    "axis_index": "指数（0—1，最小—最大标准化）",
    "index_legend": "{unit}（{value}）",
    "index_name": "综合创新指数",
    "index_scope": "全区",
    "not_started": "尚无记录",
    "source": "数据来源：{sources}",
}

#: each table's source as the bureau names it on a chart (数据来源), by table id
#: (``innolib.tables``); an indicator's tables are its registry ``sources``
SOURCES: dict[str, str] = {
    "enterprises": "全区企业名录",
    "certifications": "企业梯次培育台账",
    "rd_survey": "研发投入统计调查",
    "projects": "科技计划项目台账",
    "platforms": "研发平台认定台账",
    "activities": "科技服务活动台账",
    "activity_participants": "科技服务活动台账",
    "talent": "科技人才工作台账",
    "tech_contracts": "技术合同登记系统",
    "achievements": "成果转化台账",
    "financing": "科技金融服务台账",
    "targets": "年度目标任务",
    "measures": "工作举措",
}

#: the funnel's tier labels (docs/data.md certifications.tier) as the axis writes them
TIER_LABELS: dict[str, str] = {
    "科技型企业": "科技型企业",
    "高新技术企业": "高新技术企业（有效期内）",
    "瞪羚企业": "“瞪羚”企业",
    "创新龙头企业": "创新龙头企业",
}
#: the tiers as titles name them
TIER_SHORT: dict[str, str] = {
    "科技型企业": "科技型企业",
    "高新技术企业": "有效期内高企",
    "瞪羚企业": "“瞪羚”企业",
    "创新龙头企业": "创新龙头企业",
}
#: the first tier when counted by its indicator (tech_sme.cumulative: ever recognised)
TIER0_CUMULATIVE = ("科技型企业（累计）", "累计科技型企业")
#: the indicator that counts each tier on the funnel (docs/indicators.md section 1)
TIER_INDICATORS: dict[str, str] = {
    "科技型企业": "tech_sme.cumulative",
    "高新技术企业": "hnte.valid",
    "瞪羚企业": "gazelle.valid",
    "创新龙头企业": "leader.valid",
}
#: platform levels, highest first (docs/data.md platforms.level), and their indicators
PLATFORM_LEVELS: tuple[str, ...] = TABLES["platforms"].column("level").values
PLATFORM_INDICATORS: dict[str, str] = {
    "国家级": "platforms.national",
    "省级": "platforms.provincial",
    "市级": "platforms.municipal",
}

# ---------------------------------------------------------------------------------------
# English (lang="en"): the same keys; {when} is ", 2025" (or "") after the subject
# ---------------------------------------------------------------------------------------

TITLES_EN: dict[str, str] = {
    "funnel": "{tier1}{when}: {n1}, equal to {share} of {tier0}",
    "funnel_no_base": "{tier0}{when}: {n0}; {tier1}: {n1}",
    "trend": "{name}{when}: {value}",
    "trend_change": "{name}{when}: {value}, {change}",
    "trend_no_data": "{name}: no publishable data in the periods shown",
    "breakdown_share": "{name}{when}: most in {top}, {value}, {share} of {whole}",
    "breakdown": "{name}{when}: most in {top}, {value}",
    "breakdown_no_data": "{name} by {by}{when}: no publishable data",
    "intensity": "R&D intensity{when}: most enterprises in the {band} band, {n} ({share})",
    "intensity_median": "R&D intensity{when}: most enterprises in the {band} band, {n} ({share}); median {median}",
    "intensity_no_data": "R&D intensity{when}: no data",
    "intensity_zero": "R&D intensity{when}: most enterprises have no R&D, {n} ({share})",
    "intensity_zero_median": "R&D intensity{when}: most enterprises have no R&D, {n} ({share}); median intensity {median}",
    "platforms": "R&D platforms{when}: {total} in all ({parts})",
    "platforms_change": "R&D platforms{when}: {total} in all ({parts}), {change}",
    "platforms_no_data": "R&D platforms: no data in the periods shown",
    "contract_mix": "Technology contracts{when}: {top_type} {type_share} of turnover, buyers {top_region} {region_share}",
    "contract_mix_type": "Technology contracts{when}: {top} {share} of turnover",
    "contract_mix_region": "Technology contracts{when}: buyers {top} {share} of turnover",
    "contract_mix_amount": "Technology contracts{when}: {top} the largest, {amount}",
    "contract_mix_no_data": "Technology contract mix{when}: no publishable data",
    "financing": "Financing needs resolved{when}: {resolved}, {rate} of the amount requested",
    "financing_top": "Financing needs resolved{when}: {resolved}, {rate} of the amount requested; most through {top}",
    "financing_by": "Financing{when}: most resolved through {top}, {resolved} ({rate} of its requests)",
    "financing_no_data": "Financing needs and loans{when}: no publishable data",
    "index": "{name}{when}: highest {top} ({value}), lowest {bottom} ({low})",
    "index_lead": "{name}{when}: highest {top} ({value}), first in the {scope} {n} years running; lowest {bottom} ({low})",
    "index_tied": "{name}{when}: {top} tied highest ({value}), lowest {bottom} ({low})",
    "index_equal": "{name}{when}: every unit equal ({value})",
    "index_one": "{name}{when}: {top} {value}",
    "index_no_data": "{name}: no data in the periods shown",
}

LABELS_EN: dict[str, str] = {
    "axis_count": "Number ({unit})",
    "axis_money": "Amount ({unit})",
    "axis_rate": "Rate (%)",
    "axis_value": "{name} ({unit})",
    "axis_enterprises": "Enterprises",
    "axis_intensity": "R&D intensity (R&D expenditure as a share of revenue)",
    "axis_share": "Share of turnover (%)",
    "funnel_step": "{share} of the tier above",
    "funnel_conversion": "promoted: {rate} ({converted}/{cohort})",
    "funnel_conversion_empty": "promoted: no comparable cohort",
    "funnel_value": "{n}",
    "intensity_value": "{n} ({share})",
    "platform_total": "{n} in all",
    "mix_by_type": "By contract type",
    "mix_by_region": "By buyer region",
    "mix_value": "{share} ({amount})",
    "requested": "Requested",
    "resolved": "Resolved",
    "resolve_rate": "{rate} resolved",
    "whole_district": "the district",
    "whole_breakdown": "all sectors",
    "by_town": "town",
    "by_sector": "sector",
    "band_between": "{lo}%–{hi}%",
    "band_below": "{hi}% or less",
    "band_above": "over {lo}%",
    "band_zero": "No R&D",
    "axis_index": "Index (0–1, min–max scaled)",
    "index_legend": "{unit} ({value})",
    "index_name": "Composite innovation index",
    "index_scope": "district",
    "not_started": "no records yet",
    "source": "Source: {sources}",
}

TIER_LABELS_EN: dict[str, str] = {
    "科技型企业": "S&T enterprises",
    "高新技术企业": "High-tech enterprises (valid)",
    "瞪羚企业": "Gazelle enterprises",
    "创新龙头企业": "Innovation leaders",
}
TIER_SHORT_EN: dict[str, str] = {
    "科技型企业": "S&T enterprises",
    "高新技术企业": "Valid high-tech enterprises",
    "瞪羚企业": "Gazelle enterprises",
    "创新龙头企业": "Innovation leaders",
}
TIER0_CUMULATIVE_EN = ("S&T enterprises (cumulative)", "S&T enterprises registered to date")

SOURCES_EN: dict[str, str] = {
    "enterprises": "district enterprise register",
    "certifications": "enterprise cultivation records",
    "rd_survey": "R&D statistical survey",
    "projects": "S&T project records",
    "platforms": "R&D platform records",
    "activities": "S&T service activity records",
    "activity_participants": "S&T service activity records",
    "talent": "S&T talent records",
    "tech_contracts": "technology contract registration system",
    "achievements": "technology transfer records",
    "financing": "S&T finance records",
    "targets": "annual targets",
    "measures": "the bureau's measures",
}

#: the data's category words (platform levels, contract types, buyer regions, financing
#: products) in English charts; towns and enterprises keep their names
CATEGORIES_EN: dict[str, str] = {
    "国家级": "National",
    "省级": "Provincial",
    "市级": "Municipal",
    "技术服务": "technical services",
    "技术开发": "technical development",
    "技术咨询": "technical consulting",
    "技术转让": "technology transfer",
    "技术许可": "technology licensing",
    "区内": "in the district",
    "市内": "elsewhere in the city",
    "省内": "elsewhere in the province",
    "省外": "in other provinces",
    "境外": "abroad",
    "郑科贷": "Zhengkedai loans",
    "知识产权质押融资": "IP-backed loans",
    "科技信贷": "S&T credit",
    "其他": "other",
    "合计": "total",
}


@dataclass(frozen=True)
class Words:
    """All the wording of one language, as the chart functions use it."""

    lang: str
    titles: dict[str, str]
    labels: dict[str, str]
    tier_labels: dict[str, str]
    tier_short: dict[str, str]
    tier0_cumulative: tuple[str, str]
    sources: dict[str, str]
    categories: dict[str, str]

    def category(self, value: str) -> str:
        """A category of the data as this language writes it (itself when not translated)."""
        return self.categories.get(value, value)


def words(lang: str = "zh") -> Words:
    """The wording for ``lang`` (``zh`` or ``en``)."""
    if lang == "zh":
        return Words("zh", TITLES, LABELS, TIER_LABELS, TIER_SHORT, TIER0_CUMULATIVE, SOURCES, {})
    if lang == "en":
        return Words(
            "en",
            TITLES_EN,
            LABELS_EN,
            TIER_LABELS_EN,
            TIER_SHORT_EN,
            TIER0_CUMULATIVE_EN,
            SOURCES_EN,
            CATEGORIES_EN,
        )
    raise ValueError(f"unknown chart language {lang!r}: expected zh or en")
