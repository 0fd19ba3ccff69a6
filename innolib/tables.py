"""Every table of a district data package, declared once.

These declarations are the single source of truth for the column list of each table:
the loader's header matching and type conversion, the pandera schemas, the data
dictionary (``data/README.md``), the Excel fill-in template and the synthetic generator
all read them. Nothing else in the project spells out a table's columns again.

The column types and the ``Column``/``Table`` classes are in ``innolib.columns``. The contract
they encode is ``docs/data.md`` (the project's copy lives in ``data/README.md``).
"""

from __future__ import annotations

# re-exported: the loader, schemas, template and dictionary import these from here
from innolib.columns import (  # noqa: F401
    ABOVE_SCALE_CLASSES,
    ACTIVITY_TYPES,
    BOOL,
    BUYER_REGIONS,
    CONTRACT_TYPES,
    DATE,
    ENUM,
    INT,
    MAX_CELL_CHARS,
    MONEY,
    STR,
    TIERS,
    TYPE_RANGES,
    YEAR,
    Column,
    Table,
    _uscc,
)
from innolib.district_fields import DISTRICT_FIELDS, DistrictField  # noqa: F401

ENTERPRISES = Table(
    "enterprises",
    "企业名录",
    "全区企业名录，每家企业一行。 / The district's enterprises, one row each.",
    (
        _uscc(key=True, ref="，唯一", ref_en="; unique"),
        Column(
            "name",
            "企业名称",
            STR,
            "非空",
            "non-empty",
            required=True,
            aliases=("单位名称", "企业名"),
        ),
        Column(
            "town",
            "所属镇街",
            STR,
            "须为district.yaml所列镇街之一",
            "one of the towns in district.yaml",
            required=True,
            aliases=("镇街", "所属镇（街道）", "所在镇街", "镇（街道）"),
        ),
        Column(
            "industry_code",
            "行业代码",
            STR,
            "GB/T 4754-2017行业大类，2位数字",
            "GB/T 4754-2017 division, 2 digits",
            aliases=("国民经济行业代码", "行业大类代码"),
            is_id=True,
        ),
        Column(
            "sector",
            "主导产业",
            STR,
            "自由文本（先进材料、装备制造……）",
            "free text",
            aliases=("产业领域", "所属产业"),
        ),
        Column(
            "above_scale",
            "四上类别",
            ENUM,
            "规上工业/资质内建筑业/限上批零住餐/规上服务业/房地产开发/无，空白视为无",
            "one of the listed classes; empty means 无",
            values=ABOVE_SCALE_CLASSES,
            empty_means="无",
            aliases=("四上企业类别", "“四上”类别"),
        ),
        Column(
            "ownership",
            "企业性质",
            ENUM,
            "国有/民营/外资/其他",
            "one of 国有, 民营, 外资, 其他",
            values=("国有", "民营", "外资", "其他"),
            aliases=("所有制", "企业类型"),
        ),
        Column(
            "established",
            "成立日期",
            DATE,
            "不得晚于今天",
            "not in the future",
            aliases=("注册日期", "成立时间"),
        ),
        Column(
            "short_name",
            "企业简称",
            STR,
            "可选；简报举例时使用（同一处列举的企业都有简称时才用简称）",
            "optional; the name the bulletin cites (used only when every enterprise of a list has one)",
            aliases=("简称",),
            fallback=("enterprises", "name"),
        ),
    ),
    names=("企业名单", "企业信息", "企业库"),
    optional_columns=("short_name",),
)

CERTIFICATIONS = Table(
    "certifications",
    "资质认定",
    "梯次培育：企业各层级的推荐、申报、认定、未通过、撤销，每个环节一行。 / The four-tier pipeline, one row per event.",
    (
        _uscc(key=True),
        Column(
            "tier",
            "类别",
            ENUM,
            "科技型企业/高新技术企业/瞪羚企业/创新龙头企业",
            "one of the four tiers",
            key=True,
            required=True,
            values=TIERS,
            aliases=("资质类别", "认定类别"),
        ),
        Column(
            "stage",
            "环节",
            ENUM,
            "推荐/申报/认定/未通过/撤销",
            "one of 推荐, 申报, 认定, 未通过, 撤销",
            key=True,
            required=True,
            values=("推荐", "申报", "认定", "未通过", "撤销"),
            aliases=("状态",),
        ),
        Column(
            "date",
            "日期",
            DATE,
            "环节发生日期",
            "date of the stage",
            key=True,
            required=True,
            aliases=("认定日期", "发生日期"),
        ),
        Column("batch", "批次", STR, "如2025年第一批", "e.g. 2025年第一批"),
        Column(
            "level",
            "级别",
            ENUM,
            "市级/省级/国家级（科技型企业为市级，瞪羚、创新龙头为省级，高企为国家级）",
            "市级, 省级 or 国家级",
            values=("市级", "省级", "国家级"),
        ),
        Column(
            "valid_until",
            "有效期至",
            DATE,
            "高新技术企业、瞪羚、创新龙头的认定必填（高企3年）",
            "required for 认定 of 高新技术企业, 瞪羚企业, 创新龙头企业",
            aliases=("有效期", "证书有效期"),
        ),
    ),
    names=("资质认定台账", "梯次培育台账", "企业认定"),
    references=(("uscc", "enterprises", "uscc"),),
    event_table=True,
    record_date="date",
)

RD_SURVEY = Table(
    "rd_survey",
    "研发投入调查",
    "“四上”企业研发活动普查，每家企业每年一行。 / R&D census of 四上 enterprises, one row per enterprise per year.",
    (
        Column(
            "year",
            "年度",
            YEAR,
            "四位年份",
            "four-digit year",
            key=True,
            required=True,
            aliases=("年份",),
        ),
        _uscc(key=True),
        Column(
            "above_scale",
            "四上类别",
            ENUM,
            "当年四上类别（可缺列；缺列或空白时取企业名录的四上类别）",
            "the enterprise's class in that year (optional column; absent or blank: the class in enterprises)",
            values=ABOVE_SCALE_CLASSES,
            fallback=("enterprises", "above_scale"),
        ),
        Column("reported", "是否填报", BOOL, "是/否", "yes/no", required=True),
        Column(
            "has_rd",
            "是否有研发活动",
            BOOL,
            "否则研发经费为0或空",
            "if no, rd_expenditure is 0 or empty",
            required=True,
            aliases=("有无研发活动",),
        ),
        Column(
            "rd_expenditure",
            "研发经费支出",
            MONEY,
            "≥0",
            ">= 0",
            min_value=0,
            blank_rule="是否有研发活动为是时不得空白（拒绝该行）；为否时空白即无",
            blank_rule_en="must not be blank where has_rd is 是 (row error); blank where has_rd is 否 means none",
            aliases=("R&D经费支出", "研发费用", "研发经费"),
        ),
        Column("revenue", "营业收入", MONEY, "≥0", ">= 0", min_value=0, aliases=("主营业务收入",)),
        Column("rd_staff", "研发人员", INT, "≥0", ">= 0", min_value=0, aliases=("研发人员数",)),
    ),
    names=("研发投入", "研发活动普查", "研发调查"),
    optional_columns=("above_scale",),
    references=(("uscc", "enterprises", "uscc"),),
    confidential=True,
    record_date="year",
)

PROJECTS = Table(
    "projects",
    "科技项目与奖励",
    "科技项目与科技奖励，每个环节一行。 / Projects and awards, one row per stage.",
    (
        Column(
            "project_id",
            "项目编号",
            STR,
            "与环节一起唯一",
            "unique with stage",
            key=True,
            required=True,
            is_id=True,
        ),
        _uscc(
            "承担单位代码",
            required=False,
            aliases=("承担单位信用代码",),
            ref="，须在企业名录中（区外高校院所可空，但须填承担单位）",
            ref_en="; in enterprises (may be empty for outside universities/institutes, then name is required)",
        ),
        Column(
            "name",
            "承担单位",
            STR,
            "统一社会信用代码为空时必填",
            "required when uscc is empty",
            aliases=("承担单位名称",),
        ),
        Column("title", "项目名称", STR, "非空", "non-empty", required=True, aliases=("名称",)),
        Column(
            "programme",
            "计划类别",
            STR,
            "如河南省科技发展计划、河南省技术发明奖",
            "e.g. 河南省科技发展计划",
            aliases=("计划名称", "项目类别"),
        ),
        Column(
            "kind",
            "类型",
            ENUM,
            "项目/奖励",
            "项目 or 奖励",
            required=True,
            values=("项目", "奖励"),
        ),
        Column(
            "level",
            "级别",
            ENUM,
            "国家级/省级/市级/区级",
            "国家级, 省级, 市级 or 区级",
            required=True,
            values=("国家级", "省级", "市级", "区级"),
        ),
        Column(
            "stage",
            "环节",
            ENUM,
            "申报/推荐/立项/获奖/未通过",
            "one of 申报, 推荐, 立项, 获奖, 未通过",
            key=True,
            required=True,
            values=("申报", "推荐", "立项", "获奖", "未通过"),
        ),
        Column("date", "日期", DATE, "该环节发生日期", "date of the stage", required=True),
        Column("year", "计划年度", YEAR, "计划年度", "programme year"),
        Column("funding", "资助金额", MONEY, "≥0，可空", ">= 0, optional", min_value=0),
    ),
    names=("科技项目", "项目与奖励", "科技计划项目"),
    references=(("uscc", "enterprises", "uscc"),),
    event_table=True,
    record_date="date",
)

PLATFORMS = Table(
    "platforms",
    "研发平台",
    "各级研发平台，每个平台一行。 / R&D platforms, one row each.",
    (
        Column(
            "platform_id", "平台编号", STR, "唯一", "unique", key=True, required=True, is_id=True
        ),
        Column("name", "平台名称", STR, "非空", "non-empty", required=True),
        _uscc("依托单位代码", aliases=("依托单位信用代码",)),
        Column(
            "type",
            "平台类型",
            STR,
            "工程技术研究中心、企业技术中心、重点实验室……",
            "e.g. 工程技术研究中心",
        ),
        Column(
            "level",
            "级别",
            ENUM,
            "国家级/省级/市级",
            "国家级, 省级 or 市级",
            required=True,
            values=("国家级", "省级", "市级"),
        ),
        Column(
            "approved", "批准日期", DATE, "", "", required=True, aliases=("获批日期", "认定日期")
        ),
        Column("revoked", "撤销日期", DATE, "可空，须晚于批准日期", "optional, after approved"),
    ),
    names=("研发平台台账", "创新平台"),
    references=(("uscc", "enterprises", "uscc"),),
    record_date="approved",
)

ACTIVITIES = Table(
    "activities",
    "服务活动",
    "科技局组织的服务活动，每次一行。 / Service activities, one row each.",
    (
        Column(
            "activity_id", "活动编号", STR, "唯一", "unique", key=True, required=True, is_id=True
        ),
        Column("date", "日期", DATE, "", "", required=True, aliases=("活动日期",)),
        Column(
            "type",
            "活动类型",
            ENUM,
            "专家考察/技术需求对接会/银企对接/政银企座谈会/培训/上门服务/政策宣讲",
            "one of the listed types",
            required=True,
            values=ACTIVITY_TYPES,
        ),
        Column("title", "活动名称", STR, "", "", aliases=("名称",)),
        Column("partners", "合作单位", STR, "高校、银行、专家单位，用;分隔", "`;`-separated"),
        Column("outcomes", "促成成果数", INT, "≥0", ">= 0", min_value=0, aliases=("成果数",)),
    ),
    names=("活动台账", "服务活动台账"),
    record_date="date",
)

ACTIVITY_PARTICIPANTS = Table(
    "activity_participants",
    "活动参与企业",
    "参加活动的企业，每家每次一行。 / Enterprises at each activity.",
    (
        Column(
            "activity_id",
            "活动编号",
            STR,
            "须在服务活动中",
            "must be in activities",
            key=True,
            required=True,
            is_id=True,
        ),
        _uscc(key=True),
    ),
    names=("参与企业",),
    references=(("activity_id", "activities", "activity_id"), ("uscc", "enterprises", "uscc")),
)

TALENT = Table(
    "talent",
    "科技人才",
    "“科技副总”选聘与人才需求征集。不存储个人姓名。 / Talent programme records; no personal names.",
    (
        Column("record_id", "记录编号", STR, "唯一", "unique", key=True, required=True, is_id=True),
        _uscc(),
        Column(
            "kind",
            "类型",
            ENUM,
            "科技副总选聘/人才需求",
            "科技副总选聘 or 人才需求",
            required=True,
            values=("科技副总选聘", "人才需求"),
        ),
        Column("date", "日期", DATE, "", "", required=True),
        Column("headcount", "人数", INT, "≥1", ">= 1", required=True, min_value=1),
        Column("field", "专业领域", STR, "不得填写个人姓名", "no personal names"),
    ),
    names=("人才台账", "科技副总"),
    references=(("uscc", "enterprises", "uscc"),),
    record_date="date",
)

TECH_CONTRACTS = Table(
    "tech_contracts",
    "技术合同登记",
    "技术合同认定登记，每份合同一行。 / Registered technology contracts.",
    (
        Column(
            "contract_id",
            "合同编号",
            STR,
            "唯一",
            "unique",
            key=True,
            required=True,
            is_id=True,
            aliases=("登记编号", "合同登记号"),
        ),
        Column("registered", "登记日期", DATE, "", "", required=True, aliases=("认定登记日期",)),
        _uscc("卖方代码", col_id="seller_uscc", aliases=("卖方统一社会信用代码", "卖方信用代码")),
        Column("buyer", "买方名称", STR, "", "", aliases=("买方",)),
        Column(
            "buyer_region",
            "买方地域",
            ENUM,
            "区内/市内/省内/省外/境外",
            "one of 区内, 市内, 省内, 省外, 境外",
            values=BUYER_REGIONS,
            aliases=("买方所在地域",),
        ),
        Column(
            "type",
            "合同类型",
            ENUM,
            "技术开发/技术转让/技术许可/技术咨询/技术服务",
            "one of the five types",
            required=True,
            values=CONTRACT_TYPES,
        ),
        Column(
            "amount",
            "成交金额",
            MONEY,
            ">0",
            "> 0",
            required=True,
            min_value=0,
            min_exclusive=True,
            aliases=("合同成交额", "合同金额", "成交额"),
        ),
        Column(
            "tech_amount",
            "技术交易额",
            MONEY,
            "0≤技术交易额≤成交金额",
            "0 <= tech_amount <= amount",
            min_value=0,
        ),
        Column("field", "技术领域", STR, "", ""),
    ),
    names=("技术合同登记台账", "技术合同", "技术合同认定登记"),
    references=(("seller_uscc", "enterprises", "uscc"),),
    confidential=True,
    record_date="registered",
)

ACHIEVEMENTS = Table(
    "achievements",
    "成果转化",
    "成果转移转化补助、绿色低碳先进技术等，每个环节一行。 / Achievements, one row per stage.",
    (
        Column(
            "record_id",
            "记录编号",
            STR,
            "与环节一起唯一",
            "unique with stage",
            key=True,
            required=True,
            is_id=True,
        ),
        _uscc(),
        Column(
            "kind",
            "类型",
            ENUM,
            "转移转化补助/绿色低碳先进技术/其他",
            "one of 转移转化补助, 绿色低碳先进技术, 其他",
            required=True,
            values=("转移转化补助", "绿色低碳先进技术", "其他"),
        ),
        Column("title", "名称", STR, "", "", aliases=("成果名称",)),
        Column(
            "stage",
            "环节",
            ENUM,
            "申报/推荐/认定/拨付/未通过",
            "one of 申报, 推荐, 认定, 拨付, 未通过",
            key=True,
            required=True,
            values=("申报", "推荐", "认定", "拨付", "未通过"),
        ),
        Column("date", "日期", DATE, "该环节发生日期", "date of the stage", required=True),
        Column("amount", "金额", MONEY, "可空", "optional", min_value=0),
    ),
    names=("成果转化台账", "成果转移转化"),
    references=(("uscc", "enterprises", "uscc"),),
    event_table=True,
    record_date="date",
)

FINANCING = Table(
    "financing",
    "科技金融",
    "融资需求与解决情况，每笔一行。 / Financing requests and loans, one row each.",
    (
        Column("record_id", "记录编号", STR, "唯一", "unique", key=True, required=True, is_id=True),
        _uscc(),
        Column(
            "product",
            "金融产品",
            ENUM,
            "本区科技信贷产品（district.yaml的loan_product；郑州市默认郑科贷）/知识产权质押融资/科技信贷/其他",
            "the district's own loan product (district.yaml loan_product; 郑科贷 by default in "
            "郑州市) or one of the listed products",
            values=("知识产权质押融资", "科技信贷", "其他"),
            district_values="loan_product",
        ),
        Column("bank", "金融机构", STR, "", "", aliases=("银行",)),
        Column(
            "activity_id",
            "对接活动编号",
            STR,
            "可空，须为银企对接或政银企座谈会活动",
            "optional; an activity of type 银企对接 or 政银企座谈会",
            is_id=True,
        ),
        Column(
            "date",
            "日期",
            DATE,
            "解决（放款）日期，未解决的为需求登记日期",
            "date resolved, or recorded if unresolved",
            required=True,
        ),
        Column(
            "requested",
            "需求金额",
            MONEY,
            "≥0",
            ">= 0",
            required=True,
            min_value=0,
            aliases=("融资需求",),
        ),
        Column(
            "resolved",
            "解决金额",
            MONEY,
            "0≤解决金额≤需求金额",
            "0 <= resolved <= requested",
            min_value=0,
            aliases=("解决融资", "放款金额"),
        ),
    ),
    names=("科技金融台账", "融资对接"),
    references=(("uscc", "enterprises", "uscc"), ("activity_id", "activities", "activity_id")),
    confidential=True,
    record_date="date",
)

TARGETS = Table(
    "targets",
    "年度目标",
    "科技局年度目标（可选）。 / The bureau's annual targets (optional).",
    (
        Column("year", "年度", YEAR, "四位年份", "four-digit year", key=True, required=True),
        Column(
            "indicator",
            "指标编号",
            STR,
            "docs/indicators.md中的指标编号",
            "an indicator id",
            key=True,
            required=True,
            aliases=("指标",),
        ),
        Column(
            "target",
            "目标值",
            STR,
            "按指标单位填写（比率可写59%或59）",
            "in the indicator's unit",
            required=True,
        ),
    ),
    names=("目标任务", "年度目标任务"),
)

MEASURES = Table(
    "measures",
    "工作举措",
    "科技局本期各要点的工作举措原文（可选；也可用Word或Markdown文档，标题写期间、部分和要点）。 / "
    "The bureau's own text of what it did, per period, section and point (optional; also "
    "accepted as a Word or Markdown document whose headings name period, section and point).",
    (
        Column(
            "period",
            "期间",
            STR,
            "期间代码：2025、2025H1、2025Q3、2025M09；须在数据包的年份之内",
            "a period code (2025, 2025H1, 2025Q3, 2025M09) within the package's years",
            key=True,
            required=True,
            aliases=("报告期", "年度"),
        ),
        Column(
            "section",
            "部分",
            STR,
            "1、2、3（或一、二、三）；标题、导语行留空",
            "1, 2 or 3; empty for the title and lead rows",
            key=True,
        ),
        Column(
            "point",
            "要点",
            STR,
            "该部分的要点（registry/measures.yaml：编号或中文名）；标题行填“标题”，导语行填“导语”",
            "a point of the section (id or Chinese label); 标题 (title) or 导语 (lead) for the period",
            key=True,
            required=True,
        ),
        Column(
            "text",
            "内容",
            STR,
            "工作举措原文，不超过600字",
            "the bureau's text, at most 600 characters",
            required=True,
            aliases=("工作举措", "举措"),
        ),
    ),
    names=("举措", "工作举措原文"),
)

TABLES: dict[str, Table] = {
    t.id: t
    for t in (
        ENTERPRISES,
        CERTIFICATIONS,
        RD_SURVEY,
        PROJECTS,
        PLATFORMS,
        ACTIVITIES,
        ACTIVITY_PARTICIPANTS,
        TALENT,
        TECH_CONTRACTS,
        ACHIEVEMENTS,
        FINANCING,
        TARGETS,
        MEASURES,
    )
}
"""All tables, in the order the data dictionary and the template list them."""


def table(table_id: str) -> Table:
    """The declaration of one table by id (KeyError names the unknown id)."""
    return TABLES[table_id]
