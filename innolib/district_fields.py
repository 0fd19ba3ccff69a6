"""The keys of a package's ``district.yaml``, declared once (the loader checks them, the data
dictionary and the fill-in template list them; re-exported by ``innolib.tables``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DistrictField:
    id: str
    zh: str
    required: bool
    description: str


DISTRICT_FIELDS: tuple[DistrictField, ...] = (
    DistrictField("code", "行政区划代码", True, "6位行政区划代码（GB/T 2260）"),
    DistrictField("name", "名称", True, "区县名称，如上街区"),
    DistrictField("name_en", "英文名称", False, "English name"),
    DistrictField("city", "所属市", True, "如郑州市"),
    DistrictField("province", "所属省", True, "如河南省"),
    DistrictField("towns", "镇街", True, "镇（街道）列表"),
    DistrictField("currency_unit", "金额单位", False, "加载后金额单位，固定为万元"),
    DistrictField("cutoff", "数据截止日期", False, "数据最后完整的日期，可空"),
    DistrictField("population", "常住人口", False, "各镇街常住人口，可空"),
    DistrictField("id", "包编号", False, "单一工作簿时的包编号（outputs/<id>/）"),
    DistrictField(
        "synthetic", "合成数据", False, "是否为合成的示例数据（是则所有印发件标注示例数据）"
    ),
    DistrictField("district_word", "区县称谓", False, "区、县或市（默认取名称末字）"),
    DistrictField("office", "发文单位", False, "如区科技局（默认按区县称谓）"),
    DistrictField("signature", "落款", False, "如（区科技局）"),
    DistrictField("tier_programme", "市级科技型企业名称", False, "如郑州市科技型企业"),
    DistrictField(
        "province_prefix", "省级计划前缀", False, "如河南省（省“瞪羚”企业、省科技发展计划）"
    ),
    DistrictField("loan_product", "科技信贷产品", False, "如郑科贷"),
    DistrictField("bulletin_name", "简报名称", False, "版头的简报名称，如科技工作简报"),
    DistrictField(
        "bulletin_to",
        "本期送",
        False,
        "版记“送”的单位或人员列表，如[区委、区人大、区政府、区政协领导]",
    ),
    DistrictField("bulletin_copy", "发", False, "版记“发”的单位列表，如[各镇（街道）, 区直各单位]"),
)
