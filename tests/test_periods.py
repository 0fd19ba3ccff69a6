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
