"""The span the data covers, and a period beyond it (docs/data.md, "Coverage").

A tiny package worked out by hand: high-tech certificates recognised on 2024-03-01 and
2025-06-30 (valid three years), one provincial platform approved on 2023-05-01, and the
R&D survey of 2025. The last record of any ledger is of 2025, so the data covers
2025-12-31; the platforms ledger has no record in 2025 and is named in a warning.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from innolib.cli import main
from innolib.coverage import coverage
from innolib.indicators import compute_indicators, trend
from innolib.narrative import write_narrative
from innolib.package import Package
from innolib.periods import parse_period, parse_periods
from tests.conftest import _e, district, frames

D = dt.date


def _package(cutoff: dt.date | None = None) -> Package:
    certifications = pd.DataFrame(
        [
            {"uscc": _e(1), "tier": "高新技术企业", "stage": "认定", "date": "2024-03-01",
             "valid_until": "2027-02-28", "batch": None},
            {"uscc": _e(2), "tier": "高新技术企业", "stage": "认定", "date": "2025-06-30",
             "valid_until": "2028-06-29", "batch": None},
            {"uscc": _e(3), "tier": "高新技术企业", "stage": "申报", "date": "2025-04-01",
             "valid_until": None, "batch": "2025年第一批"},
        ]
    )  # fmt: skip
    platforms = pd.DataFrame(
        [
            {"platform_id": "PL1", "name": "省企业技术中心", "uscc": _e(1),
             "type": "省企业技术中心", "level": "省级", "approved": "2023-05-01", "revoked": None},
        ]
    )  # fmt: skip
    f = frames()
    return Package.from_frames(
        district(cutoff),
        {
            "enterprises": f["enterprises"],
            "certifications": certifications,
            "platforms": platforms,
            "rd_survey": f["rd_survey"],  # years 2024 and 2025
        },
    )


def test_coverage_ends_with_the_last_year_that_has_records():
    cover = coverage(_package())
    assert (cover.end, cover.declared) == (D(2025, 12, 31), False)
    assert cover.last["platforms"] == D(2023, 5, 1)
    assert cover.last["rd_survey"] == D(2025, 12, 31)  # a survey year counts to its end
    assert cover.stale_tables() == {"platforms": D(2023, 5, 1)}


def test_a_declared_cutoff_is_the_coverage_end():
    cover = coverage(_package(cutoff=D(2025, 10, 31)))
    assert (cover.end, cover.declared) == (D(2025, 10, 31), True)


def test_a_period_beyond_the_data_has_no_flows_and_states_stocks_on_the_coverage_end():
    result = compute_indicators(_package(), parse_period("2026"))
    applied = result["hnte.applied"]  # a flow: nothing can be known about 2026
    assert (applied.status, applied.value) == ("no_data", None)
    # its 上年同期 is real data: enterprise 3 applied on 2025-04-01
    assert applied.previous == 1
    valid = result["hnte.valid"]  # enterprises 1 and 2 hold a certificate on 2025-12-31
    assert (valid.status, valid.value, valid.as_of) == ("ok", 2, D(2025, 12, 31))
    assert (valid.previous, valid.change, valid.previous_status) == (None, None, "no_data")
    provincial = result["platforms.provincial"]
    assert (provincial.value, provincial.as_of) == (1, D(2025, 12, 31))
    assert result["rd.expenditure"].status == "no_data"
    assert result.coverage_end == D(2025, 12, 31)
    assert result.warnings[0].startswith("报告期晚于数据覆盖范围：数据截至2025-12-31")
    assert result.warnings[1].startswith("研发平台的记录止于2023-05-01")
    doc = result.to_document()["indicators"]
    assert doc["hnte.valid"]["as_of"] == "2025-12-31" and "as_of" not in doc["hnte.applied"]


def test_a_covered_period_is_unchanged():
    result = compute_indicators(_package(), parse_period("2025"))
    assert result["hnte.applied"].value == 1
    assert result["hnte.valid"].as_of is None and result["hnte.valid"].value == 2
    # covered: only the platforms ledger (last record 2023-05-01) is named
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("研发平台的记录止于2023-05-01，早于数据覆盖截止年份")


def test_a_period_after_a_declared_cutoff_is_no_data_not_an_error():
    # before: Period.clip raised "数据截止日期早于报告期…"; now the period has no data
    result = compute_indicators(_package(cutoff=D(2025, 10, 31)), parse_period("2026Q1"))
    assert result["hnte.applied"].status == "no_data"
    assert (result["hnte.valid"].value, result["hnte.valid"].as_of) == (2, D(2025, 10, 31))


def test_a_trend_shows_no_data_beyond_the_coverage():
    frame = trend(_package(), "hnte.applied", parse_periods("2025..2026"))
    assert frame["status"].tolist() == ["ok", "no_data"]
    assert frame["value"].iloc[0] == 1 and pd.isna(frame["value"].iloc[1])


def test_the_narrative_of_a_period_beyond_the_data_says_only_that():
    story = write_narrative(_package(), parse_period("2026"))
    assert story.lead == "数据包的记录截至2025年12月31日，2026年全年暂无可报告的统计数据。"
    assert story.sections == []  # no point has a claim the data proves
    assert "高新技术企业" not in story.text
    assert any(w.startswith("报告期晚于数据覆盖范围") for w in story.warnings)


def test_the_cli_prints_the_warning_and_exits_0(capsys, monkeypatch):
    import innolib.load

    monkeypatch.setattr(innolib.load, "load_package", lambda *a, **k: _package())
    assert main(["indicators", ".", "--period", "2026"]) == 0
    captured = capsys.readouterr()
    assert "警告 / warning: 报告期晚于数据覆盖范围" in captured.err
    assert "无数据" in captured.out


def test_every_notebook_view_of_a_period_beyond_the_data_shows_no_data():
    """The section notebooks run for 2026 on data to 2025 (they crashed before): analyses
    give empty no-data frames, the charts draw their no-data state, and a section page
    whose section has no claim says why in one line."""
    from innolib import analyses, charts
    from innolib import notebooks as nbh
    from tests.conftest import mini_package

    package, period = mini_package(), parse_period("2026")
    for analysis in (
        analyses.pipeline_funnel,
        analyses.pipeline_conversion,
        analyses.contract_mix,
        analyses.financing_summary,
    ):
        frame = analysis(package, period)
        assert (len(frame), frame.attrs["status"]) == (0, "no_data"), analysis.__name__
        assert frame.attrs["note"] == "报告期晚于数据覆盖范围（数据截至2025-12-31），无数据"
    funnel = charts.funnel_chart(analyses.pipeline_conversion(package, period), period=period)
    assert funnel._suptitle.get_text() == "2026年科技型企业无数据，有效期内高企无数据"
    mix = charts.contract_mix_chart(
        *nbh.mix_panels(analyses.contract_mix(package, period)), period=period
    )
    mix.canvas.draw()  # a share of nothing is no data, not a NaN axis
    result = compute_indicators(package, period)
    page = nbh.narrative_markdown(package, result, section=2).data
    assert page == "数据包的记录截至2025年12月31日，2026年全年暂无可报告的统计数据。"


def test_coverage_is_computed_once_and_again_when_a_table_is_replaced():
    package = _package()
    assert coverage(package) is coverage(package)  # kept on the package
    row = pd.DataFrame(
        [{"uscc": _e(4), "tier": "高新技术企业", "stage": "申报", "date": "2026-03-01",
          "valid_until": None, "batch": "2026年第一批"}]
    )  # fmt: skip
    typed = Package.from_frames(district(), {"certifications": row})["certifications"]
    package.tables["certifications"] = pd.concat([package["certifications"], typed])
    assert coverage(package).end == D(2026, 12, 31)  # a record of 2026 now
