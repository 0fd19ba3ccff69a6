"""The standard charts: titles worked out by hand from small frames, withheld cells, clean rendering.

Every expected title below is computed by hand from the fixture's numbers (the arithmetic is
in the comment beside it), never copied from the function's output.
"""

import io
import subprocess
import sys
import warnings
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from innolib import charts
from innolib.analyses import INTENSITY_BINS, contract_mix, financing_summary, pipeline_funnel
from innolib.charts.layout import wrap
from innolib.disclosure import FOOTNOTE, protect_table
from innolib.package import District, Package
from innolib.periods import parse_period
from innolib.tables import CONTRACT_TYPES, TIERS

TOWNS = ("峡窝镇", "济源路街道", "中心路街道", "新安路街道", "工业路街道", "矿山街道")
YEARS = ["2021", "2022", "2023", "2024", "2025"]


@pytest.fixture(autouse=True)
def close_figures():
    """Every test leaves no figure open (charts close nothing themselves)."""
    yield
    plt.close("all")


def render(fig) -> bytes:
    """The figure as PNG bytes; fails on any missing-glyph warning (Chinese must render)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == [], missing
    return buffer.getvalue()


def title(fig) -> str:
    return fig._suptitle.get_text().replace("\n", "")


def note_lines(fig) -> list[str]:
    return fig._supxlabel.get_text().split("\n") if fig._supxlabel else []


def source(fig) -> str:
    """The chart's 数据来源 line ("" when it has none)."""
    lines = note_lines(fig)
    return lines[0] if lines and lines[0].startswith("数据来源：") else ""


def footnote(fig) -> str:
    """The note under the chart, its 数据来源 line aside (wrapped lines joined)."""
    lines = note_lines(fig)
    return "".join(lines[1:] if source(fig) else lines)


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def bars(ax):
    return list(ax.patches)


def rows_top_down(ax) -> list[str]:
    """Horizontal-bar category labels from the top of the chart to the bottom."""
    pairs = zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()))
    return [label for _, label in sorted(pairs, key=lambda p: -p[0])]


def row_of(ax, label) -> float:
    return dict(zip((t.get_text() for t in ax.get_yticklabels()), ax.get_yticks()))[label]


def district(cutoff=None):
    return District(
        id="t",
        code="410106",
        name="上街区",
        city="郑州市",
        province="河南省",
        towns=TOWNS,
        cutoff=cutoff,
    )


def trend(values, statuses=None, periods=YEARS):
    return pd.DataFrame(
        {"period": periods, "value": values, "status": statuses or ["ok"] * len(values)}
    )


# --------------------------------------------------------------------------- (1) funnel


def test_funnel_title_gives_the_second_tier_and_its_share_of_the_first():
    fig = charts.funnel_chart(pd.Series([278, 106, 5, 1], index=list(TIERS)), period="2025")
    render(fig)
    # 106 / 278 = 0.38129 -> 38.1%
    assert title(fig) == "2025年有效期内高企106家，相当于科技型企业的38.1%"
    ax = fig.axes[0]
    widths = [round(b.get_width(), 4) for b in bars(ax)]
    # proportional to the largest (278): 1, 106/278 = 0.3813, 5/278 = 0.018, 1/278 -> the 0.012 sliver
    assert widths == [1.0, 0.3813, 0.018, 0.012]
    # each tier against the one above: 106/278 = 38.1%, 5/106 = 4.7%, 1/5 = 20.0%
    steps = [t for t in texts(ax) if t.startswith("为上一层级")]
    assert steps == ["为上一层级的38.1%", "为上一层级的4.7%", "为上一层级的20.0%"]
    assert rows_top_down(ax) == [
        "科技型企业",
        "高新技术企业（有效期内）",
        "“瞪羚”企业",
        "创新龙头企业",
    ]
    assert tuple(fig.get_size_inches()) == charts.FIGSIZE_WIDE


def test_funnel_from_an_indicator_set_counts_the_first_tier_as_cumulative():
    values = {
        "tech_sme.cumulative": 200,
        "hnte.valid": 50,
        "gazelle.valid": 4,
        "leader.valid": 0,
        "rd.surveyed": 144,
    }
    result = SimpleNamespace(
        values={k: SimpleNamespace(value=v) for k, v in values.items()},
        period=parse_period("2025H1"),
    )
    fig = charts.funnel_chart(result)
    render(fig)
    # the first tier is cumulative (ever registered), the others stocks on the day: the title
    # does not make 高企 a share of it; the period comes from the indicator set
    assert title(fig) == "2025年上半年累计科技型企业200家，有效期内高企50家"
    ax = fig.axes[0]
    assert rows_top_down(ax)[0] == "科技型企业（累计）"
    # nor do the steps: 4 / 50 = 8.0% and 0 / 4 = 0.0% between stocks, none below the first tier
    assert [t for t in texts(ax) if t.startswith("为上一层级")] == [
        "为上一层级的8.0%",
        "为上一层级的0.0%",
    ]
    # the empty top tier is written, not drawn
    assert len(bars(ax)) == 3 and "0家" in texts(ax)


def test_funnel_from_the_analyses_funnel_of_a_hand_built_package():
    def cert(uscc, tier, date, valid_until=None):
        return {
            "uscc": uscc,
            "tier": tier,
            "stage": "认定",
            "date": pd.Timestamp(date),
            "valid_until": pd.Timestamp(valid_until) if valid_until else pd.NaT,
        }

    rows = [cert(u, "科技型企业", "2020-03-01") for u in "ABCD"] + [
        cert("A", "高新技术企业", "2024-06-01", "2027-05-31"),
        cert("B", "高新技术企业", "2023-01-01", "2025-12-31"),  # in force on 31 December
        cert("C", "高新技术企业", "2021-01-01", "2023-12-31"),  # expired
        cert("A", "瞪羚企业", "2025-03-01", "2028-02-28"),
    ]
    enterprises = pd.DataFrame({"uscc": list("ABCD"), "name": list("甲乙丙丁"), "town": "峡窝镇"})
    package = Package.from_frames(
        district(), {"enterprises": enterprises, "certifications": pd.DataFrame(rows)}
    )
    fig = charts.funnel_chart(pipeline_funnel(package, parse_period("2025")), period="2025")
    render(fig)
    # holding on 2025-12-31: 科技型 4 (A-D), 高企 2 (A, B), 瞪羚 1 (A), 龙头 0; 2 / 4 = 50.0%,
    # which a title (prose) writes 50% (a trailing .0 is dropped, as in the bulletin)
    assert title(fig) == "2025年有效期内高企2家，相当于科技型企业的50%"
    assert [t for t in texts(fig.axes[0]) if t.endswith("家")] == ["4家", "2家", "1家", "0家"]


def test_funnel_with_conversion_rows_writes_the_conversion_between_tiers():
    conversion = pd.DataFrame(
        {
            "from_tier": ["科技型企业", "高新技术企业", "瞪羚企业"],
            "to_tier": ["高新技术企业", "瞪羚企业", "创新龙头企业"],
            "cohort": [40, 8, 0],
            "converted": [10, 1, 0],
            "rate": [25.0, 12.5, float("nan")],
        }
    )
    conversion.attrs["funnel"] = pd.DataFrame({"tier": list(TIERS), "enterprises": [90, 30, 3, 1]})
    conversion.attrs["note"] = "队列说明"
    fig = charts.funnel_chart(conversion)
    render(fig)
    assert title(fig) == "有效期内高企30家，相当于科技型企业的33.3%"  # 30 / 90
    assert [t for t in texts(fig.axes[0]) if t.startswith("晋级率")] == [
        "晋级率25.0%（10/40家）",
        "晋级率12.5%（1/8家）",
        "晋级率：无可比队列",
    ]
    assert footnote(fig) == "队列说明"


def test_funnel_rejects_an_unknown_or_missing_tier():
    with pytest.raises(ValueError, match="unknown tier"):
        charts.funnel_chart({"科技型企业": 1, "专精特新": 2, "瞪羚企业": 0, "创新龙头企业": 0})
    with pytest.raises(ValueError, match="missing: 创新龙头企业"):
        charts.funnel_chart({"科技型企业": 1, "高新技术企业": 1, "瞪羚企业": 0})


# --------------------------------------------------------------------------- (2) trend


def test_count_trend_names_the_indicator_from_the_registry_and_follows_the_change_rule():
    fig = charts.trend_chart(trend([61, 75, 90, 98, 106]), "hnte.valid")
    render(fig)
    # registry: 有效期内高新技术企业, 家; last year 98 is not under 10, so the percent:
    # (106 - 98) / 98 = 8 / 98 = 8.163% -> 8.2%
    assert title(fig) == "2025年有效期内高新技术企业106家，同比增长8.2%"
    ax = fig.axes[0]
    assert [b.get_height() for b in bars(ax)] == [61, 75, 90, 98, 106]
    assert ax.get_ylabel() == "数量（家）"
    # YoY (every base >= 10: percent): 75/61 = +23.0%, 90/75 = +20.0%, 98/90 = +8.9%, 106/98 = +8.2%
    assert [t for t in texts(ax) if t.startswith(("+", "-"))] == [
        "+23.0%",
        "+20.0%",
        "+8.9%",
        "+8.2%",
    ]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2021年",
        "2022年",
        "2023年",
        "2024年",
        "2025年",
    ]


def test_money_trend_in_yi_with_a_suppressed_year_not_drawn():
    frame = trend(
        [31000.0, 35500.0, None, 42100.0, 47350.0], ["ok", "ok", "suppressed", "ok", "ok"]
    )
    fig = charts.trend_chart(frame, "contracts.amount")
    render(fig)
    # 47350万元 = 4.74亿元 (4.735 -> two decimals); 47350 / 42100 = 1.1247 -> 同比增长12.5%
    assert title(fig) == "2025年登记技术合同成交总金额4.74亿元，同比增长12.5%"
    ax = fig.axes[0]
    assert ax.get_ylabel() == "金额（亿元）"
    assert [round(b.get_height(), 3) for b in bars(ax)] == [3.1, 3.55, 4.21, 4.735]
    assert "—" in texts(ax)
    # 2022: 35500/31000 = +14.5%; 2024 has no YoY (2023 withheld); 2025: +12.5%
    assert [t for t in texts(ax) if t.startswith(("+", "-"))] == ["+14.5%", "+12.5%"]
    assert footnote(fig) == FOOTNOTE[0]


def test_small_money_stays_in_wan_and_a_fall_is_a_fall():
    fig = charts.trend_chart(trend([900.0, 836.0], periods=["2024", "2025"]), "finance.resolved")
    render(fig)
    # 836 / 900 = 0.9289 -> 同比下降7.1%
    assert title(fig).endswith("836万元，同比下降7.1%")
    assert fig.axes[0].get_ylabel() == "金额（万元）"


def test_rate_trend_is_a_line_with_percentage_points():
    fig = charts.trend_chart(
        trend([55.1, 58.97], periods=["2024", "2025"]), "rd.coverage_industrial"
    )
    render(fig)
    # 58.97 - 55.1 = 3.87 -> 3.9个百分点; 58.97 -> 59.0, written 59% in a title (prose drops .0)
    assert title(fig) == "2025年规上工业企业研发活动覆盖率59%，较上年提高3.9个百分点"
    ax = fig.axes[0]
    assert bars(ax) == [] and len(ax.lines) == 1
    assert "+3.9个百分点" in texts(ax)
    assert ax.get_ylabel() == "比率（%）"


def test_quarters_compare_with_the_same_quarter_a_year_earlier():
    periods = ["2024Q1", "2024Q2", "2024Q3", "2025Q1", "2025Q2", "2025Q3"]
    frame = trend([3, 5, 2, 4, 5, None], ["ok"] * 5 + ["no_data"], periods)
    frame.attrs["district"] = district()  # a district of 郑州市: its programme's name
    fig = charts.trend_chart(frame, "tech_sme.recommended")
    render(fig)
    # latest with data is 2025Q2 = 5, 2024Q2 = 5 -> 持平 (not 2025Q1 = 4: that is not a year
    # earlier); a quarter compares with 上年同期
    assert title(fig) == "2025年第二季度推荐认定郑州市科技型企业5家，与上年同期持平"
    ax = fig.axes[0]
    assert len(bars(ax)) == 5 and "无数据" in texts(ax)
    # 2025Q1 against 2024Q1: 3 is under 10, so the difference 4 - 3 = +1家 (not +33.3%);
    # 2025Q2 against 2024Q2: 5 - 5 = 0 -> 持平
    assert [t for t in texts(ax) if t.startswith("+") or t == "持平"] == ["+1家", "持平"]
    assert footnote(fig) == ""  # nothing withheld


def test_trend_with_no_data_anywhere_says_so():
    fig = charts.trend_chart(
        trend([None, None], ["no_data", "no_data"], ["2024", "2025"]), "hnte.valid"
    )
    render(fig)
    assert title(fig) == "有效期内高新技术企业：所选各期均无可公开数据"
    assert bars(fig.axes[0]) == []


# --------------------------------------------------------------------------- (3) breakdown


def test_town_breakdown_sorted_with_share_of_the_district():
    frame = pd.DataFrame(
        {
            "town": TOWNS,
            "value": pd.array([38, 20, 10, 0, 5, 33], dtype="Int64"),
            "enterprises": [38, 20, 10, 0, 5, 33],
        }
    )
    fig = charts.breakdown_chart(frame, "hnte.valid", period="2025")
    render(fig)
    # total 106; 峡窝镇 38 / 106 = 35.8%
    assert title(fig) == "2025年峡窝镇有效期内高新技术企业最多，38家，占全区的35.8%"
    ax = fig.axes[0]
    assert rows_top_down(ax) == [
        "峡窝镇",
        "矿山街道",
        "济源路街道",
        "中心路街道",
        "工业路街道",
        "新安路街道",
    ]
    assert ax.get_xlabel() == "有效期内高新技术企业（家）"


def test_withheld_cells_are_marked_not_drawn_and_the_published_total_gives_the_share():
    published = pd.DataFrame(
        {
            "town": [
                "峡窝镇",
                "济源路街道",
                "中心路街道",
                "新安路街道",
                "工业路街道",
                "矿山街道",
                "合计",
            ],
            "value": [12000.0, 8000.0, None, 15000.0, 3000.0, None, 44500.0],
            "enterprises": [10, 8, 2, 12, 4, 5, 41],
            "status": [
                "published",
                "published",
                "primary",
                "published",
                "published",
                "secondary",
                "published",
            ],
        }
    )
    fig = charts.breakdown_chart(published, "rd.expenditure", period="2025")
    render(fig)
    # 新安路街道 15000万元 = 1.5亿元 (亿元 up to two decimals, trailing zero dropped);
    # 15000 / 44500 = 33.71% -> 33.7%
    assert title(fig) == "2025年新安路街道“四上”企业研发经费支出最多，1.5亿元，占全区的33.7%"
    ax = fig.axes[0]
    # four published towns are bars (合计 is not a bar); the two withheld ones are not
    assert sorted(round(b.get_width(), 2) for b in bars(ax)) == [0.3, 0.8, 1.2, 1.5]
    # withheld towns listed last, each with a dash on its own row and no bar there
    assert rows_top_down(ax) == [
        "新安路街道",
        "峡窝镇",
        "济源路街道",
        "工业路街道",
        "中心路街道",
        "矿山街道",
    ]
    dash_rows = sorted(round(t.xy[1]) for t in ax.texts if t.get_text() == "—")
    assert dash_rows == sorted(round(row_of(ax, town)) for town in ("中心路街道", "矿山街道"))
    bar_rows = {round(b.get_y() + b.get_height() / 2) for b in bars(ax)}
    assert bar_rows.isdisjoint(dash_rows)
    assert footnote(fig) == FOOTNOTE[0]
    assert ax.get_xlabel() == "“四上”企业研发经费支出（亿元）"


def test_a_protected_table_from_disclosure_is_charted_as_published():
    # 济源路街道: 2 firms (minimum frequency); 中心路街道: one firm is 96% (dominance)
    rows = [
        ("A1", "峡窝镇", 100.0),
        ("A2", "峡窝镇", 120.0),
        ("A3", "峡窝镇", 90.0),
        ("B1", "济源路街道", 50.0),
        ("B2", "济源路街道", 60.0),
        ("C1", "中心路街道", 960.0),
        ("C2", "中心路街道", 20.0),
        ("C3", "中心路街道", 20.0),
        ("D1", "新安路街道", 200.0),
        ("D2", "新安路街道", 210.0),
        ("D3", "新安路街道", 190.0),
    ]
    contribs = pd.DataFrame(rows, columns=["uscc", "town", "value"])
    table = protect_table(contribs, "town", total=True, categories={"town": list(TOWNS[:4])})
    cells = table.published
    withheld = set(cells.loc[(cells["status"] != "published") & (cells["town"] != "合计"), "town"])
    assert {"济源路街道", "中心路街道"} <= withheld
    fig = charts.breakdown_chart(table, "rd.expenditure")
    render(fig)
    ax = fig.axes[0]
    assert len(bars(ax)) == 4 - len(withheld)
    assert texts(ax).count("—") == len(withheld)


def test_a_breakdown_without_data_draws_nothing_and_says_so():
    frame = pd.DataFrame(
        {
            "town": TOWNS[:3],
            "value": pd.array([None] * 3, dtype="Float64"),
            "enterprises": pd.array([None] * 3, dtype="Int64"),
        }
    )
    frame.attrs["status"] = "no_data"
    fig = charts.breakdown_chart(frame, "rd.expenditure", period="2025")
    render(fig)
    assert title(fig) == "2025年“四上”企业研发经费支出分镇街：无可公开数据"
    assert bars(fig.axes[0]) == [] and texts(fig.axes[0]).count("无数据") == 3
    assert footnote(fig) == ""  # nothing withheld: no disclosure footnote


# --------------------------------------------------------------------------- (4) R&D intensity


def test_intensity_distribution_names_the_largest_band():
    bins = pd.DataFrame({"bin": list(INTENSITY_BINS), "enterprises": [30, 40, 52, 14, 8]})
    result = SimpleNamespace(bins=bins, year=2025, median=1.234, status="ok")
    fig = charts.rd_intensity_chart(result)
    render(fig)
    # 52 of 144 = 36.1%
    assert title(fig) == "2025年研发投入强度1%—3%的企业最多，52家，占36.1%；中位数1.23%"
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "无研发投入",
        "0%—1%",
        "1%—3%",
        "3%—5%",
        "5%以上",
    ]
    assert [b.get_height() for b in bars(ax)] == [30, 40, 52, 14, 8]
    assert "30家（20.8%）" in texts(ax)  # 30 / 144


def test_intensity_when_most_enterprises_have_no_rd():
    fig = charts.rd_intensity_chart(
        pd.Series({"0": 81, "(0,1%]": 12, "(1%,3%]": 38}), period="2025"
    )
    render(fig)
    # 81 of 131 = 61.8%
    assert title(fig) == "2025年无研发投入的企业最多，81家，占61.8%"


def test_intensity_from_intervals_and_no_data():
    series = pd.Series([5, 5, 2], index=pd.IntervalIndex.from_breaks([0, 1, 3, float("inf")]))
    fig = charts.rd_intensity_chart(series, period="2025")
    render(fig)
    # a tie goes to the first band: 5 of 12 = 41.7%
    assert title(fig) == "2025年研发投入强度0%—1%的企业最多，5家，占41.7%"
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["0%—1%", "1%—3%", "3%以上"]
    empty = SimpleNamespace(
        bins=pd.DataFrame(columns=["bin", "enterprises", "share"]),
        year=2025,
        median=float("nan"),
        status="no_data",
    )
    fig = charts.rd_intensity_chart(empty)
    render(fig)
    assert title(fig) == "2025年研发投入强度分布：无数据"


# --------------------------------------------------------------------------- (5) platforms


def test_platforms_stacked_by_level_from_trend_frames():
    levels = {
        "platforms.national": [1, 1, 1, 1, 2],
        "platforms.provincial": [30, 33, 36, 38, 40],
        "platforms.municipal": [45, 50, 55, 60, 62],
    }
    frames = {k: trend(pd.array(v, dtype="Int64")) for k, v in levels.items()}
    fig = charts.platforms_chart(frames)
    render(fig)
    # 2025: 2 + 40 + 62 = 104; 2024: 1 + 38 + 60 = 99, not under 10, so the percent:
    # (104 - 99) / 99 = 5.05% -> 5.1% (one phrase, no 较上年 before 同比)
    assert title(fig) == "2025年研发平台共104家（国家级2家、省级40家、市级62家），同比增长5.1%"
    ax = fig.axes[0]
    assert len(bars(ax)) == 15
    assert [t for t in texts(ax) if t.startswith("共")] == [
        "共76家",
        "共84家",
        "共92家",
        "共99家",
        "共104家",
    ]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["国家级", "省级", "市级"]


def test_platforms_year_without_data_is_not_drawn():
    wide = pd.DataFrame(
        {"period": ["2024", "2025"], "国家级": [1, None], "省级": [3, None], "市级": [5, None]}
    )
    fig = charts.platforms_chart(wide)
    render(fig)
    assert title(fig) == "2024年研发平台共9家：国家级1家、省级3家、市级5家"
    assert len(bars(fig.axes[0])) == 3 and "无数据" in texts(fig.axes[0])


# --------------------------------------------------------------------------- (6) contract mix


def contracts_package():
    sellers = [f"S{i}" for i in range(6)]
    enterprises = pd.DataFrame({"uscc": sellers, "name": sellers, "town": "峡窝镇"})
    rows = [  # (seller, type, buyer region, amount 万元)
        ("S0", "技术开发", "省外", 3000.0),
        ("S1", "技术开发", "省外", 2000.0),
        ("S2", "技术开发", "省内", 1000.0),
        ("S3", "技术服务", "区内", 1500.0),
        ("S4", "技术服务", "省外", 1000.0),
        ("S5", "技术咨询", "市内", 500.0),
    ]
    contracts = pd.DataFrame(
        {
            "contract_id": [f"C{i}" for i in range(len(rows))],
            "registered": pd.Timestamp("2025-05-01"),
            "seller_uscc": [r[0] for r in rows],
            "buyer": "买方",
            "type": [r[1] for r in rows],
            "buyer_region": [r[2] for r in rows],
            "amount": [r[3] for r in rows],
            "tech_amount": [r[3] for r in rows],
        }
    )
    return Package.from_frames(
        district(), {"enterprises": enterprises, "tech_contracts": contracts}
    )


def test_contract_mix_from_the_analyses_frame():
    mix = contract_mix(contracts_package(), parse_period("2025"))
    fig = charts.contract_mix_chart(mix, period="2025")
    render(fig)
    # total 9000; 技术开发 6000 = 66.7%; 省外 3000 + 2000 + 1000 = 6000 = 66.7%
    assert title(fig) == "2025年技术开发类合同占成交额的66.7%，省外买方占66.7%"
    type_ax, region_ax = fig.axes
    assert rows_top_down(type_ax) == list(CONTRACT_TYPES)
    assert "66.7%（6000万元）" in texts(type_ax)
    assert "16.7%（1500万元）" in texts(region_ax)  # 区内 1500 / 9000
    assert type_ax.get_xlabel() == "占成交额比重（%）"
    assert tuple(fig.get_size_inches()) == charts.FIGSIZE_PAIR


def test_contract_mix_with_a_withheld_cell_draws_amounts_not_shares():
    by_type = pd.DataFrame(
        {
            "type": ["技术开发", "技术转让", "技术服务"],
            "amount": [29000.0, None, 13000.0],
            "status": ["ok", "suppressed", "ok"],
        }
    )
    fig = charts.contract_mix_chart(by_type, period="2025")
    render(fig)
    ax = fig.axes[0]
    assert len(bars(ax)) == 2 and "—" in texts(ax)
    assert ax.get_xlabel() == "金额（亿元）"
    assert sorted(round(b.get_width(), 2) for b in bars(ax)) == [1.3, 2.9]
    # no share can be known with a withheld cell: the title gives the largest published amount
    # 29000万元 = 2.9亿元
    assert title(fig) == "2025年技术开发类合同成交额最多，2.9亿元"
    assert footnote(fig) == FOOTNOTE[0]


def test_contract_mix_two_series_shares_of_their_sums():
    by_type = pd.Series({"技术开发": 300.0, "技术服务": 100.0})
    by_region = pd.Series({"区内": 100.0, "省外": 250.0, "境外": 50.0})
    fig = charts.contract_mix_chart(by_type, by_region)
    render(fig)
    # 300 / 400 = 75.0% (written 75%); 250 / 400 = 62.5%
    assert title(fig) == "技术开发类合同占成交额的75%，省外买方占62.5%"


# --------------------------------------------------------------------------- (7) financing


def test_financing_by_product_from_the_analyses_summary():
    firms = [f"F{i}" for i in range(4)]
    enterprises = pd.DataFrame({"uscc": firms, "name": firms, "town": "峡窝镇"})
    rows = [
        ("F0", "郑科贷", 10000.0, 8000.0),
        ("F1", "郑科贷", 6000.0, 6000.0),
        ("F2", "科技信贷", 12000.0, 9000.0),
        ("F3", "知识产权质押融资", 2000.0, 0.0),
    ]
    financing = pd.DataFrame(
        {
            "record_id": [f"R{i}" for i in range(4)],
            "uscc": [r[0] for r in rows],
            "product": [r[1] for r in rows],
            "date": pd.Timestamp("2025-04-01"),
            "requested": [r[2] for r in rows],
            "resolved": [r[3] for r in rows],
        }
    )
    package = Package.from_frames(district(), {"enterprises": enterprises, "financing": financing})
    fig = charts.financing_chart(financing_summary(package, parse_period("2025")), period="2025")
    render(fig)
    # resolved 8000 + 6000 + 9000 = 23000万元 = 2.3亿元 of 30000 requested = 76.67% -> 76.7%;
    # 郑科贷 8000 + 6000 = 14000 the most
    assert title(fig) == "2025年协调解决融资需求2.3亿元，占需求金额的76.7%，郑科贷最多"
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "合计" not in labels and labels[:3] == ["郑科贷", "知识产权质押融资", "科技信贷"]
    # 郑科贷 14000/16000 = 87.5%; 科技信贷 9000/12000 = 75.0%; 知识产权 0/2000 = 0.0%
    assert [t for t in texts(ax) if t.startswith("解决率")][:3] == [
        "解决率87.5%",
        "解决率0.0%",
        "解决率75.0%",
    ]
    assert ax.get_ylabel() == "金额（亿元）"


def test_financing_over_years_titles_the_latest_year():
    frame = pd.DataFrame(
        {
            "period": ["2023", "2024", "2025"],
            "requested": [3000.0, 3600.0, 4000.0],
            "resolved": [2100.0, 2500.0, 2860.0],
        }
    )
    fig = charts.financing_chart(frame)
    render(fig)
    # 2860 / 4000 = 71.5%
    assert title(fig) == "2025年协调解决融资需求2860万元，占需求金额的71.5%"
    assert len(bars(fig.axes[0])) == 6
    assert fig.axes[0].get_ylabel() == "金额（万元）"


def test_financing_from_the_two_indicator_trends():
    trends = {
        "finance.requested": trend([3000.0, 4000.0], periods=["2024", "2025"]),
        "finance.resolved": trend([2100.0, None], ["ok", "suppressed"], ["2024", "2025"]),
    }
    fig = charts.financing_chart(trends)
    render(fig)
    # 2025 withheld: the title speaks of 2024, 2100 / 3000 = 70.0%, written 70%
    assert title(fig) == "2024年协调解决融资需求2100万元，占需求金额的70%"
    ax = fig.axes[0]
    assert len(bars(ax)) == 2 and "—" in texts(ax)
    assert footnote(fig) == FOOTNOTE[0]


# --------------------------------------------------------------------------- wording and numbers


def test_titles_follow_the_change_rule_for_small_counts_money_after_zero_and_falls():
    def last_title(values, indicator):
        return title(charts.trend_chart(trend(values, periods=["2024", "2025"]), indicator))

    # 7 after 5: 5 is under 10, so the difference 7 - 5 = 2家
    assert last_title([5, 7], "hnte.valid").endswith("7家，较上年增加2家")
    # 95 after 98: 98 is not under 10, so the percent (95 - 98) / 98 = -3.06% -> 3.1%
    assert last_title([98, 95], "hnte.valid").endswith("95家，同比下降3.1%")
    # money after a real 0 (a year with records before it; zeros before the first record
    # are not compared): no percent of nothing, the difference 500 - 0 = 500万元
    resumed = trend([300.0, 0.0, 500.0], periods=["2023", "2024", "2025"])
    assert title(charts.trend_chart(resumed, "finance.resolved")).endswith(
        "500万元，较上年增加500万元"
    )
    # a rate: points, 50.0 - 52.3 = -2.3
    assert last_title([52.3, 50.0], "rd.coverage_industrial").endswith("50%，较上年下降2.3个百分点")
    # equal: 10 after 10 -> 0% -> 持平; no year before: no change at all
    assert last_title([10, 10], "projects.provincial_approved").endswith("10项，与上年持平")
    assert title(charts.trend_chart(trend([10], periods=["2025"]), "hnte.valid")) == (
        "2025年有效期内高新技术企业10家"
    )


def test_long_titles_wrap_at_a_chinese_comma():
    text = "甲" * 40 + "，" + "乙" * 20
    assert wrap(text, 44) == "甲" * 40 + "，\n" + "乙" * 20


# --------------------------------------------------------------------------- output


def test_save_figure_writes_a_deterministic_png_and_closes_the_figure(tmp_path):
    def draw(last):
        return charts.trend_chart(trend([61, 75, 90, 98, last]), "hnte.valid")

    fig = draw(106)
    first = charts.save_figure(fig, tmp_path / "figures" / "a.png")
    assert not plt.fignum_exists(fig.number)
    second = charts.save_figure(draw(106), tmp_path / "b.png")
    other = charts.save_figure(draw(107), tmp_path / "c.png")
    data = first.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data == second.read_bytes()
    assert (
        data != other.read_bytes()
    )  # the comparison can fail: a different number, different bytes
    assert b"Software" not in data and b"matplotlib" not in data
    assert plt.get_fignums() == []


def test_importing_charts_loads_no_plotting_library():
    code = (
        "import sys, innolib.charts; "
        "print(sorted(m for m in ('matplotlib', 'seaborn', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- composite index


def index_frame(values):
    return pd.DataFrame([{"period": p, "unit": u, "index": v} for (p, u), v in values.items()])


def test_index_chart_names_top_and_bottom_and_the_leaders_run():
    nan = float("nan")
    frame = index_frame(
        {
            ("2023", "A"): 0.2,
            ("2023", "B"): 0.5,
            ("2023", "C"): 0.1,
            ("2024", "A"): 0.6,
            ("2024", "B"): 0.4,
            ("2024", "C"): nan,
            ("2025", "A"): 0.7,
            ("2025", "B"): 0.3,
            ("2025", "C"): 0.2,
        }
    )
    fig = charts.index_chart(frame)
    # 2025: A 0.70 highest, C 0.20 lowest; A led alone in 2025 and 2024 (B led 2023) → 2 years
    assert title(fig) == "2025年A综合创新指数最高（0.70），连续2年居全区首位；C最低（0.20）"
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "A（0.70）",
        "B（0.30）",
        "C（0.20）",
    ]
    c = ax.lines[2].get_ydata()
    assert c[0] == pytest.approx(0.1) and c[1] != c[1]  # 2024 without an index: a gap, not 0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023年", "2024年", "2025年"]
    render(fig)


def test_index_chart_tied_leaders_and_a_gap_in_the_years():
    frame = index_frame(
        {
            ("2022", "A"): 0.9,
            ("2022", "B"): 0.1,
            ("2024", "A"): 0.8,
            ("2024", "B"): 0.2,
            ("2025", "A"): 0.5,
            ("2025", "B"): 0.5,
            ("2025", "C"): 0.1,
        }
    )
    assert (
        title(charts.index_chart(frame)) == "2025年A、B综合创新指数并列最高（0.50），C最低（0.10）"
    )
    # without 2025: A led in 2024 and 2022, but 2023 is missing → not "连续2年"
    assert (
        title(charts.index_chart(frame[frame["period"] != "2025"]))
        == "2024年A综合创新指数最高（0.80），B最低（0.20）"
    )


def test_index_chart_from_an_index_result_uses_its_scope_and_says_no_data():
    from dataclasses import replace

    from innolib.comparisons import composite_index, load_index_spec

    inputs = pd.DataFrame(
        {
            "unit": ["X", "Y", "X", "Y"],
            "period": ["2024", "2024", "2025", "2025"],
            "indicator": "x",
            "value": [5.0, 0.0, 10.0, 0.0],
            "publishable": True,
        }
    )
    inputs.attrs["scope_zh"] = "全市"
    result = composite_index(inputs, replace(load_index_spec(), indicators=(("x", 1.0),)))
    # min 0, max 10: X 0.5 (2024), 1.0 (2025); Y 0 both years
    assert (
        title(charts.index_chart(result))
        == "2025年X综合创新指数最高（1.00），连续2年居全市首位；Y最低（0.00）"
    )
    empty = index_frame({("2025", "A"): float("nan")})
    assert title(charts.index_chart(empty)) == "综合创新指数：所选各期均无数据"


# --------------------------------------------------------------------------- reader quality


def test_rises_and_falls_are_in_distinct_colour_blind_safe_colours():
    from innolib.theme import FALL, PALETTE, RISE

    fig = charts.trend_chart(
        trend([10, 12, 9, 9], periods=["2022", "2023", "2024", "2025"]), "hnte.valid"
    )
    render(fig)
    ax = fig.axes[0]
    colour = {t.get_text(): t.get_color() for t in ax.texts}
    # 12 after 10 (not under 10): +20.0% up; 9 after 12: 3/12 = -25.0% down; 9 after 9
    # (under 10: the difference, 0) flat
    assert colour["+20.0%"] == RISE == "#0072B2"  # Okabe–Ito blue
    assert colour["-25.0%"] == FALL == "#D55E00"  # Okabe–Ito vermillion
    assert colour["持平"] == PALETTE[6]  # grey: neither
    assert RISE != FALL


def test_category_axes_have_no_vertical_grid():
    frames = {
        "trend": charts.trend_chart(trend([1, 2, 3, 4, 5]), "hnte.valid"),
        "intensity": charts.rd_intensity_chart(pd.Series({"0": 3, "(0%,1%]": 5})),
        "financing": charts.financing_chart(
            pd.DataFrame(
                {"period": ["2024", "2025"], "requested": [10.0, 20.0], "resolved": [5.0, 8.0]}
            )
        ),
    }
    for name, fig in frames.items():
        render(fig)
        ax = fig.axes[0]
        assert not any(line.get_visible() for line in ax.get_xgridlines()), name
        assert any(line.get_visible() for line in ax.get_ygridlines()), (
            name
        )  # the values keep theirs
    # horizontal bars: categories on y, the value grid on x
    fig = charts.breakdown_chart(
        pd.DataFrame({"town": ["甲镇", "乙镇"], "value": [3, 1]}), "hnte.valid"
    )
    render(fig)
    ax = fig.axes[0]
    assert not any(line.get_visible() for line in ax.get_ygridlines())
    assert any(line.get_visible() for line in ax.get_xgridlines())


def test_a_source_line_names_the_source_as_the_bureau_does():
    from innolib.charts.wording import SOURCES
    from innolib.tables import TABLES

    # registry: contracts.amount is computed from tech_contracts, rd.expenditure from rd_survey
    fig = charts.trend_chart(trend([1.0, 2.0, 3.0, 4.0, 5.0]), "contracts.amount")
    assert source(fig) == "数据来源：技术合同登记系统" and footnote(fig) == ""
    fig = charts.breakdown_chart(
        pd.DataFrame(
            {"town": ["甲镇", "乙镇"], "value": [30.0, None], "status": ["ok", "suppressed"]}
        ),
        "rd.expenditure",
    )
    assert source(fig) == "数据来源：研发投入统计调查"
    assert footnote(fig) == FOOTNOTE[0]  # the disclosure note follows the source
    fig = charts.funnel_chart(pd.Series([10, 5, 1, 0], index=list(TIERS)))
    assert source(fig) == "数据来源：企业梯次培育台账"
    # no chart ever shows an internal table id: every table has the bureau's name for it
    assert set(SOURCES) == set(TABLES)
    assert not any(tid in name for name in SOURCES.values() for tid in TABLES)


def test_years_before_a_programme_existed_show_no_bar_and_no_flat_change():
    # 科技副总: no record until 2024 (2 firms), then 3
    fig = charts.trend_chart(trend([0, 0, 0, 2, 3]), "talent.vp_enterprises")
    render(fig)
    ax = fig.axes[0]
    assert [b.get_height() for b in bars(ax)] == [2, 3]  # 2024 and 2025 only
    assert texts(ax).count("尚无记录") == 3
    assert "持平" not in texts(ax) and "0" not in texts(ax)
    # 2024 has no base (nothing a year earlier); 2025: 2 is under 10, so 3 - 2 = +1家
    assert [t for t in texts(ax) if t.startswith(("+", "-"))] == ["+1家"]
    assert title(fig) == "2025年选聘“科技副总”企业3家，较上年增加1家"
    # a zero after the first record is a real zero: drawn at 0 and compared
    fig = charts.trend_chart(trend([2, 0, 0, 1, 1]), "talent.vp_enterprises")
    ax = fig.axes[0]
    assert "尚无记录" not in texts(ax) and texts(ax).count("持平") == 2  # 2023 (0=0), 2025 (1=1)


# --------------------------------------------------------------------------- English charts


def test_english_trend_has_english_title_labels_units_and_source():
    # registry: contracts.amount is 登记技术合同成交总金额, name_en below; 47350万元 = CNY 473.5
    # million, written CNY 474 million (whole millions from 100 up); 47350/42100 = +12.5%
    frame = trend(
        [31000.0, 35500.0, None, 42100.0, 47350.0], ["ok", "ok", "suppressed", "ok", "ok"]
    )
    fig = charts.trend_chart(frame, "contracts.amount", lang="en")
    render(fig)
    from innolib.registry import indicator_def

    name = indicator_def("contracts.amount").name_en
    assert title(fig) == f"{name}, 2025: CNY 474 million, up 12.5% year on year"
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Amount (CNY million)"
    # bars in CNY million: 310, 355, 421, 473.5
    assert [round(b.get_height(), 1) for b in bars(ax)] == [310.0, 355.0, 421.0, 473.5]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021", "2022", "2023", "2024", "2025"]
    lines = note_lines(fig)
    assert lines[0] == "Source: technology contract registration system"
    assert "".join(lines[1:]) == FOOTNOTE[1]  # the English disclosure note
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in title(fig) + "".join(lines))


def test_english_counts_categories_and_funnel():
    fig = charts.trend_chart(trend([0, 0, 0, 2, 3]), "talent.vp_enterprises", lang="en")
    ax = fig.axes[0]
    assert texts(ax).count("no records yet") == 3
    assert ax.get_ylabel() == "Number (enterprises)"
    # 3 after 2 (under 10): the difference, 1
    assert title(fig).endswith(", 2025: 3 enterprises, 1 more than a year earlier")
    # contract mix: categories translated, 60 of 100 = 60.0%, written 60%
    by_type = pd.Series({"技术开发": 60.0, "技术服务": 40.0})
    fig = charts.contract_mix_chart(by_type, period="2025", lang="en")
    assert title(fig) == "Technology contracts, 2025: technical development 60% of turnover"
    assert "technical services" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # funnel from stocks: 30 / 90 = 33.3%
    fig = charts.funnel_chart(
        pd.Series([90, 30, 3, 1], index=list(TIERS)), period="2025H1", lang="en"
    )
    assert title(fig) == (
        "Valid high-tech enterprises, first half of 2025: 30, equal to 33.3% of S&T enterprises"
    )
    assert "10.0% of the tier above" in texts(fig.axes[0])  # 3 / 30


def test_english_titles_wrap_at_a_comma_and_chinese_ones_as_before():
    text = "A" * 80 + ", " + "B" * 30
    assert wrap(text, 44) == "A" * 80 + ", \n" + "B" * 30
    assert wrap("甲" * 40 + "，" + "乙" * 20, 44) == "甲" * 40 + "，\n" + "乙" * 20


def test_a_chart_without_a_district_names_no_city_programme():
    # il.trend puts the package's district on the frame; a bare frame gets the generic
    # programme name (科技型中小企业), never Zhengzhou's
    fig = charts.trend_chart(trend([17, 20], periods=["2024", "2025"]), "tech_sme.recommended")
    render(fig)
    # 20 after 17: 17 >= 10 takes the percent, 3 / 17 = 17.647% -> 17.6%
    assert title(fig) == "2025年推荐认定科技型中小企业20家，同比增长17.6%"
