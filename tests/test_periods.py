"""Periods: labels, bounds, ranges, year-on-year base, cutoff and wording."""

import datetime as dt

import pytest

from innolib.errors import UsageError
from innolib.periods import parse_period, parse_periods, parse_year_range

D = dt.date


@pytest.mark.parametrize(
    "label, start, end, wording",
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31), "全年"),
        ("2025H1", D(2025, 1, 1), D(2025, 6, 30), "上半年"),
        ("2025H2", D(2025, 7, 1), D(2025, 12, 31), "下半年"),
        ("2025Q1", D(2025, 1, 1), D(2025, 3, 31), "第一季度"),
        ("2025q3", D(2025, 7, 1), D(2025, 9, 30), "第三季度"),
        ("2024Q4", D(2024, 10, 1), D(2024, 12, 31), "第四季度"),
        ("2025M09", D(2025, 1, 1), D(2025, 9, 30), "前三季度"),
        ("2024M02", D(2024, 1, 1), D(2024, 2, 29), "1—2月"),
        ("2025M10", D(2025, 1, 1), D(2025, 10, 31), "1—10月"),
    ],
)
def test_period_bounds_and_wording(label, start, end, wording):
    p = parse_period(label)
    assert (p.start, p.end, p.wording()) == (start, end, wording)


@pytest.mark.parametrize(
    "bad", ["", "25", "2025Q5", "2025H3", "2025M13", "2025M9", "2021..2025", "next year"]
)
def test_bad_period_is_a_usage_error(bad):
    with pytest.raises(UsageError) as err:
        parse_period(bad)
    assert err.value.exit_code == 2


def test_previous_year_is_the_same_period_a_year_earlier():
    assert parse_period("2025Q3").previous_year().label == "2024Q3"
    assert parse_period("2025M09").previous_year().end == D(2024, 9, 30)


def test_cutoff_clips_the_period_and_its_previous_year():
    p = parse_period("2025").clip(D(2025, 10, 31))
    assert p.end == D(2025, 10, 31) and p.clipped and p.wording() == "截至10月31日"
    assert not p.ends_on_year_end
    prev = p.previous_year()
    assert (prev.start, prev.end) == (D(2024, 1, 1), D(2024, 10, 31))
    # a cutoff after the end changes nothing
    assert parse_period("2025H1").clip(D(2025, 10, 31)).end == D(2025, 6, 30)


def test_ranges():
    assert [p.label for p in parse_periods("2021..2025")] == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    assert [p.label for p in parse_periods("2024Q3..2025Q2")] == [
        "2024Q3",
        "2024Q4",
        "2025Q1",
        "2025Q2",
    ]
    assert [p.label for p in parse_periods("2025H1..2025H2")] == ["2025H1", "2025H2"]
    assert [p.label for p in parse_periods("2025M11..2026M01")] == ["2025M11", "2025M12", "2026M01"]
    assert parse_year_range("2021..2023") == [2021, 2022, 2023]
    with pytest.raises(UsageError):
        parse_periods("2025..2025Q1")
    with pytest.raises(UsageError):
        parse_periods("2025..2021")


def test_shift_and_recent_keep_the_kind_of_period():
    assert parse_period("2025Q3").shift(-2).label == "2023Q3"
    assert parse_period("2024H2").shift(1).end == D(2025, 12, 31)
    assert [p.label for p in parse_period("2025").recent(5)] == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    assert [p.label for p in parse_period("2025Q3").recent(3)] == ["2023Q3", "2024Q3", "2025Q3"]
    assert [p.label for p in parse_period("2025M09").recent(2)] == ["2024M09", "2025M09"]


def test_shift_keeps_the_clip_on_the_same_day():
    p = parse_period("2025").clip(D(2025, 10, 31))
    back = p.shift(-2)
    assert back.label == "2023" and back.end == D(2023, 10, 31) and back.clipped
    assert p.previous_year() == p.shift(-1)
    leap = parse_period("2024").clip(D(2024, 2, 29)).shift(-1)
    assert leap.end == D(2023, 2, 28)  # no 29 February in 2023


def test_functions_below_the_edge_refuse_a_label():
    from innolib.export import write_report
    from innolib.indicators import compute_indicator, compute_indicators, effective_period, trend
    from innolib.narrative import write_narrative
    from innolib.package import District, Package

    district = District(
        id="d", code="1", name="示范区", city="郑州市", province="河南省", towns=("甲镇",)
    )
    package = Package(district=district, tables={})
    for call in (
        lambda: compute_indicators(package, "2025"),
        lambda: compute_indicator(package, "hnte.valid", "2025"),
        lambda: effective_period(package, "2025"),
        lambda: trend(package, "hnte.valid", "2021..2025"),
        lambda: write_narrative(package, "2025"),
        lambda: write_report(package, "2025", "/nonexistent"),
    ):
        with pytest.raises(TypeError, match="must be a"):
            call()


def test_the_public_functions_are_the_edge_and_parse_labels():
    import innolib as il
    from innolib.package import District, Package

    district = District(
        id="d", code="1", name="示范区", city="郑州市", province="河南省", towns=("甲镇",)
    )
    package = Package(district=district, tables={})
    result = il.compute_indicators(package, "2025Q3", ids=["hnte.valid"])
    assert result.period == parse_period("2025Q3")  # parsed once, carried in the result
    assert result["hnte.valid"].status == "no_data"  # no certifications table
    frame = il.trend(package, "hnte.valid", "2024..2025")
    assert frame["period"].tolist() == ["2024", "2025"]
